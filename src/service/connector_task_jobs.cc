#include "service/connector_task_jobs.h"

#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/connector_task_service.h"
#include "service/internal/job_params.h"
#include "service/job_timings.h"

#include <optional>
#include <string>
#include <string_view>

namespace connectplane::service {
namespace {

// The job's task while the job is still the task's pending operation; nullopt
// when the task is gone (deleted meanwhile: nothing left to do).
absl::StatusOr<std::optional<store::ConnectorTask>> LoadTaskOfJob(
    store::StoreTransaction& txn, const store::Job& job, const internal::JobParams& params) {
  ASSIGN_OR_RETURN(std::string instance_id, params.String("instance_id"));
  ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> task,
                   txn.GetConnectorTask(job.tenant_id, instance_id, job.resource_id));
  if (task && task->pending_job_id != job.job_id) {
    return absl::FailedPreconditionError(common::StrCat(
        "connector task ", job.resource_id, " is no longer waiting for job ", job.job_id));
  }
  return task;
}

// Ends the task's pending operation in `to_status` ("" keeps its status), with
// an audit entry by the job runner when the status changes.
absl::Status Settle(store::StoreTransaction& txn, const store::Job& job, store::ConnectorTask& task,
                    std::string_view to_status, absl::Time now) {
  if (!to_status.empty() && task.status != to_status) {
    RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
        txn, store::kAuditConnectorTask, task.task_id, job.job_type, task.status, to_status));
    task.status = std::string(to_status);
  }
  task.pending_job_id.clear();
  task.updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateConnectorTask(task);
}

// Where a completed job leaves the task.
absl::StatusOr<std::string> CompletedStatus(const store::Job& job,
                                            const internal::JobParams& params) {
  if (job.job_type == kJobCreateConnectorTask) {
    ASSIGN_OR_RETURN(bool start_later, params.Bool("start_later"));
    return std::string(start_later ? kTaskWaiting : kTaskRunning);
  }
  return std::string(job.job_type == kJobPauseConnectorTask ? kTaskPaused : kTaskRunning);
}

// Where a failed job leaves the task: FAILED for a create, else the status the
// task had before the request.
absl::StatusOr<std::string> FailedStatus(const store::Job& job, const internal::JobParams& params) {
  if (job.job_type == kJobCreateConnectorTask) {
    return std::string(kTaskFailed);
  }
  return params.String("from_status");
}

class ConnectorTaskJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    ASSIGN_OR_RETURN(internal::JobParams params, internal::JobParams::Parse(job));
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> task, LoadTaskOfJob(txn, job, params));
    if (!task) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::string to_status, CompletedStatus(job, params));
    return Settle(txn, job, *task, to_status, now);
  }

  // The task accepts operations again. A no-op when it moved on or is gone.
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    absl::StatusOr<internal::JobParams> params = internal::JobParams::Parse(job);
    if (!params.ok()) {
      return absl::OkStatus();
    }
    absl::StatusOr<std::optional<store::ConnectorTask>> task = LoadTaskOfJob(txn, job, *params);
    if (!task.ok() || !*task) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::string to_status, FailedStatus(job, *params));
    return Settle(txn, job, **task, to_status, now);
  }
};

}  // namespace

void RegisterConnectorTaskJobs(jobs::JobRunner& runner) {
  // A stateless handler: a function-local static that is never destroyed.
  static auto* const handler = new ConnectorTaskJob();
  for (std::string_view job_type : {kJobCreateConnectorTask, kJobPauseConnectorTask,
                                    kJobResumeConnectorTask, kJobRestartConnectorTask}) {
    runner.RegisterHandler(std::string(job_type), handler);
  }
}

}  // namespace connectplane::service
