#include "store/models.h"

#include <atomic>
#include <cstdio>

#include "common/ids.h"

namespace connectplane::store {

std::string_view JobStatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kPending:
      return "PENDING";
    case JobStatus::kSucceeded:
      return "SUCCEEDED";
    case JobStatus::kFailed:
      return "FAILED";
  }
  return "PENDING";
}

std::optional<JobStatus> ParseJobStatus(std::string_view name) {
  if (name == "PENDING") return JobStatus::kPending;
  if (name == "SUCCEEDED") return JobStatus::kSucceeded;
  if (name == "FAILED") return JobStatus::kFailed;
  return std::nullopt;
}

std::string NewAuditId(int64_t at_ms) {
  static std::atomic<uint64_t> sequence{0};
  const uint64_t seq = sequence.fetch_add(1, std::memory_order_relaxed) % 100000000;
  char prefix[40];
  std::snprintf(prefix, sizeof(prefix), "%016lld-%08llu-", static_cast<long long>(at_ms),
                static_cast<unsigned long long>(seq));
  return std::string(prefix) + common::NewAuditSuffix();
}

}  // namespace connectplane::store
