// Probe finding: with the disk full, the job runner's background thread
// retried its failed claim in a tight loop (71 % of a core, 4,000-6,600
// identical error lines a second, again after a restart): after the failed
// claim it waited "until the next job is due", and the overdue job made that
// no wait at all. Now a failed turn backs off over the injected clock, so with
// the clock frozen the thread makes one attempt and then leaves the store
// alone. (The back-off schedule itself: tests/jobs/job_runner_store_failure_test.cc.)
#include "jobs/job_runner.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fakes/fake_clock.h"
#include "fakes/fault_injection_vfs.h"
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace connectplane {
namespace {

class NoopHandler final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction&, const store::Job&, absl::Time) override {
    return absl::OkStatus();
  }
  absl::Status OnFailed(store::StoreTransaction&, const store::Job&, absl::Time) override {
    return absl::OkStatus();
  }
};

TEST(JobRunnerFullDiskTest, BackgroundThreadDoesNotSpinWhileCommitsFail) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("job_runner_full_disk-" + std::to_string(::getpid()) + ".db"))
                               .string();
  auto remove_database = [&path] {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  };
  remove_database();
  testing::FakeClock clock;  // frozen: a back-off never ends
  testing::FaultInjectionVfs vfs("job-runner-full-disk");
  {
    store::SqliteOptions options;
    options.vfs = vfs.name();
    auto store = store::SqliteStore::Open(path, options);
    ASSERT_TRUE(store.ok()) << store.status();
    store::Job job;
    job.job_id = "j1";
    job.tenant_id = "p1";
    job.resource_id = "i1";
    job.job_type = "test.job";
    job.name = "test";
    job.created_at_ms = common::ToUnixMillis(clock.Now());
    job.due_at_ms = job.created_at_ms;
    ASSERT_TRUE(
        (*store)->Write([&](store::StoreTransaction& txn) { return txn.InsertJob(job); }).ok());

    NoopHandler handler;
    jobs::JobRunner runner(**store, clock);
    runner.RegisterHandler("test.job", &handler);
    vfs.FailWritesWith(SQLITE_FULL);
    const int64_t before = (*store)->CommitCountForTest();
    runner.Start();  // lease recovery (nothing to write: commits), then the first claim (fails)
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while ((*store)->CommitCountForTest() < before + 2 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    ASSERT_GE((*store)->CommitCountForTest(), before + 2) << "the runner never tried";
    const int64_t after_first_attempt = (*store)->CommitCountForTest();
    // A negative check: nothing may happen in this window, however loaded the machine.
    absl::SleepFor(absl::Milliseconds(300));
    const int64_t attempts_in_window = (*store)->CommitCountForTest() - after_first_attempt;
    runner.Stop();
    EXPECT_LE(attempts_in_window, 1);
    vfs.Disarm();  // the last connection checkpoints on close
  }
  remove_database();
}

}  // namespace
}  // namespace connectplane
