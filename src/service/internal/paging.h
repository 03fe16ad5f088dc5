// Page bounds and in-memory paging shared by the Zenlayer services (private
// connects, ports, lookups). Pure functions; thread-safe.
#pragma once

#include "common/status.h"
#include "common/strings.h"
#include "service/private_connect_service.h"
#include "store/store.h"

#include "absl/status/status.h"
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::service::internal {

// InvalidArgument PC_INVALID_PARAMETER unless 1 <= page_num and
// 1 <= page_size <= kMaxPageSize.
inline absl::Status ValidatePageBounds(int64_t page_num, int64_t page_size) {
  if (page_num < 1) {
    return common::InvalidArgument(kReasonPcInvalidParameter, "pageNum must be at least 1.");
  }
  if (page_size < 1 || page_size > kMaxPageSize) {
    return common::InvalidArgument(
        kReasonPcInvalidParameter,
        common::StrCat("pageSize must be between 1 and ", kMaxPageSize, "."));
  }
  return absl::OkStatus();
}

// Page `page_num` (from 1) of `items`; `total` counts them all.
template <typename T>
store::Page<T> PageOf(std::vector<T> items, int64_t page_num, int64_t page_size) {
  store::Page<T> page;
  page.total = static_cast<int64_t>(items.size());
  // Guard before multiplying: a huge page_num must not overflow the offset.
  if (page_num < 1 || page_size < 1 || page_num - 1 >= (page.total + page_size - 1) / page_size) {
    return page;
  }
  const int64_t offset = (page_num - 1) * page_size;
  const int64_t end = std::min(page.total, offset + page_size);
  page.items.assign(std::make_move_iterator(items.begin() + offset),
                    std::make_move_iterator(items.begin() + end));
  return page;
}

}  // namespace connectplane::service::internal
