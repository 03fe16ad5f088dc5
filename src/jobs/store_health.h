// Whether store writes currently work, as the writers that report here see
// them: the job runner (every turn, and a probe write while writes fail), the
// job queue (every mutation that queues a job) and idempotency claims. A write
// that fails for a store reason (disk full, I/O error, corruption, lost
// connection) makes the store "failing"; the next write that commits changes
// makes it healthy again. /_connectplane/ready answers 503 while it is failing,
// and it keeps connectplane_store_writes_failing (0/1) and
// connectplane_store_write_failures_total{writer} up to date.
// Safe for concurrent use; recording a success while healthy takes no lock.
#pragma once

#include "store/store.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace connectplane::jobs {

// The writers named in connectplane_store_write_failures_total.
inline constexpr std::string_view kWriterJobRunner = "job_runner";
inline constexpr std::string_view kWriterRequest = "request";

class StoreHealth {
 public:
  struct State {
    bool writes_failing = false;
    // While failing: when the first failure of this run was seen, how many
    // failed writes were reported since, and the latest one's status.
    absl::Time failing_since = absl::InfinitePast();
    int64_t failed_writes = 0;
    std::string last_error;
  };

  // Whether a write's non-OK `status` is the store's failure (Unavailable,
  // Internal, DataLoss, Unknown) rather than a domain refusal (NotFound,
  // FailedPrecondition, Aborted, ...) or an injected emulator fault.
  static bool IsStoreFailure(const absl::Status& status);

  // A write by `writer` (kWriterJobRunner, kWriterRequest) failed with `status`
  // (a store failure) at `now`.
  void RecordFailure(std::string_view writer, const absl::Status& status, absl::Time now);
  // A write committed changes: writes work.
  void RecordSuccess();
  // The outcome of one write: a store failure is recorded as one, OK as a
  // success when the write committed changes (`wrote`), anything else (a domain
  // refusal, or a write that had nothing to write) is no evidence either way.
  void Record(std::string_view writer, const absl::Status& status, bool wrote, absl::Time now);

  State Get() const;
  bool writes_failing() const { return failing_.load(std::memory_order_acquire); }

 private:
  // std::mutex, not absl::Mutex: contended by the runner and request threads,
  // and TSan cannot see absl::Mutex's contended path in Debian's Abseil.
  mutable std::mutex mu_;
  State state_;  // guarded by mu_
  // Mirrors state_.writes_failing, so that the success of every mutation need
  // not take the lock while all is well.
  std::atomic<bool> failing_{false};
};

// One write that reaches the disk (or the database server) like any other and
// leaves nothing behind: inserts a marker idempotency record (scope
// kProbeScope, which no dialect uses) and deletes it in the same transaction.
// A transaction that changes nothing would commit without writing, so it could
// not tell that the disk has room again. Errors: the store's.
inline constexpr std::string_view kProbeScope = "_connectplane:write-probe";
absl::Status ProbeWrite(store::Store& store, absl::Time now);

}  // namespace connectplane::jobs
