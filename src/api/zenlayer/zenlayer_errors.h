// The one place that maps Status (code + domain reason) to the Zenlayer Cloud
// API 2.0 wire error: HTTP status, code, message, rendered in Zenlayer's flat
// envelope {"requestId","code","message"}. Pure functions; thread-safe.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include <string>
#include <string_view>

namespace connectplane::api::zenlayer {

// Reasons the dialect itself raises (the service and the signer raise theirs).
inline constexpr std::string_view kReasonMissingAction = "ZC_MISSING_ACTION";
inline constexpr std::string_view kReasonUnknownAction = "ZC_UNKNOWN_ACTION";
inline constexpr std::string_view kReasonUnknownService = "ZC_UNKNOWN_SERVICE";
inline constexpr std::string_view kReasonMethodNotAllowed = "ZC_METHOD_NOT_ALLOWED";
inline constexpr std::string_view kReasonMissingParameter = "ZC_MISSING_PARAMETER";
inline constexpr std::string_view kReasonInvalidParameter = "ZC_INVALID_PARAMETER";
inline constexpr std::string_view kReasonUnknownCredential = "ZC_AUTH_UNKNOWN_KEY";
inline constexpr std::string_view kReasonUnknownToken = "ZC_AUTH_UNKNOWN_TOKEN";
inline constexpr std::string_view kReasonBodyTooLarge = "ZC_BODY_TOO_LARGE";
inline constexpr std::string_view kReasonHeadersTooLarge = "ZC_HEADERS_TOO_LARGE";

struct ZenlayerError {
  int http_status;
  std::string code;
  std::string message;
};

// Maps a non-OK status. An injected fault (common::InjectedFaultOf) answers
// what its rule says. Unmapped reasons fall back by canonical code
// (InvalidArgument -> 400 INVALID_PARAMETER, NotFound -> 404
// INVALID_RESOURCE_NOT_FOUND, Unauthenticated -> 401 AUTH_FAILED,
// PermissionDenied -> 403 and FailedPrecondition, Aborted -> 409
// OPERATION_DENIED, Unavailable -> 503 SERVICE_TEMPORARY_UNAVAILABLE, anything
// else -> 500 INTERNAL_SERVER_ERROR). The message of a status is shown only
// when it carries a reason (common::WithReason: written for clients); any
// other status (the store's, an internal error) gets its code's fixed message,
// so SQL, driver and file-system text never reach a client.
ZenlayerError ToZenlayerError(const absl::Status& status);

// Renders the error envelope with Content-Type and X-Request-Id, and the error
// code in the response's access info.
common::HttpResponse ErrorResponse(const absl::Status& status, const std::string& request_id);

}  // namespace connectplane::api::zenlayer
