// SHA-256 and HMAC-SHA256 as lower-case hex, the one form every signature
// scheme here (Huawei SDK-HMAC-SHA256, Zenlayer ZC2-HMAC-SHA256) and the
// idempotency request hash use. Thread-safe. Both abort only when OpenSSL
// itself is broken (allocation failure): a wrong digest would silently break
// authentication, so there is no error to return.
#pragma once

#include <string>
#include <string_view>

namespace connectplane::auth {

std::string Sha256Hex(std::string_view data);

// An empty key is a valid (empty) HMAC key.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// The raw 32-byte HMAC-SHA256, for key derivation chains (the scoped Huawei
// signature derives its key in four HMAC steps).
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace connectplane::auth
