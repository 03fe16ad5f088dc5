#include "auth/password_hash.h"

#include "common/strings.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include <cstdlib>
#include <optional>
#include <vector>

namespace connectplane::auth {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kDerivedBytes = 32;
// Bounds a stored iteration count, so a corrupt hash cannot stall a login.
constexpr uint32_t kMaxIterations = 10000000;

std::string HexEncode(const unsigned char* data, size_t size) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    out.push_back(kHexDigits[data[byte_idx] >> 4]);
    out.push_back(kHexDigits[data[byte_idx] & 0x0f]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  for (size_t char_idx = 0; char_idx < hex.size(); char_idx += 2) {
    int value = 0;
    for (char c : hex.substr(char_idx, 2)) {
      const auto lower =
          static_cast<unsigned char>(absl::ascii_tolower(static_cast<unsigned char>(c)));
      if (absl::ascii_isdigit(lower)) {
        value = value * 16 + (lower - '0');
      } else if (lower >= 'a' && lower <= 'f') {
        value = value * 16 + (lower - 'a' + 10);
      } else {
        return std::nullopt;
      }
    }
    out.push_back(static_cast<char>(value));
  }
  return out;
}

std::string Derive(std::string_view password, std::string_view salt, uint32_t iterations) {
  unsigned char derived[kDerivedBytes];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(sizeof(derived)), derived) != 1) {
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(derived), sizeof(derived));
}

struct ParsedHash {
  uint32_t iterations;
  std::string salt;
  std::string derived;
};

std::optional<ParsedHash> ParseHash(std::string_view stored_hash) {
  const std::vector<std::string_view> parts = common::Split(stored_hash, '$');
  if (parts.size() != 4 || parts[0] != kScheme || parts[1].empty() || parts[1].size() > 8) {
    return std::nullopt;
  }
  uint64_t iterations = 0;
  for (char c : parts[1]) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    iterations = iterations * 10 + static_cast<uint64_t>(c - '0');
  }
  std::optional<std::string> salt = HexDecode(parts[2]);
  std::optional<std::string> derived = HexDecode(parts[3]);
  if (iterations == 0 || iterations > kMaxIterations || !salt || salt->empty() || !derived ||
      derived->size() != kDerivedBytes) {
    return std::nullopt;
  }
  return ParsedHash{static_cast<uint32_t>(iterations), *std::move(salt), *std::move(derived)};
}

}  // namespace

std::string HashPassword(std::string_view password, uint32_t iterations) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof(salt)) != 1) {
    std::abort();
  }
  const std::string salt_bytes(reinterpret_cast<const char*>(salt), sizeof(salt));
  const std::string derived = Derive(password, salt_bytes, iterations);
  return common::StrCat(
      kScheme, "$", std::to_string(iterations), "$", HexEncode(salt, sizeof(salt)), "$",
      HexEncode(reinterpret_cast<const unsigned char*>(derived.data()), derived.size()));
}

bool VerifyPassword(std::string_view password, std::string_view stored_hash) {
  std::optional<ParsedHash> parsed = ParseHash(stored_hash);
  if (!parsed) {
    return false;
  }
  const std::string derived = Derive(password, parsed->salt, parsed->iterations);
  return CRYPTO_memcmp(derived.data(), parsed->derived.data(), kDerivedBytes) == 0;
}

bool IsPasswordHash(std::string_view stored_hash) { return ParseHash(stored_hash).has_value(); }

std::string NewOpaqueToken() {
  static constexpr char kUrlSafe[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char random[32];
  if (RAND_bytes(random, sizeof(random)) != 1) {
    std::abort();
  }
  // Base64url without padding: 6 bits per character.
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kUrlSafe[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) {
    out.push_back(kUrlSafe[(buffer << (6 - bits)) & 0x3f]);
  }
  return out;
}

}  // namespace connectplane::auth
