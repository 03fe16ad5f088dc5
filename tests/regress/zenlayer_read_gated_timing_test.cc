// Found by trying the documented timing modes on Zenlayer:
//   PUT /_connectplane/timing
//   {"job_type":"zenlayer.create_private_connect","mode":"reads","reads":3}
// was accepted, but the private connect it timed showed RUNNING on the very
// first DescribePrivateConnects. Zenlayer jobs were built by hand: they
// bypassed the shared scheduling (due at once whatever the timing) and no
// Zenlayer read was counted. Every job now goes through service::JobQueue.
#include "common/strings.h"

#include <gtest/gtest.h>

#include "fakes/admin_client.h"
#include "fakes/zenlayer_harness.h"
#include "fakes/zenlayer_seed.h"
#include <string>

namespace connectplane::regress {
namespace {

using testing::ZenlayerHarness;
using testing::ZenlayerKey;

const ZenlayerKey& kKey = testing::kTwoPortAccountKey;
constexpr const char* kSeed = testing::kTwoPortAccountSeed;
constexpr const char* kCreate = testing::kCreateBetweenTwoPorts;

class ZenlayerReadGatedTimingTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(kSeed); }

  // Applies a timing document through the admin API, as a user would.
  int PutTiming(std::string document) {
    testing::AdminClient admin(harness_.services());
    return admin.Send("PUT", "/_connectplane/timing", std::move(document)).status;
  }

  // One DescribePrivateConnects of `id` (a client read): its status.
  std::string Describe(const std::string& id) {
    boost::json::object response =
        harness_.Response(kKey, "DescribePrivateConnects",
                          common::StrCat(R"({"privateConnectIds": [")", id, R"("]})"));
    const boost::json::array& data_set = response.at("dataSet").as_array();
    return data_set.empty() ? "<gone>"
                            : std::string(data_set.front().at("privateConnectStatus").as_string());
  }

  ZenlayerHarness harness_;
};

TEST_F(ZenlayerReadGatedTimingTest, CreatedConnectStaysCreatingForTheConfiguredReads) {
  ASSERT_EQ(PutTiming(R"({"job_type":"zenlayer.create_private_connect","mode":"reads","reads":3})"),
            200);
  const std::string id = std::string(
      harness_.Response(kKey, "CreatePrivateConnect", kCreate).at("privateConnectId").as_string());
  // The runner runs before every read: the job must not be due until the
  // third read has been counted, whatever the clock says.
  for (int read = 1; read <= 3; ++read) {
    harness_.services().RunJobsAfter(absl::Minutes(10));
    EXPECT_EQ(Describe(id), "CREATING") << "read " << read;
  }
  harness_.services().RunJobsAfter(absl::ZeroDuration());
  EXPECT_EQ(Describe(id), "RUNNING");
}

TEST_F(ZenlayerReadGatedTimingTest, EveryTransitionHonoursReadGating) {
  ASSERT_EQ(PutTiming(R"({"mode":"instant"})"), 200);
  const std::string id = std::string(
      harness_.Response(kKey, "CreatePrivateConnect", kCreate).at("privateConnectId").as_string());
  harness_.services().RunJobsAfter(absl::ZeroDuration());
  ASSERT_EQ(Describe(id), "RUNNING");
  ASSERT_EQ(PutTiming(R"({"job_type":"zenlayer.delete_private_connect","mode":"reads","reads":1})"),
            200);
  harness_.Response(kKey, "DeletePrivateConnect",
                    common::StrCat(R"({"privateConnectId":")", id, R"("})"));
  harness_.services().RunJobsAfter(absl::Minutes(10));
  EXPECT_EQ(Describe(id), "DELETING");  // the one read, counted after it answered
  harness_.services().RunJobsAfter(absl::ZeroDuration());
  EXPECT_EQ(Describe(id), "RECYCLED");
}

}  // namespace
}  // namespace connectplane::regress
