#include "service/internal/kafka_instances.h"

#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/kafka_service.h"

#include "absl/strings/ascii.h"
#include <optional>
#include <utility>
#include <vector>

namespace connectplane::service::internal {

bool IsValidDmsName(std::string_view name) {
  if (name.size() < 4 || name.size() > 64 || !absl::ascii_isalpha(name.front())) {
    return false;
  }
  for (char c : name) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<store::KafkaInstance> LoadInstance(store::StoreTransaction& txn,
                                                  std::string_view tenant_id,
                                                  std::string_view instance_id) {
  if (!KafkaService::IsWellFormedId(instance_id)) {
    return common::InvalidArgument(kReasonInvalidInstanceId,
                                   "Invalid DMS instance id. The id must be a uuid.");
  }
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> found,
                   txn.GetKafkaInstance(tenant_id, instance_id));
  if (!found) {
    return common::NotFound(kReasonInstanceNotFound, "This instance does not exist.");
  }
  return std::move(*found);
}

absl::Status InstanceBusy(const store::KafkaInstance& instance) {
  return common::FailedPrecondition(
      kReasonInstanceBusy, common::StrCat("instance ", instance.instance_id, " is ",
                                          instance.status, "; the operation needs it RUNNING"));
}

absl::Status RemoveConnectorTasksOfInstance(store::StoreTransaction& txn, const store::Job& job,
                                            std::string_view instance_id, absl::Time now) {
  std::vector<store::ConnectorTask> tasks;
  for (int64_t offset = 0;;) {
    ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> page,
                     txn.ListConnectorTasks(job.tenant_id, instance_id, {offset, 100}));
    if (page.items.empty()) {
      break;
    }
    offset += static_cast<int64_t>(page.items.size());
    for (store::ConnectorTask& task : page.items) {
      tasks.push_back(std::move(task));
    }
    if (offset >= page.total) {
      break;
    }
  }
  const AuditRecorder audit = AuditRecorder::ForJob(job, now);
  for (const store::ConnectorTask& task : tasks) {
    RETURN_IF_ERROR(
        audit.Record(txn, store::kAuditConnectorTask, task.task_id, job.job_type, task.status, ""));
  }
  return txn.DeleteConnectorTasksOfInstance(job.tenant_id, instance_id).status();
}

}  // namespace connectplane::service::internal
