#include "auth/huawei_signer.h"

#include "common/http_message.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "boost/json.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace connectplane::auth {
namespace {

using ::testing::ElementsAre;

// Captured per SDK (the vector's "client" starts with the SDK's package name).
constexpr std::string_view kNodeClient = "@huaweicloud/huaweicloud-sdk-kafka ";
constexpr std::string_view kPythonClient = "huaweicloudsdkcore ";
constexpr std::string_view kGoClient = "huaweicloud-sdk-go-v3 ";
constexpr size_t kNodeVectorCount = 25;
constexpr size_t kPythonVectorCount = 10;
constexpr size_t kGoVectorCount = 10;
constexpr size_t kCapturedVectorCount = kNodeVectorCount + kPythonVectorCount + kGoVectorCount;

// One captured SDK request (tests/auth/huawei_sign_vectors.json).
struct SignVector {
  std::string name;
  std::string client;  // the SDK, its version and commit
  std::string access_key;
  std::string secret_key;
  common::HttpRequest request;
  std::string expected_authorization;
  std::string canonical_request;
  std::string string_to_sign;
};

std::filesystem::path VectorsPath() {
  const char* source_dir = std::getenv("CONNECTPLANE_SOURCE_DIR");
  if (source_dir != nullptr && *source_dir != '\0') {
    std::filesystem::path from_env =
        std::filesystem::path(source_dir) / "tests" / "auth" / "huawei_sign_vectors.json";
    if (std::filesystem::exists(from_env)) {
      return from_env;
    }
  }
  return std::filesystem::path(__FILE__).parent_path() / "huawei_sign_vectors.json";
}

std::string StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return std::string();
  }
  return std::string(value->get_string());
}

absl::StatusOr<std::vector<SignVector>> LoadVectors() {
  const std::filesystem::path path = VectorsPath();
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError("cannot open " + path.string());
  }
  std::stringstream text;
  text << file.rdbuf();
  ASSIGN_OR_RETURN(boost::json::object document, common::ParseJsonObject(text.str()));
  const boost::json::value* vectors_value = document.if_contains("vectors");
  if (vectors_value == nullptr || !vectors_value->is_array()) {
    return absl::InvalidArgumentError("no \"vectors\" array in " + path.string());
  }
  std::vector<SignVector> vectors;
  for (const boost::json::value& entry : vectors_value->get_array()) {
    if (!entry.is_object()) {
      return absl::InvalidArgumentError("vector is not an object");
    }
    const boost::json::object& object = entry.get_object();
    SignVector vector;
    vector.name = StringField(object, "name");
    vector.client = StringField(object, "client");
    vector.access_key = StringField(object, "ak");
    vector.secret_key = StringField(object, "sk");
    vector.request.method = StringField(object, "method");
    vector.request.target = StringField(object, "request_target");
    vector.request.body = StringField(object, "body");
    vector.expected_authorization = StringField(object, "expected_authorization");
    vector.canonical_request = StringField(object, "canonical_request");
    vector.string_to_sign = StringField(object, "string_to_sign");
    const boost::json::value* headers = object.if_contains("headers");
    if (headers == nullptr || !headers->is_array()) {
      return absl::InvalidArgumentError("vector without headers: " + vector.name);
    }
    for (const boost::json::value& header : headers->get_array()) {
      if (!header.is_array() || header.get_array().size() != 2 ||
          !header.get_array()[0].is_string() || !header.get_array()[1].is_string()) {
        return absl::InvalidArgumentError("bad header pair in " + vector.name);
      }
      vector.request.headers.emplace_back(std::string(header.get_array()[0].get_string()),
                                          std::string(header.get_array()[1].get_string()));
    }
    vectors.push_back(std::move(vector));
  }
  return vectors;
}

// Parameter source: evaluated when GoogleTest registers the suite. A load
// failure yields no parameters; LoadsEveryCapturedVector then reports why.
std::vector<SignVector> VectorsOrEmpty() {
  absl::StatusOr<std::vector<SignVector>> vectors = LoadVectors();
  return vectors.ok() ? *std::move(vectors) : std::vector<SignVector>();
}

// "a;b;c", as in the SignedHeaders field.
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    out += out.empty() ? "" : ";";
    out += name;
  }
  return out;
}

// The vector called `name`, or nullptr.
const SignVector* FindVector(const std::vector<SignVector>& vectors, std::string_view name) {
  for (const SignVector& vector : vectors) {
    if (vector.name == name) {
      return &vector;
    }
  }
  return nullptr;
}

absl::Time SdkDateOf(const common::HttpRequest& request) {
  std::optional<std::string_view> date = request.Header("X-Sdk-Date");
  if (!date) {
    ADD_FAILURE() << "request has no X-Sdk-Date";
    return absl::UnixEpoch();
  }
  absl::StatusOr<absl::Time> parsed = ParseSdkDate(*date);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : absl::UnixEpoch();
}

// The whole server-side path: parse the request's own Authorization header,
// then verify it at `now`.
absl::Status VerifyAt(const common::HttpRequest& request, std::string_view secret_key,
                      absl::Time now) {
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header) {
    return absl::InternalError("test request has no Authorization header");
  }
  ASSIGN_OR_RETURN(HuaweiAuthorization authorization, ParseHuaweiAuthorization(*header));
  return VerifyHuaweiRequest(request, authorization, secret_key, now);
}

void SetHeader(common::HttpRequest& request, std::string_view name, std::string value) {
  for (auto& [key, existing] : request.headers) {
    if (common::EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  request.headers.emplace_back(std::string(name), std::move(value));
}

void RemoveHeader(common::HttpRequest& request, std::string_view name) {
  std::erase_if(request.headers, [name](const auto& header) {
    return common::EqualsIgnoreCase(header.first, name);
  });
}

// Re-signs `request` in place (replacing Authorization) over `signed_headers`.
void Resign(common::HttpRequest& request, const SignVector& vector,
            const std::vector<std::string>& signed_headers) {
  absl::StatusOr<std::string> authorization =
      SignHuaweiRequest(request, vector.access_key, vector.secret_key, signed_headers);
  ASSERT_TRUE(authorization.ok()) << authorization.status();
  SetHeader(request, "Authorization", *authorization);
}

// What the Kafka SDK always signs (without a security token).
std::vector<std::string> SdkSignedHeaders() {
  return {"content-type", "host", "x-project-id", "x-sdk-date"};
}

// Captured vectors used by the negative tests.
constexpr std::string_view kPostWithBody = "createConnector node_cnt=2 spec_code";
constexpr std::string_view kGetWithQuery = "listInstances (query)";

void ExpectRejected(const absl::Status& status, std::string_view reason) {
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
  EXPECT_EQ(common::ReasonOf(status), reason) << status;
}

// ---------------------------------------------------------------------------
// Captured SDK vectors, one parameter per vector.

TEST(HuaweiSignVectorsTest, LoadsEveryCapturedVector) {
  absl::StatusOr<std::vector<SignVector>> vectors = LoadVectors();
  ASSERT_TRUE(vectors.ok()) << vectors.status();
  EXPECT_EQ(vectors->size(), kCapturedVectorCount);
  for (const SignVector& vector : *vectors) {
    EXPECT_FALSE(vector.name.empty());
    EXPECT_FALSE(vector.client.empty()) << vector.name;
    EXPECT_FALSE(vector.expected_authorization.empty()) << vector.name;
    EXPECT_FALSE(vector.canonical_request.empty()) << vector.name;
    EXPECT_FALSE(vector.string_to_sign.empty()) << vector.name;
    // The captured Authorization header is the one the vector expects.
    EXPECT_EQ(vector.request.Header("Authorization").value_or(""), vector.expected_authorization)
        << vector.name;
  }
}

// Each official SDK signs its own header set; the verifier must accept all of
// them (the Go SDK signs neither host nor content-type).
TEST(HuaweiSignVectorsTest, CoversEachSdksSignedHeaderSet) {
  absl::StatusOr<std::vector<SignVector>> vectors = LoadVectors();
  ASSERT_TRUE(vectors.ok()) << vectors.status();
  struct Sdk {
    std::string_view client_prefix;
    size_t expected_count;
    std::set<std::string> allowed_signed_headers;
    size_t count;
    std::set<std::string> seen_signed_headers;
  };
  std::vector<Sdk> sdks = {
      {kNodeClient,
       kNodeVectorCount,
       {"content-type;host;x-project-id;x-sdk-date",
        "content-type;host;x-project-id;x-sdk-date;x-security-token"},
       0,
       {}},
      {kPythonClient,
       kPythonVectorCount,
       {"content-type;host;user-agent;x-project-id;x-sdk-date",
        "host;user-agent;x-project-id;x-sdk-date"},
       0,
       {}},
      {kGoClient, kGoVectorCount, {"user-agent;x-project-id;x-sdk-date"}, 0, {}},
  };
  for (const SignVector& vector : *vectors) {
    absl::StatusOr<HuaweiAuthorization> parsed =
        ParseHuaweiAuthorization(vector.expected_authorization);
    ASSERT_TRUE(parsed.ok()) << vector.name << ": " << parsed.status();
    const std::string signed_headers = JoinNames(parsed->signed_headers);
    auto sdk = std::find_if(sdks.begin(), sdks.end(), [&vector](const Sdk& candidate) {
      return vector.client.starts_with(candidate.client_prefix);
    });
    ASSERT_NE(sdk, sdks.end()) << vector.name << ": unknown client " << vector.client;
    ++sdk->count;
    EXPECT_TRUE(sdk->allowed_signed_headers.contains(signed_headers))
        << vector.name << ": " << signed_headers;
    sdk->seen_signed_headers.insert(signed_headers);
    if (!signed_headers.starts_with("content-type;")) {
      // Only the Go SDK (always) and Python's ignore_content_type_for_get_request
      // (GET only) leave content-type unsigned.
      EXPECT_TRUE(sdk->client_prefix == kGoClient || vector.request.method == "GET") << vector.name;
    }
  }
  for (const Sdk& sdk : sdks) {
    EXPECT_EQ(sdk.count, sdk.expected_count) << sdk.client_prefix;
    EXPECT_EQ(sdk.seen_signed_headers, sdk.allowed_signed_headers) << sdk.client_prefix;
  }
}

class HuaweiSignVectorTest : public ::testing::TestWithParam<SignVector> {
 protected:
  std::vector<std::string> SignedHeaders() const {
    absl::StatusOr<HuaweiAuthorization> parsed =
        ParseHuaweiAuthorization(GetParam().expected_authorization);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return parsed.ok() ? parsed->signed_headers : std::vector<std::string>();
  }
  // The Node SDK signs the path as sent, the Python and Go SDKs decode it first.
  HuaweiPathForm PathForm() const {
    return GetParam().client.starts_with(kNodeClient) ? HuaweiPathForm::kAsSent
                                                      : HuaweiPathForm::kDecoded;
  }
};

TEST_P(HuaweiSignVectorTest, CanonicalRequestMatchesSdk) {
  absl::StatusOr<std::string> canonical =
      HuaweiCanonicalRequest(GetParam().request, SignedHeaders(), PathForm());
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_EQ(*canonical, GetParam().canonical_request);
}

TEST_P(HuaweiSignVectorTest, StringToSignMatchesSdk) {
  absl::StatusOr<std::string> canonical =
      HuaweiCanonicalRequest(GetParam().request, SignedHeaders(), PathForm());
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_EQ(HuaweiStringToSign(*canonical, GetParam().request.Header("X-Sdk-Date").value_or("")),
            GetParam().string_to_sign);
}

TEST_P(HuaweiSignVectorTest, VerifierAcceptsCapturedRequest) {
  const SignVector& vector = GetParam();
  EXPECT_EQ(VerifyAt(vector.request, vector.secret_key, SdkDateOf(vector.request)),
            absl::OkStatus());
}

TEST_P(HuaweiSignVectorTest, SignerReproducesSdkAuthorization) {
  const SignVector& vector = GetParam();
  absl::StatusOr<std::string> authorization = SignHuaweiRequest(
      vector.request, vector.access_key, vector.secret_key, SignedHeaders(), PathForm());
  ASSERT_TRUE(authorization.ok()) << authorization.status();
  EXPECT_EQ(*authorization, vector.expected_authorization);
}

// GoogleTest prints a failing parameter by its name, not as raw bytes.
void PrintTo(const SignVector& vector, std::ostream* out) { *out << vector.name; }

std::string VectorTestName(const ::testing::TestParamInfo<SignVector>& info) {
  std::string name = std::to_string(info.index) + "_";
  for (char c : info.param.name) {
    name.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(CapturedSdk, HuaweiSignVectorTest, ::testing::ValuesIn(VectorsOrEmpty()),
                         VectorTestName);

// ---------------------------------------------------------------------------
// Verification: tampering, clock skew, dates, signed-header rules.

class HuaweiVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<SignVector>> vectors = LoadVectors();
    ASSERT_TRUE(vectors.ok()) << vectors.status();
    const SignVector* post = FindVector(*vectors, kPostWithBody);
    const SignVector* get = FindVector(*vectors, kGetWithQuery);
    ASSERT_NE(post, nullptr) << kPostWithBody;
    ASSERT_NE(get, nullptr) << kGetWithQuery;
    post_ = *post;
    get_ = *get;
    ASSERT_FALSE(post_.request.body.empty());
    ASSERT_FALSE(get_.request.RawQuery().empty());
  }

  absl::Status VerifyPost(const common::HttpRequest& request) const {
    return VerifyAt(request, post_.secret_key, SdkDateOf(post_.request));
  }
  absl::Status VerifyGet(const common::HttpRequest& request) const {
    return VerifyAt(request, get_.secret_key, SdkDateOf(get_.request));
  }

  SignVector post_;
  SignVector get_;
};

TEST_F(HuaweiVerifyTest, AcceptsUntouchedRequests) {
  EXPECT_EQ(VerifyPost(post_.request), absl::OkStatus());
  EXPECT_EQ(VerifyGet(get_.request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, RejectsTamperedBody) {
  common::HttpRequest request = post_.request;
  request.body += " ";
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
  request.body = R"({"node_cnt":3,"spec_code":"connector.4u8g.cluster"})";
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
  request.body.clear();
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, RejectsTamperedPath) {
  common::HttpRequest request = post_.request;
  request.target += "x";
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
  request.target = post_.request.target;
  request.target.replace(request.target.find("0123456789abcdef0123456789abcdef"), 32,
                         "ffffffffffffffffffffffffffffffff");
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
  // The canonical URI always ends in '/', so a trailing slash added on the wire
  // is indistinguishable from the signed path.
  request.target = post_.request.target + "/";
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, RejectsTamperedQuery) {
  common::HttpRequest request = get_.request;
  request.target.replace(request.target.find("limit=10"), 8, "limit=11");
  ExpectRejected(VerifyGet(request), "AUTH_SIGNATURE_MISMATCH");

  request = get_.request;
  request.target += "&status=RUNNING";
  ExpectRejected(VerifyGet(request), "AUTH_SIGNATURE_MISMATCH");

  request = get_.request;
  request.target = std::string(get_.request.Path());  // query dropped
  ExpectRejected(VerifyGet(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, AcceptsReorderedAndReencodedQuery) {
  // The canonical query is sorted and strictly re-encoded, so wire order and
  // equivalent escapes do not matter.
  common::HttpRequest request = get_.request;
  request.target =
      std::string(get_.request.Path()) +
      "?limit=10&offset=0&include_failure=true&name=my%20inst%2f%c3%a4%2A&engine=kafka";
  EXPECT_EQ(VerifyGet(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, RejectsQueryWithBadEscape) {
  common::HttpRequest request = get_.request;
  request.target += "&bad=%G1";
  absl::Status status = VerifyGet(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(common::ReasonOf(status), "MALFORMED_QUERY");
}

TEST_F(HuaweiVerifyTest, RejectsWrongMethod) {
  common::HttpRequest request = post_.request;
  request.method = "PUT";
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
  request = get_.request;
  request.method = "DELETE";
  ExpectRejected(VerifyGet(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, RejectsWrongSecret) {
  ExpectRejected(VerifyAt(post_.request, post_.secret_key + "x", SdkDateOf(post_.request)),
                 "AUTH_SIGNATURE_MISMATCH");
  ExpectRejected(VerifyAt(post_.request, "", SdkDateOf(post_.request)), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, RejectsTamperedSignature) {
  common::HttpRequest request = post_.request;
  std::string authorization = post_.expected_authorization;
  char& last = authorization.back();
  last = last == '0' ? '1' : '0';
  SetHeader(request, "Authorization", authorization);
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, RejectsChangedSignedHeaderButIgnoresUnsignedOnes) {
  common::HttpRequest request = post_.request;
  SetHeader(request, "host", "127.0.0.1:18081");
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");

  request = post_.request;
  SetHeader(request, "X-Project-Id", "ffffffffffffffffffffffffffffffff");
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");

  request = post_.request;
  SetHeader(request, "User-Agent", "something-else");
  SetHeader(request, "Accept", "*/*");
  request.headers.emplace_back("X-Extra", "1");
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, SignedHeaderMissingFromRequestCountsAsEmpty) {
  common::HttpRequest request = post_.request;
  RemoveHeader(request, "X-Project-Id");
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");

  // Signed by a client that had no X-Project-Id either: the line is "x-project-id:".
  Resign(request, post_, SdkSignedHeaders());
  absl::StatusOr<std::string> canonical = HuaweiCanonicalRequest(request, SdkSignedHeaders());
  ASSERT_TRUE(canonical.ok());
  EXPECT_NE(canonical->find("\nx-project-id:\n"), std::string::npos) << *canonical;
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, MatchesHeaderNamesCaseInsensitivelyAndTrimsValues) {
  common::HttpRequest request = post_.request;
  for (auto& [name, value] : request.headers) {
    if (common::EqualsIgnoreCase(name, "host")) {
      name = "HOST";
    } else if (common::EqualsIgnoreCase(name, "content-type")) {
      name = "content-type";
      value = "  application/json\t";
    } else if (common::EqualsIgnoreCase(name, "x-sdk-date")) {
      name = "x-SDK-date";
    }
  }
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, AcceptsUpperCaseSignatureHex) {
  common::HttpRequest request = post_.request;
  const std::string& original = post_.expected_authorization;
  const size_t signature_pos = original.rfind('=') + 1;
  SetHeader(
      request, "Authorization",
      original.substr(0, signature_pos) + absl::AsciiStrToUpper(original.substr(signature_pos)));
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, EnforcesClockSkew) {
  const absl::Time signed_at = SdkDateOf(post_.request);
  const std::string& secret = post_.secret_key;
  ExpectRejected(VerifyAt(post_.request, secret, signed_at + absl::Minutes(16)), "AUTH_EXPIRED");
  ExpectRejected(VerifyAt(post_.request, secret, signed_at - absl::Minutes(16)), "AUTH_EXPIRED");
  EXPECT_EQ(VerifyAt(post_.request, secret, signed_at + absl::Minutes(14)), absl::OkStatus());
  EXPECT_EQ(VerifyAt(post_.request, secret, signed_at - absl::Minutes(14)), absl::OkStatus());
  // The bound is inclusive.
  EXPECT_EQ(VerifyAt(post_.request, secret, signed_at + kHuaweiMaxClockSkew), absl::OkStatus());
  ExpectRejected(
      VerifyAt(post_.request, secret, signed_at + kHuaweiMaxClockSkew + absl::Seconds(1)),
      "AUTH_EXPIRED");
  ExpectRejected(VerifyAt(post_.request, secret, absl::InfiniteFuture()), "AUTH_EXPIRED");
}

TEST_F(HuaweiVerifyTest, RejectsMissingOrBadDate) {
  common::HttpRequest request = post_.request;
  RemoveHeader(request, "X-Sdk-Date");
  ExpectRejected(VerifyPost(request), "AUTH_BAD_DATE");

  request = post_.request;
  SetHeader(request, "X-Sdk-Date", "2026-11-22T18:09:18Z");
  ExpectRejected(VerifyPost(request), "AUTH_BAD_DATE");

  request = post_.request;
  SetHeader(request, "X-Sdk-Date", "");
  ExpectRejected(VerifyPost(request), "AUTH_BAD_DATE");
}

TEST_F(HuaweiVerifyTest, RejectsDateChangedAfterSigning) {
  common::HttpRequest request = post_.request;
  SetHeader(request, "X-Sdk-Date", "20261122T180920Z");
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, RequiresSdkDateToBeSigned) {
  common::HttpRequest request = post_.request;
  Resign(request, post_, {"content-type", "host", "x-project-id"});
  ExpectRejected(VerifyPost(request), "AUTH_MALFORMED");
  // Minimal valid set.
  request = post_.request;
  Resign(request, post_, {"x-sdk-date"});
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, AcceptsUnsignedHostAsTheGoSdkSendsIt) {
  // Regression: the verifier required host to be signed, so it rejected every
  // request of the official Go SDK, which signs user-agent;x-project-id;x-sdk-date.
  common::HttpRequest request = post_.request;
  Resign(request, post_, {"user-agent", "x-project-id", "x-sdk-date"});
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
  // The signature then does not cover the host; it still covers everything else.
  SetHeader(request, "host", "other.example:443");
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
  SetHeader(request, "User-Agent", "something-else");
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, AcceptsPathSignedAsSentOrDecoded) {
  // Regression: the Python and Go SDKs sign the percent-decoded path, so their
  // requests for an id with a space or '+' were rejected.
  for (HuaweiPathForm path_form : {HuaweiPathForm::kAsSent, HuaweiPathForm::kDecoded}) {
    common::HttpRequest request = get_.request;
    request.target = "/v2/0123456789abcdef0123456789abcdef/instances/my%20inst%2B1";
    absl::StatusOr<std::string> authorization =
        SignHuaweiRequest(request, get_.access_key, get_.secret_key, SdkSignedHeaders(), path_form);
    ASSERT_TRUE(authorization.ok()) << authorization.status();
    SetHeader(request, "Authorization", *authorization);
    EXPECT_EQ(VerifyGet(request), absl::OkStatus());
    // Another path stays another path in either form.
    request.target = "/v2/0123456789abcdef0123456789abcdef/instances/my%20inst%2B2";
    ExpectRejected(VerifyGet(request), "AUTH_SIGNATURE_MISMATCH");
  }
  // An escaped '/' is not a separator: a signature does not carry over to a
  // path that routes differently.
  common::HttpRequest tasks = get_.request;
  tasks.target = "/v2/0123456789abcdef0123456789abcdef/instances/i1/tasks";
  Resign(tasks, get_, SdkSignedHeaders());
  EXPECT_EQ(VerifyGet(tasks), absl::OkStatus());
  tasks.target = "/v2/0123456789abcdef0123456789abcdef/instances/i1%2Ftasks";
  ExpectRejected(VerifyGet(tasks), "AUTH_SIGNATURE_MISMATCH");

  // The two forms are different signatures when the path has escapes...
  common::HttpRequest request = get_.request;
  request.target = "/v2/p/instances/my%20inst";
  absl::StatusOr<std::string> as_sent = HuaweiCanonicalRequest(request, SdkSignedHeaders());
  absl::StatusOr<std::string> decoded =
      HuaweiCanonicalRequest(request, SdkSignedHeaders(), HuaweiPathForm::kDecoded);
  ASSERT_TRUE(as_sent.ok() && decoded.ok());
  EXPECT_NE(*as_sent, *decoded);
  // ...and the same one when it has none.
  request.target = "/v2/p/instances/i1?limit=10";
  as_sent = HuaweiCanonicalRequest(request, SdkSignedHeaders());
  decoded = HuaweiCanonicalRequest(request, SdkSignedHeaders(), HuaweiPathForm::kDecoded);
  ASSERT_TRUE(as_sent.ok() && decoded.ok());
  EXPECT_EQ(*as_sent, *decoded);
}

TEST_F(HuaweiVerifyTest, PathWithBadEscapeVerifiesOnlyAsSent) {
  common::HttpRequest request = get_.request;
  request.target = "/v2/p/instances/a%G1";
  absl::StatusOr<std::string> decoded =
      HuaweiCanonicalRequest(request, SdkSignedHeaders(), HuaweiPathForm::kDecoded);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(common::ReasonOf(decoded.status()), "MALFORMED_PATH");
  Resign(request, get_, SdkSignedHeaders());
  EXPECT_EQ(VerifyGet(request), absl::OkStatus());
  SetHeader(request, "Authorization",
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, "
            "SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=" +
                std::string(64, '0'));
  ExpectRejected(VerifyGet(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST_F(HuaweiVerifyTest, ContentSha256HeaderReplacesBodyHash) {
  // UNSIGNED-PAYLOAD: the SDK's opt-out; the body is then not authenticated.
  common::HttpRequest request = post_.request;
  SetHeader(request, "X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD");
  Resign(request, post_, SdkSignedHeaders());
  absl::StatusOr<std::string> canonical = HuaweiCanonicalRequest(request, SdkSignedHeaders());
  ASSERT_TRUE(canonical.ok());
  EXPECT_TRUE(canonical->ends_with("\nUNSIGNED-PAYLOAD")) << *canonical;
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
  request.body = "anything";
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
}

TEST_F(HuaweiVerifyTest, RejectsContentSha256HeaderThatDoesNotMatchBody) {
  // Adding the original body's hash as X-Sdk-Content-Sha256 leaves the canonical
  // request unchanged, so without the body check a captured request's body
  // could be swapped.
  common::HttpRequest request = post_.request;
  const std::string& canonical = post_.canonical_request;
  SetHeader(request, "X-Sdk-Content-Sha256", canonical.substr(canonical.rfind('\n') + 1));
  EXPECT_EQ(VerifyPost(request), absl::OkStatus());
  request.body = R"({"node_cnt":99,"spec_code":"connector.4u8g.cluster"})";
  ExpectRejected(VerifyPost(request), "AUTH_SIGNATURE_MISMATCH");
}

TEST(HuaweiSignTest, RequiresSdkDate) {
  common::HttpRequest request;
  request.method = "GET";
  request.target = "/v2/p/instances";
  request.headers = {{"host", "localhost:1"}};
  absl::StatusOr<std::string> authorization =
      SignHuaweiRequest(request, "AK", "SK", {"host", "x-sdk-date"});
  EXPECT_EQ(authorization.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(common::ReasonOf(authorization.status()), "AUTH_BAD_DATE");
}

// ---------------------------------------------------------------------------
// Authorization header parsing.

constexpr std::string_view kSignatureHex =
    "75ded33fcb81283428afa531d75dcbdf04d4eee452d3fa008923da8d7a4f912d";

TEST(HuaweiAuthorizationTest, ParsesSdkHeader) {
  absl::StatusOr<HuaweiAuthorization> parsed = ParseHuaweiAuthorization(
      "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, "
      "SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=" +
      std::string(kSignatureHex));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->access_key, "HPUAEXAMPLEAK0000001");
  EXPECT_THAT(parsed->signed_headers,
              ElementsAre("content-type", "host", "x-project-id", "x-sdk-date"));
  EXPECT_EQ(parsed->signature, kSignatureHex);
}

TEST(HuaweiAuthorizationTest, AcceptsSpacingVariants) {
  const std::string signature(kSignatureHex);
  const std::string upper_signature = absl::AsciiStrToUpper(signature);
  const std::vector<std::string> accepted = {
      "SDK-HMAC-SHA256 Access=AK,SignedHeaders=host;x-sdk-date,Signature=" + signature,
      "SDK-HMAC-SHA256\tAccess=AK,\tSignedHeaders=host;x-sdk-date,   Signature=" + signature,
      "  SDK-HMAC-SHA256   Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + signature + " ",
      "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + upper_signature,
  };
  for (const std::string& header : accepted) {
    absl::StatusOr<HuaweiAuthorization> parsed = ParseHuaweiAuthorization(header);
    ASSERT_TRUE(parsed.ok()) << header << ": " << parsed.status();
    EXPECT_EQ(parsed->access_key, "AK") << header;
    EXPECT_THAT(parsed->signed_headers, ElementsAre("host", "x-sdk-date")) << header;
    EXPECT_EQ(parsed->signature, signature) << header;
  }
}

TEST(HuaweiAuthorizationTest, RejectsMalformedHeaders) {
  const std::string signature(kSignatureHex);
  const std::string good_prefix = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, ";
  struct Case {
    std::string label;
    std::string header;
  };
  const std::vector<Case> cases = {
      {"empty", ""},
      {"garbage", "garbage"},
      {"bearer", "Bearer abc.def.ghi"},
      {"algorithm only", "SDK-HMAC-SHA256"},
      {"algorithm and space", "SDK-HMAC-SHA256 "},
      {"wrong algorithm",
       "SDK-HMAC-SHA1 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + signature},
      {"algorithm suffix",
       "SDK-HMAC-SHA256X Access=AK, SignedHeaders=host, Signature=" + signature},
      {"lower-case algorithm",
       "sdk-hmac-sha256 Access=AK, SignedHeaders=host;x-sdk-date, "
       "Signature=" +
           signature},
      {"no space after algorithm",
       "SDK-HMAC-SHA256Access=AK, SignedHeaders=host;x-sdk-date, "
       "Signature=" +
           signature},
      {"missing signature", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date"},
      {"missing signature value", good_prefix + "Signature="},
      {"missing access", "SDK-HMAC-SHA256 SignedHeaders=host;x-sdk-date, Signature=" + signature},
      {"empty access",
       "SDK-HMAC-SHA256 Access=, SignedHeaders=host;x-sdk-date, Signature=" + signature},
      {"missing signed headers", "SDK-HMAC-SHA256 Access=AK, Signature=" + signature},
      {"empty signed headers", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=" + signature},
      {"empty signed header name",
       "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, "
       "Signature=" +
           signature},
      {"trailing semicolon",
       "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date;, "
       "Signature=" +
           signature},
      {"reordered",
       "SDK-HMAC-SHA256 Signature=" + signature + ", Access=AK, SignedHeaders=host;x-sdk-date"},
      {"short signature", good_prefix + "Signature=" + signature.substr(1)},
      {"long signature", good_prefix + "Signature=" + signature + "0"},
      {"non-hex signature", good_prefix + "Signature=" + signature.substr(1) + "g"},
      {"space before comma",
       "SDK-HMAC-SHA256 Access=AK , SignedHeaders=host;x-sdk-date, "
       "Signature=" +
           signature},
      {"space after equals",
       "SDK-HMAC-SHA256 Access= AK, SignedHeaders=host;x-sdk-date, "
       "Signature=" +
           signature},
      {"space inside signature",
       good_prefix + "Signature=" + signature.substr(0, 32) + " " + signature.substr(32)},
      {"extra part", good_prefix + "Signature=" + signature + ", Extra=1"},
      {"trailing comma", good_prefix + "Signature=" + signature + ","},
      {"lower-case key",
       "SDK-HMAC-SHA256 access=AK, SignedHeaders=host;x-sdk-date, Signature=" + signature},
  };
  for (const Case& test_case : cases) {
    absl::StatusOr<HuaweiAuthorization> parsed = ParseHuaweiAuthorization(test_case.header);
    EXPECT_FALSE(parsed.ok()) << test_case.label;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated) << test_case.label;
    EXPECT_EQ(common::ReasonOf(parsed.status()), "AUTH_MALFORMED") << test_case.label;
  }
}

// ---------------------------------------------------------------------------
// Canonicalisation tables (expected values cross-checked with huawei_sign.py).

TEST(HuaweiCanonicalUriTest, EncodesSegmentsAndAppendsSlash) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "/"},
      {"/", "/"},
      {"/v2/p/instances", "/v2/p/instances/"},
      {"/v2/p/instances/", "/v2/p/instances/"},
      {"//v2/p", "//v2/p/"},
      {"/groups/my%20group+x", "/groups/my%2520group%2Bx/"},
      {"/a b", "/a%20b/"},
      {"/a-b_c.d~e", "/a-b_c.d~e/"},
      {"/a*b!c'd(e)f", "/a%2Ab%21c%27d%28e%29f/"},
      {"/%C3%A4", "/%25C3%25A4/"},
      {"/\xC3\xA4", "/%C3%A4/"},
      {"/a:b@c;d=e,f", "/a%3Ab%40c%3Bd%3De%2Cf/"},
      {"/v2/%7Bproject_id%7D/instances", "/v2/%257Bproject_id%257D/instances/"},
  };
  for (const auto& [raw_path, expected] : cases) {
    EXPECT_EQ(HuaweiCanonicalUri(raw_path), expected) << raw_path;
  }
}

TEST(HuaweiCanonicalUriTest, DecodedFormDecodesThePathFirst) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v2/p/instances", "/v2/p/instances/"},
      {"/groups/my%20group+x", "/groups/my%20group%2Bx/"},
      {"/groups/my%20group%2Bx", "/groups/my%20group%2Bx/"},
      {"/groups/my%2520group", "/groups/my%2520group/"},
      {"/%C3%A4", "/%C3%A4/"},
      // Decoded per segment: an escaped '/' stays inside its segment.
      {"/a%2Fb", "/a%2Fb/"},
      {"/a%2fb%2A", "/a%2Fb%2A/"},
      {"", "/"},
      {"//v2/p%20q/", "//v2/p%20q/"},
  };
  for (const auto& [raw_path, expected] : cases) {
    common::HttpRequest request;
    request.method = "GET";
    request.target = raw_path;
    absl::StatusOr<std::string> canonical =
        HuaweiCanonicalRequest(request, {}, HuaweiPathForm::kDecoded);
    ASSERT_TRUE(canonical.ok()) << raw_path << ": " << canonical.status();
    EXPECT_EQ(common::Split(*canonical, '\n')[1], expected) << raw_path;
  }
}

TEST(HuaweiCanonicalQueryTest, DecodesSortsAndReencodes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"limit=10&offset=0", "limit=10&offset=0"},
      {"offset=0&limit=10", "limit=10&offset=0"},
      {"k=b&k=a&j=z", "j=z&k=a&k=b"},
      {"k=2&k=10&k=1", "k=1&k=10&k=2"},
      {"a=&a=x&a", "a=&a=&a=x"},
      {"name=a!b'c(d)e*f", "name=a%21b%27c%28d%29e%2Af"},
      {"name=my%20inst%2F%C3%A4*", "name=my%20inst%2F%C3%A4%2A"},
      {"q=a+b", "q=a%2Bb"},
      {"q=a%2Bb", "q=a%2Bb"},
      {"q=a%20b", "q=a%20b"},
      {"q=a b", "q=a%20b"},
      {"flag", "flag="},
      {"flag=", "flag="},
      {"&&a=1&", "a=1"},
      {"a=1=2", "a=1%3D2"},
      {"%61=1", "a=1"},
      {"a=%2f", "a=%2F"},
      // Sorted by the decoded key ('b' < '~' < U+00E4), not by the encoded form.
      {"%7E=1&%C3%A4=2&b=3", "b=3&~=1&%C3%A4=2"},
  };
  for (const auto& [raw_query, expected] : cases) {
    absl::StatusOr<std::string> canonical = HuaweiCanonicalQuery(raw_query);
    ASSERT_TRUE(canonical.ok()) << raw_query << ": " << canonical.status();
    EXPECT_EQ(*canonical, expected) << raw_query;
  }
}

TEST(HuaweiCanonicalQueryTest, RejectsBadEscapes) {
  for (std::string_view raw_query : {"a=%G1", "a=%4", "a=100%", "%=1", "a=1&b=%zz"}) {
    absl::StatusOr<std::string> canonical = HuaweiCanonicalQuery(raw_query);
    EXPECT_EQ(canonical.status().code(), absl::StatusCode::kInvalidArgument) << raw_query;
    EXPECT_EQ(common::ReasonOf(canonical.status()), "MALFORMED_QUERY") << raw_query;
  }
}

// ---------------------------------------------------------------------------
// Dates and primitives.

TEST(HuaweiSdkDateTest, ParsesValidDates) {
  const std::vector<std::pair<std::string, absl::CivilSecond>> cases = {
      {"20261122T180918Z", absl::CivilSecond(2026, 11, 22, 18, 9, 18)},
      {"20240229T000000Z", absl::CivilSecond(2024, 2, 29, 0, 0, 0)},
      {"19991231T235959Z", absl::CivilSecond(1999, 12, 31, 23, 59, 59)},
  };
  for (const auto& [text, civil] : cases) {
    absl::StatusOr<absl::Time> parsed = ParseSdkDate(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(*parsed, absl::FromCivil(civil, absl::UTCTimeZone())) << text;
  }
}

TEST(HuaweiSdkDateTest, RejectsBadDates) {
  for (std::string_view text :
       {"", "20261122T180918", "20261122 180918Z", "2026-11-22T18:09:18Z", "20261122t180918z",
        "20261322T000000Z", "20260001T000000Z", "20260230T000000Z", "20230229T000000Z",
        "20261100T000000Z", "20261122T240000Z", "20261122T186000Z", "20261122T180960Z",
        "2026112aT180918Z", "+0261122T180918Z", " 20261122T180918Z", "20261122T180918Z ",
        "20261122T180918ZZ", "Sun, 22 Nov 2026 18:09:18 GMT"}) {
    absl::StatusOr<absl::Time> parsed = ParseSdkDate(text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated) << text;
    EXPECT_EQ(common::ReasonOf(parsed.status()), "AUTH_BAD_DATE") << text;
  }
}

TEST(HuaweiSignatureTest, MatchesKnownHmacSha256Values) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HuaweiSignature("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Empty key and message.
  EXPECT_EQ(HuaweiSignature("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HuaweiStringToSignTest, HashesCanonicalRequest) {
  EXPECT_EQ(HuaweiStringToSign("", "20261122T180918Z"),
            "SDK-HMAC-SHA256\n20261122T180918Z\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace connectplane::auth
