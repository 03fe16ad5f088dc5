#include "store/postgres_store.h"

#include "common/status.h"
#include "common/strings.h"
#include "store/internal/postgres_connection.h"
#include "store/internal/postgres_transaction.h"
#include "store/migrations.h"

#include <libpq-fe.h>

#include "absl/time/clock.h"
#include "metrics/metrics.h"
#include "spdlog/spdlog.h"
#include <algorithm>
#include <random>
#include <set>
#include <utility>

namespace connectplane::store {
namespace {

using internal::Params;
using internal::PgConnection;
using internal::PgResult;

// First key of the two-int advisory lock that serializes migrations (a lock
// space disjoint from the one-bigint row keys of the transactions). "cpln".
constexpr int32_t kMigrationLockClass = 0x63706c6e;

}  // namespace

PostgresStore::PostgresStore(PostgresOptions options) : options_(std::move(options)) {}

PostgresStore::~PostgresStore() {
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(PostgresOptions options) {
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("postgres pool size must be at least 1");
  }
  if (options.transaction_attempts < 1) {
    return absl::InvalidArgumentError("postgres transaction attempts must be at least 1");
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(options)));
  RETURN_IF_ERROR(common::Annotate(store->Migrate(), "migrating postgres database"));
  return store;
}

absl::StatusOr<std::unique_ptr<PgConnection>> PostgresStore::Connect() {
  std::string connect_timeout = std::to_string(options_.connect_timeout_seconds);
  // Our defaults come first so that the same keywords inside the DSN win.
  const char* keywords[] = {
      "connect_timeout",     "application_name", "keepalives", "keepalives_idle",
      "keepalives_interval", "keepalives_count", "dbname",     nullptr};
  const char* values[] = {connect_timeout.c_str(), "connectplane", "1", "30", "10", "3",
                          options_.dsn.c_str(),    nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) {
    return absl::UnavailableError("postgres: out of memory allocating a connection");
  }
  auto connection = std::make_unique<PgConnection>(raw);
  // NOTICEs ("relation already exists, skipping") go to the debug log, not stderr.
  PQsetNoticeProcessor(
      raw, [](void*, const char* message) { spdlog::debug("postgres: {}", message); }, nullptr);
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string message = PQerrorMessage(raw);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return absl::UnavailableError(common::StrCat("postgres: connecting: ", message));
  }
  // Durability is not negotiable (an acknowledged write survives a crash); a
  // hung client must not hold locks (job rows) forever.
  std::string setup = common::StrCat("SET synchronous_commit = on; SET lock_timeout = ",
                                     absl::ToInt64Milliseconds(options_.lock_timeout),
                                     "; SET idle_in_transaction_session_timeout = 60000");
  if (!options_.search_path.empty()) {
    setup +=
        common::StrCat("; SET search_path TO ", connection->QuoteIdentifier(options_.search_path));
  }
  RETURN_IF_ERROR(connection->Exec(setup.c_str(), "configuring session").status());
  return connection;
}

bool PostgresStore::CanAcquire() const { return !idle_.empty() || open_ < options_.pool_size; }

absl::StatusOr<std::unique_ptr<PgConnection>> PostgresStore::Acquire(bool& reused) {
  {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(this, &PostgresStore::CanAcquire),
                              options_.acquire_timeout)) {
      return absl::UnavailableError(common::StrCat("postgres: all ", options_.pool_size,
                                                   " pooled connections busy for ",
                                                   absl::FormatDuration(options_.acquire_timeout)));
    }
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return connection;
    }
    ++open_;
  }
  reused = false;
  absl::StatusOr<std::unique_ptr<PgConnection>> connection = Connect();
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return connection;
}

void PostgresStore::Release(std::unique_ptr<PgConnection> connection) {
  bool broken = connection->broken();
  if (broken) {
    connection.reset();  // closes the session outside the pool lock
  }
  absl::MutexLock lock(&mu_);
  if (broken) {
    --open_;
    spdlog::warn("postgres: dropped a broken connection from the pool ({} left)", open_);
    return;
  }
  idle_.push_back(std::move(connection));
}

absl::Status PostgresStore::Write(TransactionFn fn) { return RunTransaction(fn, false); }
absl::Status PostgresStore::Read(TransactionFn fn) { return RunTransaction(fn, true); }

absl::Status PostgresStore::RunTransaction(TransactionFn fn, bool read_only) {
  for (int attempt = 1;; ++attempt) {
    absl::Status status = RunTransactionOnce(fn, read_only);
    if (!internal::IsRetryableTransactionError(status)) {
      return status;
    }
    // Nothing of this attempt was committed, and the transaction it collided
    // with goes on once ours is rolled back: a new attempt does not conflict
    // with anything unless another collision comes along. Never a conflict the
    // client should see.
    const std::string sqlstate = internal::SqlStateOf(status);
    if (attempt >= options_.transaction_attempts) {
      spdlog::warn("postgres: transaction aborted by the database in each of {} attempts: {}",
                   attempt, status.ToString());
      return absl::UnavailableError(
          common::StrCat("postgres: transaction aborted by the database in each of ", attempt,
                         " attempts (SQLSTATE ", sqlstate, ")"));
    }
    metrics::StoreTransactionRetries().WithLabels({"postgres", sqlstate}).Increment();
    const absl::Duration backoff = RetryBackoff(attempt);
    spdlog::info(
        "postgres: retrying transaction aborted by the database (SQLSTATE {}, attempt {} "
        "of {}) after {}",
        sqlstate, attempt + 1, options_.transaction_attempts, absl::FormatDuration(backoff));
    absl::SleepFor(backoff);
  }
}

absl::Duration PostgresStore::RetryBackoff(int attempt) const {
  thread_local std::minstd_rand random_engine(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  return options_.transaction_retry_backoff * (1 << std::min(attempt - 1, 10)) *
         jitter(random_engine);
}

absl::Status PostgresStore::RunTransactionOnce(TransactionFn fn, bool read_only) {
  const char* begin = read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                : "BEGIN ISOLATION LEVEL READ COMMITTED";
  // Every idle connection may be stale after a server restart; nothing has run
  // yet, so trying the next (eventually a fresh) one is safe.
  std::unique_ptr<PgConnection> connection;
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    ASSIGN_OR_RETURN(connection, Acquire(reused));
    absl::Status began = connection->Exec(begin, "beginning transaction").status();
    if (began.ok()) break;
    bool retry = reused && connection->broken() && attempt <= options_.pool_size;
    Release(std::move(connection));
    if (!retry) return began;
  }

  absl::Status status = internal::CallWithTransaction(*connection, read_only, fn);
  if (!status.ok()) {
    if (!connection->broken()) {
      connection->Exec("ROLLBACK", "rolling back").status().IgnoreError();
    }
    Release(std::move(connection));
    return status;
  }
  absl::StatusOr<PgResult> commit = connection->Exec("COMMIT", "committing");
  absl::Status commit_status = commit.status();
  if (commit.ok() &&
      std::string_view(PQcmdStatus(const_cast<PGresult*>(commit->raw()))) != "COMMIT") {
    commit_status = absl::AbortedError("postgres: transaction rolled back at commit");
  }
  Release(std::move(connection));
  if (read_only) {
    // Everything was read from one snapshot; how the session ended does not
    // change what the callback saw.
    return absl::OkStatus();
  }
  return commit_status.ok() ? absl::OkStatus()
                            : common::Annotate(commit_status, "committing transaction");
}

absl::Status PostgresStore::Migrate() {
  bool reused = false;
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, Acquire(reused));
  auto apply = [&]() -> absl::Status {
    RETURN_IF_ERROR(connection->Exec("BEGIN", "beginning migration").status());
    // Replicas starting together queue here; each sees the others' work.
    std::string lock = common::StrCat("SELECT pg_advisory_xact_lock(", kMigrationLockClass, ", 1)");
    RETURN_IF_ERROR(connection->Exec(lock.c_str(), "locking schema").status());
    RETURN_IF_ERROR(connection
                        ->Exec("CREATE TABLE IF NOT EXISTS schema_version ("
                               "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                               "applied_at_ms BIGINT NOT NULL)",
                               "creating schema_version")
                        .status());
    ASSIGN_OR_RETURN(PgResult versions, connection->Exec("SELECT version FROM schema_version",
                                                         "reading schema versions"));
    std::set<int32_t> applied;
    for (int row = 0; row < versions.Rows(); ++row) {
      applied.insert(static_cast<int32_t>(versions.Row(row).Int(0)));
    }
    for (const Migration* pending : PendingMigrations(SchemaMigrations(), applied)) {
      const Migration& migration = *pending;
      if (!migration.sqlite_only) {
        std::string sql(migration.sql);
        RETURN_IF_ERROR(
            connection->Exec(sql.c_str(), common::StrCat("migration ", migration.version))
                .status());
      }
      Params params;
      params.Bind(int64_t{migration.version}).Bind(migration.description);
      RETURN_IF_ERROR(connection
                          ->ExecParams("INSERT INTO schema_version (version, description, "
                                       "applied_at_ms) VALUES ($1, $2, "
                                       "(extract(epoch from now()) * 1000)::bigint)",
                                       params)
                          .status());
      spdlog::info("postgres: applied migration {} ({})", migration.version, migration.description);
    }
    return connection->Exec("COMMIT", "committing migrations").status();
  };
  absl::Status status = apply();
  if (!status.ok() && !connection->broken()) {
    connection->Exec("ROLLBACK", "rolling back migrations").status().IgnoreError();
  }
  Release(std::move(connection));
  return status;
}

absl::StatusOr<int32_t> PostgresStore::SchemaVersion() {
  bool reused = false;
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, Acquire(reused));
  absl::StatusOr<PgResult> result = connection->Exec(
      "SELECT COALESCE(MAX(version), 0) FROM schema_version", "reading schema version");
  Release(std::move(connection));
  RETURN_IF_ERROR(result.status());
  return static_cast<int32_t>(result->Row(0).Int(0));
}

}  // namespace connectplane::store
