// The Zenlayer SDN dialect through its public entry point (ZenlayerApi::Handle),
// with requests signed the way the SDKs sign them, an in-memory store and a
// fake clock. No network. Table-driven: each action's happy path and errors.
#include "api/zenlayer/zenlayer_api.h"

#include "auth/zenlayer_signer.h"
#include "common/strings.h"
#include "jobs/job_runner.h"
#include "service/credential_service.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include "fakes/service_fixture.h"
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace connectplane::api::zenlayer {
namespace {

constexpr char kKey[] = "AK1";
constexpr char kPassword[] = "pw-account-1";
constexpr char kHost[] = "127.0.0.1:18443";

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "AK1", "access_key_password": "pw-account-1", "account_id": "acct-1"},
      {"access_key_id": "AK2", "access_key_password": "pw-account-2", "account_id": "acct-2"}
    ],
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "portType": "10G",
       "dataCenter": {"dcId": "SIN1", "dcName": "Singapore 1", "cityName": "Singapore"}},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "lax", "dcId": "LAX1"},
      {"account_id": "acct-2", "portId": "p-nyc", "portName": "nyc", "dcId": "NYC1"}
    ],
    "private_connects": [
      {"account_id": "acct-2", "privateConnectId": "900", "privateConnectStatus": "RECYCLED",
       "endpointA": {"portId": "p-lax", "vlanId": 7}, "endpointZ": {"portId": "p-nyc", "vlanId": 7}}
    ]
  }
})";

constexpr char kCreateBody[] = R"({"privateConnectName":"pc","bandwidthMbps":50,)"
                               R"("endpointA":{"portId":"p-sin","vlanId":10,"dcId":"SIN1"},)"
                               R"("endpointZ":{"portId":"p-hkg","vlanId":10}})";

struct Answer {
  int status = 0;
  boost::json::object body;
  std::string request_id_header;
};

struct SignOptions {
  std::string key = kKey;
  std::string password = kPassword;
  absl::Duration timestamp_offset = absl::ZeroDuration();
  bool with_action = true;
  std::string method = "POST";
  std::string path = "/api/v2/sdn";
  std::optional<std::string> authorization;  // replaces the computed header
};

class ZenlayerApiTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(service::ApplySeed(*store_, kSeed, clock_, nullptr).ok()); }

  common::HttpRequest Signed(std::string action, std::string body,
                             const SignOptions& options = {}) {
    common::HttpRequest request;
    request.method = options.method;
    request.target = options.path;
    request.body = std::move(body);
    request.headers = {
        {"content-type", "application/json"},
        {"host", kHost},
        {"x-zc-timestamp",
         common::StrCat(absl::ToUnixSeconds(clock_.Now() + options.timestamp_offset))},
        {"x-zc-signature-method", "ZC2-HMAC-SHA256"},
        {"x-zc-version", "2023-08-30"},
    };
    if (options.with_action) {
      request.headers.emplace_back("X-ZC-Action", std::move(action));
    }
    request.headers.emplace_back(
        "authorization", options.authorization.value_or(
                             auth::SignZenlayerRequest(request, options.key, options.password)));
    return request;
  }

  Answer Call(const common::HttpRequest& request) {
    common::HttpResponse response = api_->Handle(request);
    Answer answer;
    answer.status = response.status;
    boost::json::value parsed = boost::json::parse(response.body);
    EXPECT_TRUE(parsed.is_object()) << response.body;
    answer.body = parsed.as_object();
    answer.request_id_header = std::string(response.Header("X-Request-Id").value_or(""));
    // Every answer: X-Request-Id equals the body's requestId.
    EXPECT_EQ(answer.request_id_header, answer.body["requestId"].as_string().c_str());
    EXPECT_EQ(answer.request_id_header.rfind("T", 0), 0u);
    if (answer.status == 200) {
      EXPECT_EQ(answer.body["response"].at("requestId"), answer.body["requestId"]);
    } else {
      EXPECT_FALSE(answer.body.contains("response"));
      EXPECT_TRUE(answer.body["code"].is_string());
      EXPECT_TRUE(answer.body["message"].is_string());
    }
    return answer;
  }

  Answer Call(std::string action, std::string body, const SignOptions& options = {}) {
    return Call(Signed(std::move(action), std::move(body), options));
  }

  boost::json::object Response(std::string action, std::string body) {
    Answer answer = Call(std::move(action), std::move(body));
    EXPECT_EQ(answer.status, 200) << boost::json::serialize(answer.body);
    return answer.body["response"].as_object();
  }

  void FinishJobs() {
    clock_.Advance(absl::Seconds(5));
    ASSERT_TRUE(runner_->RunDueJobs().ok());
  }

  std::string StatusOf(const std::string& id) {
    boost::json::object response = Response(
        "DescribePrivateConnects", common::StrCat(R"({"privateConnectIds":[")", id, R"("]})"));
    if (response["totalCount"].as_int64() == 0) {
      return "<gone>";
    }
    return std::string(response["dataSet"].as_array()[0].at("privateConnectStatus").as_string());
  }

  std::string CreateRunning(int vlan = 10) {
    std::string body = kCreateBody;
    std::string vlan_text = common::StrCat("\"vlanId\":", vlan);
    for (size_t pos = body.find("\"vlanId\":10"); pos != std::string::npos;
         pos = body.find("\"vlanId\":10", pos + vlan_text.size())) {
      body.replace(pos, std::string_view("\"vlanId\":10").size(), vlan_text);
    }
    std::string id(Response("CreatePrivateConnect", body)["privateConnectId"].as_string());
    FinishJobs();
    EXPECT_EQ(StatusOf(id), "RUNNING");
    return id;
  }

  std::string CreateRecycled(int vlan = 10) {
    std::string id = CreateRunning(vlan);
    Response("DeletePrivateConnect", common::StrCat(R"({"privateConnectId":")", id, R"("})"));
    FinishJobs();
    EXPECT_EQ(StatusOf(id), "RECYCLED");
    return id;
  }

  testing::ServiceFixture services_{absl::Seconds(2)};
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  jobs::JobRunner* const runner_ = &services_.runner;
  stages::RequestStages stages_{services_.controls, services_.idempotency};
  std::unique_ptr<ZenlayerApi> api_ = std::make_unique<ZenlayerApi>(
      services_.connects, services_.ports, services_.sdn_catalog, services_.sdn_usage,
      services_.credentials, stages_, services_.clock);
};

TEST_F(ZenlayerApiTest, CreateDescribeRenderTheSdkShapes) {
  boost::json::object created = Response("CreatePrivateConnect", kCreateBody);
  ASSERT_TRUE(created["privateConnectId"].is_string());
  std::string id(created["privateConnectId"].as_string());
  EXPECT_EQ(StatusOf(id), "CREATING");
  FinishJobs();
  boost::json::object described = Response(
      "DescribePrivateConnects", common::StrCat(R"({"privateConnectIds":[")", id, R"("]})"));
  EXPECT_EQ(described["totalCount"].as_int64(), 1);
  const boost::json::object& connect = described["dataSet"].as_array()[0].as_object();
  EXPECT_EQ(connect.at("privateConnectId").as_string(), id.c_str());
  EXPECT_EQ(connect.at("privateConnectName").as_string(), "pc");
  EXPECT_EQ(connect.at("privateConnectStatus").as_string(), "RUNNING");
  EXPECT_EQ(connect.at("connectivityStatus").as_string(), "ACTIVE");
  EXPECT_EQ(connect.at("bandwidthMbps").as_int64(), 50);
  const boost::json::object& endpoint_a = connect.at("endpointA").as_object();
  EXPECT_EQ(endpoint_a.at("endpointId").as_string(), "p-sin");
  EXPECT_EQ(endpoint_a.at("endpointType").as_string(), "PORT");
  EXPECT_EQ(endpoint_a.at("vlanId").as_int64(), 10);  // a number, not a string
  EXPECT_EQ(endpoint_a.at("dataCenter").at("dcId").as_string(), "SIN1");
  EXPECT_EQ(endpoint_a.at("dataCenter").at("dcName").as_string(), "Singapore 1");
  EXPECT_TRUE(connect.at("createTime").is_string());
  EXPECT_FALSE(connect.contains("recycledTime"));
}

TEST_F(ZenlayerApiTest, DescribePortsListsOnlyTheCallersPorts) {
  boost::json::object ports = Response("DescribePorts", "{}");
  EXPECT_EQ(ports["totalCount"].as_int64(), 2);
  const boost::json::object& sin = ports["dataSet"].as_array()[1].as_object();
  EXPECT_EQ(sin.at("portId").as_string(), "p-sin");
  EXPECT_EQ(sin.at("dcId").as_string(), "SIN1");
  EXPECT_EQ(sin.at("cityName").as_string(), "Singapore");
  EXPECT_EQ(sin.at("portType").as_string(), "10G");
  EXPECT_EQ(Response("DescribePorts", R"({"dcId":"HKG1"})")["totalCount"].as_int64(), 1);
  EXPECT_EQ(Response("DescribePorts", R"({"portIds":["p-lax"]})")["totalCount"].as_int64(), 0);
  EXPECT_EQ(Response("DescribePorts", R"({"pageSize":1,"pageNum":2})")["dataSet"].as_array().size(),
            1u);
}

TEST_F(ZenlayerApiTest, LifecycleThroughEveryActionAndAlias) {
  std::string id = CreateRunning();
  const std::string id_body = common::StrCat(R"({"privateConnectId":")", id, R"("})");
  Response(
      "ModifyPrivateConnectsAttribute",
      common::StrCat(R"({"privateConnectIds":[")", id, R"("],"privateConnectName":"renamed"})"));
  Response("ModifyPrivateConnectBandwidth",
           common::StrCat(R"({"privateConnectId":")", id, R"(","bandwidthMbps":300})"));
  EXPECT_EQ(StatusOf(id), "UPDATING");
  FinishJobs();
  boost::json::object described =
      Response("DescribePrivateConnects", R"({"privateConnectName":"renamed"})");
  ASSERT_EQ(described["totalCount"].as_int64(), 1);
  EXPECT_EQ(described["dataSet"].as_array()[0].at("bandwidthMbps").as_int64(), 300);

  EXPECT_TRUE(Response("DeletePrivateConnect", id_body).contains("requestId"));
  EXPECT_EQ(StatusOf(id), "DELETING");
  FinishJobs();
  EXPECT_EQ(StatusOf(id), "RECYCLED");
  Response("RenewPrivateConnect", id_body);
  EXPECT_EQ(StatusOf(id), "RECOVERING");
  FinishJobs();
  EXPECT_EQ(StatusOf(id), "RUNNING");
  Response("DeletePrivateConnect", id_body);
  FinishJobs();
  Response("RenewPrivateConnect", id_body);
  FinishJobs();
  EXPECT_EQ(StatusOf(id), "RUNNING");
  Response("DeletePrivateConnect", id_body);
  FinishJobs();
  boost::json::object destroyed = Response("DestroyPrivateConnect", id_body);
  EXPECT_EQ(destroyed.size(), 1u);  // just requestId
  EXPECT_EQ(StatusOf(id), "DESTROYING");
  Answer again = Call("DestroyPrivateConnect", id_body);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["code"].as_string(), "INVALID_PRIVATE_CONNECT_STATUS");
  FinishJobs();
  EXPECT_EQ(StatusOf(id), "<gone>");
  Answer gone = Call("DestroyPrivateConnect", id_body);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["code"].as_string(), "INVALID_PRIVATE_CONNECT_NOT_FOUND");
}

struct ErrorCase {
  std::string name;
  std::string action;
  std::string body;
  int http_status;
  std::string code;
};

TEST_F(ZenlayerApiTest, ActionErrorsMapToZenlayerCodes) {
  std::string running = CreateRunning(20);
  std::string recycled = CreateRecycled(21);
  auto id_body = [](const std::string& id) {
    return common::StrCat(R"({"privateConnectId":")", id, R"("})");
  };
  const std::vector<ErrorCase> cases = {
      // Dispatch and body shape.
      {"unknown_action", "DescribeEverything", "{}", 400, "INVALID_ACTION"},
      {"action_case_matters", "describeprivateconnects", "{}", 400, "INVALID_ACTION"},
      {"malformed_json", "DescribePrivateConnects", "{\"pageSize\":", 400, "INVALID_PARAMETER"},
      {"body_not_object", "DescribePrivateConnects", "[1]", 400, "INVALID_PARAMETER"},
      {"unknown_field", "DescribePrivateConnects", R"({"pageSize":1,"bogus":1})", 400,
       "INVALID_PARAMETER"},
      {"wrong_type_page", "DescribePrivateConnects", R"({"pageSize":"10"})", 400,
       "INVALID_PARAMETER"},
      {"fractional_page", "DescribePrivateConnects", R"({"pageSize":1.5})", 400,
       "INVALID_PARAMETER"},
      {"ids_not_array", "DescribePrivateConnects", R"({"privateConnectIds":"x"})", 400,
       "INVALID_PARAMETER"},
      {"page_size_over_max", "DescribePrivateConnects", R"({"pageSize":1001})", 400,
       "INVALID_PARAMETER"},
      {"page_num_zero", "DescribePrivateConnects", R"({"pageNum":0})", 400, "INVALID_PARAMETER"},
      {"ports_wrong_type", "DescribePorts", R"({"portIds":[1]})", 400, "INVALID_PARAMETER"},
      // CreatePrivateConnect.
      {"create_missing_a", "CreatePrivateConnect", R"({"endpointZ":{"portId":"p-hkg","vlanId":1}})",
       400, "MISSING_PARAMETER"},
      {"create_missing_vlan", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin"},"endpointZ":{"portId":"p-hkg","vlanId":1}})", 400,
       "MISSING_PARAMETER"},
      {"create_vlan_string", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":"1"},"endpointZ":{"portId":"p-hkg","vlanId":1}})",
       400, "INVALID_PARAMETER"},
      {"create_vlan_range", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":4097},"endpointZ":{"portId":"p-hkg","vlanId":1}})",
       400, "INVALID_PARAMETER"},
      {"create_bandwidth", "CreatePrivateConnect",
       R"({"bandwidthMbps":501,"endpointA":{"portId":"p-sin","vlanId":1},"endpointZ":{"portId":"p-hkg","vlanId":1}})",
       400, "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"create_cloud_endpoint", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":1},"endpointZ":{"cloudType":"AWS","vlanId":1}})",
       400, "INVALID_ENDPOINT_PARAMETER"},
      {"create_same_port", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":1},"endpointZ":{"portId":"p-sin","vlanId":2}})",
       400, "INVALID_CONNECT_ENDPOINT_CONFLICT"},
      {"create_unknown_port", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":1},"endpointZ":{"portId":"p-zzz","vlanId":1}})",
       404, "INVALID_PORT_NOT_FOUND"},
      {"create_other_accounts_port", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":1},"endpointZ":{"portId":"p-lax","vlanId":1}})",
       404, "INVALID_PORT_NOT_FOUND"},
      {"create_vlan_in_use", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":20},"endpointZ":{"portId":"p-hkg","vlanId":99}})",
       400, "INVALID_VLAN_CONFLICT"},
      {"create_unknown_endpoint_field", "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":1,"speed":1},"endpointZ":{"portId":"p-hkg","vlanId":1}})",
       400, "INVALID_PARAMETER"},
      // Modify.
      {"rename_missing_name", "ModifyPrivateConnectsAttribute",
       common::StrCat(R"({"privateConnectIds":[")", running, R"("]})"), 400, "MISSING_PARAMETER"},
      {"rename_unknown", "ModifyPrivateConnectsAttribute",
       R"({"privateConnectIds":["nope"],"privateConnectName":"x"})", 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"rename_other_account", "ModifyPrivateConnectsAttribute",
       R"({"privateConnectIds":["900"],"privateConnectName":"x"})", 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"bandwidth_range", "ModifyPrivateConnectBandwidth",
       common::StrCat(R"({"privateConnectId":")", running, R"(","bandwidthMbps":0})"), 400,
       "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"bandwidth_recycled", "ModifyPrivateConnectBandwidth",
       common::StrCat(R"({"privateConnectId":")", recycled, R"(","bandwidthMbps":10})"), 409,
       "INVALID_PRIVATE_CONNECT_STATUS"},
      {"bandwidth_missing", "ModifyPrivateConnectBandwidth", id_body(running), 400,
       "MISSING_PARAMETER"},
      // Delete / Renew / Destroy.
      {"delete_missing_id", "DeletePrivateConnect", "{}", 400, "MISSING_PARAMETER"},
      {"delete_id_number", "DeletePrivateConnect", R"({"privateConnectId":5})", 400,
       "INVALID_PARAMETER"},
      // Already deleted: "not found", which Terraform's delete tolerates.
      {"delete_recycled", "DeletePrivateConnect", id_body(recycled), 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"renew_running", "RenewPrivateConnect", id_body(running), 409,
       "INVALID_PRIVATE_CONNECT_STATUS"},
      // Names of an early draft of this emulator are unknown actions.
      {"recover_is_unknown", "RecoverPrivateConnect", id_body(recycled), 400, "INVALID_ACTION"},
      {"terminate_is_unknown", "TerminatePrivateConnect", id_body(running), 400, "INVALID_ACTION"},
      {"destroy_running", "DestroyPrivateConnect", id_body(running), 409,
       "INVALID_PRIVATE_CONNECT_STATUS"},
      {"destroy_unknown", "DestroyPrivateConnect", id_body("nope"), 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"destroy_other_account", "DestroyPrivateConnect", id_body("900"), 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"delete_other_account", "DeletePrivateConnect", id_body("900"), 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
  };
  for (const ErrorCase& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    Answer answer = Call(test_case.action, test_case.body);
    EXPECT_EQ(answer.status, test_case.http_status) << boost::json::serialize(answer.body);
    EXPECT_EQ(answer.body["code"].as_string(), test_case.code.c_str());
  }
  // No error changed anything.
  EXPECT_EQ(StatusOf(running), "RUNNING");
  EXPECT_EQ(StatusOf(recycled), "RECYCLED");
  EXPECT_EQ(Response("DescribePrivateConnects", "{}")["totalCount"].as_int64(), 2);
}

TEST_F(ZenlayerApiTest, EmptyBodyIsAnEmptyParameterSet) {
  EXPECT_EQ(Response("DescribePorts", "")["totalCount"].as_int64(), 2);
}

TEST_F(ZenlayerApiTest, AuthenticationAndRoutingErrors) {
  struct Case {
    std::string name;
    SignOptions options;
    int http_status;
    std::string code;
  };
  auto with = [](auto mutate) {
    SignOptions options;
    mutate(options);
    return options;
  };
  const std::vector<Case> cases = {
      {"wrong_password", with([](SignOptions& o) { o.password = "pw-account-2"; }), 401,
       "AUTH_FAILED"},
      {"unknown_key", with([](SignOptions& o) { o.key = "AK9"; }), 401, "AUTH_FAILED"},
      {"no_authorization", with([](SignOptions& o) { o.authorization = ""; }), 401, "AUTH_FAILED"},
      {"bearer", with([](SignOptions& o) { o.authorization = "Bearer abc"; }), 401, "AUTH_FAILED"},
      {"expired", with([](SignOptions& o) { o.timestamp_offset = -absl::Minutes(6); }), 401,
       "SIGNATURE_EXPIRED"},
      {"future", with([](SignOptions& o) { o.timestamp_offset = absl::Minutes(6); }), 401,
       "SIGNATURE_EXPIRED"},
      {"missing_action", with([](SignOptions& o) { o.with_action = false; }), 400,
       "MISSING_ACTION"},
      {"other_service", with([](SignOptions& o) { o.path = "/api/v2/bmc"; }), 404,
       "INVALID_SERVICE"},
      {"get", with([](SignOptions& o) { o.method = "GET"; }), 405, "METHOD_NOT_ALLOWED"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    Answer answer = Call("DescribePorts", "{}", test_case.options);
    EXPECT_EQ(answer.status, test_case.http_status) << boost::json::serialize(answer.body);
    EXPECT_EQ(answer.body["code"].as_string(), test_case.code.c_str());
  }
  // Within the skew limit is fine.
  SignOptions skewed;
  skewed.timestamp_offset = -absl::Minutes(4);
  EXPECT_EQ(Call("DescribePorts", "{}", skewed).status, 200);
}

TEST_F(ZenlayerApiTest, ResponseSaysWhetherTheCallerAuthenticated) {
  SignOptions wrong_password;
  wrong_password.password = "pw-account-2";

  EXPECT_TRUE(api_->Handle(Signed("DescribePorts", "{}")).access.authenticated);
  // An authenticated caller's failing call still counts: the signature held.
  EXPECT_TRUE(api_->Handle(Signed("NoSuchAction", "{}")).access.authenticated);
  EXPECT_FALSE(api_->Handle(Signed("DescribePorts", "{}", wrong_password)).access.authenticated);
}

TEST_F(ZenlayerApiTest, TamperedBodyFailsAuthenticationAndChangesNothing) {
  common::HttpRequest request = Signed("CreatePrivateConnect", kCreateBody);
  request.body.replace(request.body.find("\"vlanId\":10"), 11, "\"vlanId\":11");
  Answer answer = Call(request);
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.body["code"].as_string(), "AUTH_FAILED");
  EXPECT_EQ(Response("DescribePrivateConnects", "{}")["totalCount"].as_int64(), 0);
}

TEST_F(ZenlayerApiTest, AccountsAreIsolated) {
  std::string mine = CreateRunning();
  SignOptions other;
  other.key = "AK2";
  other.password = "pw-account-2";
  Answer theirs = Call("DescribePrivateConnects", "{}", other);
  ASSERT_EQ(theirs.status, 200);
  const boost::json::object& response = theirs.body["response"].as_object();
  EXPECT_EQ(response.at("totalCount").as_int64(), 1);
  EXPECT_EQ(response.at("dataSet").as_array()[0].at("privateConnectId").as_string(), "900");
  Answer destroy = Call("DestroyPrivateConnect",
                        common::StrCat(R"({"privateConnectId":")", mine, R"("})"), other);
  EXPECT_EQ(destroy.status, 404);
  EXPECT_EQ(StatusOf(mine), "RUNNING");
}

TEST_F(ZenlayerApiTest, QuotesClientInputShortAndAsValidUtf8) {
  Answer long_action = Call(std::string(5000, 'A'), "{}");
  EXPECT_EQ(long_action.body["code"].as_string(), "INVALID_ACTION");
  EXPECT_LT(long_action.body["message"].as_string().size(), 200u);
  Answer bad_field = Call("DescribePorts", "{\"\\u00ff\\u00fe\": 1}");
  EXPECT_EQ(bad_field.body["code"].as_string(), "INVALID_PARAMETER");
  Answer long_id = Call("DestroyPrivateConnect", common::StrCat(R"({"privateConnectId":")",
                                                                std::string(5000, '9'), R"("})"));
  EXPECT_EQ(long_id.status, 404);
  EXPECT_LT(long_id.body["message"].as_string().size(), 200u);
}

TEST(ZenlayerApiRoutingTest, OwnsOnlyTheApiV2Prefix) {
  EXPECT_TRUE(ZenlayerApi::Owns("/api/v2/sdn"));
  EXPECT_TRUE(ZenlayerApi::Owns("/api/v2/bmc"));
  EXPECT_FALSE(ZenlayerApi::Owns("/v2/0123/instances"));
  EXPECT_FALSE(ZenlayerApi::Owns("/api/v20"));
}

}  // namespace
}  // namespace connectplane::api::zenlayer

namespace connectplane::api::zenlayer {
namespace {

TEST(ZenlayerActionsTest, EveryActionIsNamedOnceAndFoundByItsName) {
  std::set<std::string_view> names;
  for (const ZenlayerApi::Action& action : ZenlayerApi::Actions()) {
    EXPECT_TRUE(names.insert(action.name).second) << action.name;
    EXPECT_EQ(ZenlayerApi::FindAction(action.name), &action);
    EXPECT_NE(action.handler, nullptr);
    // The Describe actions and the price queries (Inquiry…, Query…) are reads.
    const bool read_only = action.name.starts_with("Describe") ||
                           action.name.starts_with("Inquiry") || action.name.starts_with("Query");
    EXPECT_EQ(action.mutating, !read_only) << action.name;
  }
  EXPECT_EQ(ZenlayerApi::FindAction("describeprivateconnects"), nullptr);  // case matters
  EXPECT_EQ(ZenlayerApi::FindAction(""), nullptr);
}

}  // namespace
}  // namespace connectplane::api::zenlayer
