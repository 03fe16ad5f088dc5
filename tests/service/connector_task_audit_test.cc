// The audit trail of the Kafka state machines: instance create/delete
// and Smart Connect tasks (create, pause, resume, restart, delete, and removal
// with the connector or the instance). Every transition is one entry written
// with the change; refused requests write none.
#include "common/status.h"
#include "jobs/job_runner.h"
#include "service/audit_recorder.h"
#include "service/connector_task_service.h"
#include "service/kafka_service.h"
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
constexpr char kUuid[] = "11111111-2222-3333-4444-555555555555";

constexpr char kSeed[] = R"({
  "huawei": {
    "credentials": [{"access_key": "AK-HW", "secret_key": "SK", "project_id": "0123456789abcdef0123456789abcdef"}],
    "kafka_instances": [{"project_id": "0123456789abcdef0123456789abcdef",
                         "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "k"}]
  }
})";

class ConnectorTaskAuditTest : public ::testing::Test {
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

  ConnectorTaskService& Tasks() { return services_.tasks; }

  void EnableConnector() {
    ASSERT_TRUE(kafka_->EnableSmartConnect(kHuawei, kInstanceId, {}).ok());
    FinishJobs();
  }

  std::string CreateRunningTask(std::string name) {
    auto task = Tasks().CreateTask(kHuawei, kInstanceId, ObsTask(std::move(name)));
    EXPECT_TRUE(task.ok()) << task.status();
    FinishJobs();
    return task.ok() ? task->task_id : "";
  }

  static CreateConnectorTaskRequest ObsTask(std::string name) {
    CreateConnectorTaskRequest request;
    request.task_name = std::move(name);
    request.topics = "orders";
    request.sink_type = "OBS_SINK";
    boost::json::object sink;
    sink["consumer_strategy"] = "latest";
    sink["destination_file_type"] = "TEXT";
    sink["deliver_time_interval"] = 300;
    sink["access_key"] = "AK";
    sink["secret_key"] = "SK";
    sink["obs_bucket_name"] = "bucket";
    request.sink_task = std::move(sink);
    return request;
  }

  static CreateInstanceRequest ValidInstance() {
    CreateInstanceRequest request;
    request.name = "my-kafka";
    request.engine = "kafka";
    request.engine_version = "3.x";
    request.broker_num = 3;
    request.storage_space = 300;
    request.vpc_id = kUuid;
    request.security_group_id = kUuid;
    request.subnet_id = kUuid;
    request.available_zones = std::vector<std::string>{"eu-de-01"};
    request.product_id = "c6.2u4g.cluster";
    request.storage_spec_code = "dms.physical.storage.ultra.v2";
    return request;
  }

  // Oldest first.
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

  std::vector<std::string> Lines(std::optional<std::string> resource_id = std::nullopt) {
    std::vector<std::string> lines;
    for (const store::AuditEntry& entry : Trail(std::move(resource_id))) {
      lines.push_back(entry.actor + " " + entry.resource_type + " " + entry.action + " " +
                      entry.from_status + "->" + entry.to_status);
    }
    return lines;
  }

  const Caller kHuawei{"0123456789abcdef0123456789abcdef", "demo", "u1", "AK-HW", "req-1"};
  testing::ServiceFixture services_{absl::Seconds(3)};
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  jobs::JobRunner* const runner_ = &services_.runner;
  KafkaService* const kafka_ = &services_.kafka;
};

TEST_F(ConnectorTaskAuditTest, InstanceCreateRunDeleteIsRecordedUntilGone) {
  const size_t seeded = Trail().size();
  auto id = kafka_->CreateInstance(kHuawei, ValidInstance());
  ASSERT_TRUE(id.ok()) << id.status();
  FinishJobs();
  ASSERT_TRUE(kafka_->DeleteInstance(kHuawei, *id).ok());
  FinishJobs();

  std::vector<std::string> lines = Lines();
  lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(seeded));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "AK-HW kafka_instance CreateInstance ->CREATING",
                       "AK-HW job kafka.create_instance ->PENDING",
                       "job-runner kafka_instance kafka.create_instance CREATING->RUNNING",
                       "job-runner job kafka.create_instance PENDING->SUCCEEDED",
                       "AK-HW kafka_instance DeleteInstance RUNNING->DELETING",
                       "AK-HW job kafka.delete_instance ->PENDING",
                       "job-runner kafka_instance kafka.delete_instance DELETING->",
                       "job-runner job kafka.delete_instance PENDING->SUCCEEDED",
                   }));
  std::vector<store::AuditEntry> trail = Trail(*id);
  ASSERT_EQ(trail.size(), 4u);
  EXPECT_EQ(trail[0].request_id, "req-1");
  EXPECT_EQ(trail[0].tenant, kHuawei.tenant_id);
  EXPECT_EQ(trail[1].request_id, "");  // the runner acts outside any request
  EXPECT_FALSE(trail[0].job_id.empty());
  EXPECT_EQ(trail[0].job_id, trail[1].job_id);
  EXPECT_FALSE(trail[2].job_id.empty());
  EXPECT_NE(trail[2].job_id, trail[0].job_id);
  EXPECT_EQ(trail[2].job_id, trail[3].job_id);
}

TEST_F(ConnectorTaskAuditTest, FailedInstanceCreateAndDeleteRecordTheirOutcome) {
  ArmJobFault(std::string(kJobCreateInstance));
  auto failed = kafka_->CreateInstance(kHuawei, ValidInstance());
  ASSERT_TRUE(failed.ok());
  FinishJobs();
  ArmJobFault(std::string(kJobDeleteInstance));
  ASSERT_TRUE(kafka_->DeleteInstance(kHuawei, *failed).ok());
  FinishJobs();
  EXPECT_EQ(Lines(*failed),
            (std::vector<std::string>{
                "AK-HW kafka_instance CreateInstance ->CREATING",
                "job-runner kafka_instance kafka.create_instance CREATING->CREATEFAILED",
                "AK-HW kafka_instance DeleteInstance CREATEFAILED->DELETING",
                "job-runner kafka_instance kafka.delete_instance DELETING->RUNNING",
            }));
}

TEST_F(ConnectorTaskAuditTest, TaskLifecycleIsRecordedUntilDeleted) {
  EnableConnector();
  const std::string task_id = CreateRunningTask("dump");
  ASSERT_FALSE(task_id.empty());
  ASSERT_TRUE(Tasks().PauseTask(kHuawei, kInstanceId, task_id).ok());
  FinishJobs();
  ASSERT_TRUE(Tasks().ResumeTask(kHuawei, kInstanceId, task_id).ok());
  FinishJobs();
  ASSERT_TRUE(Tasks().RestartTask(kHuawei, kInstanceId, task_id).ok());
  FinishJobs();
  ASSERT_TRUE(Tasks().DeleteTask(kHuawei, kInstanceId, task_id).ok());

  EXPECT_EQ(Lines(task_id),
            (std::vector<std::string>{
                "AK-HW connector_task CreateConnectorTask ->CREATING",
                "job-runner connector_task kafka.create_connector_task CREATING->RUNNING",
                "AK-HW connector_task PauseConnectorTask RUNNING->RUNNING",
                "job-runner connector_task kafka.pause_connector_task RUNNING->PAUSED",
                "AK-HW connector_task ResumeConnectorTask PAUSED->PAUSED",
                "job-runner connector_task kafka.resume_connector_task PAUSED->RUNNING",
                "AK-HW connector_task RestartConnectorTask RUNNING->RESTARTING",
                "job-runner connector_task kafka.restart_connector_task RESTARTING->RUNNING",
                "AK-HW connector_task DeleteConnectorTask RUNNING->",
            }));
  std::vector<store::AuditEntry> trail = Trail(task_id);
  ASSERT_EQ(trail.size(), 9u);
  for (size_t idx = 0; idx + 1 < trail.size(); idx += 2) {
    EXPECT_EQ(trail[idx].request_id, "req-1") << idx;
    EXPECT_FALSE(trail[idx].job_id.empty()) << idx;
    EXPECT_EQ(trail[idx].job_id, trail[idx + 1].job_id) << idx;
    EXPECT_EQ(trail[idx + 1].actor, "job-runner") << idx;
  }
  EXPECT_EQ(trail[8].job_id, "");  // delete is synchronous
  EXPECT_EQ(trail[8].tenant, kHuawei.tenant_id);

  // Each task job: created by the caller, finished by the runner.
  std::vector<std::string> job_lines;
  for (const store::AuditEntry& entry : Trail()) {
    if (entry.resource_type == store::kAuditJob &&
        entry.action.find("connector_task") != std::string::npos) {
      job_lines.push_back(entry.actor + " " + entry.action + " " + entry.from_status + "->" +
                          entry.to_status);
    }
  }
  EXPECT_EQ(job_lines, (std::vector<std::string>{
                           "AK-HW kafka.create_connector_task ->PENDING",
                           "job-runner kafka.create_connector_task PENDING->SUCCEEDED",
                           "AK-HW kafka.pause_connector_task ->PENDING",
                           "job-runner kafka.pause_connector_task PENDING->SUCCEEDED",
                           "AK-HW kafka.resume_connector_task ->PENDING",
                           "job-runner kafka.resume_connector_task PENDING->SUCCEEDED",
                           "AK-HW kafka.restart_connector_task ->PENDING",
                           "job-runner kafka.restart_connector_task PENDING->SUCCEEDED",
                       }));
}

TEST_F(ConnectorTaskAuditTest, StartLaterAndFailedCreateAreRecorded) {
  EnableConnector();
  CreateConnectorTaskRequest later = ObsTask("later");
  later.start_later = true;
  auto waiting = Tasks().CreateTask(kHuawei, kInstanceId, later);
  ASSERT_TRUE(waiting.ok());
  FinishJobs();
  ArmJobFault(std::string(kJobCreateConnectorTask));
  auto failed = Tasks().CreateTask(kHuawei, kInstanceId, ObsTask("broken"));
  ASSERT_TRUE(failed.ok());
  FinishJobs();
  EXPECT_EQ(Lines(waiting->task_id),
            (std::vector<std::string>{
                "AK-HW connector_task CreateConnectorTask ->CREATING",
                "job-runner connector_task kafka.create_connector_task CREATING->WAITING",
            }));
  EXPECT_EQ(Lines(failed->task_id),
            (std::vector<std::string>{
                "AK-HW connector_task CreateConnectorTask ->CREATING",
                "job-runner connector_task kafka.create_connector_task CREATING->FAILED",
            }));
}

TEST_F(ConnectorTaskAuditTest, DisablingSmartConnectRecordsEachRemovedTask) {
  EnableConnector();
  const std::string first = CreateRunningTask("first");
  const std::string second = CreateRunningTask("second");
  ASSERT_TRUE(Tasks().PauseTask(kHuawei, kInstanceId, second).ok());
  FinishJobs();
  auto job = kafka_->DisableSmartConnect(kHuawei, kInstanceId);
  ASSERT_TRUE(job.ok());
  FinishJobs();

  std::vector<store::AuditEntry> first_trail = Trail(first);
  ASSERT_FALSE(first_trail.empty());
  const store::AuditEntry& removed = first_trail.back();
  EXPECT_EQ(removed.actor, "job-runner");
  EXPECT_EQ(removed.resource_type, store::kAuditConnectorTask);
  EXPECT_EQ(removed.action, kJobDisableConnector);
  EXPECT_EQ(removed.from_status, "RUNNING");
  EXPECT_EQ(removed.to_status, "");
  EXPECT_EQ(removed.job_id, *job);
  EXPECT_EQ(Lines(second).back(), "job-runner connector_task kafka.disable_connector PAUSED->");
  // The removals share the connector's transaction with the instance entry.
  std::vector<std::string> lines = Lines();
  ASSERT_GE(lines.size(), 4u);
  std::vector<std::string> removals(lines.end() - 4, lines.end() - 2);
  std::sort(removals.begin(), removals.end());  // in the store's listing order
  EXPECT_EQ(removals, (std::vector<std::string>{
                          "job-runner connector_task kafka.disable_connector PAUSED->",
                          "job-runner connector_task kafka.disable_connector RUNNING->",
                      }));
  EXPECT_EQ(std::vector<std::string>(lines.end() - 2, lines.end()),
            (std::vector<std::string>{
                "job-runner kafka_instance kafka.disable_connector CONNECTOR_DELETING->RUNNING",
                "job-runner job kafka.disable_connector PENDING->SUCCEEDED",
            }));
}

TEST_F(ConnectorTaskAuditTest, DeletingTheInstanceRecordsItsRemovedTasks) {
  EnableConnector();
  const std::string task_id = CreateRunningTask("dump");
  ASSERT_TRUE(kafka_->DeleteInstance(kHuawei, kInstanceId).ok());
  FinishJobs();
  std::vector<std::string> lines = Lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(lines.end() - 3, lines.end()),
            (std::vector<std::string>{
                "job-runner connector_task kafka.delete_instance RUNNING->",
                "job-runner kafka_instance kafka.delete_instance DELETING->",
                "job-runner job kafka.delete_instance PENDING->SUCCEEDED",
            }));
  EXPECT_EQ(Trail(task_id).back().resource_id, task_id);
}

TEST_F(ConnectorTaskAuditTest, RefusedRequestsLeaveNoEntry) {
  EnableConnector();
  const std::string task_id = CreateRunningTask("dump");
  auto pending = Tasks().CreateTask(kHuawei, kInstanceId, ObsTask("pending"));  // CREATING
  ASSERT_TRUE(pending.ok());
  const size_t before = Trail().size();

  CreateInstanceRequest no_name = ValidInstance();
  no_name.name.reset();
  EXPECT_FALSE(kafka_->CreateInstance(kHuawei, no_name).ok());
  EXPECT_FALSE(kafka_->DeleteInstance(kHuawei, kUuid).ok());                     // unknown
  EXPECT_FALSE(Tasks().CreateTask(kHuawei, kInstanceId, ObsTask("dump")).ok());  // name taken
  EXPECT_FALSE(Tasks().CreateTask(kHuawei, kInstanceId, ObsTask("x")).ok());     // bad name
  EXPECT_FALSE(Tasks().ResumeTask(kHuawei, kInstanceId, task_id).ok());          // not PAUSED
  EXPECT_FALSE(Tasks().PauseTask(kHuawei, kInstanceId, pending->task_id).ok());  // busy
  EXPECT_FALSE(Tasks().RestartTask(kHuawei, kInstanceId, kUuid).ok());           // unknown task
  EXPECT_FALSE(Tasks().DeleteTask(kHuawei, kInstanceId, kUuid).ok());            // unknown task
  const Caller stranger{"fedcba9876543210fedcba9876543210", "x", "u9", "AK-X", "req-9"};
  EXPECT_FALSE(Tasks().DeleteTask(stranger, kInstanceId, task_id).ok());  // foreign instance
  EXPECT_FALSE(kafka_->DeleteInstance(stranger, kInstanceId).ok());

  ASSERT_TRUE(kafka_->DeleteInstance(kHuawei, kInstanceId).ok());
  const size_t deleting = Trail().size();
  EXPECT_EQ(deleting, before + 2);  // instance RUNNING -> DELETING and its job
  EXPECT_FALSE(kafka_->DeleteInstance(kHuawei, kInstanceId).ok());      // already DELETING
  EXPECT_FALSE(Tasks().PauseTask(kHuawei, kInstanceId, task_id).ok());  // instance busy
  EXPECT_EQ(Trail().size(), deleting);
}

}  // namespace
}  // namespace connectplane::service
