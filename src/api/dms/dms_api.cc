#include "api/dms/dms_api.h"

#include "api/dms/dms_errors.h"
#include "auth/huawei_signer.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/strings.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

namespace connectplane::api::dms {

// Operation names are the official SDKs' (KafkaClient method names).
const DmsApi::Route DmsApi::kRoutes[] = {
    // Project ids are 32 hex characters, so "kafka" is never one: this row
    // cannot shadow a project's routes.
    {"POST", "/v2/kafka/{project_id}/instances", "CreateInstanceByEngine", true,
     &DmsApi::CreateInstanceByEngine},
    {"POST", "/v2/{project_id}/kafka/instances/{instance_id}/delete-connector", "DeleteConnector",
     true, &DmsApi::DisableConnector},
    {"POST", "/v2/{project_id}/kafka/instances", "CreatePostPaidKafkaInstance", true,
     &DmsApi::CreatePostPaidInstance},
    {"PUT", "/v2/{project_id}/kafka/instances/{instance_id}/connector/tasks/{task_id}/restart",
     "RestartConnectorTask", true, &DmsApi::RestartConnectorTask},
    {"GET", "/v2/{project_id}/instances", "ListInstances", false, &DmsApi::ListInstances},
    {"GET", "/v2/{project_id}/instances/{instance_id}", "ShowInstance", false,
     &DmsApi::ShowInstance},
    {"DELETE", "/v2/{project_id}/instances/{instance_id}", "DeleteInstance", true,
     &DmsApi::DeleteInstance},
    {"POST", "/v2/{project_id}/instances/{instance_id}/connector/tasks", "CreateConnectorTask",
     true, &DmsApi::CreateConnectorTask},
    {"GET", "/v2/{project_id}/instances/{instance_id}/connector/tasks", "ListConnectorTasks", false,
     &DmsApi::ListConnectorTasks},
    {"GET", "/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}",
     "ShowConnectorTask", false, &DmsApi::ShowConnectorTask},
    {"DELETE", "/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}",
     "DeleteConnectorTask", true, &DmsApi::DeleteConnectorTask},
    {"PUT", "/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}",
     "ModifyConnectorTask", true, &DmsApi::ModifyConnectorTask},
    {"POST", "/v2/{project_id}/instances/{instance_id}/connector/validate",
     "ValidateConnectorConnectivity", true, &DmsApi::ValidateConnectorConnectivity},
    {"PUT", "/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/pause",
     "PauseConnectorTask", true, &DmsApi::PauseConnectorTask},
    {"PUT", "/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/resume",
     "ResumeConnectorTask", true, &DmsApi::ResumeConnectorTask},
    {"PUT", "/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/restart",
     "RestartSmartConnectorTask", true, &DmsApi::RestartConnectorTask},
    {"POST", "/v2/{project_id}/instances/{instance_id}/connector", "CreateConnector", true,
     &DmsApi::EnableConnector},
    {"GET", "/v2/{project_id}/instances/{instance_id}/connector", "ShowConnectorResourceInfo",
     false, &DmsApi::ShowConnectorResourceInfo},
    {"GET", "/v2/{project_id}/instances/{instance_id}/tasks", "ListBackgroundTasks", false,
     &DmsApi::ListBackgroundTasks},
    {"GET", "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}", "ShowBackgroundTask", false,
     &DmsApi::ShowBackgroundTask},
    {"DELETE", "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}", "DeleteBackgroundTask",
     true, &DmsApi::DeleteBackgroundTask},
    {"GET", "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}/progress",
     "ShowBackgroundTaskProgress", false, &DmsApi::ShowBackgroundTaskProgress},
    // The legacy dump-task API (Go SDK up to 0.1.84 names).
    {"POST", "/v2/{project_id}/connectors/{connector_id}/sink-tasks", "CreateSinkTask", true,
     &DmsApi::CreateSinkTask},
    {"GET", "/v2/{project_id}/connectors/{connector_id}/sink-tasks", "ListSinkTasks", false,
     &DmsApi::ListSinkTasks},
    {"GET", "/v2/{project_id}/connectors/{connector_id}/sink-tasks/{task_id}", "ShowSinkTaskDetail",
     false, &DmsApi::ShowSinkTaskDetail},
    {"DELETE", "/v2/{project_id}/connectors/{connector_id}/sink-tasks/{task_id}", "DeleteSinkTask",
     true, &DmsApi::DeleteSinkTask},
    // Region-wide, no project in the path (dms_catalog_handlers.cc). "kafka"
    // and "products" are never project ids (32 hex characters).
    {"GET", "/v2/available-zones", "ListAvailableZones", false, &DmsApi::ListAvailableZones},
    {"GET", "/v2/kafka/products", "ListEngineProducts", false, &DmsApi::ListEngineProducts},
    {"GET", "/v2/products", "ListProducts", false, &DmsApi::ListProducts},
    // The same list under DMS's first API version, where gophertelekomcloud's
    // dms/v1 products.Get sends it (the dmsv1 catalog URL without the project).
    // No SDK names this operation; the name is ours.
    {"GET", "/v1.0/products", "ListProductsV1", false, &DmsApi::ListProducts},
    {"PUT", "/v2/{project_id}/instances/{instance_id}", "UpdateInstance", true,
     &DmsApi::UpdateInstance},
    // golangsdk ExtendInstance (Terraform) and the API reference's path.
    {"POST", "/v2/{project_id}/kafka/instances/{instance_id}/extend", "ResizeKafkaInstance", true,
     &DmsApi::ResizeInstance},
    {"POST", "/v2/kafka/{project_id}/instances/{instance_id}/extend", "ResizeEngineInstance", true,
     &DmsApi::ResizeInstance},
    {"POST", "/v2/{project_id}/instances/{instance_id}/crossvpc/modify", "UpdateInstanceCrossVpcIp",
     true, &DmsApi::ModifyCrossVpc},
    // Instance ids are UUIDs, so "action" is never one.
    {"POST", "/v2/{project_id}/instances/action", "BatchRestartOrDeleteInstances", true,
     &DmsApi::BatchInstanceAction},
    {"POST", "/v2/{project_id}/instances", "CreatePostPaidInstance", true,
     &DmsApi::CreateInstanceLegacy},
    {"GET", "/v2/{project_id}/kafka/{instance_id}/tags", "ShowKafkaTags", false,
     &DmsApi::ShowKafkaTags},
    {"POST", "/v2/{project_id}/kafka/{instance_id}/tags/action", "BatchCreateOrDeleteKafkaTag",
     true, &DmsApi::BatchCreateOrDeleteKafkaTag},
    {"GET", "/v2/{project_id}/instances/{instance_id}/configs", "ShowInstanceConfigs", false,
     &DmsApi::ShowInstanceConfigs},
    {"PUT", "/v2/{project_id}/instances/{instance_id}/configs", "ModifyInstanceConfigs", true,
     &DmsApi::ModifyInstanceConfigs},
    {"GET", "/v2/{project_id}/instances/{instance_id}/manage/cluster", "ShowKafkaCluster", false,
     &DmsApi::ShowKafkaCluster},
    {"GET", "/v2/{project_id}/instances/{instance_id}/management/cluster", "ShowCluster", false,
     &DmsApi::ShowCluster},
    {"POST", "/v2/{project_id}/instances/{instance_id}/topics", "CreateInstanceTopic", true,
     &DmsApi::CreateInstanceTopic},
    {"GET", "/v2/{project_id}/instances/{instance_id}/topics", "ListInstanceTopics", false,
     &DmsApi::ListInstanceTopics},
    {"PUT", "/v2/{project_id}/instances/{instance_id}/topics", "UpdateInstanceTopic", true,
     &DmsApi::UpdateInstanceTopic},
    {"POST", "/v2/{project_id}/instances/{instance_id}/topics/delete", "BatchDeleteInstanceTopic",
     true, &DmsApi::BatchDeleteInstanceTopic},
};

namespace {

// DmsApi::Routes()' patterns, split once (never destroyed: no exit-time destructor).
const std::vector<PathPattern>& Patterns() {
  static const auto* const patterns = [] {
    auto* compiled = new std::vector<PathPattern>();
    for (const DmsApi::Route& route : DmsApi::Routes()) {
      compiled->emplace_back(route.pattern);
    }
    return compiled;
  }();
  return *patterns;
}

}  // namespace

DmsApi::DmsApi(service::KafkaService& kafka, service::ConnectorTaskService& tasks,
               service::CredentialService& credentials, stages::RequestStages& stages,
               const common::Clock& clock, KafkaItemServices items, DmsApiOptions options)
    : kafka_(kafka),
      tasks_(tasks),
      credentials_(credentials),
      stages_(stages),
      clock_(clock),
      items_(items),
      options_(options) {}

std::span<const DmsApi::Route> DmsApi::Routes() { return kRoutes; }

std::vector<std::string> DmsApi::OperationNames() {
  std::vector<std::string> names;
  for (const Route& route : kRoutes) {
    if (std::find(names.begin(), names.end(), route.operation) == names.end()) {
      names.emplace_back(route.operation);
    }
  }
  return names;
}

bool DmsApi::Owns(std::string_view path) {
  return path.rfind("/v2/", 0) == 0 || path.rfind("/v1/", 0) == 0 || path.rfind("/v1.0/", 0) == 0 ||
         path == "/v2" || path == "/v1" || path == "/v1.0";
}

absl::StatusOr<const DmsApi::Route*> DmsApi::Match(std::string_view method, std::string_view path,
                                                   PathParams& params) {
  ASSIGN_OR_RETURN(std::vector<std::string> segments, DecodePathSegments(path));
  const std::vector<PathPattern>& patterns = Patterns();
  static_assert(std::size(kRoutes) > 0);
  for (size_t route_idx = 0; route_idx < patterns.size(); ++route_idx) {
    if (kRoutes[route_idx].method == method && patterns[route_idx].Match(segments, params)) {
      return &kRoutes[route_idx];
    }
  }
  return common::NotFound(kReasonUnknownApi, "The API does not exist.");
}

const DmsApi::Route* DmsApi::FindRoute(std::string_view method, std::string_view path) {
  PathParams params;
  absl::StatusOr<const Route*> route = Match(method, path, params);
  return route.ok() ? *route : nullptr;
}

absl::StatusOr<service::Caller> DmsApi::Authenticate(const common::HttpRequest& request,
                                                     std::string_view project_id) {
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header) {
    if (std::optional<std::string_view> token = request.Header("X-Auth-Token")) {
      return AuthenticateToken(*token, project_id);
    }
    return common::Unauthenticated("AUTH_MISSING", "Authorization header is missing");
  }
  ASSIGN_OR_RETURN(auth::HuaweiAuthorization authorization,
                   auth::ParseHuaweiAuthorization(*header));
  ASSIGN_OR_RETURN(std::optional<store::HuaweiCredential> credential,
                   credentials_.FindHuaweiCredential(authorization.access_key));
  if (!credential) {
    return common::Unauthenticated(
        "AUTH_UNKNOWN_AK",
        common::StrCat("Get secretKey failed,ak:", common::QuoteUntrusted(authorization.access_key),
                       ",err:ak not exist"));
  }
  RETURN_IF_ERROR(auth::VerifyHuaweiRequest(request, authorization, credential->secret_key,
                                            clock_.Now(), options_.max_clock_skew));
  // The credential is bound to one project. Another project's path gets the same
  // answer whether or not that project exists, so nothing leaks. Region-wide
  // routes have no project in the path (`project_id` empty).
  std::optional<std::string_view> header_project = request.Header("X-Project-Id");
  if ((!project_id.empty() && project_id != credential->project_id) ||
      (header_project && *header_project != credential->project_id)) {
    return common::PermissionDenied("PROJECT_MISMATCH",
                                    "credential is not authorized for this project");
  }
  return service::Caller{credential->project_id, credential->user_name, credential->user_id,
                         credential->access_key, ""};
}

absl::StatusOr<service::Caller> DmsApi::AuthenticateToken(std::string_view token,
                                                          std::string_view project_id) {
  ASSIGN_OR_RETURN(std::optional<store::IamToken> found, credentials_.FindIamToken(token));
  // Unknown and expired tokens get one answer; the token itself is never
  // logged or echoed.
  if (!found || found->expires_at_ms <= common::ToUnixMillis(clock_.Now())) {
    return common::Unauthenticated("AUTH_TOKEN_INVALID", "The token is invalid or has expired.");
  }
  // A token is scoped to one project (a domain-scoped one to none).
  if (found->project_id.empty() || project_id != found->project_id) {
    return common::PermissionDenied("PROJECT_MISMATCH", "token is not authorized for this project");
  }
  return service::Caller{found->project_id, found->user_name, found->user_id, "", ""};
}

common::HttpResponse DmsApi::Handle(const common::HttpRequest& request) {
  const std::string request_id = common::NewRequestId();
  std::string tenant_id;
  std::string_view operation = "Unknown";
  std::chrono::milliseconds send_delay{0};
  bool authenticated = false;
  absl::StatusOr<stages::Reply> reply = [&]() -> absl::StatusOr<stages::Reply> {
    RETURN_IF_ERROR(TransportRejection(request));
    PathParams params;
    ASSIGN_OR_RETURN(const Route* route, Match(request.method, request.Path(), params));
    operation = route->operation;
    ASSIGN_OR_RETURN(service::Caller caller, Authenticate(request, params.project_id));
    authenticated = true;
    caller.request_id = request_id;
    tenant_id = caller.tenant_id;
    const Call call{request, params, caller, route->operation};
    return stages_.Run({kDialect, route->operation, caller.tenant_id, route->mutating}, request,
                       [&] { return (this->*route->handler)(call); }, &send_delay);
  }();
  common::HttpResponse response;
  if (reply.ok()) {
    response.status = reply->status;
    if (!reply->body.empty()) {
      response.SetHeader("Content-Type", "application/json;charset=UTF-8");
    }
    response.SetHeader("X-Request-Id", request_id);
    response.body = std::move(reply->body);
  } else {
    response = ErrorResponse(reply.status(), request_id);
  }
  // The dispatcher writes the access log line and the request metrics.
  response.send_delay = send_delay;
  response.access.dialect = std::string(kDialect);
  response.access.operation = std::string(operation);
  response.access.tenant = std::move(tenant_id);
  response.access.request_id = request_id;
  response.access.authenticated = authenticated;
  return response;
}

common::HttpResponse DmsApi::UnknownPath(const common::HttpRequest& request) {
  absl::Status status = TransportRejection(request);
  if (status.ok()) {
    status = common::NotFound(kReasonUnknownApi, "The API does not exist.");
  }
  // Not a DMS operation: the access log and metrics count it under "server".
  common::HttpResponse response = ErrorResponse(status, common::NewRequestId());
  response.access.dialect = "server";
  response.access.operation = "Unknown";
  return response;
}

}  // namespace connectplane::api::dms
