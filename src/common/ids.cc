#include "common/ids.h"

#include <openssl/rand.h>

#include "absl/random/random.h"
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>

namespace connectplane::common {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The seeded generator's streams. Separate counters keep one kind of id from
// shifting another: a health probe draws a request id but no resource id.
enum IdStream : size_t { kResourceStream, kJobStream, kRequestStream, kAuditStream, kStreamCount };

// Seeded mode: stream `s` yields SplitMix64 of (seed, s, n) for n = 0, 1, ...
// Each draw is one atomic increment, so drawing needs no lock; SeedIds resets
// the counters. Trivially destructible (plain atomics), as globals must be.
struct SeededIds {
  std::atomic<bool> seeded{false};
  std::atomic<uint64_t> seed{0};
  std::array<std::atomic<uint64_t>, kStreamCount> drawn{};
};

SeededIds& Seeded() {
  static SeededIds ids;
  return ids;
}

uint64_t SplitMix64(uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

void PutWord(std::array<uint8_t, 16>& bytes, size_t half, uint64_t bits) {
  for (size_t byte_idx = 0; byte_idx < 8; ++byte_idx) {
    bytes[half * 8 + byte_idx] = static_cast<uint8_t>(bits);
    bits >>= 8;
  }
}

// 16 bytes of stream `stream` when seeded; nullopt otherwise.
std::optional<std::array<uint8_t, 16>> SeededBytes(IdStream stream) {
  SeededIds& ids = Seeded();
  if (!ids.seeded.load(std::memory_order_acquire)) return std::nullopt;
  const uint64_t seed = ids.seed.load(std::memory_order_relaxed);
  const uint64_t draw = ids.drawn[stream].fetch_add(1, std::memory_order_relaxed);
  const uint64_t base = SplitMix64(seed ^ SplitMix64(stream + 1)) + draw * 2;
  std::array<uint8_t, 16> bytes{};
  PutWord(bytes, 0, SplitMix64(base));
  PutWord(bytes, 1, SplitMix64(base + 1));
  return bytes;
}

std::array<uint8_t, 16> CsprngBytes() {
  std::array<uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // The CSPRNG failing is unrecoverable.
    std::abort();
  }
  return bytes;
}

// Request ids need to be unique, not secret, and one is drawn per request:
// OpenSSL's RAND_bytes makes a getpid() system call on every call (its fork
// check), about 1 % of a ShowInstance. A per-thread Randen generator, seeded
// from the OS once per thread, draws them without a system call.
std::array<uint8_t, 16> FastRandomBytes() {
  thread_local absl::BitGen generator;
  std::array<uint8_t, 16> bytes{};
  PutWord(bytes, 0, absl::Uniform<uint64_t>(generator));
  PutWord(bytes, 1, absl::Uniform<uint64_t>(generator));
  return bytes;
}

std::array<uint8_t, 16> ResourceBytes(IdStream stream) {
  if (std::optional<std::array<uint8_t, 16>> seeded = SeededBytes(stream)) return *seeded;
  return CsprngBytes();
}

std::array<uint8_t, 16> RequestBytes(IdStream stream) {
  if (std::optional<std::array<uint8_t, 16>> seeded = SeededBytes(stream)) return *seeded;
  return FastRandomBytes();
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

std::string FormatHex(const std::array<uint8_t, 16>& bytes, size_t chars) {
  std::string out;
  out.reserve(chars);
  for (uint8_t b : bytes) {
    if (out.size() >= chars) break;
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  out.resize(chars);
  return out;
}

}  // namespace

std::string NewUuid() { return FormatUuid(ResourceBytes(kResourceStream)); }

std::string NewJobId() { return FormatUuid(ResourceBytes(kJobStream)); }

std::string NewResourceHex() { return FormatHex(ResourceBytes(kResourceStream), 32); }

std::string NewRequestUuid() { return FormatUuid(RequestBytes(kRequestStream)); }

std::string NewRequestId() { return FormatHex(RequestBytes(kRequestStream), 32); }

std::string NewAuditSuffix() { return FormatHex(RequestBytes(kAuditStream), 8); }

std::string NewProcessNonce() { return FormatHex(FastRandomBytes(), 8); }

void SeedIds(uint64_t seed) {
  SeededIds& ids = Seeded();
  // Readers check `seeded` first (acquire): publishing the seed and the
  // cleared counters before it (release) makes a first seeding whole. A
  // re-seed while other threads draw may hand them values of either sequence.
  ids.seeded.store(false, std::memory_order_release);
  ids.seed.store(seed, std::memory_order_relaxed);
  for (std::atomic<uint64_t>& drawn : ids.drawn) drawn.store(0, std::memory_order_relaxed);
  ids.seeded.store(true, std::memory_order_release);
}

void UnseedIds() { Seeded().seeded.store(false, std::memory_order_release); }

std::optional<uint64_t> IdSeed() {
  SeededIds& ids = Seeded();
  if (!ids.seeded.load(std::memory_order_acquire)) return std::nullopt;
  return ids.seed.load(std::memory_order_relaxed);
}

}  // namespace connectplane::common
