// The job runner while store writes fail (a full disk: every write of the
// database files fails with SQLITE_FULL, through the fault-injecting VFS). The
// probe found the background thread retrying the failed claim in a tight loop:
// 71 % of a core and 4,000-6,600 identical error lines a second for as long as
// the disk stayed full. Now each failed turn backs off (100 ms doubling to
// 30 s, over the injected clock), the error line is throttled, the condition is
// reported to the StoreHealth, and a probe write notices when writes work again.
#include "common/logging.h"
#include "common/status.h"
#include "jobs/job_runner.h"
#include "jobs/store_health.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fakes/fake_clock.h"
#include "fakes/fault_injection_vfs.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include <atomic>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace connectplane::jobs {
namespace {

class CountingHandler final : public JobHandler {
 public:
  std::atomic<int> completions{0};
  absl::Status Complete(store::StoreTransaction&, const store::Job&, absl::Time) override {
    ++completions;
    return absl::OkStatus();
  }
  absl::Status OnFailed(store::StoreTransaction&, const store::Job&, absl::Time) override {
    return absl::OkStatus();
  }
};

int CountLines(const std::string& text, std::string_view needle) {
  int count = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(needle) != std::string::npos) ++count;
  }
  return count;
}

class JobRunnerStoreFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    path_ = (std::filesystem::temp_directory_path() /
             ("job_runner_store_failure-" + test_name + "-" + std::to_string(::getpid()) + ".db"))
                .string();
    RemoveDatabase();
    vfs_ = std::make_unique<testing::FaultInjectionVfs>("full-disk-" + test_name);
    store::SqliteOptions options;
    options.vfs = vfs_->name();
    auto opened = store::SqliteStore::Open(path_, options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    runner_ = std::make_unique<JobRunner>(*store_, clock_);
    runner_->RegisterHandler("test.job", &handler_);
    runner_->SetStoreHealth(&health_);

    previous_logger_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    auto logger = std::make_shared<spdlog::logger>("store-failure-test", sink);
    logger->set_level(spdlog::level::info);
    common::InstallLogger(logger, common::LogFormat::kText);
  }

  void TearDown() override {
    common::InstallLogger(previous_logger_, common::LogFormat::kText);
    if (runner_) runner_->Stop();
    runner_.reset();
    vfs_->Disarm();  // lets the last connection checkpoint on close
    store_.reset();
    vfs_.reset();
    RemoveDatabase();
  }

  void RemoveDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  void EnqueueDueJob(const std::string& job_id) {
    store::Job job;
    job.job_id = job_id;
    job.tenant_id = "p1";
    job.resource_id = "i1";
    job.job_type = "test.job";
    job.name = "test";
    job.created_at_ms = common::ToUnixMillis(clock_.Now());
    job.due_at_ms = job.created_at_ms;
    ASSERT_TRUE(
        store_->Write([&](store::StoreTransaction& txn) { return txn.InsertJob(job); }).ok());
  }

  store::JobStatus StatusOf(const std::string& job_id) {
    store::JobStatus status = store::JobStatus::kPending;
    EXPECT_TRUE(store_
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(std::optional<store::Job> job, txn.GetJob(job_id));
                      if (!job.has_value()) return absl::NotFoundError(job_id);
                      status = job->status;
                      return absl::OkStatus();
                    })
                    .ok());
    return status;
  }

  // Write transactions the store has started so far (each claim, completion
  // batch and probe is one).
  int64_t StoreWrites() { return store_->CommitCountForTest(); }

  std::string path_;
  testing::FakeClock clock_;
  std::unique_ptr<testing::FaultInjectionVfs> vfs_;
  std::unique_ptr<store::SqliteStore> store_;
  CountingHandler handler_;
  StoreHealth health_;
  std::unique_ptr<JobRunner> runner_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_logger_;
};

TEST_F(JobRunnerStoreFailureTest, FailedTurnsBackOffExponentiallyUpToTheCap) {
  EnqueueDueJob("j1");
  vfs_->FailWritesWith(SQLITE_FULL);
  const absl::Time start = clock_.Now();
  // The thread may wake far more often than the schedule (Notify-free wake-ups,
  // a short max_idle_wait): turns before the retry time must not touch the store.
  std::vector<absl::Duration> attempts;
  for (absl::Duration elapsed; elapsed <= absl::Seconds(120); elapsed += absl::Milliseconds(10)) {
    clock_.Set(start + elapsed);
    const int64_t before = StoreWrites();
    runner_->RunOnce();
    if (StoreWrites() != before) {
      EXPECT_EQ(StoreWrites() - before, 1) << "one claim per turn at " << elapsed;
      attempts.push_back(elapsed);
    }
  }
  // 100 ms, doubling, capped at 30 s: 0, +0.1, +0.2, +0.4 ... +25.6, +30, +30.
  const std::vector<absl::Duration> expected = {
      absl::ZeroDuration(),      absl::Milliseconds(100),   absl::Milliseconds(300),
      absl::Milliseconds(700),   absl::Milliseconds(1500),  absl::Milliseconds(3100),
      absl::Milliseconds(6300),  absl::Milliseconds(12700), absl::Milliseconds(25500),
      absl::Milliseconds(51100), absl::Milliseconds(81100), absl::Milliseconds(111100)};
  EXPECT_EQ(attempts, expected);
  EXPECT_EQ(handler_.completions.load(), 0);
  StoreHealth::State state = health_.Get();
  EXPECT_TRUE(state.writes_failing);
  EXPECT_EQ(state.failed_writes, 12);
  EXPECT_EQ(state.failing_since, start);
  EXPECT_NE(state.last_error.find("database or disk is full"), std::string::npos)
      << state.last_error;
  // Two minutes of failures, two error lines: the first, and one a minute later
  // saying how many were held back.
  EXPECT_EQ(CountLines(log_.str(), "job runner: store write"), 2) << log_.str();
  EXPECT_EQ(CountLines(log_.str(), "(9 similar lines suppressed)"), 1) << log_.str();

  // Space again: the next scheduled turn (30 s after the last) completes the
  // job and clears the signal; the back-off is over.
  vfs_->Disarm();
  clock_.Set(start + absl::Milliseconds(141100) - absl::Milliseconds(10));
  runner_->RunOnce();
  EXPECT_EQ(handler_.completions.load(), 0);
  clock_.Set(start + absl::Milliseconds(141100));
  EXPECT_LE(runner_->RunOnce(), JobRunnerOptions{}.max_idle_wait);
  EXPECT_EQ(StatusOf("j1"), store::JobStatus::kSucceeded);
  EXPECT_FALSE(health_.Get().writes_failing);
  EXPECT_EQ(CountLines(log_.str(),
                       "store writes succeed again after 12 failed attempts in 2m21.1s "
                       "(1 similar lines suppressed)"),
            1)
      << log_.str();
}

TEST_F(JobRunnerStoreFailureTest, NotifyEndsTheBackOff) {
  EnqueueDueJob("j1");
  vfs_->FailWritesWith(SQLITE_FULL);
  EXPECT_EQ(runner_->RunOnce(), absl::Milliseconds(100));
  EXPECT_EQ(runner_->RunOnce(), absl::Milliseconds(100));  // not yet: no store access
  vfs_->Disarm();
  // Another writer committed (a request queued a job): worth trying now.
  runner_->Notify();
  runner_->RunOnce();
  EXPECT_EQ(StatusOf("j1"), store::JobStatus::kSucceeded);
  EXPECT_FALSE(health_.Get().writes_failing);
}

TEST_F(JobRunnerStoreFailureTest, ProbesWhileAnotherWriterReportsFailures) {
  // No job is due, so a turn's claim writes nothing: only a probe write can
  // tell whether the disk has room.
  vfs_->FailWritesWith(SQLITE_FULL);
  health_.RecordFailure(kWriterRequest, absl::UnavailableError("disk full"), clock_.Now());
  const int64_t before = StoreWrites();
  EXPECT_EQ(runner_->RunOnce(), absl::Milliseconds(100));
  EXPECT_EQ(StoreWrites() - before, 2);  // the claim and the failed probe
  EXPECT_EQ(health_.Get().failed_writes, 2);
  vfs_->Disarm();
  clock_.Advance(absl::Milliseconds(100));
  runner_->RunOnce();
  EXPECT_FALSE(health_.Get().writes_failing);
  // The probe left nothing behind.
  EXPECT_TRUE(store_
                  ->Read([](store::StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::optional<store::IdempotencyRecord> record,
                                     txn.GetIdempotencyRecord(kProbeScope, "probe"));
                    EXPECT_FALSE(record.has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(JobRunnerStoreFailureTest, HealthyIdleTurnsDoNotProbe) {
  const int64_t before = StoreWrites();
  EXPECT_EQ(runner_->RunOnce(), JobRunnerOptions{}.max_idle_wait);
  EXPECT_EQ(StoreWrites() - before, 1);  // the claim only
  EXPECT_EQ(CountLines(log_.str(), "job runner"), 0) << log_.str();
}

}  // namespace
}  // namespace connectplane::jobs
