// The one place that maps Status (code + domain reason) to the DMS for Kafka /
// APIG wire error: HTTP status, error_code, error_msg. Pure functions.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include <string>

namespace connectplane::api::dms {

// Reasons the dialect itself raises (the service raises the domain ones).
inline constexpr std::string_view kReasonUnknownApi = "UNKNOWN_API";
inline constexpr std::string_view kReasonEmptyBody = "EMPTY_BODY";
inline constexpr std::string_view kReasonInvalidParameter = "INVALID_PARAMETER";
inline constexpr std::string_view kReasonBodyTooLarge = "BODY_TOO_LARGE";
inline constexpr std::string_view kReasonHeadersTooLarge = "HEADERS_TOO_LARGE";

struct DmsError {
  int http_status;
  std::string error_code;
  std::string error_msg;
};

// Maps a non-OK status. An injected fault (common::InjectedFaultOf) answers
// what its rule says. Unmapped reasons fall back by canonical code
// (InvalidArgument -> 400 DMS.00400062, NotFound -> 404 DMS.00404022,
// FailedPrecondition and Aborted -> 400 DMS.00400026, Unavailable -> 503,
// anything else -> 500 DMS.00500000). The message of a status is shown only
// when it carries a reason (common::WithReason: written for clients); any
// other status (the store's, an internal error) gets its code's fixed message,
// so SQL, driver and file-system text never reach a client.
DmsError ToDmsError(const absl::Status& status);

// Renders {"error_code","error_msg","request_id"} with X-Request-Id, and the
// error code in the response's access info.
common::HttpResponse ErrorResponse(const absl::Status& status, const std::string& request_id);

// InvalidArgument BODY_TOO_LARGE / HEADERS_TOO_LARGE when the transport refused
// the request before reading it whole, OK otherwise.
absl::Status TransportRejection(const common::HttpRequest& request);

}  // namespace connectplane::api::dms
