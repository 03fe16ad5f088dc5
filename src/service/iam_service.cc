#include "service/iam_service.h"

#include "auth/digest.h"
#include "auth/password_hash.h"
#include "common/status.h"

#include <algorithm>
#include <utility>

namespace connectplane::service {
namespace {

constexpr std::string_view kBadCredentials = "IAM_BAD_CREDENTIALS";
constexpr std::string_view kTokenInvalid = "IAM_TOKEN_INVALID";
constexpr std::string_view kBadScope = "IAM_BAD_SCOPE";

absl::Status BadCredentials() {
  return common::Unauthenticated(kBadCredentials, "The username or password is wrong.");
}

absl::Status BadScope() {
  return common::Unauthenticated(kBadScope, "The project or domain in the scope is not available.");
}

bool Matches(const IamReference& reference, std::string_view id, std::string_view name) {
  if (reference.id) {
    return *reference.id == id;
  }
  return reference.name && *reference.name == name;
}

}  // namespace

IamService::IamService(store::Store& store, const common::Clock& clock, IamServiceOptions options)
    : store_(store), clock_(clock), options_(options) {}

absl::StatusOr<store::IamDomain> IamService::FindDomain(store::StoreTransaction& txn,
                                                        const IamReference& reference) {
  ASSIGN_OR_RETURN(std::vector<store::IamDomain> domains, txn.ListIamDomains());
  for (store::IamDomain& domain : domains) {
    if (Matches(reference, domain.domain_id, domain.name)) {
      return std::move(domain);
    }
  }
  return common::NotFound(kBadScope, "no such domain");
}

absl::StatusOr<IamScope> IamService::ScopeOfCredential(const store::HuaweiCredential& credential) {
  IamScope scope;
  bool found = false;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::IamProject> project,
                     txn.FindIamProject(credential.project_id));
    found = false;
    if (!project) {
      return absl::OkStatus();
    }
    absl::StatusOr<store::IamDomain> domain = FindDomain(txn, {project->domain_id, std::nullopt});
    if (absl::IsNotFound(domain.status())) {
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(domain.status());
    scope = IamScope{*std::move(domain), *std::move(project)};
    found = true;
    return absl::OkStatus();
  }));
  if (!found) {
    return common::Unauthenticated("IAM_NO_IDENTITY",
                                   "The credential's project has no identity (seed huawei.iam).");
  }
  return scope;
}

absl::StatusOr<std::optional<IssuedIamToken>> IamService::FindLiveToken(std::string_view token) {
  const std::string token_sha256 = auth::Sha256Hex(token);
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  std::optional<IssuedIamToken> live;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    live.reset();
    ASSIGN_OR_RETURN(std::optional<store::IamToken> row, txn.FindIamToken(token_sha256));
    if (!row || row->expires_at_ms <= now_ms) {
      return absl::OkStatus();
    }
    absl::StatusOr<store::IamDomain> domain = FindDomain(txn, {row->domain_id, std::nullopt});
    if (absl::IsNotFound(domain.status())) {
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(domain.status());
    IamScope found{*std::move(domain), std::nullopt};
    if (!row->project_id.empty()) {
      ASSIGN_OR_RETURN(found.project, txn.FindIamProject(row->project_id));
      if (!found.project) {
        return absl::OkStatus();
      }
    }
    live = IssuedIamToken{std::string(token), *std::move(row), std::move(found)};
    return absl::OkStatus();
  }));
  return live;
}

absl::StatusOr<IamScope> IamService::ScopeOfToken(std::string_view token) {
  ASSIGN_OR_RETURN(std::optional<IssuedIamToken> live, FindLiveToken(token));
  if (!live) {
    return common::Unauthenticated(kTokenInvalid, "The token is invalid or has expired.");
  }
  return std::move(live->scope);
}

absl::StatusOr<IssuedIamToken> IamService::ShowToken(std::string_view subject_token,
                                                     std::string_view caller_domain_id) {
  ASSIGN_OR_RETURN(std::optional<IssuedIamToken> live, FindLiveToken(subject_token));
  if (!live || live->scope.domain.domain_id != caller_domain_id) {
    return common::NotFound("IAM_TOKEN_NOT_FOUND", "The subject token could not be found.");
  }
  return *std::move(live);
}

absl::StatusOr<std::vector<store::IamProject>> IamService::ListProjects(
    std::string_view domain_id, const std::optional<std::string>& name) {
  std::vector<store::IamProject> projects;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(projects, txn.ListIamProjects(domain_id));
    return absl::OkStatus();
  }));
  if (name) {
    std::erase_if(projects,
                  [&](const store::IamProject& project) { return project.name != *name; });
  }
  return projects;
}

absl::StatusOr<std::vector<store::IamUser>> IamService::ListUsers(
    std::string_view domain_id, const std::optional<std::string>& name) {
  std::vector<store::IamUser> users;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(users, txn.ListIamUsers(domain_id));
    return absl::OkStatus();
  }));
  if (name) {
    std::erase_if(users, [&](const store::IamUser& user) { return user.name != *name; });
  }
  return users;
}

absl::StatusOr<IssuedIamToken> IamService::IssueToken(const IamTokenRequest& request) {
  // The password check (PBKDF2, deliberately slow) runs outside any
  // transaction: it reads the user first, then verifies.
  const absl::Time now = clock_.Now();
  const int64_t now_ms = common::ToUnixMillis(now);
  store::IamDomain user_domain;
  std::string user_id;
  std::string user_name;
  if (request.method == IamTokenRequest::Method::kToken) {
    const std::string token_sha256 = auth::Sha256Hex(request.token);
    std::optional<store::IamToken> existing;
    RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(existing, txn.FindIamToken(token_sha256));
      if (existing && existing->expires_at_ms > now_ms) {
        absl::StatusOr<store::IamDomain> domain =
            FindDomain(txn, {existing->domain_id, std::nullopt});
        if (domain.ok()) {
          user_domain = *std::move(domain);
          return absl::OkStatus();
        }
        if (!absl::IsNotFound(domain.status())) {
          return domain.status();
        }
      }
      existing.reset();
      return absl::OkStatus();
    }));
    if (!existing) {
      return common::Unauthenticated(kTokenInvalid, "The token is invalid or has expired.");
    }
    user_id = existing->user_id;
    user_name = existing->user_name;
  } else {
    std::optional<store::IamUser> user;
    RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
      user.reset();
      absl::StatusOr<store::IamDomain> domain = FindDomain(txn, request.user_domain);
      if (absl::IsNotFound(domain.status())) {
        return absl::OkStatus();
      }
      RETURN_IF_ERROR(domain.status());
      user_domain = *std::move(domain);
      if (request.user.name) {
        ASSIGN_OR_RETURN(user, txn.FindIamUser(user_domain.domain_id, *request.user.name));
      }
      return absl::OkStatus();
    }));
    if (!user || (request.user.id && *request.user.id != user->user_id) ||
        !auth::VerifyPassword(request.password, user->password_hash)) {
      return BadCredentials();
    }
    user_id = user->user_id;
    user_name = user->name;
  }

  IssuedIamToken issued;
  issued.scope.domain = user_domain;
  issued.token = auth::NewOpaqueToken();
  issued.row = store::IamToken{auth::Sha256Hex(issued.token),
                               user_id,
                               user_name,
                               user_domain.domain_id,
                               "",
                               now_ms,
                               common::ToUnixMillis(now + options_.token_lifetime)};
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    issued.scope.project.reset();
    issued.row.project_id.clear();
    if (request.project) {
      // Users reach the projects of their own domain; any other project
      // (unknown or another domain's) is the same scope error.
      ASSIGN_OR_RETURN(std::vector<store::IamProject> projects,
                       txn.ListIamProjects(user_domain.domain_id));
      if (!request.project->id && request.project_domain.name &&
          *request.project_domain.name != user_domain.name) {
        return BadScope();
      }
      if (!request.project->id && request.project_domain.id &&
          *request.project_domain.id != user_domain.domain_id) {
        return BadScope();
      }
      auto found = std::find_if(projects.begin(), projects.end(), [&](const auto& project) {
        return Matches(*request.project, project.project_id, project.name);
      });
      if (found == projects.end()) {
        return BadScope();
      }
      issued.scope.project = *found;
      issued.row.project_id = found->project_id;
    } else if (request.domain &&
               !Matches(*request.domain, user_domain.domain_id, user_domain.name)) {
      return BadScope();
    }
    RETURN_IF_ERROR(txn.DeleteExpiredIamTokens(now_ms).status());
    return txn.PutIamToken(issued.row);
  }));
  return issued;
}

}  // namespace connectplane::service
