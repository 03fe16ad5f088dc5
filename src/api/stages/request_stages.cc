#include "api/stages/request_stages.h"

#include "common/status.h"
#include "common/strings.h"

#include "absl/time/time.h"
#include "spdlog/spdlog.h"
#include <optional>

namespace connectplane::api::stages {

absl::StatusOr<Reply> RequestStages::Run(const Operation& operation,
                                         const common::HttpRequest& request,
                                         absl::FunctionRef<absl::StatusOr<Reply>()> handler,
                                         std::chrono::milliseconds* send_delay) {
  *send_delay = std::chrono::milliseconds(0);
  if (std::optional<service::ApiFault> fault =
          faults_.TakeApiFault(operation.dialect, operation.name)) {
    *send_delay = std::chrono::milliseconds(absl::ToInt64Milliseconds(fault->latency));
    if (fault->http_status != 0) {
      return common::InjectedFaultError(
          {fault->http_status, fault->error_code, fault->error_message});
    }
  }
  std::optional<std::string_view> key = request.Header("X-Client-Token");
  if (!key) {
    key = request.Header("Idempotency-Key");
  }
  if (!operation.mutating || !key || key->empty()) {
    return handler();
  }
  return RunIdempotent(operation, request, *key, handler);
}

absl::StatusOr<Reply> RequestStages::RunIdempotent(
    const Operation& operation, const common::HttpRequest& request, std::string_view key,
    absl::FunctionRef<absl::StatusOr<Reply>()> handler) {
  if (key.size() > kMaxIdempotencyKeyLength) {
    return common::InvalidArgument(kReasonIdempotencyKeyTooLong,
                                   common::StrCat("The idempotency key must be at most ",
                                                  kMaxIdempotencyKeyLength, " characters."));
  }
  // A retry with the same key and the same request replays the first answer.
  // The operation is part of the request: Zenlayer names it in a header, not
  // the path.
  const std::string scope = common::StrCat(operation.dialect, ":", operation.tenant_id);
  const std::string hash = service::IdempotencyService::Hash(common::StrCat(
      operation.name, "\n", request.method, " ", request.Path(), "\n", request.body));
  ASSIGN_OR_RETURN(std::optional<service::RememberedResponse> remembered,
                   idempotency_.Begin(scope, key, hash));
  if (remembered) {
    return Reply{remembered->http_status, std::move(remembered->body)};
  }
  absl::StatusOr<Reply> answer = handler();
  absl::Status recorded =
      answer.ok() ? idempotency_.Finish(scope, key, hash, {answer->status, answer->body})
                  : idempotency_.Abandon(scope, key);
  if (!recorded.ok()) {
    spdlog::warn("{}: idempotency record for tenant {}: {}", operation.dialect, operation.tenant_id,
                 recorded.ToString());
  }
  return answer;
}

}  // namespace connectplane::api::stages
