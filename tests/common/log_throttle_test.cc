#include "common/log_throttle.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace connectplane::common {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1795000000);

TEST(LogThrottleTest, WritesTheFirstThenOnePerIntervalWithTheHeldBackCount) {
  LogThrottle throttle(absl::Seconds(60));
  int64_t held_back = -1;
  EXPECT_TRUE(throttle.Admit(kStart, held_back));
  EXPECT_EQ(held_back, 0);
  int written = 0;
  // One occurrence a millisecond for two minutes (the probe saw 4,000-6,600 a second).
  for (int64_t ms = 1; ms <= 120'000; ++ms) {
    if (throttle.Admit(kStart + absl::Milliseconds(ms), held_back)) {
      ++written;
      EXPECT_EQ(held_back, 59'999) << "at " << ms << " ms";  // everything since the last line
    }
  }
  EXPECT_EQ(written, 2);  // at 60 s and at 120 s
}

TEST(LogThrottleTest, ResetReturnsWhatWasHeldBackAndStartsANewRun) {
  LogThrottle throttle(absl::Seconds(60));
  int64_t held_back = -1;
  ASSERT_TRUE(throttle.Admit(kStart, held_back));
  EXPECT_FALSE(throttle.Admit(kStart + absl::Seconds(1), held_back));
  EXPECT_FALSE(throttle.Admit(kStart + absl::Seconds(2), held_back));
  EXPECT_TRUE(throttle.in_run());
  EXPECT_EQ(throttle.Reset(), 2);
  EXPECT_FALSE(throttle.in_run());
  EXPECT_TRUE(throttle.Admit(kStart + absl::Seconds(3), held_back));  // a new run: written
  EXPECT_EQ(held_back, 0);
}

}  // namespace
}  // namespace connectplane::common
