// Probe finding: with 20 pages of garbage in the middle of the SQLite file the
// server started, /healthz and /_connectplane/health said ok, and only the
// calls that touched the bad pages failed (500), each time. Open (what the
// server's start-up calls) now runs PRAGMA quick_check first and refuses the
// file, naming it and what is wrong. (The check's budget and the other
// outcomes: tests/store/sqlite_integrity_test.cc; the binary:
// tests/integration/damaged_database_test.py.)
#include "store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/damaged_sqlite.h"
#include <string>

namespace connectplane {
namespace {

using ::testing::HasSubstr;

TEST(DamagedSqliteFileTest, OpenRefusesGarbagePagesInTheMiddleOfTheFile) {
  const std::string path = testing::TempDatabasePath("damaged");
  const int64_t pages = testing::MakeStoreDatabase(path);
  ASSERT_GT(pages, 60);
  testing::WriteGarbagePages(path, pages / 2, 20);  // the probe's 20 pages, far from page 1

  auto store = store::SqliteStore::Open(path);
  ASSERT_FALSE(store.ok()) << "a damaged file was opened";
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  EXPECT_THAT(store.status().message(), HasSubstr("sqlite database " + path + " is damaged"));
  EXPECT_THAT(store.status().message(), HasSubstr("is damaged: PRAGMA quick_check: "));
  testing::RemoveDatabase(path);
}

}  // namespace
}  // namespace connectplane
