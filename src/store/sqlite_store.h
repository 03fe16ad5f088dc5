// SQLite implementation of Store in WAL mode: one writer connection, write
// transactions group-committed (concurrent Write() calls share one
// BEGIN IMMEDIATE..COMMIT and one fsync, each callback in its own savepoint),
// and a pool of reader connections so reads run concurrently with each other
// and with the writer. Durable by default (synchronous=FULL): Write() returns
// only after the commit holding its changes reached the disk.
// Safe for concurrent use. By default one process owns the file
// (SqliteOptions::exclusive_process); with shared locking several processes may
// open it and SQLite's own locking (busy timeout) serializes them.
#pragma once

#include "store/store.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace connectplane::store {

namespace internal {
class SqliteConnection;
}  // namespace internal

struct SqliteOptions {
  // FULL: fsync on every commit (durable against power loss). NORMAL: fsync at
  // checkpoints only (durable against process crash), for fast emulator runs.
  bool synchronous_full = true;
  int busy_timeout_ms = 5000;
  // Page cache per connection in KiB (PRAGMA cache_size); bounds memory
  // whatever the database size (writer + each pooled reader).
  int cache_kib = 8192;
  // Share one commit among concurrent writers (see WriteEach). Off: one
  // BEGIN..COMMIT per Write() (kept to measure what group commit gains).
  bool group_commit = true;
  // One process per database file: the connections use SQLite's "unix-excl"
  // VFS, which locks the file for this process on first access and then
  // keeps WAL read locks inside the process (no fcntl() per transaction, about
  // a fifth of a signed read in the read profile, docs/performance.md). Another process (a second
  // server, the sqlite3 shell) cannot open the file meanwhile; Open fails at
  // once if one already has it. false: SQLite's default POSIX locking, several
  // processes on one file. Ignored for ":memory:".
  bool exclusive_process = true;
  // Name of a registered SQLite VFS (sqlite3_vfs_register) that every
  // connection opens the database through; empty = the choice above
  // ("unix-excl" or SQLite's default). The hook for tests (a fault-injecting
  // VFS, tests/fakes/fault_injection_vfs.h) and for special file systems, as
  // LevelDB's Options::env. A named VFS decides locking itself:
  // exclusive_process is then ignored.
  std::string vfs;
  // Open first checks an existing file with PRAGMA quick_check (every page of
  // every b-tree: structure, free list, cell sizes, NOT NULL; not the contents of
  // indexes against their tables), on a connection of its own, before
  // migrating, for at most this long; zero skips the check. A damaged file
  // makes Open fail (DataLoss, naming the path and the first problems found). A
  // check that runs out of time lets Open go on with a warning: a file too large
  // to check in time (quick_check reads it whole, ~0.15 s per 100 MB with a warm
  // page cache) is then only partly checked.
  absl::Duration integrity_check_budget = absl::Seconds(10);
};

// What a start-up integrity check came to, when it found no damage.
struct IntegrityCheck {
  bool complete = false;  // false: stopped at its time budget, no damage found so far
  absl::Duration elapsed;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for a private
  // in-memory database) and applies pending migrations. Errors: Unavailable when
  // the file cannot be opened, Internal when a migration fails.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           SqliteOptions options = {});
  ~SqliteStore() override;

  // Clean shutdown: copies the WAL into the database file and truncates it
  // (PRAGMA wal_checkpoint(TRUNCATE)), so the file alone holds every commit.
  // Call once no other write is in progress. Errors: Unavailable with
  // SQLite's message (the WAL stays; the next open replays it).
  absl::Status Checkpoint();

  absl::Status Write(TransactionFn fn) override;
  absl::Status Read(TransactionFn fn) override;
  // Group commit: the callbacks join the queue of pending writes; one caller
  // at a time (the leader) runs up to kMaxBatch queued callbacks in one
  // BEGIN IMMEDIATE..COMMIT, each inside its own SAVEPOINT (a failing callback
  // rolls back only itself), and acknowledges them after the COMMIT. Should
  // SQLite abort the whole transaction (I/O error), every callback of the
  // batch that had succeeded gets Unavailable: nothing is acknowledged that is
  // not durable.
  std::vector<absl::Status> WriteEach(std::span<const TransactionFn> fns) override;

  // PRAGMA quick_check of the database file at `path`, through the VFS that
  // `options` selects, on a connection of its own, for at most `budget` (a
  // watchdog interrupts it). Errors: DataLoss "sqlite database <path> is damaged:
  // <cause>" (the check's first findings, or SQLite's verdict such as "file is
  // not a database"), Unavailable when the file cannot be opened or read, or is
  // in use by another process. Open calls it (SqliteOptions::integrity_check_budget).
  static absl::StatusOr<IntegrityCheck> CheckIntegrity(const std::string& path,
                                                       const SqliteOptions& options,
                                                       absl::Duration budget);

  // Highest applied migration version.
  absl::StatusOr<int32_t> SchemaVersion();
  // Number of write transactions committed (or attempted) so far.
  int64_t CommitCountForTest();

 private:
  struct PendingWrite {
    TransactionFn fn;
    absl::Status status;
    bool done = false;
  };
  static constexpr size_t kMaxBatch = 256;
  static constexpr size_t kMaxIdleReaders = 16;

  SqliteStore(std::unique_ptr<internal::SqliteConnection> writer, std::string path,
              SqliteOptions options);
  absl::Status Migrate();
  void CommitBatch(const std::vector<PendingWrite*>& batch);
  static absl::Status RunTransaction(internal::SqliteConnection& conn, TransactionFn fn,
                                     bool read_only);

  const std::string path_;
  const SqliteOptions options_;

  // The writer connection. A std::mutex for the same reason as queue_mu_
  // below: an in-memory database serves reads on this connection too, so
  // readers and the committer contend for it. Both fields are guarded by it.
  std::mutex mu_;
  std::unique_ptr<internal::SqliteConnection> writer_;
  int64_t commits_ = 0;

  // std::mutex for the same reason as queue_mu_ below (contended by readers).
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<internal::SqliteConnection>> idle_readers_;  // guarded by pool_mu_

  // The group-commit queue is the one hot, contended lock: it is a std::mutex
  // (pthread, intercepted by ThreadSanitizer) rather than absl::Mutex, whose
  // contended slow path runs inside Debian's uninstrumented Abseil, where TSan
  // cannot see the synchronization. Both fields below are guarded by it.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite*> queue_;
  bool committing_ = false;
};

}  // namespace connectplane::store
