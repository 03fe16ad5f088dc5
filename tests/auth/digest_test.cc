// Known-answer tests for the digest helpers every signature check depends on
// (FIPS 180-2 "abc", RFC 4231 test case 2), plus the cases the per-thread
// context reuse could get wrong: a key longer than the block size, an empty
// key after a non-empty one, and threads hashing at the same time.
#include "auth/digest.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace connectplane::auth {
namespace {

constexpr char kSha256Abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kHmacJefe[] = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
constexpr char kHmacEmpty[] = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
// HMAC-SHA256(key = 100 x 'k', "data"): the key is hashed first (> 64 bytes).
constexpr char kHmacLongKey[] = "09380ee4b802da2363bc96e8e0d133ba275458ea8ddbc564f986fc12b31f8cb1";

TEST(DigestTest, Sha256KnownAnswer) {
  EXPECT_EQ(Sha256Hex("abc"), kSha256Abc);
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // A reused context starts fresh each call.
  EXPECT_EQ(Sha256Hex("abc"), kSha256Abc);
}

TEST(DigestTest, HmacKnownAnswersAcrossReKeying) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"), kHmacJefe);
  EXPECT_EQ(HmacSha256Hex(std::string(100, 'k'), "data"), kHmacLongKey);
  // An empty key after non-empty ones must not keep the previous key.
  EXPECT_EQ(HmacSha256Hex("", ""), kHmacEmpty);
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"), kHmacJefe);
}

TEST(DigestTest, ThreadsHashConcurrently) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 2000;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int round = 0; round < kRounds; ++round) {
        if (Sha256Hex("abc") != kSha256Abc) ++mismatches[thread_idx];
        if (HmacSha256Hex("Jefe", "what do ya want for nothing?") != kHmacJefe) {
          ++mismatches[thread_idx];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    EXPECT_EQ(mismatches[thread_idx], 0) << "thread " << thread_idx;
  }
}

}  // namespace
}  // namespace connectplane::auth
