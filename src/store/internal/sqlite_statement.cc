#include "store/internal/sqlite_statement.h"

#include "common/strings.h"

#include <sqlite3.h>

#include "metrics/metrics.h"

namespace connectplane::store::internal {
namespace {

absl::Status SqliteErrorUncounted(sqlite3* db, int rc, std::string_view what) {
  std::string message = common::StrCat(what, ": ", sqlite3_errmsg(db), " (rc=", rc, ")");
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
      primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) {
    return absl::UnavailableError(message);
  }
  if (primary == SQLITE_CONSTRAINT) {
    return absl::AlreadyExistsError(message);
  }
  return absl::InternalError(message);
}

}  // namespace

absl::Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  absl::Status status = SqliteErrorUncounted(db, rc, what);
  metrics::StoreErrors()
      .WithLabels({"sqlite", absl::StatusCodeToString(status.code())})
      .Increment();
  return status;
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return SqliteError(db, rc, common::StrCat("executing SQL: ", message));
  }
  return absl::OkStatus();
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : static_statements_) {
    sqlite3_finalize(stmt);
  }
  for (auto& [sql, stmt] : built_statements_) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db_);
}

absl::StatusOr<sqlite3_stmt*> SqliteConnection::Prepare(const SqlText& sql) {
  if (sql.is_static()) {
    auto it = static_statements_.find(sql.data());
    if (it != static_statements_.end()) {
      return it->second;
    }
  } else {
    auto it = built_statements_.find(sql.built());
    if (it != built_statements_.end()) {
      return it->second;
    }
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(db_, rc,
                       common::StrCat("preparing ", std::string_view(sql.data(), sql.size())));
  }
  if (sql.is_static()) {
    static_statements_.emplace(sql.data(), stmt);
  } else {
    built_statements_.emplace(sql.built(), stmt);
  }
  return stmt;
}

absl::Status Statement::Error(int rc, std::string_view doing) const {
  return SqliteError(db_, rc, common::StrCat(doing, " ", sqlite3_sql(stmt_)));
}

std::string Statement::ColumnName(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name == nullptr ? std::string() : std::string(name);
}

absl::Status ExecControl(SqliteConnection& conn, const SqlText& sql) {
  absl::StatusOr<sqlite3_stmt*> stmt = conn.Prepare(sql);
  if (!stmt.ok()) {
    return stmt.status();
  }
  // Two of these run per transaction: no Statement (nothing to bind or clear,
  // no row to read).
  int rc = sqlite3_step(*stmt);
  sqlite3_reset(*stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    return SqliteError(conn.db(), rc,
                       common::StrCat("executing ", std::string_view(sql.data(), sql.size())));
  }
  return absl::OkStatus();
}

}  // namespace connectplane::store::internal
