// The identity (Keystone v3) dialect end to end through IamApi::Handle: both
// Huawei signature forms, the catalog, project, domain and user lists, password
// and token logins, token validation, the shared request stages (fault
// injection), and DMS calls made with the issued X-Auth-Token. Bad input gets
// Keystone's error envelope and changes nothing.
#include "api/iam/iam_api.h"

#include "api/dms/dms_api.h"
#include "api/stages/request_stages.h"
#include "auth/huawei_scoped_signer.h"
#include "auth/huawei_signer.h"
#include "common/strings.h"
#include "service/iam_service.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/service_fixture.h"
#include "fakes/store_dump.h"
#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::iam {
namespace {

constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
constexpr char kSubProject[] = "11111111111111111111111111111111";
constexpr char kOtherProject[] = "fedcba9876543210fedcba9876543210";
constexpr char kAk[] = "HPUAEXAMPLEAK0000001";
constexpr char kSk[] = "ExampleSecretKey0000000000000000000000000";
constexpr char kOtherAk[] = "HPUAEXAMPLEAK0000002";
constexpr char kOtherSk[] = "OtherSecret";
constexpr char kUnseededAk[] = "HPUAEXAMPLEAK0000003";
constexpr char kPassword[] = "demo-password-1";

// Passwords are given as hashes with 1000 PBKDF2 iterations, to keep the tests fast.
constexpr char kSeed[] = R"({
  "huawei": {
    "credentials": [
      {"access_key": "HPUAEXAMPLEAK0000001", "secret_key": "ExampleSecretKey0000000000000000000000000",
       "project_id": "0123456789abcdef0123456789abcdef", "user_name": "demo", "user_id": "u1"},
      {"access_key": "HPUAEXAMPLEAK0000002", "secret_key": "OtherSecret",
       "project_id": "fedcba9876543210fedcba9876543210", "user_name": "other", "user_id": "u2"},
      {"access_key": "HPUAEXAMPLEAK0000003", "secret_key": "NoIdentity",
       "project_id": "99999999999999999999999999999999", "user_name": "x", "user_id": "u3"}
    ],
    "kafka_instances": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "demo-kafka"},
      {"project_id": "fedcba9876543210fedcba9876543210",
       "instance_id": "c3d4e5f6-0000-1111-2222-333344445555", "name": "tenant-b-private-name"}
    ],
    "iam": {
      "domains": [{"domain_id": "dom-demo", "name": "demo-domain"},
                  {"domain_id": "dom-other", "name": "other-domain"}],
      "projects": [
        {"project_id": "0123456789abcdef0123456789abcdef", "domain_id": "dom-demo", "region": "eu-de"},
        {"project_id": "11111111111111111111111111111111", "name": "eu-de_sub",
         "domain_id": "dom-demo", "region": "eu-de"},
        {"project_id": "fedcba9876543210fedcba9876543210", "domain_id": "dom-other", "region": "eu-nl"}
      ],
      "users": [
        {"user_id": "u1", "name": "demo", "domain_id": "dom-demo",
         "password_hash": "pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$9d57ed4f75d1a5e0e6242cfc7b6ae3d373f111bd71ae6ffeeb439481d6925486"},
        {"user_id": "u0", "name": "ops", "domain_id": "dom-demo",
         "password_hash": "pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$9d57ed4f75d1a5e0e6242cfc7b6ae3d373f111bd71ae6ffeeb439481d6925486"},
        {"user_id": "u2", "name": "other", "domain_id": "dom-other",
         "password_hash": "pbkdf2-sha256$1000$ffeeddccbbaa99887766554433221100$2ec054d36812a13977b576c766087f69bf6a4447e50f1114c55e5f758cbf006d"}
      ]
    }
  }
})";

struct Answer {
  int status = 0;
  boost::json::value body;
  std::string subject_token;
};

class IamApiTest : public ::testing::Test {
 protected:
  IamApiTest() { services.Seed(kSeed); }

  std::string SdkDate() const {
    return absl::FormatTime("%Y%m%dT%H%M%SZ", services.clock.Now(), absl::UTCTimeZone());
  }

  // As golangsdk signs (huaweicloud provider): no host; X-Project-Id after signing.
  common::HttpRequest GolangsdkSigned(std::string_view ak, std::string_view sk, std::string method,
                                      std::string target, std::string body = "") const {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers = {{"Accept", "application/json"},
                       {"User-Agent", "huaweicloud-terraform-provider golangsdk"},
                       {"X-Sdk-Date", SdkDate()},
                       {"Host", "127.0.0.1:18080"}};
    auto authorization =
        auth::SignHuaweiRequest(request, ak, sk, {"accept", "user-agent", "x-sdk-date"});
    EXPECT_TRUE(authorization.ok());
    request.headers.emplace_back("Authorization", *authorization);
    request.headers.emplace_back("X-Project-Id", kProject);
    return request;
  }

  // As gophertelekomcloud signs (opentelekomcloud provider): scoped, host signed.
  common::HttpRequest OtcSigned(std::string_view ak, std::string_view sk, std::string method,
                                std::string target) const {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.headers = {{"Accept", "application/json"},
                       {"Host", "127.0.0.1:18080"},
                       {"User-Agent", "terraform-provider-opentelekomcloud"},
                       {"X-Sdk-Date", SdkDate()}};
    auto authorization = auth::SignScopedHuaweiRequest(
        request, ak, sk, "", "", {"accept", "host", "user-agent", "x-sdk-date"});
    EXPECT_TRUE(authorization.ok());
    request.headers.emplace_back("Authorization", *authorization);
    return request;
  }

  static common::HttpRequest Plain(std::string method, std::string target, std::string body = "") {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers = {{"Host", "127.0.0.1:18080"}, {"Content-Type", "application/json"}};
    return request;
  }

  Answer Send(const common::HttpRequest& request) {
    common::HttpResponse response = api.Handle(request);
    Answer answer;
    answer.status = response.status;
    boost::json::error_code error;
    answer.body = boost::json::parse(response.body, error);
    EXPECT_FALSE(error) << response.body;
    if (auto token = response.Header("X-Subject-Token")) {
      answer.subject_token = std::string(*token);
    }
    return answer;
  }

  static std::string PasswordBody(std::string_view user, std::string_view domain,
                                  std::string_view password, std::string_view scope) {
    return common::StrCat(
        R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":")", user,
        R"(","password":")", password, R"(","domain":{"name":")", domain, R"("}}}},"scope":)",
        scope, "}}");
  }

  Answer Login(
      std::string_view scope = R"({"project":{"name":"eu-de","domain":{"name":"demo-domain"}}})") {
    return Send(
        Plain("POST", "/v3/auth/tokens", PasswordBody("demo", "demo-domain", kPassword, scope)));
  }

  // Asserts the Keystone error envelope and returns its code.
  static int64_t ErrorCode(const Answer& answer) {
    const boost::json::object* error =
        answer.body.is_object() ? answer.body.as_object().if_contains("error")->if_object()
                                : nullptr;
    EXPECT_NE(error, nullptr);
    if (error == nullptr) {
      return 0;
    }
    EXPECT_TRUE(error->at("message").is_string());
    EXPECT_TRUE(error->at("title").is_string());
    return error->at("code").as_int64();
  }

  testing::ServiceFixture services;
  service::IamService iam_service{*services.store, services.clock};
  stages::RequestStages stages{services.controls, services.idempotency};
  IamApi api{iam_service, services.credentials, stages, services.clock};
  dms::DmsApi dms{
      services.kafka,       services.tasks,
      services.credentials, stages,
      services.clock,       {services.kafka_tags, services.kafka_configs, services.kafka_topics}};
};

TEST_F(IamApiTest, CatalogCarriesDmsEndpointsWithTheProjectPrefixForBothSigners) {
  for (const common::HttpRequest& request : {GolangsdkSigned(kAk, kSk, "GET", "/v3/auth/catalog"),
                                             OtcSigned(kAk, kSk, "GET", "/v3/auth/catalog")}) {
    Answer answer = Send(request);
    ASSERT_EQ(answer.status, 200) << boost::json::serialize(answer.body);
    std::vector<std::string> types;
    for (const boost::json::value& entry : answer.body.at("catalog").as_array()) {
      const std::string type(entry.at("type").as_string());
      types.push_back(type);
      // One endpoint per interface (the OTC provider's endpoint_type), public first.
      std::vector<std::string> interfaces;
      for (const boost::json::value& endpoint : entry.at("endpoints").as_array()) {
        interfaces.emplace_back(endpoint.at("interface").as_string());
        EXPECT_EQ(endpoint.at("region").as_string(), "eu-de");
        if (type == "dmsv2" || type == "dms") {
          EXPECT_EQ(endpoint.at("url").as_string(),
                    common::StrCat("http://127.0.0.1:18080/v2/", kProject));
        }
        if (type == "dmsv1") {
          EXPECT_EQ(endpoint.at("url").as_string(),
                    common::StrCat("http://127.0.0.1:18080/v1.0/", kProject));
        }
      }
      EXPECT_EQ(interfaces, (std::vector<std::string>{"public", "internal", "admin"}));
    }
    EXPECT_EQ(types, (std::vector<std::string>{"identity", "dmsv2", "dms", "dmsv1"}));
  }
}

TEST_F(IamApiTest, ProjectsAreTheCallersDomainsFilteredByName) {
  Answer answer = Send(OtcSigned(kAk, kSk, "GET", "/v3/projects?name=eu-de"));
  ASSERT_EQ(answer.status, 200);
  const boost::json::array& projects = answer.body.at("projects").as_array();
  ASSERT_EQ(projects.size(), 1u);
  EXPECT_EQ(projects[0].at("id").as_string(), kProject);
  EXPECT_EQ(projects[0].at("name").as_string(), "eu-de");
  EXPECT_EQ(projects[0].at("domain_id").as_string(), "dom-demo");

  answer = Send(GolangsdkSigned(kAk, kSk, "GET", "/v3/projects"));
  EXPECT_EQ(answer.body.at("projects").as_array().size(), 2u);
  // The other domain's project name lists nothing.
  answer = Send(GolangsdkSigned(kAk, kSk, "GET", "/v3/projects?name=eu-nl"));
  EXPECT_EQ(answer.body.at("projects").as_array().size(), 0u);
  answer = Send(GolangsdkSigned(kAk, kSk, "GET", "/v3/projects?domain_id=dom-other"));
  EXPECT_EQ(answer.body.at("projects").as_array().size(), 0u);
}

TEST_F(IamApiTest, DomainsAreTheCallersOwn) {
  Answer answer = Send(GolangsdkSigned(kAk, kSk, "GET", "/v3/auth/domains"));
  ASSERT_EQ(answer.status, 200);
  const boost::json::array& domains = answer.body.at("domains").as_array();
  ASSERT_EQ(domains.size(), 1u);
  EXPECT_EQ(domains[0].at("id").as_string(), "dom-demo");
  EXPECT_EQ(domains[0].at("name").as_string(), "demo-domain");
  answer = Send(OtcSigned(kAk, kSk, "GET", "/v3/auth/domains?name=other-domain"));
  EXPECT_EQ(answer.body.at("domains").as_array().size(), 0u);
}

TEST_F(IamApiTest, UsersAreTheCallersDomainsFilteredByName) {
  // As the huaweicloud provider looks its user up (getUserIDbyName): by name,
  // with the domain-scoped token of its password login.
  Answer login = Login(R"({"domain":{"name":"demo-domain"}})");
  ASSERT_EQ(login.status, 201);
  common::HttpRequest by_token = Plain("GET", "/v3/users?name=demo");
  by_token.headers.emplace_back("X-Auth-Token", login.subject_token);
  common::HttpResponse raw = api.Handle(by_token);
  ASSERT_EQ(raw.status, 200) << raw.body;
  EXPECT_EQ(raw.body.find("pbkdf2"), std::string::npos);
  EXPECT_EQ(raw.body.find("password_hash"), std::string::npos);
  Answer answer = Send(by_token);
  const boost::json::array& users = answer.body.at("users").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].at("id").as_string(), "u1");
  EXPECT_EQ(users[0].at("name").as_string(), "demo");
  EXPECT_EQ(users[0].at("domain_id").as_string(), "dom-demo");
  EXPECT_TRUE(users[0].at("enabled").as_bool());
  EXPECT_TRUE(answer.body.at("links").at("next").is_null());

  // Signed, without a name: the domain's users by id; never another domain's.
  answer = Send(GolangsdkSigned(kAk, kSk, "GET", "/v3/users"));
  ASSERT_EQ(answer.status, 200);
  std::vector<std::string> ids;
  for (const boost::json::value& user : answer.body.at("users").as_array()) {
    ids.emplace_back(user.at("id").as_string());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"u0", "u1"}));
  EXPECT_TRUE(
      Send(OtcSigned(kAk, kSk, "GET", "/v3/users?name=other")).body.at("users").as_array().empty());
  EXPECT_TRUE(Send(OtcSigned(kAk, kSk, "GET", "/v3/users?domain_id=dom-other"))
                  .body.at("users")
                  .as_array()
                  .empty());
  answer = Send(OtcSigned(kOtherAk, kOtherSk, "GET", "/v3/users"));
  ASSERT_EQ(answer.body.at("users").as_array().size(), 1u);
  EXPECT_EQ(answer.body.at("users").as_array()[0].at("id").as_string(), "u2");

  common::HttpRequest malformed = Plain("GET", "/v3/users?name=%zz");
  malformed.headers.emplace_back("X-Auth-Token", login.subject_token);
  EXPECT_EQ(ErrorCode(Send(malformed)), 400);
  EXPECT_EQ(ErrorCode(Send(Plain("GET", "/v3/users?name=demo"))), 401);
}

TEST_F(IamApiTest, TokenValidationEchoesTheSubjectTokenWithItsBody) {
  // The OTC provider's token auth (gophertelekomcloud v3auth): GET with the
  // token as both X-Auth-Token and X-Subject-Token.
  Answer login = Login();
  ASSERT_EQ(login.status, 201);
  common::HttpRequest validate = Plain("GET", "/v3/auth/tokens");
  validate.headers.emplace_back("X-Auth-Token", login.subject_token);
  validate.headers.emplace_back("X-Subject-Token", login.subject_token);
  Answer answer = Send(validate);
  ASSERT_EQ(answer.status, 200) << boost::json::serialize(answer.body);
  EXPECT_EQ(answer.subject_token, login.subject_token);
  const boost::json::object& token = answer.body.at("token").as_object();
  EXPECT_EQ(token.at("expires_at"), login.body.at("token").at("expires_at"));
  EXPECT_EQ(token.at("issued_at"), login.body.at("token").at("issued_at"));
  EXPECT_EQ(token.at("project").at("id").as_string(), kProject);
  EXPECT_EQ(token.at("user").at("id").as_string(), "u1");
  EXPECT_EQ(token.at("user").at("domain").at("id").as_string(), "dom-demo");
  EXPECT_EQ(token.at("catalog"), login.body.at("token").at("catalog"));

  // A signed caller of the same domain may validate it too.
  common::HttpRequest signed_validate = GolangsdkSigned(kAk, kSk, "GET", "/v3/auth/tokens");
  signed_validate.headers.emplace_back("X-Subject-Token", login.subject_token);
  EXPECT_EQ(Send(signed_validate).status, 200);

  // Another domain's caller sees it as unknown; so is a made-up token.
  common::HttpRequest foreign = OtcSigned(kOtherAk, kOtherSk, "GET", "/v3/auth/tokens");
  foreign.headers.emplace_back("X-Subject-Token", login.subject_token);
  answer = Send(foreign);
  EXPECT_EQ(ErrorCode(answer), 404);
  EXPECT_TRUE(answer.subject_token.empty());
  common::HttpRequest unknown = Plain("GET", "/v3/auth/tokens");
  unknown.headers.emplace_back("X-Auth-Token", login.subject_token);
  unknown.headers.emplace_back("X-Subject-Token", "not-a-token");
  EXPECT_EQ(ErrorCode(Send(unknown)), 404);
  // No subject, or a subject without an authenticated caller.
  common::HttpRequest no_subject = Plain("GET", "/v3/auth/tokens");
  no_subject.headers.emplace_back("X-Auth-Token", login.subject_token);
  EXPECT_EQ(ErrorCode(Send(no_subject)), 400);
  common::HttpRequest anonymous = Plain("GET", "/v3/auth/tokens");
  anonymous.headers.emplace_back("X-Subject-Token", login.subject_token);
  EXPECT_EQ(ErrorCode(Send(anonymous)), 401);

  // Expired: the signed caller is told it is not found.
  services.clock.Advance(absl::Hours(24));
  common::HttpRequest late = OtcSigned(kAk, kSk, "GET", "/v3/auth/tokens");
  late.headers.emplace_back("X-Subject-Token", login.subject_token);
  EXPECT_EQ(ErrorCode(Send(late)), 404);
}

TEST_F(IamApiTest, IdentityRoutesGoThroughTheFaultStage) {
  std::vector<std::string> operations = IamApi::OperationNames();
  EXPECT_EQ(operations.size(), IamApi::Routes().size());
  for (const char* name : {"KeystoneShowCatalog", "KeystoneListUsers", "KeystoneValidateToken",
                           "KeystoneCreateUserTokenByPassword"}) {
    EXPECT_NE(std::find(operations.begin(), operations.end(), name), operations.end()) << name;
  }

  service::ApiFaultRule rule;
  rule.dialect = "iam";
  rule.operation = "KeystoneShowCatalog";
  rule.count = 1;
  rule.http_status = 503;
  rule.error_code = "IAM.0001";
  rule.error_message = "Injected outage";
  ASSERT_TRUE(services.controls.AddApiFault(rule).ok());
  common::HttpResponse faulted = api.Handle(OtcSigned(kAk, kSk, "GET", "/v3/auth/catalog"));
  EXPECT_EQ(faulted.status, 503);
  EXPECT_EQ(faulted.access.error_code, "IAM.0001");
  EXPECT_EQ(faulted.access.dialect, "iam");
  EXPECT_EQ(faulted.access.operation, "KeystoneShowCatalog");
  boost::json::value body = boost::json::parse(faulted.body);
  EXPECT_EQ(body.at("error").at("code").as_int64(), 503);
  EXPECT_EQ(body.at("error").at("message").as_string(), "Injected outage");
  EXPECT_EQ(body.at("error").at("title").as_string(), "Service Unavailable");
  // count 1: the next call is answered.
  EXPECT_EQ(api.Handle(OtcSigned(kAk, kSk, "GET", "/v3/auth/catalog")).status, 200);

  // A faulted login issues no token and writes nothing.
  rule.operation = "KeystoneCreateUserTokenByPassword";
  rule.http_status = 500;
  ASSERT_TRUE(services.controls.AddApiFault(rule).ok());
  const std::string before = testing::DumpAllRows(*services.store);
  Answer refused = Login();
  EXPECT_EQ(ErrorCode(refused), 500);
  EXPECT_TRUE(refused.subject_token.empty());
  EXPECT_EQ(testing::DumpAllRows(*services.store), before);

  // Latency: handed to the transport, never slept here.
  service::ApiFaultRule slow;
  slow.dialect = "iam";
  slow.operation = "KeystoneListUsers";
  slow.count = 1;
  slow.latency = absl::Milliseconds(1500);
  ASSERT_TRUE(services.controls.AddApiFault(slow).ok());
  common::HttpResponse delayed = api.Handle(OtcSigned(kAk, kSk, "GET", "/v3/users"));
  EXPECT_EQ(delayed.status, 200);
  EXPECT_EQ(delayed.send_delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(api.Handle(OtcSigned(kAk, kSk, "GET", "/v3/users")).send_delay,
            std::chrono::milliseconds(0));

  // A DMS rule leaves identity calls alone.
  rule.dialect = "dms";
  rule.operation = "*";
  ASSERT_TRUE(services.controls.AddApiFault(rule).ok());
  EXPECT_EQ(api.Handle(OtcSigned(kAk, kSk, "GET", "/v3/auth/domains")).status, 200);
}

TEST_F(IamApiTest, UnsignedWrongSecretAndUnseededIdentityAre401) {
  EXPECT_EQ(ErrorCode(Send(Plain("GET", "/v3/auth/catalog"))), 401);
  EXPECT_EQ(ErrorCode(Send(OtcSigned(kAk, "wrong", "GET", "/v3/auth/catalog"))), 401);
  EXPECT_EQ(ErrorCode(Send(GolangsdkSigned(kUnseededAk, "NoIdentity", "GET", "/v3/auth/catalog"))),
            401);
  common::HttpRequest bogus_token = Plain("GET", "/v3/auth/catalog");
  bogus_token.headers.emplace_back("X-Auth-Token", "not-a-token");
  EXPECT_EQ(ErrorCode(Send(bogus_token)), 401);
  EXPECT_EQ(ErrorCode(Send(Plain("GET", "/v3/nothing-here"))), 404);
}

TEST_F(IamApiTest, PasswordLoginIssuesAProjectTokenThatDmsAccepts) {
  Answer answer = Login();
  ASSERT_EQ(answer.status, 201) << boost::json::serialize(answer.body);
  ASSERT_FALSE(answer.subject_token.empty());
  const boost::json::object& token = answer.body.at("token").as_object();
  EXPECT_EQ(token.at("project").at("id").as_string(), kProject);
  EXPECT_EQ(token.at("project").at("domain").at("name").as_string(), "demo-domain");
  EXPECT_EQ(token.at("user").at("name").as_string(), "demo");
  // 24 hours after the fake clock's start (unix 1795000000).
  EXPECT_EQ(token.at("expires_at").as_string(), "2026-11-19T11:06:40.000000Z");
  EXPECT_FALSE(token.at("catalog").as_array().empty());

  // The token works for its project's DMS calls, with no signature.
  common::HttpRequest list = Plain("GET", common::StrCat("/v2/", kProject, "/instances"));
  list.headers.emplace_back("X-Auth-Token", answer.subject_token);
  common::HttpResponse listed = dms.Handle(list);
  EXPECT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("demo-kafka"), std::string::npos);

  // Not for another project's.
  common::HttpRequest other = Plain("GET", common::StrCat("/v2/", kOtherProject, "/instances"));
  other.headers.emplace_back("X-Auth-Token", answer.subject_token);
  EXPECT_EQ(dms.Handle(other).status, 403);

  // And it serves the identity calls too.
  common::HttpRequest catalog = Plain("GET", "/v3/auth/catalog");
  catalog.headers.emplace_back("X-Auth-Token", answer.subject_token);
  EXPECT_EQ(Send(catalog).status, 200);
}

TEST_F(IamApiTest, TokensExpireAfter24Hours) {
  Answer answer = Login();
  ASSERT_EQ(answer.status, 201);
  services.clock.Advance(absl::Hours(24));
  common::HttpRequest list = Plain("GET", common::StrCat("/v2/", kProject, "/instances"));
  list.headers.emplace_back("X-Auth-Token", answer.subject_token);
  EXPECT_EQ(dms.Handle(list).status, 401);
}

TEST_F(IamApiTest, TokenMethodRescopesWithinTheDomain) {
  Answer first = Login(R"({"project":{"id":"0123456789abcdef0123456789abcdef"}})");
  ASSERT_EQ(first.status, 201);
  Answer second =
      Send(Plain("POST", "/v3/auth/tokens",
                 common::StrCat(R"({"auth":{"identity":{"methods":["token"],"token":{"id":")",
                                first.subject_token, R"("}},"scope":{"project":{"id":")",
                                kSubProject, R"("}}}})")));
  ASSERT_EQ(second.status, 201) << boost::json::serialize(second.body);
  EXPECT_NE(second.subject_token, first.subject_token);
  EXPECT_EQ(second.body.at("token").at("project").at("name").as_string(), "eu-de_sub");
  EXPECT_EQ(second.body.at("token").at("methods").as_array()[0].as_string(), "token");
  // Domain scope: no project, no DMS endpoints.
  Answer domain = Login(R"({"domain":{"name":"demo-domain"}})");
  ASSERT_EQ(domain.status, 201);
  EXPECT_EQ(domain.body.at("token").at("domain").at("id").as_string(), "dom-demo");
  EXPECT_EQ(domain.body.at("token").at("catalog").as_array().size(), 1u);
}

TEST_F(IamApiTest, BadTokenRequestsGetTheKeystoneErrorAndChangeNothing) {
  const std::string before = testing::DumpAllRows(*services.store);
  const struct {
    std::string body;
    int64_t code;
  } cases[] = {
      {"not json", 400},
      {"[]", 400},
      {R"({"auth":1})", 400},
      {R"({"auth":{"identity":{"methods":"password"}}})", 400},
      {R"({"auth":{"identity":{"methods":["totp"]}}})", 400},
      {R"({"auth":{"identity":{"methods":["password"]}}})", 400},
      {R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":7,"password":"x","domain":{"name":"d"}}}}}})",
       400},
      {R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"demo","password":"x","domain":{}}}}}})",
       400},
      {R"({"auth":{"identity":{"methods":["password"]},"extra":1}})", 400},
      {PasswordBody("demo", "demo-domain", "wrong-password", R"({"project":{"name":"eu-de"}})"),
       401},
      {PasswordBody("nobody", "demo-domain", kPassword, R"({"project":{"name":"eu-de"}})"), 401},
      {PasswordBody("demo", "no-such-domain", kPassword, R"({"project":{"name":"eu-de"}})"), 401},
      {PasswordBody("demo", "demo-domain", kPassword, R"({"project":{"id":"nope"}})"), 401},
      // Another tenant's project answers like an unknown one.
      {PasswordBody("demo", "demo-domain", kPassword,
                    R"({"project":{"id":"fedcba9876543210fedcba9876543210"}})"),
       401},
      {PasswordBody("demo", "demo-domain", kPassword, R"({"domain":{"name":"other-domain"}})"),
       401},
      {PasswordBody("demo", "demo-domain", kPassword,
                    R"({"project":{"name":"eu-de"},"domain":{"name":"demo-domain"}})"),
       400},
      {R"({"auth":{"identity":{"methods":["token"],"token":{"id":"unknown"}}}})", 401},
  };
  for (const auto& bad : cases) {
    Answer answer = Send(Plain("POST", "/v3/auth/tokens", bad.body));
    EXPECT_EQ(answer.status, bad.code) << bad.body;
    EXPECT_EQ(ErrorCode(answer), bad.code) << bad.body;
    EXPECT_TRUE(answer.subject_token.empty());
  }
  EXPECT_EQ(testing::DumpAllRows(*services.store), before);
}

TEST_F(IamApiTest, CatalogUrlsUseTheConfiguredBaseUrlOrRefuseAStrangeHost) {
  IamApi configured{iam_service,
                    services.credentials,
                    stages,
                    services.clock,
                    {.public_base_url = "https://kafka.example.test:8443"}};
  common::HttpResponse response = configured.Handle(OtcSigned(kAk, kSk, "GET", "/v3/auth/catalog"));
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("https://kafka.example.test:8443/v2/"), std::string::npos);

  // Behind TLS, URLs derived from the Host header are https too.
  IamApi over_tls{
      iam_service, services.credentials, stages, services.clock, {.host_url_scheme = "https"}};
  response = over_tls.Handle(OtcSigned(kAk, kSk, "GET", "/v3/auth/catalog"));
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("https://127.0.0.1:18080/v2/"), std::string::npos) << response.body;
  EXPECT_EQ(response.body.find("http://127.0.0.1:18080"), std::string::npos);

  common::HttpRequest strange =
      Plain("POST", "/v3/auth/tokens", PasswordBody("demo", "demo-domain", kPassword, "{}"));
  strange.headers[0].second = "evil.test/path?x=";
  EXPECT_EQ(ErrorCode(Send(strange)), 400);
}

}  // namespace
}  // namespace connectplane::api::iam
