// Huawei Cloud / Open Telekom Cloud "SDK-HMAC-SHA256" AK/SK request signing,
// computed exactly as the official SDKs compute it (Node core/auth/AKSKSigner.js,
// Python signer/signer.py, Go core/auth/signer/signer.go, chnsz/golangsdk
// auth/core/signer/signer.go; the scoped "Credential=" form of
// gophertelekomcloud is in huawei_scoped_signer.h),
// from the server's point of view: it works on a request as received on the
// wire. Stateless free functions; safe for concurrent use.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::auth {

inline constexpr std::string_view kHuaweiAlgorithm = "SDK-HMAC-SHA256";
inline constexpr absl::Duration kHuaweiMaxClockSkew = absl::Minutes(15);

// The credential scope of gophertelekomcloud's form:
// "Credential=<AK>/<yyyymmdd>/<region>/<service>/sdk_request". Region and
// service may be empty (the OTC provider leaves both empty).
struct HuaweiCredentialScope {
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
};

struct HuaweiAuthorization {
  std::string access_key;
  // Set for the scoped form ("Credential=..."), empty for "Access=<AK>".
  std::optional<HuaweiCredentialScope> scope;
  // As listed in the header, kept verbatim (the SDK always sends lower-case);
  // they appear verbatim in the canonical request and are looked up in the
  // request's headers case-insensitively.
  std::vector<std::string> signed_headers;
  std::string signature;  // 64 lower-case hex chars
};

// Parses "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>"
// or the scoped form "SDK-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/
// <service>/sdk_request, SignedHeaders=..., Signature=..." (the scope must have
// exactly those five '/'-separated parts, an 8-digit date and the literal
// "sdk_request"). The three parts must come in that order; spaces/tabs are allowed around the
// value and after each ',', not inside a part. Access and each signed header name
// must be non-empty; the signature must be exactly 64 hex digits (upper-case is
// accepted and returned lower-case).
// Errors: Unauthenticated with reason "AUTH_MALFORMED" when the header does not
// have that shape (wrong algorithm, missing part, non-hex or wrong-length signature).
absl::StatusOr<HuaweiAuthorization> ParseHuaweiAuthorization(std::string_view header_value);

// CanonicalURI: raw path split on '/', each segment percent-encoded (unreserved
// A-Z a-z 0-9 - _ . ~, upper-case hex, '%' itself encoded), trailing '/' appended.
std::string HuaweiCanonicalUri(std::string_view raw_path);

// Which path the SDK put into CanonicalURI. The forms differ only for a path
// with '%' escapes: the Node SDK encodes the path as sent (`my%20g+x` ->
// `my%2520g%2Bx`), the Python and Go SDKs encode it percent-decoded
// (`my%20g+x` -> `my%20g%2Bx`). kDecoded decodes each segment on its own, so
// `%2F` stays in its segment (Python decodes the whole path first and would
// split there).
enum class HuaweiPathForm { kAsSent, kDecoded };

// CanonicalQuery: decode the raw query ('+' literal), re-encode keys and values
// strictly, sort by decoded key then value (bytewise), join "k=v" with '&'. A key
// without '=' gets an empty value; empty '&'-segments are dropped; "" gives "".
// Errors: InvalidArgument with reason "MALFORMED_QUERY" on a bad escape ("%G1", "%4").
absl::StatusOr<std::string> HuaweiCanonicalQuery(std::string_view raw_query);

// The full canonical request for `request` given the signed header list:
// METHOD \n CanonicalURI \n CanonicalQuery \n one "name:value\n" per signed
// header (value trimmed; a header missing from the request gives "") \n
// SignedHeaders joined by ';' \n payload hash. The payload hash is the literal
// X-Sdk-Content-Sha256 value when that header is present and non-empty, else
// the hex sha256 of the raw body. Errors: those of HuaweiCanonicalQuery; with
// kDecoded, InvalidArgument "MALFORMED_PATH" when the path has a bad escape.
absl::StatusOr<std::string> HuaweiCanonicalRequest(
    const common::HttpRequest& request, const std::vector<std::string>& signed_headers,
    HuaweiPathForm path_form = HuaweiPathForm::kAsSent);

// "SDK-HMAC-SHA256\n<sdk_date>\n<hex sha256 of canonical_request>".
std::string HuaweiStringToSign(std::string_view canonical_request, std::string_view sdk_date);

// Hex HMAC-SHA256 keyed with the secret key's bytes.
std::string HuaweiSignature(std::string_view secret_key, std::string_view string_to_sign);

// Parses an X-Sdk-Date value "YYYYMMDDTHHMMSSZ" (UTC). Errors: Unauthenticated
// with reason "AUTH_BAD_DATE".
absl::StatusOr<absl::Time> ParseSdkDate(std::string_view sdk_date);

// Client side (used by tests and tools): returns the Authorization header value
// for `request`, signing `signed_headers` (lower-case names) with the request's
// X-Sdk-Date value verbatim. Errors: InvalidArgument "AUTH_BAD_DATE" when the
// request has no X-Sdk-Date header; those of HuaweiCanonicalRequest.
absl::StatusOr<std::string> SignHuaweiRequest(const common::HttpRequest& request,
                                              std::string_view access_key,
                                              std::string_view secret_key,
                                              const std::vector<std::string>& signed_headers,
                                              HuaweiPathForm path_form = HuaweiPathForm::kAsSent);

// Server side. Verifies `request` (already known to carry `authorization`,
// whose AK resolved to `secret_key`) at time `now`, in either form (a scoped
// authorization is verified as huawei_scoped_signer.h describes, after the
// same date, skew, x-sdk-date and content-hash checks, and its scope date must
// be X-Sdk-Date's day, else Unauthenticated "AUTH_MALFORMED"):
//  - X-Sdk-Date present and parseable (else Unauthenticated "AUTH_BAD_DATE"),
//  - within `max_skew` of now (else Unauthenticated "AUTH_EXPIRED"),
//  - signed headers include x-sdk-date (else Unauthenticated "AUTH_MALFORMED"); host
//    need not be signed (the Go SDK never signs it), and then the signature does not
//    bind the request to this server's host name,
//  - an X-Sdk-Content-Sha256 header, unless it is "UNSIGNED-PAYLOAD", equals the
//    body's sha256 (else Unauthenticated "AUTH_SIGNATURE_MISMATCH"),
//  - signature matches, compared in constant time, over the path as sent or, when
//    the path has '%' escapes, over the decoded path (HuaweiPathForm; else
//    Unauthenticated "AUTH_SIGNATURE_MISMATCH").
// A query with a bad escape gives InvalidArgument "MALFORMED_QUERY". With
// "X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD" the body is not authenticated.
absl::Status VerifyHuaweiRequest(const common::HttpRequest& request,
                                 const HuaweiAuthorization& authorization,
                                 std::string_view secret_key, absl::Time now,
                                 absl::Duration max_skew = kHuaweiMaxClockSkew);

}  // namespace connectplane::auth
