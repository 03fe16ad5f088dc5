// DmsApi handlers for Smart Connect tasks (the rows of DmsApi::Routes() that
// name them).
#include "api/dms/dms_api.h"
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "common/status.h"

#include "boost/json.hpp"
#include <utility>

namespace connectplane::api::dms {

absl::StatusOr<stages::Reply> DmsApi::CreateConnectorTask(const Call& call) {
  ASSIGN_OR_RETURN(service::CreateConnectorTaskRequest parsed,
                   ParseCreateConnectorTaskBody(call.request.body));
  ASSIGN_OR_RETURN(store::ConnectorTask task,
                   tasks_.CreateTask(call.caller, call.path.instance_id, parsed));
  return OkJson(RenderConnectorTask(task));
}

absl::StatusOr<stages::Reply> DmsApi::ListConnectorTasks(const Call& call) {
  ASSIGN_OR_RETURN(store::PageRequest page, ParseConnectorTaskQuery(call.request.RawQuery()));
  ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> result,
                   tasks_.ListTasks(call.caller, call.path.instance_id, page));
  boost::json::array items;
  for (const store::ConnectorTask& task : result.items) {
    items.push_back(RenderConnectorTask(task));
  }
  boost::json::object body;
  body["tasks"] = std::move(items);
  body["total_number"] = result.total;
  body["max_tasks"] = service::kMaxConnectorTasks;
  body["quota_tasks"] = service::kMaxConnectorTasks;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowConnectorTask(const Call& call) {
  ASSIGN_OR_RETURN(store::ConnectorTask task,
                   tasks_.GetTask(call.caller, call.path.instance_id, call.path.task_id));
  return OkJson(RenderConnectorTask(task));
}

absl::StatusOr<stages::Reply> DmsApi::DeleteConnectorTask(const Call& call) {
  RETURN_IF_ERROR(tasks_.DeleteTask(call.caller, call.path.instance_id, call.path.task_id));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::ModifyConnectorTask(const Call& call) {
  ASSIGN_OR_RETURN(service::ModifyConnectorTaskRequest parsed,
                   ParseModifyConnectorTaskBody(call.request.body));
  ASSIGN_OR_RETURN(store::ConnectorTask task, tasks_.ModifyTask(call.caller, call.path.instance_id,
                                                                call.path.task_id, parsed));
  return OkJson(RenderConnectorTask(task));
}

// The SDKs' response model has no members and no source gives the status:
// 204, as the other Smart Connect calls without an answer body.
absl::StatusOr<stages::Reply> DmsApi::ValidateConnectorConnectivity(const Call& call) {
  ASSIGN_OR_RETURN(service::ValidateConnectivityRequest parsed,
                   ParseValidateConnectivityBody(call.request.body));
  RETURN_IF_ERROR(tasks_.ValidateConnectivity(call.caller, call.path.instance_id, parsed));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::PauseConnectorTask(const Call& call) {
  RETURN_IF_ERROR(tasks_.PauseTask(call.caller, call.path.instance_id, call.path.task_id));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::ResumeConnectorTask(const Call& call) {
  RETURN_IF_ERROR(tasks_.ResumeTask(call.caller, call.path.instance_id, call.path.task_id));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::RestartConnectorTask(const Call& call) {
  RETURN_IF_ERROR(
      tasks_.RestartTask(call.caller, call.path.instance_id, call.path.task_id, call.operation));
  return stages::Reply{204, ""};
}

}  // namespace connectplane::api::dms
