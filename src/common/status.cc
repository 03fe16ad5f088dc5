#include "common/status.h"

#include "common/strings.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"

namespace connectplane::common {
namespace {

constexpr std::string_view kReasonTypeUrl = "type.connectplane.dev/reason";
constexpr std::string_view kInjectedFaultTypeUrl = "type.connectplane.dev/injected-fault";
// Separates the fields of an injected fault's payload.
constexpr char kFieldSeparator = '\x1f';

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

absl::Status InjectedFaultError(const InjectedFault& fault) {
  absl::Status status(fault.http_status >= 500 ? absl::StatusCode::kUnavailable
                                               : absl::StatusCode::kFailedPrecondition,
                      ToAbsl(fault.error_message));
  status.SetPayload(
      ToAbsl(kInjectedFaultTypeUrl),
      absl::Cord(ToAbsl(StrCat(fault.http_status, std::string(1, kFieldSeparator), fault.error_code,
                               std::string(1, kFieldSeparator), fault.error_message))));
  return status;
}

std::optional<InjectedFault> InjectedFaultOf(const absl::Status& status) {
  auto payload = status.GetPayload(ToAbsl(kInjectedFaultTypeUrl));
  if (!payload.has_value()) {
    return std::nullopt;
  }
  const std::string text(*payload);
  const size_t first = text.find(kFieldSeparator);
  const size_t second = first == std::string::npos ? first : text.find(kFieldSeparator, first + 1);
  if (second == std::string::npos) {
    return std::nullopt;
  }
  InjectedFault fault;
  if (!absl::SimpleAtoi(text.substr(0, first), &fault.http_status)) {
    return std::nullopt;
  }
  fault.error_code = text.substr(first + 1, second - first - 1);
  fault.error_message = text.substr(second + 1);
  return fault;
}

}  // namespace connectplane::common
