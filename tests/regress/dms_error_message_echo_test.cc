// Client input quoted back in DMS error messages (issue 7):
//  - found by the bad-input matrix: an unknown JSON field in an enable/disable
//    body was quoted whole, so a 100 KB key came back as a 100 KB error;
//  - found by fuzzing (zenlayer_body, same pattern in the DMS unknown-AK
//    message): header bytes that are not UTF-8 were copied into error_msg,
//    making the JSON answer invalid UTF-8.
// common::QuoteUntrusted now cuts quotes to 64 bytes on a character boundary
// and replaces invalid UTF-8 with '?'.
#include "api/dms/dms_api.h"
#include "auth/huawei_signer.h"
#include "common/strings.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include <memory>
#include <string>

namespace connectplane::regress {
namespace {

constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
constexpr char kInstance[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kAk[] = "HPUAEXAMPLEAK0000001";
constexpr char kSk[] = "ExampleSecretKey0000000000000000000000000";
constexpr char kSeed[] = R"({"huawei": {
  "credentials": [{"access_key": "HPUAEXAMPLEAK0000001",
                   "secret_key": "ExampleSecretKey0000000000000000000000000",
                   "project_id": "0123456789abcdef0123456789abcdef"}],
  "kafka_instances": [{"project_id": "0123456789abcdef0123456789abcdef",
                       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "k"}]}})";

class DmsErrorMessageEchoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::SqliteStore::Open(":memory:"));
    ASSERT_TRUE(service::ApplySeed(*store_, kSeed, clock_, &timings_).ok());
    credentials_ = std::make_unique<service::CredentialService>(*store_);
    kafka_ = std::make_unique<service::KafkaService>(*store_, clock_, timings_, nullptr);
    api_ = std::make_unique<api::dms::DmsApi>(*kafka_, *credentials_, clock_);
  }

  // Returns error_msg of the answer to a signed POST of `body` to `path`
  // (with `authorization` instead of a real signature when it is non-empty).
  std::string ErrorMessage(const std::string& path, const std::string& body,
                           const std::string& authorization = "", int status = 400,
                           const std::string& code = "DMS.00400062") {
    common::HttpRequest request;
    request.method = "POST";
    request.target = path;
    request.body = body;
    request.headers = {
        {"X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", clock_.Now(), absl::UTCTimeZone())},
        {"host", "localhost"}};
    request.headers.emplace_back(
        "Authorization", authorization.empty()
                             ? *auth::SignHuaweiRequest(request, kAk, kSk, {"host", "x-sdk-date"})
                             : authorization);
    common::HttpResponse response = api_->Handle(request);
    EXPECT_EQ(response.status, status);
    boost::json::error_code error;
    boost::json::value answer = boost::json::parse(response.body, error);
    EXPECT_FALSE(error) << "answer is not valid JSON (or not valid UTF-8)";
    if (error) return "";
    EXPECT_EQ(answer.at("error_code").as_string(), code);
    return std::string(answer.at("error_msg").as_string());
  }

  testing::FakeClock clock_;
  service::JobTimings timings_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<service::CredentialService> credentials_;
  std::unique_ptr<service::KafkaService> kafka_;
  std::unique_ptr<api::dms::DmsApi> api_;
};

TEST_F(DmsErrorMessageEchoTest, HugeUnknownKeyIsNotEchoedWhole) {
  const std::string enable =
      common::StrCat("/v2/", kProject, "/instances/", kInstance, "/connector");
  const std::string disable =
      common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance, "/delete-connector");
  const std::string huge_key(100 * 1024, 'k');
  for (const std::string& path : {enable, disable}) {
    SCOPED_TRACE(path);
    std::string message = ErrorMessage(path, common::StrCat(R"({")", huge_key, R"(":1})"));
    EXPECT_LT(message.size(), 200u);
    EXPECT_NE(message.find(std::string(64, 'k') + "..."), std::string::npos) << message;
  }
}

TEST_F(DmsErrorMessageEchoTest, CutNeverSplitsAUtf8Character) {
  const std::string enable =
      common::StrCat("/v2/", kProject, "/instances/", kInstance, "/connector");
  std::string key = "a";  // makes byte 64 fall inside a two-byte character
  for (int char_idx = 0; char_idx < 100; ++char_idx) {
    key += "\xc3\xa9";  // U+00E9
  }
  // ErrorMessage fails the test if the answer is not valid UTF-8 JSON.
  std::string message = ErrorMessage(enable, common::StrCat(R"({")", key, R"(":1})"));
  EXPECT_NE(message.find("..."), std::string::npos) << message;
  EXPECT_EQ(message.find(key), std::string::npos);
}

TEST_F(DmsErrorMessageEchoTest, ShortUnknownKeyIsQuotedAsIs) {
  const std::string enable =
      common::StrCat("/v2/", kProject, "/instances/", kInstance, "/connector");
  EXPECT_EQ(ErrorMessage(enable, R"({"nodes":2})"),
            "Invalid request parameter: unknown field 'nodes'.");
}

TEST_F(DmsErrorMessageEchoTest, UnknownAccessKeyIsQuotedAsValidShortUtf8) {
  const std::string path = common::StrCat("/v2/", kProject, "/instances/", kInstance, "/connector");
  const std::string access_key = "\xff\xfe" + std::string(16 * 1024, 'A');
  const std::string message = ErrorMessage(
      path, "",
      common::StrCat("SDK-HMAC-SHA256 Access=", access_key,
                     ", SignedHeaders=host;x-sdk-date, Signature=", std::string(64, '0')),
      401, "APIGW.0301");
  EXPECT_LT(message.size(), 200u);
  EXPECT_NE(message.find("ak:??AAAA"), std::string::npos) << message;
}

TEST(QuoteUntrustedTest, KeepsValidUtf8ReplacesInvalidBytesAndCuts) {
  struct Case {
    std::string in;
    size_t max_bytes;
    std::string out;
  } cases[] = {
      {"plain", 64, "plain"},
      {"", 64, ""},
      {"caf\xc3\xa9", 64, "caf\xc3\xa9"},
      {"\xff\xfe", 64, "??"},
      {"\xc3", 64, "?"},                 // truncated sequence
      {"\xc0\xaf", 64, "??"},            // overlong '/'
      {"\xed\xa0\x80", 64, "???"},       // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 64, "????"},  // above U+10FFFF
      {"\xf0\x9f\x98\x80!", 64, "\xf0\x9f\x98\x80!"},
      {"abcdef", 4, "abcd..."},
      {"abcd", 4, "abcd"},
      {"ab\xc3\xa9", 3, "ab..."},  // never splits a character
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.in);
    EXPECT_EQ(common::QuoteUntrusted(test_case.in, test_case.max_bytes), test_case.out);
  }
}

}  // namespace
}  // namespace connectplane::regress
