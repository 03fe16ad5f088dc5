// Looks up signing credentials for the dialects' authenticators. Safe for
// concurrent use (stateless over the Store).
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "store/models.h"
#include "store/store.h"

namespace connectplane::service {

class CredentialService {
 public:
  explicit CredentialService(store::Store& store) : store_(store) {}

  // nullopt when the access key is unknown. Errors: the store's (Unavailable).
  absl::StatusOr<std::optional<store::HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key);

 private:
  store::Store& store_;
};

}  // namespace connectplane::service
