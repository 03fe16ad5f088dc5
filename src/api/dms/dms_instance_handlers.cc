// DmsApi handlers for instances, Smart Connect and background tasks (the rows
// of DmsApi::Routes() that name them).
#include "api/dms/dms_api.h"
#include "api/dms/dms_errors.h"
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include <string>
#include <utility>

namespace connectplane::api::dms {
absl::StatusOr<stages::Reply> DmsApi::ListInstances(const Call& call) {
  ASSIGN_OR_RETURN(ListInstancesQuery query, ParseListInstancesQuery(call.request.RawQuery()));
  ASSIGN_OR_RETURN(store::Page<store::KafkaInstance> result,
                   kafka_.ListInstances(call.caller, query.filter, query.page));
  boost::json::array instances;
  for (const store::KafkaInstance& instance : result.items) {
    instances.push_back(RenderInstance(instance));
  }
  boost::json::object body;
  body["instances"] = std::move(instances);
  body["instance_num"] = result.total;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowInstance(const Call& call) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance,
                   kafka_.GetInstance(call.caller, call.path.instance_id));
  return stages::Reply{200, RenderInstanceJson(instance)};
}

absl::StatusOr<stages::Reply> DmsApi::CreateInstanceByEngine(const Call& call) {
  ASSIGN_OR_RETURN(service::CreateInstanceRequest parsed,
                   ParseCreateInstanceBody(call.request.body));
  // The path names the engine (the route's literal "kafka").
  if (parsed.engine && *parsed.engine != "kafka") {
    return common::InvalidArgument(kReasonInvalidParameter,
                                   "engine in the body does not match the path.");
  }
  ASSIGN_OR_RETURN(std::string instance_id, kafka_.CreateInstance(call.caller, parsed));
  boost::json::object body;
  body["instance_id"] = instance_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::CreatePostPaidInstance(const Call& call) {
  ASSIGN_OR_RETURN(service::CreateInstanceRequest parsed,
                   ParseCreateInstanceBody(call.request.body));
  if (!parsed.engine) {
    parsed.engine = "kafka";  // the path names the engine
  }
  ASSIGN_OR_RETURN(std::string instance_id, kafka_.CreateInstance(call.caller, parsed));
  boost::json::object body;
  body["instance_id"] = instance_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::UpdateInstance(const Call& call) {
  ASSIGN_OR_RETURN(service::UpdateInstanceRequest parsed,
                   ParseUpdateInstanceBody(call.request.body));
  RETURN_IF_ERROR(kafka_.UpdateInstance(call.caller, call.path.instance_id, parsed));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::ResizeInstance(const Call& call) {
  ASSIGN_OR_RETURN(service::ResizeInstanceRequest parsed,
                   ParseResizeInstanceBody(call.request.body));
  ASSIGN_OR_RETURN(std::string job_id,
                   kafka_.ResizeInstance(call.caller, call.path.instance_id, parsed));
  boost::json::object body;
  body["job_id"] = job_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ModifyCrossVpc(const Call& call) {
  ASSIGN_OR_RETURN(auto advertised_ips, ParseCrossVpcModifyBody(call.request.body));
  ASSIGN_OR_RETURN(std::vector<service::CrossVpcListenerResult> results,
                   kafka_.ModifyCrossVpc(call.caller, call.path.instance_id, advertised_ips));
  boost::json::array rendered;
  for (const service::CrossVpcListenerResult& result : results) {
    boost::json::object out;
    out["advertised_ip"] = result.advertised_ip;
    out["success"] = result.success;
    out["ip"] = result.listener_ip;
    rendered.push_back(std::move(out));
  }
  boost::json::object body;
  body["success"] = true;
  body["results"] = std::move(rendered);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::BatchInstanceAction(const Call& call) {
  ASSIGN_OR_RETURN(service::BatchInstanceActionRequest parsed,
                   ParseBatchInstanceActionBody(call.request.body));
  ASSIGN_OR_RETURN(std::vector<service::BatchInstanceResult> results,
                   kafka_.BatchInstanceAction(call.caller, parsed));
  // "All failed creations deleted" has no per-instance answer (204).
  if (parsed.all_failure) {
    return stages::Reply{204, ""};
  }
  boost::json::array rendered;
  for (const service::BatchInstanceResult& result : results) {
    boost::json::object out;
    out["result"] = result.success ? "success" : "failed";
    out["instance"] = result.instance_id;
    rendered.push_back(std::move(out));
  }
  boost::json::object body;
  body["results"] = std::move(rendered);
  return OkJson(body);
}

// The deprecated CreatePostPaidInstance path (gophertelekomcloud CreateDepr,
// old Go SDK): the same body and rules; `engine` comes from the body.
absl::StatusOr<stages::Reply> DmsApi::CreateInstanceLegacy(const Call& call) {
  ASSIGN_OR_RETURN(service::CreateInstanceRequest parsed,
                   ParseCreateInstanceBody(call.request.body));
  ASSIGN_OR_RETURN(std::string instance_id, kafka_.CreateInstance(call.caller, parsed));
  boost::json::object body;
  body["instance_id"] = instance_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::DeleteInstance(const Call& call) {
  RETURN_IF_ERROR(kafka_.DeleteInstance(call.caller, call.path.instance_id));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::EnableConnector(const Call& call) {
  ASSIGN_OR_RETURN(service::EnableSmartConnectRequest parsed,
                   ParseEnableConnectorBody(call.request.body));
  ASSIGN_OR_RETURN(service::EnableSmartConnectResult result,
                   kafka_.EnableSmartConnect(call.caller, call.path.instance_id, parsed));
  boost::json::object body;
  body["job_id"] = result.job_id;
  body["connector_id"] = result.connector_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::DisableConnector(const Call& call) {
  RETURN_IF_ERROR(ValidateDisableConnectorBody(call.request.body, call.path.instance_id));
  ASSIGN_OR_RETURN(std::string job_id,
                   kafka_.DisableSmartConnect(call.caller, call.path.instance_id));
  boost::json::object body;
  body["job_id"] = job_id;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowConnectorResourceInfo(const Call& call) {
  // Answers for existing instances only (errors as ShowInstance).
  RETURN_IF_ERROR(kafka_.GetInstance(call.caller, call.path.instance_id).status());
  boost::json::object body;
  body["soldOut"] = false;  // camelCase, as the SDK models and API reference spell it
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ListBackgroundTasks(const Call& call) {
  ASSIGN_OR_RETURN(BackgroundTaskQuery query, ParseBackgroundTaskQuery(call.request.RawQuery()));
  ASSIGN_OR_RETURN(store::Page<store::Job> result,
                   kafka_.ListTasks(call.caller, call.path.instance_id, query.filter, query.page));
  boost::json::array tasks;
  for (const store::Job& job : result.items) {
    tasks.push_back(RenderTask(job));
  }
  boost::json::object body;
  body["task_count"] = common::StrCat(result.total);
  body["tasks"] = std::move(tasks);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowBackgroundTask(const Call& call) {
  ASSIGN_OR_RETURN(store::Job job,
                   kafka_.GetTask(call.caller, call.path.instance_id, call.path.task_id));
  boost::json::array tasks;
  tasks.push_back(RenderTask(job));
  boost::json::object body;
  body["task_count"] = "1";
  body["tasks"] = std::move(tasks);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowBackgroundTaskProgress(const Call& call) {
  ASSIGN_OR_RETURN(service::TaskProgress progress,
                   kafka_.GetTaskProgress(call.caller, call.path.instance_id, call.path.task_id));
  return OkJson(RenderTaskProgress(progress));
}

absl::StatusOr<stages::Reply> DmsApi::DeleteBackgroundTask(const Call& call) {
  RETURN_IF_ERROR(kafka_.DeleteTask(call.caller, call.path.instance_id, call.path.task_id));
  return stages::Reply{204, ""};
}

}  // namespace connectplane::api::dms
