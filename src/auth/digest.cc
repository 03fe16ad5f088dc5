#include "auth/digest.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

namespace connectplane::auth {
namespace {

std::string HexEncode(const unsigned char* data, size_t size) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    out[2 * byte_idx] = kHexDigits[data[byte_idx] >> 4];
    out[2 * byte_idx + 1] = kHexDigits[data[byte_idx] & 0x0f];
  }
  return out;
}

// OpenSSL 3's one-shot calls (EVP_Digest with EVP_sha256(), HMAC()) fetch the
// algorithm from the provider registry and build a fresh context on every
// call: locks and lookups that cost more than hashing a signed request. Every
// request hashes twice and MACs up to five times, so the algorithms are
// fetched once per process and each thread keeps its own contexts (contexts
// are not thread-safe; thread_local needs no lock).
struct Sha256Algorithms {
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  Sha256Algorithms() {
    if (sha256 == nullptr || hmac == nullptr) std::abort();
  }
  // Never freed: threads may still hash while static destructors run.
};

const Sha256Algorithms& Algorithms() {
  static const Sha256Algorithms* algorithms = new Sha256Algorithms();
  return *algorithms;
}

class ThreadContexts {
 public:
  ThreadContexts()
      : digest_(EVP_MD_CTX_new()), mac_(EVP_MAC_CTX_new(Algorithms().hmac)) {
    if (digest_ == nullptr || mac_ == nullptr) std::abort();
    // The digest is bound once; EVP_MAC_init then only re-keys.
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(mac_, params) != 1) std::abort();
  }
  ~ThreadContexts() {
    EVP_MAC_CTX_free(mac_);
    EVP_MD_CTX_free(digest_);
  }
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;

  EVP_MD_CTX* digest() { return digest_; }
  EVP_MAC_CTX* mac() { return mac_; }

 private:
  EVP_MD_CTX* digest_;
  EVP_MAC_CTX* mac_;
};

ThreadContexts& Contexts() {
  thread_local ThreadContexts contexts;
  return contexts;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  EVP_MD_CTX* ctx = Contexts().digest();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_DigestInit_ex2(ctx, Algorithms().sha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &digest_size) != 1) {
    std::abort();
  }
  return HexEncode(digest, digest_size);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  // OpenSSL treats a null key pointer as "no key"; pass a real (empty) buffer.
  static constexpr unsigned char kEmptyKey[1] = {0};
  const unsigned char* key_bytes =
      key.empty() ? kEmptyKey : reinterpret_cast<const unsigned char*>(key.data());
  EVP_MAC_CTX* ctx = Contexts().mac();
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t mac_size = 0;
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, mac, &mac_size, sizeof(mac)) != 1) {
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  const std::string mac = HmacSha256(key, data);
  return HexEncode(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace connectplane::auth
