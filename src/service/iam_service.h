// Identity (Keystone v3) rules behind the IAM dialect (api/iam): which domain
// and projects a caller sees, password and token logins, and the X-Auth-Token
// tokens they issue (stored as SHA-256 only, 24 hours by default, as Huawei
// IAM issues them). Knows nothing of HTTP. Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "store/models.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

struct IamServiceOptions {
  absl::Duration token_lifetime = absl::Hours(24);
};

// A domain and, for a project-scoped caller, the project.
struct IamScope {
  store::IamDomain domain;
  std::optional<store::IamProject> project;
};

// A reference by id or by name (Keystone accepts either); a name-only project
// reference is resolved in `domain` when given, else in the user's domain.
struct IamReference {
  std::optional<std::string> id;
  std::optional<std::string> name;
};

// What POST /v3/auth/tokens asks for.
struct IamTokenRequest {
  enum class Method { kPassword, kToken };
  Method method = Method::kPassword;
  // kPassword: user name (or id), the user's domain, the password.
  IamReference user;
  IamReference user_domain;
  std::string password;
  // kToken: an existing, unexpired token.
  std::string token;
  // Scope: a project (by id, or by name in `project_domain`), a domain, or
  // nothing (then the user's domain).
  std::optional<IamReference> project;
  IamReference project_domain;
  std::optional<IamReference> domain;
};

struct IssuedIamToken {
  std::string token;  // the secret; only its SHA-256 is stored
  store::IamToken row;
  IamScope scope;
};

class IamService {
 public:
  // Both must outlive the service.
  IamService(store::Store& store, const common::Clock& clock, IamServiceOptions options = {});

  // The domain and project of an AK/SK credential. Errors: Unauthenticated
  // "IAM_NO_IDENTITY" when the credential's project is not in the identity
  // seed (huawei.iam); the store's.
  absl::StatusOr<IamScope> ScopeOfCredential(const store::HuaweiCredential& credential);

  // The domain and project of a live token. Errors: Unauthenticated
  // "IAM_TOKEN_INVALID" (unknown or expired; same answer); the store's.
  absl::StatusOr<IamScope> ScopeOfToken(std::string_view token);

  // The domain's projects, those named `name` only when given. Another
  // domain's projects are never listed.
  absl::StatusOr<std::vector<store::IamProject>> ListProjects(
      std::string_view domain_id, const std::optional<std::string>& name);

  // The domain's users (ordered by id), the one named `name` only when given.
  // Another domain's users are never listed.
  absl::StatusOr<std::vector<store::IamUser>> ListUsers(std::string_view domain_id,
                                                        const std::optional<std::string>& name);

  // The live token `subject_token` (its row and scope) as a caller of domain
  // `caller_domain_id` may see it: a token of another domain answers like an
  // unknown one. `token` in the result is `subject_token`. Errors: NotFound
  // "IAM_TOKEN_NOT_FOUND" (unknown, expired or another domain's; one answer);
  // the store's.
  absl::StatusOr<IssuedIamToken> ShowToken(std::string_view subject_token,
                                           std::string_view caller_domain_id);

  // Checks the identity and scope, then stores and returns a fresh token
  // (expired tokens are purged in the same write). Errors: Unauthenticated
  // "IAM_BAD_CREDENTIALS" for an unknown user or domain or a wrong password,
  // "IAM_TOKEN_INVALID" for an unknown or expired token, "IAM_BAD_SCOPE" for a
  // project or domain the user cannot reach (another domain's project answers
  // like an unknown one); the store's. Nothing is written on error.
  absl::StatusOr<IssuedIamToken> IssueToken(const IamTokenRequest& request);

 private:
  absl::StatusOr<store::IamDomain> FindDomain(store::StoreTransaction& txn,
                                              const IamReference& reference);
  // The live token's row and scope; nullopt when it is unknown, expired, or
  // its domain or project is no longer seeded.
  absl::StatusOr<std::optional<IssuedIamToken>> FindLiveToken(std::string_view token);

  store::Store& store_;
  const common::Clock& clock_;
  const IamServiceOptions options_;
};

}  // namespace connectplane::service
