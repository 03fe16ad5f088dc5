// The admin API over a SQLite store in memory with a one-tenant seed, and
// requests built as curl sends them: shared by the admin API's test files.
#pragma once

#include "api/admin/admin_api.h"

#include "common/http_message.h"
#include "service/emulator_controls.h"
#include "service/emulator_service.h"
#include "service/job_timings.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include <memory>
#include <string>

namespace connectplane::api::admin {

inline constexpr char kSeed[] = R"({"huawei": {
  "credentials": [{"access_key": "AK", "secret_key": "TopSecret", "project_id": "p1"}],
  "kafka_instances": [{"project_id": "p1", "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "k1"}]}})";

inline AdminApiOptions TokenOptions(std::string token) {
  AdminApiOptions options;
  options.token = std::move(token);
  return options;
}

class AdminApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::SqliteStore::Open(":memory:"));
    ASSERT_TRUE(service::ApplySeed(*store_, kSeed, clock_, &timings_).ok());
    emulator_ = std::make_unique<service::EmulatorService>(*store_, clock_, timings_, controls_,
                                                           kSeed, nullptr);
  }

  // A call as curl makes it: a loopback Host, and a JSON content type on
  // everything but GET.
  common::HttpResponse Call(AdminApi& api, std::string method, std::string target,
                            std::string body = "", std::string remote = "127.0.0.1:5000",
                            std::string authorization = "") {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.remote_address = std::move(remote);
    request.headers.emplace_back("Host", "127.0.0.1:8080");
    if (request.method != "GET") {
      request.headers.emplace_back("Content-Type", "application/json");
    }
    if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
    return api.Handle(request);
  }

  // A call with exactly `headers`.
  common::HttpResponse Raw(AdminApi& api, std::string method, std::string target,
                           common::HeaderList headers, std::string body = "") {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.remote_address = "127.0.0.1:5000";
    request.headers = std::move(headers);
    return api.Handle(request);
  }

  // Two made-up dialects' operations, as main passes the route tables' names.
  static AdminApiOptions WithDialects(AdminApiOptions options = {}) {
    options.dialects = {{"dms", {"CreateConnector", "ShowInstance"}},
                        {"zenlayer", {"DescribePorts"}}};
    return options;
  }

  testing::FakeClock clock_;
  service::JobTimings timings_;
  service::EmulatorControls controls_{7};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<service::EmulatorService> emulator_;
};

}  // namespace connectplane::api::admin
