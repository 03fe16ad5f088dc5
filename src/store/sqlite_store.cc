#include "store/sqlite_store.h"

#include "common/status.h"
#include "common/strings.h"
#include "store/internal/row_access.h"
#include "store/internal/sqlite_statement.h"
#include "store/internal/sqlite_transaction.h"
#include "store/migrations.h"

#include <sqlite3.h>

#include "spdlog/spdlog.h"
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

namespace connectplane::store {
namespace {

using internal::BindArgs;
using internal::Exec;
using internal::ExecControl;
using internal::kReadInt;
using internal::SqliteConnection;
using internal::SqlText;

// Transaction control statements, run through each connection's statement
// cache: sqlite3_exec would parse them again (and allocate a parser) on every
// transaction, which showed up in read-path profiles.
constexpr SqlText kBeginDeferred = "BEGIN";
constexpr SqlText kBeginImmediate = "BEGIN IMMEDIATE";
constexpr SqlText kCommit = "COMMIT";
constexpr SqlText kRollback = "ROLLBACK";
constexpr SqlText kSavepoint = "SAVEPOINT group_write";
constexpr SqlText kRelease = "RELEASE group_write";
constexpr SqlText kRollbackToSavepoint = "ROLLBACK TO group_write";

// Opens one connection with the store's pragmas. `reader`: query-only. Errors
// name the path.
absl::StatusOr<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path,
                                                                 const SqliteOptions& options,
                                                                 bool reader);

// A private in-memory database, or a URI (which may name one): no file to lock
// or to check.
bool IsPlainFile(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

// The VFS a connection to `path` opens through (nullptr: SQLite's default).
const char* VfsFor(const std::string& path, const SqliteOptions& options) {
  if (!options.vfs.empty()) return options.vfs.c_str();
  if (options.exclusive_process && IsPlainFile(path)) return "unix-excl";
  return nullptr;
}

absl::Status InUseByAnotherProcess() {
  return absl::UnavailableError(
      "in use by another process (SQLite serves one process per file: stop the other one, or "
      "start every process with --sqlite-lock shared; use PostgreSQL for replicas)");
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<SqliteConnection> writer, std::string path,
                         SqliteOptions options)
    : path_(std::move(path)), options_(std::move(options)), writer_(std::move(writer)) {}

SqliteStore::~SqliteStore() {
  std::lock_guard<std::mutex> lock(mu_);
  writer_.reset();
  std::lock_guard<std::mutex> pool_lock(pool_mu_);
  idle_readers_.clear();
}

namespace {

absl::StatusOr<std::unique_ptr<SqliteConnection>> OpenUnnamedConnection(
    const std::string& path, const SqliteOptions& options, bool reader) {
  sqlite3* db = nullptr;
  const char* vfs = VfsFor(path, options);
  const bool exclusive = options.vfs.empty() && vfs != nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    absl::Status status =
        absl::UnavailableError(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return status;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  if (exclusive) {
    // The first access takes the process lock: fail at once, not after the
    // busy timeout, when another process holds the file.
    sqlite3_busy_timeout(db, 0);
    absl::Status probe = Exec(db, "PRAGMA schema_version");
    if (!probe.ok() && (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY) {
      return InUseByAnotherProcess();
    }
    RETURN_IF_ERROR(probe);
  }
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // Bounded page cache per connection (negative = KiB): memory does not grow
  // with the database; the OS page cache keeps hot pages beyond it.
  std::string cache = common::StrCat("PRAGMA cache_size=-", options.cache_kib);
  RETURN_IF_ERROR(Exec(db, cache.c_str()));
  // Statement journals (opened inside a transaction by every statement that
  // fires a trigger, e.g. the counts of migration 7) and sorter spills stay in
  // memory: as temp files they cost a pwrite per page, which made inserts into
  // zenlayer_private_connects 5x slower. Both are bounded by one statement.
  RETURN_IF_ERROR(Exec(db, "PRAGMA temp_store=MEMORY"));
  if (reader) {
    RETURN_IF_ERROR(Exec(db, "PRAGMA query_only=1"));
    return conn;
  }
  RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(
      Exec(db, options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys=ON"));
  return conn;
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path,
                                                                 const SqliteOptions& options,
                                                                 bool reader) {
  absl::StatusOr<std::unique_ptr<SqliteConnection>> conn =
      OpenUnnamedConnection(path, options, reader);
  if (!conn.ok()) {
    return common::Annotate(conn.status(), common::StrCat("opening sqlite database ", path));
  }
  return conn;
}

// How many findings quick_check reports at most (it stops there), and how
// many of them an error message quotes.
constexpr int kMaxIntegrityFindings = 10;
constexpr size_t kQuotedFindings = 3;

// Interrupts a connection's running statement once `budget` has passed,
// unless Done() came first. The progress handler covers the virtual machine's
// steps (a bound tests can rely on: a spent budget stops the check at its next
// handler call); the thread covers quick_check's b-tree walk, one long step
// that calls no progress handler but does notice sqlite3_interrupt.
class IntegrityCheckDeadline {
 public:
  IntegrityCheckDeadline(sqlite3* db, absl::Duration budget)
      : db_(db), deadline_(absl::Now() + budget) {
    sqlite3_progress_handler(db_, 1000, &PastDeadline, &deadline_);
    watchdog_ = std::thread([this, budget] {
      std::unique_lock<std::mutex> lock(mu_);
      if (!done_cv_.wait_for(lock, absl::ToChronoNanoseconds(budget), [this] { return done_; })) {
        sqlite3_interrupt(db_);
      }
    });
  }
  // Call before closing the connection.
  void Done() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    done_cv_.notify_one();
    watchdog_.join();
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  }

 private:
  static int PastDeadline(void* deadline) {
    return absl::Now() >= *static_cast<const absl::Time*>(deadline) ? 1 : 0;
  }

  sqlite3* const db_;
  absl::Time deadline_;  // read by PastDeadline, on the checking thread
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;  // guarded by mu_
  std::thread watchdog_;
};

absl::Status Damaged(const std::string& path, std::string_view cause) {
  return absl::DataLossError(common::StrCat(
      "sqlite database ", path, " is damaged: ", cause,
      " (restore it from a backup, or move it aside to start with an empty database)"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               SqliteOptions options) {
  // SQLite's allocation statistics take one process-wide mutex around every
  // malloc and free; with several threads reading, that mutex was the most
  // contended lock of a signed read. Nothing reads those statistics. The
  // setting is only accepted before SQLite initializes (the first Open); a
  // later call fails harmlessly.
  static std::once_flag disable_memstatus;
  std::call_once(disable_memstatus, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  std::error_code exists_error;
  if (options.integrity_check_budget > absl::ZeroDuration() && IsPlainFile(path) &&
      std::filesystem::exists(path, exists_error)) {
    ASSIGN_OR_RETURN(IntegrityCheck check,
                     CheckIntegrity(path, options, options.integrity_check_budget));
    if (!check.complete) {
      spdlog::warn(
          "sqlite database {}: integrity check stopped after {} with no damage found so far; the "
          "file is only partly checked",
          path, absl::FormatDuration(absl::Trunc(check.elapsed, absl::Milliseconds(1))));
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> writer, OpenConnection(path, options, false));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(writer), path, options));
  RETURN_IF_ERROR(common::Annotate(store->Migrate(), common::StrCat("migrating ", path)));
  return store;
}

absl::StatusOr<IntegrityCheck> SqliteStore::CheckIntegrity(const std::string& path,
                                                           const SqliteOptions& options,
                                                           absl::Duration budget) {
  const absl::Time start = absl::Now();
  sqlite3* raw = nullptr;
  // No SQLITE_OPEN_CREATE: a missing file is an error here, not a new database.
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                           VfsFor(path, options));
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, &sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(common::StrCat(
        "opening sqlite database ", path,
        " for its integrity check: ", raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  // As OpenConnection: with the process lock, another process holding the file
  // is refused at once; with shared locking, a writer of another process is waited for.
  const bool exclusive = options.vfs.empty() && VfsFor(path, options) != nullptr;
  sqlite3_busy_timeout(db.get(), exclusive ? 0 : options.busy_timeout_ms);
  sqlite3_stmt* raw_stmt = nullptr;
  const std::string sql = common::StrCat("PRAGMA quick_check(", kMaxIntegrityFindings, ")");
  std::vector<std::string> findings;
  {
    IntegrityCheckDeadline deadline(db.get(), budget);
    rc = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_stmt, nullptr);
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(raw_stmt)) == SQLITE_ROW) {
        // One row may hold several findings, a line each.
        const unsigned char* text = sqlite3_column_text(raw_stmt, 0);
        for (std::string_view line :
             common::Split(text != nullptr ? reinterpret_cast<const char*>(text) : "", '\n')) {
          if (!line.empty() && !line.starts_with("*** in database")) findings.emplace_back(line);
        }
      }
    }
    deadline.Done();
  }
  // The error code and message belong to the step (or prepare) that failed.
  const int primary = rc & 0xff;
  const std::string message = sqlite3_errmsg(db.get());
  sqlite3_finalize(raw_stmt);
  IntegrityCheck check{true, absl::Now() - start};
  if (primary == SQLITE_INTERRUPT) {
    check.complete = false;
    return check;
  }
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return Damaged(path, message);
  }
  if (exclusive && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)) {
    return common::Annotate(InUseByAnotherProcess(),
                            common::StrCat("opening sqlite database ", path));
  }
  if (rc != SQLITE_DONE) {
    return absl::UnavailableError(common::StrCat("checking the integrity of sqlite database ", path,
                                                 ": ", message, " (rc=", rc, ")"));
  }
  if (findings.size() == 1 && findings.front() == "ok") {
    return check;
  }
  std::string cause = "PRAGMA quick_check:";
  for (size_t finding_idx = 0; finding_idx < findings.size() && finding_idx < kQuotedFindings;
       ++finding_idx) {
    cause += finding_idx == 0 ? " " : "; ";
    cause += findings[finding_idx];
  }
  if (findings.size() > kQuotedFindings) {
    cause += "; and more";
  }
  return Damaged(path, cause);
}

absl::Status SqliteStore::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteConnection& writer = *writer_;
  sqlite3* db = writer.db();
  RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  auto apply = [&writer, db]() -> absl::Status {
    RETURN_IF_ERROR(Exec(db,
                         "CREATE TABLE IF NOT EXISTS schema_version ("
                         "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                         "applied_at_ms BIGINT NOT NULL)"));
    // Only the (tiny) schema_version table is read: start-up cost does not
    // depend on how many rows the data tables hold.
    absl::StatusOr<std::vector<int64_t>> versions =
        internal::QueryAll(writer, "SELECT version FROM schema_version", BindArgs(), kReadInt);
    RETURN_IF_ERROR(common::Annotate(versions.status(), "reading schema versions"));
    std::set<int32_t> applied;
    for (int64_t version : *versions) {
      applied.insert(static_cast<int32_t>(version));
    }
    for (const Migration* migration : PendingMigrations(SchemaMigrations(), applied)) {
      std::string sql(migration->sql);
      RETURN_IF_ERROR(Exec(db, sql.c_str()));
      std::string record = common::StrCat(
          "INSERT INTO schema_version (version, description, applied_at_ms) VALUES (",
          migration->version, ", '", migration->description,
          "', CAST(strftime('%s','now') AS INTEGER) * 1000)");
      RETURN_IF_ERROR(Exec(db, record.c_str()));
    }
    return absl::OkStatus();
  };
  absl::Status status = apply();
  if (!status.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();
    return status;
  }
  return Exec(db, "COMMIT");
}

absl::StatusOr<int32_t> SqliteStore::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<std::optional<int64_t>> version = internal::QueryOptional(
      *writer_, "SELECT COALESCE(MAX(version), 0) FROM schema_version", BindArgs(), kReadInt);
  RETURN_IF_ERROR(common::Annotate(version.status(), "reading schema version"));
  return static_cast<int32_t>(version->value_or(0));
}

absl::Status SqliteStore::Checkpoint() {
  std::lock_guard<std::mutex> lock(mu_);
  int wal_frames = 0;
  int checkpointed_frames = 0;
  const int rc = sqlite3_wal_checkpoint_v2(writer_->db(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                           &wal_frames, &checkpointed_frames);
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(
        common::StrCat("checkpointing ", path_, ": ", sqlite3_errmsg(writer_->db())));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Write(TransactionFn fn) {
  std::vector<absl::Status> statuses = WriteEach(std::span<const TransactionFn>(&fn, 1));
  return std::move(statuses.front());
}

std::vector<absl::Status> SqliteStore::WriteEach(std::span<const TransactionFn> fns) {
  std::vector<absl::Status> statuses;
  statuses.reserve(fns.size());
  if (!options_.group_commit) {
    for (const TransactionFn& fn : fns) {
      std::lock_guard<std::mutex> lock(mu_);
      statuses.push_back(RunTransaction(*writer_, fn, false));
    }
    return statuses;
  }
  std::vector<PendingWrite> mine;
  mine.reserve(fns.size());
  for (const TransactionFn& fn : fns) {
    mine.push_back(PendingWrite{fn, absl::OkStatus(), false});
  }
  std::unique_lock<std::mutex> lock(queue_mu_);
  for (PendingWrite& write : mine) {
    queue_.push_back(&write);
  }
  // Called with queue_mu_ held.
  auto all_done = [&]() {
    for (const PendingWrite& write : mine) {
      if (!write.done) return false;
    }
    return true;
  };
  // Leader/follower: whoever finds no commit in progress commits the queue
  // (its own writes and everyone else's) while the others wait for the result.
  while (!all_done()) {
    if (committing_) {
      queue_cv_.wait(lock);
      continue;
    }
    committing_ = true;
    std::vector<PendingWrite*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    CommitBatch(batch);
    lock.lock();
    for (PendingWrite* write : batch) {
      write->done = true;
    }
    committing_ = false;
    queue_cv_.notify_all();
  }
  for (PendingWrite& write : mine) {
    statuses.push_back(std::move(write.status));
  }
  return statuses;
}

void SqliteStore::CommitBatch(const std::vector<PendingWrite*>& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  ++commits_;
  if (batch.size() == 1) {
    batch.front()->status = RunTransaction(*writer_, batch.front()->fn, false);
    return;
  }
  sqlite3* db = writer_->db();
  absl::Status begun = ExecControl(*writer_, kBeginImmediate);
  if (!begun.ok()) {
    for (PendingWrite* write : batch) write->status = begun;
    return;
  }
  // Each callback runs inside its own savepoint: one that fails rolls back
  // only its own changes; the others still commit with the batch.
  std::vector<PendingWrite*> applied;
  for (PendingWrite* write : batch) {
    if (sqlite3_get_autocommit(db) != 0) {
      // An I/O or memory error made SQLite roll back the whole transaction:
      // what earlier callbacks wrote is gone, so none of them may succeed.
      absl::Status lost = absl::UnavailableError("group commit batch rolled back by sqlite");
      for (PendingWrite* earlier : applied) earlier->status = lost;
      applied.clear();
      absl::Status rebegun = ExecControl(*writer_, kBeginImmediate);
      if (!rebegun.ok()) {
        write->status = rebegun;
        continue;
      }
    }
    absl::Status saved = ExecControl(*writer_, kSavepoint);
    if (!saved.ok()) {
      write->status = saved;
      continue;
    }
    write->status = internal::CallWithTransaction(*writer_, false, write->fn);
    if (sqlite3_get_autocommit(db) != 0) {
      if (write->status.ok()) {
        write->status = absl::UnavailableError("transaction rolled back by sqlite");
      }
      continue;
    }
    if (write->status.ok()) {
      absl::Status released = ExecControl(*writer_, kRelease);
      if (released.ok()) {
        applied.push_back(write);
        continue;
      }
      write->status = released;
    }
    ExecControl(*writer_, kRollbackToSavepoint).IgnoreError();
    ExecControl(*writer_, kRelease).IgnoreError();
  }
  if (sqlite3_get_autocommit(db) != 0) {
    return;  // nothing left to commit; statuses are already set
  }
  absl::Status commit = ExecControl(*writer_, kCommit);
  if (!commit.ok()) {
    ExecControl(*writer_, kRollback).IgnoreError();
    absl::Status failed = common::Annotate(commit, "committing transaction");
    for (PendingWrite* write : applied) write->status = failed;
  }
}

int64_t SqliteStore::CommitCountForTest() {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

absl::Status SqliteStore::Read(TransactionFn fn) {
  if (path_.empty() || path_ == ":memory:" || path_.rfind("file:", 0) == 0) {
    // A private in-memory database exists on the writer connection only.
    std::lock_guard<std::mutex> lock(mu_);
    return RunTransaction(*writer_, fn, true);
  }
  std::unique_ptr<SqliteConnection> reader;
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (reader == nullptr) {
    ASSIGN_OR_RETURN(reader, OpenConnection(path_, options_, true));
  }
  absl::Status status = RunTransaction(*reader, fn, true);
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) {
    idle_readers_.push_back(std::move(reader));
  }
  return status;
}

absl::Status SqliteStore::RunTransaction(SqliteConnection& conn, TransactionFn fn, bool read_only) {
  // IMMEDIATE takes the write lock up front, so a read-modify-write never fails
  // half-way with SQLITE_BUSY on upgrade when another process shares the file.
  // A reader's BEGIN (deferred) reads one WAL snapshot, concurrently with writes.
  RETURN_IF_ERROR(ExecControl(conn, read_only ? kBeginDeferred : kBeginImmediate));
  absl::Status status = internal::CallWithTransaction(conn, read_only, fn);
  if (!status.ok() || read_only) {
    absl::Status end = ExecControl(conn, status.ok() ? kCommit : kRollback);
    return status.ok() ? end : status;
  }
  absl::Status commit = ExecControl(conn, kCommit);
  if (!commit.ok()) {
    ExecControl(conn, kRollback).IgnoreError();
    return common::Annotate(commit, "committing transaction");
  }
  return absl::OkStatus();
}

}  // namespace connectplane::store
