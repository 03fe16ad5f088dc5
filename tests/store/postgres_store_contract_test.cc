// Store contract cases that only PostgreSQL can exercise (each skips on
// SQLite): replicas migrating at once, lost connections, deadlock victims run
// again; and opening a server that is down. StoreContractTest cases,
// instantiated in store_contract_test.cc.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include "metrics/metrics.h"
#include "store_contract_fixture.h"
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace connectplane::store {
namespace {

TEST_P(StoreContractTest, ReplicasMigratingAtOnceApplyEachMigrationOnce) {
  if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only";
  store_.reset();
  PostgresAdmin("DROP SCHEMA " + schema_ + " CASCADE");
  PostgresAdmin("CREATE SCHEMA " + schema_);
  std::vector<std::thread> replicas;
  std::atomic<int> opened{0};
  for (int replica_idx = 0; replica_idx < 4; ++replica_idx) {
    replicas.emplace_back([&] {
      auto store = OpenStore();
      EXPECT_TRUE(store.ok()) << store.status();
      opened += store.ok() ? 1 : 0;
    });
  }
  for (std::thread& replica : replicas) replica.join();
  EXPECT_EQ(opened.load(), 4);
  auto store = OpenStore();
  ASSERT_TRUE(store.ok());
  store_ = std::move(*store);
  EXPECT_EQ(*SchemaVersion(), SchemaMigrations().back().version);
}

// Kills every connectplane session of this test's store (as a server restart
// or a network cut would) from an admin session.
void TerminateStoreSessions() {
  PostgresAdmin(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = 'connectplane' AND pid <> pg_backend_pid()");
}

TEST_P(StoreContractTest, LostConnectionIsUnavailableThenReconnects) {
  if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only";
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a"));
              }).ok());
  // Mid-transaction: the statement after the cut fails with Unavailable and
  // nothing of the transaction is kept.
  absl::Status cut = Write([](StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i2", "b")));
    TerminateStoreSessions();
    return txn.InsertKafkaInstance(MakeInstance("p1", "i3", "c"));
  });
  EXPECT_TRUE(absl::IsUnavailable(cut)) << cut;
  // Idle pooled sessions killed too: the next calls reconnect transparently.
  TerminateStoreSessions();
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.InsertKafkaInstance(MakeInstance("p1", "i4", "d"));
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_TRUE(txn.GetKafkaInstance("p1", "i1")->has_value());
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i2")->has_value());
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i3")->has_value());
                EXPECT_TRUE(txn.GetKafkaInstance("p1", "i4")->has_value());
                return absl::OkStatus();
              }).ok());
}

// Two write transactions that lock the same two instances in opposite order,
// each holding its first lock when it asks for the second: a deadlock, which
// PostgreSQL breaks after deadlock_timeout by aborting one of them (SQLSTATE
// 40P01). Returns the two Write() statuses and how many times each callback
// ran. Each callback turns a failed lookup into a domain refusal, as services
// do, so a victim reported as is would surface as FailedPrecondition.
struct CrossedWrites {
  absl::Status statuses[2];
  int runs[2] = {0, 0};
};
CrossedWrites RunCrossedWrites(Store& first_store, Store& second_store) {
  CrossedWrites result;
  std::atomic<int> holding_first_lock{0};
  auto write = [&](Store& store, int writer_idx, const char* first, const char* second) {
    result.statuses[writer_idx] = store.Write([&](StoreTransaction& txn) -> absl::Status {
      const int run = ++result.runs[writer_idx];
      RETURN_IF_ERROR(txn.GetKafkaInstance("p1", first).status());
      if (run == 1) {
        // Both first attempts hold their first lock before either asks for
        // its second (bounded wait: a backend that serializes writers would
        // never get here twice).
        ++holding_first_lock;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (holding_first_lock.load() < 2 && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
      absl::StatusOr<std::optional<KafkaInstance>> other = txn.GetKafkaInstance("p1", second);
      if (!other.ok() || !other->has_value()) {
        return absl::FailedPreconditionError("the other instance is busy");
      }
      (*other)->name = std::string("renamed by ") + first;
      return txn.UpdateKafkaInstance(**other);
    });
  };
  std::thread first_writer(write, std::ref(first_store), 0, "i1", "i2");
  std::thread second_writer(write, std::ref(second_store), 1, "i2", "i1");
  first_writer.join();
  second_writer.join();
  return result;
}

TEST_P(StoreContractTest, DeadlockVictimRunsAgainInsteadOfFailing) {
  if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite serializes write transactions";
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")));
                return txn.InsertKafkaInstance(MakeInstance("p1", "i2", "b"));
              }).ok());
  metrics::Counter& retries = metrics::StoreTransactionRetries().WithLabels({"postgres", "40P01"});
  const uint64_t retries_before = retries.Value();
  auto replica = OpenStore();  // the other writer is another replica
  ASSERT_TRUE(replica.ok()) << replica.status();

  CrossedWrites crossed = RunCrossedWrites(*store_, **replica);

  EXPECT_TRUE(crossed.statuses[0].ok()) << crossed.statuses[0];
  EXPECT_TRUE(crossed.statuses[1].ok()) << crossed.statuses[1];
  // One of them was the victim and ran once more.
  EXPECT_EQ(crossed.runs[0] + crossed.runs[1], 3);
  EXPECT_EQ(retries.Value() - retries_before, 1u);
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                // Each instance was renamed once, by the writer that did not lock it first.
                EXPECT_EQ((*txn.GetKafkaInstance("p1", "i1"))->version, 1);
                EXPECT_EQ((*txn.GetKafkaInstance("p1", "i2"))->version, 1);
                EXPECT_EQ((*txn.GetKafkaInstance("p1", "i1"))->name, "renamed by i2");
                EXPECT_EQ((*txn.GetKafkaInstance("p1", "i2"))->name, "renamed by i1");
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, DeadlockVictimOutOfAttemptsIsUnavailableNotAConflict) {
  if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite serializes write transactions";
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")));
                return txn.InsertKafkaInstance(MakeInstance("p1", "i2", "b"));
              }).ok());
  PostgresOptions options;
  options.dsn = PostgresDsn();
  options.search_path = schema_;
  options.transaction_attempts = 1;
  auto first = PostgresStore::Open(options);
  auto second = PostgresStore::Open(options);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();

  CrossedWrites crossed = RunCrossedWrites(**first, **second);

  EXPECT_EQ(crossed.runs[0] + crossed.runs[1], 2);
  EXPECT_NE(crossed.statuses[0].ok(), crossed.statuses[1].ok())
      << crossed.statuses[0] << " / " << crossed.statuses[1];
  const absl::Status& victim = crossed.statuses[0].ok() ? crossed.statuses[1] : crossed.statuses[0];
  // Not the callback's refusal, not Aborted (a conflict): retryable.
  EXPECT_TRUE(absl::IsUnavailable(victim)) << victim;
}

TEST(PostgresStoreTest, OpenFailsUnavailableWhenServerIsDown) {
  PostgresOptions options;
  // Port 1 on loopback: nothing listens there.
  options.dsn = "postgresql://postgres@127.0.0.1:1/connectplane";
  options.connect_timeout_seconds = 2;
  auto store = PostgresStore::Open(options);
  EXPECT_TRUE(absl::IsUnavailable(store.status())) << store.status();
}

}  // namespace
}  // namespace connectplane::store
