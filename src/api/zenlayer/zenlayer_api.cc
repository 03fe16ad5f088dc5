#include "api/zenlayer/zenlayer_api.h"

#include "api/zenlayer/zenlayer_errors.h"
#include "api/zenlayer/zenlayer_json.h"
#include "api/zenlayer/zenlayer_requests.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include "spdlog/spdlog.h"
#include <optional>

namespace connectplane::api::zenlayer {
namespace {

constexpr std::string_view kSdnPath = "/api/v2/sdn";

enum class Action {
  kCreatePrivateConnect,
  kDescribePrivateConnects,
  kModifyPrivateConnectsAttribute,
  kModifyPrivateConnectBandwidth,
  kDeletePrivateConnect,
  kRenewPrivateConnect,
  kDestroyPrivateConnect,
  kDescribePorts,
};

struct ActionName {
  std::string_view name;
  Action action;
};

// Action names are matched exactly (the SDKs send them verbatim).
constexpr ActionName kActions[] = {
    {"CreatePrivateConnect", Action::kCreatePrivateConnect},
    {"DescribePrivateConnects", Action::kDescribePrivateConnects},
    {"ModifyPrivateConnectsAttribute", Action::kModifyPrivateConnectsAttribute},
    {"ModifyPrivateConnectBandwidth", Action::kModifyPrivateConnectBandwidth},
    {"DeletePrivateConnect", Action::kDeletePrivateConnect},
    {"RenewPrivateConnect", Action::kRenewPrivateConnect},
    {"DestroyPrivateConnect", Action::kDestroyPrivateConnect},
    {"DescribePorts", Action::kDescribePorts},
    // Aliases kept for scripts written against an early draft of this emulator;
    // the real API has neither name (GO-SDN).
    {"TerminatePrivateConnect", Action::kDeletePrivateConnect},
    {"RecoverPrivateConnect", Action::kRenewPrivateConnect},
};

std::optional<Action> FindAction(std::string_view name) {
  for (const ActionName& entry : kActions) {
    if (entry.name == name) {
      return entry.action;
    }
  }
  return std::nullopt;
}

// Parses the body: "" (no body) is {} like the SDKs' empty parameter set; a
// non-object or malformed document is an invalid parameter.
absl::StatusOr<boost::json::object> ParseBody(std::string_view body) {
  if (body.empty()) {
    return boost::json::object();
  }
  auto parsed = common::ParseJsonObject(body);
  if (!parsed.ok()) {
    return common::InvalidArgument(kReasonInvalidParameter,
                                   common::StrCat("The request body must be a JSON object: ",
                                                  common::ToStd(parsed.status().message())));
  }
  return std::move(*parsed);
}

}  // namespace

ZenlayerApi::ZenlayerApi(service::PrivateConnectService& connects,
                         service::CredentialService& credentials, const common::Clock& clock,
                         ZenlayerApiOptions options)
    : connects_(connects), credentials_(credentials), clock_(clock), options_(options) {}

bool ZenlayerApi::Owns(std::string_view path) {
  return path == "/api/v2" || path.starts_with("/api/v2/");
}

std::string ZenlayerApi::NewRequestId() {
  std::string uuid = common::NewRequestUuid();
  absl::AsciiStrToUpper(&uuid);
  return "T" + uuid;
}

absl::StatusOr<service::Caller> ZenlayerApi::Authenticate(const common::HttpRequest& request) {
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header || header->empty()) {
    return common::Unauthenticated(auth::kReasonZenlayerAuthMissing,
                                   "The Authorization header is missing.");
  }
  ASSIGN_OR_RETURN(auth::ZenlayerAuthorization authorization,
                   auth::ParseZenlayerAuthorization(*header));
  ASSIGN_OR_RETURN(std::optional<store::ZenlayerCredential> credential,
                   credentials_.FindZenlayerCredential(authorization.access_key_id));
  if (!credential) {
    return common::Unauthenticated(
        kReasonUnknownCredential,
        common::StrCat("The access key `", common::QuoteUntrusted(authorization.access_key_id),
                       "` does not exist."));
  }
  RETURN_IF_ERROR(auth::VerifyZenlayerRequest(request, authorization,
                                              credential->access_key_password, clock_.Now(),
                                              options_.max_clock_skew));
  return service::Caller{credential->account_id, credential->access_key_id,
                         credential->account_id, credential->access_key_id, ""};
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::Dispatch(std::string_view action_name,
                                                          const boost::json::object& body,
                                                          const service::Caller& caller) {
  std::optional<Action> action = FindAction(action_name);
  if (!action) {
    return common::InvalidArgument(
        kReasonUnknownAction, common::StrCat("The action `", common::QuoteUntrusted(action_name),
                                             "` is not supported by service sdn."));
  }
  boost::json::object response;
  switch (*action) {
    case Action::kCreatePrivateConnect: {
      ASSIGN_OR_RETURN(service::CreatePrivateConnectRequest request,
                       ParseCreatePrivateConnect(body));
      ASSIGN_OR_RETURN(std::string id, connects_.CreatePrivateConnect(caller, request));
      response["privateConnectId"] = id;
      return response;
    }
    case Action::kDescribePrivateConnects: {
      ASSIGN_OR_RETURN(service::PrivateConnectQuery query, ParseDescribePrivateConnects(body));
      ASSIGN_OR_RETURN(store::Page<service::PrivateConnectDetails> page,
                       connects_.DescribePrivateConnects(caller, query));
      response["totalCount"] = page.total;
      ActionResult result(std::move(response));
      result.data_set_json.reserve(1024 * page.items.size() + 2);
      PrivateConnectArrayWriter writer(result.data_set_json);
      for (const service::PrivateConnectDetails& details : page.items) {
        writer.Add(details);
      }
      writer.Finish();
      return result;
    }
    case Action::kModifyPrivateConnectsAttribute: {
      ASSIGN_OR_RETURN(ModifyAttributeRequest request, ParseModifyPrivateConnectsAttribute(body));
      RETURN_IF_ERROR(connects_.ModifyPrivateConnectsAttribute(caller, request.ids, request.name));
      return response;
    }
    case Action::kModifyPrivateConnectBandwidth: {
      ASSIGN_OR_RETURN(ModifyBandwidthRequest request, ParseModifyPrivateConnectBandwidth(body));
      RETURN_IF_ERROR(
          connects_.ModifyPrivateConnectBandwidth(caller, request.id, request.bandwidth_mbps));
      return response;
    }
    case Action::kDeletePrivateConnect: {
      ASSIGN_OR_RETURN(std::string id, ParsePrivateConnectIdOnly(body));
      RETURN_IF_ERROR(connects_.DeletePrivateConnect(caller, id));
      return response;
    }
    case Action::kRenewPrivateConnect: {
      ASSIGN_OR_RETURN(std::string id, ParsePrivateConnectIdOnly(body));
      RETURN_IF_ERROR(connects_.RenewPrivateConnect(caller, id));
      return response;
    }
    case Action::kDestroyPrivateConnect: {
      ASSIGN_OR_RETURN(std::string id, ParsePrivateConnectIdOnly(body));
      RETURN_IF_ERROR(connects_.DestroyPrivateConnect(caller, id));
      return response;
    }
    case Action::kDescribePorts: {
      ASSIGN_OR_RETURN(service::PortQuery query, ParseDescribePorts(body));
      ASSIGN_OR_RETURN(store::Page<store::ZenlayerPort> page,
                       connects_.DescribePorts(caller, query));
      boost::json::array data_set;
      for (const store::ZenlayerPort& port : page.items) {
        data_set.push_back(RenderPort(port));
      }
      response["totalCount"] = page.total;
      response["dataSet"] = std::move(data_set);
      return response;
    }
  }
  return absl::InternalError("unhandled action");
}

common::HttpResponse ZenlayerApi::Handle(const common::HttpRequest& request) {
  const std::string request_id = NewRequestId();
  std::string account_id;
  std::string action_name;
  absl::StatusOr<ActionResult> result = [&]() -> absl::StatusOr<ActionResult> {
    if (request.transport_rejection == 413) {
      return common::InvalidArgument(kReasonBodyTooLarge, "The request body is too large.");
    }
    if (request.transport_rejection != 0) {
      return common::InvalidArgument(kReasonHeadersTooLarge, "The request headers are too large.");
    }
    if (request.Path() != kSdnPath) {
      return common::NotFound(
          kReasonUnknownService,
          common::StrCat("The service path `", common::QuoteUntrusted(request.Path()),
                         "` is not supported; use ", kSdnPath, "."));
    }
    if (request.method != "POST") {
      return common::InvalidArgument(kReasonMethodNotAllowed, "Only POST is supported.");
    }
    // Authenticate first: nothing about the request is answered to an
    // unauthenticated caller beyond the path check.
    ASSIGN_OR_RETURN(service::Caller caller, Authenticate(request));
    caller.request_id = request_id;
    account_id = caller.tenant_id;
    std::optional<std::string_view> action = request.Header("X-ZC-Action");
    if (!action || action->empty()) {
      return common::InvalidArgument(kReasonMissingAction, "The X-ZC-Action header is missing.");
    }
    action_name = std::string(*action);
    ASSIGN_OR_RETURN(boost::json::object body, ParseBody(request.body));
    return Dispatch(*action, body, caller);
  }();
  common::HttpResponse response;
  if (result.ok()) {
    boost::json::object inner = std::move(result->fields);
    inner["requestId"] = request_id;
    boost::json::object envelope;
    envelope["requestId"] = request_id;
    envelope["response"] = std::move(inner);
    response.status = 200;
    response.SetHeader("Content-Type", "application/json");
    response.SetHeader("X-Request-Id", request_id);
    response.body = boost::json::serialize(envelope);
    if (!result->data_set_json.empty()) {
      // The body ends with "}}": the inner object (never empty: it holds
      // requestId) closes, then the envelope, whose last member it is.
      std::string& body = response.body;
      body.resize(body.size() - 2);
      body += ",\"dataSet\":";
      body += result->data_set_json;
      body += "}}";
    }
  } else {
    response = ErrorResponse(result.status(), request_id);
    response.access.error_code = ToZenlayerError(result.status()).code;
  }
  // The dispatcher writes the access log line and the request metrics. Unknown
  // actions are reported as "Unknown" so clients cannot grow the label set.
  response.access.dialect = "zenlayer";
  response.access.operation = FindAction(action_name) ? action_name : std::string("Unknown");
  response.access.tenant = account_id;
  response.access.request_id = request_id;
  return response;
}

}  // namespace connectplane::api::zenlayer
