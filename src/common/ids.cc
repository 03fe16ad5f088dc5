#include "common/ids.h"

#include <openssl/rand.h>

#include "absl/random/random.h"
#include <array>
#include <cstdint>
#include <cstdlib>

namespace connectplane::common {
namespace {

template <size_t N>
std::array<uint8_t, N> RandomBytes() {
  std::array<uint8_t, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // The CSPRNG failing is unrecoverable.
    std::abort();
  }
  return bytes;
}

constexpr char kHex[] = "0123456789abcdef";

// Request ids need to be unique, not secret, and one is drawn per request:
// OpenSSL's RAND_bytes makes a getpid() system call on every call (its fork
// check), about 1 % of a ShowInstance. A per-thread Randen generator, seeded
// from the OS once per thread, draws them without a system call.
std::array<uint8_t, 16> RequestIdBytes() {
  thread_local absl::BitGen generator;
  std::array<uint8_t, 16> bytes{};
  for (size_t half = 0; half < 2; ++half) {
    uint64_t bits = absl::Uniform<uint64_t>(generator);
    for (size_t byte_idx = 0; byte_idx < 8; ++byte_idx) {
      bytes[half * 8 + byte_idx] = static_cast<uint8_t>(bits);
      bits >>= 8;
    }
  }
  return bytes;
}

std::string FormatUuid(std::array<uint8_t, 16> bytes) {
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  for (size_t byte_idx = 0; byte_idx < bytes.size(); ++byte_idx) {
    if (byte_idx == 4 || byte_idx == 6 || byte_idx == 8 || byte_idx == 10) {
      out.push_back('-');
    }
    out.push_back(kHex[bytes[byte_idx] >> 4]);
    out.push_back(kHex[bytes[byte_idx] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string NewUuid() { return FormatUuid(RandomBytes<16>()); }

std::string NewRequestUuid() { return FormatUuid(RequestIdBytes()); }

std::string NewRequestId() {
  const std::array<uint8_t, 16> bytes = RequestIdBytes();
  std::string out;
  out.reserve(32);
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

}  // namespace connectplane::common
