#include "api/zenlayer/zenlayer_api.h"

#include "api/zenlayer/zenlayer_errors.h"
#include "api/zenlayer/zenlayer_json.h"
#include "api/zenlayer/zenlayer_requests.h"
#include "api/zenlayer/zenlayer_versions.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

namespace connectplane::api::zenlayer {
namespace {

constexpr std::string_view kSdnPath = "/api/v2/sdn";

// The token of an "Authorization: Bearer <token>" value (the SDKs' token
// mode), or nullopt for any other scheme. The scheme name is matched
// case-insensitively (RFC 9110); the token is what follows one space.
std::optional<std::string_view> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  return header.substr(kScheme.size());
}

}  // namespace

const ZenlayerApi::Action ZenlayerApi::kActions[] = {
    {"CreatePrivateConnect", true, &ZenlayerApi::CreatePrivateConnect},
    {"DescribePrivateConnects", false, &ZenlayerApi::DescribePrivateConnects},
    {"ModifyPrivateConnectsAttribute", true, &ZenlayerApi::ModifyPrivateConnectsAttribute},
    {"ModifyPrivateConnectBandwidth", true, &ZenlayerApi::ModifyPrivateConnectBandwidth},
    {"DeletePrivateConnect", true, &ZenlayerApi::DeletePrivateConnect},
    {"RenewPrivateConnect", true, &ZenlayerApi::RenewPrivateConnect},
    {"DestroyPrivateConnect", true, &ZenlayerApi::DestroyPrivateConnect},
    {"DescribePorts", false, &ZenlayerApi::DescribePorts},
    // Ports and the data center catalog (zenlayer_port_handlers.cc).
    {"CreatePort", true, &ZenlayerApi::CreatePort},
    {"ModifyPortAttribute", true, &ZenlayerApi::ModifyPortAttribute},
    {"TerminatePort", true, &ZenlayerApi::TerminatePort},
    {"RenewPort", true, &ZenlayerApi::RenewPort},
    {"DestroyPort", true, &ZenlayerApi::DestroyPort},
    {"DescribeDatacenters", false, &ZenlayerApi::DescribeDatacenters},
    // Lookups and emulated traffic/price queries (zenlayer_catalog_handlers.cc).
    {"DescribePrivateConnectAvailablePorts", false,
     &ZenlayerApi::DescribePrivateConnectAvailablePorts},
    {"DescribePortUsableVlan", false, &ZenlayerApi::DescribePortUsableVlan},
    {"DescribeAWSRegions", false, &ZenlayerApi::DescribeAWSRegions},
    {"DescribeGoogleRegions", false, &ZenlayerApi::DescribeGoogleRegions},
    {"DescribeTencentRegions", false, &ZenlayerApi::DescribeTencentRegions},
    {"DescribePrivateConnectTraffic", false, &ZenlayerApi::DescribePrivateConnectTraffic},
    {"DescribePortTraffic", false, &ZenlayerApi::DescribePortTraffic},
    {"InquiryCreatePrivateConnectPrice", false, &ZenlayerApi::InquiryCreatePrivateConnectPrice},
    {"QueryPrivateConnectBandwidthPrice", false, &ZenlayerApi::QueryPrivateConnectBandwidthPrice},
    {"QueryPrivateConnectPrice", false, &ZenlayerApi::QueryPrivateConnectPrice},
    {"QueryDataCenterPortPrice", false, &ZenlayerApi::QueryDataCenterPortPrice},
    {"QueryDataCenterPortPrices", false, &ZenlayerApi::QueryDataCenterPortPrices},
    {"DescribeDataCenterPortPrice", false, &ZenlayerApi::DescribeDataCenterPortPrice},
};

namespace {

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

// {"requestId", "response": {..., "requestId"[, "dataSet"]}}
std::string RenderEnvelope(const std::string& request_id, ZenlayerApi::ActionResult result) {
  boost::json::object inner = std::move(result.fields);
  inner["requestId"] = request_id;
  boost::json::object envelope;
  envelope["requestId"] = request_id;
  envelope["response"] = std::move(inner);
  std::string body = boost::json::serialize(envelope);
  if (!result.data_set_json.empty()) {
    // The body ends with "}}": the inner object (never empty: it holds
    // requestId) closes, then the envelope, whose last member it is.
    body.resize(body.size() - 2);
    body += ",\"dataSet\":";
    body += result.data_set_json;
    body += "}}";
  }
  return body;
}

}  // namespace

ZenlayerApi::ZenlayerApi(service::PrivateConnectService& connects, service::PortService& ports,
                         service::SdnCatalogService& catalog, service::SdnUsageService& usage,
                         service::CredentialService& credentials, stages::RequestStages& stages,
                         const common::Clock& clock, ZenlayerApiOptions options)
    : connects_(connects),
      ports_(ports),
      catalog_(catalog),
      usage_(usage),
      credentials_(credentials),
      stages_(stages),
      clock_(clock),
      options_(options) {}

std::span<const ZenlayerApi::Action> ZenlayerApi::Actions() { return kActions; }

std::vector<std::string> ZenlayerApi::ActionNames() {
  std::vector<std::string> names;
  for (const Action& action : kActions) {
    names.emplace_back(action.name);
  }
  return names;
}

const ZenlayerApi::Action* ZenlayerApi::FindAction(std::string_view name) {
  for (const Action& action : kActions) {
    if (action.name == name) {
      return &action;
    }
  }
  return nullptr;
}

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
  if (std::optional<std::string_view> token = BearerToken(*header)) {
    return AuthenticateToken(*token);
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
  return service::Caller{credential->account_id, credential->access_key_id, credential->account_id,
                         credential->access_key_id, ""};
}

absl::StatusOr<service::Caller> ZenlayerApi::AuthenticateToken(std::string_view token) {
  // Never echoed or logged: the message names no part of the token.
  auto refused = [] {
    return common::Unauthenticated(kReasonUnknownToken, "The bearer token is not valid.");
  };
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) {
    return refused();
  }
  ASSIGN_OR_RETURN(std::optional<store::ZenlayerToken> found,
                   credentials_.FindZenlayerToken(token));
  if (!found) {
    return refused();
  }
  // The actor of audit entries: which token, without the token.
  std::string actor = common::StrCat("token:", found->token_sha256.substr(0, 12));
  return service::Caller{found->account_id, actor, found->account_id, actor, "", ""};
}

common::HttpResponse ZenlayerApi::Handle(const common::HttpRequest& request) {
  const std::string request_id = NewRequestId();
  std::string account_id;
  // Unknown actions are reported as "Unknown" so clients cannot grow the
  // metrics' label set.
  std::string_view operation = "Unknown";
  std::chrono::milliseconds send_delay{0};
  bool authenticated = false;
  absl::StatusOr<stages::Reply> reply = [&]() -> absl::StatusOr<stages::Reply> {
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
    authenticated = true;
    caller.request_id = request_id;
    account_id = caller.tenant_id;
    ASSIGN_OR_RETURN(SdnVersion version, ResolveSdnVersion(request.Header("X-ZC-Version")));
    caller.api_version = std::string(SdnVersionName(version));
    std::optional<std::string_view> action_name = request.Header("X-ZC-Action");
    if (!action_name || action_name->empty()) {
      return common::InvalidArgument(kReasonMissingAction, "The X-ZC-Action header is missing.");
    }
    const Action* action = FindAction(*action_name);
    if (action == nullptr) {
      return common::InvalidArgument(
          kReasonUnknownAction, common::StrCat("The action `", common::QuoteUntrusted(*action_name),
                                               "` is not supported by service sdn."));
    }
    operation = action->name;
    return stages_.Run(
        {kDialect, action->name, caller.tenant_id, action->mutating}, request,
        [&]() -> absl::StatusOr<stages::Reply> {
          ASSIGN_OR_RETURN(boost::json::object body, ParseBody(request.body));
          ASSIGN_OR_RETURN(ActionResult result, (this->*action->handler)(body, caller));
          return stages::Reply{200, RenderEnvelope(request_id, std::move(result))};
        },
        &send_delay);
  }();
  common::HttpResponse response;
  if (reply.ok()) {
    response.status = reply->status;
    response.SetHeader("Content-Type", "application/json");
    response.SetHeader("X-Request-Id", request_id);
    response.body = std::move(reply->body);
  } else {
    response = ErrorResponse(reply.status(), request_id);
  }
  // The dispatcher writes the access log line and the request metrics.
  response.send_delay = send_delay;
  response.access.dialect = std::string(kDialect);
  response.access.operation = std::string(operation);
  response.access.tenant = std::move(account_id);
  response.access.request_id = request_id;
  response.access.authenticated = authenticated;
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::CreatePrivateConnect(
    const boost::json::object& body, const service::Caller& caller) {
  const SdnVersion version = VersionOf(caller);
  ASSIGN_OR_RETURN(service::CreatePrivateConnectRequest request,
                   ParseCreatePrivateConnect(body, version));
  ASSIGN_OR_RETURN(std::string id, connects_.CreatePrivateConnect(caller, request));
  boost::json::object response;
  response["privateConnectId"] = id;
  if (version == SdnVersion::k20260401) {
    // [ours] The order's number format is not in any source.
    response["orderNumber"] = common::StrCat("ORD", id);
  }
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribePrivateConnects(
    const boost::json::object& body, const service::Caller& caller) {
  const SdnVersion version = VersionOf(caller);
  boost::json::object rest = body;
  ASSIGN_OR_RETURN(service::ResourceFilter resource_filter,
                   TakeResourceFilter(rest, {.resource_group_id = true,
                                             .tags = version == SdnVersion::k20260401}));
  ASSIGN_OR_RETURN(service::PrivateConnectQuery query, ParseDescribePrivateConnects(rest));
  query.resource_filter = std::move(resource_filter);
  ASSIGN_OR_RETURN(store::Page<service::PrivateConnectDetails> page,
                   connects_.DescribePrivateConnects(caller, query));
  boost::json::object response;
  response["totalCount"] = page.total;
  ActionResult result(std::move(response));
  result.data_set_json.reserve(1024 * page.items.size() + 2);
  PrivateConnectArrayWriter writer(result.data_set_json, version);
  for (const service::PrivateConnectDetails& details : page.items) {
    writer.Add(details);
  }
  writer.Finish();
  return result;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::ModifyPrivateConnectsAttribute(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(ModifyAttributeRequest request, ParseModifyPrivateConnectsAttribute(body));
  RETURN_IF_ERROR(connects_.ModifyPrivateConnectsAttribute(caller, request.ids, request.name));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::ModifyPrivateConnectBandwidth(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(ModifyBandwidthRequest request, ParseModifyPrivateConnectBandwidth(body));
  RETURN_IF_ERROR(
      connects_.ModifyPrivateConnectBandwidth(caller, request.id, request.bandwidth_mbps));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DeletePrivateConnect(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(std::string id, ParsePrivateConnectIdOnly(body));
  RETURN_IF_ERROR(connects_.DeletePrivateConnect(caller, id));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::RenewPrivateConnect(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(std::string id, ParsePrivateConnectIdOnly(body));
  RETURN_IF_ERROR(connects_.RenewPrivateConnect(caller, id));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DestroyPrivateConnect(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(std::string id, ParsePrivateConnectIdOnly(body));
  RETURN_IF_ERROR(connects_.DestroyPrivateConnect(caller, id));
  return boost::json::object();
}

}  // namespace connectplane::api::zenlayer
