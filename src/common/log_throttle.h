// Rate limit for one repeated log line, the line a persisting condition would
// otherwise write on every occurrence (e.g. "store write failed" while the disk
// stays full): the first occurrence of a run is written, then at most one per
// interval, and the written line says how many occurrences were held back since
// the previous one. Reset() ends the run once the condition clears.
// Callers must serialize (one owner: e.g. the job runner's thread).
#pragma once

#include "absl/time/time.h"
#include <cstdint>

namespace connectplane::common {

class LogThrottle {
 public:
  explicit LogThrottle(absl::Duration interval) : interval_(interval) {}

  // Whether the occurrence at `now` is to be written: the first of a run, then
  // the first one at least `interval` after the last written. When it is,
  // `held_back` receives how many occurrences were not written since then (0
  // for the first); otherwise the occurrence is counted and `held_back` is left
  // alone.
  bool Admit(absl::Time now, int64_t& held_back);

  // Ends the run. Returns the occurrences held back since the last written one,
  // for a closing line.
  int64_t Reset();

  bool in_run() const { return in_run_; }

 private:
  const absl::Duration interval_;
  bool in_run_ = false;
  absl::Time last_written_ = absl::InfinitePast();
  int64_t held_back_ = 0;
};

}  // namespace connectplane::common
