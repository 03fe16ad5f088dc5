#include "api/dms/dms_api.h"

#include "api/dms/dms_errors.h"
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "auth/huawei_signer.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "boost/json.hpp"
#include "spdlog/spdlog.h"
#include <charconv>
#include <optional>
#include <vector>

namespace connectplane::api::dms {
namespace {

absl::Status InvalidParameter(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidParameter, message);
}

// Parses a decimal integer within [min, max]; nullopt otherwise.
std::optional<int64_t> ParseBoundedInt(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

// node_cnt arrives as a JSON integer (Node SDK) or a numeric string (Python SDK,
// Terraform). Anything else is a type error.
absl::StatusOr<std::optional<int64_t>> ParseNodeCount(const boost::json::object& body) {
  const boost::json::value* field = body.if_contains("node_cnt");
  if (field == nullptr || field->is_null()) {
    return std::optional<int64_t>();
  }
  if (field->is_int64()) {
    return std::optional<int64_t>(field->as_int64());
  }
  if (field->is_uint64()) {
    return InvalidParameter("node_cnt is out of range");
  }
  if (field->is_string()) {
    std::string_view text(field->as_string().data(), field->as_string().size());
    std::optional<int64_t> value = ParseBoundedInt(text, INT32_MIN, INT32_MAX);
    if (!value) {
      return InvalidParameter("node_cnt must be an integer or a numeric string");
    }
    return value;
  }
  return InvalidParameter("node_cnt must be an integer or a numeric string");
}

absl::StatusOr<service::EnableSmartConnectRequest> ParseEnableBody(std::string_view body) {
  if (body.empty()) {
    return common::InvalidArgument(kReasonEmptyBody, "The request body is empty.");
  }
  ASSIGN_OR_RETURN(boost::json::object object, common::ParseJsonObject(body));
  for (const auto& entry : object) {
    std::string_view key(entry.key().data(), entry.key().size());
    if (key != "specification" && key != "node_cnt" && key != "spec_code") {
      return InvalidParameter(common::StrCat("Invalid request parameter: unknown field '",
                                             common::QuoteUntrusted(key), "'."));
    }
  }
  service::EnableSmartConnectRequest request;
  ASSIGN_OR_RETURN(request.node_cnt, ParseNodeCount(object));
  ASSIGN_OR_RETURN(request.specification, common::GetOptionalString(object, "specification"));
  ASSIGN_OR_RETURN(request.spec_code, common::GetOptionalString(object, "spec_code"));
  return request;
}

// The SDK sends no body; Terraform sends {"instance_id": "<same id>"}.
absl::Status ValidateDisableBody(std::string_view body, std::string_view instance_id) {
  if (body.empty()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(boost::json::object object, common::ParseJsonObject(body));
  for (const auto& entry : object) {
    std::string_view key(entry.key().data(), entry.key().size());
    if (key != "instance_id") {
      return InvalidParameter(common::StrCat("Invalid request parameter: unknown field '",
                                             common::QuoteUntrusted(key), "'."));
    }
  }
  ASSIGN_OR_RETURN(std::optional<std::string> body_instance_id,
                   common::GetOptionalString(object, "instance_id"));
  if (body_instance_id && *body_instance_id != instance_id) {
    return InvalidParameter("instance_id in the body does not match the path.");
  }
  return absl::OkStatus();
}

// Accepts "YYYYMMDDHHmmss" (UTC), as the task list's begin_time/end_time.
std::optional<int64_t> ParseCompactTime(std::string_view text) {
  if (text.size() != 14) return std::nullopt;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y%m%d%H%M%S", std::string(text), absl::UTCTimeZone(), &time, &error)) {
    return std::nullopt;
  }
  return common::ToUnixMillis(time);
}

std::string Serialize(const boost::json::object& object) { return boost::json::serialize(object); }

}  // namespace

DmsApi::DmsApi(service::KafkaService& kafka, service::CredentialService& credentials,
               const common::Clock& clock, DmsApiOptions options,
               service::EmulatorControls* controls, service::IdempotencyService* idempotency)
    : kafka_(kafka),
      credentials_(credentials),
      clock_(clock),
      options_(options),
      controls_(controls),
      idempotency_(idempotency) {}

std::string_view DmsApi::NameOf(Operation operation) {
  switch (operation) {
    case Operation::kListInstances:
      return "ListInstances";
    case Operation::kShowInstance:
      return "ShowInstance";
    case Operation::kEnableConnector:
      return "CreateConnector";
    case Operation::kDisableConnector:
      return "DeleteConnector";
    case Operation::kShowConnectorResourceInfo:
      return "ShowConnectorResourceInfo";
    case Operation::kListTasks:
      return "ListBackgroundTasks";
    case Operation::kShowTask:
      return "ShowBackgroundTask";
    case Operation::kCreateInstanceByEngine:
      return "CreateInstanceByEngine";
    case Operation::kCreatePostPaidInstance:
      return "CreatePostPaidKafkaInstance";
    case Operation::kDeleteInstance:
      return "DeleteInstance";
    case Operation::kCreateConnectorTask:
      return "CreateConnectorTask";
    case Operation::kListConnectorTasks:
      return "ListConnectorTasks";
    case Operation::kShowConnectorTask:
      return "ShowConnectorTask";
    case Operation::kDeleteConnectorTask:
      return "DeleteConnectorTask";
    case Operation::kPauseConnectorTask:
      return "PauseConnectorTask";
    case Operation::kResumeConnectorTask:
      return "ResumeConnectorTask";
    case Operation::kRestartConnectorTask:
      return "RestartConnectorTask";
    case Operation::kRestartSmartConnectorTask:
      return "RestartSmartConnectorTask";
  }
  return "Unknown";
}

std::string_view DmsApi::OperationName(std::string_view method, std::string_view path) {
  absl::StatusOr<Route> route = Match(method, path);
  return route.ok() ? NameOf(route->operation) : std::string_view("Unknown");
}

bool DmsApi::Owns(std::string_view path) {
  return path.rfind("/v2/", 0) == 0 || path.rfind("/v1/", 0) == 0 || path == "/v2" ||
         path == "/v1";
}

absl::StatusOr<DmsApi::Route> DmsApi::Match(std::string_view method, std::string_view path) {
  std::vector<std::string_view> raw = common::SplitPath(path);
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (std::string_view segment : raw) {
    std::optional<std::string> decoded = common::PercentDecode(segment);
    if (!decoded) {
      return common::NotFound(kReasonUnknownApi, "The API does not exist.");
    }
    segments.push_back(std::move(*decoded));
  }
  auto not_found = [] { return common::NotFound(kReasonUnknownApi, "The API does not exist."); };
  if (segments.size() < 3 || segments[0] != "v2") {
    return not_found();
  }
  Route route;
  // /v2/{engine}/{project_id}/instances (CreateInstanceByEngine). Project ids
  // are 32 hex characters, so "kafka" is never one.
  if (segments.size() == 4 && segments[1] == "kafka" && segments[3] == "instances" &&
      method == "POST") {
    route.operation = Operation::kCreateInstanceByEngine;
    route.engine = segments[1];
    route.project_id = segments[2];
    return route;
  }
  route.project_id = segments[1];
  // /v2/{project_id}/kafka/instances/{instance_id}/delete-connector
  if (segments.size() == 6 && segments[2] == "kafka" && segments[3] == "instances" &&
      segments[5] == "delete-connector" && method == "POST") {
    route.operation = Operation::kDisableConnector;
    route.instance_id = segments[4];
    return route;
  }
  // /v2/{project_id}/kafka/instances (CreatePostPaidKafkaInstance)
  if (segments.size() == 4 && segments[2] == "kafka" && segments[3] == "instances" &&
      method == "POST") {
    route.operation = Operation::kCreatePostPaidInstance;
    return route;
  }
  // /v2/{project_id}/kafka/instances/{instance_id}/connector/tasks/{task_id}/restart
  if (segments.size() == 9 && segments[2] == "kafka" && segments[3] == "instances" &&
      segments[5] == "connector" && segments[6] == "tasks" && segments[8] == "restart" &&
      method == "PUT") {
    route.operation = Operation::kRestartSmartConnectorTask;
    route.instance_id = segments[4];
    route.task_id = segments[7];
    return route;
  }
  if (segments[2] != "instances") {
    return not_found();
  }
  if (segments.size() == 3 && method == "GET") {
    route.operation = Operation::kListInstances;
    return route;
  }
  if (segments.size() < 4) {
    return not_found();
  }
  route.instance_id = segments[3];
  if (segments.size() == 4 && method == "GET") {
    route.operation = Operation::kShowInstance;
    return route;
  }
  if (segments.size() == 4 && method == "DELETE") {
    route.operation = Operation::kDeleteInstance;
    return route;
  }
  // /v2/{project_id}/instances/{instance_id}/connector/tasks[/{task_id}[/action]]
  if (segments.size() >= 6 && segments[4] == "connector" && segments[5] == "tasks") {
    if (segments.size() == 6) {
      if (method == "POST") {
        route.operation = Operation::kCreateConnectorTask;
        return route;
      }
      if (method == "GET") {
        route.operation = Operation::kListConnectorTasks;
        return route;
      }
      return not_found();
    }
    route.task_id = segments[6];
    if (segments.size() == 7 && method == "GET") {
      route.operation = Operation::kShowConnectorTask;
      return route;
    }
    if (segments.size() == 7 && method == "DELETE") {
      route.operation = Operation::kDeleteConnectorTask;
      return route;
    }
    if (segments.size() == 8 && method == "PUT") {
      if (segments[7] == "pause") {
        route.operation = Operation::kPauseConnectorTask;
        return route;
      }
      if (segments[7] == "resume") {
        route.operation = Operation::kResumeConnectorTask;
        return route;
      }
      if (segments[7] == "restart") {
        route.operation = Operation::kRestartConnectorTask;
        return route;
      }
    }
    return not_found();
  }
  if (segments.size() == 5 && segments[4] == "connector") {
    if (method == "POST") {
      route.operation = Operation::kEnableConnector;
      return route;
    }
    if (method == "GET") {
      route.operation = Operation::kShowConnectorResourceInfo;
      return route;
    }
  }
  if (segments.size() == 5 && segments[4] == "tasks" && method == "GET") {
    route.operation = Operation::kListTasks;
    return route;
  }
  if (segments.size() == 6 && segments[4] == "tasks" && method == "GET") {
    route.operation = Operation::kShowTask;
    route.task_id = segments[5];
    return route;
  }
  return not_found();
}

absl::StatusOr<service::Caller> DmsApi::Authenticate(const common::HttpRequest& request,
                                                     const Route& route) {
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header) {
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
  // answer whether or not that project exists, so nothing leaks.
  std::optional<std::string_view> header_project = request.Header("X-Project-Id");
  if (route.project_id != credential->project_id ||
      (header_project && *header_project != credential->project_id)) {
    return common::PermissionDenied("PROJECT_MISMATCH",
                                    "credential is not authorized for this project");
  }
  return service::Caller{credential->project_id, credential->user_name, credential->user_id,
                         credential->access_key, ""};
}

absl::StatusOr<DmsApi::Reply> DmsApi::Dispatch(const common::HttpRequest& request,
                                               const Route& route, const service::Caller& caller) {
  switch (route.operation) {
    case Operation::kShowInstance: {
      ASSIGN_OR_RETURN(store::KafkaInstance instance,
                       kafka_.GetInstance(caller, route.instance_id));
      return Reply{200, RenderInstanceJson(instance)};
    }
    case Operation::kListInstances: {
      auto query = common::ParseQuery(request.RawQuery());
      if (!query) return InvalidParameter("Invalid query string.");
      store::KafkaInstanceFilter filter;
      store::PageRequest page{0, 10};
      for (const auto& [key, value] : *query) {
        if (key == "engine" && !value.empty() && value != "kafka") {
          return InvalidParameter("engine must be kafka.");
        } else if (key == "name" && !value.empty()) {
          filter.name = value;
        } else if (key == "instance_id" && !value.empty()) {
          filter.instance_id = value;
        } else if (key == "status" && !value.empty()) {
          filter.status = value;
        } else if (key == "include_failure") {
          if (value != "true" && value != "false") {
            return InvalidParameter("include_failure must be true or false.");
          }
          filter.include_failure = value == "true";
        } else if (key == "exact_match_name") {
          if (value != "true" && value != "false") {
            return InvalidParameter("exact_match_name must be true or false.");
          }
          filter.exact_match_name = value == "true";
        } else if (key == "offset") {
          std::optional<int64_t> offset = ParseBoundedInt(value, 0, INT32_MAX);
          if (!offset) return InvalidParameter("offset must be a non-negative integer.");
          page.offset = *offset;
        } else if (key == "limit") {
          std::optional<int64_t> limit = ParseBoundedInt(value, 1, 50);
          if (!limit) return InvalidParameter("limit must be an integer from 1 to 50.");
          page.limit = *limit;
        }
      }
      ASSIGN_OR_RETURN(store::Page<store::KafkaInstance> result,
                       kafka_.ListInstances(caller, filter, page));
      boost::json::array instances;
      for (const store::KafkaInstance& instance : result.items) {
        instances.push_back(RenderInstance(instance));
      }
      boost::json::object body;
      body["instances"] = std::move(instances);
      body["instance_num"] = result.total;
      return Reply{200, Serialize(body)};
    }
    case Operation::kEnableConnector: {
      ASSIGN_OR_RETURN(service::EnableSmartConnectRequest parsed, ParseEnableBody(request.body));
      ASSIGN_OR_RETURN(service::EnableSmartConnectResult result,
                       kafka_.EnableSmartConnect(caller, route.instance_id, parsed));
      boost::json::object body;
      body["job_id"] = result.job_id;
      body["connector_id"] = result.connector_id;
      return Reply{200, Serialize(body)};
    }
    case Operation::kDisableConnector: {
      RETURN_IF_ERROR(ValidateDisableBody(request.body, route.instance_id));
      ASSIGN_OR_RETURN(std::string job_id, kafka_.DisableSmartConnect(caller, route.instance_id));
      boost::json::object body;
      body["job_id"] = job_id;
      return Reply{200, Serialize(body)};
    }
    case Operation::kShowConnectorResourceInfo: {
      ASSIGN_OR_RETURN(store::KafkaInstance instance,
                       kafka_.GetInstance(caller, route.instance_id));
      boost::json::object body;
      body["sold_out"] = false;
      return Reply{200, Serialize(body)};
    }
    case Operation::kListTasks: {
      auto query = common::ParseQuery(request.RawQuery());
      if (!query) return InvalidParameter("Invalid query string.");
      store::JobFilter filter;
      int64_t start = 1;
      store::PageRequest page{0, 10};
      for (const auto& [key, value] : *query) {
        if (key == "start") {
          std::optional<int64_t> parsed = ParseBoundedInt(value, 1, INT32_MAX);
          if (!parsed) return InvalidParameter("start must be an integer >= 1.");
          start = *parsed;
        } else if (key == "limit") {
          std::optional<int64_t> parsed = ParseBoundedInt(value, 1, 100);
          if (!parsed) return InvalidParameter("limit must be an integer from 1 to 100.");
          page.limit = *parsed;
        } else if (key == "begin_time" || key == "end_time") {
          std::optional<int64_t> parsed = ParseCompactTime(value);
          if (!parsed) return InvalidParameter(common::StrCat(key, " must be YYYYMMDDHHmmss."));
          (key == "begin_time" ? filter.created_from_ms : filter.created_to_ms) = *parsed;
        }
      }
      page.offset = start - 1;
      ASSIGN_OR_RETURN(store::Page<store::Job> result,
                       kafka_.ListTasks(caller, route.instance_id, filter, page));
      boost::json::array tasks;
      for (const store::Job& job : result.items) {
        tasks.push_back(RenderTask(job));
      }
      boost::json::object body;
      body["task_count"] = common::StrCat(result.total);
      body["tasks"] = std::move(tasks);
      return Reply{200, Serialize(body)};
    }
    case Operation::kShowTask: {
      ASSIGN_OR_RETURN(store::Job job, kafka_.GetTask(caller, route.instance_id, route.task_id));
      boost::json::array tasks;
      tasks.push_back(RenderTask(job));
      boost::json::object body;
      body["task_count"] = "1";
      body["tasks"] = std::move(tasks);
      return Reply{200, Serialize(body)};
    }
    case Operation::kCreateInstanceByEngine:
    case Operation::kCreatePostPaidInstance: {
      ASSIGN_OR_RETURN(service::CreateInstanceRequest parsed,
                       ParseCreateInstanceBody(request.body));
      if (route.operation == Operation::kCreatePostPaidInstance && !parsed.engine) {
        parsed.engine = "kafka";  // the path names the engine
      }
      if (parsed.engine && !route.engine.empty() && *parsed.engine != route.engine) {
        return InvalidParameter("engine in the body does not match the path.");
      }
      ASSIGN_OR_RETURN(std::string instance_id, kafka_.CreateInstance(caller, parsed));
      boost::json::object body;
      body["instance_id"] = instance_id;
      return Reply{200, Serialize(body)};
    }
    case Operation::kDeleteInstance: {
      RETURN_IF_ERROR(kafka_.DeleteInstance(caller, route.instance_id));
      return Reply{204, ""};
    }
    default:
      return DispatchConnectorTask(request, route, caller);
  }
  return absl::InternalError("unhandled operation");
}

absl::StatusOr<DmsApi::Reply> DmsApi::DispatchConnectorTask(const common::HttpRequest& request,
                                                            const Route& route,
                                                            const service::Caller& caller) {
  service::ConnectorTaskService& tasks = kafka_.ConnectorTasks();
  switch (route.operation) {
    case Operation::kCreateConnectorTask: {
      ASSIGN_OR_RETURN(service::CreateConnectorTaskRequest parsed,
                       ParseCreateConnectorTaskBody(request.body));
      ASSIGN_OR_RETURN(store::ConnectorTask task,
                       tasks.CreateTask(caller, route.instance_id, parsed));
      return Reply{200, Serialize(RenderConnectorTask(task))};
    }
    case Operation::kListConnectorTasks: {
      auto query = common::ParseQuery(request.RawQuery());
      if (!query) return InvalidParameter("Invalid query string.");
      store::PageRequest page{0, 10};
      for (const auto& [key, value] : *query) {
        if (key == "offset") {
          std::optional<int64_t> offset = ParseBoundedInt(value, 0, INT32_MAX);
          if (!offset) return InvalidParameter("offset must be a non-negative integer.");
          page.offset = *offset;
        } else if (key == "limit") {
          std::optional<int64_t> limit = ParseBoundedInt(value, 1, 50);
          if (!limit) return InvalidParameter("limit must be an integer from 1 to 50.");
          page.limit = *limit;
        }
      }
      ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> result,
                       tasks.ListTasks(caller, route.instance_id, page));
      boost::json::array items;
      for (const store::ConnectorTask& task : result.items) {
        items.push_back(RenderConnectorTask(task));
      }
      boost::json::object body;
      body["tasks"] = std::move(items);
      body["total_number"] = result.total;
      body["max_tasks"] = service::kMaxConnectorTasks;
      body["quota_tasks"] = service::kMaxConnectorTasks;
      return Reply{200, Serialize(body)};
    }
    case Operation::kShowConnectorTask: {
      ASSIGN_OR_RETURN(store::ConnectorTask task,
                       tasks.GetTask(caller, route.instance_id, route.task_id));
      return Reply{200, Serialize(RenderConnectorTask(task))};
    }
    case Operation::kDeleteConnectorTask:
      RETURN_IF_ERROR(tasks.DeleteTask(caller, route.instance_id, route.task_id));
      return Reply{204, ""};
    case Operation::kPauseConnectorTask:
      RETURN_IF_ERROR(tasks.PauseTask(caller, route.instance_id, route.task_id));
      return Reply{204, ""};
    case Operation::kResumeConnectorTask:
      RETURN_IF_ERROR(tasks.ResumeTask(caller, route.instance_id, route.task_id));
      return Reply{204, ""};
    case Operation::kRestartConnectorTask:
    case Operation::kRestartSmartConnectorTask:
      RETURN_IF_ERROR(tasks.RestartTask(caller, route.instance_id, route.task_id));
      return Reply{204, ""};
    default:
      return absl::InternalError("unhandled operation");
  }
}

bool DmsApi::IsMutating(Operation operation) {
  switch (operation) {
    case Operation::kListInstances:
    case Operation::kShowInstance:
    case Operation::kShowConnectorResourceInfo:
    case Operation::kListTasks:
    case Operation::kShowTask:
    case Operation::kListConnectorTasks:
    case Operation::kShowConnectorTask:
      return false;
    default:
      return true;
  }
}

common::HttpResponse DmsApi::Handle(const common::HttpRequest& request) {
  const std::string request_id = common::NewRequestId();
  std::string project_id;
  std::string_view operation = "Unknown";
  std::optional<service::ApiFault> injected;
  absl::StatusOr<Reply> body = [&]() -> absl::StatusOr<Reply> {
    if (request.transport_rejection == 413) {
      return common::InvalidArgument(kReasonBodyTooLarge, "Request entity too large.");
    }
    if (request.transport_rejection != 0) {
      return common::InvalidArgument(kReasonHeadersTooLarge, "Request header too large.");
    }
    ASSIGN_OR_RETURN(Route route, Match(request.method, request.Path()));
    operation = NameOf(route.operation);
    ASSIGN_OR_RETURN(service::Caller caller, Authenticate(request, route));
    caller.request_id = request_id;
    project_id = caller.tenant_id;
    if (controls_ != nullptr) {
      if (auto fault = controls_->TakeApiFault("dms", NameOf(route.operation))) {
        absl::SleepFor(fault->latency);
        if (fault->http_status != 0) {
          injected = std::move(*fault);
          return absl::AbortedError("injected fault");
        }
      }
    }
    bool mutating = IsMutating(route.operation);
    std::optional<std::string_view> key = request.Header("X-Client-Token");
    if (!key) key = request.Header("Idempotency-Key");
    if (!mutating || idempotency_ == nullptr || !key || key->empty()) {
      return Dispatch(request, route, caller);
    }
    if (key->size() > 128) {
      return InvalidParameter("The idempotency key must be at most 128 characters.");
    }
    // A retry with the same key and the same request replays the first answer.
    const std::string scope = common::StrCat("dms:", caller.tenant_id);
    const std::string hash = service::IdempotencyService::Hash(
        common::StrCat(request.method, " ", request.Path(), "\n", request.body));
    ASSIGN_OR_RETURN(std::optional<service::RememberedResponse> remembered,
                     idempotency_->Begin(scope, *key, hash));
    if (remembered) {
      return Reply{remembered->http_status, remembered->body};
    }
    absl::StatusOr<Reply> answer = Dispatch(request, route, caller);
    absl::Status recorded =
        answer.ok() ? idempotency_->Finish(scope, *key, hash, {answer->status, answer->body})
                    : idempotency_->Abandon(scope, *key);
    if (!recorded.ok()) {
      spdlog::warn("idempotency record for key in project {}: {}", caller.tenant_id,
                   recorded.ToString());
    }
    return answer;
  }();
  common::HttpResponse response;
  if (body.ok()) {
    response.status = body->status;
    if (!body->body.empty()) {
      response.SetHeader("Content-Type", "application/json;charset=UTF-8");
    }
    response.SetHeader("X-Request-Id", request_id);
    response.body = std::move(body->body);
  } else if (injected) {
    response = ErrorResponse(DmsError{injected->http_status, injected->error_code,
                                      injected->error_message},
                             request_id);
    response.access.error_code = injected->error_code;
  } else {
    response = ErrorResponse(body.status(), request_id);
    response.access.error_code = ToDmsError(body.status()).error_code;
  }
  // The dispatcher writes the access log line and the request metrics.
  response.access.dialect = "dms";
  response.access.operation = std::string(operation);
  response.access.tenant = project_id;
  response.access.request_id = request_id;
  return response;
}

}  // namespace connectplane::api::dms
