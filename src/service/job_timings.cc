#include "service/job_timings.h"

#include "absl/strings/numbers.h"
#include "common/strings.h"

namespace connectplane::service {

void JobTimings::Set(std::string job_type, absl::Duration duration) {
  per_type_[std::move(job_type)] = duration;
}

absl::Duration JobTimings::Get(std::string_view job_type) const {
  auto it = per_type_.find(job_type);
  return it == per_type_.end() ? default_duration_ : it->second;
}

absl::Status JobTimings::ApplySetting(std::string_view setting) {
  size_t eq = setting.find('=');
  std::string_view seconds_text = eq == std::string_view::npos ? setting : setting.substr(eq + 1);
  double seconds = 0;
  if (!absl::SimpleAtod(std::string(seconds_text), &seconds) || seconds < 0 || seconds > 86400) {
    return absl::InvalidArgumentError(
        common::StrCat("job duration '", setting, "' must be SECONDS or TYPE=SECONDS (0..86400)"));
  }
  if (eq == std::string_view::npos) {
    // A bare duration is an override for every type, seeded ones included.
    per_type_.clear();
    SetDefault(absl::Seconds(seconds));
  } else {
    Set(std::string(setting.substr(0, eq)), absl::Seconds(seconds));
  }
  return absl::OkStatus();
}

}  // namespace connectplane::service
