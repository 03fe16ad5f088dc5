// The scoped variant of Huawei's SDK-HMAC-SHA256 signature, as the Open Telekom
// Cloud Go SDK (gophertelekomcloud signer_helper.go) and so the
// opentelekomcloud Terraform provider compute it:
//   Authorization: SDK-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/<service>/sdk_request,
//                  SignedHeaders=<h1;h2>, Signature=<hex>
//   signing key    = HMAC(HMAC(HMAC(HMAC("SDK"+SK, yyyymmdd), region), service), "sdk_request")
//   string to sign = "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<scope>\n<hex sha256(canonical request)>"
// where <scope> is "<yyyymmdd>/<region>/<service>/sdk_request". Its canonical
// request differs from the plain scheme's (huawei_signer.h) in three places,
// each as the Go source does it: header values have whitespace runs folded to
// one space (not trimmed); the query keeps only the first value of each key,
// '+' means space, and keys are sorted case-insensitively; a POST without a
// body signs an empty query and hashes the query's url.Values encoding as its
// payload. Stateless free functions; safe for concurrent use.
#pragma once

#include "auth/huawei_signer.h"
#include "common/http_message.h"

#include "absl/status/statusor.h"
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::auth {

// Which payload the client hashed. A Go request with a nil body and method
// POST hashes its query (kQueryAsPayload); the wire cannot tell a nil body
// from an empty one, so a verifier tries both for an empty POST.
enum class ScopedPayloadForm { kBody, kQueryAsPayload };

// "<yyyymmdd>/<region>/<service>/sdk_request".
std::string ScopedHuaweiScopeString(const HuaweiCredentialScope& scope);

// The canonical request of the scoped scheme over `signed_headers` (lower-case
// names, as listed). Errors: InvalidArgument "MALFORMED_PATH" or
// "MALFORMED_QUERY" on a bad percent-escape.
absl::StatusOr<std::string> ScopedHuaweiCanonicalRequest(
    const common::HttpRequest& request, const std::vector<std::string>& signed_headers,
    ScopedPayloadForm payload_form = ScopedPayloadForm::kBody);

// The derived signing key (32 raw bytes) for `scope`.
std::string ScopedHuaweiSigningKey(std::string_view secret_key, const HuaweiCredentialScope& scope);

// Whether authorization.signature is the scoped signature of `request` made at
// `sdk_date` (the X-Sdk-Date value), compared in constant time. Only the
// signature: the date, skew and scope-date checks are VerifyHuaweiRequest's.
// Errors: those of ScopedHuaweiCanonicalRequest.
absl::StatusOr<bool> ScopedHuaweiSignatureMatches(const common::HttpRequest& request,
                                                  const HuaweiAuthorization& authorization,
                                                  std::string_view secret_key,
                                                  std::string_view sdk_date);

// Client side (tests and tools): the Authorization value for `request`, signed
// in the scoped form with the request's X-Sdk-Date (whose first 8 characters
// become the scope date). Errors: InvalidArgument "AUTH_BAD_DATE" without
// X-Sdk-Date; those of ScopedHuaweiCanonicalRequest.
absl::StatusOr<std::string> SignScopedHuaweiRequest(const common::HttpRequest& request,
                                                    std::string_view access_key,
                                                    std::string_view secret_key,
                                                    std::string_view region,
                                                    std::string_view service,
                                                    const std::vector<std::string>& signed_headers);

}  // namespace connectplane::auth
