#include "store/internal/rows.h"

namespace connectplane::store::internal {

bool IsSecretColumn(std::string_view column) {
  return column.find("secret") != std::string_view::npos ||
         column.find("password") != std::string_view::npos ||
         column.find("token") != std::string_view::npos;
}

absl::Status CasFailure(std::string_view noun, std::string_view id,
                        std::optional<int64_t> current_version, int64_t expected_version) {
  if (!current_version) {
    return absl::NotFoundError(common::StrCat(noun, " ", id));
  }
  return absl::AbortedError(common::StrCat(noun, " ", id, " changed concurrently (version ",
                                           *current_version, ", expected ", expected_version, ")"));
}

}  // namespace connectplane::store::internal
