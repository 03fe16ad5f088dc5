// The SQLite query helpers of store/internal/sqlite_statement.h: a step that
// fails, even after some rows were read, is returned as an error and never
// taken for the end of the rows. The failure is an interrupt raised by a
// progress handler once the reader has seen a given number of rows.
#include "store/internal/sqlite_statement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace connectplane::store::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int kRows = 100;

class SqliteStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    conn_ = std::make_unique<SqliteConnection>(db);
    ASSERT_TRUE(Exec(db,
                     "CREATE TABLE numbers (n INTEGER PRIMARY KEY, label TEXT);"
                     "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq "
                     "WHERE n < 100) INSERT INTO numbers SELECT n, 'n' || n FROM seq")
                    .ok());
    // Called between virtual machine steps; non-zero interrupts the statement.
    sqlite3_progress_handler(
        db, 1, [](void* interrupt) { return *static_cast<bool*>(interrupt) ? 1 : 0; }, &interrupt_);
  }

  // Every statement step on the connection fails with SQLITE_INTERRUPT from now on.
  void InterruptFromNowOn() { interrupt_ = true; }

  std::unique_ptr<SqliteConnection> conn_;
  bool interrupt_ = false;
};

TEST_F(SqliteStatementTest, QueryAllReadsEveryRow) {
  auto numbers =
      QueryAll(*conn_, "SELECT n FROM numbers WHERE n <= ? ORDER BY n", BindArgs(3), kReadInt);
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  EXPECT_THAT(*numbers, ElementsAre(1, 2, 3));
}

TEST_F(SqliteStatementTest, QueryAllReturnsAStepThatFailsMidLoopInsteadOfTheRowsSoFar) {
  int rows_read = 0;
  auto numbers =
      QueryAll(*conn_, "SELECT n FROM numbers ORDER BY n", BindArgs(), [&](const Statement& row) {
        if (++rows_read == 10) {
          InterruptFromNowOn();
        }
        return row.Int(0);
      });
  EXPECT_EQ(rows_read, 10);
  ASSERT_FALSE(numbers.ok()) << "returned " << numbers->size() << " of " << kRows << " rows";
  EXPECT_THAT(numbers.status().message(), HasSubstr("interrupted"));
  EXPECT_THAT(numbers.status().message(), HasSubstr("SELECT n FROM numbers"));
}

TEST_F(SqliteStatementTest, ForEachRowReturnsAStepThatFailsMidLoop) {
  absl::StatusOr<sqlite3_stmt*> prepared = conn_->Prepare("SELECT label FROM numbers ORDER BY n");
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  Statement stmt(conn_->db(), *prepared);
  std::vector<std::string> labels;
  absl::Status status = ForEachRow(stmt, [&](const Statement& row) {
    labels.push_back(row.Text(0));
    if (labels.size() == 2) {
      InterruptFromNowOn();
    }
  });
  EXPECT_THAT(labels, ElementsAre("n1", "n2"));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("interrupted"));
}

TEST_F(SqliteStatementTest, ForEachRowStopsAtTheFirstErrorOfItsCallback) {
  absl::StatusOr<sqlite3_stmt*> prepared = conn_->Prepare("SELECT n FROM numbers ORDER BY n");
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  Statement stmt(conn_->db(), *prepared);
  int rows_read = 0;
  absl::Status status = ForEachRow(stmt, [&](const Statement& row) -> absl::Status {
    ++rows_read;
    if (row.Int(0) == 5) {
      return absl::DataLossError("row 5");
    }
    return absl::OkStatus();
  });
  EXPECT_EQ(rows_read, 5);
  EXPECT_EQ(status, absl::DataLossError("row 5"));
}

TEST_F(SqliteStatementTest, QueryOptionalReturnsTheFirstRowNothingOrTheStepError) {
  auto found =
      QueryOptional(*conn_, "SELECT label FROM numbers WHERE n = ?", BindArgs(7), kReadText);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, std::optional<std::string>("n7"));

  auto missing =
      QueryOptional(*conn_, "SELECT label FROM numbers WHERE n = ?", BindArgs(700), kReadText);
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());

  InterruptFromNowOn();
  auto failed =
      QueryOptional(*conn_, "SELECT label FROM numbers WHERE n = ?", BindArgs(7), kReadText);
  EXPECT_FALSE(failed.ok());
}

TEST_F(SqliteStatementTest, AFailingReaderStopsQueryAll) {
  auto labels = QueryAll(*conn_, "SELECT label FROM numbers ORDER BY n", BindArgs(),
                         [](const Statement& row) -> absl::StatusOr<std::string> {
                           std::string label = row.Text(0);
                           if (label == "n3") {
                             return absl::InternalError("bad label n3");
                           }
                           return label;
                         });
  EXPECT_EQ(labels.status(), absl::InternalError("bad label n3"));
}

TEST_F(SqliteStatementTest, ExecuteReturnsTheRowsItChanged) {
  auto changed =
      Execute(*conn_, "UPDATE numbers SET label = ? WHERE n > ?", BindArgs("big", kRows - 3));
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 3);
  auto big = QueryAll(*conn_, "SELECT n FROM numbers WHERE label = ? ORDER BY n",
                      BindArgs(std::string("big")), kReadInt);
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_THAT(*big, ElementsAre(98, 99, 100));
}

TEST_F(SqliteStatementTest, AFailedBindIsReportedByTheStep) {
  // One placeholder, two values: the second bind is out of range.
  auto changed = Execute(*conn_, "DELETE FROM numbers WHERE n = ?", BindArgs(1, 2));
  ASSERT_FALSE(changed.ok());
  EXPECT_THAT(changed.status().message(), HasSubstr("binding DELETE FROM numbers"));
  auto count = QueryOptional(*conn_, "SELECT COUNT(*) FROM numbers", BindArgs(), kReadInt);
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, std::optional<int64_t>(kRows));
}

TEST_F(SqliteStatementTest, ACachedStatementRunsAgainAfterAFailure) {
  constexpr SqlText kSql = "SELECT n FROM numbers ORDER BY n";
  InterruptFromNowOn();
  EXPECT_FALSE(QueryAll(*conn_, kSql, BindArgs(), kReadInt).ok());
  interrupt_ = false;
  auto numbers = QueryAll(*conn_, kSql, BindArgs(), kReadInt);
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  EXPECT_EQ(numbers->size(), static_cast<size_t>(kRows));
}

TEST_F(SqliteStatementTest, TextBuiltAtRunTimeIsCachedByContent) {
  std::string sql = "SELECT label FROM numbers WHERE n = ?";
  auto first = conn_->Prepare(sql);
  std::string same_text = sql;
  auto second = conn_->Prepare(same_text);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

}  // namespace
}  // namespace connectplane::store::internal
