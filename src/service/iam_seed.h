// The "iam" member of a seed's "huawei" section: the identity (Keystone v3)
// fixtures the IAM dialect serves. Parsed completely before anything is
// written; applied (upserted) inside the seed's transaction.
//   "iam": {
//     "domains":  [{"domain_id", "name"}],
//     "projects": [{"project_id", "name" (default: region), "domain_id", "region"}],
//     "users":    [{"user_id", "name", "domain_id", "password" | "password_hash"}]
//   }
// A plain "password" is hashed (auth::HashPassword) when the seed is read, so
// only the salted hash is stored; "password_hash" takes a stored-form hash.
// Neither: the user must already be stored (same id, domain and name) and
// keeps its hash (an export without secrets). Projects and users must name a
// domain of the same seed. Stateless.
#pragma once

#include "common/json_reader.h"
#include "store/models.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <map>
#include <string>
#include <vector>

namespace connectplane::service {

struct IamSeed {
  std::vector<store::IamDomain> domains;
  std::vector<store::IamProject> projects;
  std::vector<store::IamUser> users;
  // user_id -> path of a user given without 'password' and 'password_hash'
  // (password_hash ""): applying keeps the stored user's hash, or fails.
  std::map<std::string, std::string> keep_password_paths;
};

// Errors: InvalidArgument (the reader's factory wording, or "INVALID_SEED"
// naming the path) for unknown keys, missing or mistyped members, duplicate
// ids or names, a domain the seed does not declare, or a malformed hash.
absl::StatusOr<IamSeed> ParseIamSeed(const common::JsonReader& section);

// Upserts every row, in the store's key order. Errors: InvalidArgument naming
// the path of a user without a password that is not stored; the store's.
absl::Status ApplyIamSeed(store::StoreTransaction& txn, const IamSeed& seed);

}  // namespace connectplane::service
