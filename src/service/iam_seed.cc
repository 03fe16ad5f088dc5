#include "service/iam_seed.h"

#include "auth/password_hash.h"
#include "common/status.h"
#include "common/strings.h"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <utility>

namespace connectplane::service {
namespace {

constexpr common::StringRules kRequired{.empty_is_absent = true};

absl::Status IamSeedError(std::string_view path, std::string_view problem) {
  return common::InvalidArgument("INVALID_SEED", common::StrCat("seed ", path, ": ", problem));
}

}  // namespace

absl::StatusOr<IamSeed> ParseIamSeed(const common::JsonReader& section) {
  RETURN_IF_ERROR(section.CheckKnown({"domains", "projects", "users"}));
  IamSeed seed;
  std::set<std::string> domain_ids;
  std::set<std::string> domain_names;
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> domains, section.ObjectList("domains"));
  for (const common::JsonReader& object : domains) {
    RETURN_IF_ERROR(object.CheckKnown({"domain_id", "name"}));
    store::IamDomain domain;
    ASSIGN_OR_RETURN(domain.domain_id, object.RequiredString("domain_id", kRequired));
    ASSIGN_OR_RETURN(domain.name, object.RequiredString("name", kRequired));
    if (!domain_ids.insert(domain.domain_id).second || !domain_names.insert(domain.name).second) {
      return IamSeedError(object.path(), "duplicate domain_id or name");
    }
    seed.domains.push_back(std::move(domain));
  }
  std::set<std::string> project_ids;
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> projects, section.ObjectList("projects"));
  for (const common::JsonReader& object : projects) {
    RETURN_IF_ERROR(object.CheckKnown({"project_id", "name", "domain_id", "region"}));
    store::IamProject project;
    ASSIGN_OR_RETURN(project.project_id, object.RequiredString("project_id", kRequired));
    ASSIGN_OR_RETURN(project.domain_id, object.RequiredString("domain_id", kRequired));
    ASSIGN_OR_RETURN(project.region_id, object.RequiredString("region", kRequired));
    ASSIGN_OR_RETURN(std::optional<std::string> name, object.String("name", kRequired));
    project.name = name.value_or(project.region_id);
    if (!domain_ids.contains(project.domain_id)) {
      return IamSeedError(object.path(), "domain_id names no domain of this seed");
    }
    if (!project_ids.insert(project.project_id).second) {
      return IamSeedError(object.path(), "duplicate project_id");
    }
    seed.projects.push_back(std::move(project));
  }
  std::set<std::string> user_ids;
  std::set<std::pair<std::string, std::string>> user_names;
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> users, section.ObjectList("users"));
  for (const common::JsonReader& object : users) {
    RETURN_IF_ERROR(
        object.CheckKnown({"user_id", "name", "domain_id", "password", "password_hash"}));
    store::IamUser user;
    ASSIGN_OR_RETURN(user.user_id, object.RequiredString("user_id", kRequired));
    ASSIGN_OR_RETURN(user.name, object.RequiredString("name", kRequired));
    ASSIGN_OR_RETURN(user.domain_id, object.RequiredString("domain_id", kRequired));
    if (!domain_ids.contains(user.domain_id)) {
      return IamSeedError(object.path(), "domain_id names no domain of this seed");
    }
    if (!user_ids.insert(user.user_id).second ||
        !user_names.insert({user.domain_id, user.name}).second) {
      return IamSeedError(object.path(), "duplicate user_id or name in the domain");
    }
    if (object.Has("password") && object.Has("password_hash")) {
      return IamSeedError(object.path(), "give one of 'password' and 'password_hash', not both");
    }
    if (!object.Has("password") && !object.Has("password_hash")) {
      // An export without secrets: the stored user keeps its hash (ApplyIamSeed).
      seed.keep_password_paths[user.user_id] = object.path();
    } else if (object.Has("password")) {
      ASSIGN_OR_RETURN(std::string password, object.RequiredString("password", kRequired));
      user.password_hash = auth::HashPassword(password);
    } else {
      ASSIGN_OR_RETURN(user.password_hash, object.RequiredString("password_hash", kRequired));
      if (!auth::IsPasswordHash(user.password_hash)) {
        return IamSeedError(
            object.path(),
            "'password_hash' must be pbkdf2-sha256$<iterations>$<salt hex>$<64 hex>");
      }
    }
    seed.users.push_back(std::move(user));
  }
  return seed;
}

absl::Status ApplyIamSeed(store::StoreTransaction& txn, const IamSeed& seed) {
  IamSeed sorted = seed;
  std::sort(sorted.domains.begin(), sorted.domains.end(),
            [](const auto& a, const auto& b) { return a.domain_id < b.domain_id; });
  std::sort(sorted.projects.begin(), sorted.projects.end(),
            [](const auto& a, const auto& b) { return a.project_id < b.project_id; });
  std::sort(sorted.users.begin(), sorted.users.end(),
            [](const auto& a, const auto& b) { return a.user_id < b.user_id; });
  for (const store::IamDomain& domain : sorted.domains) {
    RETURN_IF_ERROR(txn.PutIamDomain(domain));
  }
  for (const store::IamProject& project : sorted.projects) {
    RETURN_IF_ERROR(txn.PutIamProject(project));
  }
  for (store::IamUser& user : sorted.users) {
    if (user.password_hash.empty()) {
      // Never a user who cannot log in: only a stored one keeps its hash.
      ASSIGN_OR_RETURN(std::optional<store::IamUser> existing,
                       txn.FindIamUser(user.domain_id, user.name));
      if (!existing || existing->user_id != user.user_id) {
        return IamSeedError(seed.keep_password_paths.at(user.user_id),
                            "'password' or 'password_hash' is required: no stored user with this "
                            "user_id, domain and name keeps its password");
      }
      user.password_hash = existing->password_hash;
    }
    RETURN_IF_ERROR(txn.PutIamUser(user));
  }
  return absl::OkStatus();
}

}  // namespace connectplane::service
