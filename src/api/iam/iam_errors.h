// The one place that maps Status (code + reason) to the identity dialect's wire
// error, Keystone's envelope: {"error":{"code":<http status>,"message":..,
// "title":..}}. Pure functions.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include <string>

namespace connectplane::api::iam {

// Reasons the dialect itself raises (the service raises the identity ones).
inline constexpr std::string_view kReasonUnknownApi = "IAM_UNKNOWN_API";
inline constexpr std::string_view kReasonBadRequest = "IAM_BAD_REQUEST";
inline constexpr std::string_view kReasonAuthMissing = "IAM_AUTH_MISSING";

struct IamError {
  int http_status;
  std::string title;    // the HTTP reason phrase Keystone puts in "title"
  std::string message;  // the status message when it carries a reason, else a fixed one
};

// An injected fault (common::InjectedFaultOf) -> its status, that status's
// reason phrase and its message. Otherwise:
// InvalidArgument -> 400 Bad Request, Unauthenticated -> 401 Unauthorized,
// PermissionDenied -> 403 Forbidden, NotFound -> 404 Not Found, Unavailable
// -> 503, anything else -> 500. Messages without a reason (store or internal
// errors) are replaced by a fixed text, so no SQL or driver text leaks.
IamError ToIamError(const absl::Status& status);

// The error answer with Content-Type and X-Request-Id, and the reason (an
// injected fault's error code) in the response's access info. Server errors
// and reason-less statuses are logged under the request id.
common::HttpResponse IamErrorResponse(const absl::Status& status, const std::string& request_id);

}  // namespace connectplane::api::iam
