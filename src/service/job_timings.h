// How long each job type takes before it completes: the emulator's timing knob
// (0 = instant; default a few seconds, like the real service feels). Set at
// start-up from flags and the seed file; read-only afterwards, so safe for
// concurrent reads.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace connectplane::service {

inline constexpr std::string_view kJobEnableConnector = "kafka.enable_connector";
inline constexpr std::string_view kJobDisableConnector = "kafka.disable_connector";

class JobTimings {
 public:
  explicit JobTimings(absl::Duration default_duration = absl::Seconds(3))
      : default_duration_(default_duration) {}

  void SetDefault(absl::Duration duration) { default_duration_ = duration; }
  void Set(std::string job_type, absl::Duration duration);
  absl::Duration Get(std::string_view job_type) const;

  // Applies one "TYPE=SECONDS" or "SECONDS" (every type) setting, as given on
  // the command line. Errors: InvalidArgument on a malformed or negative value.
  absl::Status ApplySetting(std::string_view setting);

 private:
  absl::Duration default_duration_;
  std::map<std::string, absl::Duration, std::less<>> per_type_;
};

}  // namespace connectplane::service
