// Constants and helpers every libFuzzer target shares: the seeded tenants'
// ids and keys, a fixed clock, the oracle-failure exit and log silencing. Header-only.
#pragma once

#include "common/clock.h"

#include "absl/time/time.h"
#include "spdlog/spdlog.h"
#include <cstdio>
#include <cstdlib>
#include <string>

namespace connectplane::fuzz {

inline constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
inline constexpr char kOtherProject[] = "fedcba9876543210fedcba9876543210";
inline constexpr char kInstance[] = "a1b2c3d4-0000-1111-2222-333344445555";
inline constexpr char kEnabledInstance[] = "b2c3d4e5-0000-1111-2222-333344445555";
// Its Smart Connect connector id (the seed's connector_id).
inline constexpr char kEnabledConnector[] = "9f0e1d2c-0000-1111-2222-333344445555";
inline constexpr char kOtherInstance[] = "c3d4e5f6-0000-1111-2222-333344445555";
inline constexpr char kAk[] = "HPUAEXAMPLEAK0000001";
inline constexpr char kSk[] = "ExampleSecretKey0000000000000000000000000";

// Crashes the fuzzer with a message: an oracle (an invariant the code under
// test must keep for every input) was broken.
[[noreturn]] inline void OracleFailed(const std::string& what) {
  std::fprintf(stderr, "ORACLE FAILED: %s\n", what.c_str());
  std::abort();
}

// A Clock that never moves, so every input sees the same time.
class FixedClock final : public common::Clock {
 public:
  absl::Time Now() const override { return absl::FromUnixSeconds(1795000000); }
};

// Silences spdlog (one info line per request would dominate the run time).
inline void QuietLogs() { spdlog::set_level(spdlog::level::off); }

}  // namespace connectplane::fuzz
