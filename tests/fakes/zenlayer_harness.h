// Test harness for the Zenlayer SDN dialect: an in-memory store seeded from
// JSON, a fake clock, the job runner, and requests signed the way Zenlayer's
// SDKs sign them (ZC2-HMAC-SHA256), sent through ZenlayerApi::Handle. No
// network. Header-only so each test binary compiles it with its own flags.
#pragma once

#include "api/zenlayer/zenlayer_api.h"
#include "auth/zenlayer_signer.h"
#include "common/status.h"
#include "common/strings.h"
#include "jobs/job_runner.h"
#include "service/credential_service.h"
#include "service/private_connect_jobs.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include "fakes/store_dump.h"
#include <memory>
#include <string>

namespace connectplane::testing {

struct ZenlayerKey {
  std::string access_key_id;
  std::string access_key_password;
};

struct ZenlayerAnswer {
  int status = 0;
  std::string body;        // raw response body
  std::string code;        // error code; empty on success
  boost::json::object json;  // parsed body (empty when it was not an object)
};

class ZenlayerHarness {
 public:
  // Seeds `seed_json`; jobs take `job_duration` of fake time.
  void Start(std::string_view seed_json, absl::Duration job_duration = absl::Seconds(2)) {
    store_ = std::move(*store::SqliteStore::Open(":memory:"));
    auto seeded = service::ApplySeed(*store_, seed_json, clock_, nullptr);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    timings_.SetDefault(job_duration);
    runner_ = std::make_unique<jobs::JobRunner>(*store_, clock_);
    service::RegisterPrivateConnectJobs(*runner_);
    credentials_ = std::make_unique<service::CredentialService>(*store_);
    connects_ =
        std::make_unique<service::PrivateConnectService>(*store_, clock_, timings_, nullptr);
    api_ = std::make_unique<api::zenlayer::ZenlayerApi>(*connects_, *credentials_, clock_);
  }

  common::HttpRequest Signed(const ZenlayerKey& key, std::string action, std::string body) {
    common::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v2/sdn";
    request.body = std::move(body);
    request.headers = {
        {"content-type", "application/json"},
        {"host", "127.0.0.1:18443"},
        {"x-zc-timestamp", common::StrCat(absl::ToUnixSeconds(clock_.Now()))},
        {"x-zc-signature-method", "ZC2-HMAC-SHA256"},
        {"x-zc-version", "2023-08-30"},
        {"X-ZC-Action", std::move(action)},
    };
    request.headers.emplace_back(
        "authorization",
        auth::SignZenlayerRequest(request, key.access_key_id, key.access_key_password));
    return request;
  }

  ZenlayerAnswer Call(const ZenlayerKey& key, std::string action, std::string body) {
    common::HttpResponse response = api_->Handle(Signed(key, std::move(action), std::move(body)));
    ZenlayerAnswer answer;
    answer.status = response.status;
    answer.body = response.body;
    boost::json::error_code error;
    boost::json::value parsed = boost::json::parse(response.body, error);
    EXPECT_FALSE(error) << response.body.substr(0, 300);
    if (parsed.is_object()) {
      answer.json = parsed.as_object();
      if (const auto* code = answer.json.if_contains("code"); code && code->is_string()) {
        answer.code = std::string(code->as_string());
      }
    }
    return answer;
  }

  // The `response` object of a call that must succeed.
  boost::json::object Response(const ZenlayerKey& key, std::string action, std::string body) {
    ZenlayerAnswer answer = Call(key, std::move(action), std::move(body));
    EXPECT_EQ(answer.status, 200) << answer.body.substr(0, 300);
    if (const auto* response = answer.json.if_contains("response");
        response && response->is_object()) {
      return response->as_object();
    }
    return {};
  }

  void FinishJobs() {
    clock_.Advance(absl::Minutes(5));
    auto ran = runner_->RunDueJobs();
    ASSERT_TRUE(ran.ok()) << ran.status();
  }

  // Every row of every table, for before/after comparisons.
  std::string DumpEverything() { return DumpAllRows(*store_); }

  FakeClock& clock() { return clock_; }

 private:
  FakeClock clock_;
  service::JobTimings timings_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<service::CredentialService> credentials_;
  std::unique_ptr<service::PrivateConnectService> connects_;
  std::unique_ptr<api::zenlayer::ZenlayerApi> api_;
};

}  // namespace connectplane::testing
