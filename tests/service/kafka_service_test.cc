#include "service/kafka_service.h"

#include "common/status.h"
#include "jobs/job_runner.h"
#include "service/kafka_instance_jobs.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <atomic>
#include <thread>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kInstanceId[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kOtherTenantInstance[] = "c3d4e5f6-0000-1111-2222-333344445555";
constexpr char kUnknownInstance[] = "ffffffff-0000-1111-2222-333344445555";

class KafkaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_
                    ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                      RETURN_IF_ERROR(txn.InsertKafkaInstance(Instance("p1", kInstanceId)));
                      return txn.InsertKafkaInstance(Instance("p2", kOtherTenantInstance));
                    })
                    .ok());
    timings_.Set(std::string(kJobEnableConnector), absl::Seconds(3));
    timings_.Set(std::string(kJobDisableConnector), absl::Seconds(2));
  }

  static store::KafkaInstance Instance(std::string project, std::string id) {
    store::KafkaInstance instance;
    instance.project_id = std::move(project);
    instance.instance_id = std::move(id);
    instance.name = "kafka";
    instance.status = std::string(kStatusRunning);
    instance.specification = "100MB";
    return instance;
  }

  store::KafkaInstance Load(const Caller& caller = kCaller) {
    auto instance = service_->GetInstance(caller, kInstanceId);
    EXPECT_TRUE(instance.ok()) << instance.status();
    return *instance;
  }

  // Runs every job that is due after advancing the clock by `delta`.
  void AdvanceAndRun(absl::Duration delta) {
    clock_.Advance(delta);
    ASSERT_TRUE(runner_->RunDueJobs().ok());
  }

  static inline const Caller kCaller{"p1", "demo", "u1", "", ""};
  testing::ServiceFixture services_;
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  JobTimings& timings_ = services_.timings;
  jobs::JobRunner* const runner_ = &services_.runner;
  KafkaService* const service_ = &services_.kafka;
  // Runner wake-ups: one per commit that queued a job.
  std::atomic<int>& notified_ = services_.runner_wakeups;
};

TEST_F(KafkaServiceTest, EnableGoesThroughExtendingAndBackToRunning) {
  EnableSmartConnectRequest request;
  request.node_cnt = 3;
  request.spec_code = "connector.4u8g.cluster";
  auto result = service_->EnableSmartConnect(kCaller, kInstanceId, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(notified_.load(), 1);
  EXPECT_EQ(Load().status, kStatusExtending);
  EXPECT_FALSE(Load().connector_enabled);

  auto task = service_->GetTask(kCaller, kInstanceId, result->job_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->status, store::JobStatus::kPending);
  EXPECT_EQ(task->name, "createConnector");
  EXPECT_EQ(task->user_name, "demo");

  AdvanceAndRun(absl::Seconds(2));
  EXPECT_EQ(Load().status, kStatusExtending);
  AdvanceAndRun(absl::Seconds(1));
  store::KafkaInstance instance = Load();
  EXPECT_EQ(instance.status, kStatusRunning);
  EXPECT_TRUE(instance.connector_enabled);
  EXPECT_EQ(instance.connector_id, result->connector_id);
  EXPECT_EQ(instance.connector_node_num, 3);
  EXPECT_EQ(instance.connector_spec_code, "connector.4u8g.cluster");
  EXPECT_EQ(service_->GetTask(kCaller, kInstanceId, result->job_id)->status,
            store::JobStatus::kSucceeded);
}

TEST_F(KafkaServiceTest, NodeCountDefaultsToTwo) {
  ASSERT_TRUE(service_->EnableSmartConnect(kCaller, kInstanceId, {}).ok());
  AdvanceAndRun(absl::Seconds(3));
  EXPECT_EQ(Load().connector_node_num, kDefaultConnectorNodes);
}

TEST_F(KafkaServiceTest, DisableGoesThroughConnectorDeleting) {
  ASSERT_TRUE(service_->EnableSmartConnect(kCaller, kInstanceId, {}).ok());
  AdvanceAndRun(absl::Seconds(3));
  auto job_id = service_->DisableSmartConnect(kCaller, kInstanceId);
  ASSERT_TRUE(job_id.ok()) << job_id.status();
  EXPECT_EQ(Load().status, kStatusConnectorDeleting);
  AdvanceAndRun(absl::Seconds(2));
  store::KafkaInstance instance = Load();
  EXPECT_EQ(instance.status, kStatusRunning);
  EXPECT_FALSE(instance.connector_enabled);
  EXPECT_EQ(instance.connector_id, "");
  auto tasks = service_->ListTasks(kCaller, kInstanceId, {}, {0, 10});
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->total, 2);
  EXPECT_EQ(tasks->items[0].name, "deleteConnector");  // newest first
}

TEST_F(KafkaServiceTest, RejectsChangesWhileBusyOrInWrongState) {
  EXPECT_EQ(common::ReasonOf(service_->DisableSmartConnect(kCaller, kInstanceId).status()),
            kReasonConnectorNotEnabled);
  ASSERT_TRUE(service_->EnableSmartConnect(kCaller, kInstanceId, {}).ok());
  EXPECT_EQ(common::ReasonOf(service_->EnableSmartConnect(kCaller, kInstanceId, {}).status()),
            kReasonInstanceBusy);
  EXPECT_EQ(common::ReasonOf(service_->DisableSmartConnect(kCaller, kInstanceId).status()),
            kReasonInstanceBusy);
  AdvanceAndRun(absl::Seconds(3));
  auto again = service_->EnableSmartConnect(kCaller, kInstanceId, {});
  EXPECT_TRUE(absl::IsFailedPrecondition(again.status()));
  EXPECT_EQ(common::ReasonOf(again.status()), kReasonConnectorAlreadyEnabled);
  // Rejections wrote nothing: still exactly one job.
  EXPECT_EQ(service_->ListTasks(kCaller, kInstanceId, {}, {0, 10})->total, 1);
}

TEST_F(KafkaServiceTest, ValidatesEnableRequest) {
  struct Case {
    EnableSmartConnectRequest request;
    std::string_view reason;
  } cases[] = {
      {{std::nullopt, 1, std::nullopt}, kReasonInvalidNodeCount},
      {{std::nullopt, 17, std::nullopt}, kReasonInvalidNodeCount},
      {{std::nullopt, -5, std::nullopt}, kReasonInvalidNodeCount},
      {{"999MB", std::nullopt, std::nullopt}, kReasonInvalidSpecification},
      {{"100mb", std::nullopt, std::nullopt}, kReasonInvalidSpecification},
      {{std::nullopt, std::nullopt, "NOT A CODE"}, kReasonInvalidSpecCode},
      {{std::nullopt, std::nullopt, ""}, kReasonInvalidSpecCode},
      {{std::nullopt, std::nullopt, "nodots"}, kReasonInvalidSpecCode},
  };
  for (const Case& test_case : cases) {
    auto result = service_->EnableSmartConnect(kCaller, kInstanceId, test_case.request);
    EXPECT_TRUE(absl::IsInvalidArgument(result.status()));
    EXPECT_EQ(common::ReasonOf(result.status()), test_case.reason);
  }
  EXPECT_EQ(Load().status, kStatusRunning);
  for (int64_t nodes : {2, 16}) {
    EnableSmartConnectRequest request;
    request.node_cnt = nodes;
    request.specification = "1200MB";
    EXPECT_TRUE(service_->EnableSmartConnect(kCaller, kInstanceId, request).ok());
    AdvanceAndRun(absl::Seconds(3));
    ASSERT_TRUE(service_->DisableSmartConnect(kCaller, kInstanceId).ok());
    AdvanceAndRun(absl::Seconds(2));
  }
}

TEST_F(KafkaServiceTest, UnknownForeignAndMalformedInstanceIds) {
  EXPECT_EQ(common::ReasonOf(service_->GetInstance(kCaller, kUnknownInstance).status()),
            kReasonInstanceNotFound);
  // Another tenant's instance looks exactly like a missing one.
  auto foreign = service_->EnableSmartConnect(kCaller, kOtherTenantInstance, {});
  EXPECT_TRUE(absl::IsNotFound(foreign.status()));
  EXPECT_EQ(common::ReasonOf(foreign.status()), kReasonInstanceNotFound);
  EXPECT_EQ(common::ReasonOf(service_->GetInstance(kCaller, "not-a-uuid").status()),
            kReasonInvalidInstanceId);
  EXPECT_EQ(
      common::ReasonOf(service_->ListTasks(kCaller, kOtherTenantInstance, {}, {0, 10}).status()),
      kReasonInstanceNotFound);
}

TEST_F(KafkaServiceTest, TasksAreScopedToTheirInstanceAndTenant) {
  auto result = service_->EnableSmartConnect(kCaller, kInstanceId, {});
  ASSERT_TRUE(result.ok());
  Caller other{"p2", "other", "u2", "", ""};
  EXPECT_TRUE(
      absl::IsNotFound(service_->GetTask(other, kOtherTenantInstance, result->job_id).status()));
  EXPECT_EQ(common::ReasonOf(service_->GetTask(kCaller, kInstanceId, "missing").status()),
            kReasonTaskNotFound);
}

TEST_F(KafkaServiceTest, JobFailsAndLeavesInstanceAloneWhenSomeoneElseMovedIt) {
  auto result = service_->EnableSmartConnect(kCaller, kInstanceId, {});
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(store_
                  ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(auto instance, txn.GetKafkaInstance("p1", kInstanceId));
                    instance->status = "RESTARTING";
                    return txn.UpdateKafkaInstance(*instance);
                  })
                  .ok());
  AdvanceAndRun(absl::Seconds(3));
  auto task = service_->GetTask(kCaller, kInstanceId, result->job_id);
  EXPECT_EQ(task->status, store::JobStatus::kFailed);
  EXPECT_FALSE(task->error.empty());
  EXPECT_EQ(Load().status, "RESTARTING");
  EXPECT_FALSE(Load().connector_enabled);
}

TEST_F(KafkaServiceTest, UnfinishedJobCompletesAfterRestart) {
  ASSERT_TRUE(service_->EnableSmartConnect(kCaller, kInstanceId, {}).ok());
  // "Restart": new runner, queue and service over the same store (the first
  // ones are never used again).
  jobs::JobRunner restarted(*store_, clock_);
  RegisterKafkaInstanceJobs(restarted);
  JobQueue jobs(*store_, clock_, timings_, nullptr);
  KafkaService service(*store_, clock_, jobs);
  clock_.Advance(absl::Seconds(3));
  EXPECT_EQ(*restarted.RunDueJobs(), 1);
  EXPECT_TRUE(service.GetInstance(kCaller, kInstanceId)->connector_enabled);
}

TEST_F(KafkaServiceTest, ConcurrentEnablesCreateExactlyOneJob) {
  constexpr int kThreads = 16;
  std::atomic<int> accepted{0};
  std::atomic<int> rejected_busy{0};
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&] {
      auto result = service_->EnableSmartConnect(kCaller, kInstanceId, {});
      if (result.ok()) {
        ++accepted;
      } else if (common::ReasonOf(result.status()) == kReasonInstanceBusy) {
        ++rejected_busy;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(rejected_busy.load(), kThreads - 1);
  EXPECT_EQ(service_->ListTasks(kCaller, kInstanceId, {}, {0, 50})->total, 1);
}

TEST_F(KafkaServiceTest, IsWellFormedIdAcceptsOnlyUuids) {
  EXPECT_TRUE(KafkaService::IsWellFormedId(kInstanceId));
  EXPECT_TRUE(KafkaService::IsWellFormedId("A1B2C3D4-0000-1111-2222-333344445555"));
  EXPECT_FALSE(KafkaService::IsWellFormedId("a1b2c3d4-0000-1111-2222-33334444555"));
  EXPECT_FALSE(KafkaService::IsWellFormedId("a1b2c3d4x0000-1111-2222-333344445555"));
  EXPECT_FALSE(KafkaService::IsWellFormedId("g1b2c3d4-0000-1111-2222-333344445555"));
  EXPECT_FALSE(KafkaService::IsWellFormedId(""));
}

// --instant-jobs inline: an instant job is finished by the request itself, so
// the answer already reflects it; timed jobs still go to the runner.
TEST_F(KafkaServiceTest, InlineInstantJobsFinishInTheRequest) {
  services_.jobs.CompleteInstantJobsWith(runner_);
  timings_.Set(std::string(kJobEnableConnector), absl::ZeroDuration());
  auto enabled = service_->EnableSmartConnect(kCaller, kInstanceId, {});
  ASSERT_TRUE(enabled.ok()) << enabled.status();
  EXPECT_EQ(notified_.load(), 0);  // nothing queued for the runner
  store::KafkaInstance instance = Load();
  EXPECT_EQ(instance.status, kStatusRunning);
  EXPECT_TRUE(instance.connector_enabled);
  EXPECT_EQ(instance.connector_id, enabled->connector_id);
  auto task = service_->GetTask(kCaller, kInstanceId, enabled->job_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->status, store::JobStatus::kSucceeded);

  // Disable keeps its 2 s timing: queued, finished by the runner.
  auto disabled = service_->DisableSmartConnect(kCaller, kInstanceId);
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_EQ(notified_.load(), 1);
  EXPECT_EQ(Load().status, kStatusConnectorDeleting);
  AdvanceAndRun(absl::Seconds(2));
  EXPECT_EQ(Load().status, kStatusRunning);
  EXPECT_FALSE(Load().connector_enabled);
}

}  // namespace
}  // namespace connectplane::service
