#include "auth/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace connectplane::auth {
namespace {

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

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
  return HexEncode(digest, digest_size);
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  // OpenSSL treats a null key pointer as "no key"; pass a real (empty) buffer.
  static constexpr unsigned char kEmptyKey[1] = {0};
  const void* key_bytes =
      key.empty() ? static_cast<const void*>(kEmptyKey) : static_cast<const void*>(key.data());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &mac_size) == nullptr) {
    std::abort();
  }
  return HexEncode(mac, mac_size);
}

}  // namespace connectplane::auth
