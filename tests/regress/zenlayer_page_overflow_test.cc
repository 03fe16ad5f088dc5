// Found by fuzzing (zenlayer_body, UBSan): PrivateConnectService's Paginate
// computes (pageNum - 1) * pageSize in int64_t without a bound on pageNum, so
// DescribePorts / DescribePrivateConnects with a huge pageNum overflow (UB).
// With pageNum = 2^62 and pageSize = 20 the product wraps to -20 and the page
// is copied from items.begin() - 20: an out-of-bounds read that an
// authenticated client can trigger. Reproducer (X-ZC-Action DescribePorts):
//   {"portIds":["pa"],  "pageNum":1099999999999999999}
// The service now bounds the offset before multiplying.
#include "service/caller.h"
#include "service/private_connect_service.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "fakes/zenlayer_seed.h"
#include <cstdint>

namespace connectplane::regress {
namespace {

TEST(ZenlayerPageOverflowTest, HugePageNumberIsRefusedOrEmptyNeverOutOfBounds) {
  testing::ServiceFixture services;
  services.Seed(testing::kTwoPortAccountSeed);
  service::PrivateConnectService& connects = services.connects;
  const service::Caller caller{.tenant_id = "acct-1",
                               .user_name = "acct-1",
                               .user_id = "acct-1",
                               .access_key_id = "AK1",
                               .request_id = ""};
  for (int64_t page_num : {int64_t{1} << 62, int64_t{1099999999999999999}, INT64_MAX}) {
    SCOPED_TRACE(page_num);
    service::PortQuery ports;
    ports.page_num = page_num;
    ports.page_size = 20;
    auto port_page = services.ports.DescribePorts(caller, ports);
    if (port_page.ok()) {
      EXPECT_TRUE(port_page->items.empty());
    }
    service::PrivateConnectQuery private_connects;
    private_connects.page_num = page_num;
    private_connects.page_size = 20;
    auto connect_page = connects.DescribePrivateConnects(caller, private_connects);
    if (connect_page.ok()) {
      EXPECT_TRUE(connect_page->items.empty());
    }
  }
}

}  // namespace
}  // namespace connectplane::regress
