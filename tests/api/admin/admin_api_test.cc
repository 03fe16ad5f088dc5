#include "api/admin/admin_api.h"

#include <gtest/gtest.h>

#include <memory>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

namespace connectplane::api::admin {
namespace {

constexpr char kSeed[] = R"({"huawei": {
  "credentials": [{"access_key": "AK", "secret_key": "TopSecret", "project_id": "p1"}],
  "kafka_instances": [{"project_id": "p1", "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "k1"}]}})";

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::SqliteStore::Open(":memory:"));
    ASSERT_TRUE(service::ApplySeed(*store_, kSeed, clock_, &timings_).ok());
    emulator_ = std::make_unique<service::EmulatorService>(*store_, clock_, timings_, controls_,
                                                           kSeed, nullptr);
  }

  common::HttpResponse Call(AdminApi& api, std::string method, std::string target,
                            std::string body = "", std::string remote = "127.0.0.1:5000",
                            std::string authorization = "") {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.remote_address = std::move(remote);
    if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
    return api.Handle(request);
  }

  testing::FakeClock clock_;
  service::JobTimings timings_;
  service::EmulatorControls controls_{7};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<service::EmulatorService> emulator_;
};

TEST_F(AdminApiTest, LoopbackOnlyWithoutToken) {
  AdminApi api(*emulator_, {});
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health").status, 200);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health", "", "[::1]:4000").status, 200);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health", "", "10.0.0.5:4000").status, 403);
  EXPECT_EQ(Call(api, "POST", "/_connectplane/reset", "", "192.168.1.2:1").status, 403);
}

TEST_F(AdminApiTest, TokenRequiredWhenConfigured) {
  AdminApi api(*emulator_, {"s3cret-token"});
  EXPECT_EQ(Call(api, "GET", "/_connectplane/state", "", "10.0.0.5:1").status, 401);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/state", "", "127.0.0.1:1", "Bearer wrong").status,
            401);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/state", "", "10.0.0.5:1", "Bearer s3cret-token")
                .status,
            200);
}

TEST_F(AdminApiTest, TimingFaultsResetAndStateRoundTrip) {
  AdminApi api(*emulator_, {});
  auto timing = Call(api, "PUT", "/_connectplane/timing",
                     R"({"job_type":"kafka.enable_connector","mode":"reads","reads":4})");
  ASSERT_EQ(timing.status, 200) << timing.body;
  EXPECT_EQ(timings_.GetTiming("kafka.enable_connector").reads, 4);
  EXPECT_EQ(Call(api, "PUT", "/_connectplane/timing", R"({"mode":"sometimes"})").status, 400);
  EXPECT_EQ(Call(api, "PUT", "/_connectplane/timing", R"({"mode":"seconds","seconds":1.5})").status,
            200);
  EXPECT_EQ(timings_.Get("anything"), absl::Milliseconds(1500));

  auto fault = Call(api, "POST", "/_connectplane/faults",
                    R"({"kind":"api","operation":"CreateConnector","http_status":500,"count":1})");
  ASSERT_EQ(fault.status, 201) << fault.body;
  std::string id(boost::json::parse(fault.body).at("id").as_string());
  EXPECT_NE(Call(api, "GET", "/_connectplane/faults").body.find(id), std::string::npos);
  EXPECT_EQ(Call(api, "DELETE", "/_connectplane/faults/" + id).status, 200);
  EXPECT_EQ(Call(api, "DELETE", "/_connectplane/faults/" + id).status, 404);
  EXPECT_EQ(Call(api, "POST", "/_connectplane/faults", R"({"kind":"nope"})").status, 400);

  auto state = Call(api, "GET", "/_connectplane/state");
  ASSERT_EQ(state.status, 200);
  EXPECT_EQ(state.body.find("TopSecret"), std::string::npos);
  EXPECT_NE(state.body.find("kafka_instances"), std::string::npos);

  auto reset = Call(api, "POST", "/_connectplane/reset", R"({"tenant":"p1"})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Call(api, "POST", "/_connectplane/reset", R"({"tenant":5})").status, 400);
  auto seeded = Call(api, "POST", "/_connectplane/seed",
                     R"({"huawei":{"kafka_instances":[{"project_id":"p1",
                         "instance_id":"b2c3d4e5-0000-1111-2222-333344445555","name":"k2"}]}})");
  ASSERT_EQ(seeded.status, 200) << seeded.body;
  EXPECT_EQ(Call(api, "POST", "/_connectplane/seed", "{bad").status, 400);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/nothing").status, 404);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/ready").status, 200);
}

}  // namespace
}  // namespace connectplane::api::admin
