#include "service/read_gate.h"

#include "common/clock.h"
#include "common/status.h"
#include "jobs/job_runner.h"

namespace connectplane::service {

void ScheduleJob(const JobTimings& timings, absl::Time now, store::Job& job) {
  JobTiming timing = timings.GetTiming(job.job_type);
  if (timing.reads > 0) {
    job.reads_remaining = timing.reads;
    job.due_at_ms = store::kNeverDue;
  } else {
    job.reads_remaining = 0;
    job.due_at_ms = common::ToUnixMillis(now + timing.delay);
  }
}

store::Job NewCallerJob(const JobTimings& timings, absl::Time now, const Caller& caller,
                        std::string job_id, std::string resource_id, std::string_view job_type,
                        std::string name, std::string params_json) {
  const int64_t now_ms = common::ToUnixMillis(now);
  store::Job job;
  job.job_id = std::move(job_id);
  job.tenant_id = caller.tenant_id;
  job.resource_id = std::move(resource_id);
  job.job_type = std::string(job_type);
  job.name = std::move(name);
  job.params_json = std::move(params_json);
  job.user_name = caller.user_name;
  job.user_id = caller.user_id;
  job.created_at_ms = now_ms;
  job.updated_at_ms = now_ms;
  ScheduleJob(timings, now, job);
  return job;
}

absl::StatusOr<std::optional<store::Job>> EnqueueJob(store::StoreTransaction& txn,
                                                     const AuditRecorder& audit,
                                                     const JobTimings& timings,
                                                     const store::Job& job, absl::Time now) {
  RETURN_IF_ERROR(txn.InsertJob(job));
  RETURN_IF_ERROR(audit.RecordJobCreated(txn, job));
  jobs::JobRunner* runner = timings.inline_runner();
  const bool instant = job.reads_remaining == 0 && job.due_at_ms <= common::ToUnixMillis(now);
  if (runner == nullptr || !instant) {
    return std::optional<store::Job>();
  }
  return runner->CompleteInline(txn, job, now);
}

void AfterJobCommit(const JobTimings& timings, const std::optional<store::Job>& completed,
                    absl::Time now, const std::function<void()>& on_job_enqueued) {
  if (completed && timings.inline_runner() != nullptr) {
    timings.inline_runner()->ReportInlineCompletion(*completed, now);
    return;
  }
  if (on_job_enqueued) on_job_enqueued();
}

absl::Status CountResourceRead(store::Store& store, const JobTimings& timings, absl::Time now,
                               std::string_view project_id, std::string_view resource_id,
                               const std::function<void()>& on_job_due) {
  if (!timings.ReadGatingUsed()) {
    return absl::OkStatus();
  }
  bool became_due = false;
  RETURN_IF_ERROR(store.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<store::Job> gated, txn.ListReadGatedJobs(project_id, resource_id));
    for (store::Job& job : gated) {
      job.reads_remaining -= 1;
      job.updated_at_ms = common::ToUnixMillis(now);
      if (job.reads_remaining <= 0) {
        job.reads_remaining = 0;
        job.due_at_ms = common::ToUnixMillis(now);
        became_due = true;
      }
      RETURN_IF_ERROR(txn.UpdateJob(job));
    }
    return absl::OkStatus();
  }));
  if (became_due && on_job_due) on_job_due();
  return absl::OkStatus();
}

}  // namespace connectplane::service
