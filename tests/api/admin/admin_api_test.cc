#include "api/admin/admin_api.h"

#include "admin_api_fixture.h"

#include "common/clock.h"
#include "common/status.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include "metrics/exposition_parser.h"
#include <memory>

namespace connectplane::api::admin {
namespace {

class AdminApiTest : public AdminApiFixture {};

TEST_F(AdminApiTest, LoopbackOnlyWithoutToken) {
  AdminApi api(*emulator_, {});
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health").status, 200);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health", "", "[::1]:4000").status, 200);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health", "", "10.0.0.5:4000").status, 403);
  EXPECT_EQ(Call(api, "POST", "/_connectplane/reset", "", "192.168.1.2:1").status, 403);
}

TEST_F(AdminApiTest, TokenRequiredWhenConfigured) {
  AdminApi api(*emulator_, TokenOptions("s3cret-token"));
  EXPECT_EQ(Call(api, "GET", "/_connectplane/state", "", "10.0.0.5:1").status, 401);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/state", "", "127.0.0.1:1", "Bearer wrong").status,
            401);
  EXPECT_EQ(
      Call(api, "GET", "/_connectplane/state", "", "10.0.0.5:1", "Bearer s3cret-token").status,
      200);
}

TEST_F(AdminApiTest, TimingFaultsResetAndStateRoundTrip) {
  AdminApi api(*emulator_, WithDialects());
  auto timing = Call(api, "PUT", "/_connectplane/timing",
                     R"({"job_type":"kafka.enable_connector","mode":"reads","reads":4})");
  ASSERT_EQ(timing.status, 200) << timing.body;
  EXPECT_EQ(timings_.GetTiming("kafka.enable_connector").reads, 4);
  EXPECT_EQ(Call(api, "PUT", "/_connectplane/timing", R"({"mode":"sometimes"})").status, 400);
  EXPECT_EQ(Call(api, "PUT", "/_connectplane/timing", R"({"mode":"seconds","seconds":1.5})").status,
            200);
  EXPECT_EQ(timings_.GetTiming("anything").delay, absl::Milliseconds(1500));

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

TEST_F(AdminApiTest, NotReadyWhileStoreWritesFail) {
  jobs::StoreHealth health;
  AdminApiOptions options;
  options.store_health = &health;
  AdminApi api(*emulator_, options);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/ready").status, 200);

  health.RecordFailure(jobs::kWriterJobRunner,
                       absl::UnavailableError("executing COMMIT: database or disk is full (rc=13)"),
                       absl::FromUnixSeconds(1795000000));
  common::HttpResponse ready = Call(api, "GET", "/_connectplane/ready");
  EXPECT_EQ(ready.status, 503);
  boost::json::object body = boost::json::parse(ready.body).as_object();
  EXPECT_EQ(body.at("ready"), false);
  EXPECT_EQ(body.at("pending_jobs"), 0);
  EXPECT_EQ(body.at("reason"),
            "store writes failing since 2026-11-18T11:06:40Z (1 failed): UNAVAILABLE: executing "
            "COMMIT: database or disk is full (rc=13)");
  // Liveness is not readiness: the process is up.
  EXPECT_EQ(Call(api, "GET", "/_connectplane/health").status, 200);

  health.RecordSuccess();
  EXPECT_EQ(Call(api, "GET", "/_connectplane/ready").status, 200);
}

}  // namespace
}  // namespace connectplane::api::admin

namespace connectplane::api::admin {
namespace {

// Admin documents are read with the shared JSON reader: unknown keys and
// wrong types are refused with the member's name, and nothing is applied.
TEST_F(AdminApiTest, DocumentsWithUnknownKeysOrWrongTypesAreRefused) {
  AdminApi api(*emulator_, {});
  struct Case {
    std::string method;
    std::string route;
    std::string body;
    std::string named;  // the member the error message names
  } cases[] = {
      {"POST", "faults", R"({"kind":"api","http_status":500,"bogus":1})", "'bogus'"},
      {"POST", "faults", R"({"kind":"job","job_type":"x","latency_ms":5})", "'latency_ms'"},
      {"POST", "faults", R"({"kind":"api","http_status":"500"})", "'http_status'"},
      {"PUT", "timing", R"({"mode":"instant","jobtype":"x"})", "'jobtype'"},
      {"PUT", "timing", R"({"mode":"seconds","seconds":"3"})", "'seconds'"},
      {"POST", "reset", R"({"tennant":"p1"})", "'tennant'"},
      {"POST", "reset", R"({"tenant":""})", "'tenant'"},
  };
  const std::string faults_before = Call(api, "GET", "/_connectplane/faults").body;
  const std::string timing_before = Call(api, "GET", "/_connectplane/timing").body;
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.body);
    common::HttpResponse response =
        Call(api, test_case.method, "/_connectplane/" + test_case.route, test_case.body);
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_NE(response.body.find(test_case.named), std::string::npos) << response.body;
  }
  EXPECT_EQ(Call(api, "GET", "/_connectplane/faults").body, faults_before);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/timing").body, timing_before);
  // Nothing was reset: the seeded instance kept its audit trail.
  EXPECT_NE(Call(api, "GET", "/_connectplane/audit").body.find("\"seed\""), std::string::npos);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/audit").body.find("\"reset\""), std::string::npos);
}

class AdminAuditAndConsoleTest : public AdminApiTest {
 protected:
  void AppendAudit(int count, std::string tenant, std::string resource) {
    ASSERT_TRUE(store_
                    ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                      for (int idx = 0; idx < count; ++idx) {
                        store::AuditEntry entry;
                        entry.at_ms = 1000 + idx;
                        entry.tenant = tenant;
                        entry.actor = "AK";
                        entry.resource_type = "kafka_instance";
                        entry.resource_id = resource;
                        entry.action = "CreateConnector";
                        entry.from_status = "RUNNING";
                        entry.to_status = "EXTENDING";
                        entry.job_id = "j";
                        entry.request_id = "r";
                        RETURN_IF_ERROR(txn.AppendAudit(entry));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }
};

TEST_F(AdminAuditAndConsoleTest, AuditPagesWithMarkerAndFilters) {
  AdminApi api(*emulator_, {});
  AppendAudit(5, "t1", "i1");
  AppendAudit(2, "t2", "i2");
  std::vector<std::string> seen;
  std::string target = "/_connectplane/audit?tenant=t1&limit=2";
  for (int round = 0; round < 5; ++round) {
    common::HttpResponse response = Call(api, "GET", target);
    ASSERT_EQ(response.status, 200) << response.body;
    boost::json::object body = boost::json::parse(response.body).as_object();
    for (const auto& entry : body.at("entries").as_array()) {
      EXPECT_EQ(entry.at("tenant").as_string(), "t1");
      EXPECT_EQ(entry.at("from_status").as_string(), "RUNNING");
      EXPECT_EQ(entry.at("to_status").as_string(), "EXTENDING");
      EXPECT_EQ(entry.at("actor").as_string(), "AK");
      seen.emplace_back(entry.at("id").as_string());
    }
    if (body.at("next_marker").is_null()) break;
    target = "/_connectplane/audit?tenant=t1&limit=2&marker=" +
             std::string(body.at("next_marker").as_string());
  }
  EXPECT_EQ(seen.size(), 5u);
  for (size_t idx = 1; idx < seen.size(); ++idx) EXPECT_GT(seen[idx - 1], seen[idx]);

  common::HttpResponse by_resource = Call(api, "GET", "/_connectplane/audit?resource_id=i2");
  EXPECT_EQ(boost::json::parse(by_resource.body).at("entries").as_array().size(), 2u);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/audit?limit=0").status, 400);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/audit?limit=abc").status, 400);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/audit?bogus=1").status, 400);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/audit", "", "10.0.0.5:1").status, 403);
}

TEST_F(AdminAuditAndConsoleTest, ConsoleAssetsAreEmbeddedAndServed) {
  AdminApi api(*emulator_, TokenOptions("token"));
  for (const char* target :
       {"/_connectplane/console/", "/_connectplane/console", "/_connectplane/console/index.html"}) {
    common::HttpResponse page = Call(api, "GET", target, "", "10.0.0.5:1");
    ASSERT_EQ(page.status, 200) << target;
    EXPECT_NE(std::string(*page.Header("Content-Type")).find("text/html"), std::string::npos);
    EXPECT_NE(page.body.find("/_connectplane/console/app.js"), std::string::npos);
    // Nothing from the network: no external scripts or styles.
    EXPECT_EQ(page.body.find("http://"), std::string::npos);
    EXPECT_EQ(page.body.find("https://"), std::string::npos);
  }
  common::HttpResponse script = Call(api, "GET", "/_connectplane/console/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_NE(std::string(*script.Header("Content-Type")).find("javascript"), std::string::npos);
  EXPECT_NE(script.body.find("audit?limit="), std::string::npos);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/console/style.css").status, 200);
  EXPECT_EQ(Call(api, "GET", "/_connectplane/console/missing.js").status, 404);
  EXPECT_EQ(Call(api, "POST", "/_connectplane/console/app.js").status, 404);
  // The data behind it still needs the token.
  EXPECT_EQ(Call(api, "GET", "/_connectplane/state", "", "10.0.0.5:1").status, 401);
}

TEST_F(AdminAuditAndConsoleTest, StateCarriesServerTimeForProgress) {
  AdminApi api(*emulator_, {});
  common::HttpResponse state = Call(api, "GET", "/_connectplane/state");
  ASSERT_EQ(state.status, 200);
  EXPECT_EQ(boost::json::parse(state.body).at("now_ms").as_int64(),
            common::ToUnixMillis(clock_.Now()));
  EXPECT_EQ(state.access.dialect, "admin");
  EXPECT_EQ(state.access.operation, "state");
}

TEST_F(AdminAuditAndConsoleTest, MetricsRenderValidExpositionWithJobGauges) {
  metrics::Registry registry;
  registry.AddCounter("test_total", "T.", {"a"}).WithLabels({"x"}).Increment();
  AdminApiOptions options;
  options.registry = &registry;
  AdminApi api(*emulator_, options);
  ASSERT_TRUE(store_
                  ->Write([](store::StoreTransaction& txn) -> absl::Status {
                    store::Job job;
                    job.job_id = "j1";
                    job.tenant_id = "p1";
                    job.resource_id = "i1";
                    job.job_type = "kafka.enable_connector";
                    job.name = "createConnector";
                    return txn.InsertJob(job);
                  })
                  .ok());
  common::HttpRequest request;
  request.method = "GET";
  request.target = "/metrics";
  request.remote_address = "127.0.0.1:1";
  request.headers.emplace_back("Host", "localhost:8080");
  common::HttpResponse response = api.HandleMetrics(request);
  ASSERT_EQ(response.status, 200);
  auto parsed = metrics::testing::ParseExposition(response.body);
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
  EXPECT_NE(response.body.find("test_total{a=\"x\"} 1\n"), std::string::npos);
  EXPECT_NE(response.body.find(
                "connectplane_jobs{type=\"kafka.enable_connector\",status=\"PENDING\"} 1\n"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("connectplane_job_queue_depth 1\n"), std::string::npos);
  request.remote_address = "10.9.9.9:1";
  EXPECT_EQ(api.HandleMetrics(request).status, 403);
}

// What a web page can make the browser send is refused on every route, the
// console's files included; a bearer token does not lift the Host check.
TEST_F(AdminAuditAndConsoleTest, ForeignHostsAreRefusedEverywhere) {
  AdminApi open_api(*emulator_, {});
  AdminApi token_api(*emulator_, TokenOptions("token"));
  for (const char* target : {"/_connectplane/state", "/_connectplane/health",
                             "/_connectplane/console/", "/_connectplane/console/app.js"}) {
    for (const char* host :
         {"evil.example:8080", "evil.example", "127.0.0.1.evil.example", "", "::1", "[::1"}) {
      SCOPED_TRACE(::testing::Message() << target << " Host " << host);
      common::HeaderList headers = {{"Host", host}};
      common::HttpResponse refused = Raw(open_api, "GET", target, headers);
      EXPECT_EQ(refused.status, 403) << refused.body;
      EXPECT_NE(refused.body.find("--admin-allowed-host"), std::string::npos) << refused.body;
      headers.emplace_back("Authorization", "Bearer token");
      EXPECT_EQ(Raw(token_api, "GET", target, headers).status, 403);
    }
    SCOPED_TRACE(target);
    EXPECT_EQ(Raw(open_api, "GET", target, {}).status, 403) << "no Host at all";
    for (const char* host :
         {"localhost", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080"}) {
      EXPECT_EQ(Raw(open_api, "GET", target, {{"Host", host}}).status, 200) << host;
    }
  }
  common::HttpRequest scrape;
  scrape.method = "GET";
  scrape.target = "/metrics";
  scrape.remote_address = "127.0.0.1:1";
  scrape.headers = {{"Host", "evil.example"}};
  EXPECT_EQ(open_api.HandleMetrics(scrape).status, 403);

  // An operator may name more hosts; the port does not matter.
  AdminApiOptions named;
  named.token = "token";
  named.allowed_hosts = {"cp.internal", "10.0.0.7:9999"};
  AdminApi named_api(*emulator_, named);
  const common::HeaderList bearer = {{"Authorization", "Bearer token"}};
  for (const char* host : {"cp.internal:8080", "CP.internal", "10.0.0.7:8080", "localhost"}) {
    common::HeaderList headers = bearer;
    headers.emplace_back("Host", host);
    EXPECT_EQ(Raw(named_api, "GET", "/_connectplane/state", headers).status, 200) << host;
  }
  common::HeaderList other = bearer;
  other.emplace_back("Host", "cp.internal.evil.example");
  EXPECT_EQ(Raw(named_api, "GET", "/_connectplane/state", other).status, 403);
}

TEST_F(AdminAuditAndConsoleTest, OnlyTheServersOwnOriginMayCall) {
  AdminApi api(*emulator_, WithDialects());
  auto reset_from = [&](std::string host, std::string origin) {
    common::HeaderList headers = {{"Host", host}, {"Content-Type", "application/json"}};
    if (!origin.empty()) headers.emplace_back("Origin", origin);
    return Raw(api, "POST", "/_connectplane/reset", headers, "{}").status;
  };
  EXPECT_EQ(reset_from("127.0.0.1:8080", ""), 200);
  EXPECT_EQ(reset_from("127.0.0.1:8080", "http://127.0.0.1:8080"), 200);
  EXPECT_EQ(reset_from("localhost", "http://localhost"), 200);
  EXPECT_EQ(reset_from("localhost:80", "http://localhost"), 200);
  EXPECT_EQ(reset_from("localhost", "https://LOCALHOST:443"), 200);
  for (const char* origin :
       {"http://evil.example", "http://127.0.0.1:9090", "http://localhost:8080", "null", "file://",
        "127.0.0.1:8080", "http://127.0.0.1:8080.evil.example"}) {
    EXPECT_EQ(reset_from("127.0.0.1:8080", origin), 403) << origin;
  }
  // Reads refuse a foreign Origin too (there is no cross-origin use of them).
  EXPECT_EQ(Raw(api, "GET", "/_connectplane/state",
                {{"Host", "127.0.0.1:8080"}, {"Origin", "http://evil.example"}})
                .status,
            403);
}

TEST_F(AdminAuditAndConsoleTest, CallsThatChangeStateMustDeclareJson) {
  AdminApi api(*emulator_, WithDialects());
  auto send = [&](std::string method, std::string route, std::string content_type,
                  std::string body) {
    common::HeaderList headers = {{"Host", "127.0.0.1:8080"}};
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return Raw(api, method, "/_connectplane/" + route, headers, body);
  };
  const std::string fault = R"({"kind":"job","count":1})";
  for (const char* content_type :
       {"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data", "application/jsonx", "application/json-patch+json"}) {
    SCOPED_TRACE(content_type);
    common::HttpResponse refused = send("POST", "faults", content_type, fault);
    EXPECT_EQ(refused.status, 415) << refused.body;
    EXPECT_EQ(send("POST", "reset", content_type, "").status, 415);
    EXPECT_EQ(send("PUT", "timing", content_type, R"({"mode":"instant"})").status, 415);
    EXPECT_EQ(send("DELETE", "faults", content_type, "{}").status, 415);
  }
  EXPECT_EQ(Call(api, "GET", "/_connectplane/faults").body.find("fault-"), std::string::npos);
  for (const char* content_type :
       {"application/json", "Application/JSON", "application/json; charset=utf-8",
        " application/json ;charset=utf-8"}) {
    EXPECT_EQ(send("POST", "faults", content_type, fault).status, 201) << content_type;
  }
  // A DELETE without a body declares nothing; reads never need to.
  EXPECT_EQ(send("DELETE", "faults", "", "").status, 200);
  EXPECT_EQ(send("GET", "faults", "", "").status, 200);
}

TEST_F(AdminAuditAndConsoleTest, ConsoleResponsesForbidFraming) {
  AdminApi api(*emulator_, {});
  for (const char* target : {"/_connectplane/console/", "/_connectplane/console/app.js",
                             "/_connectplane/console/missing.js"}) {
    common::HttpResponse response = Call(api, "GET", target);
    EXPECT_EQ(response.Header("X-Frame-Options").value_or(""), "DENY") << target;
    const std::string policy(response.Header("Content-Security-Policy").value_or(""));
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << target;
  }
}

TEST_F(AdminApiTest, FaultRulesNameTheDialectsOperations) {
  AdminApi api(*emulator_, WithDialects());
  struct Case {
    std::string rule;
    int status;
    std::string mentions;
  } cases[] = {
      {R"({"kind":"api","dialect":"dms","operation":"ShowInstance","http_status":500})", 201, ""},
      {R"({"kind":"api","dialect":"Zenlayer","operation":"describeports","http_status":500})", 201,
       ""},
      {R"({"kind":"api","operation":"DescribePorts","http_status":500})", 201, ""},
      {R"({"kind":"api","dialect":"dms","http_status":500})", 201, ""},
      {R"({"kind":"api","http_status":500})", 201, ""},
      {R"({"kind":"api","dialect":"zz","http_status":500})", 400,
       "unknown dialect 'zz' (known: dms, zenlayer, *)"},
      {R"({"kind":"api","dialect":"dms","operation":"DescribePorts","http_status":500})", 400,
       "unknown operation 'DescribePorts' for dialect 'dms' (known: dms: CreateConnector, "
       "ShowInstance; or *)"},
      {R"({"kind":"api","operation":"NoSuchOp","http_status":500})", 400,
       "(known: dms: CreateConnector, ShowInstance; zenlayer: DescribePorts; or *)"},
      {R"({"kind":"job","job_type":"kafka.enable_connector"})", 201, ""},
      {R"({"kind":"job","job_type":"*"})", 201, ""},
      {R"({"kind":"job","job_type":"no.such"})", 400, "unknown job type 'no.such' (known: kafka."},
  };
  for (const Case& test_case : cases) {
    common::HttpResponse response = Call(api, "POST", "/_connectplane/faults", test_case.rule);
    EXPECT_EQ(response.status, test_case.status) << test_case.rule << " -> " << response.body;
    EXPECT_NE(response.body.find(test_case.mentions), std::string::npos) << response.body;
  }
  EXPECT_EQ(controls_.Rules().api.size(), 5u);
  EXPECT_EQ(controls_.Rules().job.size(), 2u);
}

TEST(AdminApiListenTest, NonLoopbackListenNeedsAToken) {
  for (const char* host :
       {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(AdminApi::CheckListenHost(host, {}).ok()) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "::ffff:10.0.0.1"}) {
    absl::Status refused = AdminApi::CheckListenHost(host, {});
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << host;
    EXPECT_NE(refused.message().find("--admin-token"), absl::string_view::npos) << refused;
    EXPECT_TRUE(AdminApi::CheckListenHost(host, TokenOptions("token")).ok()) << host;
  }
}

}  // namespace
}  // namespace connectplane::api::admin
