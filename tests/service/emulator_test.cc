// Emulator controls: timing modes, read gating, faults, idempotency, reset.
#include "common/status.h"
#include "jobs/job_runner.h"
#include "service/emulator_controls.h"
#include "service/emulator_service.h"
#include "service/idempotency.h"
#include "service/job_types.h"
#include "service/kafka_service.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <memory>

namespace connectplane::service {
namespace {

constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
constexpr char kInstance[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kSeed[] = R"({"huawei": {
  "credentials": [{"access_key": "AK", "secret_key": "SK", "project_id": "0123456789abcdef0123456789abcdef"}],
  "kafka_instances": [
    {"project_id": "0123456789abcdef0123456789abcdef", "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "k1"},
    {"project_id": "fedcba9876543210fedcba9876543210", "instance_id": "c3d4e5f6-0000-1111-2222-333344445555", "name": "k2"}]}})";

class EmulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ApplySeed(*store_, kSeed, clock_, &timings_).ok());
    emulator_ =
        std::make_unique<EmulatorService>(*store_, clock_, timings_, controls_, kSeed, nullptr);
  }

  store::KafkaInstance Load() { return *kafka_->GetInstance(caller_, kInstance); }

  Caller caller_{kProject, "demo", "u1", "", ""};
  testing::ServiceFixture services_;
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  JobTimings& timings_ = services_.timings;
  EmulatorControls& controls_ = services_.controls;
  jobs::JobRunner* const runner_ = &services_.runner;
  KafkaService* const kafka_ = &services_.kafka;
  std::unique_ptr<EmulatorService> emulator_;
};

// on_change (main: drop cached credentials, wake the runner) must follow every
// committed change, including a reset whose re-seed then fails: its deletes
// are already committed.
TEST_F(EmulatorTest, OnChangeFollowsEveryCommittedSeedOrReset) {
  int changes = 0;
  EmulatorService emulator(*store_, clock_, timings_, controls_, kSeed, [&] { ++changes; });
  ASSERT_TRUE(emulator
                  .Seed(R"({"huawei": {"credentials": [
      {"access_key": "AK2", "secret_key": "SK2", "project_id": "0123456789abcdef0123456789abcdef"}]}})")
                  .ok());
  EXPECT_EQ(changes, 1);
  EXPECT_FALSE(emulator.Seed("{not json").ok());
  EXPECT_EQ(changes, 1) << "a rejected seed commits nothing";
  ASSERT_TRUE(emulator.Reset(std::nullopt).ok());
  EXPECT_EQ(changes, 2);

  EmulatorService broken_seed(*store_, clock_, timings_, controls_, "{not json",
                              [&] { ++changes; });
  EXPECT_FALSE(broken_seed.Reset(std::nullopt).ok());
  EXPECT_EQ(changes, 3) << "the reset's deletes were committed before the re-seed failed";
}

TEST_F(EmulatorTest, InstantTimingCompletesOnNextRun) {
  ASSERT_TRUE(timings_.ApplySetting("0").ok());
  ASSERT_TRUE(kafka_->EnableSmartConnect(caller_, kInstance, {}).ok());
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_TRUE(Load().connector_enabled);
}

TEST_F(EmulatorTest, ReadGatedJobCompletesAfterNReadsWhateverTheClock) {
  ASSERT_TRUE(timings_.ApplySetting("kafka.enable_connector=reads:3").ok());
  auto result = kafka_->EnableSmartConnect(caller_, kInstance, {});
  ASSERT_TRUE(result.ok());
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(*runner_->RunDueJobs(), 0);        // time alone does nothing
  EXPECT_EQ(Load().status, kStatusExtending);  // read 1
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  ASSERT_TRUE(kafka_->GetTask(caller_, kInstance, result->job_id).ok());  // read 2
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  EXPECT_EQ(Load().status, kStatusExtending);  // read 3: now due
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_EQ(Load().status, kStatusRunning);
  EXPECT_TRUE(Load().connector_enabled);
}

TEST_F(EmulatorTest, InjectedJobFailureLeavesDocumentedFailedState) {
  ASSERT_TRUE(timings_.ApplySetting("0").ok());
  JobFaultRule rule;
  rule.job_type = "kafka.enable_connector";
  rule.count = 1;
  ASSERT_TRUE(controls_.AddJobFault(rule).ok());
  auto first = kafka_->EnableSmartConnect(caller_, kInstance, {});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  // Failed enable: instance back to RUNNING, connector not enabled, task FAILED.
  EXPECT_EQ(Load().status, kStatusRunning);
  EXPECT_FALSE(Load().connector_enabled);
  EXPECT_EQ(kafka_->GetTask(caller_, kInstance, first->job_id)->status, store::JobStatus::kFailed);
  // The rule was for one job only.
  ASSERT_TRUE(kafka_->EnableSmartConnect(caller_, kInstance, {}).ok());
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_TRUE(Load().connector_enabled);
}

TEST_F(EmulatorTest, ApiFaultsCountDownAndMatchByOperation) {
  ApiFaultRule rule;
  rule.dialect = "dms";
  rule.operation = "CreateConnector";
  rule.count = 2;
  rule.http_status = 503;
  rule.error_code = "DMS.00500000";
  ASSERT_TRUE(controls_.AddApiFault(rule).ok());
  EXPECT_FALSE(controls_.TakeApiFault("dms", "ShowInstance").has_value());
  EXPECT_FALSE(controls_.TakeApiFault("zenlayer", "CreateConnector").has_value());
  auto fault = controls_.TakeApiFault("dms", "createconnector");
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->http_status, 503);
  EXPECT_EQ(fault->error_code, "DMS.00500000");
  EXPECT_TRUE(controls_.TakeApiFault("dms", "CreateConnector").has_value());
  EXPECT_FALSE(controls_.TakeApiFault("dms", "CreateConnector").has_value());
}

TEST_F(EmulatorTest, ProbabilisticAndLatencyFaults) {
  ApiFaultRule rule;
  rule.probability = 0.5;
  rule.http_status = 500;
  ASSERT_TRUE(controls_.AddApiFault(rule).ok());
  int hits = 0;
  for (int call = 0; call < 1000; ++call) {
    hits += controls_.TakeApiFault("dms", "ShowInstance").has_value() ? 1 : 0;
  }
  EXPECT_GT(hits, 350);  // seeded RNG: deterministic, near 500
  EXPECT_LT(hits, 650);
  controls_.ClearFaults();
  ApiFaultRule slow;
  slow.latency = absl::Milliseconds(250);
  ASSERT_TRUE(controls_.AddApiFault(slow).ok());
  auto fault = controls_.TakeApiFault("dms", "ShowInstance");
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->http_status, 0);
  EXPECT_EQ(fault->latency, absl::Milliseconds(250));
}

TEST_F(EmulatorTest, RejectsBadFaultRules) {
  ApiFaultRule no_effect;
  EXPECT_FALSE(controls_.AddApiFault(no_effect).ok());
  ApiFaultRule bad_status;
  bad_status.http_status = 200;
  EXPECT_FALSE(controls_.AddApiFault(bad_status).ok());
  JobFaultRule bad_probability;
  bad_probability.probability = 0;
  EXPECT_FALSE(controls_.AddJobFault(bad_probability).ok());
  // (Documents with unknown keys are refused by the admin API's reader:
  // AdminApiTest.FaultDocumentsWithUnknownKeysAreRefused.)
  absl::StatusOr<std::string> unknown_type = controls_.AddJobFault({.job_type = "no.such"});
  EXPECT_EQ(common::ReasonOf(unknown_type.status()), kReasonUnknownJobType);
  EXPECT_NE(unknown_type.status().message().find("kafka.enable_connector"),
            absl::string_view::npos);
  EXPECT_TRUE(controls_.Rules().job.empty());
  auto id = controls_.AddJobFault({.job_type = "kafka.enable_connector", .count = 2});
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(controls_.RemoveFault(*id));
  EXPECT_FALSE(controls_.RemoveFault(*id));
}

TEST_F(EmulatorTest, IdempotencyReplaysAndRefusesReuse) {
  IdempotencyService idempotency(*store_, clock_);
  auto first = idempotency.Begin("dms:p", "key-1", "hash-a");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());
  // While the first is running, a retry is told to wait.
  EXPECT_EQ(common::ReasonOf(idempotency.Begin("dms:p", "key-1", "hash-a").status()),
            kReasonIdempotencyInProgress);
  ASSERT_TRUE(idempotency.Finish("dms:p", "key-1", "hash-a", {200, R"({"job_id":"j"})"}).ok());
  auto replay = idempotency.Begin("dms:p", "key-1", "hash-a");
  ASSERT_TRUE(replay.ok() && replay->has_value());
  EXPECT_EQ((*replay)->body, R"({"job_id":"j"})");
  EXPECT_EQ(common::ReasonOf(idempotency.Begin("dms:p", "key-1", "hash-b").status()),
            kReasonIdempotencyKeyReused);
  // Scopes (tenants) are independent.
  EXPECT_FALSE(idempotency.Begin("dms:q", "key-1", "hash-b")->has_value());
  // An abandoned claim can be retaken; a stale in-progress claim too.
  ASSERT_TRUE(idempotency.Abandon("dms:q", "key-1").ok());
  EXPECT_FALSE(idempotency.Begin("dms:q", "key-1", "hash-c")->has_value());
  clock_.Advance(IdempotencyService::kInProgressTimeout + absl::Seconds(1));
  EXPECT_FALSE(idempotency.Begin("dms:q", "key-1", "hash-c")->has_value());
}

TEST_F(EmulatorTest, ResetRestoresSeedAndClearsJobsAndFaults) {
  ASSERT_TRUE(timings_.ApplySetting("0").ok());
  ASSERT_TRUE(kafka_->EnableSmartConnect(caller_, kInstance, {}).ok());
  ASSERT_TRUE(runner_->RunDueJobs().ok());
  ApiFaultRule rule;
  rule.http_status = 500;
  ASSERT_TRUE(controls_.AddApiFault(rule).ok());
  auto summary = emulator_->Reset(std::nullopt);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->instances_created, 2);
  EXPECT_FALSE(Load().connector_enabled);
  EXPECT_EQ(kafka_->ListTasks(caller_, kInstance, {}, {0, 10})->total, 0);
  EXPECT_FALSE(controls_.TakeApiFault("dms", "x").has_value());
}

TEST_F(EmulatorTest, TenantResetLeavesOtherTenantsAlone) {
  ASSERT_TRUE(timings_.ApplySetting("0").ok());
  Caller other{"fedcba9876543210fedcba9876543210", "o", "o", "", ""};
  ASSERT_TRUE(kafka_->EnableSmartConnect(caller_, kInstance, {}).ok());
  ASSERT_TRUE(kafka_->EnableSmartConnect(other, "c3d4e5f6-0000-1111-2222-333344445555", {}).ok());
  ASSERT_TRUE(runner_->RunDueJobs().ok());
  auto summary = emulator_->Reset(std::string(kProject));
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->instances_created, 1);
  EXPECT_FALSE(Load().connector_enabled);
  EXPECT_TRUE(
      kafka_->GetInstance(other, "c3d4e5f6-0000-1111-2222-333344445555")->connector_enabled);
}

TEST_F(EmulatorTest, StateDumpOmitsSecrets) {
  auto state = emulator_->DumpState();
  ASSERT_TRUE(state.ok());
  // Every table, every column and every cell, as "table.column=value".
  std::string text;
  for (const store::TableDump& table : state->tables) {
    for (const auto& row : table.rows) {
      for (size_t col = 0; col < table.columns.size(); ++col) {
        text += table.table + "." + table.columns[col] + "=" + row[col].value_or("<null>") + "\n";
      }
    }
  }
  EXPECT_NE(text.find("kafka_instances."), std::string::npos);
  EXPECT_NE(text.find("huawei_credentials.access_key=AK\n"), std::string::npos);
  EXPECT_EQ(text.find("secret_key"), std::string::npos);
  EXPECT_EQ(text.find("=SK\n"), std::string::npos);
}

}  // namespace
}  // namespace connectplane::service
