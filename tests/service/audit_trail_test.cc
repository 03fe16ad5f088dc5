// The audit trail: every state transition of Kafka instances (Smart Connect),
// jobs and Zenlayer private connects is recorded with who, what, from/to, job
// and request, by API callers and by the job runner alike.
#include "common/status.h"
#include "jobs/job_runner.h"
#include "service/audit_recorder.h"
#include "service/emulator_controls.h"
#include "service/emulator_service.h"
#include "service/kafka_service.h"
#include "service/private_connect_service.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kInstanceId[] = "a1b2c3d4-0000-1111-2222-333344445555";

constexpr char kSeed[] = R"({
  "huawei": {
    "credentials": [{"access_key": "AK-HW", "secret_key": "SK", "project_id": "0123456789abcdef0123456789abcdef"}],
    "kafka_instances": [{"project_id": "0123456789abcdef0123456789abcdef",
                         "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "k"}]
  },
  "zenlayer": {
    "credentials": [{"access_key_id": "AK-ZL", "access_key_password": "pw", "account_id": "acct-1"}],
    "ports": [{"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dataCenter": {"dcId": "SIN1", "dcName": "Singapore"}},
              {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dataCenter": {"dcId": "HKG1", "dcName": "Hong Kong"}}]
  }
})";

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(ApplySeed(*store_, kSeed, clock_, nullptr).ok()); }

  // The next job of `job_type` fails (the runner's failure path).
  void ArmJobFault(std::string job_type) {
    ASSERT_TRUE(services_.controls.AddJobFault({.job_type = std::move(job_type)}).ok());
  }

  void FinishJobs() {
    clock_.Advance(absl::Seconds(10));
    ASSERT_TRUE(runner_->RunDueJobs().ok());
  }

  // Oldest first, for readable expectations.
  std::vector<store::AuditEntry> Trail(std::optional<std::string> resource_id = std::nullopt) {
    std::vector<store::AuditEntry> entries;
    EXPECT_TRUE(store_
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      store::AuditFilter filter;
                      filter.resource_id = resource_id;
                      filter.limit = 1000;
                      ASSIGN_OR_RETURN(entries, txn.ListAudit(filter));
                      return absl::OkStatus();
                    })
                    .ok());
    std::reverse(entries.begin(), entries.end());
    return entries;
  }

  static std::string Line(const store::AuditEntry& entry) {
    return entry.actor + " " + entry.resource_type + " " + entry.action + " " + entry.from_status +
           "->" + entry.to_status;
  }

  const Caller kHuawei{"0123456789abcdef0123456789abcdef", "demo", "u1", "AK-HW", "req-1"};
  const Caller kZenlayer{"acct-1", "AK-ZL", "acct-1", "AK-ZL", "req-2"};
  testing::ServiceFixture services_{absl::Seconds(3)};
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  JobTimings& timings_ = services_.timings;
  jobs::JobRunner* const runner_ = &services_.runner;
  KafkaService* const kafka_ = &services_.kafka;
  PrivateConnectService* const connects_ = &services_.connects;
};

TEST_F(AuditTrailTest, SmartConnectEnableAndDisableRecordEveryTransition) {
  auto enabled = kafka_->EnableSmartConnect(kHuawei, kInstanceId, {});
  ASSERT_TRUE(enabled.ok()) << enabled.status();
  FinishJobs();
  auto disable_job = kafka_->DisableSmartConnect(kHuawei, kInstanceId);
  ASSERT_TRUE(disable_job.ok());
  FinishJobs();

  std::vector<store::AuditEntry> trail = Trail();
  std::vector<std::string> lines;
  for (const auto& entry : trail) lines.push_back(Line(entry));
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "admin kafka_instance seed ->RUNNING",
                "AK-HW kafka_instance CreateConnector RUNNING->EXTENDING",
                "AK-HW job kafka.enable_connector ->PENDING",
                "job-runner kafka_instance kafka.enable_connector EXTENDING->RUNNING",
                "job-runner job kafka.enable_connector PENDING->SUCCEEDED",
                "AK-HW kafka_instance DeleteConnector RUNNING->CONNECTOR_DELETING",
                "AK-HW job kafka.disable_connector ->PENDING",
                "job-runner kafka_instance kafka.disable_connector CONNECTOR_DELETING->RUNNING",
                "job-runner job kafka.disable_connector PENDING->SUCCEEDED",
            }));
  ASSERT_EQ(trail.size(), 9u);
  for (size_t idx = 1; idx < 5; ++idx) {
    EXPECT_EQ(trail[idx].job_id, enabled->job_id) << idx;
    EXPECT_EQ(trail[idx].tenant, kHuawei.tenant_id);
  }
  EXPECT_EQ(trail[1].request_id, "req-1");
  EXPECT_EQ(trail[1].resource_id, kInstanceId);
  EXPECT_EQ(trail[3].request_id, "");  // the runner acts outside any request
  EXPECT_EQ(trail[5].job_id, *disable_job);
  EXPECT_EQ(Trail(kInstanceId).size(), 5u);  // queryable by resource
}

TEST_F(AuditTrailTest, FailedJobRecordsTheRollbackAndTheFailure) {
  ArmJobFault("kafka.enable_connector");
  ASSERT_TRUE(kafka_->EnableSmartConnect(kHuawei, kInstanceId, {}).ok());
  FinishJobs();
  std::vector<std::string> lines;
  for (const auto& entry : Trail()) lines.push_back(Line(entry));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "admin kafka_instance seed ->RUNNING",
                       "AK-HW kafka_instance CreateConnector RUNNING->EXTENDING",
                       "AK-HW job kafka.enable_connector ->PENDING",
                       "job-runner kafka_instance kafka.enable_connector EXTENDING->RUNNING",
                       "job-runner job kafka.enable_connector PENDING->FAILED",
                   }));
}

TEST_F(AuditTrailTest, RefusedRequestLeavesNoEntry) {
  ASSERT_TRUE(kafka_->EnableSmartConnect(kHuawei, kInstanceId, {}).ok());
  const size_t before = Trail().size();
  EXPECT_FALSE(kafka_->EnableSmartConnect(kHuawei, kInstanceId, {}).ok());  // busy
  EXPECT_EQ(Trail().size(), before);
}

TEST_F(AuditTrailTest, PrivateConnectLifecycleIsRecordedUntilDestroyed) {
  CreatePrivateConnectRequest request;
  request.endpoint_a.port_id = "p-sin";
  request.endpoint_a.vlan_id = 10;
  request.endpoint_z.port_id = "p-hkg";
  request.endpoint_z.vlan_id = 10;
  auto id = connects_->CreatePrivateConnect(kZenlayer, request);
  ASSERT_TRUE(id.ok()) << id.status();
  FinishJobs();
  ASSERT_TRUE(connects_->ModifyPrivateConnectsAttribute(kZenlayer, {*id}, "renamed").ok());
  ASSERT_TRUE(connects_->DeletePrivateConnect(kZenlayer, *id).ok());
  FinishJobs();
  ASSERT_TRUE(connects_->DestroyPrivateConnect(kZenlayer, *id).ok());
  FinishJobs();

  std::vector<std::string> lines;
  for (const auto& entry : Trail(*id)) lines.push_back(Line(entry));
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "AK-ZL private_connect CreatePrivateConnect ->CREATING",
                "job-runner private_connect zenlayer.create_private_connect CREATING->RUNNING",
                "AK-ZL private_connect ModifyPrivateConnectsAttribute RUNNING->RUNNING",
                "AK-ZL private_connect DeletePrivateConnect RUNNING->DELETING",
                "job-runner private_connect zenlayer.delete_private_connect DELETING->RECYCLED",
                "AK-ZL private_connect DestroyPrivateConnect RECYCLED->DESTROYING",
                "job-runner private_connect zenlayer.destroy_private_connect DESTROYING->",
            }));
  // Jobs have their own entries (resource = the job id), three created and three finished.
  int job_entries = 0;
  for (const auto& entry : Trail()) job_entries += entry.resource_type == "job" ? 1 : 0;
  EXPECT_EQ(job_entries, 6);
}

TEST_F(AuditTrailTest, ResetIsRecordedAsAnAdminAction) {
  ASSERT_TRUE(kafka_->EnableSmartConnect(kHuawei, kInstanceId, {}).ok());
  EmulatorControls controls;
  EmulatorService emulator(*store_, clock_, timings_, controls, kSeed, [] {});
  ASSERT_TRUE(emulator.Reset(std::nullopt).ok());
  std::vector<store::AuditEntry> trail = Trail();
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(Line(trail[0]), "admin emulator reset ->");
  EXPECT_EQ(trail[0].resource_id, "all");
  // The start-up seed is re-applied: its instance is created again.
  EXPECT_EQ(Line(trail[1]), "admin kafka_instance seed ->RUNNING");
}

TEST_F(AuditTrailTest, SeedingRecordsCreatedResourcesOnce) {
  ASSERT_TRUE(ApplySeed(*store_, kSeed, clock_, nullptr).ok());  // already present: no entry
  std::vector<store::AuditEntry> trail = Trail();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(Line(trail[0]), "admin kafka_instance seed ->RUNNING");
  EXPECT_EQ(trail[0].tenant, kHuawei.tenant_id);
  EXPECT_EQ(trail[0].resource_id, kInstanceId);
}

}  // namespace
}  // namespace connectplane::service
