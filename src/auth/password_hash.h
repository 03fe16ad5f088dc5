// Salted password hashes for IAM users (PBKDF2-HMAC-SHA256 from OpenSSL 3) and
// the random opaque tokens POST /v3/auth/tokens issues. Stateless; safe for
// concurrent use.
//
// Stored form: "pbkdf2-sha256$<iterations>$<salt, 32 hex>$<derived key, 64 hex>".
// The iteration count travels with the hash, so it can be raised later
// without invalidating stored hashes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace connectplane::auth {

// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
inline constexpr uint32_t kPasswordHashIterations = 600000;

// Hashes `password` with a fresh random 16-byte salt. Aborts only if OpenSSL's
// CSPRNG or PBKDF2 fails (nothing sensible to return then).
std::string HashPassword(std::string_view password, uint32_t iterations = kPasswordHashIterations);

// True when `stored_hash` is well formed and `password` derives the same key
// (compared in constant time). A malformed stored hash never matches.
bool VerifyPassword(std::string_view password, std::string_view stored_hash);

// True when `stored_hash` has the stored form above (used to validate seeds).
bool IsPasswordHash(std::string_view stored_hash);

// A fresh opaque token: 43 URL-safe characters carrying 256 random bits.
std::string NewOpaqueToken();

}  // namespace connectplane::auth
