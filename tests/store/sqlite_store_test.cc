// SQLite-only store behaviour outside the backend-parameterised contract:
// durability across reopen, unwritable paths, migrations missing below the
// highest recorded version, group commit.
#include "store/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store_contract_fixture.h"
#include <string>
#include <thread>
#include <vector>

namespace connectplane::store {
namespace {

TEST(SqliteStoreTest, CommittedDataSurvivesReopen) {
  std::string path = TempPath("reopen");
  RemoveDatabase(path);
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->Write([](StoreTransaction& txn) {
                      return txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a"));
                    })
                    .ok());
  }
  auto reopened = SqliteStore::Open(path);
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    EXPECT_TRUE(txn.GetKafkaInstance("p1", "i1")->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(*(*reopened)->SchemaVersion(), SchemaMigrations().back().version);
  reopened->reset();
  RemoveDatabase(path);
}

TEST(SqliteStoreTest, OpenFailsCleanlyOnUnwritablePath) {
  auto store = SqliteStore::Open("/nonexistent-dir/x/y.db");
  EXPECT_TRUE(absl::IsUnavailable(store.status())) << store.status();
}

TEST(MigrationsTest, PendingMigrationsFillGapsInAscendingOrder) {
  const Migration migrations[] = {{1, "a", ""}, {2, "b", ""}, {6, "f", ""}, {4, "d", ""}};
  std::vector<const Migration*> pending = PendingMigrations(migrations, {1, 6});
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0]->version, 2);
  EXPECT_EQ(pending[1]->version, 4);
  EXPECT_TRUE(PendingMigrations(migrations, {1, 2, 4, 6}).empty());
  EXPECT_EQ(PendingMigrations(migrations, {}).size(), 4u);
}

// A database migrated by a build that had version 6 but not yet an earlier
// number (merged later) still gets that earlier migration on the next start.
TEST(SqliteStoreTest, AppliesAMigrationMissingBelowTheHighestVersion) {
  std::string path = TempPath("migration-gap");
  RemoveDatabase(path);
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // Pretend migration 2 (the Zenlayer tables) was never applied, nor 8 and
    // 10, which alter its tables.
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE zenlayer_private_connects; DROP TABLE zenlayer_ports; "
                           "DROP TABLE zenlayer_credentials; DROP TABLE zenlayer_datacenters; "
                           "DROP TABLE zenlayer_tokens; "
                           "DELETE FROM schema_version WHERE version IN (2, 8, 10)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto reopened = SqliteStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ASSERT_TRUE((*reopened)
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(
                        txn.InsertZenlayerPort({"acct", "p1", "one", "dc", "RUNNING", "{}", 1}));
                    return txn.InsertPrivateConnect(MakeConnect("pc1", "p1", 10, 100));
                  })
                  .ok());
  EXPECT_EQ(*(*reopened)->SchemaVersion(), SchemaMigrations().back().version);
  reopened->reset();
  RemoveDatabase(path);
}

TEST(SqliteStoreTest, GroupCommitNeverCommitsMoreOftenThanWrites) {
  std::string path = TempPath("group-commit");
  RemoveDatabase(path);
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok());
  int64_t before = (*store)->CommitCountForTest();
  std::vector<std::thread> threads;
  for (int writer = 0; writer < 8; ++writer) {
    threads.emplace_back([&, writer] {
      for (int idx = 0; idx < 20; ++idx) {
        std::string id = std::to_string(writer) + "-" + std::to_string(idx);
        EXPECT_TRUE((*store)
                        ->Write([&](StoreTransaction& txn) {
                          return txn.InsertKafkaInstance(MakeInstance("p1", id, id));
                        })
                        .ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE((*store)->CommitCountForTest() - before, 160);
  store->reset();
  RemoveDatabase(path);
}

}  // namespace
}  // namespace connectplane::store
