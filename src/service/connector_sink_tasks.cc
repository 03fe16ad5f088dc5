// ConnectorTaskService's legacy dump-task API: the connector id names the
// instance, and only OBS_SINK tasks are visible (see connector_task_service.h).
#include "common/json_util.h"
#include "common/status.h"
#include "service/connector_task_service.h"

#include "boost/json.hpp"
#include <cstdint>
#include <optional>
#include <utility>

namespace connectplane::service {
namespace {

constexpr std::string_view kObsSink = "OBS_SINK";

// True when the task dumps to OBS (its stored definition says sink_type
// OBS_SINK). A definition that does not parse is no dump task.
bool IsObsSinkTask(const store::ConnectorTask& task) {
  absl::StatusOr<boost::json::object> config = common::ParseJsonObject(task.config_json);
  if (!config.ok()) return false;
  const boost::json::value* sink_type = config->if_contains("sink_type");
  return sink_type != nullptr && sink_type->is_string() && sink_type->as_string() == kObsSink;
}

absl::Status SinkTaskNotFound() {
  return common::NotFound(kReasonConnectorTaskNotFound, "The Smart Connect task does not exist.");
}

}  // namespace

absl::StatusOr<std::string> ConnectorTaskService::InstanceOfConnector(
    const Caller& caller, std::string_view connector_id) {
  std::string instance_id;
  // A scan of the project's instances: a project holds a handful, and the
  // legacy API is rarely called, so the connector id needs no index of its own.
  // Only the caller's project is searched: another project's connector answers
  // like an unknown one.
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    constexpr int64_t kPageSize = 100;
    for (int64_t offset = 0;; offset += kPageSize) {
      ASSIGN_OR_RETURN(store::Page<store::KafkaInstance> page,
                       txn.ListKafkaInstances(caller.tenant_id, {}, {offset, kPageSize}));
      for (store::KafkaInstance& instance : page.items) {
        if (!instance.connector_id.empty() && instance.connector_id == connector_id) {
          instance_id = std::move(instance.instance_id);
          return absl::OkStatus();
        }
      }
      if (page.items.empty() || offset + kPageSize >= page.total) break;
    }
    return common::NotFound(kReasonConnectorNotFound, "The connector does not exist.");
  }));
  return instance_id;
}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::CreateSinkTask(
    const Caller& caller, std::string_view connector_id,
    const CreateConnectorTaskRequest& request) {
  if (request.sink_type != kObsSink) {
    return common::InvalidArgument(kReasonInvalidTaskConfig,
                                   "A dump task needs sink_type OBS_SINK.");
  }
  ASSIGN_OR_RETURN(std::string instance_id, InstanceOfConnector(caller, connector_id));
  // CreateTask checks the instance again in its own transaction: a connector
  // disabled in between is refused there (CONNECTOR_NOT_ENABLED).
  return CreateTask(caller, instance_id, request);
}

absl::StatusOr<std::vector<store::ConnectorTask>> ConnectorTaskService::ListSinkTasks(
    const Caller& caller, std::string_view connector_id) {
  ASSIGN_OR_RETURN(std::string instance_id, InstanceOfConnector(caller, connector_id));
  ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> page,
                   ListTasks(caller, instance_id, {0, kMaxConnectorTasks}));
  std::vector<store::ConnectorTask> dumps;
  for (store::ConnectorTask& task : page.items) {
    if (IsObsSinkTask(task)) dumps.push_back(std::move(task));
  }
  return dumps;
}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::GetSinkTask(
    const Caller& caller, std::string_view connector_id, std::string_view task_id) {
  ASSIGN_OR_RETURN(std::string instance_id, InstanceOfConnector(caller, connector_id));
  ASSIGN_OR_RETURN(store::ConnectorTask task, GetTask(caller, instance_id, task_id));
  if (!IsObsSinkTask(task)) return SinkTaskNotFound();
  return task;
}

absl::Status ConnectorTaskService::DeleteSinkTask(const Caller& caller,
                                                  std::string_view connector_id,
                                                  std::string_view task_id) {
  ASSIGN_OR_RETURN(std::string instance_id, InstanceOfConnector(caller, connector_id));
  // Read directly, not through GetTask: a delete is no read of a job's progress.
  // A task's kind never changes, so the check cannot go stale before the delete.
  bool is_dump = true;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> task,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    is_dump = !task || IsObsSinkTask(*task);  // a missing task: DeleteTask answers
    return absl::OkStatus();
  }));
  if (!is_dump) return SinkTaskNotFound();
  return DeleteTask(caller, instance_id, task_id);
}

}  // namespace connectplane::service
