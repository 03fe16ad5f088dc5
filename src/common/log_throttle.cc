#include "common/log_throttle.h"

namespace connectplane::common {

bool LogThrottle::Admit(absl::Time now, int64_t& held_back) {
  if (in_run_ && now - last_written_ < interval_) {
    ++held_back_;
    return false;
  }
  in_run_ = true;
  last_written_ = now;
  held_back = held_back_;
  held_back_ = 0;
  return true;
}

int64_t LogThrottle::Reset() {
  const int64_t held_back = held_back_;
  in_run_ = false;
  last_written_ = absl::InfinitePast();
  held_back_ = 0;
  return held_back;
}

}  // namespace connectplane::common
