// Zenlayer Cloud API 2.0 "ZC2-HMAC-SHA256" request signing, computed exactly as
// the official SDKs compute it (docs/reference/zenlayer-sdn-api.md section 1.3),
// from the server's point of view: it works on a request as received on the
// wire. Stateless free functions; safe for concurrent use.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <string>
#include <string_view>

namespace connectplane::auth {

inline constexpr std::string_view kZenlayerAlgorithm = "ZC2-HMAC-SHA256";
// The only header list the algorithm signs (fixed by every SDK).
inline constexpr std::string_view kZenlayerSignedHeaders = "content-type;host";

// Maximum difference between X-ZC-Timestamp and our clock, either direction.
// [unconfirmed] No Zenlayer source states a window; 5 minutes is our choice
// (the value Tencent's similar TC3 scheme uses).
inline constexpr absl::Duration kZenlayerMaxClockSkew = absl::Minutes(5);

inline constexpr std::string_view kZenlayerTimestampHeader = "X-ZC-Timestamp";
inline constexpr std::string_view kZenlayerSignatureMethodHeader = "X-ZC-Signature-Method";

// Reasons (common::ReasonOf) of the Unauthenticated errors below; the dialect
// maps them to wire codes.
inline constexpr std::string_view kReasonZenlayerAuthMissing = "ZC_AUTH_MISSING";
inline constexpr std::string_view kReasonZenlayerAuthMalformed = "ZC_AUTH_MALFORMED";
inline constexpr std::string_view kReasonZenlayerBadTimestamp = "ZC_AUTH_BAD_TIMESTAMP";
inline constexpr std::string_view kReasonZenlayerExpired = "ZC_AUTH_EXPIRED";
inline constexpr std::string_view kReasonZenlayerMismatch = "ZC_AUTH_SIGNATURE_MISMATCH";

struct ZenlayerAuthorization {
  std::string access_key_id;
  std::string signature;  // 64 lower-case hex chars
};

// Parses "ZC2-HMAC-SHA256 Credential=<id>, SignedHeaders=content-type;host,
// Signature=<hex>". The three parts must come in that order, separated by ','
// with optional spaces/tabs around them. Credential must be non-empty,
// SignedHeaders must be exactly "content-type;host" (the algorithm signs no
// other list) and the signature exactly 64 hex digits (upper-case accepted,
// returned lower-case). Errors: Unauthenticated ZC_AUTH_MALFORMED otherwise.
absl::StatusOr<ZenlayerAuthorization> ParseZenlayerAuthorization(std::string_view header_value);

// Lower-case hex SHA-256 of `data`.
std::string ZenlayerSha256Hex(std::string_view data);

// "POST\n/\n\ncontent-type:<content_type>\nhost:<host>\n\ncontent-type;host\n<sha256(body)>".
// Values are used verbatim (not trimmed or lower-cased), as the SDKs do.
std::string ZenlayerCanonicalRequest(std::string_view content_type, std::string_view host,
                                     std::string_view body);

// "ZC2-HMAC-SHA256\n<timestamp>\n<hex sha256 of canonical_request>".
std::string ZenlayerStringToSign(std::string_view timestamp, std::string_view canonical_request);

// Lower-case hex HMAC-SHA256 keyed with the raw password bytes (no key derivation).
std::string ZenlayerSignature(std::string_view access_key_password,
                              std::string_view string_to_sign);

// "ZC2-HMAC-SHA256 Credential=<id>, SignedHeaders=content-type;host, Signature=<sig>".
std::string ZenlayerAuthorizationHeader(std::string_view access_key_id, std::string_view signature);

// Parses an X-ZC-Timestamp value: 1-12 decimal digits, Unix seconds.
// Errors: Unauthenticated ZC_AUTH_BAD_TIMESTAMP.
absl::StatusOr<absl::Time> ParseZenlayerTimestamp(std::string_view timestamp);

// Client side (tests and tools): the Authorization value for `request`, signed
// with its Content-Type, Host and X-ZC-Timestamp header values verbatim (a
// missing header counts as ""). Never fails.
std::string SignZenlayerRequest(const common::HttpRequest& request, std::string_view access_key_id,
                                std::string_view access_key_password);

// Server side. Verifies `request` (whose Authorization parsed to
// `authorization`, whose key id resolved to `access_key_password`) at `now`:
//  - X-ZC-Signature-Method, when present, is ZC2-HMAC-SHA256 (else ZC_AUTH_MALFORMED),
//  - X-ZC-Timestamp present and parseable (else ZC_AUTH_BAD_TIMESTAMP),
//  - within `max_skew` of now (else ZC_AUTH_EXPIRED),
//  - the signature recomputed from the received Content-Type, Host, timestamp
//    and body bytes matches, compared in constant time (else ZC_AUTH_SIGNATURE_MISMATCH).
// All errors are Unauthenticated.
absl::Status VerifyZenlayerRequest(const common::HttpRequest& request,
                                   const ZenlayerAuthorization& authorization,
                                   std::string_view access_key_password, absl::Time now,
                                   absl::Duration max_skew = kZenlayerMaxClockSkew);

}  // namespace connectplane::auth
