// API versions (X-ZC-Version 2023-08-30 and 2026-04-01), bearer tokens, the
// Go SDK's informational headers, and a re-run delete, through
// ZenlayerApi::Handle.
#include "api/zenlayer/zenlayer_versions.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "fakes/zenlayer_harness.h"
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace connectplane::api::zenlayer {
namespace {

using connectplane::testing::ZenlayerAnswer;
using connectplane::testing::ZenlayerHarness;
using connectplane::testing::ZenlayerKey;

const ZenlayerKey kKey{"AK1", "pw-account-1"};
constexpr std::string_view kToken = "tok-account-1-0000000000000000";

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "AK1", "access_key_password": "pw-account-1", "account_id": "acct-1"},
      {"access_key_id": "AK2", "access_key_password": "pw-account-2", "account_id": "acct-2"}
    ],
    "tokens": [{"token": "tok-account-1-0000000000000000", "account_id": "acct-1"}],
    "datacenters": [{"dcId": "SIN1", "dcName": "AP-Singapore1", "cityName": "Singapore",
                     "countryName": "Singapore", "areaName": "Asia Pacific"}],
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dcId": "SIN1",
       "tags": [{"key": "env", "value": "prod"}]},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "lax", "dcId": "LAX1"}
    ]
  }
})";

std::string CreateBody(int vlan, std::string_view extra = "") {
  std::string body = common::StrCat(R"({"endpointA":{"portId":"p-sin","vlanId":)", vlan,
                                    R"(},"endpointZ":{"portId":"p-hkg","vlanId":)", vlan, "}");
  if (!extra.empty()) {
    body += ",";
    body += extra;
  }
  return body + "}";
}

// `version` nullopt: no X-ZC-Version header at all.
void SetVersion(common::HttpRequest& request, std::optional<std::string> version) {
  std::erase_if(request.headers, [](const auto& header) {
    return absl::EqualsIgnoreCase(header.first, "x-zc-version");
  });
  if (version) {
    request.headers.emplace_back("x-zc-version", *version);
  }
}

class ZenlayerVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(kSeed); }

  ZenlayerAnswer CallAs(std::optional<std::string> version, std::string action, std::string body) {
    common::HttpRequest request = harness_.Signed(kKey, std::move(action), std::move(body));
    SetVersion(request, std::move(version));
    return harness_.Send(request);
  }
  boost::json::object Ok(std::optional<std::string> version, std::string action, std::string body) {
    ZenlayerAnswer answer = CallAs(std::move(version), std::move(action), std::move(body));
    EXPECT_EQ(answer.status, 200) << answer.body;
    const auto* response = answer.json.if_contains("response");
    return response != nullptr && response->is_object() ? response->as_object()
                                                        : boost::json::object();
  }

  ZenlayerHarness harness_;
};

constexpr char k2023[] = "2023-08-30";
constexpr char k2026[] = "2026-04-01";

TEST_F(ZenlayerVersionsTest, Version20260401StoresAndReturnsTagsOrderNumberAndSource) {
  boost::json::object created = Ok(
      k2026, "CreatePrivateConnect",
      CreateBody(11, R"("tags":{"tags":[{"key":"env","value":"prod"},{"key":"team","value":""}]},)"
                     R"("marketingOptions":{"discountCode":"D1","usePocVoucher":true})"));
  const std::string id(created.at("privateConnectId").as_string());
  EXPECT_EQ(created.at("orderNumber").as_string(), common::StrCat("ORD", id).c_str());

  boost::json::object described =
      Ok(k2026, "DescribePrivateConnects", R"({"tagKeys":["env"],"tags":[{"key":"team"}]})");
  ASSERT_EQ(described.at("totalCount").as_int64(), 1);
  const boost::json::object& connect = described.at("dataSet").as_array()[0].as_object();
  EXPECT_EQ(connect.at("privateConnectId").as_string(), id.c_str());
  EXPECT_EQ(connect.at("source").as_string(), "API");
  EXPECT_EQ(boost::json::serialize(connect.at("tags")),
            R"({"tags":[{"key":"env","value":"prod"},{"key":"team","value":""}]})");

  // 2023-08-30 answers have neither tags nor source, and Create no orderNumber.
  boost::json::object old = Ok(k2023, "DescribePrivateConnects", "{}");
  const boost::json::object& old_connect = old.at("dataSet").as_array()[0].as_object();
  EXPECT_FALSE(old_connect.contains("tags"));
  EXPECT_FALSE(old_connect.contains("source"));
  EXPECT_FALSE(Ok(k2023, "CreatePrivateConnect", CreateBody(12)).contains("orderNumber"));

  EXPECT_EQ(Ok(k2026, "DescribePrivateConnects", R"({"tags":[{"key":"env","value":"dev"}]})")
                .at("totalCount")
                .as_int64(),
            0);
  EXPECT_EQ(Ok(k2026, "DescribePrivateConnects", R"({"resourceGroupId":"default"})")
                .at("totalCount")
                .as_int64(),
            2);
  EXPECT_EQ(Ok(k2023, "DescribePrivateConnects", R"({"resourceGroupId":"elsewhere"})")
                .at("totalCount")
                .as_int64(),
            0);
}

TEST_F(ZenlayerVersionsTest, DescribePortsFiltersByTagsIn20260401) {
  boost::json::object tagged =
      Ok(k2026, "DescribePorts", R"({"tags":[{"key":"env","value":"prod"}]})");
  ASSERT_EQ(tagged.at("totalCount").as_int64(), 1);
  const boost::json::object& port = tagged.at("dataSet").as_array()[0].as_object();
  EXPECT_EQ(port.at("portId").as_string(), "p-sin");
  EXPECT_EQ(boost::json::serialize(port.at("tags")), R"({"tags":[{"key":"env","value":"prod"}]})");
  EXPECT_EQ(Ok(k2026, "DescribePorts", R"({"tagKeys":["nope"]})").at("totalCount").as_int64(), 0);
  EXPECT_EQ(
      Ok(k2026, "DescribePorts", R"({"resourceGroupId":"default"})").at("totalCount").as_int64(),
      2);
  boost::json::object old = Ok(k2023, "DescribePorts", "{}");
  EXPECT_FALSE(old.at("dataSet").as_array()[0].as_object().contains("tags"));
}

// PY-SDN26 / JAVA-SDN26: PortInfo has isCreateBusinessAllowed, the endpoint
// sharedChannelId; neither exists in 2023-08-30.
TEST_F(ZenlayerVersionsTest, Version20260401AddsIsCreateBusinessAllowedAndSharedChannelId) {
  const boost::json::object running = Ok(k2026, "DescribePorts", R"({"portIds":["p-sin"]})")
                                          .at("dataSet")
                                          .as_array()[0]
                                          .as_object();
  EXPECT_TRUE(running.at("isCreateBusinessAllowed").as_bool());
  EXPECT_FALSE(Ok(k2023, "DescribePorts", R"({"portIds":["p-sin"]})")
                   .at("dataSet")
                   .as_array()[0]
                   .as_object()
                   .contains("isCreateBusinessAllowed"));
  Ok(k2026, "TerminatePort", R"({"portId":"p-hkg"})");  // DELETING: no new connects
  EXPECT_FALSE(Ok(k2026, "DescribePorts", R"({"portIds":["p-hkg"]})")
                   .at("dataSet")
                   .as_array()[0]
                   .at("isCreateBusinessAllowed")
                   .as_bool());
  harness_.FinishJobs();
  EXPECT_TRUE(Ok(k2026, "DescribePrivateConnectAvailablePorts", R"({"portIds":["p-sin"]})")
                  .at("dataSet")
                  .as_array()[0]
                  .at("isCreateBusinessAllowed")
                  .as_bool());

  Ok(k2023, "RenewPort", R"({"portId":"p-hkg"})");
  harness_.FinishJobs();
  Ok(k2023, "CreatePrivateConnect", CreateBody(13));
  const boost::json::object connect =
      Ok(k2026, "DescribePrivateConnects", "{}").at("dataSet").as_array()[0].as_object();
  EXPECT_EQ(connect.at("endpointA").at("sharedChannelId").as_string(), "");
  EXPECT_EQ(connect.at("endpointZ").at("sharedChannelId").as_string(), "");
  const boost::json::object old_connect =
      Ok(k2023, "DescribePrivateConnects", "{}").at("dataSet").as_array()[0].as_object();
  EXPECT_FALSE(old_connect.at("endpointA").as_object().contains("sharedChannelId"));
}

TEST_F(ZenlayerVersionsTest, CreatePortTakesTagsAndAnswersAnOrderNumberIn20260401) {
  constexpr std::string_view kPort =
      R"({"dcId":"SIN1","portName":"tagged","portType":"10G","businessEntityName":"E")";
  boost::json::object created = Ok(
      k2026, "CreatePort", common::StrCat(kPort, R"(,"tags":{"tags":[{"key":"team","value":"net"}]}})"));
  const std::string port_id(created.at("portId").as_string());
  EXPECT_EQ(created.at("orderNumber").as_string(), "ORD" + port_id);
  boost::json::object found = Ok(k2026, "DescribePorts", R"({"tagKeys":["team"]})");
  ASSERT_EQ(found.at("totalCount").as_int64(), 1);
  EXPECT_EQ(found.at("dataSet").as_array()[0].at("portId").as_string(), port_id);
  EXPECT_EQ(boost::json::serialize(found.at("dataSet").as_array()[0].at("tags")),
            R"({"tags":[{"key":"team","value":"net"}]})");

  // 2023-08-30 has neither: tags are refused, the answer has no orderNumber.
  ZenlayerAnswer refused = CallAs(
      k2023, "CreatePort", common::StrCat(kPort, R"(,"tags":{"tags":[{"key":"a","value":"b"}]}})"));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.json.at("code").as_string(), "INVALID_PARAMETER");
  EXPECT_FALSE(Ok(k2023, "CreatePort", common::StrCat(kPort, "}")).contains("orderNumber"));

  // Tags the rules refuse (a key twice) create nothing.
  const int64_t before = Ok(k2026, "DescribePorts", "{}").at("totalCount").as_int64();
  ZenlayerAnswer twice = CallAs(
      k2026, "CreatePort",
      common::StrCat(kPort, R"(,"tags":{"tags":[{"key":"k","value":"1"},{"key":"k","value":"2"}]}})"));
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_EQ(Ok(k2026, "DescribePorts", "{}").at("totalCount").as_int64(), before);
}

TEST_F(ZenlayerVersionsTest, MembersAVersionLacksAreRefusedAsNotSupported) {
  const std::string before = harness_.DumpEverything();
  struct Case {
    std::string version;
    std::string action;
    std::string body;
    std::string path;
  };
  const std::vector<Case> cases = {
      {k2023, "CreatePrivateConnect", CreateBody(20, R"("tags":{"tags":[]})"), "tags"},
      {k2023, "DescribePrivateConnects", R"({"tagKeys":["env"]})", "tagKeys"},
      {k2023, "DescribePrivateConnects", R"({"tags":[]})", "tags"},
      {k2023, "DescribePorts", R"({"tagKeys":["env"]})", "tagKeys"},
      {k2023, "DescribePorts", R"({"resourceGroupId":"default"})", "resourceGroupId"},
      {k2026, "DescribePorts", R"({"portRemarks":"uplink"})", "portRemarks"},
      {k2026, "CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":21,"subnetId":"s"},"endpointZ":{"portId":"p-hkg","vlanId":21}})",
       "endpointA.subnetId"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.version + " " + test_case.body);
    ZenlayerAnswer answer = CallAs(test_case.version, test_case.action, test_case.body);
    EXPECT_EQ(answer.status, 400);
    EXPECT_EQ(answer.code, "INVALID_PARAMETER");
    EXPECT_NE(answer.body.find(common::StrCat("`", test_case.path, "` is not supported")),
              std::string::npos)
        << answer.body;
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
}

TEST_F(ZenlayerVersionsTest, Version20230830AcceptsMarketingOptionsAndCloudBandwidth) {
  boost::json::object created =
      Ok(k2023, "CreatePrivateConnect",
         R"({"endpointA":{"portId":"p-sin","vlanId":30,"cloudBandwidthMbps":50},)"
         R"("endpointZ":{"portId":"p-hkg","vlanId":30},)"
         R"("marketingOptions":{"discountCode":"POC","usePocVoucher":false}})");
  EXPECT_TRUE(created.contains("privateConnectId"));
}

TEST_F(ZenlayerVersionsTest, MissingVersionMeans20230830AndAnUnknownOneIsRefused) {
  EXPECT_FALSE(Ok(std::nullopt, "CreatePrivateConnect", CreateBody(40)).contains("orderNumber"));
  const std::string before = harness_.DumpEverything();
  for (std::string version : {"2020-01-01", "2026-4-1", "latest", "2023-08-30 "}) {
    SCOPED_TRACE(version);
    ZenlayerAnswer answer = CallAs(version, "CreatePrivateConnect", CreateBody(41));
    EXPECT_EQ(answer.status, 400);
    EXPECT_EQ(answer.code, "INVALID_VERSION");
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
}

TEST_F(ZenlayerVersionsTest, BearerTokenActsForItsAccount) {
  ZenlayerAnswer created =
      harness_.Send(harness_.WithToken(kToken, "CreatePrivateConnect", CreateBody(50)));
  ASSERT_EQ(created.status, 200) << created.body;
  common::HttpRequest describe = harness_.WithToken(kToken, "DescribePorts", "{}");
  SetVersion(describe, k2026);
  ZenlayerAnswer ports = harness_.Send(describe);
  ASSERT_EQ(ports.status, 200);
  EXPECT_EQ(ports.json.at("response").at("totalCount").as_int64(), 2);  // acct-1's ports only
}

TEST_F(ZenlayerVersionsTest, UnknownOrMalformedTokensAreRefusedLikeAnUnknownKey) {
  ZenlayerAnswer unknown_key = harness_.Call({"NOPE", "pw"}, "DescribePorts", "{}");
  const std::string before = harness_.DumpEverything();
  for (std::string token : {std::string("tok-unknown"), std::string(""), std::string(" "),
                            std::string(kToken) + "x", std::string(kToken) + " extra"}) {
    SCOPED_TRACE(token);
    ZenlayerAnswer answer =
        harness_.Send(harness_.WithToken(token, "CreatePrivateConnect", CreateBody(60)));
    EXPECT_EQ(answer.status, unknown_key.status);
    EXPECT_EQ(answer.code, unknown_key.code);
    EXPECT_EQ(answer.code, "AUTH_FAILED");
    if (!token.empty() && token != " ") {
      EXPECT_EQ(answer.body.find(token), std::string::npos) << "the token is never echoed";
    }
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
  // The stored form is the hash: the token itself is nowhere in the store.
  EXPECT_EQ(before.find(kToken), std::string::npos);
}

TEST_F(ZenlayerVersionsTest, GoSdkInformationalHeadersAreAccepted) {
  common::HttpRequest request = harness_.Signed(kKey, "DescribePorts", "{}");
  request.headers.emplace_back("x-zc-sdk-version", "0.2.45");
  request.headers.emplace_back("x-zc-sdk-lang", "go");
  request.headers.emplace_back("x-zc-request-client", "terraform-provider 1.0; ci.run-1");
  request.headers.emplace_back("x-zc-service", "sdn");
  EXPECT_EQ(harness_.Send(request).status, 200);
  common::HttpRequest token = harness_.WithToken(kToken, "DescribePorts", "{}");
  token.headers.emplace_back("x-zc-sdk-version", "SDK_PYTHON_2.0.0");
  token.headers.emplace_back("x-zc-sdk-lang", "Python");
  EXPECT_EQ(harness_.Send(token).status, 200);
}

// Terraform's delete, resumed at any point: DeletePrivateConnect again
// answers INVALID_PRIVATE_CONNECT_NOT_FOUND (tolerated) until the connect is
// gone, and Destroy of a destroyed connect too.
TEST_F(ZenlayerVersionsTest, ReRunDeleteAndDestroyAnswerWhatTerraformTolerates) {
  const std::string id(
      Ok(k2023, "CreatePrivateConnect", CreateBody(70)).at("privateConnectId").as_string());
  harness_.FinishJobs();
  const std::string id_body = common::StrCat(R"({"privateConnectId":")", id, R"("})");
  Ok(k2023, "DeletePrivateConnect", id_body);
  EXPECT_EQ(CallAs(k2023, "DeletePrivateConnect", id_body).code,
            "INVALID_PRIVATE_CONNECT_NOT_FOUND");  // DELETING
  harness_.FinishJobs();
  EXPECT_EQ(CallAs(k2023, "DeletePrivateConnect", id_body).code,
            "INVALID_PRIVATE_CONNECT_NOT_FOUND");  // RECYCLED
  Ok(k2023, "DestroyPrivateConnect", id_body);
  EXPECT_EQ(CallAs(k2023, "DeletePrivateConnect", id_body).code,
            "INVALID_PRIVATE_CONNECT_NOT_FOUND");  // DESTROYING
  harness_.FinishJobs();
  EXPECT_EQ(CallAs(k2023, "DeletePrivateConnect", id_body).code,
            "INVALID_PRIVATE_CONNECT_NOT_FOUND");  // gone
  EXPECT_EQ(CallAs(k2023, "DestroyPrivateConnect", id_body).code,
            "INVALID_PRIVATE_CONNECT_NOT_FOUND");
}

TEST(SdnVersionTest, ResolvesTheHeader) {
  EXPECT_EQ(*ResolveSdnVersion(std::nullopt), SdnVersion::k20230830);
  EXPECT_EQ(*ResolveSdnVersion(""), SdnVersion::k20230830);
  EXPECT_EQ(*ResolveSdnVersion("2023-08-30"), SdnVersion::k20230830);
  EXPECT_EQ(*ResolveSdnVersion("2026-04-01"), SdnVersion::k20260401);
  EXPECT_EQ(common::ReasonOf(ResolveSdnVersion("2024-01-01").status()), kReasonUnknownVersion);
}

}  // namespace
}  // namespace connectplane::api::zenlayer
