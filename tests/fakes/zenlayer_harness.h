// Test harness for the Zenlayer SDN dialect: the service fixture (in-memory
// store seeded from JSON, fake clock, job runner, services), the shared
// request stages, and requests signed the way Zenlayer's SDKs sign them
// (ZC2-HMAC-SHA256), sent through ZenlayerApi::Handle. No network.
// Header-only so each test binary compiles it with its own flags.
#pragma once

#include "api/stages/request_stages.h"
#include "api/zenlayer/zenlayer_api.h"
#include "auth/zenlayer_signer.h"
#include "common/status.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/service_fixture.h"
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
  std::string body;          // raw response body
  std::string code;          // error code; empty on success
  boost::json::object json;  // parsed body (empty when it was not an object)
};

class ZenlayerHarness {
 public:
  // Seeds `seed_json`; jobs take `job_duration` of fake time.
  void Start(std::string_view seed_json, absl::Duration job_duration = absl::Seconds(2)) {
    services_ = std::make_unique<ServiceFixture>(job_duration);
    services_->Seed(seed_json);
    stages_ =
        std::make_unique<api::stages::RequestStages>(services_->controls, services_->idempotency);
    api_ = std::make_unique<api::zenlayer::ZenlayerApi>(
        services_->connects, services_->ports, services_->sdn_catalog, services_->sdn_usage,
        services_->credentials, *stages_, services_->clock);
  }

  common::HttpRequest Signed(const ZenlayerKey& key, std::string action, std::string body) {
    common::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v2/sdn";
    request.body = std::move(body);
    request.headers = {
        {"content-type", "application/json"},
        {"host", "127.0.0.1:18443"},
        {"x-zc-timestamp", common::StrCat(absl::ToUnixSeconds(services_->clock.Now()))},
        {"x-zc-signature-method", "ZC2-HMAC-SHA256"},
        {"x-zc-version", "2023-08-30"},
        {"X-ZC-Action", std::move(action)},
    };
    request.headers.emplace_back(
        "authorization",
        auth::SignZenlayerRequest(request, key.access_key_id, key.access_key_password));
    return request;
  }

  // A request in the SDKs' token mode: Authorization "Bearer <token>" and no
  // signature headers (x-zc-signature-method, x-zc-timestamp).
  common::HttpRequest WithToken(std::string_view token, std::string action, std::string body) {
    common::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v2/sdn";
    request.body = std::move(body);
    request.headers = {
        {"content-type", "application/json"},
        {"host", "127.0.0.1:18443"},
        {"x-zc-version", "2023-08-30"},
        {"x-zc-action", std::move(action)},
        {"authorization", common::StrCat("Bearer ", token)},
    };
    return request;
  }

  ZenlayerAnswer Call(const ZenlayerKey& key, std::string action, std::string body) {
    return Send(Signed(key, std::move(action), std::move(body)));
  }

  ZenlayerAnswer Send(const common::HttpRequest& request) {
    common::HttpResponse response = api_->Handle(request);
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

  void FinishJobs() { services_->RunJobsAfter(absl::Minutes(5)); }

  // Every row of every table, for before/after comparisons.
  std::string DumpEverything() { return DumpAllRows(*services_->store); }

  FakeClock& clock() { return services_->clock; }
  ServiceFixture& services() { return *services_; }

 private:
  std::unique_ptr<ServiceFixture> services_;
  std::unique_ptr<api::stages::RequestStages> stages_;
  std::unique_ptr<api::zenlayer::ZenlayerApi> api_;
};

}  // namespace connectplane::testing
