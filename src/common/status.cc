#include "common/status.h"

#include "absl/strings/cord.h"
#include "common/strings.h"

namespace connectplane::common {
namespace {

constexpr std::string_view kReasonTypeUrl = "type.connectplane.dev/reason";

absl::Status Make(absl::StatusCode code, std::string_view reason, std::string_view message) {
  return WithReason(absl::Status(code, ToAbsl(message)), reason);
}

}  // namespace

absl::Status WithReason(absl::Status status, std::string_view reason) {
  if (!status.ok()) {
    status.SetPayload(ToAbsl(kReasonTypeUrl), absl::Cord(ToAbsl(reason)));
  }
  return status;
}

absl::Status InvalidArgument(std::string_view reason, std::string_view message) {
  return Make(absl::StatusCode::kInvalidArgument, reason, message);
}
absl::Status NotFound(std::string_view reason, std::string_view message) {
  return Make(absl::StatusCode::kNotFound, reason, message);
}
absl::Status FailedPrecondition(std::string_view reason, std::string_view message) {
  return Make(absl::StatusCode::kFailedPrecondition, reason, message);
}
absl::Status AlreadyExists(std::string_view reason, std::string_view message) {
  return Make(absl::StatusCode::kAlreadyExists, reason, message);
}
absl::Status Unauthenticated(std::string_view reason, std::string_view message) {
  return Make(absl::StatusCode::kUnauthenticated, reason, message);
}
absl::Status PermissionDenied(std::string_view reason, std::string_view message) {
  return Make(absl::StatusCode::kPermissionDenied, reason, message);
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(ToAbsl(kReasonTypeUrl));
  return payload.has_value() ? std::string(*payload) : std::string();
}

absl::Status Annotate(const absl::Status& status, std::string_view context) {
  if (status.ok()) {
    return status;
  }
  absl::Status annotated(status.code(), StrCat(context, ": ", status.message()));
  status.ForEachPayload([&annotated](absl::string_view type_url, const absl::Cord& payload) {
    annotated.SetPayload(type_url, payload);
  });
  return annotated;
}

}  // namespace connectplane::common
