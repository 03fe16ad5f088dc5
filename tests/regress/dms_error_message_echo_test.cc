// Client input quoted back in DMS error messages:
//  - found by the bad-input matrix: an unknown JSON field in an enable/disable
//    body was quoted whole, so a 100 KB key came back as a 100 KB error;
//  - found by fuzzing (zenlayer_body, same pattern in the DMS unknown-AK
//    message): header bytes that are not UTF-8 were copied into error_msg,
//    making the JSON answer invalid UTF-8.
// common::QuoteUntrusted now cuts quotes to 64 bytes on a character boundary
// and replaces invalid UTF-8 with '?'.
#include "common/http_message.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include <string>

namespace connectplane::regress {
namespace {

using connectplane::testing::kCredential;
using connectplane::testing::kInstance;
using connectplane::testing::kProject;

class DmsErrorMessageEchoTest : public ::testing::Test {
 protected:
  // Returns error_msg of the answer to a signed POST of `body` to `path`
  // (with `authorization` instead of a real signature when it is non-empty).
  std::string ErrorMessage(const std::string& path, const std::string& body,
                           const std::string& authorization = "", int status = 400,
                           const std::string& code = "DMS.00400062") {
    common::HttpRequest request = harness_.Signed(kCredential, "POST", path, body);
    if (!authorization.empty()) {
      request.headers.back().second = authorization;
    }
    testing::DmsAnswer answer = harness_.Send(request);
    EXPECT_EQ(answer.status, status);
    EXPECT_TRUE(answer.body.is_object())
        << "answer is not a JSON object (or not valid JSON, or not valid UTF-8)";
    if (!answer.body.is_object()) {
      return "";
    }
    EXPECT_EQ(answer.body.at("error_code").as_string(), code);
    return std::string(answer.body.at("error_msg").as_string());
  }

  testing::DmsHarness harness_{testing::kDmsSeed};
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
