#include "api/iam/iam_api.h"

#include "api/iam/iam_errors.h"
#include "auth/huawei_signer.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/strings/ascii.h"
#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

namespace connectplane::api::iam {

// Operation names are the Huawei IAM SDK's (huaweicloud-sdk-go-v3 services/iam/v3).
const IamApi::Route IamApi::kRoutes[] = {
    {"GET", "/v3/auth/catalog", "KeystoneShowCatalog", true, &IamApi::ShowCatalog},
    {"GET", "/v3/projects", "KeystoneListProjects", true, &IamApi::ListProjects},
    {"GET", "/v3/auth/domains", "KeystoneListAuthDomains", true, &IamApi::ListAuthDomains},
    {"POST", "/v3/auth/tokens", "KeystoneCreateUserTokenByPassword", false, &IamApi::CreateToken},
    {"GET", "/v3/auth/tokens", "KeystoneValidateToken", true, &IamApi::ShowToken},
    {"GET", "/v3/users", "KeystoneListUsers", true, &IamApi::ListUsers},
};

IamApi::IamApi(service::IamService& iam, service::CredentialService& credentials,
               stages::RequestStages& stages, const common::Clock& clock, IamApiOptions options)
    : iam_(iam),
      credentials_(credentials),
      stages_(stages),
      clock_(clock),
      options_(std::move(options)) {}

std::span<const IamApi::Route> IamApi::Routes() { return kRoutes; }

std::vector<std::string> IamApi::OperationNames() {
  std::vector<std::string> names;
  for (const Route& route : kRoutes) {
    if (std::find(names.begin(), names.end(), route.operation) == names.end()) {
      names.emplace_back(route.operation);
    }
  }
  return names;
}

bool IamApi::Owns(std::string_view path) { return path == "/v3" || path.starts_with("/v3/"); }

absl::StatusOr<service::IamScope> IamApi::Authenticate(const common::HttpRequest& request) {
  if (std::optional<std::string_view> token = request.Header("X-Auth-Token")) {
    return iam_.ScopeOfToken(*token);
  }
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header) {
    return common::Unauthenticated(kReasonAuthMissing,
                                   "The request you have made requires authentication.");
  }
  ASSIGN_OR_RETURN(auth::HuaweiAuthorization authorization,
                   auth::ParseHuaweiAuthorization(*header));
  ASSIGN_OR_RETURN(std::optional<store::HuaweiCredential> credential,
                   credentials_.FindHuaweiCredential(authorization.access_key));
  if (!credential) {
    return common::Unauthenticated("AUTH_UNKNOWN_AK", "The access key does not exist.");
  }
  RETURN_IF_ERROR(auth::VerifyHuaweiRequest(request, authorization, credential->secret_key,
                                            clock_.Now(), options_.max_clock_skew));
  return iam_.ScopeOfCredential(*credential);
}

absl::StatusOr<std::string> IamApi::BaseUrl(const common::HttpRequest& request) const {
  if (!options_.public_base_url.empty()) {
    return options_.public_base_url;
  }
  std::optional<std::string_view> host = request.Header("Host");
  // The Host header ends up inside URLs the client follows: accept a plain
  // host[:port] (or [v6]:port) only.
  const bool plain_host = host && !host->empty() && host->size() <= 255 &&
                          std::all_of(host->begin(), host->end(), [](char c) {
                            return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                   c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
                          });
  if (!plain_host) {
    return common::InvalidArgument(kReasonBadRequest,
                                   "The Host header is missing or not a plain host[:port].");
  }
  return common::StrCat(options_.host_url_scheme, "://", *host);
}

common::HttpResponse IamApi::Handle(const common::HttpRequest& request) {
  const std::string request_id = common::NewRequestId();
  std::string_view operation = "Unknown";
  std::string tenant;
  bool authenticated = false;
  std::string subject_token;
  std::chrono::milliseconds send_delay{0};
  absl::StatusOr<stages::Reply> reply = [&]() -> absl::StatusOr<stages::Reply> {
    if (request.transport_rejection != 0) {
      return common::InvalidArgument(kReasonBadRequest, "The request is too large.");
    }
    const std::string_view path = request.Path();
    const auto route = std::find_if(std::begin(kRoutes), std::end(kRoutes), [&](const Route& r) {
      return r.method == request.method && r.path == path;
    });
    if (route == std::end(kRoutes)) {
      return common::NotFound(kReasonUnknownApi, "The API does not exist.");
    }
    operation = route->operation;
    service::IamScope scope;
    if (route->authenticated) {
      ASSIGN_OR_RETURN(scope, Authenticate(request));
      authenticated = true;
      tenant = scope.project ? scope.project->project_id : scope.domain.domain_id;
    }
    ASSIGN_OR_RETURN(std::string base_url, BaseUrl(request));
    const Call call{request, scope, base_url};
    // No identity call counts as mutating, so the idempotency stage never
    // replays one: a replay could not carry X-Subject-Token, and a retried
    // login simply gets a fresh token.
    return stages_.Run(
        {kDialect, route->operation, tenant, false}, request,
        [&]() -> absl::StatusOr<stages::Reply> {
          ASSIGN_OR_RETURN(Reply handled, (this->*route->handler)(call));
          subject_token = std::move(handled.subject_token);
          return stages::Reply{handled.status, common::ToJson(handled.body)};
        },
        &send_delay);
  }();
  common::HttpResponse response;
  if (reply.ok()) {
    response.status = reply->status;
    response.SetHeader("Content-Type", "application/json;charset=UTF-8");
    response.SetHeader("X-Request-Id", request_id);
    if (!subject_token.empty()) {
      response.SetHeader("X-Subject-Token", subject_token);
      authenticated = true;
    }
    response.body = std::move(reply->body);
  } else {
    response = IamErrorResponse(reply.status(), request_id);
  }
  // A latency fault delays the answer on the transport's timer.
  response.send_delay = send_delay;
  // The dispatcher writes the access log line (never a header or a body).
  response.access.dialect = std::string(kDialect);
  response.access.operation = std::string(operation);
  response.access.tenant = std::move(tenant);
  response.access.request_id = request_id;
  response.access.authenticated = authenticated;
  return response;
}

}  // namespace connectplane::api::iam
