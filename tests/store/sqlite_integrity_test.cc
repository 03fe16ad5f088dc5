// The start-up integrity check of SqliteStore::Open (SqliteOptions::
// integrity_check_budget, --integrity-check-seconds): a damaged file is refused
// with its path and the cause, a healthy one passes, a check out of time lets
// the store open (the file only partly checked), and a zero budget skips it.
#include "store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/damaged_sqlite.h"
#include <fstream>
#include <string>

namespace connectplane::store {
namespace {

using ::testing::HasSubstr;

class SqliteIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDatabasePath("integrity");
    pages_ = testing::MakeStoreDatabase(path_);
    ASSERT_GT(pages_, 60);
  }
  void TearDown() override { testing::RemoveDatabase(path_); }

  std::string path_;
  int64_t pages_ = 0;
};

TEST_F(SqliteIntegrityTest, HealthyFilePassesAndOpens) {
  auto check = SqliteStore::CheckIntegrity(path_, {}, absl::Seconds(10));
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->complete);
  EXPECT_TRUE(SqliteStore::Open(path_).ok());
}

TEST_F(SqliteIntegrityTest, GarbagePagesInTheMiddleAreNamedWithThePath) {
  testing::WriteGarbagePages(path_, pages_ / 2, 20);
  auto check = SqliteStore::CheckIntegrity(path_, {}, absl::Seconds(10));
  ASSERT_FALSE(check.ok());
  EXPECT_TRUE(absl::IsDataLoss(check.status())) << check.status();
  EXPECT_THAT(check.status().message(), HasSubstr("sqlite database " + path_ + " is damaged"));
  // SQLite's own findings, e.g. "Page 182: btreeInitPage() returns error code 11".
  EXPECT_THAT(check.status().message(), HasSubstr("is damaged: PRAGMA quick_check: Page "));
  EXPECT_THAT(check.status().message(), HasSubstr("restore it from a backup"));
}

TEST_F(SqliteIntegrityTest, GarbageHeaderIsNotADatabase) {
  testing::WriteGarbagePages(path_, 1, 1);
  auto store = SqliteStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  EXPECT_THAT(store.status().message(),
              HasSubstr("sqlite database " + path_ + " is damaged: file is not a database"));
}

TEST_F(SqliteIntegrityTest, TextFileIsNotADatabase) {
  testing::RemoveDatabase(path_);
  std::ofstream(path_) << "not a database, just some text that is long enough to look at\n";
  auto store = SqliteStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(path_));
  EXPECT_THAT(store.status().message(), HasSubstr("file is not a database"));
}

TEST_F(SqliteIntegrityTest, CheckOutOfTimeLetsTheStoreOpen) {
  // A spent budget stops the check at its first progress call (every 1,000
  // virtual machine steps; the 400 rows take several times that).
  auto check = SqliteStore::CheckIntegrity(path_, {}, absl::Nanoseconds(1));
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->complete);
  SqliteOptions options;
  options.integrity_check_budget = absl::Nanoseconds(1);
  EXPECT_TRUE(SqliteStore::Open(path_, options).ok());  // with a warning in the log
}

TEST_F(SqliteIntegrityTest, ZeroBudgetSkipsTheCheck) {
  testing::WriteGarbagePages(path_, pages_ / 2, 20);
  SqliteOptions options;
  options.integrity_check_budget = absl::ZeroDuration();
  EXPECT_TRUE(SqliteStore::Open(path_, options).ok());  // as before the check existed
}

TEST_F(SqliteIntegrityTest, NewAndInMemoryDatabasesHaveNothingToCheck) {
  testing::RemoveDatabase(path_);
  EXPECT_TRUE(SqliteStore::Open(path_).ok());
  EXPECT_TRUE(SqliteStore::Open(":memory:").ok());
}

}  // namespace
}  // namespace connectplane::store
