#include "common/build_info.h"

// Generated into the build tree at every build by cmake/write_build_info.cmake.
#include "build_info_values.h"

namespace connectplane::common {

const BuildInfo& GetBuildInfo() {
  static constexpr BuildInfo kBuildInfo{CONNECTPLANE_BUILD_VERSION, CONNECTPLANE_BUILD_COMMIT,
                                        CONNECTPLANE_BUILD_TYPE};
  return kBuildInfo;
}

}  // namespace connectplane::common
