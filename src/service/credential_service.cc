#include "service/credential_service.h"

#include "auth/digest.h"
#include "common/status.h"

#include <mutex>

namespace connectplane::service {

CredentialService::CredentialService(store::Store& store)
    : store_(store), options_{.ttl = absl::ZeroDuration()} {}

CredentialService::CredentialService(store::Store& store, const common::Clock& clock,
                                     CredentialCacheOptions options)
    : store_(store), clock_(&clock), options_(options) {}

template <typename Credential, typename ReadFn>
absl::StatusOr<std::optional<Credential>> CredentialService::Find(Cache<Credential>& cache,
                                                                  std::string_view access_key,
                                                                  ReadFn read) {
  const bool cached = clock_ != nullptr && options_.ttl > absl::ZeroDuration();
  // Debian's absl::string_view is not std::string_view; the map looks up by the former.
  const absl::string_view key(access_key.data(), access_key.size());
  absl::Time now;
  uint64_t generation = 0;
  if (cached) {
    now = clock_->Now();
    std::shared_lock lock(mu_);
    generation = generation_;
    auto it = cache.find(key);
    // A clock moved backwards (emulator time controls) also expires entries.
    if (it != cache.end() && it->second.fetched_at <= now &&
        now - it->second.fetched_at < options_.ttl) {
      return it->second.credential;
    }
  }
  std::optional<Credential> credential;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(credential, read(txn));
    return absl::OkStatus();
  }));
  if (cached) {
    std::unique_lock lock(mu_);
    if (generation == generation_) {
      if (credential.has_value()) {
        if (cache.size() >= options_.max_entries) cache.clear();
        cache.insert_or_assign(std::string(access_key), Entry<Credential>{*credential, now});
      } else {
        cache.erase(key);
      }
    }
  }
  return credential;
}

absl::StatusOr<std::optional<store::HuaweiCredential>> CredentialService::FindHuaweiCredential(
    std::string_view access_key) {
  return Find(huawei_, access_key, [access_key](store::StoreTransaction& txn) {
    return txn.FindHuaweiCredential(access_key);
  });
}

absl::StatusOr<std::optional<store::ZenlayerCredential>> CredentialService::FindZenlayerCredential(
    std::string_view access_key_id) {
  return Find(zenlayer_, access_key_id, [access_key_id](store::StoreTransaction& txn) {
    return txn.FindZenlayerCredential(access_key_id);
  });
}

absl::StatusOr<std::optional<store::ZenlayerToken>> CredentialService::FindZenlayerToken(
    std::string_view token) {
  // Only the hash is looked up and cached: the token itself is never kept,
  // and the lookup compares hashes, not the secret.
  const std::string token_sha256 = auth::Sha256Hex(token);
  return Find(zenlayer_tokens_, token_sha256, [&token_sha256](store::StoreTransaction& txn) {
    return txn.FindZenlayerToken(token_sha256);
  });
}

absl::StatusOr<std::optional<store::IamToken>> CredentialService::FindIamToken(
    std::string_view token) {
  const std::string token_sha256 = auth::Sha256Hex(token);
  return Find(iam_tokens_, token_sha256, [&token_sha256](store::StoreTransaction& txn) {
    return txn.FindIamToken(token_sha256);
  });
}

void CredentialService::Invalidate() {
  std::unique_lock lock(mu_);
  ++generation_;
  huawei_.clear();
  zenlayer_.clear();
  zenlayer_tokens_.clear();
  iam_tokens_.clear();
}

}  // namespace connectplane::service
