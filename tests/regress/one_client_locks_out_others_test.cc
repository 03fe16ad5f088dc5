// A hostile-input probe held 4,096 idle sockets from one address: the server's
// connection cap was full, and every other client, signed SDK calls included,
// got closed connections for as long as the sockets were held. Now one address
// may hold only a share of the cap, and a reserve of slots is kept for
// addresses that made a signed request recently, so a signed client still gets
// in while strangers from many addresses hold every other slot. Real server,
// real dispatcher, a DMS ShowInstance signed as the SDK signs it.
#include "common/http_message.h"
#include "common/strings.h"
#include "http/dispatcher.h"
#include "http/server.h"

#include <gtest/gtest.h>

#include "fakes/dispatcher_harness.h"
#include "fakes/dms_seed.h"
#include "fakes/raw_http_client.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace connectplane::regress {
namespace {

using testing::RawClient;

// The request as it goes on the wire, headers in order.
std::string Wire(const common::HttpRequest& request) {
  std::string wire = common::StrCat(request.method, " ", request.target, " HTTP/1.1\r\n");
  for (const auto& [name, value] : request.headers) {
    wire += common::StrCat(name, ": ", value, "\r\n");
  }
  if (!request.body.empty()) {
    wire += common::StrCat("Content-Length: ", request.body.size(), "\r\n");
  }
  return common::StrCat(wire, "\r\n", request.body);
}

class OneClientLocksOutOthersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    // One I/O thread: the harness's services are exercised one request at a time.
    options.threads = 1;
    // Defaults derive from the cap: 4 connections per address, 4 reserved.
    options.max_connections = 40;
    server_ = std::make_unique<http::Server>(options, [this](common::HttpRequest& request) {
      return wired_.dispatcher.Handle(request);
    });
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  std::optional<RawClient::Response> SignedShowInstance(RawClient& client) {
    return client.Exchange(
        Wire(wired_.dms.Signed(testing::kCredential, "GET", testing::InstancePath())));
  }

  // Opens connections from `source` until the server refuses one or `limit`
  // are open; each one held is proven by a served /healthz.
  int HoldConnections(const std::string& source, int limit,
                      std::vector<std::unique_ptr<RawClient>>& held) {
    int count = 0;
    for (int conn_idx = 0; conn_idx < limit; ++conn_idx) {
      auto client = std::make_unique<RawClient>(server_->port(), source);
      if (!client->Exchange("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")) {
        break;
      }
      held.push_back(std::move(client));
      ++count;
    }
    return count;
  }

  testing::DispatcherHarness wired_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(OneClientLocksOutOthersTest, OneAddressCannotTakeTheWholeCap) {
  std::vector<std::unique_ptr<RawClient>> attacker;

  const int held = HoldConnections("127.0.0.1", 40, attacker);

  EXPECT_EQ(held, 4);
  RawClient sdk(server_->port(), "127.0.0.2");
  std::optional<RawClient::Response> response = SignedShowInstance(sdk);
  ASSERT_TRUE(response.has_value()) << "locked out";
  EXPECT_EQ(response->result_int(), 200) << response->body();
}

TEST_F(OneClientLocksOutOthersTest, SignedClientGetsInWhileStrangersHoldEveryOtherSlot) {
  {
    RawClient earlier(server_->port(), "127.0.0.2");
    std::optional<RawClient::Response> response = SignedShowInstance(earlier);
    ASSERT_TRUE(response.has_value());
    ASSERT_EQ(response->result_int(), 200) << response->body();
  }
  // Strangers from ten addresses try to take all 40 slots.
  std::vector<std::unique_ptr<RawClient>> strangers;
  int held = 0;
  for (int address_idx = 1; address_idx <= 10; ++address_idx) {
    held += HoldConnections(common::StrCat("127.0.1.", address_idx), 4, strangers);
  }
  RawClient another_stranger(server_->port(), "127.0.0.5");

  EXPECT_EQ(held, 36);
  EXPECT_FALSE(another_stranger.Exchange("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n"));
  RawClient sdk(server_->port(), "127.0.0.2");
  std::optional<RawClient::Response> response = SignedShowInstance(sdk);
  ASSERT_TRUE(response.has_value()) << "locked out";
  EXPECT_EQ(response->result_int(), 200) << response->body();
}

}  // namespace
}  // namespace connectplane::regress
