#include "service/job_queue.h"

#include "common/ids.h"
#include "common/logging.h"
#include "common/status.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace connectplane::service {
namespace {

// One structured "job" event line once the job is committed: the counterpart
// of the runner's line when it finishes.
void LogJobQueued(const Caller& caller, const store::Job& job, std::string_view operation) {
  common::LogEvent(spdlog::level::info, "job",
                   {{"job_id", job.job_id},
                    {"type", job.job_type},
                    {"tenant", caller.tenant_id},
                    {"resource_id", job.resource_id},
                    {"action", operation},
                    {"from", std::string_view()},
                    {"to", store::JobStatusName(job.status)},
                    {"request_id", caller.request_id}});
}

}  // namespace

JobQueue::JobQueue(store::Store& store, const common::Clock& clock, const JobTimings& timings,
                   std::function<void()> wake_runner)
    : store_(store), clock_(clock), timings_(timings), wake_runner_(std::move(wake_runner)) {}

store::Job JobQueue::NewJob(const Caller& caller, const std::string& job_id, JobRequest request,
                            absl::Time now) const {
  const int64_t now_ms = common::ToUnixMillis(now);
  store::Job job;
  job.job_id = job_id;
  job.tenant_id = caller.tenant_id;
  job.resource_id = std::move(request.resource_id);
  job.job_type = std::string(request.job_type);
  job.name = std::move(request.name);
  job.params_json = std::move(request.params_json);
  job.user_name = caller.user_name;
  job.user_id = caller.user_id;
  job.created_at_ms = now_ms;
  job.updated_at_ms = now_ms;
  const JobTiming timing = timings_.GetTiming(job.job_type);
  if (timing.reads > 0) {
    job.reads_remaining = timing.reads;
    job.due_at_ms = store::kNeverDue;
  } else {
    job.due_at_ms = common::ToUnixMillis(now + timing.delay);
  }
  return job;
}

absl::StatusOr<std::string> JobQueue::Submit(const Caller& caller, std::string_view operation,
                                             ChangeFn change) {
  return Submit(caller, operation, change,
                [](store::StoreTransaction&) { return absl::OkStatus(); });
}

absl::StatusOr<std::string> JobQueue::Submit(const Caller& caller, std::string_view operation,
                                             ChangeFn change, ReadBackFn read_back) {
  const absl::Time now = clock_.Now();
  const std::string job_id = common::NewJobId();
  const AuditRecorder audit = AuditRecorder::ForCaller(caller, now);
  const Mutation mutation{now, common::ToUnixMillis(now), audit, job_id};
  store::Job job;
  std::optional<store::Job> completed_inline;
  absl::Status written = store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    completed_inline.reset();  // the store may run this again after an aborted attempt
    ASSIGN_OR_RETURN(JobRequest request, change(txn, mutation));
    job = NewJob(caller, job_id, std::move(request), now);
    RETURN_IF_ERROR(txn.InsertJob(job));
    RETURN_IF_ERROR(audit.RecordJobCreated(txn, job));
    const bool instant = job.reads_remaining == 0 && job.due_at_ms <= mutation.now_ms;
    if (inline_runner_ != nullptr && instant) {
      ASSIGN_OR_RETURN(completed_inline, inline_runner_->CompleteInline(txn, job, now));
    }
    return read_back(txn);
  });
  if (store_health_ != nullptr) {
    // Success always wrote (the job row at least).
    store_health_->Record(jobs::kWriterRequest, written, /*wrote=*/true, now);
  }
  RETURN_IF_ERROR(written);
  LogJobQueued(caller, job, operation);
  if (completed_inline) {
    inline_runner_->ReportInlineCompletion(*completed_inline, now);
  } else if (wake_runner_) {
    wake_runner_();
  }
  return job_id;
}

absl::Status JobQueue::CountReads(std::string_view tenant_id,
                                  std::span<const std::string_view> resource_ids) {
  if (!timings_.ReadGatingUsed() || resource_ids.empty()) {
    return absl::OkStatus();
  }
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  // The jobs of each resource are locked together: resources in ascending
  // order, the canonical order (store.h), whatever order the answer listed
  // them in; each counted once.
  std::vector<std::string_view> sorted_ids(resource_ids.begin(), resource_ids.end());
  std::sort(sorted_ids.begin(), sorted_ids.end());
  sorted_ids.erase(std::unique(sorted_ids.begin(), sorted_ids.end()), sorted_ids.end());
  bool became_due = false;
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    became_due = false;
    for (std::string_view resource_id : sorted_ids) {
      ASSIGN_OR_RETURN(std::vector<store::Job> gated,
                       txn.ListReadGatedJobs(tenant_id, resource_id));
      for (store::Job& job : gated) {
        job.reads_remaining -= 1;
        job.updated_at_ms = now_ms;
        if (job.reads_remaining <= 0) {
          job.reads_remaining = 0;
          job.due_at_ms = now_ms;
          became_due = true;
        }
        RETURN_IF_ERROR(txn.UpdateJob(job));
      }
    }
    return absl::OkStatus();
  }));
  if (became_due && wake_runner_) {
    wake_runner_();
  }
  return absl::OkStatus();
}

}  // namespace connectplane::service
