#include "common/ids.h"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace connectplane::common {
namespace {

// The id generator is process-wide: every test leaves it unseeded.
class SeededIdsTest : public ::testing::Test {
 protected:
  void TearDown() override { UnseedIds(); }
};

std::vector<std::string> DrawEveryKind() {
  return {NewUuid(),      NewJobId(),       NewResourceHex(),
          NewRequestId(), NewRequestUuid(), NewAuditSuffix()};
}

TEST_F(SeededIdsTest, SameSeedGivesTheSameSequence) {
  SeedIds(42);
  const std::vector<std::string> first = DrawEveryKind();
  const std::vector<std::string> first_again = DrawEveryKind();
  SeedIds(42);
  EXPECT_EQ(DrawEveryKind(), first);
  EXPECT_EQ(DrawEveryKind(), first_again);
  EXPECT_NE(first, first_again);
  EXPECT_EQ(IdSeed(), 42u);
}

TEST_F(SeededIdsTest, OtherSeedOrNoSeedGivesOtherIds) {
  SeedIds(42);
  const std::vector<std::string> seeded = DrawEveryKind();
  SeedIds(43);
  const std::vector<std::string> other = DrawEveryKind();
  UnseedIds();
  EXPECT_EQ(IdSeed(), std::nullopt);
  const std::vector<std::string> random = DrawEveryKind();
  for (size_t kind = 0; kind < seeded.size(); ++kind) {
    EXPECT_NE(seeded[kind], other[kind]) << kind;
    EXPECT_NE(seeded[kind], random[kind]) << kind;
  }
}

TEST_F(SeededIdsTest, StreamsDoNotShiftEachOther) {
  // A request id drawn in between (a health probe) must not change the next resource id.
  SeedIds(7);
  const std::string resource = NewUuid();
  const std::string job = NewJobId();
  SeedIds(7);
  NewRequestId();
  NewAuditSuffix();
  EXPECT_EQ(NewUuid(), resource);
  EXPECT_EQ(NewJobId(), job);
}

TEST_F(SeededIdsTest, SeededIdsKeepTheirShapes) {
  SeedIds(1);
  const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(NewUuid(), uuid_v4));
  EXPECT_TRUE(std::regex_match(NewJobId(), uuid_v4));
  EXPECT_TRUE(std::regex_match(NewRequestUuid(), uuid_v4));
  EXPECT_TRUE(std::regex_match(NewRequestId(), std::regex("[0-9a-f]{32}")));
  EXPECT_TRUE(std::regex_match(NewResourceHex(), std::regex("[0-9a-f]{32}")));
  EXPECT_TRUE(std::regex_match(NewAuditSuffix(), std::regex("[0-9a-f]{8}")));
}

TEST_F(SeededIdsTest, ProcessNonceIsNeverSeeded) {
  SeedIds(5);
  const std::string nonce = NewProcessNonce();
  SeedIds(5);
  EXPECT_NE(NewProcessNonce(), nonce);
}

TEST_F(SeededIdsTest, ConcurrentSeededDrawsAreUnique) {
  SeedIds(9);
  std::mutex mu;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int draw = 0; draw < 1000; ++draw) mine.push_back(NewUuid());
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(mine.begin(), mine.end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 4000u);
}

}  // namespace
}  // namespace connectplane::common
