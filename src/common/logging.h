// Process-wide logging set-up over spdlog. Call InitLogging once from main
// before threads start; the logger itself is thread-safe.
#pragma once

#include <string_view>

namespace connectplane::common {

// `level` is one of trace, debug, info, warn, error, off. Logs go to stderr, one
// line per event, so stdout stays free for the bound address banner.
void InitLogging(std::string_view level);

}  // namespace connectplane::common
