// IdempotencyService claims, as far as the store health signal is concerned:
// a claim is a request's write, so a store failure there (the disk is full)
// makes /ready false even for requests that never reach their job.
#include "service/idempotency.h"

#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fakes/fake_clock.h"
#include "fakes/fault_injection_vfs.h"
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace connectplane::service {
namespace {

TEST(IdempotencyServiceTest, ReportsClaimWritesToTheStoreHealth) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("idempotency_health-" + std::to_string(::getpid()) + ".db"))
                               .string();
  auto remove_database = [&path] {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  };
  remove_database();
  testing::FaultInjectionVfs vfs("idempotency-full-disk");
  {
    store::SqliteOptions options;
    options.vfs = vfs.name();
    auto store = store::SqliteStore::Open(path, options);
    ASSERT_TRUE(store.ok()) << store.status();
    testing::FakeClock clock;
    jobs::StoreHealth health;
    IdempotencyService idempotency(**store, clock);
    idempotency.ReportStoreHealthTo(&health);

    vfs.FailWritesWith(SQLITE_FULL);
    EXPECT_TRUE(absl::IsUnavailable(idempotency.Begin("dms:p1", "key-1", "hash").status()));
    EXPECT_TRUE(health.writes_failing());

    vfs.Disarm();
    ASSERT_TRUE(idempotency.Begin("dms:p1", "key-1", "hash").ok());
    EXPECT_FALSE(health.writes_failing());
    ASSERT_TRUE(idempotency.Finish("dms:p1", "key-1", "hash", {200, "{}"}).ok());

    // A replay reads only: no evidence that writes work.
    health.RecordFailure(jobs::kWriterRequest, absl::UnavailableError("full"), clock.Now());
    auto replay = idempotency.Begin("dms:p1", "key-1", "hash");
    ASSERT_TRUE(replay.ok() && replay->has_value());
    EXPECT_TRUE(health.writes_failing());
  }
  remove_database();
}

}  // namespace
}  // namespace connectplane::service
