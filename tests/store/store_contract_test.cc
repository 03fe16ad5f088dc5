// Store contract tests, parameterised by backend (STYLE rule 18; the fixture is
// store_contract_fixture.h): credentials, Kafka instances, jobs, transactions,
// Smart Connect tasks, idempotency, the audit trail and migrations. SQLite
// always; PostgreSQL when CONNECTPLANE_TEST_POSTGRES_DSN names a server (see
// scripts/with-postgres.sh). The one instantiation below also runs the
// StoreContractTest cases of the other files (concurrency, Zenlayer, the
// PostgreSQL-only ones).
#include "store/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store_contract_fixture.h"
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace connectplane::store {
namespace {

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
                         BackendTestName);

}  // namespace
}  // namespace connectplane::store
