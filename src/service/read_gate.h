// "After N reads" job timing (moto's manual progression): every client read of
// a resource counts down the pending read-gated jobs of that resource; a job
// whose count reaches zero becomes due now. Stateless; safe for concurrent use.
#pragma once

#include "service/audit_recorder.h"
#include "service/caller.h"
#include "service/job_timings.h"
#include "store/models.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::service {

// Fills job.due_at_ms / job.reads_remaining from the type's timing, accepted at `now`.
void ScheduleJob(const JobTimings& timings, absl::Time now, store::Job& job);

// A job that `caller` asked for, accepted at `now` and scheduled by ScheduleJob:
// tenant and user from the caller, created/updated now. The caller inserts it.
store::Job NewCallerJob(const JobTimings& timings, absl::Time now, const Caller& caller,
                        std::string job_id, std::string resource_id, std::string_view job_type,
                        std::string name, std::string params_json);

// Inside the write transaction that makes the state change: inserts `job`
// with its audit entry (`audit`: the request's recorder) and, when inline
// completion is on and the job is due at once (instant timing), completes it
// there. Returns the finished job, for AfterJobCommit, or nullopt when the job
// stays queued for the runner.
absl::StatusOr<std::optional<store::Job>> EnqueueJob(store::StoreTransaction& txn,
                                                     const AuditRecorder& audit,
                                                     const JobTimings& timings,
                                                     const store::Job& job, absl::Time now);

// After the commit: reports an inline completion, or wakes the runner for a
// queued job (`on_job_enqueued`, may be empty).
void AfterJobCommit(const JobTimings& timings, const std::optional<store::Job>& completed,
                    absl::Time now, const std::function<void()>& on_job_enqueued);

// Counts one read of (project_id, resource_id). Cheap no-op unless read gating
// was ever used. Calls `on_job_due` when a job became due.
absl::Status CountResourceRead(store::Store& store, const JobTimings& timings, absl::Time now,
                               std::string_view project_id, std::string_view resource_id,
                               const std::function<void()>& on_job_due);

}  // namespace connectplane::service
