// The identity dialect's handlers: the service catalog, project, domain and
// user lists, token issuance and validation (Keystone v3 shapes, with the
// members the huaweicloud and opentelekomcloud providers' SDKs read).
#include "api/iam/iam_api.h"
#include "api/iam/iam_errors.h"
#include "common/http_message.h"
#include "common/json_reader.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/time/time.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace connectplane::api::iam {
namespace {

constexpr common::StringRules kNonEmpty{.max_length = 255, .allow_empty = false};

// Catalog services, each with the path its URL carries after the base URL
// ("{project_id}" replaced). dmsv2 is what gophertelekomcloud's
// NewDMSServiceV2 looks up; its smart-connect calls append only
// "instances/...", so the URL must already end in /v2/{project_id}. dmsv1
// (NewDMSServiceV1, the OTC provider's *_v1 DMS resources and data sources)
// is a /v1.0/{project_id} URL: the SDK strips "/{project_id}" for products
// and swaps "v1.0" for "v1" in NewDMSServiceV11.
struct CatalogService {
  std::string_view type;
  std::string_view path;  // after the base URL
  bool needs_project;
};
constexpr CatalogService kCatalogServices[] = {
    {"identity", "/v3", false},
    {"dmsv2", "/v2/{project_id}", true},
    {"dms", "/v2/{project_id}", true},
    {"dmsv1", "/v1.0/{project_id}", true},
};

// Each endpoint is listed under every interface a client may ask for
// (gophertelekomcloud's endpoint_type: public, internal or admin), public first.
constexpr std::string_view kInterfaces[] = {"public", "internal", "admin"};

constexpr size_t kMaxTokenLength = 4096;

absl::Status BodyFieldError(const common::JsonFieldError& error) {
  switch (error.problem) {
    case common::JsonProblem::kUnknownKey:
      return common::InvalidArgument(
          kReasonBadRequest,
          common::StrCat("Unknown member '", common::QuoteUntrusted(error.key), "' in ",
                         error.object_path.empty() ? "the body" : error.object_path, "."));
    case common::JsonProblem::kMissing:
      return common::InvalidArgument(kReasonBadRequest,
                                     common::StrCat("'", error.path, "' is required."));
    default:
      return common::InvalidArgument(
          kReasonBadRequest, common::StrCat("'", error.path, "' must be ", error.expected, "."));
  }
}

std::string IsoTime(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", common::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

boost::json::object Links(const std::string& self) {
  return boost::json::object{{"self", self}, {"previous", nullptr}, {"next", nullptr}};
}

boost::json::object DomainJson(const store::IamDomain& domain) {
  return boost::json::object{{"id", domain.domain_id}, {"name", domain.name}};
}

boost::json::object ProjectJson(const store::IamProject& project, const std::string& base_url) {
  return boost::json::object{
      {"id", project.project_id},
      {"name", project.name},
      {"domain_id", project.domain_id},
      {"parent_id", project.domain_id},
      {"description", ""},
      {"enabled", true},
      {"is_domain", false},
      {"links", boost::json::object{{"self", common::StrCat(base_url, "/v3/projects/",
                                                            project.project_id)}}},
  };
}

// Stable ids: the type and the project (catalog entry ids are opaque to clients).
boost::json::array CatalogJson(const service::IamScope& scope, const std::string& base_url) {
  boost::json::array catalog;
  const std::string region = scope.project ? scope.project->region_id : "";
  for (const CatalogService& catalog_service : kCatalogServices) {
    if (catalog_service.needs_project && !scope.project) {
      continue;
    }
    std::string path(catalog_service.path);
    if (scope.project) {
      if (size_t at = path.find("{project_id}"); at != std::string::npos) {
        path.replace(at, std::string_view("{project_id}").size(), scope.project->project_id);
      }
    }
    const std::string suffix = scope.project ? scope.project->project_id : scope.domain.domain_id;
    boost::json::array endpoints;
    for (std::string_view endpoint_interface : kInterfaces) {
      endpoints.push_back(boost::json::object{
          {"id", common::StrCat(catalog_service.type, "-", endpoint_interface, "-", suffix)},
          {"interface", endpoint_interface},
          {"region", region},
          {"region_id", region},
          {"url", common::StrCat(base_url, path)},
      });
    }
    catalog.push_back(boost::json::object{
        {"id", common::StrCat(catalog_service.type, "-service")},
        {"type", catalog_service.type},
        {"name", catalog_service.type},
        {"endpoints", std::move(endpoints)},
    });
  }
  return catalog;
}

// A query parameter's decoded value; nullopt when absent. Errors:
// InvalidArgument on a bad escape.
absl::StatusOr<std::optional<std::string>> QueryParam(const common::HttpRequest& request,
                                                      std::string_view key) {
  auto params = common::ParseQuery(request.RawQuery());
  if (!params) {
    return common::InvalidArgument(kReasonBadRequest, "The query string is malformed.");
  }
  for (auto& [name, value] : *params) {
    if (name == key) {
      return std::optional<std::string>(std::move(value));
    }
  }
  return std::optional<std::string>();
}

// {"id": ..} or {"name": ..} of a Keystone reference object.
absl::StatusOr<service::IamReference> ReadReference(const common::JsonReader& object,
                                                    bool allow_domain) {
  if (allow_domain) {
    RETURN_IF_ERROR(object.CheckKnown({"id", "name", "domain"}));
  } else {
    RETURN_IF_ERROR(object.CheckKnown({"id", "name"}));
  }
  service::IamReference reference;
  ASSIGN_OR_RETURN(reference.id, object.String("id", kNonEmpty));
  ASSIGN_OR_RETURN(reference.name, object.String("name", kNonEmpty));
  if (!reference.id && !reference.name) {
    return common::InvalidArgument(kReasonBadRequest,
                                   common::StrCat("'", object.path(), "' needs an id or a name."));
  }
  return reference;
}

absl::StatusOr<service::IamTokenRequest> ParseTokenRequest(std::string_view body) {
  absl::StatusOr<boost::json::object> parsed = common::ParseJsonObject(body);
  if (!parsed.ok()) {
    return common::InvalidArgument(kReasonBadRequest, "The request body is not a JSON object.");
  }
  const common::JsonReader root(*parsed, "", &BodyFieldError);
  RETURN_IF_ERROR(root.CheckKnown({"auth"}));
  ASSIGN_OR_RETURN(common::JsonReader auth, root.RequiredObject("auth"));
  RETURN_IF_ERROR(auth.CheckKnown({"identity", "scope"}));
  ASSIGN_OR_RETURN(common::JsonReader identity, auth.RequiredObject("identity"));
  RETURN_IF_ERROR(identity.CheckKnown({"methods", "password", "token"}));
  ASSIGN_OR_RETURN(std::vector<std::string> methods, identity.StringList("methods", kNonEmpty, 2));
  service::IamTokenRequest request;
  if (methods.size() != 1 || (methods[0] != "password" && methods[0] != "token")) {
    return common::InvalidArgument(
        kReasonBadRequest, "'auth.identity.methods' must be [\"password\"] or [\"token\"].");
  }
  if (methods[0] == "password") {
    ASSIGN_OR_RETURN(common::JsonReader password, identity.RequiredObject("password"));
    RETURN_IF_ERROR(password.CheckKnown({"user"}));
    ASSIGN_OR_RETURN(common::JsonReader user, password.RequiredObject("user"));
    RETURN_IF_ERROR(user.CheckKnown({"id", "name", "domain", "password"}));
    ASSIGN_OR_RETURN(request.user.name, user.RequiredString("name", kNonEmpty));
    ASSIGN_OR_RETURN(request.user.id, user.String("id", kNonEmpty));
    ASSIGN_OR_RETURN(request.password,
                     user.RequiredString("password", {.max_length = 1024, .allow_empty = false}));
    ASSIGN_OR_RETURN(common::JsonReader domain, user.RequiredObject("domain"));
    ASSIGN_OR_RETURN(request.user_domain, ReadReference(domain, false));
  } else {
    request.method = service::IamTokenRequest::Method::kToken;
    ASSIGN_OR_RETURN(common::JsonReader token, identity.RequiredObject("token"));
    RETURN_IF_ERROR(token.CheckKnown({"id"}));
    ASSIGN_OR_RETURN(request.token,
                     token.RequiredString("id", {.max_length = 4096, .allow_empty = false}));
  }
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> scope, auth.Object("scope"));
  if (scope) {
    RETURN_IF_ERROR(scope->CheckKnown({"project", "domain"}));
    ASSIGN_OR_RETURN(std::optional<common::JsonReader> project, scope->Object("project"));
    ASSIGN_OR_RETURN(std::optional<common::JsonReader> domain, scope->Object("domain"));
    if (project && domain) {
      return common::InvalidArgument(kReasonBadRequest,
                                     "'auth.scope' names both a project and a domain.");
    }
    if (project) {
      ASSIGN_OR_RETURN(request.project, ReadReference(*project, true));
      ASSIGN_OR_RETURN(std::optional<common::JsonReader> project_domain, project->Object("domain"));
      if (project_domain) {
        ASSIGN_OR_RETURN(request.project_domain, ReadReference(*project_domain, false));
      }
    }
    if (domain) {
      ASSIGN_OR_RETURN(request.domain, ReadReference(*domain, false));
    }
  }
  return request;
}

// A token's Keystone body ("token" member): methods, times, user, roles,
// catalog and its project or domain scope.
boost::json::object TokenJson(const service::IssuedIamToken& issued, std::string_view method,
                              const std::string& base_url) {
  boost::json::object user{{"id", issued.row.user_id},
                           {"name", issued.row.user_name},
                           {"domain", DomainJson(issued.scope.domain)},
                           {"password_expires_at", ""}};
  boost::json::object token{
      {"methods", boost::json::array{method}},
      {"issued_at", IsoTime(issued.row.issued_at_ms)},
      {"expires_at", IsoTime(issued.row.expires_at_ms)},
      {"user", std::move(user)},
      {"roles", boost::json::array{boost::json::object{{"id", "0"}, {"name", "te_admin"}}}},
      {"catalog", CatalogJson(issued.scope, base_url)},
  };
  if (issued.scope.project) {
    token["project"] = boost::json::object{{"id", issued.scope.project->project_id},
                                           {"name", issued.scope.project->name},
                                           {"domain", DomainJson(issued.scope.domain)}};
  } else {
    token["domain"] = DomainJson(issued.scope.domain);
  }
  return token;
}

// A user as Keystone lists one; never the password hash.
boost::json::object UserJson(const store::IamUser& user, const std::string& base_url) {
  return boost::json::object{
      {"id", user.user_id},
      {"name", user.name},
      {"domain_id", user.domain_id},
      {"enabled", true},
      {"description", ""},
      {"password_expires_at", nullptr},
      {"links",
       boost::json::object{{"self", common::StrCat(base_url, "/v3/users/", user.user_id)}}},
  };
}

}  // namespace

absl::StatusOr<IamApi::Reply> IamApi::ShowCatalog(const Call& call) {
  Reply reply;
  reply.body["catalog"] = CatalogJson(call.scope, call.base_url);
  reply.body["links"] = Links(common::StrCat(call.base_url, "/v3/auth/catalog"));
  return reply;
}

absl::StatusOr<IamApi::Reply> IamApi::ListProjects(const Call& call) {
  ASSIGN_OR_RETURN(std::optional<std::string> name, QueryParam(call.request, "name"));
  ASSIGN_OR_RETURN(std::optional<std::string> domain_id, QueryParam(call.request, "domain_id"));
  boost::json::array projects;
  // Another domain's id answers like a domain without projects.
  if (!domain_id || *domain_id == call.scope.domain.domain_id) {
    ASSIGN_OR_RETURN(std::vector<store::IamProject> found,
                     iam_.ListProjects(call.scope.domain.domain_id, name));
    for (const store::IamProject& project : found) {
      projects.push_back(ProjectJson(project, call.base_url));
    }
  }
  Reply reply;
  reply.body["projects"] = std::move(projects);
  reply.body["links"] = Links(common::StrCat(call.base_url, "/v3/projects"));
  return reply;
}

absl::StatusOr<IamApi::Reply> IamApi::ListAuthDomains(const Call& call) {
  ASSIGN_OR_RETURN(std::optional<std::string> name, QueryParam(call.request, "name"));
  boost::json::array domains;
  if (!name || *name == call.scope.domain.name) {
    boost::json::object domain = DomainJson(call.scope.domain);
    domain["enabled"] = true;
    domain["description"] = "";
    domain["links"] = boost::json::object{
        {"self", common::StrCat(call.base_url, "/v3/domains/", call.scope.domain.domain_id)}};
    domains.push_back(std::move(domain));
  }
  Reply reply;
  reply.body["domains"] = std::move(domains);
  reply.body["links"] = Links(common::StrCat(call.base_url, "/v3/auth/domains"));
  return reply;
}

absl::StatusOr<IamApi::Reply> IamApi::CreateToken(const Call& call) {
  ASSIGN_OR_RETURN(service::IamTokenRequest request, ParseTokenRequest(call.request.body));
  ASSIGN_OR_RETURN(service::IssuedIamToken issued, iam_.IssueToken(request));
  Reply reply;
  reply.status = 201;
  reply.body["token"] = TokenJson(
      issued, request.method == service::IamTokenRequest::Method::kToken ? "token" : "password",
      call.base_url);
  reply.subject_token = std::move(issued.token);
  return reply;
}

absl::StatusOr<IamApi::Reply> IamApi::ShowToken(const Call& call) {
  std::optional<std::string_view> subject = call.request.Header("X-Subject-Token");
  if (!subject || subject->empty() || subject->size() > kMaxTokenLength) {
    return common::InvalidArgument(kReasonBadRequest,
                                   "The X-Subject-Token header is missing or too long.");
  }
  ASSIGN_OR_RETURN(service::IssuedIamToken shown,
                   iam_.ShowToken(*subject, call.scope.domain.domain_id));
  Reply reply;
  // Every token here descends from a password login (the token method only
  // re-issues one), so its methods are Keystone's ["password"].
  reply.body["token"] = TokenJson(shown, "password", call.base_url);
  reply.subject_token = std::move(shown.token);
  return reply;
}

absl::StatusOr<IamApi::Reply> IamApi::ListUsers(const Call& call) {
  ASSIGN_OR_RETURN(std::optional<std::string> name, QueryParam(call.request, "name"));
  ASSIGN_OR_RETURN(std::optional<std::string> domain_id, QueryParam(call.request, "domain_id"));
  boost::json::array users;
  // Another domain's id answers like a domain without users.
  if (!domain_id || *domain_id == call.scope.domain.domain_id) {
    ASSIGN_OR_RETURN(std::vector<store::IamUser> found,
                     iam_.ListUsers(call.scope.domain.domain_id, name));
    for (const store::IamUser& user : found) {
      users.push_back(UserJson(user, call.base_url));
    }
  }
  Reply reply;
  reply.body["users"] = std::move(users);
  reply.body["links"] = Links(common::StrCat(call.base_url, "/v3/users"));
  return reply;
}

}  // namespace connectplane::api::iam
