#include "service/smart_connect_jobs.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/connector_task_jobs.h"
#include "service/job_timings.h"
#include "service/kafka_service.h"

#include "boost/json.hpp"
#include <optional>
#include <string>

namespace connectplane::service {
namespace {

// Loads the job's instance and checks it is in the transitional status the job
// expects. FailedPrecondition (permanent) otherwise: someone else moved it.
absl::StatusOr<store::KafkaInstance> LoadTransitioning(store::StoreTransaction& txn,
                                                       const store::Job& job,
                                                       std::string_view expected_status) {
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                   txn.GetKafkaInstance(job.tenant_id, job.resource_id));
  if (!instance) {
    return absl::NotFoundError(common::StrCat("instance ", job.resource_id, " no longer exists"));
  }
  if (instance->status != expected_status) {
    return absl::FailedPreconditionError(common::StrCat("instance ", job.resource_id, " is ",
                                                      instance->status, ", expected ",
                                                      expected_status));
  }
  return std::move(*instance);
}

// Returns the instance to RUNNING when it is still in `transitional_status`.
absl::Status RestoreRunning(store::StoreTransaction& txn, const store::Job& job,
                            std::string_view transitional_status, absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                   txn.GetKafkaInstance(job.tenant_id, job.resource_id));
  if (!instance || instance->status != transitional_status) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
      txn, kAuditKafkaInstance, job.resource_id, job.job_type, instance->status, kStatusRunning));
  instance->status = std::string(kStatusRunning);
  instance->updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateKafkaInstance(*instance);
}

std::string StringParam(const boost::json::object& params, std::string_view key) {
  const boost::json::value* value = params.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

absl::Status EnableConnectorJob::Complete(store::StoreTransaction& txn, const store::Job& job,
                                          absl::Time now) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance, LoadTransitioning(txn, job, kStatusExtending));
  ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
  ASSIGN_OR_RETURN(std::optional<int64_t> node_cnt, common::GetOptionalInt(params, "node_cnt"));
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
      txn, kAuditKafkaInstance, job.resource_id, job.job_type, instance.status, kStatusRunning));
  instance.status = std::string(kStatusRunning);
  instance.connector_enabled = true;
  instance.connector_id = StringParam(params, "connector_id");
  instance.connector_node_num = static_cast<int32_t>(node_cnt.value_or(kDefaultConnectorNodes));
  instance.connector_specification = StringParam(params, "specification");
  instance.connector_spec_code = StringParam(params, "spec_code");
  instance.updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateKafkaInstance(instance);
}

absl::Status EnableConnectorJob::OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                          absl::Time now) {
  return RestoreRunning(txn, job, kStatusExtending, now);
}

absl::Status DisableConnectorJob::Complete(store::StoreTransaction& txn, const store::Job& job,
                                           absl::Time now) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance,
                   LoadTransitioning(txn, job, kStatusConnectorDeleting));
  // The connector's tasks go with it, in the same transaction.
  RETURN_IF_ERROR(RemoveConnectorTasksOfInstance(txn, job, instance.instance_id, now));
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
      txn, kAuditKafkaInstance, job.resource_id, job.job_type, instance.status, kStatusRunning));
  instance.status = std::string(kStatusRunning);
  instance.connector_enabled = false;
  instance.connector_id.clear();
  instance.connector_node_num = 0;
  instance.connector_specification.clear();
  instance.connector_spec_code.clear();
  instance.updated_at_ms = common::ToUnixMillis(now);
  return txn.UpdateKafkaInstance(instance);
}

absl::Status DisableConnectorJob::OnFailed(store::StoreTransaction& txn, const store::Job& job,
                                           absl::Time now) {
  return RestoreRunning(txn, job, kStatusConnectorDeleting, now);
}

void RegisterSmartConnectJobs(jobs::JobRunner& runner) {
  // Stateless handlers: function-local statics that are never destroyed.
  static EnableConnectorJob* const enable_job = new EnableConnectorJob();
  static DisableConnectorJob* const disable_job = new DisableConnectorJob();
  runner.RegisterHandler(std::string(kJobEnableConnector), enable_job);
  runner.RegisterHandler(std::string(kJobDisableConnector), disable_job);
  RegisterConnectorTaskJobs(runner);
}

}  // namespace connectplane::service
