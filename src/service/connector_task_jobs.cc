#include "service/connector_task_jobs.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/connector_task_service.h"
#include "service/job_timings.h"
#include "service/kafka_service.h"

#include "boost/json.hpp"
#include <optional>
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

std::string StringParam(const boost::json::object& params, std::string_view key) {
  const boost::json::value* value = params.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool BoolParam(const boost::json::object& params, std::string_view key) {
  const boost::json::value* value = params.if_contains(key);
  return value != nullptr && value->is_bool() && value->as_bool();
}

// The job's task while the job is still the task's pending operation; nullopt
// when the task is gone (deleted meanwhile: nothing left to do).
absl::StatusOr<std::optional<store::ConnectorTask>> LoadTaskOfJob(store::StoreTransaction& txn,
                                                                  const store::Job& job) {
  ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
  ASSIGN_OR_RETURN(
      std::optional<store::ConnectorTask> task,
      txn.GetConnectorTask(job.tenant_id, StringParam(params, "instance_id"), job.resource_id));
  if (task && task->pending_job_id != job.job_id) {
    return absl::FailedPreconditionError(common::StrCat(
        "connector task ", job.resource_id, " is no longer waiting for job ", job.job_id));
  }
  return task;
}

absl::StatusOr<store::KafkaInstance> LoadInstanceIn(store::StoreTransaction& txn,
                                                    const store::Job& job,
                                                    std::string_view expected_status) {
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                   txn.GetKafkaInstance(job.tenant_id, job.resource_id));
  if (!instance) {
    return absl::NotFoundError(common::StrCat("instance ", job.resource_id, " no longer exists"));
  }
  if (instance->status != expected_status) {
    return absl::FailedPreconditionError(common::StrCat(
        "instance ", job.resource_id, " is ", instance->status, ", expected ", expected_status));
  }
  return std::move(*instance);
}

absl::Status MoveInstance(store::StoreTransaction& txn, const store::Job& job,
                          std::string_view from, std::string_view to, absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                   txn.GetKafkaInstance(job.tenant_id, job.resource_id));
  if (!instance || instance->status != from) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(txn, kAuditKafkaInstance, job.resource_id,
                                                         job.job_type, from, to));
  instance->status = std::string(to);
  instance->updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateKafkaInstance(*instance);
}

// Records the job runner moving `task` to `to_status` (no entry when unchanged).
absl::Status AuditTask(store::StoreTransaction& txn, const store::Job& job,
                       const store::ConnectorTask& task, std::string_view to_status,
                       absl::Time now) {
  if (task.status == to_status) return absl::OkStatus();
  return AuditRecorder::ForJob(job, now).Record(txn, kAuditConnectorTask, task.task_id,
                                                job.job_type, task.status, to_status);
}

}  // namespace

absl::Status RemoveConnectorTasksOfInstance(store::StoreTransaction& txn, const store::Job& job,
                                            std::string_view instance_id, absl::Time now) {
  std::vector<store::ConnectorTask> tasks;
  for (int64_t offset = 0;;) {
    ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> page,
                     txn.ListConnectorTasks(job.tenant_id, instance_id, {offset, 100}));
    if (page.items.empty()) break;
    offset += static_cast<int64_t>(page.items.size());
    for (store::ConnectorTask& task : page.items) tasks.push_back(std::move(task));
    if (offset >= page.total) break;
  }
  const AuditRecorder audit = AuditRecorder::ForJob(job, now);
  for (const store::ConnectorTask& task : tasks) {
    RETURN_IF_ERROR(
        audit.Record(txn, kAuditConnectorTask, task.task_id, job.job_type, task.status, ""));
  }
  return txn.DeleteConnectorTasksOfInstance(job.tenant_id, instance_id).status();
}

absl::Status CreateConnectorTaskJob::Complete(store::StoreTransaction& txn, const store::Job& job,
                                              absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> task, LoadTaskOfJob(txn, job));
  if (!task) return absl::OkStatus();
  ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
  const std::string_view to_status = BoolParam(params, "start_later") ? kTaskWaiting : kTaskRunning;
  RETURN_IF_ERROR(AuditTask(txn, job, *task, to_status, now));
  task->status = std::string(to_status);
  task->pending_job_id.clear();
  task->updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateConnectorTask(*task);
}

absl::Status CreateConnectorTaskJob::OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                              absl::Time now) {
  absl::StatusOr<std::optional<store::ConnectorTask>> task = LoadTaskOfJob(txn, job);
  if (!task.ok() || !*task) return absl::OkStatus();
  RETURN_IF_ERROR(AuditTask(txn, job, **task, kTaskFailed, now));
  (*task)->status = std::string(kTaskFailed);
  (*task)->pending_job_id.clear();
  (*task)->updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateConnectorTask(**task);
}

absl::Status ConnectorTaskActionJob::Complete(store::StoreTransaction& txn, const store::Job& job,
                                              absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> task, LoadTaskOfJob(txn, job));
  if (!task) return absl::OkStatus();
  const std::string_view to_status =
      job.job_type == kJobPauseConnectorTask ? kTaskPaused : kTaskRunning;
  RETURN_IF_ERROR(AuditTask(txn, job, *task, to_status, now));
  task->status = std::string(to_status);
  task->pending_job_id.clear();
  task->updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateConnectorTask(*task);
}

absl::Status ConnectorTaskActionJob::OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                              absl::Time now) {
  absl::StatusOr<std::optional<store::ConnectorTask>> task = LoadTaskOfJob(txn, job);
  if (!task.ok() || !*task) return absl::OkStatus();
  ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
  std::string from_status = StringParam(params, "from_status");
  if (!from_status.empty()) {
    RETURN_IF_ERROR(AuditTask(txn, job, **task, from_status, now));
    (*task)->status = from_status;
  }
  (*task)->pending_job_id.clear();
  (*task)->updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateConnectorTask(**task);
}

absl::Status CreateInstanceJob::Complete(store::StoreTransaction& txn, const store::Job& job,
                                         absl::Time now) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance, LoadInstanceIn(txn, job, kStatusCreating));
  ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
      txn, kAuditKafkaInstance, job.resource_id, job.job_type, instance.status, kStatusRunning));
  instance.status = std::string(kStatusRunning);
  std::string connector_id = StringParam(params, "connector_id");
  if (!connector_id.empty()) {
    instance.connector_enabled = true;
    instance.connector_id = std::move(connector_id);
    instance.connector_node_num = kDefaultConnectorNodes;
  }
  instance.updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateKafkaInstance(instance);
}

absl::Status CreateInstanceJob::OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                         absl::Time now) {
  return MoveInstance(txn, job, kStatusCreating, kStatusCreateFailed, now);
}

absl::Status DeleteInstanceJob::Complete(store::StoreTransaction& txn, const store::Job& job,
                                         absl::Time now) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance, LoadInstanceIn(txn, job, kStatusDeleting));
  RETURN_IF_ERROR(RemoveConnectorTasksOfInstance(txn, job, instance.instance_id, now));
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(txn, kAuditKafkaInstance, job.resource_id,
                                                         job.job_type, instance.status, ""));
  return txn.DeleteKafkaInstance(job.tenant_id, instance.instance_id, instance.version);
}

absl::Status DeleteInstanceJob::OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                         absl::Time now) {
  return MoveInstance(txn, job, kStatusDeleting, kStatusRunning, now);
}

void RegisterConnectorTaskJobs(jobs::JobRunner& runner) {
  // Stateless handlers: function-local statics that are never destroyed.
  static CreateConnectorTaskJob* const create_task = new CreateConnectorTaskJob();
  static ConnectorTaskActionJob* const task_action = new ConnectorTaskActionJob();
  static CreateInstanceJob* const create_instance = new CreateInstanceJob();
  static DeleteInstanceJob* const delete_instance = new DeleteInstanceJob();
  runner.RegisterHandler(std::string(kJobCreateConnectorTask), create_task);
  runner.RegisterHandler(std::string(kJobPauseConnectorTask), task_action);
  runner.RegisterHandler(std::string(kJobResumeConnectorTask), task_action);
  runner.RegisterHandler(std::string(kJobRestartConnectorTask), task_action);
  runner.RegisterHandler(std::string(kJobCreateInstance), create_instance);
  runner.RegisterHandler(std::string(kJobDeleteInstance), delete_instance);
}

}  // namespace connectplane::service
