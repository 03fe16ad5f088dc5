// Runs due jobs from the Store. A runner first claims due jobs with a lease
// (owner id "host/pid/nonce", expiry = now + lease_ttl) so that several runners
// (threads, processes, replicas on one database) split the work; it renews its
// leases (heartbeat) while it works through a batch. Each claimed job then
// completes in its own write transaction that re-checks the lease: the handler
// applies the resource's state change (a compare-and-swap) and the runner marks
// the job SUCCEEDED/FAILED in that same transaction (a claimed batch goes
// through Store::WriteEach, one durable commit on SQLite), so a crash at any point
// either leaves the job pending (another runner takes it over once the lease
// expires, or at once through the start-up recovery pass) or fully applied;
// never half, never twice.
//
// When store writes fail (disk full, I/O error, corruption, lost connection) the
// runner backs off exponentially (capped), logs the first failure and then one
// summary line per interval, and reports the condition to a StoreHealth
// (/_connectplane/ready, metrics); while that signal says writes fail, a turn
// that wrote nothing probes with a write of its own, so recovery is noticed.
//
// Thread-safety: RegisterHandler, SetFaultSource and SetStoreHealth before
// Start(); RunOnce() by one thread at a time (the background thread once
// started); everything else is safe for concurrent use. The background thread
// waits on a condition variable, woken by Notify() or the next due time; tests
// drive RunDueJobs() and RunOnce() with a fake clock.
#pragma once

#include "common/clock.h"
#include "common/log_throttle.h"
#include "jobs/store_health.h"
#include "store/store.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace connectplane::jobs {

// Completes one job type. Implementations must be safe for concurrent use.
class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // Applies the job's effect inside `txn` (already holding the write lock).
  // Return OK to mark it SUCCEEDED. Return FailedPrecondition/InvalidArgument/
  // NotFound when the job can never succeed: its effects are rolled back and the
  // runner marks it FAILED (calling OnFailed in a fresh transaction). Any other
  // error (Unavailable, Aborted ...) is transient: the job stays pending and is
  // retried after a back-off.
  virtual absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                                absl::Time now) = 0;
  // Puts the resource into its documented failed-job state inside `txn`.
  virtual absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                absl::Time now) = 0;
};

// Emulator fault injection for jobs: when it names a failure for a job about to
// run, the runner fails that job (FAILED, resource in its failed-job state)
// without calling the handler. Must be safe for concurrent use.
class JobFaultSource {
 public:
  virtual ~JobFaultSource() = default;
  // Consumes one injected failure for `job_type`; returns its message, or
  // nullopt when the job should run normally.
  virtual std::optional<std::string> TakeJobFault(std::string_view job_type) = 0;
};

struct JobRunnerOptions {
  int batch_size = 64;
  // Upper bound on one wait, so jobs inserted by another process sharing the
  // database are noticed without a Notify().
  absl::Duration max_idle_wait = absl::Seconds(1);
  absl::Duration retry_backoff = absl::Seconds(1);
  int max_attempts = 5;
  absl::Duration lease_ttl = absl::Seconds(10);
  // Back-off after a turn whose store writes failed: the next turn waits
  // store_retry_initial, twice as long after each further failed turn, at most
  // store_retry_max; a turn whose writes succeed ends it, and so does Notify()
  // (another writer just committed).
  absl::Duration store_retry_initial = absl::Milliseconds(100);
  absl::Duration store_retry_max = absl::Seconds(30);
  // While store writes keep failing: the first failure is logged, then at most
  // one line per interval, with the number of failed turns in between.
  absl::Duration store_failure_log_interval = absl::Seconds(60);
};

class JobRunner {
 public:
  JobRunner(store::Store& store, const common::Clock& clock, JobRunnerOptions options = {});
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // `handler` must outlive the runner.
  void RegisterHandler(std::string job_type, JobHandler* handler);
  // The job types with a registered handler, sorted.
  std::vector<std::string> HandledJobTypes() const;
  // Optional; must outlive the runner. Call before Start().
  void SetFaultSource(JobFaultSource* faults) { faults_ = faults; }
  // Optional; must outlive the runner. Call before Start(). Each turn reports
  // its store writes' outcome there, and probes while it says writes fail.
  void SetStoreHealth(StoreHealth* health) { health_ = health; }

  // Runs the start-up recovery pass, then starts the background thread. Call once.
  void Start();
  // Start-up recovery: frees leases held by runners of dead processes on this
  // host (their pid no longer exists), so their jobs run now rather than after
  // the lease expires. Leases of other hosts are left to expire.
  absl::Status RecoverAbandonedLeases();
  const std::string& owner_id() const { return owner_id_; }
  // Stops and joins the background thread. Idempotent.
  void Stop();
  // Shutdown: Stop(), then frees the leases this runner still holds on
  // pending jobs (claimed but not completed: left for a retry or a store
  // failure), so that another runner or replica can claim them at once
  // rather than after lease_ttl. Errors: the store's (the leases then
  // expire on their own).
  absl::Status StopAndReleaseLeases();
  // Wakes the background thread (a job was just enqueued). The caller has just
  // committed a write, so a store back-off in progress ends here.
  void Notify();

  // Completes every job due at clock.Now(). Returns how many jobs reached a
  // final status. Errors: the store's, when claiming due jobs fails. A job whose
  // completion could not be committed stays pending (claimed again once its
  // lease expires). No back-off: that is RunOnce's.
  absl::StatusOr<int> RunDueJobs();

  // One turn of the background thread at clock.Now(), returning how long the
  // thread then waits (less if notified). While backing off after a store
  // failure, a turn before the retry time touches no store and returns the
  // time left. Otherwise it runs the due jobs and, when the previous turn or
  // the StoreHealth says writes fail and this turn wrote nothing, a probe write
  // (ProbeWrite); it reports the outcome to the StoreHealth. A turn with a store failure backs
  // off (store_retry_initial doubling up to store_retry_max) and logs through
  // the throttle; one without waits until the next job is due (at most
  // max_idle_wait; max_idle_wait too when every due job is leased by another
  // runner).
  absl::Duration RunOnce();

  // Inline completion (emulator, `--instant-jobs inline`): finishes `job`,
  // pending and just inserted by the caller, inside the caller's write
  // transaction `txn`, so the request and the job's outcome share one commit.
  // The handler runs in a savepoint. Returns the finished job (SUCCEEDED, or
  // FAILED through the handler's OnFailed on a permanent error or an injected
  // fault), to pass to ReportInlineCompletion after the commit; or nullopt,
  // with nothing written, when the background runner must take it (transient
  // error, no handler). Errors: the store's; the caller's transaction then
  // fails as it would on any store error.
  absl::StatusOr<std::optional<store::Job>> CompleteInline(store::StoreTransaction& txn,
                                                           const store::Job& job, absl::Time now);
  // After the commit of a CompleteInline: the job metric and event line, as
  // for jobs the runner finishes.
  void ReportInlineCompletion(const store::Job& job, absl::Time now) const;

 private:
  // What one pass over the due jobs did (RunDueJobs, RunOnce).
  struct Pass {
    absl::Status claim_status;  // the claiming write's
    int claimed = 0;
    int finished = 0;
    // The first store failure (claim, completion commit, failure record,
    // lease heartbeat) and how many claimed jobs it left pending.
    absl::Status store_status;
    int left_pending = 0;
  };
  Pass RunPass();
  // Logs a turn whose store writes failed (throttled) and schedules the retry.
  void BackOff(const absl::Status& failure, absl::Time now, int left_pending);
  // The first turn after failed ones: logs the recovery, ends the back-off.
  void Recovered(absl::Time now);

  // What one claimed job's completion attempt came to (see CompleteInTransaction).
  struct Outcome {
    absl::Status handler_status;          // the handler's verdict (OK when not run)
    std::optional<store::Job> completed;  // set when it SUCCEEDED in this transaction
  };
  // Completes one claimed job inside `txn` (part of a WriteEach batch) and
  // records what happened in `outcome`. Returns the handler's error (rolling
  // back its writes) or the store's; OK also when the job is no longer ours.
  absl::Status CompleteInTransaction(store::StoreTransaction& txn, const store::Job& listed,
                                     absl::Time now, Outcome& outcome);
  // One attempt at `job` (attempts/updated_at already bumped by the caller):
  // an injected fault (the handler is not called), FailedPrecondition when
  // `handler` is null (no handler for the type), or the handler's Complete.
  // Returns the verdict; the caller decides what rolls back.
  absl::Status Attempt(store::StoreTransaction& txn, JobHandler* handler, const store::Job& job,
                       absl::Time now);
  // Writes `job` with its final status and its audit entry.
  static absl::Status RecordFinal(store::StoreTransaction& txn, const store::Job& job,
                                  int64_t now_ms);
  // Records a handler failure in its own transaction (FAILED or back-off).
  // Returns whether the job finished (FAILED) here.
  absl::StatusOr<bool> RecordFailure(const store::Job& listed, absl::Time now,
                                     const absl::Status& handler_status);
  void Loop();
  bool ShouldWake() const;  // called with mu_ held

  store::Store& store_;
  const common::Clock& clock_;
  const JobRunnerOptions options_;
  std::map<std::string, JobHandler*, std::less<>> handlers_;
  JobFaultSource* faults_ = nullptr;
  StoreHealth* health_ = nullptr;
  const std::string owner_id_;

  // Store back-off state, touched by RunOnce only (callers serialize it).
  absl::Duration store_backoff_ = absl::ZeroDuration();  // zero: not backing off
  int64_t failed_turns_ = 0;                             // since the last good turn
  absl::Time failing_since_ = absl::InfinitePast();
  common::LogThrottle failure_log_;

  // A std::mutex and condition variable rather than absl::Mutex: Notify() and
  // the loop contend for it, and absl::Mutex's contended path runs inside
  // Debian's uninstrumented Abseil, where ThreadSanitizer cannot see the
  // ordering it creates. The three fields below are guarded by mu_.
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool notified_ = false;
  // No store access before this time (back-off); Notify() clears it.
  absl::Time retry_at_ = absl::InfinitePast();
  std::thread thread_;
};

}  // namespace connectplane::jobs
