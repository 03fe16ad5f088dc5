#include "service/credential_service.h"

#include "common/status.h"

namespace connectplane::service {

absl::StatusOr<std::optional<store::HuaweiCredential>> CredentialService::FindHuaweiCredential(
    std::string_view access_key) {
  std::optional<store::HuaweiCredential> credential;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(credential, txn.FindHuaweiCredential(access_key));
    return absl::OkStatus();
  }));
  return credential;
}

}  // namespace connectplane::service
