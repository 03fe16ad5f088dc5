// PostgreSQL implementation of Store (libpq), for several replicas sharing one
// database. A fixed-size pool of connections, each with its own prepared
// statements; every Write() is one READ COMMITTED transaction on one pooled
// connection that locks the rows it reads (SELECT ... FOR UPDATE) where the
// SQLite store relies on BEGIN IMMEDIATE serialization; Read() is a REPEATABLE
// READ READ ONLY snapshot. Safe for concurrent use.
#pragma once

#include "store/store.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace connectplane::store {

namespace internal {
class PgConnection;
}  // namespace internal

struct PostgresOptions {
  // libpq connection string or URI, e.g. "postgresql://user@127.0.0.1:5432/connectplane".
  std::string dsn;
  // Most connections open at once: one per thread that calls the store
  // concurrently (HTTP threads + the job runner).
  int pool_size = 3;
  // Schema the tables live in (created by the migrations); empty = the
  // server's default search_path.
  std::string search_path;
  // How long a caller waits for a free pooled connection before Unavailable.
  absl::Duration acquire_timeout = absl::Seconds(10);
  // libpq connect_timeout: how long a (re)connect may take before Unavailable.
  int connect_timeout_seconds = 3;
  // Longest wait for a row lock before the call fails with Unavailable.
  absl::Duration lock_timeout = absl::Seconds(10);
  // How many times one Write()/Read() runs its transaction when PostgreSQL
  // aborts it as a deadlock victim (SQLSTATE 40P01) or for a serialization
  // failure (40001); after the last attempt the call is Unavailable.
  int transaction_attempts = 5;
  // Pause before the second attempt, doubled before each later one, with
  // +-50 % jitter so that the transactions that collided do not meet again.
  absl::Duration transaction_retry_backoff = absl::Milliseconds(10);
};

class PostgresStore final : public Store {
 public:
  // Connects and applies pending migrations under a transaction-scoped
  // advisory lock, so replicas starting at once apply each migration once.
  // Errors: InvalidArgument for a bad option, Unavailable when the server
  // cannot be reached, Internal when a migration fails.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(PostgresOptions options);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // A connection that breaks (server restart, network) is dropped from the
  // pool and the call returns Unavailable; the next call reconnects. A call
  // that fails before its transaction began (stale pooled connection) is
  // retried on a fresh connection. A lost COMMIT answer is Unavailable: the
  // outcome is unknown to the caller, never acknowledged. A transaction
  // PostgreSQL aborts as a deadlock victim or for a serialization failure is
  // rolled back and `fn` runs again from the start (up to
  // `transaction_attempts` times, each retry counted in
  // connectplane_store_transaction_retries_total), so `fn` may run more than
  // once (see Store::Write); when every attempt was aborted, Unavailable.
  absl::Status Write(TransactionFn fn) override;
  absl::Status Read(TransactionFn fn) override;

  // Highest applied migration version.
  absl::StatusOr<int32_t> SchemaVersion();

 private:
  explicit PostgresStore(PostgresOptions options);
  absl::StatusOr<std::unique_ptr<internal::PgConnection>> Connect();
  // `reused` tells whether the connection came from the idle list (and may
  // therefore be stale) rather than being opened for this call.
  absl::StatusOr<std::unique_ptr<internal::PgConnection>> Acquire(bool& reused);
  void Release(std::unique_ptr<internal::PgConnection> connection);
  bool CanAcquire() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Migrate();
  // Runs `fn` in one transaction, again while the database aborts it in a
  // way a new attempt can cure.
  absl::Status RunTransaction(TransactionFn fn, bool read_only);
  absl::Status RunTransactionOnce(TransactionFn fn, bool read_only);
  // The pause before attempt `attempt` + 1 (jittered).
  absl::Duration RetryBackoff(int attempt) const;

  const PostgresOptions options_;

  absl::Mutex mu_;
  std::vector<std::unique_ptr<internal::PgConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + handed out + being opened
};

}  // namespace connectplane::store
