// Looks up the signing credentials of both dialects for their authenticators.
// Safe for concurrent use.
//
// Every signed request needs its credential before anything else, so found
// credentials are cached for `CredentialCacheOptions::ttl` (measured on the
// injected clock): a signed read then opens one store transaction instead of
// two. Contract for changes:
//  - a credential added by a seed is visible at once (misses are not cached);
//  - a change made through this process (seed, reset) is visible at once, as
//    long as the caller runs Invalidate() after committing it;
//  - a change made by another process or replica sharing the database (a
//    rotated secret, a removed key) takes effect within `ttl`.
// ttl = 0 turns the cache off (every lookup reads the store).
#pragma once

#include "common/clock.h"
#include "store/models.h"
#include "store/store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace connectplane::service {

struct CredentialCacheOptions {
  absl::Duration ttl = absl::Seconds(2);
  // Entries per dialect; when full the cache starts over (cheap, and bounds
  // memory when clients cycle through many keys).
  size_t max_entries = 10000;
};

class CredentialService {
 public:
  // Uncached: every lookup reads the store.
  explicit CredentialService(store::Store& store);
  CredentialService(store::Store& store, const common::Clock& clock,
                    CredentialCacheOptions options);

  // nullopt when the access key is unknown. Errors: the store's (Unavailable).
  absl::StatusOr<std::optional<store::HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key);
  absl::StatusOr<std::optional<store::ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id);

  // The account of a bearer token (the token as sent, never stored: it is
  // hashed with SHA-256 and looked up by the hash); nullopt when unknown.
  // Errors: the store's (Unavailable).
  absl::StatusOr<std::optional<store::ZenlayerToken>> FindZenlayerToken(std::string_view token);

  // The IAM token (X-Auth-Token, issued by POST /v3/auth/tokens), looked up by
  // its SHA-256 like a bearer token; nullopt when unknown. Expired tokens are
  // returned too: callers compare expires_at_ms with their clock.
  // Errors: the store's (Unavailable).
  absl::StatusOr<std::optional<store::IamToken>> FindIamToken(std::string_view token);

  // Drops every cached credential; call after committing a credential change.
  void Invalidate();

 private:
  template <typename Credential>
  struct Entry {
    Credential credential;
    absl::Time fetched_at;
  };
  template <typename Credential>
  using Cache = absl::flat_hash_map<std::string, Entry<Credential>>;  // string_view lookups

  template <typename Credential, typename ReadFn>
  absl::StatusOr<std::optional<Credential>> Find(Cache<Credential>& cache,
                                                 std::string_view access_key, ReadFn read);

  store::Store& store_;
  const common::Clock* clock_ = nullptr;  // null: uncached
  const CredentialCacheOptions options_;
  std::shared_mutex mu_;
  Cache<store::HuaweiCredential> huawei_;
  Cache<store::ZenlayerCredential> zenlayer_;
  Cache<store::ZenlayerToken> zenlayer_tokens_;  // keyed by the token's SHA-256
  Cache<store::IamToken> iam_tokens_;            // keyed by the token's SHA-256
  // Bumped by Invalidate(): a lookup that read the store before an
  // invalidation must not put what it read into the cache afterwards.
  uint64_t generation_ = 0;
};

}  // namespace connectplane::service
