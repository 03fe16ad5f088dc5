#include "auth/password_hash.h"

#include "gtest/gtest.h"
#include <set>
#include <string>
#include <vector>

namespace connectplane::auth {
namespace {

// Few iterations: the tests check the format and comparison, not the cost.
constexpr uint32_t kTestIterations = 1000;

TEST(PasswordHashTest, VerifiesOnlyTheHashedPassword) {
  const std::string stored = HashPassword("s3cret-pass", kTestIterations);
  EXPECT_TRUE(stored.starts_with("pbkdf2-sha256$1000$"));
  EXPECT_TRUE(IsPasswordHash(stored));
  EXPECT_TRUE(VerifyPassword("s3cret-pass", stored));
  EXPECT_FALSE(VerifyPassword("s3cret-pasS", stored));
  EXPECT_FALSE(VerifyPassword("", stored));
}

TEST(PasswordHashTest, SaltsEveryHash) {
  EXPECT_NE(HashPassword("same", kTestIterations), HashPassword("same", kTestIterations));
}

TEST(PasswordHashTest, MatchesAKnownPbkdf2Vector) {
  // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64;
  // its first 32 bytes.
  const std::string stored =
      "pbkdf2-sha256$1$73616c74$55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc";
  EXPECT_TRUE(VerifyPassword("passwd", stored));
}

TEST(PasswordHashTest, MalformedHashesNeverMatch) {
  for (const std::string& stored :
       std::vector<std::string>{"", "plain", "pbkdf2-sha256$0$00$" + std::string(64, '0'),
                                "pbkdf2-sha1$1000$00$" + std::string(64, '0'),
                                "pbkdf2-sha256$1000$zz$" + std::string(64, '0'),
                                "pbkdf2-sha256$1000$00$" + std::string(62, '0'),
                                "pbkdf2-sha256$99999999$00$" + std::string(64, '0')}) {
    EXPECT_FALSE(IsPasswordHash(stored)) << stored;
    EXPECT_FALSE(VerifyPassword("", stored)) << stored;
  }
}

TEST(PasswordHashTest, TokensAreLongAndDistinct) {
  std::set<std::string> tokens;
  for (int token_idx = 0; token_idx < 100; ++token_idx) {
    std::string token = NewOpaqueToken();
    EXPECT_EQ(token.size(), 43u);
    tokens.insert(std::move(token));
  }
  EXPECT_EQ(tokens.size(), 100u);
}

}  // namespace
}  // namespace connectplane::auth
