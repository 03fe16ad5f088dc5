// One structured access-log line per request, with request id, dialect,
// operation, tenant, status, error code and duration; never a secret key, a
// signature or the Authorization header. Also: requests are counted in the
// request metrics, and GET /metrics is served behind the admin guard.
#include "auth/zenlayer_signer.h"
#include "common/http_message.h"
#include "common/logging.h"
#include "http/dispatcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/dispatcher_harness.h"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include "metrics/metrics.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace connectplane::http {
namespace {

using connectplane::testing::DmsHarness;
using connectplane::testing::kAk;
using connectplane::testing::kProject;
using connectplane::testing::kSk;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kZenlayerKey[] = "ZLKEYID00000001";
constexpr char kZenlayerPassword[] = "KnownZenlayerPassword123";
// Applied after the DMS seed, so that one dispatcher serves both dialects.
constexpr char kZenlayerSeed[] = R"({
  "zenlayer": {
    "credentials": [{"access_key_id": "ZLKEYID00000001", "access_key_password": "KnownZenlayerPassword123",
                     "account_id": "acct-9"}]
  }
})";

// The dispatcher as main wires it (fakes/dispatcher_harness.h).
class AccessLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    auto logger = std::make_shared<spdlog::logger>("access-log-test", sink);
    logger->set_level(spdlog::level::info);
    common::InstallLogger(logger, common::LogFormat::kJson);
    harness_.services.Seed(kZenlayerSeed);
  }
  void TearDown() override { common::InstallLogger(previous_, common::LogFormat::kText); }

  // Signed by tenant A (with `sk` as its secret), from a client address; the
  // Authorization value is kept so the logs can be searched for it.
  common::HttpRequest SignedDms(std::string method, std::string target, std::string body,
                                std::string_view sk = kSk) {
    common::HttpRequest request =
        harness_.Signed({kAk, sk, kProject}, std::move(method), std::move(target), std::move(body));
    request.remote_address = "127.0.0.1:40000";
    authorizations_.emplace_back(request.Header("Authorization").value_or(""));
    return request;
  }

  // Every log line, parsed; fails the test on a line that is not a JSON object.
  std::vector<boost::json::object> Lines() {
    std::vector<boost::json::object> lines;
    std::istringstream in(log_.str());
    std::string line;
    while (std::getline(in, line)) {
      boost::json::error_code error;
      boost::json::value parsed = boost::json::parse(line, error);
      EXPECT_FALSE(error) << line;
      if (!error && parsed.is_object()) lines.push_back(parsed.as_object());
    }
    return lines;
  }

  std::vector<boost::json::object> AccessLines() {
    std::vector<boost::json::object> access;
    for (auto& line : Lines()) {
      if (line.contains("event") && line.at("event").as_string() == "access") {
        access.push_back(line);
      }
    }
    return access;
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_;
  std::vector<std::string> authorizations_;
  testing::DispatcherHarness wired_;
  DmsHarness& harness_ = wired_.dms;
  Dispatcher& dispatcher_ = wired_.dispatcher;
};

TEST_F(AccessLogTest, OneJsonLinePerRequestWithIdentifiersOnly) {
  const std::string instance_path =
      std::string("/v2/") + kProject + "/instances/a1b2c3d4-0000-1111-2222-333344445555";
  common::HttpResponse shown = dispatcher_.Handle(SignedDms("GET", instance_path, ""));
  ASSERT_EQ(shown.status, 200) << shown.body;
  common::HttpResponse enabled =
      dispatcher_.Handle(SignedDms("POST", instance_path + "/connector", R"({"node_cnt":2})"));
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  common::HttpResponse refused = dispatcher_.Handle(
      SignedDms("GET", instance_path, "", "WrongSecretKey000000000000000000000000000"));
  ASSERT_EQ(refused.status, 401);

  common::HttpRequest zenlayer;
  zenlayer.method = "POST";
  zenlayer.target = "/api/v2/sdn";
  zenlayer.body = "{}";
  zenlayer.remote_address = "127.0.0.1:40001";
  zenlayer.headers = {
      {"Content-Type", "application/json"},
      {"Host", "127.0.0.1:18080"},
      {"X-ZC-Action", "DescribePorts"},
      {"X-ZC-Timestamp", std::to_string(absl::ToUnixSeconds(harness_.services.clock.Now()))}};
  std::string zenlayer_authorization =
      auth::SignZenlayerRequest(zenlayer, kZenlayerKey, kZenlayerPassword);
  zenlayer.headers.emplace_back("Authorization", zenlayer_authorization);
  common::HttpResponse described = dispatcher_.Handle(zenlayer);
  ASSERT_EQ(described.status, 200) << described.body;

  std::vector<boost::json::object> access = AccessLines();
  ASSERT_EQ(access.size(), 4u) << log_.str();
  for (const auto& line : access) {
    for (const char* field : {"ts", "level", "request_id", "dialect", "operation", "tenant",
                              "status", "error_code", "duration_ms", "remote"}) {
      EXPECT_TRUE(line.contains(field)) << field << " in " << boost::json::serialize(line);
    }
  }
  EXPECT_EQ(access[0].at("dialect").as_string(), "dms");
  EXPECT_EQ(access[0].at("operation").as_string(), "ShowInstance");
  EXPECT_EQ(access[0].at("tenant").as_string(), kProject);
  EXPECT_EQ(access[0].at("status").as_int64(), 200);
  EXPECT_EQ(access[0].at("request_id").as_string(), *shown.Header("X-Request-Id"));
  EXPECT_EQ(access[1].at("operation").as_string(), "CreateConnector");
  EXPECT_EQ(access[2].at("status").as_int64(), 401);
  EXPECT_EQ(access[2].at("error_code").as_string(), "APIGW.0301");
  EXPECT_EQ(access[3].at("dialect").as_string(), "zenlayer");
  EXPECT_EQ(access[3].at("operation").as_string(), "DescribePorts");
  EXPECT_EQ(access[3].at("tenant").as_string(), "acct-9");

  // No secret in any line: not the SK, the Zenlayer password, the signatures
  // or the Authorization header values.
  const std::string all = log_.str();
  EXPECT_THAT(all, Not(HasSubstr(kSk)));
  EXPECT_THAT(all, Not(HasSubstr(kZenlayerPassword)));
  EXPECT_THAT(all, Not(HasSubstr("Authorization")));
  EXPECT_THAT(all, Not(HasSubstr("SDK-HMAC-SHA256")));
  EXPECT_THAT(all, Not(HasSubstr("ZC2-HMAC-SHA256")));
  for (const std::string& authorization : authorizations_) {
    std::string signature = authorization.substr(authorization.rfind('=') + 1);
    ASSERT_GE(signature.size(), 32u);
    EXPECT_THAT(all, Not(HasSubstr(signature)));
  }
  std::string zenlayer_signature =
      zenlayer_authorization.substr(zenlayer_authorization.rfind('=') + 1);
  EXPECT_THAT(all, Not(HasSubstr(zenlayer_signature)));
}

TEST_F(AccessLogTest, TextFormatCarriesTheSameFields) {
  common::InstallLogger(spdlog::default_logger(), common::LogFormat::kText);
  dispatcher_.Handle(SignedDms("GET", std::string("/v2/") + kProject + "/instances", ""));
  EXPECT_THAT(log_.str(), HasSubstr("access request_id="));
  EXPECT_THAT(log_.str(),
              HasSubstr(" dialect=dms operation=ListInstances tenant=" + std::string(kProject)));
  EXPECT_THAT(log_.str(), HasSubstr(" status=200 "));
  EXPECT_THAT(log_.str(), Not(HasSubstr(kSk)));
}

TEST_F(AccessLogTest, RequestsAreCountedAndMetricsNeedTheAdminGuard) {
  auto count_of = [] {
    return metrics::HttpRequests().WithLabels({"dms", "ListInstances", "200"}).Value();
  };
  const uint64_t before = count_of();
  dispatcher_.Handle(SignedDms("GET", std::string("/v2/") + kProject + "/instances", ""));
  EXPECT_EQ(count_of(), before + 1);

  common::HttpRequest scrape;
  scrape.method = "GET";
  scrape.target = "/metrics";
  scrape.remote_address = "127.0.0.1:5000";
  scrape.headers.emplace_back("Host", "127.0.0.1:8080");
  common::HttpResponse metrics = dispatcher_.Handle(scrape);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(std::string(*metrics.Header("Content-Type")), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("connectplane_http_requests_total{dialect=\"dms\","
                                      "operation=\"ListInstances\",status=\"200\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("connectplane_http_request_duration_seconds_bucket{"
                                      "dialect=\"dms\",operation=\"ListInstances\",le=\"+Inf\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE connectplane_job_queue_depth gauge\n"
                                      "connectplane_job_queue_depth 0\n"));

  scrape.remote_address = "10.1.2.3:5000";
  EXPECT_EQ(dispatcher_.Handle(scrape).status, 403);
}

}  // namespace
}  // namespace connectplane::http
