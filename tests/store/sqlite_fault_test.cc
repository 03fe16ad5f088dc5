// SQLite store under injected read faults (tests/fakes/fault_injection_vfs.h).
// A multi-row read whose step fails part-way must return that step's error.
// Before these tests, DumpTables and the table listing behind DeleteAllData
// took a failed step for the end of the rows and returned OK with what they
// had read so far (DeleteAllData: OK having emptied no table). The caller's
// transaction then failed only at COMMIT, with an error that hid the cause
// (Internal "cannot commit - no transaction is active" after SQLite had rolled
// back on the I/O error) and after the callback had carried on regardless.
#include "common/status.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fakes/fault_injection_vfs.h"
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace connectplane::store {
namespace {

constexpr int kInstances = 200;
constexpr char kProject[] = "p1";

void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
}

KafkaInstance BulkyInstance(int index) {
  KafkaInstance instance;
  instance.project_id = kProject;
  instance.instance_id = "i-" + std::to_string(1000 + index);
  instance.name = "instance-" + std::to_string(index);
  instance.status = "RUNNING";
  instance.specification = "100MB";
  // About a quarter page per row, so the table spans dozens of pages.
  instance.attributes_json = R"({"padding":")" + std::string(1000, 'x') + R"("})";
  instance.created_at_ms = 1000 + index;
  instance.updated_at_ms = 1000 + index;
  return instance;
}

// Each test gets a database whose schema pages come first and whose
// kafka_instances rows all live in pages written after them, checkpointed
// into the main file, then reopened through a fault-injecting VFS.
class SqliteFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    path_ = (std::filesystem::temp_directory_path() /
             ("sqlite_fault_test-" + test_name + "-" + std::to_string(::getpid()) + ".db"))
                .string();
    RemoveDatabase(path_);
    {
      // Closing the last connection checkpoints the WAL into the main file.
      auto store = SqliteStore::Open(path_);
      ASSERT_TRUE(store.ok()) << store.status();
    }
    schema_bytes_ = static_cast<int64_t>(std::filesystem::file_size(path_));
    {
      auto store = SqliteStore::Open(path_);
      ASSERT_TRUE(store.ok()) << store.status();
      ASSERT_TRUE((*store)
                      ->Write([](StoreTransaction& txn) -> absl::Status {
                        for (int index = 0; index < kInstances; ++index) {
                          RETURN_IF_ERROR(txn.InsertKafkaInstance(BulkyInstance(index)));
                        }
                        return absl::OkStatus();
                      })
                      .ok());
    }
    ASSERT_GT(static_cast<int64_t>(std::filesystem::file_size(path_)), schema_bytes_ * 2);
    ASSERT_FALSE(std::filesystem::exists(path_ + "-wal")) << "WAL not checkpointed on close";

    vfs_ = std::make_unique<testing::FaultInjectionVfs>("fault-" + test_name);
    SqliteOptions options;
    options.vfs = vfs_->name();
    auto store = SqliteStore::Open(path_, options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void TearDown() override {
    store_.reset();
    vfs_.reset();
    RemoveDatabase(path_);
  }

  // Opens the store again through the VFS, disarmed: fresh connections, so no
  // page a fault spoiled stays cached.
  void Reopen() {
    store_.reset();
    vfs_->Disarm();
    SqliteOptions options;
    options.vfs = vfs_->name();
    auto store = SqliteStore::Open(path_, options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  // Rows of kafka_instances, read after Reopen().
  int64_t InstanceCount() {
    Reopen();
    int64_t total = -1;
    absl::Status status = store_->Read([&](StoreTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(Page<KafkaInstance> page, txn.ListKafkaInstances(kProject, {}, {0, 1}));
      total = page.total;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return total;
  }

  // What DumpTables itself returned, inside a read transaction, and what the
  // transaction returned.
  struct DumpOutcome {
    absl::Status dump;
    size_t instance_rows = 0;
    absl::Status transaction;
  };
  DumpOutcome DumpTables() {
    DumpOutcome outcome;
    outcome.transaction = store_->Read([&](StoreTransaction& txn) -> absl::Status {
      absl::StatusOr<std::vector<TableDump>> dumps = txn.DumpTables();
      outcome.dump = dumps.status();
      if (dumps.ok()) {
        for (const TableDump& dump : *dumps) {
          if (dump.table == "kafka_instances") {
            outcome.instance_rows = dump.rows.size();
          }
        }
      }
      return outcome.dump;
    });
    return outcome;
  }

  // What DeleteAllData itself returned, inside a write transaction, and what
  // the transaction returned.
  std::pair<absl::Status, absl::Status> DeleteAllData() {
    absl::Status reset;
    absl::Status transaction = store_->Write([&](StoreTransaction& txn) {
      reset = txn.DeleteAllData();
      return reset;
    });
    return {reset, transaction};
  }

  // The size of one page, read with a separate connection.
  int64_t PageBytes() {
    sqlite3* other = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &other, SQLITE_OPEN_READONLY, "unix"), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(other, "PRAGMA page_size", -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    int64_t bytes = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(other);
    return bytes;
  }

  // Another connection commits a header-only change, so the store's writer
  // drops its page cache at its next transaction and reads the schema table
  // (the list of tables) from the file again.
  void InvalidateWriterCache() {
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &other, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
  }

  std::string path_;
  int64_t schema_bytes_ = 0;
  std::unique_ptr<testing::FaultInjectionVfs> vfs_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteFaultTest, DumpTablesReturnsTheIoErrorOfAPageItCannotRead) {
  // The table list and every schema page stay readable; the data pages of
  // kafka_instances do not.
  vfs_->FailReadsFrom(schema_bytes_);
  DumpOutcome outcome = DumpTables();
  EXPECT_GT(vfs_->injected_failures(), 0);
  EXPECT_TRUE(absl::IsUnavailable(outcome.dump))
      << "DumpTables returned " << outcome.dump << " with " << outcome.instance_rows << " of "
      << kInstances << " kafka_instances rows; the transaction returned " << outcome.transaction;
  EXPECT_TRUE(absl::IsUnavailable(outcome.transaction)) << outcome.transaction;
  EXPECT_EQ(InstanceCount(), kInstances);
}

TEST_F(SqliteFaultTest, DumpTablesReturnsTheErrorOfACorruptPage) {
  vfs_->ZeroReadsFrom(schema_bytes_);
  DumpOutcome outcome = DumpTables();
  EXPECT_GT(vfs_->injected_failures(), 0);
  EXPECT_FALSE(outcome.dump.ok()) << "DumpTables returned OK with " << outcome.instance_rows
                                  << " of " << kInstances << " kafka_instances rows";

  // Nothing was lost: disarmed, the dump has every row.
  Reopen();
  outcome = DumpTables();
  ASSERT_TRUE(outcome.transaction.ok()) << outcome.transaction;
  EXPECT_EQ(outcome.instance_rows, static_cast<size_t>(kInstances));
}

TEST_F(SqliteFaultTest, DeleteAllDataFailsAndKeepsTheDataWhenTheTableListCannotBeRead) {
  InvalidateWriterCache();
  // Only page 1 stays readable: the rest of the schema table cannot be read.
  vfs_->FailReadsFrom(PageBytes());
  auto [reset, transaction] = DeleteAllData();
  EXPECT_GT(vfs_->injected_failures(), 0);
  EXPECT_TRUE(absl::IsUnavailable(reset))
      << "DeleteAllData returned " << reset << "; the transaction returned " << transaction;
  EXPECT_TRUE(absl::IsUnavailable(transaction)) << transaction;
  EXPECT_EQ(InstanceCount(), kInstances);
}

TEST_F(SqliteFaultTest, DeleteAllDataFailsAndKeepsTheDataWhenTheTableListIsCorrupt) {
  InvalidateWriterCache();
  vfs_->ZeroReadsFrom(PageBytes());
  auto [reset, transaction] = DeleteAllData();
  EXPECT_GT(vfs_->injected_failures(), 0);
  EXPECT_FALSE(reset.ok()) << "DeleteAllData returned OK; the transaction returned " << transaction;
  EXPECT_FALSE(transaction.ok());
  EXPECT_EQ(InstanceCount(), kInstances);
}

TEST_F(SqliteFaultTest, DeleteAllDataFailsAndKeepsTheDataWhenATableCannotBeEmptied) {
  // The table list is readable, the pages of kafka_instances are not.
  vfs_->FailReadsFrom(schema_bytes_);
  auto [reset, transaction] = DeleteAllData();
  EXPECT_GT(vfs_->injected_failures(), 0);
  EXPECT_TRUE(absl::IsUnavailable(reset)) << "DeleteAllData returned " << reset;
  EXPECT_TRUE(absl::IsUnavailable(transaction)) << transaction;
  EXPECT_EQ(InstanceCount(), kInstances);
}

// After an I/O error SQLite rolls the transaction back on its own and the
// connection is in autocommit mode: a callback that swallows the error and
// writes on must not get its write committed alone, outside the transaction.
TEST_F(SqliteFaultTest, AWriteAfterSqliteRolledTheTransactionBackIsRefused) {
  vfs_->FailReadsFrom(schema_bytes_);
  absl::Status read;
  absl::Status insert;
  absl::Status transaction = store_->Write([&](StoreTransaction& txn) -> absl::Status {
    read = txn.ListKafkaInstances(kProject, {}, {0, 1000}).status();
    vfs_->Disarm();
    insert = txn.InsertKafkaInstance(BulkyInstance(kInstances + 1));
    return absl::OkStatus();  // swallows both errors
  });
  EXPECT_TRUE(absl::IsUnavailable(read)) << read;
  EXPECT_TRUE(absl::IsUnavailable(insert)) << insert;
  EXPECT_FALSE(transaction.ok());
  EXPECT_EQ(InstanceCount(), kInstances) << "the insert committed on its own";
}

TEST_F(SqliteFaultTest, ReadsSucceedAgainOnceTheFaultIsDisarmed) {
  vfs_->FailReadsFrom(schema_bytes_);
  absl::Status status = store_->Read([](StoreTransaction& txn) -> absl::Status {
    return txn.ListKafkaInstances(kProject, {}, {0, 1000}).status();
  });
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  vfs_->Disarm();
  status = store_->Read([](StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Page<KafkaInstance> page, txn.ListKafkaInstances(kProject, {}, {0, 1000}));
    EXPECT_EQ(page.items.size(), static_cast<size_t>(kInstances));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

}  // namespace
}  // namespace connectplane::store
