// Idempotency keys for mutating requests (Stripe-style): the first request with
// a key runs and its successful answer is remembered; a retry with the same key
// and the same request gets the remembered answer and creates nothing. The same
// key with a different request is refused; a retry while the first is still
// running is refused as in progress. Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "jobs/store_health.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::service {

inline constexpr std::string_view kReasonIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
inline constexpr std::string_view kReasonIdempotencyInProgress = "IDEMPOTENCY_IN_PROGRESS";

struct RememberedResponse {
  int32_t http_status = 0;
  std::string body;
};

class IdempotencyService {
 public:
  IdempotencyService(store::Store& store, const common::Clock& clock)
      : store_(store), clock_(clock) {}
  // Optional: each claim (Begin) reports its write's outcome to `health`. Call
  // before the first request; `health` must outlive the service.
  void ReportStoreHealthTo(jobs::StoreHealth* health) { store_health_ = health; }

  // Claims (scope, key) for a request whose canonical bytes hash to
  // `request_hash`. Returns the remembered answer to replay, or nullopt when the
  // caller should execute the request (and then call Finish or Abandon).
  // Errors: InvalidArgument IDEMPOTENCY_KEY_REUSED (same key, other request),
  // Aborted IDEMPOTENCY_IN_PROGRESS (claimed less than `in_progress_timeout` ago).
  absl::StatusOr<std::optional<RememberedResponse>> Begin(std::string_view scope,
                                                          std::string_view key,
                                                          std::string_view request_hash);
  // Remembers the answer of a request claimed with Begin.
  absl::Status Finish(std::string_view scope, std::string_view key, std::string_view request_hash,
                      const RememberedResponse& response);
  // Releases a claim whose request failed, so a corrected retry may run.
  absl::Status Abandon(std::string_view scope, std::string_view key);

  // Hex SHA-256 of `text`, for request hashes.
  static std::string Hash(std::string_view text);

  static constexpr absl::Duration kInProgressTimeout = absl::Seconds(60);

 private:
  store::Store& store_;
  const common::Clock& clock_;
  jobs::StoreHealth* store_health_ = nullptr;
};

}  // namespace connectplane::service
