// ZC2-HMAC-SHA256: the fact sheet's vectors (docs/reference/zenlayer-sdn-api.md
// section 1.4, vector A = Zenlayer's own published example) and negative cases.
#include "auth/zenlayer_signer.h"

#include "common/status.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include <string>
#include <vector>

namespace connectplane::auth {
namespace {

struct SignVector {
  std::string name;
  std::string password;
  std::string timestamp;
  std::string content_type;
  std::string host;
  std::string body;
  std::string payload_hash;
  std::string hashed_canonical_request;
  std::string signature;
};

const std::vector<SignVector>& Vectors() {
  static const auto* const vectors = new std::vector<SignVector>{
      {"A_docs_example", "Gu5t9xGARNpq86cd98joQYCN3", "1673361177",
       "application/json; charset=utf-8", "console.zenlayer.com",
       R"({"pageSize":10,"pageNum":1,"zoneId":"HKG-A"})",
       "5f714687ba91c606d503467766151206392474accd137ffea6dce2420b67c29a",
       "29396f9dfa0f03820b931e8aa06e20cda197e73285ebd76aceb83f7dede493ee",
       "efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f"},
      {"A_plain_content_type", "Gu5t9xGARNpq86cd98joQYCN3", "1673361177", "application/json",
       "console.zenlayer.com", R"({"pageSize":10,"pageNum":1,"zoneId":"HKG-A"})",
       "5f714687ba91c606d503467766151206392474accd137ffea6dce2420b67c29a", "",
       "9fdd5117d611874c57b6514c5265c94aee7b716f33906836f9ebda1b56cbc119"},
      {"B_sdn_local_host", "test-secret-password", "1700000000", "application/json",
       "localhost:8443", R"({"privateConnectIds":["pc-0001"]})",
       "555fa48b4a213ff8f381605dfff2c4a6682fa1d1c81e00582fd7a2f1da4ed5b8",
       "c55103fb2da4235cfa6024d7fb22f80c8c7306f753fb315cc27fb97d3e2c9833",
       "e3cb6019a2831b895b3af01a82d4894e5f4248f57c2f5902433aa3e09c14e53f"},
      {"C_empty_object", "test-secret-password", "1700000000", "application/json",
       "console.zenlayer.com", "{}",
       "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
       "2eb6d40a6d77fe762274e366f8d05626427e80b1c9e1a816d9c08676d12257a4",
       "89d00c21c1f53c29cd633b5d852f465ad6ae33a3d91419b99b0681981d568030"},
  };
  return *vectors;
}

common::HttpRequest RequestFor(const SignVector& vector) {
  common::HttpRequest request;
  request.method = "POST";
  request.target = "/api/v2/sdn";
  request.body = vector.body;
  // Lower-case names, as the SDKs send them.
  request.headers = {{"content-type", vector.content_type},
                     {"host", vector.host},
                     {"x-zc-action", "DescribePrivateConnects"},
                     {"x-zc-timestamp", vector.timestamp},
                     {"x-zc-signature-method", "ZC2-HMAC-SHA256"}};
  return request;
}

TEST(ZenlayerSignerTest, ReproducesEveryVectorStepByStep) {
  for (const SignVector& vector : Vectors()) {
    SCOPED_TRACE(vector.name);
    EXPECT_EQ(ZenlayerSha256Hex(vector.body), vector.payload_hash);
    std::string canonical = ZenlayerCanonicalRequest(vector.content_type, vector.host, vector.body);
    EXPECT_EQ(canonical, "POST\n/\n\ncontent-type:" + vector.content_type + "\nhost:" +
                             vector.host + "\n\ncontent-type;host\n" + vector.payload_hash);
    if (!vector.hashed_canonical_request.empty()) {
      EXPECT_EQ(ZenlayerSha256Hex(canonical), vector.hashed_canonical_request);
    }
    std::string string_to_sign = ZenlayerStringToSign(vector.timestamp, canonical);
    EXPECT_EQ(string_to_sign,
              "ZC2-HMAC-SHA256\n" + vector.timestamp + "\n" + ZenlayerSha256Hex(canonical));
    EXPECT_EQ(ZenlayerSignature(vector.password, string_to_sign), vector.signature);
  }
}

TEST(ZenlayerSignerTest, ClientSigningProducesTheDocumentedHeader) {
  const SignVector& docs = Vectors()[0];
  EXPECT_EQ(SignZenlayerRequest(RequestFor(docs), "0D9UtpyKYcHxms5v", docs.password),
            "ZC2-HMAC-SHA256 Credential=0D9UtpyKYcHxms5v, SignedHeaders=content-type;host, "
            "Signature=efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f");
}

TEST(ZenlayerSignerTest, VerifiesEveryVectorAtItsTimestamp) {
  for (const SignVector& vector : Vectors()) {
    SCOPED_TRACE(vector.name);
    common::HttpRequest request = RequestFor(vector);
    auto authorization =
        ParseZenlayerAuthorization(ZenlayerAuthorizationHeader("key-id", vector.signature));
    ASSERT_TRUE(authorization.ok()) << authorization.status();
    absl::Time now = absl::FromUnixSeconds(std::stoll(vector.timestamp)) + absl::Seconds(30);
    EXPECT_TRUE(VerifyZenlayerRequest(request, *authorization, vector.password, now).ok());
  }
}

TEST(ZenlayerSignerTest, ParsesAuthorizationWithFlexibleSpacingAndUpperCaseHex) {
  auto parsed = ParseZenlayerAuthorization(
      "  ZC2-HMAC-SHA256   Credential=abc ,SignedHeaders=content-type;host,\tSignature="
      "EFB356C32E55C781E10DC676DA59462C22596D82E91C57803666243379555B2F ");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->access_key_id, "abc");
  EXPECT_EQ(parsed->signature, Vectors()[0].signature);
}

TEST(ZenlayerSignerTest, RejectsMalformedAuthorizationHeaders) {
  const std::string sig = Vectors()[0].signature;
  const std::vector<std::string> cases = {
      "",
      "Bearer token",
      "TC3-HMAC-SHA256 Credential=a, SignedHeaders=content-type;host, Signature=" + sig,
      "ZC2-HMAC-SHA256",
      "ZC2-HMAC-SHA256Credential=a, SignedHeaders=content-type;host, Signature=" + sig,
      "ZC2-HMAC-SHA256 Credential=, SignedHeaders=content-type;host, Signature=" + sig,
      "ZC2-HMAC-SHA256 Credential=a, SignedHeaders=host;content-type, Signature=" + sig,
      "ZC2-HMAC-SHA256 Credential=a, SignedHeaders=content-type;host;x-zc-action, Signature=" + sig,
      "ZC2-HMAC-SHA256 Credential=a, SignedHeaders=content-type;host, Signature=abc",
      "ZC2-HMAC-SHA256 Credential=a, SignedHeaders=content-type;host, Signature=" + sig.substr(1) +
          "g",
      "ZC2-HMAC-SHA256 SignedHeaders=content-type;host, Credential=a, Signature=" + sig,
      "ZC2-HMAC-SHA256 Credential=a, SignedHeaders=content-type;host",
      "ZC2-HMAC-SHA256 Credential=a, SignedHeaders=content-type;host, Signature=" + sig +
          ", Extra=1",
  };
  for (const std::string& header : cases) {
    SCOPED_TRACE(header);
    auto parsed = ParseZenlayerAuthorization(header);
    ASSERT_FALSE(parsed.ok());
    EXPECT_TRUE(absl::IsUnauthenticated(parsed.status()));
    EXPECT_EQ(common::ReasonOf(parsed.status()), kReasonZenlayerAuthMalformed);
  }
}

TEST(ZenlayerSignerTest, ParsesTimestampsStrictly) {
  EXPECT_EQ(*ParseZenlayerTimestamp("1700000000"), absl::FromUnixSeconds(1700000000));
  for (std::string_view bad : {"", "-1", "1700000000.5", " 1700000000", "17e8", "1234567890123"}) {
    SCOPED_TRACE(bad);
    auto parsed = ParseZenlayerTimestamp(bad);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(common::ReasonOf(parsed.status()), kReasonZenlayerBadTimestamp);
  }
}

class ZenlayerVerifyTest : public ::testing::Test {
 protected:
  const SignVector& vector_ = Vectors()[2];  // B
  const absl::Time now_ = absl::FromUnixSeconds(1700000000);

  absl::Status Verify(const common::HttpRequest& request, absl::Time now,
                      std::string_view password) {
    auto authorization =
        ParseZenlayerAuthorization(ZenlayerAuthorizationHeader("key-id", vector_.signature));
    EXPECT_TRUE(authorization.ok());
    return VerifyZenlayerRequest(request, *authorization, password, now);
  }
};

TEST_F(ZenlayerVerifyTest, AcceptsSkewUpToTheLimitInBothDirections) {
  common::HttpRequest request = RequestFor(vector_);
  EXPECT_TRUE(Verify(request, now_ + kZenlayerMaxClockSkew, vector_.password).ok());
  EXPECT_TRUE(Verify(request, now_ - kZenlayerMaxClockSkew, vector_.password).ok());
}

TEST_F(ZenlayerVerifyTest, RejectsExpiredAndFutureTimestamps) {
  common::HttpRequest request = RequestFor(vector_);
  for (absl::Time now : {now_ + kZenlayerMaxClockSkew + absl::Seconds(1),
                         now_ - kZenlayerMaxClockSkew - absl::Seconds(1)}) {
    absl::Status status = Verify(request, now, vector_.password);
    EXPECT_TRUE(absl::IsUnauthenticated(status));
    EXPECT_EQ(common::ReasonOf(status), kReasonZenlayerExpired);
  }
}

TEST_F(ZenlayerVerifyTest, RejectsEveryTamperedInput) {
  struct Tamper {
    std::string name;
    std::string header;  // "" = body
    std::string value;
  };
  const std::vector<Tamper> tampers = {
      {"body", "", R"({"privateConnectIds":["pc-0002"]})"},
      {"body_whitespace", "", R"({"privateConnectIds": ["pc-0001"]})"},
      {"host", "host", "localhost:8444"},
      {"content_type", "content-type", "application/json; charset=utf-8"},
      // Same instant, other spelling: the timestamp is signed verbatim.
      {"timestamp_text", "x-zc-timestamp", "01700000000"},
  };
  for (const Tamper& tamper : tampers) {
    SCOPED_TRACE(tamper.name);
    common::HttpRequest request = RequestFor(vector_);
    if (tamper.header.empty()) {
      request.body = tamper.value;
    } else {
      for (auto& [name, value] : request.headers) {
        if (name == tamper.header) value = tamper.value;
      }
    }
    absl::Status status = Verify(request, now_, vector_.password);
    EXPECT_EQ(common::ReasonOf(status), kReasonZenlayerMismatch) << status;
  }
  absl::Status wrong_password = Verify(RequestFor(vector_), now_, "test-secret-passwore");
  EXPECT_EQ(common::ReasonOf(wrong_password), kReasonZenlayerMismatch);
}

TEST_F(ZenlayerVerifyTest, RejectsMissingTimestampAndWrongSignatureMethod) {
  common::HttpRequest no_timestamp = RequestFor(vector_);
  std::erase_if(no_timestamp.headers, [](const auto& h) { return h.first == "x-zc-timestamp"; });
  EXPECT_EQ(common::ReasonOf(Verify(no_timestamp, now_, vector_.password)),
            kReasonZenlayerBadTimestamp);

  common::HttpRequest wrong_method = RequestFor(vector_);
  for (auto& [name, value] : wrong_method.headers) {
    if (name == "x-zc-signature-method") value = "TC3-HMAC-SHA256";
  }
  EXPECT_EQ(common::ReasonOf(Verify(wrong_method, now_, vector_.password)),
            kReasonZenlayerAuthMalformed);
}

TEST_F(ZenlayerVerifyTest, MatchesHeaderNamesCaseInsensitively) {
  common::HttpRequest request = RequestFor(vector_);
  for (auto& [name, value] : request.headers) {
    if (name == "content-type") name = "Content-Type";
    if (name == "host") name = "HOST";
    if (name == "x-zc-timestamp") name = "X-ZC-Timestamp";
  }
  EXPECT_TRUE(Verify(request, now_, vector_.password).ok());
}

}  // namespace
}  // namespace connectplane::auth
