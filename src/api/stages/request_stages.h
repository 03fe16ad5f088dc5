// The stages every cloud dialect's request passes through between
// authentication and its handler, the way a filter chain sits in front of every
// route: API fault injection (emulator fault rules, by dialect and operation),
// then, for mutations that carry an idempotency key ("X-Client-Token" or
// "Idempotency-Key"), the idempotency stage, which replays the first answer to a
// retry of the same request. A dialect supplies only what is its own: the
// operation's name and kind, and the error shape it renders a Status in (an
// injected fault is a Status carrying common::InjectedFault). Safe for
// concurrent use.
#pragma once

#include "common/http_message.h"
#include "service/emulator_controls.h"
#include "service/idempotency.h"

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include <chrono>
#include <string>
#include <string_view>

namespace connectplane::api::stages {

// A dialect's successful answer, already in its envelope.
struct Reply {
  int status = 200;
  std::string body;  // empty: no body (204)
};

// The matched, authenticated operation a request asks for.
struct Operation {
  std::string_view dialect;  // "dms", "zenlayer": fault rules and idempotency scopes use it
  std::string_view name;     // the SDK's operation name, e.g. "CreateConnector"
  std::string_view tenant_id;
  bool mutating = false;
};

inline constexpr size_t kMaxIdempotencyKeyLength = 128;
inline constexpr std::string_view kReasonIdempotencyKeyTooLong = "IDEMPOTENCY_KEY_TOO_LONG";

class RequestStages {
 public:
  // Both must outlive the stages.
  RequestStages(service::EmulatorControls& faults, service::IdempotencyService& idempotency)
      : faults_(faults), idempotency_(idempotency) {}

  // Runs `handler` behind the stages. Errors: an injected fault
  // (common::InjectedFaultOf holds what to answer), InvalidArgument
  // IDEMPOTENCY_KEY_TOO_LONG / IDEMPOTENCY_KEY_REUSED, Aborted
  // IDEMPOTENCY_IN_PROGRESS, the store's, and the handler's own.
  // `send_delay` (never null) receives the latency of a matching fault rule,
  // zero otherwise. The stages never block on it: the dialect hands it to the
  // transport (common::HttpResponse::send_delay), which delays the answer on a
  // timer so the I/O thread keeps serving other connections meanwhile.
  absl::StatusOr<Reply> Run(const Operation& operation, const common::HttpRequest& request,
                            absl::FunctionRef<absl::StatusOr<Reply>()> handler,
                            std::chrono::milliseconds* send_delay);

 private:
  absl::StatusOr<Reply> RunIdempotent(const Operation& operation,
                                      const common::HttpRequest& request, std::string_view key,
                                      absl::FunctionRef<absl::StatusOr<Reply>()> handler);

  service::EmulatorControls& faults_;
  service::IdempotencyService& idempotency_;
};

}  // namespace connectplane::api::stages
