#include "service/seed.h"

#include "auth/digest.h"
#include "common/status.h"
#include "service/job_timings.h"
#include "service/job_types.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include <fstream>
#include <sstream>

namespace connectplane::service {
namespace {

std::string ReadDemoSeed() {
  const char* root = std::getenv("CONNECTPLANE_SOURCE_DIR");
  std::string path = std::string(root != nullptr ? root : CONNECTPLANE_TEST_SOURCE_DIR) +
                     "/examples/demo-seed.json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SeedTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = std::move(*store::SqliteStore::Open(":memory:")); }
  testing::FakeClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(SeedTest, AppliesDemoSeedIdempotently) {
  std::string seed = ReadDemoSeed();
  ASSERT_FALSE(seed.empty());
  JobTimings timings;
  auto first = ApplySeed(*store_, seed, clock_, &timings);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GE(first->credentials, 2);
  EXPECT_GE(first->instances_created, 3);
  EXPECT_EQ(timings.GetTiming("kafka.enable_connector").delay, absl::Seconds(3));

  // Change an instance, re-seed: the change survives (no clobbering on restart).
  ASSERT_TRUE(store_
                  ->Write([](store::StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(auto instance,
                                     txn.GetKafkaInstance("0123456789abcdef0123456789abcdef",
                                                          "a1b2c3d4-0000-1111-2222-333344445555"));
                    instance->status = "EXTENDING";
                    return txn.UpdateKafkaInstance(*instance);
                  })
                  .ok());
  auto second = ApplySeed(*store_, seed, clock_, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->instances_created, 0);
  EXPECT_EQ(second->instances_existing, first->instances_created);
  ASSERT_TRUE(store_
                  ->Read([](store::StoreTransaction& txn) -> absl::Status {
                    auto instance = txn.GetKafkaInstance("0123456789abcdef0123456789abcdef",
                                                         "a1b2c3d4-0000-1111-2222-333344445555");
                    EXPECT_EQ((*instance)->status, "EXTENDING");
                    // The seed's AZ ids, as ShowInstance answers them.
                    EXPECT_EQ((*instance)->available_zones_json,
                              R"(["bf84aba586ce4e948da0b97d9a7d62fb"])");
                    EXPECT_EQ((*instance)->product_id, "c6.2u4g.cluster");
                    EXPECT_NE((*instance)->attributes_json.find("cross_vpc_info"),
                              std::string::npos);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SeedTest, RejectsBadDocumentsWithoutWritingAnything) {
  struct Case {
    const char* seed;
    const char* expected_fragment;
  } cases[] = {
      {"{not json", "document"},
      {R"({"huwaei":{}})", "unknown key 'huwaei'"},
      {R"({"huawei":{"credentials":[{"access_key":"A","project_id":"p"}]}})", "secret_key"},
      {R"({"huawei":{"credentials":[{"access_key":"A","secret_key":"S","project_id":"p","x":1}]}})",
       "unknown key 'x'"},
      {R"({"huawei":{"kafka_instances":[{"project_id":"p","instance_id":"nope","name":"n"}]}})",
       "UUID"},
      {R"({"huawei":{"kafka_instances":[
          {"project_id":"p","instance_id":"a1b2c3d4-0000-1111-2222-333344445555","name":"n"},
          {"project_id":"p","instance_id":"a1b2c3d4-0000-1111-2222-333344445555","name":"m"}]}})",
       "duplicate"},
      {R"({"huawei":{"kafka_instances":[{"project_id":"p",
          "instance_id":"a1b2c3d4-0000-1111-2222-333344445555","name":"n","status":5}]}})",
       "must be strings"},
      {R"({"job_durations_seconds":{"kafka.enable_connector":-1}})", "non-negative"},
  };
  for (const Case& test_case : cases) {
    auto result = ApplySeed(*store_, test_case.seed, clock_, nullptr);
    ASSERT_FALSE(result.ok()) << test_case.seed;
    EXPECT_TRUE(absl::IsInvalidArgument(result.status()));
    EXPECT_NE(std::string(result.status().message()).find(test_case.expected_fragment),
              std::string::npos)
        << result.status();
  }
  ASSERT_TRUE(store_
                  ->Read([](store::StoreTransaction& txn) -> absl::Status {
                    EXPECT_EQ(txn.ListKafkaInstances("p", {}, {0, 10})->total, 0);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SeedTest, ZenlayerTokensAreStoredAsTheirHashAndTagsAsJson) {
  auto applied = ApplySeed(*store_, R"({"zenlayer":{
      "tokens":[{"token":"tok-1","account_id":"acct"}],
      "ports":[{"account_id":"acct","portId":"p1","portName":"one","dcId":"SIN1",
                "tags":[{"key":"env","value":"prod"},{"key":"bare"}]}]}})",
                           clock_, nullptr);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->zenlayer_tokens, 1);
  ASSERT_TRUE(store_
                  ->Read([](store::StoreTransaction& txn) -> absl::Status {
                    EXPECT_EQ((*txn.FindZenlayerToken(auth::Sha256Hex("tok-1")))->account_id,
                              "acct");
                    EXPECT_FALSE(txn.FindZenlayerToken("tok-1")->has_value());
                    auto port = txn.GetZenlayerPort("acct", "p1");
                    EXPECT_EQ((*port)->tags_json,
                              R"([{"key":"env","value":"prod"},{"key":"bare","value":""}])");
                    // Tags are a column, not a PortInfo attribute.
                    EXPECT_EQ((*port)->attributes_json.find("tags"), std::string::npos);
                    return absl::OkStatus();
                  })
                  .ok());
  for (const char* bad : {
           R"({"zenlayer":{"tokens":[{"token":"has space","account_id":"a"}]}})",
           R"({"zenlayer":{"tokens":[{"token":"t"}]}})",
           R"({"zenlayer":{"tokens":[{"token":"t","account_id":"a","x":1}]}})",
           R"({"zenlayer":{"ports":[{"account_id":"a","portId":"p","portName":"n","dcId":"D",
               "tags":[{"key":"k"},{"key":"k"}]}]}})",
       }) {
    SCOPED_TRACE(bad);
    auto result = ApplySeed(*store_, bad, clock_, nullptr);
    EXPECT_TRUE(absl::IsInvalidArgument(result.status())) << result.status();
  }
}

TEST(JobTimingsTest, ParsesSettings) {
  JobTimings timings(absl::Seconds(3));
  EXPECT_TRUE(timings.ApplySetting("kafka.enable_connector=0.5").ok());
  EXPECT_EQ(timings.GetTiming("kafka.enable_connector").delay, absl::Milliseconds(500));
  EXPECT_EQ(timings.GetTiming("other").delay, absl::Seconds(3));
  EXPECT_TRUE(timings.ApplySetting("0").ok());
  EXPECT_EQ(timings.GetTiming("kafka.enable_connector").delay, absl::ZeroDuration());
  EXPECT_FALSE(timings.ApplySetting("-1").ok());
  EXPECT_FALSE(timings.ApplySetting("x=abc").ok());
}

// A type no handler completes would be stored and never apply: refused with
// the valid names, at start-up (flag, seed) as at run time, changing nothing.
TEST(JobTimingsTest, RefusesUnknownJobTypes) {
  JobTimings timings(absl::Seconds(3));
  for (const char* setting :
       {"x.y=1", "kafka.enable_connectr=reads:2", "KAFKA.ENABLE_CONNECTOR=1", "=1"}) {
    absl::Status refused = timings.ApplySetting(setting);
    EXPECT_EQ(common::ReasonOf(refused), kReasonUnknownJobType) << setting << ": " << refused;
    EXPECT_NE(refused.message().find("known: kafka.create_instance, "), absl::string_view::npos)
        << refused;
  }
  EXPECT_TRUE(timings.Settings().per_type.empty());
  for (std::string_view job_type : JobTypes()) {
    EXPECT_TRUE(timings.ApplySetting(std::string(job_type) + "=reads:2").ok()) << job_type;
  }

  auto store = store::SqliteStore::Open(":memory:").value();
  testing::FakeClock clock;
  absl::StatusOr<SeedSummary> seeded = ApplySeed(
      *store, R"({"job_durations_seconds":{"kafka.enable_connector":1,"kafka.enabel":2}})", clock,
      &timings);
  EXPECT_EQ(common::ReasonOf(seeded.status()), "INVALID_SEED") << seeded.status();
  EXPECT_NE(seeded.status().message().find("unknown job type 'kafka.enabel'"),
            absl::string_view::npos)
      << seeded.status();
  EXPECT_EQ(timings.GetTiming("kafka.enable_connector").reads, 2) << "nothing applied";
}

}  // namespace
}  // namespace connectplane::service
