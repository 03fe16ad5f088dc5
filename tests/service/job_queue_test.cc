// JobQueue, the one way services create jobs: a job is written with the
// change that asks for it or not at all, scheduled by its type's timing, built
// from the caller, audited, completed inline when configured, and read-gated
// jobs become due after the configured number of reads.
#include "service/job_queue.h"

#include "common/status.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <optional>
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kType[] = "test.touch";

// Completes kType jobs by recording that they ran; fails permanently when the
// resource id says so.
class TouchJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction&, const store::Job& job, absl::Time) override {
    if (job.resource_id == "doomed") {
      return absl::FailedPreconditionError("doomed");
    }
    ++completed;
    return absl::OkStatus();
  }
  absl::Status OnFailed(store::StoreTransaction&, const store::Job&, absl::Time) override {
    ++failed;
    return absl::OkStatus();
  }
  int completed = 0;
  int failed = 0;
};

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override { services_.runner.RegisterHandler(kType, &handler_); }

  // Submits a kType job for `resource`; `change` runs in the transaction first.
  absl::StatusOr<std::string> Submit(std::string resource, absl::Status change = absl::OkStatus()) {
    return services_.jobs.Submit(
        kCaller, "Touch",
        [&](store::StoreTransaction&, const Mutation& mutation) -> absl::StatusOr<JobRequest> {
          EXPECT_EQ(mutation.now, services_.clock.Now());
          EXPECT_FALSE(mutation.job_id.empty());
          RETURN_IF_ERROR(change);
          return JobRequest{kType, "touch", resource, R"({"k":1})"};
        });
  }

  std::optional<store::Job> Job(const std::string& job_id) {
    std::optional<store::Job> job;
    EXPECT_TRUE(services_.store
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(job, txn.GetJob(job_id));
                      return absl::OkStatus();
                    })
                    .ok());
    return job;
  }

  std::vector<store::AuditEntry> Trail() {
    std::vector<store::AuditEntry> trail;
    EXPECT_TRUE(services_.store
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(trail, txn.ListAudit({}));
                      return absl::OkStatus();
                    })
                    .ok());
    return trail;
  }

  const Caller kCaller{"tenant-1", "user", "uid-1", "AK-1", "req-1"};
  testing::ServiceFixture services_;
  TouchJob handler_;
};

TEST_F(JobQueueTest, BuildsTheJobFromTheCallerAndSchedulesItByItsTiming) {
  services_.timings.Set(kType, absl::Seconds(5));
  auto job_id = Submit("r1");
  ASSERT_TRUE(job_id.ok()) << job_id.status();
  std::optional<store::Job> job = Job(*job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->tenant_id, "tenant-1");
  EXPECT_EQ(job->user_name, "user");
  EXPECT_EQ(job->user_id, "uid-1");
  EXPECT_EQ(job->resource_id, "r1");
  EXPECT_EQ(job->job_type, kType);
  EXPECT_EQ(job->name, "touch");
  EXPECT_EQ(job->params_json, R"({"k":1})");
  EXPECT_EQ(job->status, store::JobStatus::kPending);
  EXPECT_EQ(job->due_at_ms, common::ToUnixMillis(services_.clock.Now() + absl::Seconds(5)));
  EXPECT_EQ(job->reads_remaining, 0);
  EXPECT_EQ(services_.runner_wakeups.load(), 1);
  // Its audit entry: "" -> PENDING by the caller, with the request id.
  std::vector<store::AuditEntry> trail = Trail();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].resource_type, store::kAuditJob);
  EXPECT_EQ(trail[0].resource_id, *job_id);
  EXPECT_EQ(trail[0].to_status, "PENDING");
  EXPECT_EQ(trail[0].actor, "AK-1");
  EXPECT_EQ(trail[0].request_id, "req-1");
  // Not before its time.
  EXPECT_EQ(services_.RunJobsAfter(absl::Seconds(4)), 0);
  EXPECT_EQ(services_.RunJobsAfter(absl::Seconds(1)), 1);
  EXPECT_EQ(handler_.completed, 1);
}

TEST_F(JobQueueTest, ARefusedChangeWritesNoJob) {
  auto refused = Submit("r1", common::FailedPrecondition("BUSY", "busy"));
  EXPECT_EQ(common::ReasonOf(refused.status()), "BUSY");
  EXPECT_TRUE(Trail().empty());
  EXPECT_EQ(services_.runner_wakeups.load(), 0);
  EXPECT_EQ(services_.RunJobsAfter(absl::Hours(1)), 0);
}

TEST_F(JobQueueTest, ReportsStoreFailuresButNotRefusalsToTheStoreHealth) {
  jobs::StoreHealth health;
  services_.jobs.ReportStoreHealthTo(&health);
  ASSERT_FALSE(Submit("r1", common::FailedPrecondition("BUSY", "busy")).ok());
  EXPECT_FALSE(health.writes_failing());
  // What the store answers when the disk is full.
  ASSERT_FALSE(Submit("r1", absl::UnavailableError("database or disk is full (rc=13)")).ok());
  EXPECT_TRUE(health.writes_failing());
  EXPECT_EQ(health.Get().last_error, "UNAVAILABLE: database or disk is full (rc=13)");
  ASSERT_TRUE(Submit("r1").ok());
  EXPECT_FALSE(health.writes_failing());
}

TEST_F(JobQueueTest, ReadGatedJobBecomesDueAfterItsReads) {
  services_.timings.SetTiming(kType, JobTiming{.reads = 2});
  auto job_id = Submit("r1");
  ASSERT_TRUE(job_id.ok());
  EXPECT_EQ(Job(*job_id)->reads_remaining, 2);
  EXPECT_EQ(Job(*job_id)->due_at_ms, store::kNeverDue);
  EXPECT_EQ(services_.RunJobsAfter(absl::Hours(1)), 0) << "time alone never makes it due";
  ASSERT_TRUE(services_.jobs.CountRead("tenant-1", "r1").ok());
  ASSERT_TRUE(services_.jobs.CountRead("other-tenant", "r1").ok());  // not its tenant
  ASSERT_TRUE(services_.jobs.CountRead("tenant-1", "r2").ok());      // not its resource
  EXPECT_EQ(Job(*job_id)->reads_remaining, 1);
  const int wakeups = services_.runner_wakeups.load();
  const std::vector<std::string_view> read = {"r2", "r1"};
  ASSERT_TRUE(services_.jobs.CountReads("tenant-1", read).ok());
  EXPECT_EQ(Job(*job_id)->reads_remaining, 0);
  EXPECT_EQ(services_.runner_wakeups.load(), wakeups + 1) << "the runner is woken when due";
  EXPECT_EQ(services_.RunJobsAfter(absl::ZeroDuration()), 1);
}

TEST_F(JobQueueTest, InlineCompletionFinishesInstantJobsInTheRequest) {
  services_.timings.Set(kType, absl::ZeroDuration());
  services_.jobs.CompleteInstantJobsWith(&services_.runner);
  auto done = Submit("r1");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(Job(*done)->status, store::JobStatus::kSucceeded);
  EXPECT_EQ(handler_.completed, 1);
  EXPECT_EQ(services_.runner_wakeups.load(), 0) << "nothing left for the runner";
  // A permanent failure ends the job FAILED in the same request.
  auto failed = Submit("doomed");
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(Job(*failed)->status, store::JobStatus::kFailed);
  EXPECT_EQ(handler_.failed, 1);
  // A timed job still goes to the runner.
  services_.timings.Set(kType, absl::Seconds(1));
  auto timed = Submit("r2");
  ASSERT_TRUE(timed.ok());
  EXPECT_EQ(Job(*timed)->status, store::JobStatus::kPending);
  EXPECT_EQ(services_.runner_wakeups.load(), 1);
}

TEST_F(JobQueueTest, CountingReadsIsFreeUntilReadGatingIsUsed) {
  // Nothing was ever read-gated: a read costs no write transaction.
  const int64_t commits = services_.store->CommitCountForTest();
  EXPECT_TRUE(services_.jobs.CountRead("tenant-1", "r1").ok());
  const std::vector<std::string_view> read = {"r1", "r2"};
  EXPECT_TRUE(services_.jobs.CountReads("tenant-1", read).ok());
  EXPECT_EQ(services_.store->CommitCountForTest(), commits);
}

}  // namespace
}  // namespace connectplane::service
