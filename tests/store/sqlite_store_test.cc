// Store contract tests. Parameterised by backend so the PostgreSQL store can
// join the same suite (STYLE rule 18).
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/migrations.h"

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
  job.project_id = "p1";
  job.resource_id = std::move(resource);
  job.job_type = "kafka.enable_connector";
  job.name = "createConnector";
  job.created_at_ms = created_at_ms;
  job.updated_at_ms = created_at_ms;
  job.due_at_ms = due_at_ms;
  return job;
}

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite-file") {
      path_ = TempPath(::testing::UnitTest::GetInstance()->current_test_info()->name());
      RemoveDatabase(path_);
    } else {
      path_ = ":memory:";
    }
    auto opened = SqliteStore::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    if (path_ != ":memory:") RemoveDatabase(path_);
  }

  absl::Status Write(const std::function<absl::Status(StoreTransaction&)>& fn) {
    return store_->Write([&](StoreTransaction& txn) { return fn(txn); });
  }
  absl::Status Read(const std::function<absl::Status(StoreTransaction&)>& fn) {
    return store_->Read([&](StoreTransaction& txn) { return fn(txn); });
  }

  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_P(StoreContractTest, AppliesEveryMigration) {
  auto version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok());
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
                  KafkaInstance instance = MakeInstance("p1", "i" + std::to_string(idx),
                                                        idx % 2 == 0 ? "even-kafka" : "odd-kafka",
                                                        1000 + idx);
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
  absl::Status status = Read([](StoreTransaction& txn) {
    return txn.InsertKafkaInstance(MakeInstance("p1", "i1", "a"));
  });
  EXPECT_FALSE(status.ok());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values("sqlite-memory", "sqlite-file"));

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
