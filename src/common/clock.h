// Time source. Production code takes a Clock& so tests can inject a fake and
// never sleep. Implementations must be safe for concurrent use.
#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace connectplane::common {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// Wall clock (absl::Now()).
class RealClock final : public Clock {
 public:
  absl::Time Now() const override;
};

// The process-wide real clock. Never destroyed (trivially-destructible storage).
Clock& SystemClock();

// Milliseconds since the Unix epoch, the unit every persisted timestamp uses.
int64_t ToUnixMillis(absl::Time t);
absl::Time FromUnixMillis(int64_t ms);

}  // namespace connectplane::common
