// SQLite implementation of Store: one connection in WAL mode, transactions
// serialized by a mutex (SQLite has one writer anyway). Durable by default
// (synchronous=FULL): Write() returns only after the commit reached the disk.
// Safe for concurrent use. Several processes may open the same file; SQLite's
// own locking (busy timeout) serializes them.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace connectplane::store {

struct SqliteOptions {
  // FULL: fsync on every commit (durable against power loss). NORMAL: fsync at
  // checkpoints only (durable against process crash), for fast emulator runs.
  bool synchronous_full = true;
  int busy_timeout_ms = 5000;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for a private
  // in-memory database) and applies pending migrations. Errors: Unavailable when
  // the file cannot be opened, Internal when a migration fails.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           SqliteOptions options = {});
  ~SqliteStore() override;

  absl::Status Write(TransactionFn fn) override;
  absl::Status Read(TransactionFn fn) override;

  // Highest applied migration version.
  absl::StatusOr<int32_t> SchemaVersion();

 private:
  class Transaction;
  explicit SqliteStore(sqlite3* db);
  absl::Status Migrate();
  absl::Status RunTransaction(TransactionFn fn, bool read_only);

  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  // Prepared statements keyed by their SQL text's address (all SQL is literals).
  std::unordered_map<const char*, sqlite3_stmt*> statements_ ABSL_GUARDED_BY(mu_);
};

}  // namespace connectplane::store
