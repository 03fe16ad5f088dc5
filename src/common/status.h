// Error currency for the whole service: absl::Status plus a machine-readable
// "reason" payload that names the domain condition (e.g. "INSTANCE_BUSY").
// Each cloud dialect maps (code, reason) to its own HTTP status and error code
// in exactly one place. Thread-safe: free functions over values.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::common {

// Returns `status` with `reason` attached. `reason` is an UPPER_SNAKE token that
// dialects switch on; the message stays human-readable.
[[nodiscard]] absl::Status WithReason(absl::Status status, std::string_view reason);

// Convenience constructors for the canonical codes used by the service layer.
[[nodiscard]] absl::Status InvalidArgument(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status NotFound(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status FailedPrecondition(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status AlreadyExists(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status Unauthenticated(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status PermissionDenied(std::string_view reason, std::string_view message);

// The reason attached with WithReason, or "" when there is none.
[[nodiscard]] std::string ReasonOf(const absl::Status& status);

// Prefixes `context` to the message, keeping code and payloads.
[[nodiscard]] absl::Status Annotate(const absl::Status& status, std::string_view context);

// The answer an emulator fault rule imposes on one request. Each dialect
// renders it in its own error shape.
struct InjectedFault {
  int http_status = 0;
  std::string error_code;
  std::string error_message;
};
// A Status carrying `fault` (Unavailable for a 5xx status, else FailedPrecondition).
[[nodiscard]] absl::Status InjectedFaultError(const InjectedFault& fault);
// The fault a status carries, nullopt for every other status.
[[nodiscard]] std::optional<InjectedFault> InjectedFaultOf(const absl::Status& status);

}  // namespace connectplane::common

#define CP_STATUS_CONCAT_INNER_(a, b) a##b
#define CP_STATUS_CONCAT_(a, b) CP_STATUS_CONCAT_INNER_(a, b)

// Returns from the current function when `expr` yields a non-OK absl::Status.
#define RETURN_IF_ERROR(expr) \
  CP_RETURN_IF_ERROR_IMPL_(CP_STATUS_CONCAT_(cp_status_, __COUNTER__), expr)
#define CP_RETURN_IF_ERROR_IMPL_(name, expr) \
  do {                                       \
    ::absl::Status name = (expr);            \
    if (!name.ok()) {                        \
      return name;                           \
    }                                        \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates a StatusOr, returns its status on
// error, otherwise moves the value into `lhs` (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, expr) \
  CP_ASSIGN_OR_RETURN_IMPL_(CP_STATUS_CONCAT_(cp_statusor_, __COUNTER__), lhs, expr)
#define CP_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) {                                \
    return statusor.status();                          \
  }                                                    \
  lhs = std::move(statusor).value()
