// Store contract, concurrency: what the SQLite store gets from its single
// writer, every backend must give replicas sharing one database (racing
// read-modify-writes and compare-and-swaps, job claims by concurrent runners,
// many concurrent writers). StoreContractTest cases, instantiated in
// store_contract_test.cc.
#include <gtest/gtest.h>

#include "store_contract_fixture.h"
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace connectplane::store {
namespace {

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

}  // namespace
}  // namespace connectplane::store
