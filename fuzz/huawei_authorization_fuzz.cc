// The SDK-HMAC-SHA256 signature header and canonical request: fuzzed
// Authorization values, methods, targets, headers and bodies go through
// ParseHuaweiAuthorization and VerifyHuaweiRequest. Oracles:
//  - a parsed header re-serializes to one that parses to the same value;
//  - a request signed with SignHuaweiRequest (over any fuzzed method, target,
//    headers and body) verifies, unless its query is malformed or a fuzzed
//    X-Sdk-Content-Sha256 legitimately disagrees with the body.
// Input fields are FuzzedDataProvider strings (backslash-terminated); see
// fuzz/corpus/huawei_authorization/ for the layout.
#include "auth/huawei_signer.h"
#include "common/http_message.h"
#include "common/strings.h"

#include <openssl/evp.h>

#include "absl/time/time.h"
#include "fuzz_common.h"
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fuzzer/FuzzedDataProvider.h>
#include <string>
#include <vector>

namespace {

namespace auth = connectplane::auth;
namespace common = connectplane::common;
namespace fz = connectplane::fuzz;

constexpr size_t kMaxExtraHeaders = 12;

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(data.data(), data.size(), digest, &digest_size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int idx = 0; idx < digest_size; ++idx) {
    out.push_back(kHex[digest[idx] >> 4]);
    out.push_back(kHex[digest[idx] & 0x0f]);
  }
  return out;
}

bool IsTokenName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

void CheckParseRoundTrip(const auth::HuaweiAuthorization& parsed) {
  if (parsed.access_key.empty() || parsed.signed_headers.empty() || parsed.signature.size() != 64 ||
      Lower(parsed.signature) != parsed.signature) {
    fz::OracleFailed("parsed authorization breaks its contract");
  }
  std::string joined;
  for (const std::string& name : parsed.signed_headers) {
    if (name.empty()) {
      fz::OracleFailed("empty signed header name accepted");
    }
    joined += (joined.empty() ? "" : ";") + name;
  }
  auto again = auth::ParseHuaweiAuthorization(
      common::StrCat("SDK-HMAC-SHA256 Access=", parsed.access_key, ", SignedHeaders=", joined,
                     ", Signature=", parsed.signature));
  if (!again.ok() || again->access_key != parsed.access_key ||
      again->signed_headers != parsed.signed_headers || again->signature != parsed.signature) {
    fz::OracleFailed("authorization does not survive a re-serialization");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider provider(data, size);
  const std::string authorization = provider.ConsumeRandomLengthString();
  const std::string method = provider.ConsumeRandomLengthString();
  const std::string target = provider.ConsumeRandomLengthString();
  const std::string body = provider.ConsumeRandomLengthString();
  common::HeaderList extra_headers;
  while (provider.remaining_bytes() > 0 && extra_headers.size() < kMaxExtraHeaders) {
    std::string name = provider.ConsumeRandomLengthString();
    std::string value = provider.ConsumeRandomLengthString();
    extra_headers.emplace_back(std::move(name), std::move(value));
  }
  const absl::Time now = absl::FromUnixSeconds(1795000000);
  const std::string sdk_date = absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone());

  // 1. The header as a client sent it, against a request carrying it.
  common::HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  request.headers = extra_headers;
  request.headers.emplace_back("Authorization", authorization);
  auto parsed = auth::ParseHuaweiAuthorization(authorization);
  if (parsed.ok()) {
    CheckParseRoundTrip(*parsed);
    (void)auth::VerifyHuaweiRequest(request, *parsed, fz::kSk, now);
    // Again with a valid date first, so verification reaches canonicalization.
    request.headers.insert(request.headers.begin(), {"X-Sdk-Date", sdk_date});
    (void)auth::VerifyHuaweiRequest(request, *parsed, fz::kSk, now);
  }
  for (const auto& [name, value] : extra_headers) {
    if (common::EqualsIgnoreCase(name, "X-Sdk-Date")) {
      (void)auth::ParseSdkDate(value);
    }
  }

  // 2. Sign-then-verify over the fuzzed request.
  common::HttpRequest signed_request;
  signed_request.method = method;
  signed_request.target = target;
  signed_request.body = body;
  signed_request.headers = {{"X-Sdk-Date", sdk_date}, {"host", "127.0.0.1:18080"}};
  std::vector<std::string> signed_names = {"host", "x-sdk-date"};
  for (const auto& [name, value] : extra_headers) {
    signed_request.headers.emplace_back(name, value);
    if (IsTokenName(name)) {
      signed_names.push_back(Lower(name));
    }
  }
  auto header = auth::SignHuaweiRequest(signed_request, fz::kAk, fz::kSk, signed_names);
  if (!header.ok()) {
    if (auth::HuaweiCanonicalQuery(signed_request.RawQuery()).ok()) {
      fz::OracleFailed("signing failed on a well-formed query");
    }
    return 0;
  }
  auto reparsed = auth::ParseHuaweiAuthorization(*header);
  if (!reparsed.ok()) {
    fz::OracleFailed("our own Authorization header does not parse: " + *header);
  }
  signed_request.headers.emplace_back("Authorization", *header);
  const auto content_sha256 = signed_request.Header("X-Sdk-Content-Sha256");
  const bool body_hash_consistent = !content_sha256 || content_sha256->empty() ||
                                    *content_sha256 == "UNSIGNED-PAYLOAD" ||
                                    common::EqualsIgnoreCase(*content_sha256, Sha256Hex(body));
  absl::Status verified = auth::VerifyHuaweiRequest(signed_request, *reparsed, fz::kSk, now);
  if (body_hash_consistent && !verified.ok()) {
    fz::OracleFailed("signed request does not verify: " + verified.ToString());
  }
  if (!body_hash_consistent && verified.ok()) {
    fz::OracleFailed("X-Sdk-Content-Sha256 that disagrees with the body was accepted");
  }
  // Another secret must never verify.
  if (auth::VerifyHuaweiRequest(signed_request, *reparsed, "OtherSecret", now).ok()) {
    fz::OracleFailed("signature verified under the wrong secret");
  }
  return 0;
}
