// Ids of Zenlayer SDN resources the emulator creates (private connects,
// ports). Thread-safe.
#pragma once

#include <string>

namespace connectplane::service::internal {

// 18 random decimal digits. Zenlayer resource ids are long decimal strings;
// [our choice: the real id shape is not in any stored source].
std::string NewZenlayerResourceId();

}  // namespace connectplane::service::internal
