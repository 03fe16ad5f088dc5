#include "common/ids.h"

#include <array>
#include <cstdint>
#include <cstdlib>

#include <openssl/rand.h>

namespace connectplane::common {
namespace {

template <size_t N>
std::array<uint8_t, N> RandomBytes() {
  std::array<uint8_t, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // The CSPRNG failing is unrecoverable (STYLE rule 9).
    std::abort();
  }
  return bytes;
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string NewUuid() {
  auto bytes = RandomBytes<16>();
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

std::string NewRequestId() {
  auto bytes = RandomBytes<16>();
  std::string out;
  out.reserve(32);
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

}  // namespace connectplane::common
