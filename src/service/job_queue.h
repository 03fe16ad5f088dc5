// The one path by which services create jobs. A request that starts slow work
// calls Submit(): in ONE write transaction its own change runs (load, check,
// audit entry, compare-and-swap) and the job it asks for is then built from the
// caller (tenant, user), scheduled by its type's timing (JobTimings: instant,
// after N seconds, after N client reads), inserted with its audit entry and,
// with `--instant-jobs inline`, completed on the spot. After the commit Submit
// logs the queued job and reports the inline completion or wakes the runner.
// Client reads of a resource count down its read-gated jobs (CountReads).
//
// An acknowledged request is durable: Submit returns only after the commit
// holding both the change and its job. Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "jobs/job_runner.h"
#include "jobs/store_health.h"
#include "service/audit_recorder.h"
#include "service/caller.h"
#include "service/job_timings.h"
#include "store/store.h"

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace connectplane::service {

// The job a mutation asks for.
struct JobRequest {
  std::string_view job_type;  // handler and timing key, e.g. kJobEnableConnector
  std::string name;           // what the cloud's task list shows, e.g. "createConnector"
  std::string resource_id;
  std::string params_json = "{}";
};

// What a mutation's transaction callback works with: the instant the request
// was accepted, the caller's audit recorder, and the id its job will have (for
// the resource's audit entry and rows that point at the job).
struct Mutation {
  absl::Time now;
  int64_t now_ms;
  const AuditRecorder& audit;
  const std::string& job_id;
};

class JobQueue {
 public:
  // `wake_runner` (may be empty) is called after a commit that queued a job
  // or made a read-gated job due.
  JobQueue(store::Store& store, const common::Clock& clock, const JobTimings& timings,
           std::function<void()> wake_runner);

  // `--instant-jobs inline`: jobs due at once complete inside the request that
  // queues them, through `runner` (JobRunner::CompleteInline). Call once before
  // the first request; `runner` must outlive the queue. Default: the
  // background runner completes every job.
  void CompleteInstantJobsWith(jobs::JobRunner* runner) { inline_runner_ = runner; }
  // Optional: each Submit reports its write's outcome to `health` (a store
  // failure, or a committed change). Call before the first request; `health`
  // must outlive the queue.
  void ReportStoreHealthTo(jobs::StoreHealth* health) { store_health_ = health; }

  // Runs `change` and queues the job it returns, in one write transaction.
  // `operation` is the API operation (e.g. "CreateConnector") the job log line
  // names. `read_back`, when given, runs last in that transaction, after an
  // inline completion: an answer that echoes the resource reads it there, so
  // it shows the state the request left. Returns the job's id
  // (Mutation::job_id). Errors: those of `change` and `read_back` (nothing is
  // written) and the store's.
  using ChangeFn =
      absl::FunctionRef<absl::StatusOr<JobRequest>(store::StoreTransaction&, const Mutation&)>;
  using ReadBackFn = absl::FunctionRef<absl::Status(store::StoreTransaction&)>;
  absl::StatusOr<std::string> Submit(const Caller& caller, std::string_view operation,
                                     ChangeFn change);
  absl::StatusOr<std::string> Submit(const Caller& caller, std::string_view operation,
                                     ChangeFn change, ReadBackFn read_back);

  // Counts one client read of each of `resource_ids` (the tenant's) for jobs
  // timed "after N reads", in one write transaction; a job whose count reaches
  // zero becomes due now and the runner is woken. Call after the read, so the
  // Nth read still sees the job in progress. A no-op (no transaction) until
  // read gating has been used. Errors: the store's.
  absl::Status CountReads(std::string_view tenant_id,
                          std::span<const std::string_view> resource_ids);
  absl::Status CountRead(std::string_view tenant_id, std::string_view resource_id) {
    return CountReads(tenant_id, {&resource_id, 1});
  }

 private:
  store::Job NewJob(const Caller& caller, const std::string& job_id, JobRequest request,
                    absl::Time now) const;

  store::Store& store_;
  const common::Clock& clock_;
  const JobTimings& timings_;
  const std::function<void()> wake_runner_;
  jobs::JobRunner* inline_runner_ = nullptr;
  jobs::StoreHealth* store_health_ = nullptr;
};

}  // namespace connectplane::service
