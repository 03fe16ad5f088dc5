#include "jobs/job_runner.h"

#include "common/status.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include <atomic>
#include <memory>
#include <thread>
#include <unistd.h>

namespace connectplane::jobs {
namespace {

// Records completions in the instance's name so effects are observable in the
// same transaction the runner commits.
class RecordingHandler final : public JobHandler {
 public:
  absl::Status next_result = absl::OkStatus();
  std::atomic<int> completions{0};
  std::atomic<int> failures{0};

  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job, absl::Time) override {
    ++completions;
    ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                     txn.GetKafkaInstance(job.tenant_id, job.resource_id));
    instance->name += "+" + job.job_id;
    RETURN_IF_ERROR(txn.UpdateKafkaInstance(*instance));
    return next_result;
  }
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job, absl::Time) override {
    ++failures;
    ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                     txn.GetKafkaInstance(job.tenant_id, job.resource_id));
    instance->status = "FAILED_CLEANUP";
    return txn.UpdateKafkaInstance(*instance);
  }
};

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::SqliteStore::Open(":memory:"));
    store::KafkaInstance instance;
    instance.project_id = "p1";
    instance.instance_id = "i1";
    instance.name = "kafka";
    instance.status = "RUNNING";
    ASSERT_TRUE(
        store_
            ->Write([&](store::StoreTransaction& txn) { return txn.InsertKafkaInstance(instance); })
            .ok());
    runner_ = std::make_unique<JobRunner>(*store_, clock_, JobRunnerOptions{});
    runner_->RegisterHandler("test.job", &handler_);
  }

  void Enqueue(const std::string& job_id, absl::Duration delay, std::string type = "test.job",
               std::string lease_owner = "", absl::Duration lease_left = absl::ZeroDuration()) {
    store::Job job;
    job.lease_owner = std::move(lease_owner);
    job.lease_expires_at_ms = common::ToUnixMillis(clock_.Now() + lease_left);
    job.job_id = job_id;
    job.tenant_id = "p1";
    job.resource_id = "i1";
    job.job_type = std::move(type);
    job.name = "test";
    job.created_at_ms = common::ToUnixMillis(clock_.Now());
    job.due_at_ms = common::ToUnixMillis(clock_.Now() + delay);
    ASSERT_TRUE(
        store_->Write([&](store::StoreTransaction& txn) { return txn.InsertJob(job); }).ok());
  }

  store::Job LoadJob(const std::string& job_id) {
    store::Job job;
    EXPECT_TRUE(store_
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      job = **txn.GetJob(job_id);
                      return absl::OkStatus();
                    })
                    .ok());
    return job;
  }

  store::KafkaInstance LoadInstance() {
    store::KafkaInstance instance;
    EXPECT_TRUE(store_
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      instance = **txn.GetKafkaInstance("p1", "i1");
                      return absl::OkStatus();
                    })
                    .ok());
    return instance;
  }

  testing::FakeClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
  RecordingHandler handler_;
  std::unique_ptr<JobRunner> runner_;
};

TEST_F(JobRunnerTest, RunsJobOnlyOnceItIsDue) {
  Enqueue("j1", absl::Seconds(5));
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kPending);
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  store::Job job = LoadJob("j1");
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(LoadInstance().name, "kafka+j1");
}

TEST_F(JobRunnerTest, CompletedJobIsNeverAppliedTwice) {
  Enqueue("j1", absl::ZeroDuration());
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  JobRunner second_runner(*store_, clock_);
  second_runner.RegisterHandler("test.job", &handler_);
  EXPECT_EQ(*second_runner.RunDueJobs(), 0);
  EXPECT_EQ(handler_.completions.load(), 1);
  EXPECT_EQ(LoadInstance().name, "kafka+j1");
}

TEST_F(JobRunnerTest, PermanentFailureRollsBackEffectsAndMarksFailed) {
  handler_.next_result = absl::FailedPreconditionError("instance moved");
  Enqueue("j1", absl::ZeroDuration());
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  store::Job job = LoadJob("j1");
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(job.error, "instance moved");
  store::KafkaInstance instance = LoadInstance();
  EXPECT_EQ(instance.name, "kafka");  // Complete()'s write was rolled back
  EXPECT_EQ(instance.status, "FAILED_CLEANUP");
  EXPECT_EQ(handler_.failures.load(), 1);
}

TEST_F(JobRunnerTest, TransientFailureBacksOffThenSucceeds) {
  handler_.next_result = absl::UnavailableError("database hiccup");
  Enqueue("j1", absl::ZeroDuration());
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  store::Job job = LoadJob("j1");
  EXPECT_EQ(job.status, store::JobStatus::kPending);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(*runner_->RunDueJobs(), 0);  // backing off
  handler_.next_result = absl::OkStatus();
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kSucceeded);
}

TEST_F(JobRunnerTest, GivesUpAfterMaxAttempts) {
  handler_.next_result = absl::UnavailableError("still down");
  Enqueue("j1", absl::ZeroDuration());
  for (int attempt = 0; attempt < 10; ++attempt) {
    ASSERT_TRUE(runner_->RunDueJobs().ok());
    clock_.Advance(absl::Seconds(10));
  }
  store::Job job = LoadJob("j1");
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(job.attempts, JobRunnerOptions{}.max_attempts);
}

TEST_F(JobRunnerTest, UnknownJobTypeFails) {
  Enqueue("j1", absl::ZeroDuration(), "nobody.handles.this");
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kFailed);
}

TEST_F(JobRunnerTest, LeaseOfAnotherRunnerBlocksUntilItExpires) {
  Enqueue("j1", absl::ZeroDuration(), "test.job", "other-host/4242/abcd1234", absl::Seconds(10));
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  clock_.Advance(absl::Seconds(9));
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  clock_.Advance(absl::Seconds(2));  // the crashed runner's lease expired: take over
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  store::Job job = LoadJob("j1");
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(job.lease_owner, "");
  EXPECT_EQ(handler_.completions.load(), 1);
}

TEST_F(JobRunnerTest, TurnWaitsUntilTheNextJobIsDue) {
  Enqueue("later", absl::Milliseconds(300));
  EXPECT_EQ(runner_->RunOnce(), absl::Milliseconds(300));
  clock_.Advance(absl::Milliseconds(300));
  EXPECT_EQ(runner_->RunOnce(), JobRunnerOptions{}.max_idle_wait);  // ran it; nothing left
  EXPECT_EQ(LoadJob("later").status, store::JobStatus::kSucceeded);
}

TEST_F(JobRunnerTest, TurnPollsRatherThanSpinsOnJobsLeasedByAnotherRunner) {
  // Overdue but leased elsewhere: "wait until it is due" would be no wait at
  // all, a busy loop until the other runner finishes or its lease expires.
  Enqueue("j1", absl::ZeroDuration(), "test.job", "other-host/4242/abcd1234", absl::Seconds(10));
  EXPECT_EQ(runner_->RunOnce(), JobRunnerOptions{}.max_idle_wait);
  EXPECT_EQ(handler_.completions.load(), 0);
}

TEST_F(JobRunnerTest, StartupRecoveryFreesLeasesOfDeadLocalProcessesOnly) {
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  // A pid above the kernel's maximum never exists.
  Enqueue("dead", absl::ZeroDuration(), "test.job", std::string(host) + "/99999999/deadbeef",
          absl::Hours(1));
  Enqueue("live", absl::ZeroDuration(), "test.job",
          std::string(host) + "/" + std::to_string(getppid()) + "/feedface", absl::Hours(1));
  Enqueue("remote", absl::ZeroDuration(), "test.job", "elsewhere/1/cafebabe", absl::Hours(1));
  ASSERT_TRUE(runner_->RecoverAbandonedLeases().ok());
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_EQ(LoadJob("dead").status, store::JobStatus::kSucceeded);
  EXPECT_EQ(LoadJob("live").status, store::JobStatus::kPending);
  EXPECT_EQ(LoadJob("remote").status, store::JobStatus::kPending);
}

TEST_F(JobRunnerTest, ShutdownReleasesLeasesSoAnotherRunnerClaimsAtOnce) {
  // Claimed by this runner (a batch cut short by a store failure), lease still running.
  Enqueue("j1", absl::ZeroDuration(), "test.job", runner_->owner_id(), absl::Seconds(10));
  Enqueue("theirs", absl::ZeroDuration(), "test.job", "other-host/4242/abcd1234",
          absl::Seconds(10));
  JobRunner other(*store_, clock_, JobRunnerOptions{});
  other.RegisterHandler("test.job", &handler_);
  EXPECT_EQ(*other.RunDueJobs(), 0);  // both leased elsewhere

  ASSERT_TRUE(runner_->StopAndReleaseLeases().ok());
  EXPECT_EQ(LoadJob("j1").lease_owner, "");
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kPending);
  EXPECT_EQ(LoadJob("theirs").lease_owner, "other-host/4242/abcd1234");  // not ours to free

  // Another runner (another replica) takes it at once, long before the lease would expire.
  EXPECT_EQ(*other.RunDueJobs(), 1);
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kSucceeded);
  EXPECT_EQ(LoadJob("theirs").status, store::JobStatus::kPending);
}

TEST_F(JobRunnerTest, TwoRunnersNeverCompleteOneJobTwice) {
  JobRunner other(*store_, clock_);
  other.RegisterHandler("test.job", &handler_);
  for (int job_idx = 0; job_idx < 20; ++job_idx) {
    Enqueue("j" + std::to_string(job_idx), absl::ZeroDuration());
  }
  std::atomic<int> finished{0};
  std::thread first([&] { finished += *runner_->RunDueJobs(); });
  std::thread second([&] { finished += *other.RunDueJobs(); });
  first.join();
  second.join();
  EXPECT_EQ(finished.load(), 20);
  EXPECT_EQ(handler_.completions.load(), 20);
  EXPECT_NE(runner_->owner_id(), other.owner_id());
}

TEST_F(JobRunnerTest, BackgroundThreadCompletesJobsAfterNotify) {
  // Real time here: the job is due immediately, the thread is woken by Notify.
  runner_->Start();
  Enqueue("j1", absl::ZeroDuration());
  runner_->Notify();
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (LoadJob("j1").status == store::JobStatus::kPending && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  runner_->Stop();
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kSucceeded);
  runner_->Stop();  // idempotent
}

// ---- Inline completion (--instant-jobs inline) ----

// One injected failure for "test.job", then none.
class OneFault final : public JobFaultSource {
 public:
  std::optional<std::string> TakeJobFault(std::string_view job_type) override {
    if (job_type != "test.job" || taken_) return std::nullopt;
    taken_ = true;
    return "injected";
  }

 private:
  bool taken_ = false;
};

class InlineCompletionTest : public JobRunnerTest {
 protected:
  // Plays the request: renames the instance (its own write), inserts the job
  // and completes it inline, all in one transaction; `request_status` is what
  // the request then returns (an error rolls the whole transaction back).
  absl::StatusOr<std::optional<store::Job>> Request(
      const std::string& job_id, std::string type = "test.job",
      absl::Status request_status = absl::OkStatus()) {
    store::Job job;
    job.job_id = job_id;
    job.tenant_id = "p1";
    job.resource_id = "i1";
    job.job_type = std::move(type);
    job.name = "test";
    job.created_at_ms = common::ToUnixMillis(clock_.Now());
    job.due_at_ms = job.created_at_ms;
    std::optional<store::Job> completed;
    absl::Status written = store_->Write([&](store::StoreTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                       txn.GetKafkaInstance("p1", "i1"));
      instance->name = "request";
      RETURN_IF_ERROR(txn.UpdateKafkaInstance(*instance));
      RETURN_IF_ERROR(txn.InsertJob(job));
      ASSIGN_OR_RETURN(completed, runner_->CompleteInline(txn, job, clock_.Now()));
      return request_status;
    });
    if (!written.ok()) return written;
    return completed;
  }
};

TEST_F(InlineCompletionTest, JobFinishesInTheRequestsCommit) {
  auto completed = Request("j1");
  ASSERT_TRUE(completed.ok()) << completed.status();
  ASSERT_TRUE(completed->has_value());
  EXPECT_EQ((*completed)->status, store::JobStatus::kSucceeded);
  store::Job stored = LoadJob("j1");
  EXPECT_EQ(stored.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(LoadInstance().name, "request+j1");
  EXPECT_EQ(*runner_->RunDueJobs(), 0);  // nothing left for the runner
  EXPECT_EQ(handler_.completions.load(), 1);
}

TEST_F(InlineCompletionTest, PermanentFailureRollsBackOnlyTheHandler) {
  handler_.next_result = absl::FailedPreconditionError("instance moved");
  auto completed = Request("j1");
  ASSERT_TRUE(completed.ok()) << completed.status();
  ASSERT_TRUE(completed->has_value());
  store::Job stored = LoadJob("j1");
  EXPECT_EQ(stored.status, store::JobStatus::kFailed);
  EXPECT_EQ(stored.error, "instance moved");
  store::KafkaInstance instance = LoadInstance();
  EXPECT_EQ(instance.name, "request");  // the request's write stays, the handler's does not
  EXPECT_EQ(instance.status, "FAILED_CLEANUP");
}

TEST_F(InlineCompletionTest, TransientFailureLeavesTheJobToTheRunner) {
  handler_.next_result = absl::UnavailableError("backend busy");
  auto completed = Request("j1");
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_FALSE(completed->has_value());
  store::Job stored = LoadJob("j1");
  EXPECT_EQ(stored.status, store::JobStatus::kPending);
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(LoadInstance().name, "request");
  handler_.next_result = absl::OkStatus();
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kSucceeded);
  EXPECT_EQ(LoadInstance().name, "request+j1");
}

TEST_F(InlineCompletionTest, InjectedFaultFailsWithoutTheHandler) {
  OneFault faults;
  runner_->SetFaultSource(&faults);
  auto completed = Request("j1");
  ASSERT_TRUE(completed.ok()) << completed.status();
  ASSERT_TRUE(completed->has_value());
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kFailed);
  EXPECT_EQ(LoadJob("j1").error, "injected");
  EXPECT_EQ(handler_.completions.load(), 0);
  EXPECT_EQ(LoadInstance().status, "FAILED_CLEANUP");
}

TEST_F(InlineCompletionTest, FailedRequestLeavesNoTrace) {
  auto completed = Request("j1", "test.job", absl::AbortedError("request lost its race"));
  EXPECT_TRUE(absl::IsAborted(completed.status()));
  EXPECT_EQ(LoadInstance().name, "kafka");
  EXPECT_TRUE(store_
                  ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                    EXPECT_FALSE(txn.GetJob("j1")->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(InlineCompletionTest, UnknownTypeIsLeftToTheRunner) {
  auto completed = Request("j1", "no.such.type");
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_FALSE(completed->has_value());
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kPending);
  EXPECT_EQ(*runner_->RunDueJobs(), 1);  // which fails it as before
  EXPECT_EQ(LoadJob("j1").status, store::JobStatus::kFailed);
}

}  // namespace
}  // namespace connectplane::jobs
