// How long each job type takes before it completes: the emulator's timing knob,
// after moto's state manager. Per job type, one of
//   instant          - completes as soon as the runner sees it,
//   after N seconds  - completes N seconds after it was accepted (default 3 s),
//   after N reads    - completes once clients have read the resource N times
//                      (ShowInstance / task queries), whatever the clock says.
// Set at start-up (flags, seed) and at run time (admin API); read by JobQueue
// when it schedules a job. Safe for concurrent use.
#pragma once

#include "service/job_types.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace connectplane::service {

struct JobTiming {
  absl::Duration delay = absl::ZeroDuration();
  int32_t reads = 0;  // > 0: read-gated; `delay` is then ignored

  bool operator==(const JobTiming&) const = default;
};

// Every setting at one instant.
struct JobTimingSettings {
  JobTiming default_timing;
  std::map<std::string, JobTiming, std::less<>> per_type;
};

class JobTimings {
 public:
  explicit JobTimings(absl::Duration default_duration = absl::Seconds(3))
      : default_timing_{default_duration, 0} {}

  void SetDefault(absl::Duration duration) ABSL_LOCKS_EXCLUDED(mu_);
  // Set and SetTiming take any name (tests register their own job types);
  // names from outside go through ApplySetting or CheckJobType first.
  void Set(std::string job_type, absl::Duration duration) ABSL_LOCKS_EXCLUDED(mu_);
  void SetTiming(std::string job_type, JobTiming timing) ABSL_LOCKS_EXCLUDED(mu_);
  JobTiming GetTiming(std::string_view job_type) const ABSL_LOCKS_EXCLUDED(mu_);
  // True once any type has ever been read-gated: reads must then be counted
  // (jobs gated earlier still wait for reads after the setting changes).
  bool ReadGatingUsed() const { return read_gating_used_.load(std::memory_order_relaxed); }
  // A read-gated job arrived by other means (a snapshot's seed): count reads.
  void NoteReadGatedJob() { read_gating_used_.store(true, std::memory_order_relaxed); }

  // Applies one "TYPE=SECONDS" or "SECONDS" (every type, clearing per-type
  // settings) as given on the command line; "TYPE=reads:N" makes a type
  // read-gated. Errors: InvalidArgument on a malformed or negative value, and
  // UNKNOWN_JOB_TYPE (CheckJobType) when TYPE is not one of JobTypes(); nothing
  // is changed then.
  absl::Status ApplySetting(std::string_view setting) ABSL_LOCKS_EXCLUDED(mu_);

  JobTimingSettings Settings() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::atomic<bool> read_gating_used_{false};
  mutable absl::Mutex mu_;
  JobTiming default_timing_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, JobTiming, std::less<>> per_type_ ABSL_GUARDED_BY(mu_);
};

}  // namespace connectplane::service
