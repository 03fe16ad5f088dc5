#include "auth/zenlayer_signer.h"

#include "auth/digest.h"
#include "common/status.h"
#include "common/strings.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include <cstdlib>

namespace connectplane::auth {
namespace {

constexpr size_t kSignatureHexLength = 64;
constexpr size_t kMaxTimestampDigits = 12;

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && IsOws(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsOws(text.back())) text.remove_suffix(1);
  return text;
}

absl::Status Malformed(std::string_view detail) {
  return common::Unauthenticated(kReasonZenlayerAuthMalformed,
                                 common::StrCat("Authorization header is malformed: ", detail));
}

// Reads "<name>=<value>" from `part` (already trimmed) into `value`; false
// when `part` is not that name.
bool ReadPart(std::string_view part, std::string_view name, std::string_view& value) {
  if (!part.starts_with(name) || part.size() <= name.size() || part[name.size()] != '=') {
    return false;
  }
  value = TrimOws(part.substr(name.size() + 1));
  return true;
}

std::string HeaderOrEmpty(const common::HttpRequest& request, std::string_view name) {
  std::optional<std::string_view> value = request.Header(name);
  return value ? std::string(*value) : std::string();
}

}  // namespace

absl::StatusOr<ZenlayerAuthorization> ParseZenlayerAuthorization(std::string_view header_value) {
  std::string_view text = TrimOws(header_value);
  if (!text.starts_with(kZenlayerAlgorithm) || text.size() == kZenlayerAlgorithm.size() ||
      !IsOws(text[kZenlayerAlgorithm.size()])) {
    return Malformed("expected the ZC2-HMAC-SHA256 scheme");
  }
  text = TrimOws(text.substr(kZenlayerAlgorithm.size()));
  std::vector<std::string_view> parts = common::Split(text, ',');
  if (parts.size() != 3) {
    return Malformed("expected Credential, SignedHeaders and Signature");
  }
  std::string_view credential, signed_headers, signature;
  if (!ReadPart(TrimOws(parts[0]), "Credential", credential) || credential.empty() ||
      credential.find_first_of(" \t") != std::string_view::npos) {
    return Malformed("missing or empty Credential");
  }
  if (!ReadPart(TrimOws(parts[1]), "SignedHeaders", signed_headers) ||
      signed_headers != kZenlayerSignedHeaders) {
    return Malformed("SignedHeaders must be content-type;host");
  }
  if (!ReadPart(TrimOws(parts[2]), "Signature", signature) ||
      signature.size() != kSignatureHexLength) {
    return Malformed("Signature must be 64 hex digits");
  }
  ZenlayerAuthorization authorization;
  authorization.access_key_id = std::string(credential);
  authorization.signature.reserve(kSignatureHexLength);
  for (char c : signature) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return Malformed("Signature must be 64 hex digits");
    }
    authorization.signature.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return authorization;
}

std::string ZenlayerSha256Hex(std::string_view data) { return Sha256Hex(data); }

std::string ZenlayerCanonicalRequest(std::string_view content_type, std::string_view host,
                                     std::string_view body) {
  // The canonical URI is always "/" and the query always empty, whatever the
  // real path (/api/v2/sdn): that is what every SDK signs.
  return common::StrCat("POST\n/\n\ncontent-type:", content_type, "\nhost:", host, "\n\n",
                        kZenlayerSignedHeaders, "\n", ZenlayerSha256Hex(body));
}

std::string ZenlayerStringToSign(std::string_view timestamp, std::string_view canonical_request) {
  return common::StrCat(kZenlayerAlgorithm, "\n", timestamp, "\n",
                        ZenlayerSha256Hex(canonical_request));
}

std::string ZenlayerSignature(std::string_view access_key_password,
                              std::string_view string_to_sign) {
  return HmacSha256Hex(access_key_password, string_to_sign);
}

std::string ZenlayerAuthorizationHeader(std::string_view access_key_id,
                                        std::string_view signature) {
  return common::StrCat(kZenlayerAlgorithm, " Credential=", access_key_id,
                        ", SignedHeaders=", kZenlayerSignedHeaders, ", Signature=", signature);
}

absl::StatusOr<absl::Time> ParseZenlayerTimestamp(std::string_view timestamp) {
  if (timestamp.empty() || timestamp.size() > kMaxTimestampDigits) {
    return common::Unauthenticated(kReasonZenlayerBadTimestamp,
                                   "X-ZC-Timestamp must be Unix seconds");
  }
  int64_t seconds = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') {
      return common::Unauthenticated(kReasonZenlayerBadTimestamp,
                                     "X-ZC-Timestamp must be Unix seconds");
    }
    seconds = seconds * 10 + (c - '0');
  }
  return absl::FromUnixSeconds(seconds);
}

std::string SignZenlayerRequest(const common::HttpRequest& request, std::string_view access_key_id,
                                std::string_view access_key_password) {
  std::string canonical = ZenlayerCanonicalRequest(HeaderOrEmpty(request, "Content-Type"),
                                                   HeaderOrEmpty(request, "Host"), request.body);
  std::string string_to_sign =
      ZenlayerStringToSign(HeaderOrEmpty(request, kZenlayerTimestampHeader), canonical);
  return ZenlayerAuthorizationHeader(access_key_id,
                                     ZenlayerSignature(access_key_password, string_to_sign));
}

absl::Status VerifyZenlayerRequest(const common::HttpRequest& request,
                                   const ZenlayerAuthorization& authorization,
                                   std::string_view access_key_password, absl::Time now,
                                   absl::Duration max_skew) {
  std::optional<std::string_view> method = request.Header(kZenlayerSignatureMethodHeader);
  if (method && *method != kZenlayerAlgorithm) {
    return common::Unauthenticated(
        kReasonZenlayerAuthMalformed,
        common::StrCat("X-ZC-Signature-Method must be ", kZenlayerAlgorithm));
  }
  std::optional<std::string_view> timestamp = request.Header(kZenlayerTimestampHeader);
  if (!timestamp) {
    return common::Unauthenticated(kReasonZenlayerBadTimestamp, "X-ZC-Timestamp is missing");
  }
  ASSIGN_OR_RETURN(absl::Time signed_at, ParseZenlayerTimestamp(*timestamp));
  if (absl::AbsDuration(now - signed_at) > max_skew) {
    return common::Unauthenticated(
        kReasonZenlayerExpired,
        common::StrCat("The signature has expired: X-ZC-Timestamp ", *timestamp,
                       " differs from the server time by more than ",
                       absl::ToInt64Seconds(max_skew), " seconds"));
  }
  std::string canonical = ZenlayerCanonicalRequest(HeaderOrEmpty(request, "Content-Type"),
                                                   HeaderOrEmpty(request, "Host"), request.body);
  std::string expected =
      ZenlayerSignature(access_key_password, ZenlayerStringToSign(*timestamp, canonical));
  const std::string& given = authorization.signature;
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return common::Unauthenticated(kReasonZenlayerMismatch, "The request signature does not match");
  }
  return absl::OkStatus();
}

}  // namespace connectplane::auth
