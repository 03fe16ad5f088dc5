// SQLite plumbing shared by the store's files: a connection with its cache of
// prepared statements, the Statement wrapper that binds, steps and reads one of
// them, and the query helpers every SQLite query goes through
// (QueryOptional, QueryAll, ForEachRow, Execute). A failed step is always
// returned as an error, never taken for the end of the rows.
// A SqliteConnection and its statements are used by one thread at a time.
#pragma once

#include "store/internal/row_access.h"

#include <sqlite3.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace connectplane::store::internal {

// The store's status for SQLite result code `rc`: Unavailable for busy,
// locked, I/O, can't-open and disk-full errors (retryable), AlreadyExists for
// constraint violations, Internal otherwise. The message names `what`, and the
// error is counted in connectplane_store_errors_total.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view what);

// Runs `sql` (one or more ';'-separated statements) without caching it.
absl::Status Exec(sqlite3* db, const char* sql);

// SQL text for the statement cache. Text with static storage (a literal, or a
// kSql array of internal/sql_text.h) is cached by address, which the
// consteval constructors check at compile time; text built at run time is
// cached by content.
class SqlText {
 public:
  consteval SqlText(const char* static_text)  // NOLINT(google-explicit-constructor)
      : static_text_(static_text), static_size_(std::char_traits<char>::length(static_text)) {}
  consteval SqlText(std::string_view static_text)  // NOLINT(google-explicit-constructor)
      : static_text_(static_text.data()), static_size_(static_text.size()) {}
  SqlText(const std::string& built)  // NOLINT(google-explicit-constructor)
      : built_(&built) {}

  bool is_static() const { return built_ == nullptr; }
  const char* data() const { return is_static() ? static_text_ : built_->data(); }
  size_t size() const { return is_static() ? static_size_ : built_->size(); }
  const std::string& built() const { return *built_; }

 private:
  const char* static_text_ = nullptr;
  size_t static_size_ = 0;
  const std::string* built_ = nullptr;
};

// One SQLite connection and the statements prepared on it, which stay prepared
// for the connection's lifetime.
class SqliteConnection {
 public:
  // Takes ownership of `db`.
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  // Finalizes every statement and closes the connection.
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const { return db_; }

  // The cached statement for `sql`, prepared on first use. The statement must
  // be reset before it is handed out again (Statement does that).
  absl::StatusOr<sqlite3_stmt*> Prepare(const SqlText& sql);

 private:
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> static_statements_;
  std::unordered_map<std::string, sqlite3_stmt*> built_statements_;
};

// Binds parameters to one cached statement, steps it and reads the current
// row's columns; resets it when destroyed so the cache can hand it out again.
// Satisfies ParamSink and ResultRow (internal/row_access.h).
// Defined here so that binding and reading a column stay inlined into each
// query, as the read path was measured with.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Bind the next parameter. A failed bind is reported by the next Step().
  Statement& Bind(std::string_view text) {
    return Track(sqlite3_bind_text(stmt_, ++bind_idx_, text.data(), static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT));
  }
  Statement& Bind(int64_t value) { return Track(sqlite3_bind_int64(stmt_, ++bind_idx_, value)); }
  Statement& BindNull() { return Track(sqlite3_bind_null(stmt_, ++bind_idx_)); }

  // True when a row is available, false when done; the step's error (or an
  // earlier bind's) otherwise.
  absl::StatusOr<bool> Step() {
    if (bind_rc_ != SQLITE_OK) {
      return Error(bind_rc_, "binding");
    }
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    return Error(rc, "running");
  }

  // The current row.
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int column) const;

  // Rows changed by the last INSERT, UPDATE or DELETE on the connection.
  int64_t Changes() const { return sqlite3_changes64(db_); }

 private:
  Statement& Track(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
      bind_rc_ = rc;
    }
    return *this;
  }
  // SqliteError naming this statement's SQL.
  absl::Status Error(int rc, std::string_view doing) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_idx_ = 0;
  int bind_rc_ = SQLITE_OK;  // the first failed bind
};

// Steps `stmt` through every row, calling on_row(stmt) for each; on_row
// returns absl::Status (the first error stops the walk and is returned) or
// nothing. Returns the first step error: rows already passed to on_row may be
// all there are, so a caller must not use them as a result after an error.
template <class OnRow>
absl::Status ForEachRow(Statement& stmt, OnRow&& on_row) {
  while (true) {
    absl::StatusOr<bool> has_row = stmt.Step();
    if (!has_row.ok()) {
      return has_row.status();
    }
    if (!*has_row) {
      return absl::OkStatus();
    }
    if constexpr (std::is_same_v<std::invoke_result_t<OnRow&, Statement&>, void>) {
      on_row(stmt);
    } else {
      absl::Status status = on_row(stmt);
      if (!status.ok()) {
        return status;
      }
    }
  }
}

// Runs `sql` with the parameters `bind(statement)` binds and returns
// read(first row), or nullopt when there is no row. `read` returns a value, or
// a StatusOr of one when it checks what it reads.
template <class Binder, class Reader>
absl::StatusOr<std::optional<ReadType<Reader, Statement>>> QueryOptional(SqliteConnection& conn,
                                                                         const SqlText& sql,
                                                                         Binder&& bind,
                                                                         Reader&& read) {
  absl::StatusOr<sqlite3_stmt*> prepared = conn.Prepare(sql);
  if (!prepared.ok()) {
    return prepared.status();
  }
  Statement stmt(conn.db(), *prepared);
  bind(stmt);
  absl::StatusOr<bool> has_row = stmt.Step();
  if (!has_row.ok()) {
    return has_row.status();
  }
  if (!*has_row) {
    return std::nullopt;
  }
  return ReadOptional(read, stmt);
}

// Runs `sql` with the parameters `bind(statement)` binds and returns read(row)
// for every row, or the first error (a failed step, or the reader's).
// `expected_rows`, when the caller knows it (a page after its count), is
// reserved up front so that no row is moved as the vector grows.
template <class Binder, class Reader>
absl::StatusOr<std::vector<ReadType<Reader, Statement>>> QueryAll(SqliteConnection& conn,
                                                                  const SqlText& sql, Binder&& bind,
                                                                  Reader&& read,
                                                                  size_t expected_rows = 0) {
  absl::StatusOr<sqlite3_stmt*> prepared = conn.Prepare(sql);
  if (!prepared.ok()) {
    return prepared.status();
  }
  Statement stmt(conn.db(), *prepared);
  bind(stmt);
  std::vector<ReadType<Reader, Statement>> rows;
  rows.reserve(expected_rows);
  absl::Status status =
      ForEachRow(stmt, [&](const Statement& row) { return AppendRead(read, row, rows); });
  if (!status.ok()) {
    return status;
  }
  return rows;
}

// Runs a statement that returns no rows with the parameters `bind(statement)`
// binds; returns how many rows it changed.
template <class Binder>
absl::StatusOr<int64_t> Execute(SqliteConnection& conn, const SqlText& sql, Binder&& bind) {
  absl::StatusOr<sqlite3_stmt*> prepared = conn.Prepare(sql);
  if (!prepared.ok()) {
    return prepared.status();
  }
  Statement stmt(conn.db(), *prepared);
  bind(stmt);
  absl::Status status = ForEachRow(stmt, [](const Statement&) {});
  if (!status.ok()) {
    return status;
  }
  return stmt.Changes();
}

// Runs a statement that binds nothing and returns no rows (BEGIN, COMMIT,
// SAVEPOINT ...) through the statement cache, as sqlite3_exec would parse it
// again (and allocate a parser) every time.
absl::Status ExecControl(SqliteConnection& conn, const SqlText& sql);

}  // namespace connectplane::store::internal
