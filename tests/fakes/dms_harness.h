// Test harness for the DMS dialect: the service fixture (in-memory store, fake
// clock, job runner, services), the shared request stages, and requests signed
// the way the Node SDK signs them (SDK-HMAC-SHA256 over content-type, host,
// x-project-id and x-sdk-date), sent through DmsApi::Handle. No network.
// Header-only so each test binary compiles it with its own flags.
#pragma once

#include "api/dms/dms_api.h"
#include "api/stages/request_stages.h"
#include "auth/huawei_signer.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/service_fixture.h"
#include "fakes/store_dump.h"
#include <string>
#include <string_view>

namespace connectplane::testing {

// A Huawei credential as the tests sign with it (seeded or made up), sent with
// `project_id` as X-Project-Id. Views, so that shared ones can be constexpr
// (fakes/dms_seed.h): what they view must outlive the call.
struct DmsCredential {
  std::string_view access_key;
  std::string_view secret_key;
  std::string_view project_id;
};

struct DmsAnswer {
  int status = 0;
  boost::json::value body;  // parsed; null for an empty (204) body
  std::string raw_body;
  std::string request_id;  // the X-Request-Id header
  std::string error_code;  // "" on success
  std::string error_msg;
};

class DmsHarness {
 public:
  // Seeds `seed_json` (its job durations too); other jobs take `job_duration`.
  explicit DmsHarness(std::string_view seed_json, absl::Duration job_duration = absl::Seconds(2))
      : services(job_duration) {
    services.Seed(seed_json);
  }

  // A request signed as the SDK signs it, `date_offset` away from the clock;
  // Authorization is its last header (tests that forge one replace it). A
  // target whose query cannot be canonicalized cannot be signed: it gets a
  // well-formed header with a made-up signature, as a client would send. Any
  // other signing failure fails the test.
  common::HttpRequest Signed(const DmsCredential& key, std::string method, std::string target,
                             std::string body = "", absl::Duration date_offset = {}) const {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers = {
        {"Content-Type", "application/json"},
        {"X-Project-Id", std::string(key.project_id)},
        {"X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", services.clock.Now() + date_offset,
                                        absl::UTCTimeZone())},
        {"host", "127.0.0.1:18080"},
    };
    auto authorization =
        auth::SignHuaweiRequest(request, key.access_key, key.secret_key,
                                {"content-type", "host", "x-project-id", "x-sdk-date"});
    if (!authorization.ok()) {
      EXPECT_FALSE(auth::HuaweiCanonicalQuery(request.RawQuery()).ok()) << authorization.status();
    }
    request.headers.emplace_back(
        "Authorization",
        authorization.ok()
            ? *authorization
            : common::StrCat("SDK-HMAC-SHA256 Access=", key.access_key,
                             ", SignedHeaders=host;x-sdk-date, Signature=", std::string(64, '0')));
    return request;
  }

  DmsAnswer Send(const common::HttpRequest& request) {
    common::HttpResponse response = api.Handle(request);
    DmsAnswer answer;
    answer.status = response.status;
    answer.raw_body = response.body;
    if (auto id = response.Header("X-Request-Id")) {
      answer.request_id = std::string(*id);
    }
    if (response.body.empty()) {
      return answer;  // 204
    }
    boost::json::error_code error;
    answer.body = boost::json::parse(response.body, error);
    EXPECT_FALSE(error) << response.body.substr(0, 300);
    if (answer.body.is_object()) {
      const boost::json::object& object = answer.body.as_object();
      if (const auto* code = object.if_contains("error_code"); code && code->is_string()) {
        answer.error_code = std::string(code->as_string());
      }
      if (const auto* message = object.if_contains("error_msg"); message && message->is_string()) {
        answer.error_msg = std::string(message->as_string());
      }
    }
    return answer;
  }

  DmsAnswer Call(const DmsCredential& key, std::string method, std::string target,
                 std::string body = "") {
    return Send(Signed(key, std::move(method), std::move(target), std::move(body)));
  }

  // Every row of every table, for before/after comparisons.
  std::string DumpEverything() { return DumpAllRows(*services.store); }

  ServiceFixture services;
  api::stages::RequestStages stages{services.controls, services.idempotency};
  api::dms::DmsApi api{services.kafka,  services.tasks,
                       services.credentials, stages,
                       services.clock,  {services.kafka_tags, services.kafka_configs,
                                         services.kafka_topics}};
};

}  // namespace connectplane::testing
