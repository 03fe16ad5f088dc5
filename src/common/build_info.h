// What was built: the project version (CMake project()), the git commit of
// the source tree at build time ("unknown" without git or .git, or the
// CONNECTPLANE_COMMIT cache variable when set) and the CMake build type.
// Constants: safe for concurrent use.
#pragma once

#include <string_view>

namespace connectplane::common {

struct BuildInfo {
  std::string_view version;     // "0.1.0"
  std::string_view commit;      // short hash, or "unknown"
  std::string_view build_type;  // "RelWithDebInfo", "Debug", ...
};

// This binary's build information.
const BuildInfo& GetBuildInfo();

}  // namespace connectplane::common
