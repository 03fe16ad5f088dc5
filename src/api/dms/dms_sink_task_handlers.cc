// DmsApi handlers for the legacy dump-task API (CreateSinkTask, ListSinkTasks,
// ShowSinkTaskDetail, DeleteSinkTask under /v2/{project_id}/connectors/
// {connector_id}/sink-tasks), which the huaweicloud Terraform provider's
// huaweicloud_dms_kafka_smart_connect_task still uses. They map onto the Smart
// Connect tasks of the connector's instance (ConnectorTaskService).
#include "api/dms/dms_api.h"
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "common/status.h"

#include "boost/json.hpp"
#include <utility>
#include <vector>

namespace connectplane::api::dms {

// Answers {task_id} at once; the task is CREATING until its job completes,
// as with CreateConnectorTask (the provider polls the detail until RUNNING).
absl::StatusOr<stages::Reply> DmsApi::CreateSinkTask(const Call& call) {
  ASSIGN_OR_RETURN(service::CreateConnectorTaskRequest parsed,
                   ParseCreateSinkTaskBody(call.request.body));
  ASSIGN_OR_RETURN(store::ConnectorTask task,
                   tasks_.CreateSinkTask(call.caller, call.path.connector_id, parsed));
  boost::json::object body;
  body["task_id"] = task.task_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ListSinkTasks(const Call& call) {
  ASSIGN_OR_RETURN(std::vector<store::ConnectorTask> tasks,
                   tasks_.ListSinkTasks(call.caller, call.path.connector_id));
  boost::json::array items;
  for (const store::ConnectorTask& task : tasks) {
    items.push_back(RenderSinkTaskSummary(task));
  }
  boost::json::object body;
  body["tasks"] = std::move(items);
  body["total_number"] = static_cast<int64_t>(tasks.size());
  body["max_tasks"] = service::kMaxConnectorTasks;
  body["quota_tasks"] = service::kMaxConnectorTasks;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowSinkTaskDetail(const Call& call) {
  ASSIGN_OR_RETURN(bool topic_info, ParseSinkTaskDetailQuery(call.request.RawQuery()));
  ASSIGN_OR_RETURN(store::ConnectorTask task,
                   tasks_.GetSinkTask(call.caller, call.path.connector_id, call.path.task_id));
  return OkJson(RenderSinkTaskDetail(task, topic_info));
}

absl::StatusOr<stages::Reply> DmsApi::DeleteSinkTask(const Call& call) {
  RETURN_IF_ERROR(tasks_.DeleteSinkTask(call.caller, call.path.connector_id, call.path.task_id));
  return stages::Reply{204, ""};
}

}  // namespace connectplane::api::dms
