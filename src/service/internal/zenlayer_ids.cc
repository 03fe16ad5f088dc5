#include "service/internal/zenlayer_ids.h"

#include "common/ids.h"
#include "common/strings.h"

#include <cstdint>

namespace connectplane::service::internal {

std::string NewZenlayerResourceId() {
  std::string hex = common::NewResourceHex();
  uint64_t value = 0;
  for (size_t idx = 0; idx < 15; ++idx) {
    char c = hex[idx];
    value = value * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  constexpr uint64_t kLow = 100000000000000000ULL;  // 10^17
  return common::StrCat(kLow + value % (9 * kLow));
}

}  // namespace connectplane::service::internal
