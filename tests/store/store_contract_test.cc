// Store contract tests, parameterised by backend (STYLE rule 18): SQLite
// always; PostgreSQL when CONNECTPLANE_TEST_POSTGRES_DSN names a server (see
// scripts/with-postgres.sh). Each PostgreSQL test runs in its own schema.
#include "common/status.h"
#include "store/migrations.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "metrics/metrics.h"
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <limits>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace connectplane::store {
namespace {

std::string TempPath(std::string name) {
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".db"))
      .string();
}

void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
}

KafkaInstance MakeInstance(std::string project, std::string id, std::string name,
                           int64_t created_at_ms = 1000) {
  KafkaInstance instance;
  instance.project_id = std::move(project);
  instance.instance_id = std::move(id);
  instance.name = std::move(name);
  instance.status = "RUNNING";
  instance.specification = "100MB";
  instance.attributes_json = R"({"engine_version":"2.7"})";
  instance.created_at_ms = created_at_ms;
  instance.updated_at_ms = created_at_ms;
  return instance;
}

Job MakeJob(std::string id, std::string resource, int64_t created_at_ms, int64_t due_at_ms) {
  Job job;
  job.job_id = std::move(id);
  job.tenant_id = "p1";
  job.resource_id = std::move(resource);
  job.job_type = "kafka.enable_connector";
  job.name = "createConnector";
  job.created_at_ms = created_at_ms;
  job.updated_at_ms = created_at_ms;
  job.due_at_ms = due_at_ms;
  return job;
}

const char* PostgresDsn() {
  const char* dsn = std::getenv("CONNECTPLANE_TEST_POSTGRES_DSN");
  return dsn != nullptr && dsn[0] != '\0' ? dsn : nullptr;
}

// Runs one statement on a fresh admin session; fails the test on error.
void PostgresAdmin(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresDsn());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  EXPECT_TRUE(PQresultStatus(result) == PGRES_COMMAND_OK ||
              PQresultStatus(result) == PGRES_TUPLES_OK)
      << sql << ": " << PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
}

std::string SchemaName(std::string name) {
  std::string schema = "t_";
  for (char c : name) {
    schema.push_back(
        std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_');
  }
  return schema + "_" + std::to_string(::getpid());
}

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (GetParam() == "postgres") {
      schema_ = SchemaName(test_name);
      PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      PostgresAdmin("CREATE SCHEMA " + schema_);
    } else if (GetParam() == "sqlite-file") {
      path_ = TempPath(test_name);
      RemoveDatabase(path_);
    } else {
      path_ = ":memory:";
    }
    auto opened = OpenStore();
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    if (!schema_.empty()) {
      PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } else if (path_ != ":memory:") {
      RemoveDatabase(path_);
    }
  }

  bool IsPostgres() const { return GetParam() == "postgres"; }
  bool IsMemory() const { return GetParam() == "sqlite-memory"; }

  // Another handle on the same database ("another replica"); the in-memory
  // SQLite database cannot be shared, so callers use store_ there.
  absl::StatusOr<std::unique_ptr<Store>> OpenStore() {
    if (IsPostgres()) {
      PostgresOptions options;
      options.dsn = PostgresDsn();
      options.search_path = schema_;
      options.pool_size = 4;
      ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(options));
      return std::unique_ptr<Store>(std::move(store));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(path_));
    return std::unique_ptr<Store>(std::move(store));
  }

  absl::StatusOr<int32_t> SchemaVersion() {
    if (IsPostgres()) return static_cast<PostgresStore&>(*store_).SchemaVersion();
    return static_cast<SqliteStore&>(*store_).SchemaVersion();
  }

  absl::Status Write(const std::function<absl::Status(StoreTransaction&)>& fn) {
    return store_->Write([&](StoreTransaction& txn) { return fn(txn); });
  }
  absl::Status Read(const std::function<absl::Status(StoreTransaction&)>& fn) {
    return store_->Read([&](StoreTransaction& txn) { return fn(txn); });
  }

  std::string path_;
  std::string schema_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, AppliesEveryMigration) {
  auto version = SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, SchemaMigrations().back().version);
}

TEST_P(StoreContractTest, UpsertsAndFindsCredentials) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.PutHuaweiCredential({"AK1", "SK1", "p1", "demo", "u1"});
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.PutHuaweiCredential({"AK1", "SK2", "p1", "demo", "u1"});
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto found = txn.FindHuaweiCredential("AK1");
                EXPECT_TRUE(found.ok());
                EXPECT_TRUE(found->has_value());
                EXPECT_EQ((*found)->secret_key, "SK2");
                auto missing = txn.FindHuaweiCredential("nope");
                EXPECT_TRUE(missing.ok());
                EXPECT_FALSE(missing->has_value());
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, InstanceFlavorSizingAndZonesRoundTripThroughInsertAndUpdate) {
  KafkaInstance instance = MakeInstance("p1", "i1", "kafka-a");
  instance.product_id = "c6.2u4g.cluster";
  instance.engine_version = "3.x";
  instance.broker_num = 3;
  instance.storage_space = 600;
  instance.storage_spec_code = "dms.physical.storage.ultra.v2";
  instance.available_zones_json = R"(["bf84aba586ce4e948da0b97d9a7d62fb"])";
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.InsertKafkaInstance(instance); }).ok());
  auto load = [&]() {
    KafkaInstance loaded;
    EXPECT_TRUE(Read([&](StoreTransaction& txn) -> absl::Status {
                  ASSIGN_OR_RETURN(std::optional<KafkaInstance> found,
                                   txn.GetKafkaInstance("p1", "i1"));
                  if (found) loaded = *found;
                  return absl::OkStatus();
                }).ok());
    return loaded;
  };
  KafkaInstance stored = load();
  EXPECT_EQ(stored.product_id, "c6.2u4g.cluster");
  EXPECT_EQ(stored.engine_version, "3.x");
  EXPECT_EQ(stored.broker_num, 3);
  EXPECT_EQ(stored.storage_space, 600);
  EXPECT_EQ(stored.storage_spec_code, "dms.physical.storage.ultra.v2");
  EXPECT_EQ(stored.available_zones_json, R"(["bf84aba586ce4e948da0b97d9a7d62fb"])");

  stored.product_id = "c6.4u8g.cluster";
  stored.broker_num = 6;
  stored.storage_space = 1200;
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdateKafkaInstance(stored); }).ok());
  KafkaInstance updated = load();
  EXPECT_EQ(updated.product_id, "c6.4u8g.cluster");
  EXPECT_EQ(updated.broker_num, 6);
  EXPECT_EQ(updated.storage_space, 1200);
  EXPECT_EQ(updated.version, 1);
  EXPECT_EQ(updated.available_zones_json, R"(["bf84aba586ce4e948da0b97d9a7d62fb"])");
}

TEST_P(StoreContractTest, InstanceUpdateIsCompareAndSwapOnVersion) {
  KafkaInstance instance = MakeInstance("p1", "i1", "kafka-a");
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.InsertKafkaInstance(instance); }).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(
      Write([&](StoreTransaction& txn) { return txn.InsertKafkaInstance(instance); })));

  instance.status = "EXTENDING";
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdateKafkaInstance(instance); }).ok());
  // The same (now stale) version again loses.
  instance.status = "CONNECTOR_DELETING";
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.UpdateKafkaInstance(instance); })));

  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto found = txn.GetKafkaInstance("p1", "i1");
                EXPECT_TRUE(found.ok() && found->has_value());
                EXPECT_EQ((*found)->status, "EXTENDING");
                EXPECT_EQ((*found)->version, 1);
                EXPECT_EQ((*found)->attributes_json, R"({"engine_version":"2.7"})");
                return absl::OkStatus();
              }).ok());

  KafkaInstance ghost = MakeInstance("p1", "ghost", "x");
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.UpdateKafkaInstance(ghost); })));
}

TEST_P(StoreContractTest, InstancesAreScopedByProject) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")));
                return txn.InsertKafkaInstance(MakeInstance("p2", "i2", "b"));
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i2")->has_value());
                EXPECT_TRUE(txn.GetKafkaInstance("p2", "i2")->has_value());
                auto page = txn.ListKafkaInstances("p1", {}, {0, 50});
                EXPECT_EQ(page->total, 1);
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ListsInstancesWithFiltersAndPages) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                for (int idx = 0; idx < 7; ++idx) {
                  KafkaInstance instance =
                      MakeInstance("p1", "i" + std::to_string(idx),
                                   idx % 2 == 0 ? "even-kafka" : "odd-kafka", 1000 + idx);
                  if (idx == 3) instance.status = "EXTENDING";
                  RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto all = txn.ListKafkaInstances("p1", {}, {0, 3});
                EXPECT_EQ(all->total, 7);
                EXPECT_EQ(all->items.size(), 3u);
                EXPECT_EQ(all->items[0].instance_id, "i6");  // newest first
                auto rest = txn.ListKafkaInstances("p1", {}, {6, 3});
                EXPECT_EQ(rest->items.size(), 1u);
                EXPECT_EQ(rest->items[0].instance_id, "i0");

                KafkaInstanceFilter by_name;
                by_name.name = "odd";
                EXPECT_EQ(txn.ListKafkaInstances("p1", by_name, {0, 50})->total, 3);
                by_name.exact_match_name = true;
                EXPECT_EQ(txn.ListKafkaInstances("p1", by_name, {0, 50})->total, 0);
                by_name.name = "odd-kafka";
                EXPECT_EQ(txn.ListKafkaInstances("p1", by_name, {0, 50})->total, 3);

                KafkaInstanceFilter by_status;
                by_status.status = "EXTENDING";
                auto extending = txn.ListKafkaInstances("p1", by_status, {0, 50});
                EXPECT_EQ(extending->total, 1);
                EXPECT_EQ(extending->items[0].instance_id, "i3");

                KafkaInstanceFilter by_id;
                by_id.instance_id = "i4";
                EXPECT_EQ(txn.ListKafkaInstances("p1", by_id, {0, 50})->total, 1);
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, JobsRoundTripAndDueOrdering) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j1", "i1", 100, 500)));
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j2", "i1", 200, 300)));
                return txn.InsertJob(MakeJob("j3", "i2", 300, 900));
              }).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(
      Write([](StoreTransaction& txn) { return txn.InsertJob(MakeJob("j1", "i1", 1, 1)); })));
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto due = txn.ListDueJobs(500, 10);
                EXPECT_EQ(due->size(), 2u);
                EXPECT_EQ((*due)[0].job_id, "j2");
                EXPECT_EQ((*due)[1].job_id, "j1");
                EXPECT_EQ(**txn.NextDueAt(), 300);
                auto history = txn.ListJobsForResource("p1", "i1", {}, {0, 10});
                EXPECT_EQ(history->total, 2);
                EXPECT_EQ(history->items[0].job_id, "j2");  // newest first
                JobFilter window;
                window.created_from_ms = 150;
                window.created_to_ms = 250;
                EXPECT_EQ(txn.ListJobsForResource("p1", "i1", window, {0, 10})->total, 1);
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                ASSIGN_OR_RETURN(std::optional<Job> job, txn.GetJob("j2"));
                job->status = JobStatus::kSucceeded;
                job->attempts = 1;
                return txn.UpdateJob(*job);
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ((*txn.GetJob("j2"))->status, JobStatus::kSucceeded);
                EXPECT_EQ(txn.ListDueJobs(10000, 10)->size(), 2u);
                return absl::OkStatus();
              }).ok());
  Job ghost = MakeJob("ghost", "i1", 1, 1);
  EXPECT_TRUE(absl::IsNotFound(Write([&](StoreTransaction& txn) { return txn.UpdateJob(ghost); })));
}

TEST_P(StoreContractTest, DeleteJobRemovesOnlyThatRow) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j1", "i1", 100, 500)));
                return txn.InsertJob(MakeJob("j2", "i1", 200, 300));
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteJob("j1"); }).ok());
  EXPECT_TRUE(absl::IsNotFound(Write([](StoreTransaction& txn) { return txn.DeleteJob("j1"); })));
  EXPECT_TRUE(
      absl::IsNotFound(Write([](StoreTransaction& txn) { return txn.DeleteJob("never"); })));
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_FALSE(txn.GetJob("j1")->has_value());
                EXPECT_TRUE(txn.GetJob("j2")->has_value());
                EXPECT_EQ(txn.ListJobsForResource("p1", "i1", {}, {0, 10})->total, 1);
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, FailedCallbackRollsBackEverything) {
  absl::Status status = Write([](StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")));
    RETURN_IF_ERROR(txn.InsertJob(MakeJob("j1", "i1", 1, 1)));
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_TRUE(absl::IsFailedPrecondition(status));
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i1")->has_value());
                EXPECT_FALSE(txn.GetJob("j1")->has_value());
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ReadTransactionsRefuseWrites) {
  absl::Status status = Read(
      [](StoreTransaction& txn) { return txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")); });
  EXPECT_FALSE(status.ok());
}

// ---- Concurrency: what the SQLite store gets from its single writer, every
// backend must give replicas sharing one database. ----

// Two enables racing on one instance (KafkaService's read-modify-write): the
// loser sees the winner's state and fails the domain check, as with SQLite.
TEST_P(StoreContractTest, ConcurrentReadModifyWriteLetsExactlyOneWin) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a"));
              }).ok());
  constexpr int kWriters = 8;
  std::atomic<int> succeeded{0};
  std::atomic<int> busy{0};
  std::vector<std::thread> writers;
  for (int writer_idx = 0; writer_idx < kWriters; ++writer_idx) {
    writers.emplace_back([&, writer_idx] {
      absl::Status status = Write([&](StoreTransaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(std::optional<KafkaInstance> instance, txn.GetKafkaInstance("p1", "i1"));
        if (instance->status != "RUNNING") {
          return absl::FailedPreconditionError("busy");
        }
        instance->status = "EXTENDING";
        instance->connector_id = "c" + std::to_string(writer_idx);
        RETURN_IF_ERROR(txn.UpdateKafkaInstance(*instance));
        return txn.InsertJob(MakeJob("j" + std::to_string(writer_idx), "i1", 1, 1));
      });
      if (status.ok()) {
        ++succeeded;
      } else if (absl::IsFailedPrecondition(status)) {
        ++busy;
      } else {
        ADD_FAILURE() << status;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(busy.load(), kWriters - 1);
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ((*txn.GetKafkaInstance("p1", "i1"))->version, 1);
                EXPECT_EQ(txn.ListJobsForResource("p1", "i1", {}, {0, 50})->total, 1);
                return absl::OkStatus();
              }).ok());
}

// Writers that read outside their write transaction race on the version: the
// compare-and-swap lets exactly one through.
TEST_P(StoreContractTest, ConcurrentCompareAndSwapLetsExactlyOneWin) {
  KafkaInstance instance = MakeInstance("p1", "i1", "a");
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.InsertKafkaInstance(instance); }).ok());
  constexpr int kWriters = 8;
  std::atomic<int> succeeded{0};
  std::atomic<int> aborted{0};
  std::vector<std::thread> writers;
  for (int writer_idx = 0; writer_idx < kWriters; ++writer_idx) {
    writers.emplace_back([&, writer_idx] {
      KafkaInstance mine = instance;  // version 0 for everyone
      mine.name = "writer-" + std::to_string(writer_idx);
      absl::Status status =
          Write([&](StoreTransaction& txn) { return txn.UpdateKafkaInstance(mine); });
      if (status.ok()) {
        ++succeeded;
      } else if (absl::IsAborted(status)) {
        ++aborted;
      } else {
        ADD_FAILURE() << status;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(aborted.load(), kWriters - 1);
}

// "Insert if absent" (seed files applied by replicas starting together,
// idempotency-key claims) stores one row and lets exactly one caller claim it.
TEST_P(StoreContractTest, ConcurrentInsertIfAbsentClaimsOnce) {
  constexpr int kWriters = 8;
  std::atomic<int> instance_claims{0};
  std::atomic<int> key_claims{0};
  std::vector<std::thread> writers;
  for (int writer_idx = 0; writer_idx < kWriters; ++writer_idx) {
    writers.emplace_back([&] {
      absl::Status status = Write([&](StoreTransaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(std::optional<KafkaInstance> existing, txn.GetKafkaInstance("p1", "i1"));
        if (!existing) {
          RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "seeded")));
          ++instance_claims;
        }
        ASSIGN_OR_RETURN(std::optional<IdempotencyRecord> record,
                         txn.GetIdempotencyRecord("dms:p1", "key-1"));
        if (!record) {
          RETURN_IF_ERROR(txn.PutIdempotencyRecord({"dms:p1", "key-1", "hash", 0, "", 1}));
          ++key_claims;
        }
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(instance_claims.load(), 1);
  EXPECT_EQ(key_claims.load(), 1);
}

// Several runners (replicas: separate store handles where the backend allows)
// complete jobs the way JobRunner does: list due jobs, then re-read each one
// inside the write transaction that applies its effect (no leases), and the
// lease path (ClaimDueJobs, then a lease re-check). Every job's effect lands
// exactly once.
TEST_P(StoreContractTest, ConcurrentRunnersApplyEachJobExactlyOnce) {
  constexpr int kInstances = 4;
  constexpr int kJobsPerInstance = 15;
  ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                for (int instance_idx = 0; instance_idx < kInstances; ++instance_idx) {
                  std::string id = "i" + std::to_string(instance_idx);
                  RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", id, id)));
                  for (int job_idx = 0; job_idx < kJobsPerInstance; ++job_idx) {
                    RETURN_IF_ERROR(txn.InsertJob(
                        MakeJob(id + "-j" + std::to_string(job_idx), id, job_idx, job_idx)));
                  }
                }
                return absl::OkStatus();
              }).ok());
  std::vector<std::unique_ptr<Store>> replicas;
  for (int replica_idx = 0; replica_idx < 2 && !IsMemory(); ++replica_idx) {
    auto opened = OpenStore();
    ASSERT_TRUE(opened.ok()) << opened.status();
    replicas.push_back(std::move(*opened));
  }
  // Applies one job: counts it on its instance (connector_node_num) and marks it done.
  auto complete = [](StoreTransaction& txn, const Job& job) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<KafkaInstance> instance,
                     txn.GetKafkaInstance(job.tenant_id, job.resource_id));
    if (!instance) return absl::NotFoundError(job.resource_id);
    instance->connector_node_num += 1;
    RETURN_IF_ERROR(txn.UpdateKafkaInstance(*instance));
    Job done = job;
    done.status = JobStatus::kSucceeded;
    done.attempts += 1;
    return txn.UpdateJob(done);
  };
  std::atomic<int> applied{0};
  auto list_then_reread = [&](Store& store) {
    while (true) {
      std::vector<Job> due;
      ASSERT_TRUE(store
                      .Read([&](StoreTransaction& txn) -> absl::Status {
                        ASSIGN_OR_RETURN(due, txn.ListDueJobs(1000, 8));
                        return absl::OkStatus();
                      })
                      .ok());
      if (due.empty()) return;
      for (const Job& listed : due) {
        absl::Status status = store.Write([&](StoreTransaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<Job> current, txn.GetJob(listed.job_id));
          if (!current || current->status != JobStatus::kPending) return absl::OkStatus();
          RETURN_IF_ERROR(complete(txn, *current));
          ++applied;
          return absl::OkStatus();
        });
        ASSERT_TRUE(status.ok()) << status;
      }
    }
  };
  // JobRunner's path: claim a batch with a lease, then complete each claimed
  // job in its own transaction that re-checks the lease.
  auto claim_with_lease = [&](Store& store, const std::string& owner) {
    while (true) {
      std::vector<Job> claimed;
      absl::Status status = store.Write([&](StoreTransaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(claimed, txn.ClaimDueJobs(1000, owner, 1000 + 60000, 3));
        return absl::OkStatus();
      });
      ASSERT_TRUE(status.ok()) << status;
      if (claimed.empty()) return;
      for (const Job& job : claimed) {
        EXPECT_EQ(job.lease_owner, owner);
        status = store.Write([&](StoreTransaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(std::optional<Job> current, txn.GetJob(job.job_id));
          if (!current || current->status != JobStatus::kPending || current->lease_owner != owner) {
            return absl::OkStatus();
          }
          RETURN_IF_ERROR(complete(txn, *current));
          ++applied;
          return absl::OkStatus();
        });
        ASSERT_TRUE(status.ok()) << status;
      }
    }
  };
  std::vector<std::thread> runners;
  for (int runner_idx = 0; runner_idx < 4; ++runner_idx) {
    Store& store = replicas.empty() ? *store_ : *replicas[static_cast<size_t>(runner_idx) % 2];
    if (runner_idx % 2 == 0) {
      runners.emplace_back([&, runner_idx] { list_then_reread(store); });
    } else {
      runners.emplace_back(
          [&, runner_idx] { claim_with_lease(store, "runner-" + std::to_string(runner_idx)); });
    }
  }
  for (std::thread& runner : runners) runner.join();
  EXPECT_EQ(applied.load(), kInstances * kJobsPerInstance);
  ASSERT_TRUE(Read([&](StoreTransaction& txn) -> absl::Status {
                EXPECT_TRUE(txn.ListDueJobs(kNeverDue, 1000)->empty());
                for (int instance_idx = 0; instance_idx < kInstances; ++instance_idx) {
                  std::string id = "i" + std::to_string(instance_idx);
                  auto instance = txn.GetKafkaInstance("p1", id);
                  EXPECT_EQ((*instance)->connector_node_num, kJobsPerInstance) << id;
                  auto jobs = txn.ListJobsForResource("p1", id, {}, {0, 100});
                  for (const Job& job : jobs->items) {
                    EXPECT_EQ(job.status, JobStatus::kSucceeded);
                    EXPECT_EQ(job.attempts, 1) << job.job_id;
                  }
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ClaimDueJobsLeasesFreeOrExpiredJobsOnce) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j1", "i1", 1, 300)));
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j2", "i1", 2, 100)));
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j3", "i1", 3, 200)));
                return txn.InsertJob(MakeJob("later", "i1", 4, 5000));
              }).ok());
  std::vector<Job> first;
  ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                ASSIGN_OR_RETURN(first, txn.ClaimDueJobs(1000, "a", 2000, 2));
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].job_id, "j2");  // oldest due first
  EXPECT_EQ(first[1].job_id, "j3");
  EXPECT_EQ(first[0].lease_owner, "a");
  EXPECT_EQ(first[0].lease_expires_at_ms, 2000);
  std::vector<Job> second;
  ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                ASSIGN_OR_RETURN(second, txn.ClaimDueJobs(1000, "b", 9000, 10));
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].job_id, "j1");
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto owners = txn.ListLeaseOwners();
                EXPECT_EQ(owners->size(), 2u);
                return absl::OkStatus();
              }).ok());
  // a's leases expire at 2000; extended they hold, released they are free.
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ(*txn.ExtendLeases("a", 3000), 2);
                EXPECT_TRUE(txn.ClaimDueJobs(2500, "c", 9000, 10)->empty());
                return txn.ReleaseLeases("a");
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                auto taken = txn.ClaimDueJobs(2500, "c", 9000, 10);
                EXPECT_EQ(taken->size(), 2u);
                // Once every lease expired (9000), all four are claimable again.
                auto expired = txn.ClaimDueJobs(9500, "d", 20000, 10);
                EXPECT_EQ(expired->size(), 4u);
                return absl::OkStatus();
              }).ok());
}

// A statement that fails inside the callback poisons the transaction even if
// the callback carries on and returns OK (PostgreSQL aborts the transaction):
// Write must not report a commit that did not happen.
TEST_P(StoreContractTest, AlreadyExistsLeavesTransactionUsable) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a"));
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertKafkaInstance(MakeInstance("p1", "i1", "again"))));
                return txn.InsertKafkaInstance(MakeInstance("p1", "i2", "b"));
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_TRUE(txn.GetKafkaInstance("p1", "i2")->has_value());
                EXPECT_EQ((*txn.GetKafkaInstance("p1", "i1"))->name, "a");
                return absl::OkStatus();
              }).ok());
}

// ---- Zenlayer SDN and emulator controls ----

PrivateConnect MakeConnect(std::string id, std::string port_a, int64_t vlan_a, int64_t created) {
  PrivateConnect connect;
  connect.account_id = "acct";
  connect.private_connect_id = std::move(id);
  connect.name = "pc";
  connect.status = "CREATING";
  connect.bandwidth_mbps = 100;
  connect.endpoint_a = {port_a, "a", port_a, vlan_a};
  connect.endpoint_z = {"pz", "z", "pz", 7};
  connect.created_at_ms = created;
  connect.updated_at_ms = created;
  return connect;
}

// ---- Smart Connect tasks and instance deletion ----
ConnectorTask MakeTask(std::string project, std::string instance, std::string id, std::string name,
                       int64_t created_at_ms) {
  ConnectorTask task;
  task.project_id = std::move(project);
  task.instance_id = std::move(instance);
  task.task_id = std::move(id);
  task.task_name = std::move(name);
  task.status = "CREATING";
  task.config_json = R"({"topics":"t1"})";
  task.pending_job_id = "job-1";
  task.created_at_ms = created_at_ms;
  task.updated_at_ms = created_at_ms;
  return task;
}

TEST_P(StoreContractTest, ConnectorTasksRoundTripUniqueNamesAndCompareAndSwap) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertConnectorTask(MakeTask("p1", "i1", "t2", "b", 2000)));
                RETURN_IF_ERROR(txn.InsertConnectorTask(MakeTask("p1", "i1", "t1", "a", 1000)));
                RETURN_IF_ERROR(txn.InsertConnectorTask(MakeTask("p1", "i1", "t3", "c", 3000)));
                RETURN_IF_ERROR(txn.InsertConnectorTask(MakeTask("p1", "i2", "t4", "a", 1000)));
                return txn.InsertConnectorTask(MakeTask("p2", "i1", "t5", "a", 1000));
              }).ok());
  // Same id, or same name within the instance: AlreadyExists, and the
  // transaction stays usable.
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertConnectorTask(MakeTask("p1", "i1", "t1", "zzz", 1))));
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertConnectorTask(MakeTask("p1", "i1", "t9", "a", 1))));
                return txn.InsertConnectorTask(MakeTask("p1", "i1", "t6", "d", 4000));
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto page = txn.ListConnectorTasks("p1", "i1", {1, 2});
                EXPECT_TRUE(page.ok()) << page.status();
                EXPECT_EQ(page->total, 4);
                EXPECT_EQ(page->items.size(), 2u);
                EXPECT_EQ(page->items.at(0).task_id, "t2");  // oldest first
                EXPECT_EQ(page->items.at(1).task_id, "t3");
                auto by_name = txn.FindConnectorTaskByName("p1", "i1", "c");
                EXPECT_TRUE(by_name.ok() && by_name->has_value());
                EXPECT_EQ((*by_name)->task_id, "t3");
                EXPECT_FALSE(txn.FindConnectorTaskByName("p1", "i1", "zzz")->has_value());
                EXPECT_FALSE(txn.GetConnectorTask("p2", "i1", "t1")->has_value());
                auto found = txn.GetConnectorTask("p1", "i1", "t1");
                EXPECT_TRUE(found.ok() && found->has_value());
                EXPECT_EQ((*found)->config_json, R"({"topics":"t1"})");
                EXPECT_EQ((*found)->pending_job_id, "job-1");
                EXPECT_EQ((*found)->version, 0);
                return absl::OkStatus();
              }).ok());

  ConnectorTask task = MakeTask("p1", "i1", "t1", "a", 1000);
  task.status = "RUNNING";
  task.pending_job_id.clear();
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdateConnectorTask(task); }).ok());
  task.status = "PAUSED";
  EXPECT_TRUE(
      absl::IsAborted(Write([&](StoreTransaction& txn) { return txn.UpdateConnectorTask(task); })));
  ConnectorTask ghost = MakeTask("p1", "i1", "ghost", "g", 1);
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.UpdateConnectorTask(ghost); })));
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto found = txn.GetConnectorTask("p1", "i1", "t1");
                EXPECT_EQ((*found)->status, "RUNNING");
                EXPECT_EQ((*found)->pending_job_id, "");
                EXPECT_EQ((*found)->version, 1);
                return absl::OkStatus();
              }).ok());

  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.DeleteConnectorTask("p1", "i1", "t1"));
                EXPECT_TRUE(absl::IsNotFound(txn.DeleteConnectorTask("p1", "i1", "t1")));
                auto removed = txn.DeleteConnectorTasksOfInstance("p1", "i1");
                EXPECT_TRUE(removed.ok());
                EXPECT_EQ(*removed, 3);
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ(txn.ListConnectorTasks("p1", "i1", {0, 10})->total, 0);
                EXPECT_EQ(txn.ListConnectorTasks("p1", "i2", {0, 10})->total, 1);
                EXPECT_EQ(txn.ListConnectorTasks("p2", "i1", {0, 10})->total, 1);
                return absl::OkStatus();
              }).ok());
  // Tenant reset removes the tenant's tasks only.
  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteTenantData("p1"); }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ(txn.ListConnectorTasks("p1", "i2", {0, 10})->total, 0);
                EXPECT_EQ(txn.ListConnectorTasks("p2", "i1", {0, 10})->total, 1);
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, DeleteInstanceIsCompareAndSwapAndListCanHideFailedCreates) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")));
                KafkaInstance failed = MakeInstance("p1", "i2", "b");
                failed.status = "CREATEFAILED";
                return txn.InsertKafkaInstance(failed);
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ(txn.ListKafkaInstances("p1", {}, {0, 10})->total, 2);
                KafkaInstanceFilter filter;
                filter.include_failure = false;
                auto page = txn.ListKafkaInstances("p1", filter, {0, 10});
                EXPECT_EQ(page->total, 1);
                EXPECT_EQ(page->items.at(0).instance_id, "i1");
                return absl::OkStatus();
              }).ok());
  EXPECT_TRUE(absl::IsAborted(
      Write([](StoreTransaction& txn) { return txn.DeleteKafkaInstance("p1", "i1", 7); })));
  EXPECT_TRUE(absl::IsNotFound(
      Write([](StoreTransaction& txn) { return txn.DeleteKafkaInstance("p2", "i1", 0); })));
  ASSERT_TRUE(
      Write([](StoreTransaction& txn) { return txn.DeleteKafkaInstance("p1", "i1", 0); }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i1")->has_value());
                return absl::OkStatus();
              }).ok());
}

// Two creators of the same task name racing on two handles ("replicas"): the
// find-then-insert is serialized, exactly one inserts.
TEST_P(StoreContractTest, ConcurrentTaskNameClaimsInsertOnce) {
  if (IsMemory()) GTEST_SKIP() << "needs a second handle on the same database";
  auto second = OpenStore();
  ASSERT_TRUE(second.ok()) << second.status();
  std::atomic<int> inserted{0};
  auto claim = [&](Store& store, std::string task_id) {
    absl::Status status = store.Write([&](StoreTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(auto existing, txn.FindConnectorTaskByName("p1", "i1", "same"));
      if (existing) return absl::FailedPreconditionError("taken");
      return txn.InsertConnectorTask(MakeTask("p1", "i1", task_id, "same", 1));
    });
    if (status.ok()) ++inserted;
  };
  std::thread first_thread([&] { claim(*store_, "t1"); });
  std::thread second_thread([&] { claim(**second, "t2"); });
  first_thread.join();
  second_thread.join();
  EXPECT_EQ(inserted.load(), 1);
}
// ---- end Smart Connect tasks ----

TEST_P(StoreContractTest, ZenlayerTokensAndTagsRoundTrip) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.PutZenlayerToken({"hash-1", "acct"}));
                RETURN_IF_ERROR(txn.PutZenlayerToken({"hash-1", "acct-moved"}));
                ZenlayerPort port{"acct", "p1", "one", "dc1", "RUNNING", "{}", 1};
                port.tags_json = R"([{"key":"env","value":"prod"}])";
                RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
                RETURN_IF_ERROR(
                    txn.InsertZenlayerPort({"acct", "p2", "two", "dc1", "RUNNING", "{}", 1}));
                PrivateConnect connect = MakeConnect("pc1", "p1", 10, 100);
                connect.tags_json = R"([{"key":"team","value":"net"}])";
                RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                // A compare-and-swap update keeps the tags.
                connect.name = "renamed";
                return txn.UpdatePrivateConnect(connect);
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ((*txn.FindZenlayerToken("hash-1"))->account_id, "acct-moved");
                EXPECT_FALSE(txn.FindZenlayerToken("hash-2")->has_value());
                EXPECT_EQ((*txn.GetZenlayerPort("acct", "p1"))->tags_json,
                          R"([{"key":"env","value":"prod"}])");
                EXPECT_EQ((*txn.GetZenlayerPort("acct", "p2"))->tags_json, "[]");
                auto connect = txn.GetPrivateConnect("acct", "pc1");
                EXPECT_EQ((*connect)->name, "renamed");
                EXPECT_EQ((*connect)->tags_json, R"([{"key":"team","value":"net"}])");
                auto page = txn.QueryPrivateConnects(
                    "acct", {}, {0, std::numeric_limits<int64_t>::max()});
                EXPECT_EQ(page->items.size(), 1u);
                EXPECT_EQ(page->items[0].tags_json, R"([{"key":"team","value":"net"}])");
                return absl::OkStatus();
              }).ok());
  // The state dump (admin export) leaves the token hash out.
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto dumps = txn.DumpTables();
                EXPECT_TRUE(dumps.ok());
                for (const TableDump& dump : *dumps) {
                  for (const std::string& column : dump.columns) {
                    EXPECT_EQ(column.find("token"), std::string::npos) << dump.table;
                  }
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ZenlayerPortsAndPrivateConnects) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.PutZenlayerCredential({"AKZ", "pw", "acct"}));
                RETURN_IF_ERROR(txn.PutZenlayerCredential({"AKZ", "pw2", "acct"}));
                RETURN_IF_ERROR(
                    txn.InsertZenlayerPort({"acct", "p2", "port two", "dc1", "RUNNING", "{}", 1}));
                RETURN_IF_ERROR(
                    txn.InsertZenlayerPort({"acct", "p1", "port one", "dc1", "RUNNING", "{}", 1}));
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertZenlayerPort({"acct", "p1", "dup", "dc1", "RUNNING", "{}", 1})));
                RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc1", "p1", 10, 100)));
                RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc2", "p2", 10, 200)));
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertPrivateConnect(MakeConnect("pc1", "p1", 11, 100))));
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ((*txn.FindZenlayerCredential("AKZ"))->access_key_password, "pw2");
                auto ports = txn.ListZenlayerPorts("acct");
                EXPECT_EQ(ports->size(), 2u);
                EXPECT_EQ((*ports)[0].port_id, "p1");
                EXPECT_EQ((*txn.GetZenlayerPort("acct", "p2"))->port_name, "port two");
                EXPECT_FALSE(txn.GetZenlayerPort("other", "p2")->has_value());
                auto connects = txn.QueryPrivateConnects("acct", {}, {0, 1000});
                EXPECT_EQ(connects->items.size(), 2u);
                EXPECT_EQ(connects->items[0].private_connect_id, "pc2");  // newest first
                auto by_vlan = txn.FindPrivateConnectByPortVlan("acct", "p1", 10);
                EXPECT_EQ((*by_vlan)->private_connect_id, "pc1");
                auto by_z = txn.FindPrivateConnectByPortVlan("acct", "pz", 7);
                EXPECT_EQ((*by_z)->private_connect_id, "pc1");
                EXPECT_FALSE(txn.FindPrivateConnectByPortVlan("acct", "p1", 11)->has_value());
                EXPECT_EQ((*txn.GetPrivateConnect("acct", "pc1"))->endpoint_a.vlan_id, 10);
                return absl::OkStatus();
              }).ok());
  PrivateConnect connect = MakeConnect("pc1", "p1", 10, 100);
  connect.status = "RUNNING";
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdatePrivateConnect(connect); }).ok());
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.UpdatePrivateConnect(connect); })));
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.DeletePrivateConnect("acct", "pc1", 0); })));
  ASSERT_TRUE(Write([&](StoreTransaction& txn) {
                return txn.DeletePrivateConnect("acct", "pc1", 1);
              }).ok());
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.DeletePrivateConnect("acct", "pc1", 1); })));
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.UpdatePrivateConnect(connect); })));
}

TEST_P(StoreContractTest, ZenlayerPortLifecycleColumnsAndDatacenterCatalog) {
  ZenlayerPort port{"acct", "p1", "one", "SIN1", "CREATING", R"({"portType":"1G"})", 5};
  ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
                RETURN_IF_ERROR(txn.InsertZenlayerPort({"acct", "p2", "two", "SIN1", "RUNNING"}));
                RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc1", "p2", 10, 100)));
                RETURN_IF_ERROR(txn.PutZenlayerDatacenter(
                    {"SIN1", "Singapore 1", "addr", "Singapore", "Singapore", "Asia Pacific", true,
                     R"({"latitude":1.3})"}));
                RETURN_IF_ERROR(txn.PutZenlayerDatacenter(
                    {"FRA1", "Frankfurt 1", "", "Frankfurt", "Germany", "Europe", false, "{}"}));
                // Upsert replaces.
                return txn.PutZenlayerDatacenter(
                    {"FRA1", "Frankfurt One", "", "Frankfurt", "Germany", "Europe", false, "{}"});
              }).ok());
  port.port_status = "RECYCLED";
  port.recycled_at_ms = 77;
  port.expired_at_ms = 88;
  port.updated_at_ms = 66;
  port.attributes_json = R"({"portType":"1G","portRemarks":"r"})";
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdateZenlayerPort(port); }).ok());
  // The same version again lost the race.
  EXPECT_TRUE(
      absl::IsAborted(Write([&](StoreTransaction& txn) { return txn.UpdateZenlayerPort(port); })));
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                std::optional<ZenlayerPort> stored = *txn.GetZenlayerPort("acct", "p1");
                EXPECT_EQ(stored->port_status, "RECYCLED");
                EXPECT_EQ(stored->recycled_at_ms, 77);
                EXPECT_EQ(stored->expired_at_ms, 88);
                EXPECT_EQ(stored->updated_at_ms, 66);
                EXPECT_EQ(stored->created_at_ms, 5);
                EXPECT_EQ(stored->version, 1);
                EXPECT_EQ(stored->attributes_json, R"({"portType":"1G","portRemarks":"r"})");
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("acct", "p1"), 0);
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("acct", "p2"), 1);
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("acct", "pz"), 1);  // endpoint Z
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("other", "p2"), 0);
                std::vector<ZenlayerDatacenter> catalog = *txn.ListZenlayerDatacenters();
                EXPECT_EQ(catalog.size(), 2u);
                EXPECT_EQ(catalog[0].dc_id, "FRA1");
                EXPECT_EQ(catalog[0].dc_name, "Frankfurt One");
                EXPECT_FALSE(catalog[0].port_available);
                std::optional<ZenlayerDatacenter> sin = *txn.GetZenlayerDatacenter("SIN1");
                EXPECT_TRUE(sin->port_available);
                EXPECT_EQ(sin->attributes_json, R"({"latitude":1.3})");
                EXPECT_FALSE(txn.GetZenlayerDatacenter("NOPE")->has_value());
                return absl::OkStatus();
              }).ok());
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.DeleteZenlayerPort("acct", "p1", 0); })));
  ASSERT_TRUE(
      Write([&](StoreTransaction& txn) { return txn.DeleteZenlayerPort("acct", "p1", 1); }).ok());
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.DeleteZenlayerPort("acct", "p1", 1); })));
  EXPECT_TRUE(
      absl::IsNotFound(Write([&](StoreTransaction& txn) { return txn.UpdateZenlayerPort(port); })));
}

TEST_P(StoreContractTest, ReadGatedJobsIdempotencyAndTenantReset) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                Job gated = MakeJob("j1", "i1", 1, kNeverDue);
                gated.reads_remaining = 2;
                RETURN_IF_ERROR(txn.InsertJob(gated));
                RETURN_IF_ERROR(txn.InsertJob(MakeJob("j2", "i1", 1, 5)));
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a")));
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p2", "i9", "b")));
                RETURN_IF_ERROR(txn.PutHuaweiCredential({"AK1", "SK1", "p1", "demo", "u1"}));
                RETURN_IF_ERROR(txn.PutIdempotencyRecord({"dms:p1", "k1", "h", 0, "", 1}));
                RETURN_IF_ERROR(txn.PutIdempotencyRecord({"dms:p1", "k1", "h", 200, "{}", 2}));
                return txn.PutIdempotencyRecord({"dms:p2", "k1", "h", 0, "", 1});
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto gated = txn.ListReadGatedJobs("p1", "i1");
                EXPECT_EQ(gated->size(), 1u);
                EXPECT_EQ((*gated)[0].reads_remaining, 2);
                auto record = txn.GetIdempotencyRecord("dms:p1", "k1");
                EXPECT_EQ((*record)->http_status, 200);
                EXPECT_EQ((*record)->response_body, "{}");
                auto dumps = txn.DumpTables();
                bool saw_credentials = false;
                for (const TableDump& dump : *dumps) {
                  EXPECT_NE(dump.table, "schema_version");
                  if (dump.table == "huawei_credentials") {
                    saw_credentials = true;
                    EXPECT_EQ(dump.rows.size(), 1u);
                    for (const std::string& column : dump.columns) {
                      EXPECT_EQ(column.find("secret"), std::string::npos);
                    }
                  }
                }
                EXPECT_TRUE(saw_credentials);
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.DeleteIdempotencyRecord("dms:p2", "k1"));
                return txn.DeleteTenantData("p1");
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_FALSE(txn.GetJob("j1")->has_value());
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i1")->has_value());
                EXPECT_TRUE(txn.GetKafkaInstance("p2", "i9")->has_value());
                EXPECT_FALSE(txn.GetIdempotencyRecord("dms:p1", "k1")->has_value());
                EXPECT_FALSE(txn.GetIdempotencyRecord("dms:p2", "k1")->has_value());
                EXPECT_TRUE(txn.FindHuaweiCredential("AK1")->has_value());
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteAllData(); }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_FALSE(txn.FindHuaweiCredential("AK1")->has_value());
                EXPECT_FALSE(txn.GetKafkaInstance("p2", "i9")->has_value());
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(*SchemaVersion(), SchemaMigrations().back().version);
}

// ---- PostgreSQL only: replicas starting together, lost connections ----

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

// ---- Issue 6: Describe filters and pages in the database; group commit ----

TEST_P(StoreContractTest, QueryPrivateConnectsFiltersAndPagesInTheDatabase) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                for (int idx = 0; idx < 30; ++idx) {
                  PrivateConnect connect =
                      MakeConnect("pc" + std::to_string(100 + idx), "p1", idx + 1, 1000 + idx);
                  connect.name = idx % 3 == 0 ? "edge-sin" : "core-fra";
                  connect.status = idx % 2 == 0 ? "RUNNING" : "RECYCLED";
                  RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                }
                PrivateConnect other = MakeConnect("pc999", "p1", 1, 5000);
                other.account_id = "other";
                return txn.InsertPrivateConnect(other);
              }).ok());
  auto query = [&](const PrivateConnectFilter& filter, int64_t offset, int64_t limit) {
    Page<PrivateConnect> result;
    EXPECT_TRUE(
        Read([&](StoreTransaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(result, txn.QueryPrivateConnects("acct", filter, {offset, limit}));
          return absl::OkStatus();
        }).ok());
    return result;
  };
  Page<PrivateConnect> all = query({}, 0, 50);
  EXPECT_EQ(all.total, 30);
  ASSERT_EQ(all.items.size(), 30u);
  EXPECT_EQ(all.items.front().private_connect_id, "pc129");  // newest first
  EXPECT_EQ(all.items.back().private_connect_id, "pc100");
  Page<PrivateConnect> second = query({}, 10, 10);
  EXPECT_EQ(second.total, 30);
  ASSERT_EQ(second.items.size(), 10u);
  EXPECT_EQ(second.items.front().private_connect_id, "pc119");
  Page<PrivateConnect> past_end = query({}, 40, 10);
  EXPECT_EQ(past_end.total, 30);
  EXPECT_TRUE(past_end.items.empty());

  PrivateConnectFilter by_ids;
  by_ids.ids = {"pc101", "pc105", "pc999", "nope", "x\"y"};
  Page<PrivateConnect> ids = query(by_ids, 0, 50);
  EXPECT_EQ(ids.total, 2);  // pc999 is another account's
  ASSERT_EQ(ids.items.size(), 2u);
  EXPECT_EQ(ids.items[0].private_connect_id, "pc105");

  PrivateConnectFilter combined;
  combined.name = "sin";        // idx % 3 == 0: 0,3,...,27 (10 rows)
  combined.status = "RUNNING";  // even idx: 0,6,12,18,24
  Page<PrivateConnect> sin_running = query(combined, 0, 2);
  EXPECT_EQ(sin_running.total, 5);
  ASSERT_EQ(sin_running.items.size(), 2u);
  EXPECT_EQ(sin_running.items[0].private_connect_id, "pc124");
  EXPECT_EQ(sin_running.items[1].private_connect_id, "pc118");

  PrivateConnectFilter down;
  down.running = false;
  EXPECT_EQ(query(down, 0, 50).total, 15);
  PrivateConnectFilter active;
  active.running = true;
  active.status = "RECYCLED";  // contradictory: nothing
  EXPECT_EQ(query(active, 0, 50).total, 0);
}

// Page totals must follow every write path: inserts, status changes, deletes,
// a rolled-back transaction, and the tenant and full resets. (SQLite answers
// status-only totals from counts kept by triggers, PostgreSQL with COUNT(*).)
TEST_P(StoreContractTest, PrivateConnectTotalsFollowEveryWrite) {
  auto total = [&](std::string_view account, std::optional<std::string> status,
                   std::optional<bool> running) {
    PrivateConnectFilter filter;
    filter.status = std::move(status);
    filter.running = running;
    int64_t result = -1;
    EXPECT_TRUE(Read([&](StoreTransaction& txn) -> absl::Status {
                  ASSIGN_OR_RETURN(Page<PrivateConnect> page,
                                   txn.QueryPrivateConnects(account, filter, {0, 1}));
                  result = page.total;
                  return absl::OkStatus();
                }).ok());
    return result;
  };
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                for (int idx = 0; idx < 6; ++idx) {
                  PrivateConnect connect =
                      MakeConnect("pc" + std::to_string(idx), "p1", idx + 1, 100 + idx);
                  connect.status = idx < 4 ? "RUNNING" : "CREATING";
                  RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                }
                PrivateConnect other = MakeConnect("pc-other", "p1", 1, 100);
                other.account_id = "other";
                other.status = "RUNNING";
                return txn.InsertPrivateConnect(other);
              }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 6);
  EXPECT_EQ(total("acct", "RUNNING", std::nullopt), 4);
  EXPECT_EQ(total("acct", std::nullopt, false), 2);
  EXPECT_EQ(total("other", std::nullopt, std::nullopt), 1);

  // RUNNING -> RECYCLED, and an update that keeps the status.
  for (const char* id : {"pc0", "pc1"}) {
    ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                  ASSIGN_OR_RETURN(std::optional<PrivateConnect> connect,
                                   txn.GetPrivateConnect("acct", id));
                  connect->status = "RECYCLED";
                  RETURN_IF_ERROR(txn.UpdatePrivateConnect(*connect));
                  connect->version += 1;
                  connect->name = "renamed";
                  return txn.UpdatePrivateConnect(*connect);
                }).ok());
  }
  EXPECT_EQ(total("acct", "RUNNING", std::nullopt), 2);
  EXPECT_EQ(total("acct", "RECYCLED", std::nullopt), 2);
  EXPECT_EQ(total("acct", std::nullopt, true), 2);
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 6);

  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                ASSIGN_OR_RETURN(std::optional<PrivateConnect> connect,
                                 txn.GetPrivateConnect("acct", "pc0"));
                return txn.DeletePrivateConnect("acct", "pc0", connect->version);
              }).ok());
  EXPECT_EQ(total("acct", "RECYCLED", std::nullopt), 1);
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 5);

  // A transaction that fails after writing leaves the totals as they were.
  EXPECT_FALSE(Write([](StoreTransaction& txn) -> absl::Status {
                 RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc-doomed", "p1", 50, 1)));
                 return absl::AbortedError("rolled back");
               }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 5);
  EXPECT_EQ(total("acct", "CREATING", std::nullopt), 2);

  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteTenantData("acct"); }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 0);
  EXPECT_EQ(total("other", "RUNNING", std::nullopt), 1);
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                return txn.InsertPrivateConnect(MakeConnect("pc-new", "p1", 9, 1));
              }).ok());
  EXPECT_EQ(total("acct", "CREATING", std::nullopt), 1);
  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteAllData(); }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 0);
  EXPECT_EQ(total("other", std::nullopt, std::nullopt), 0);
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                return txn.InsertPrivateConnect(MakeConnect("pc-after-reset", "p1", 9, 1));
              }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 1);
}

// A failing step inside a savepoint loses only its own writes, including
// after a statement error (PostgreSQL aborts the transaction up to the
// savepoint); the transaction goes on and commits the rest.
TEST_P(StoreContractTest, SavepointRollsBackOnlyTheFailedStep) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "before", "b")));
                absl::Status failed = txn.RunInSavepoint([&]() -> absl::Status {
                  RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "inside", "x")));
                  return absl::FailedPreconditionError("step refused");
                });
                EXPECT_TRUE(absl::IsFailedPrecondition(failed)) << failed;
                absl::Status duplicate = txn.RunInSavepoint([&]() -> absl::Status {
                  // A statement error: the primary key exists.
                  return txn.InsertKafkaInstance(MakeInstance("p1", "before", "again"));
                });
                EXPECT_FALSE(duplicate.ok());
                RETURN_IF_ERROR(txn.RunInSavepoint([&]() -> absl::Status {
                  return txn.InsertKafkaInstance(MakeInstance("p1", "kept", "k"));
                }));
                return txn.InsertKafkaInstance(MakeInstance("p1", "after", "a"));
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                for (const char* id : {"before", "kept", "after"}) {
                  ASSIGN_OR_RETURN(std::optional<KafkaInstance> found,
                                   txn.GetKafkaInstance("p1", id));
                  EXPECT_TRUE(found.has_value()) << id;
                }
                ASSIGN_OR_RETURN(std::optional<KafkaInstance> rolled_back,
                                 txn.GetKafkaInstance("p1", "inside"));
                EXPECT_FALSE(rolled_back.has_value());
                ASSIGN_OR_RETURN(std::optional<KafkaInstance> original,
                                 txn.GetKafkaInstance("p1", "before"));
                EXPECT_EQ(original->name, "b");
                return absl::OkStatus();
              }).ok());
}

// Each callback of WriteEach commits or rolls back on its own.
TEST_P(StoreContractTest, WriteEachIsolatesAFailingCallback) {
  auto insert = [](std::string id) {
    return
        [id](StoreTransaction& txn) { return txn.InsertKafkaInstance(MakeInstance("p1", id, id)); };
  };
  auto first = insert("i1");
  auto failing = [](StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", "i2", "doomed")));
    return absl::FailedPreconditionError("changed my mind");
  };
  auto duplicate = insert("i1");  // sees i1 of the same batch: AlreadyExists
  auto last = insert("i3");
  std::vector<TransactionFn> fns = {first, failing, duplicate, last};
  std::vector<absl::Status> statuses = store_->WriteEach(fns);
  ASSERT_EQ(statuses.size(), 4u);
  EXPECT_TRUE(statuses[0].ok()) << statuses[0];
  EXPECT_TRUE(absl::IsFailedPrecondition(statuses[1])) << statuses[1];
  EXPECT_TRUE(absl::IsAlreadyExists(statuses[2])) << statuses[2];
  EXPECT_TRUE(statuses[3].ok()) << statuses[3];
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_TRUE(txn.GetKafkaInstance("p1", "i1")->has_value());
                EXPECT_FALSE(txn.GetKafkaInstance("p1", "i2")->has_value());
                EXPECT_TRUE(txn.GetKafkaInstance("p1", "i3")->has_value());
                return absl::OkStatus();
              }).ok());
}

// Many concurrent writers, every fifth one failing: each acknowledged write is
// there (also after reopening the file), no failed one left a trace, and
// compare-and-swap still lets exactly one of the racing updates win.
TEST_P(StoreContractTest, ConcurrentWritersAreIsolatedAndDurable) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) {
                return txn.InsertKafkaInstance(MakeInstance("p1", "shared", "s"));
              }).ok());
  constexpr int kWriters = 16;
  constexpr int kWritesEach = 10;
  std::atomic<int> cas_wins = 0;
  std::vector<std::thread> threads;
  std::vector<std::vector<absl::Status>> results(kWriters);
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] {
      for (int idx = 0; idx < kWritesEach; ++idx) {
        std::string id = "w" + std::to_string(writer) + "-" + std::to_string(idx);
        bool fail = (writer * kWritesEach + idx) % 5 == 0;
        results[writer].push_back(store_->Write([&](StoreTransaction& txn) -> absl::Status {
          RETURN_IF_ERROR(txn.InsertKafkaInstance(MakeInstance("p1", id, id)));
          if (fail) return absl::FailedPreconditionError("injected");
          return absl::OkStatus();
        }));
      }
      KafkaInstance stale = MakeInstance("p1", "shared", "s");  // version 0
      stale.name = "writer" + std::to_string(writer);
      if (store_->Write([&](StoreTransaction& txn) { return txn.UpdateKafkaInstance(stale); })
              .ok()) {
        ++cas_wins;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(cas_wins.load(), 1);
  auto check = [&](Store& store) {
    ASSERT_TRUE(store
                    .Read([&](StoreTransaction& txn) -> absl::Status {
                      for (int writer = 0; writer < kWriters; ++writer) {
                        for (int idx = 0; idx < kWritesEach; ++idx) {
                          std::string id = "w" + std::to_string(writer) + "-" + std::to_string(idx);
                          bool fail = (writer * kWritesEach + idx) % 5 == 0;
                          EXPECT_EQ(results[writer][static_cast<size_t>(idx)].ok(), !fail) << id;
                          EXPECT_EQ(txn.GetKafkaInstance("p1", id)->has_value(), !fail) << id;
                        }
                      }
                      EXPECT_EQ((*txn.GetKafkaInstance("p1", "shared"))->version, 1);
                      return absl::OkStatus();
                    })
                    .ok());
  };
  check(*store_);
  if (!IsMemory()) {
    store_.reset();
    auto reopened = OpenStore();
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    store_ = std::move(*reopened);
    check(*store_);
  }
}

std::vector<std::string> Backends() {
  std::vector<std::string> backends = {"sqlite-memory", "sqlite-file"};
  if (PostgresDsn() != nullptr) backends.push_back("postgres");
  return backends;
}

// ---- Audit trail and job counts ----

AuditEntry MakeAudit(std::string tenant, std::string resource, int64_t at_ms, std::string to) {
  AuditEntry entry;
  entry.at_ms = at_ms;
  entry.tenant = std::move(tenant);
  entry.actor = "AK1";
  entry.resource_type = "kafka_instance";
  entry.resource_id = std::move(resource);
  entry.action = "CreateConnector";
  entry.from_status = "RUNNING";
  entry.to_status = std::move(to);
  entry.job_id = "job-1";
  entry.request_id = "req-1";
  return entry;
}

TEST_P(StoreContractTest, AuditEntriesAreListedNewestFirstWithFiltersAndMarker) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    for (int idx = 0; idx < 5; ++idx) {
                      RETURN_IF_ERROR(txn.AppendAudit(
                          MakeAudit("p1", idx % 2 == 0 ? "i1" : "i2", 1000 + idx, "EXTENDING")));
                    }
                    return txn.AppendAudit(MakeAudit("p2", "i9", 2000, "RUNNING"));
                  })
                  .ok());
  std::vector<AuditEntry> all;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(all, txn.ListAudit(AuditFilter{}));
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].tenant, "p2");
  EXPECT_EQ(all[0].at_ms, 2000);
  EXPECT_EQ(all[0].actor, "AK1");
  EXPECT_EQ(all[0].from_status, "RUNNING");
  EXPECT_EQ(all[0].to_status, "RUNNING");
  EXPECT_EQ(all[0].job_id, "job-1");
  EXPECT_EQ(all[0].request_id, "req-1");
  for (size_t idx = 1; idx < all.size(); ++idx) {
    EXPECT_GT(all[idx - 1].audit_id, all[idx].audit_id);
    EXPECT_GE(all[idx - 1].at_ms, all[idx].at_ms);
  }

  // Filters, then pages of 2 by marker over tenant p1 (5 entries).
  ASSERT_TRUE(store_
                  ->Read([&](StoreTransaction& txn) -> absl::Status {
                    AuditFilter by_resource;
                    by_resource.tenant = "p1";
                    by_resource.resource_id = "i2";
                    ASSIGN_OR_RETURN(std::vector<AuditEntry> i2, txn.ListAudit(by_resource));
                    EXPECT_EQ(i2.size(), 2u);
                    AuditFilter page;
                    page.tenant = "p1";
                    page.limit = 2;
                    std::vector<std::string> seen;
                    for (int round = 0; round < 4; ++round) {
                      ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, txn.ListAudit(page));
                      for (const AuditEntry& entry : entries) seen.push_back(entry.audit_id);
                      if (entries.size() < 2) break;
                      page.before_audit_id = entries.back().audit_id;
                    }
                    EXPECT_EQ(seen.size(), 5u);
                    for (size_t idx = 1; idx < seen.size(); ++idx) {
                      EXPECT_GT(seen[idx - 1], seen[idx]);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContractTest, AuditEntryRollsBackWithItsTransaction) {
  absl::Status status = store_->Write([](StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.AppendAudit(MakeAudit("p1", "i1", 1000, "EXTENDING")));
    return absl::FailedPreconditionError("change refused");
  });
  EXPECT_TRUE(absl::IsFailedPrecondition(status));
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, txn.ListAudit(AuditFilter{}));
                    EXPECT_TRUE(entries.empty());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContractTest, ResetDeletesTheTenantsAuditEntries) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.AppendAudit(MakeAudit("p1", "i1", 1000, "EXTENDING")));
                    return txn.AppendAudit(MakeAudit("p2", "i2", 1000, "EXTENDING"));
                  })
                  .ok());
  ASSERT_TRUE(store_->Write([](StoreTransaction& txn) { return txn.DeleteTenantData("p1"); }).ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, txn.ListAudit(AuditFilter{}));
                    EXPECT_EQ(entries.size(), 1u);
                    if (!entries.empty()) {
                      EXPECT_EQ(entries[0].tenant, "p2");
                    }
                    // The state dump leaves the audit table to ListAudit.
                    ASSIGN_OR_RETURN(std::vector<TableDump> dumps, txn.DumpTables());
                    for (const TableDump& dump : dumps) EXPECT_NE(dump.table, "audit_log");
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store_->Write([](StoreTransaction& txn) { return txn.DeleteAllData(); }).ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, txn.ListAudit(AuditFilter{}));
                    EXPECT_TRUE(entries.empty());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContractTest, CountJobsGroupsByTypeAndStatus) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.InsertJob(MakeJob("j1", "i1", 1000, 2000)));
                    RETURN_IF_ERROR(txn.InsertJob(MakeJob("j2", "i1", 1000, 2000)));
                    Job done = MakeJob("j3", "i2", 1000, 2000);
                    done.status = JobStatus::kSucceeded;
                    RETURN_IF_ERROR(txn.InsertJob(done));
                    Job other = MakeJob("j4", "i2", 1000, 2000);
                    other.job_type = "zenlayer.create_private_connect";
                    other.status = JobStatus::kFailed;
                    return txn.InsertJob(other);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::vector<JobCount> counts, txn.CountJobs());
                    EXPECT_EQ(counts.size(), 3u);
                    int64_t pending = 0;
                    for (const JobCount& count : counts) {
                      if (count.job_type == "kafka.enable_connector" &&
                          count.status == JobStatus::kPending) {
                        pending = count.count;
                      }
                      if (count.job_type == "zenlayer.create_private_connect") {
                        EXPECT_EQ(count.status, JobStatus::kFailed);
                        EXPECT_EQ(count.count, 1);
                      }
                    }
                    EXPECT_EQ(pending, 2);
                    return absl::OkStatus();
                  })
                  .ok());
}

// Migration versions come from parallel branches: a database that recorded a
// higher version must still get a lower one it lacks (here 5, under a "99").
TEST_P(StoreContractTest, MigrationsApplyMissingVersionsBelowTheHighestRecorded) {
  if (IsMemory()) GTEST_SKIP() << "needs a database that outlives the store";
  store_.reset();
  const std::string drop =
      "DELETE FROM schema_version WHERE version = 5; DROP TABLE audit_log; "
      "INSERT INTO schema_version (version, description, applied_at_ms) VALUES (99, 'future', 0)";
  if (IsPostgres()) {
    PostgresAdmin("SET search_path TO " + schema_ + "; " + drop);
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, drop.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto reopened = OpenStore();
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) {
                    return txn.AppendAudit(MakeAudit("p1", "i1", 1000, "EXTENDING"));
                  })
                  .ok());
  EXPECT_EQ(*SchemaVersion(), 99);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

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

}  // namespace
}  // namespace connectplane::store

namespace connectplane::store {
namespace {

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

// A database created before migration 7 holds connects but no counts: the
// migration must backfill them, or every total would read 0 after upgrade.
TEST(SqliteStoreTest, CountMigrationBackfillsExistingConnects) {
  std::string path = TempPath("count-backfill");
  RemoveDatabase(path);
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->Write([](StoreTransaction& txn) -> absl::Status {
                      for (int idx = 0; idx < 3; ++idx) {
                        PrivateConnect connect =
                            MakeConnect("pc" + std::to_string(idx), "p1", idx + 1, 100 + idx);
                        connect.status = idx == 0 ? "RECYCLED" : "RUNNING";
                        RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // Back to a version-6 schema with the same rows.
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TRIGGER zenlayer_private_connects_count_insert; "
                           "DROP TRIGGER zenlayer_private_connects_count_delete; "
                           "DROP TRIGGER zenlayer_private_connects_count_update; "
                           "DROP TABLE zenlayer_private_connect_counts; "
                           "DELETE FROM schema_version WHERE version = 7",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto reopened = SqliteStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto total = [&](std::optional<std::string> status) {
    PrivateConnectFilter filter;
    filter.status = std::move(status);
    int64_t result = -1;
    EXPECT_TRUE((*reopened)
                    ->Read([&](StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(Page<PrivateConnect> page,
                                       txn.QueryPrivateConnects("acct", filter, {0, 10}));
                      result = page.total;
                      return absl::OkStatus();
                    })
                    .ok());
    return result;
  };
  EXPECT_EQ(total(std::nullopt), 3);
  EXPECT_EQ(total("RUNNING"), 2);
  EXPECT_EQ(total("RECYCLED"), 1);
  reopened->reset();
  RemoveDatabase(path);
}

// Concurrent writers share commits (group commit); whether they do on a given
// run depends on scheduling, so only the upper bound is asserted.
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
