#include "store/models.h"

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

}  // namespace connectplane::store
