#include "jobs/store_health.h"

#include "common/clock.h"
#include "common/status.h"

#include "metrics/metrics.h"
#include <utility>

namespace connectplane::jobs {

bool StoreHealth::IsStoreFailure(const absl::Status& status) {
  if (common::InjectedFaultOf(status).has_value()) return false;
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

void StoreHealth::RecordFailure(std::string_view writer, const absl::Status& status,
                                absl::Time now) {
  metrics::StoreWriteFailures().WithLabels({writer}).Increment();
  std::lock_guard<std::mutex> lock(mu_);
  if (!state_.writes_failing) {
    state_.writes_failing = true;
    state_.failing_since = now;
    state_.failed_writes = 0;
    failing_.store(true, std::memory_order_release);
    metrics::StoreWritesFailing().Set(1);
  }
  ++state_.failed_writes;
  state_.last_error = status.ToString();
}

void StoreHealth::RecordSuccess() {
  if (!failing_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(mu_);
  state_ = State{};
  failing_.store(false, std::memory_order_release);
  metrics::StoreWritesFailing().Set(0);
}

void StoreHealth::Record(std::string_view writer, const absl::Status& status, bool wrote,
                         absl::Time now) {
  if (status.ok()) {
    if (wrote) RecordSuccess();
  } else if (IsStoreFailure(status)) {
    RecordFailure(writer, status, now);
  }
}

StoreHealth::State StoreHealth::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

absl::Status ProbeWrite(store::Store& store, absl::Time now) {
  return store.Write([&](store::StoreTransaction& txn) -> absl::Status {
    store::IdempotencyRecord marker;
    marker.scope = std::string(kProbeScope);
    marker.key = "probe";
    marker.created_at_ms = common::ToUnixMillis(now);
    RETURN_IF_ERROR(txn.PutIdempotencyRecord(marker));
    return txn.DeleteIdempotencyRecord(marker.scope, marker.key);
  });
}

}  // namespace connectplane::jobs
