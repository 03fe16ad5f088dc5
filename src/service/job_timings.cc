#include "service/job_timings.h"

#include "common/status.h"
#include "common/strings.h"

#include "absl/strings/numbers.h"

namespace connectplane::service {

void JobTimings::SetDefault(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  default_timing_ = JobTiming{duration, 0};
}

void JobTimings::Set(std::string job_type, absl::Duration duration) {
  SetTiming(std::move(job_type), JobTiming{duration, 0});
}

void JobTimings::SetTiming(std::string job_type, JobTiming timing) {
  if (timing.reads > 0) read_gating_used_ = true;
  absl::MutexLock lock(&mu_);
  per_type_[std::move(job_type)] = timing;
}

JobTiming JobTimings::GetTiming(std::string_view job_type) const {
  absl::MutexLock lock(&mu_);
  auto it = per_type_.find(job_type);
  return it == per_type_.end() ? default_timing_ : it->second;
}

absl::Status JobTimings::ApplySetting(std::string_view setting) {
  size_t eq = setting.find('=');
  std::string_view value = eq == std::string_view::npos ? setting : setting.substr(eq + 1);
  if (eq != std::string_view::npos) {
    RETURN_IF_ERROR(CheckJobType(setting.substr(0, eq)));
  }
  JobTiming timing;
  if (value.rfind("reads:", 0) == 0) {
    int32_t reads = 0;
    if (eq == std::string_view::npos || !absl::SimpleAtoi(std::string(value.substr(6)), &reads) ||
        reads < 1 || reads > 1000000) {
      return absl::InvalidArgumentError(
          common::StrCat("job timing '", setting, "': reads mode needs TYPE=reads:N with N >= 1"));
    }
    timing.reads = reads;
    read_gating_used_ = true;
  } else {
    double seconds = 0;
    if (!absl::SimpleAtod(std::string(value), &seconds) || seconds < 0 || seconds > 86400) {
      return absl::InvalidArgumentError(common::StrCat(
          "job duration '", setting, "' must be SECONDS or TYPE=SECONDS (0..86400)"));
    }
    timing.delay = absl::Seconds(seconds);
  }
  absl::MutexLock lock(&mu_);
  if (eq == std::string_view::npos) {
    // A bare duration is an override for every type, seeded ones included.
    per_type_.clear();
    default_timing_ = timing;
  } else {
    per_type_[std::string(setting.substr(0, eq))] = timing;
  }
  return absl::OkStatus();
}

JobTimingSettings JobTimings::Settings() const {
  absl::MutexLock lock(&mu_);
  return JobTimingSettings{default_timing_, per_type_};
}

}  // namespace connectplane::service
