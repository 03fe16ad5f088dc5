// Identifier generation. Safe for concurrent use. Resource ids come from
// OpenSSL's CSPRNG; request ids from a per-thread Randen generator (ids.cc).
#pragma once

#include <string>

namespace connectplane::common {

// RFC 4122 version-4 UUID in lower-case canonical form (36 chars), the shape
// Huawei uses for instance, job and connector ids.
std::string NewUuid();

// 32 lower-case hex chars, the shape of Huawei request ids. Unique, not
// secret (per-thread generator, no system call).
std::string NewRequestId();

// A version-4 UUID from the same generator as NewRequestId, for request ids
// that look like UUIDs (Zenlayer's).
std::string NewRequestUuid();

}  // namespace connectplane::common
