#include "service/job_types.h"

#include "common/status.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <algorithm>
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

// The list timings and fault rules are checked against is exactly what the
// handlers main registers complete: a type added without its name in the list
// (or the reverse) fails here.
TEST(JobTypesTest, ListsExactlyTheRegisteredHandlers) {
  testing::ServiceFixture services;  // registers every handler, as main does
  std::vector<std::string> listed(JobTypes().begin(), JobTypes().end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(services.runner.HandledJobTypes(), listed);
}

TEST(JobTypesTest, CheckNamesTheValidTypes) {
  for (std::string_view job_type : JobTypes()) {
    EXPECT_TRUE(CheckJobType(job_type).ok()) << job_type;
  }
  absl::Status refused = CheckJobType("kafka.enable");
  EXPECT_EQ(common::ReasonOf(refused), kReasonUnknownJobType);
  EXPECT_EQ(refused.message(),
            "unknown job type 'kafka.enable' (known: kafka.create_instance, kafka.delete_instance, "
            "kafka.enable_connector, kafka.disable_connector, kafka.create_connector_task, "
            "kafka.pause_connector_task, kafka.resume_connector_task, "
            "kafka.restart_connector_task, zenlayer.create_private_connect, "
            "zenlayer.modify_private_connect_bandwidth, zenlayer.delete_private_connect, "
            "zenlayer.renew_private_connect, zenlayer.destroy_private_connect, "
            "zenlayer.create_port, zenlayer.terminate_port, zenlayer.renew_port, "
            "zenlayer.destroy_port, kafka.extend_instance, kafka.restart_instance, "
            "kafka.modify_configs)");
  EXPECT_FALSE(CheckJobType("*").ok()) << "a wildcard is the fault rules' business";
  EXPECT_FALSE(CheckJobType("").ok());
}

}  // namespace
}  // namespace connectplane::service
