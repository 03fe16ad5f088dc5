#include "common/clock.h"

#include "absl/time/clock.h"
#include <new>

namespace connectplane::common {

absl::Time RealClock::Now() const { return absl::Now(); }

Clock& SystemClock() {
  // Placement-new into static storage: no destructor runs at exit, so the
  // clock stays usable by threads that outlive main().
  alignas(RealClock) static unsigned char storage[sizeof(RealClock)];
  static RealClock* clock = new (storage) RealClock();
  return *clock;
}

int64_t ToUnixMillis(absl::Time t) { return absl::ToUnixMillis(t); }
absl::Time FromUnixMillis(int64_t ms) { return absl::FromUnixMillis(ms); }

}  // namespace connectplane::common
