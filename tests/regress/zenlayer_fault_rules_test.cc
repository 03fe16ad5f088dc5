// Found by trying the documented fault injection on Zenlayer: API fault rules
// with "dialect":"zenlayer" were stored (and listed by GET /_connectplane/faults)
// but never fired, because only the DMS dialect consulted them. Faults and
// idempotency keys are now request stages (api/stages) that every dialect's
// requests pass through; each dialect renders an injected fault in its own
// error shape.
#include "common/strings.h"

#include <gtest/gtest.h>

#include "fakes/admin_client.h"
#include "fakes/zenlayer_harness.h"
#include "fakes/zenlayer_seed.h"
#include <string>

namespace connectplane::regress {
namespace {

using testing::ZenlayerAnswer;
using testing::ZenlayerHarness;
using testing::ZenlayerKey;

const ZenlayerKey& kKey = testing::kTwoPortAccountKey;
constexpr const char* kSeed = testing::kTwoPortAccountSeed;
constexpr const char* kCreate = testing::kCreateBetweenTwoPorts;

class ZenlayerFaultRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.Start(kSeed);
    admin_ = std::make_unique<testing::AdminClient>(harness_.services());
  }

  // Adds a fault rule through the admin API, as a user would.
  void AddFault(std::string rule) {
    common::HttpResponse response = admin_->Send("POST", "/_connectplane/faults", std::move(rule));
    ASSERT_EQ(response.status, 201) << response.body;
  }

  ZenlayerHarness harness_;
  std::unique_ptr<testing::AdminClient> admin_;
};

TEST_F(ZenlayerFaultRulesTest, ApiFaultAnswersInZenlayersErrorShapeThenStops) {
  AddFault(R"({"kind":"api","dialect":"zenlayer","operation":"DescribePorts","http_status":503,
               "error_code":"SERVICE_TEMPORARY_UNAVAILABLE","message":"try later","count":1})");
  ZenlayerAnswer faulted = harness_.Call(kKey, "DescribePorts", "{}");
  EXPECT_EQ(faulted.status, 503) << faulted.body;
  EXPECT_EQ(faulted.code, "SERVICE_TEMPORARY_UNAVAILABLE");
  EXPECT_EQ(faulted.json.at("message").as_string(), "try later");
  EXPECT_FALSE(faulted.json.at("requestId").as_string().empty());
  EXPECT_FALSE(faulted.json.contains("response"));
  // count 1: the next call is served.
  EXPECT_EQ(harness_.Call(kKey, "DescribePorts", "{}").status, 200);
}

TEST_F(ZenlayerFaultRulesTest, RulesMatchTheirDialectAndOperation) {
  AddFault(R"({"kind":"api","dialect":"dms","http_status":500})");
  AddFault(R"({"kind":"api","dialect":"zenlayer","operation":"CreatePrivateConnect",
               "http_status":500})");
  EXPECT_EQ(harness_.Call(kKey, "DescribePorts", "{}").status, 200);
  EXPECT_EQ(harness_.Call(kKey, "CreatePrivateConnect", kCreate).status, 500);
}

TEST_F(ZenlayerFaultRulesTest, FaultedMutationWritesNothing) {
  AddFault(R"({"kind":"api","dialect":"*","operation":"CreatePrivateConnect","http_status":500,
               "count":1})");
  const std::string before = harness_.DumpEverything();
  ZenlayerAnswer faulted = harness_.Call(kKey, "CreatePrivateConnect", kCreate);
  EXPECT_EQ(faulted.status, 500);
  EXPECT_EQ(faulted.code, "INJECTED_SERVER_ERROR");
  EXPECT_EQ(harness_.DumpEverything(), before);
  EXPECT_EQ(harness_.Call(kKey, "CreatePrivateConnect", kCreate).status, 200);
}

}  // namespace
}  // namespace connectplane::regress
