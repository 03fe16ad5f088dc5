// Requests of the official Python and Go SDKs answered 401:
//  - the verifier required host to be signed; the Go SDK (huaweicloud-sdk-go-v3)
//    never signs it (it signs user-agent;x-project-id;x-sdk-date);
//  - the verifier encoded the path as sent (as the Node SDK signs it); the Python
//    and Go SDKs sign the percent-decoded path, so an id with a space or '+'
//    failed.
// Found with requests captured from both SDKs (tests/auth/huawei_sign_vectors.json);
// the ones below are replayed verbatim through DmsApi at their X-Sdk-Date.
#include "auth/huawei_signer.h"
#include "common/http_message.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include <string>
#include <string_view>
#include <utility>

namespace connectplane::regress {
namespace {

using connectplane::testing::kInstance;

constexpr char kGoUserAgent[] = "huaweicloud-usdk-go/3.0; hw-probe";
constexpr char kPythonUserAgent[] = "huaweicloud-usdk-python/3.0; hw-probe";

// A GET the Go SDK sent: it signs user-agent;x-project-id;x-sdk-date only.
common::HttpRequest GoGet(std::string target, std::string_view sdk_date,
                          std::string_view signature) {
  common::HttpRequest request;
  request.method = "GET";
  request.target = std::move(target);
  request.headers = {
      {"Host", "127.0.0.1:18092"},
      {"User-Agent", kGoUserAgent},
      {"Authorization",
       common::StrCat("SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=user-agent;"
                      "x-project-id;x-sdk-date, Signature=",
                      signature)},
      {"Content-Type", "application/json"},
      {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
      {"X-Sdk-Date", std::string(sdk_date)},
      {"Accept-Encoding", "gzip"},
  };
  return request;
}

common::HttpRequest GoShowInstance() {
  return GoGet(
      "/v2/0123456789abcdef0123456789abcdef/instances/a1b2c3d4-0000-1111-2222-333344445555",
      "20261201T213850Z", "1171fb2f3ee782fbb08260563978c4345c7f3362772fc574da7c7d3c494f5e6d");
}

common::HttpRequest GoShowInstanceWithEscapedId() {
  return GoGet("/v2/0123456789abcdef0123456789abcdef/instances/my%20inst+1", "20261201T214251Z",
               "f590a3a9e5d382f696dacca4553a46cbf51d8a9352e2577ad707f0306ba41871");
}

common::HttpRequest PythonShowInstanceWithEscapedId() {
  common::HttpRequest request;
  request.method = "GET";
  request.target = "/v2/0123456789abcdef0123456789abcdef/instances/my%20inst%2B1";
  request.headers = {
      {"User-Agent", kPythonUserAgent},
      {"Accept-Encoding", "gzip, deflate"},
      {"Accept", "*/*"},
      {"Connection", "keep-alive"},
      {"Content-Type", "application/json"},
      {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
      {"X-Sdk-Date", "20261201T214251Z"},
      {"Host", "127.0.0.1:18091"},
      {"Authorization",
       "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;user-agent;"
       "x-project-id;x-sdk-date, "
       "Signature=4394f3da11c46c4268c68caf9c2134d0f36a713697763c8e98a2bc3597bc1562"},
  };
  return request;
}

class OfficialSdkSignaturesTest : public ::testing::Test {
 protected:
  // Sends `request` with the fake clock at its X-Sdk-Date.
  testing::DmsAnswer SendAtSignTime(const common::HttpRequest& request) {
    absl::StatusOr<absl::Time> signed_at =
        auth::ParseSdkDate(request.Header("X-Sdk-Date").value_or(""));
    EXPECT_TRUE(signed_at.ok()) << signed_at.status();
    harness_.services.clock.Set(signed_at.value_or(absl::UnixEpoch()));
    return harness_.Send(request);
  }

  testing::DmsHarness harness_{testing::kDmsSeed};
};

TEST_F(OfficialSdkSignaturesTest, GoSdkRequestWithoutSignedHostIsServed) {
  testing::DmsAnswer answer = SendAtSignTime(GoShowInstance());
  EXPECT_EQ(answer.status, 200) << answer.raw_body;
  ASSERT_TRUE(answer.body.is_object()) << answer.raw_body;
  EXPECT_EQ(answer.body.as_object().at("instance_id").as_string(), kInstance);
}

TEST_F(OfficialSdkSignaturesTest, DecodedPathSignatureReachesTheHandler) {
  for (const common::HttpRequest& request :
       {GoShowInstanceWithEscapedId(), PythonShowInstanceWithEscapedId()}) {
    SCOPED_TRACE(request.Header("User-Agent").value_or(""));
    testing::DmsAnswer answer = SendAtSignTime(request);
    // Authenticated: the answer is about the id (not a UUID), not the signature.
    EXPECT_EQ(answer.status, 400) << answer.raw_body;
    EXPECT_EQ(answer.error_code, "DMS.00400030") << answer.raw_body;
  }
}

}  // namespace
}  // namespace connectplane::regress
