#include "store/internal/postgres_connection.h"

#include "common/status.h"
#include "common/strings.h"

#include "absl/strings/cord.h"
#include "metrics/metrics.h"
#include <utility>

namespace connectplane::store::internal {
namespace {

// Payload of every store error that carries a SQLSTATE.
constexpr std::string_view kSqlStateTypeUrl = "type.connectplane.dev/postgres-sqlstate";

// SQLSTATEs after which the session is gone: connection exceptions (class 08)
// and the server shutting down or starting up (57P01-57P03).
bool IsConnectionLoss(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

// Maps a failed libpq call to the store's error codes. `result` may be null.
absl::Status PgErrorUncounted(PGconn* conn, const PGresult* result, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    sqlstate = state != nullptr ? state : "";
    message = PQresultErrorMessage(result);
  }
  if (message.empty() && conn != nullptr) {
    message = PQerrorMessage(conn);
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  std::string text =
      common::StrCat("postgres: ", what, ": ", message, sqlstate.empty() ? "" : " (SQLSTATE ",
                     sqlstate, sqlstate.empty() ? "" : ")");
  if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD || IsConnectionLoss(sqlstate) ||
      sqlstate.starts_with("53") /* insufficient resources, e.g. too many connections */ ||
      sqlstate == "55P03" /* lock_not_available (lock_timeout) */ ||
      sqlstate == "57014" /* query_canceled */) {
    return absl::UnavailableError(text);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    // serialization_failure, deadlock_detected: running the transaction again
    // can succeed (IsRetryableTransactionError).
    return absl::AbortedError(text);
  }
  if (sqlstate == "23505") {
    return absl::AlreadyExistsError(text);
  }
  return absl::InternalError(text);
}

// Every PostgreSQL error is counted in connectplane_store_errors_total and
// carries its SQLSTATE (SqlStateOf).
absl::Status PgError(PGconn* conn, const PGresult* result, std::string_view what) {
  absl::Status status = PgErrorUncounted(conn, result, what);
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (sqlstate != nullptr) {
    status.SetPayload(common::ToAbsl(kSqlStateTypeUrl), absl::Cord(common::ToAbsl(sqlstate)));
  }
  metrics::StoreErrors()
      .WithLabels({"postgres", absl::StatusCodeToString(status.code())})
      .Increment();
  return status;
}

}  // namespace

std::string SqlStateOf(const absl::Status& status) {
  auto sqlstate = status.GetPayload(common::ToAbsl(kSqlStateTypeUrl));
  return sqlstate.has_value() ? std::string(*sqlstate) : std::string();
}

bool IsRetryableTransactionError(const absl::Status& status) {
  if (!absl::IsAborted(status)) {
    return false;
  }
  const std::string sqlstate = SqlStateOf(status);
  return sqlstate == "40P01" || sqlstate == "40001";
}

absl::StatusOr<PgResult> PgConnection::Exec(const char* sql, std::string_view what) {
  ResultPtr result(PQexec(conn_, sql));
  return Check(std::move(result), what);
}

absl::StatusOr<PgResult> PgConnection::ExecPrepared(std::string_view sql, const Params& params) {
  auto it = statement_names_.find(sql);
  if (it == statement_names_.end()) {
    std::string text(sql);
    std::string name = common::StrCat("cp_", statement_names_.size() + 1);
    ResultPtr prepared(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
    RETURN_IF_ERROR(Check(std::move(prepared), common::StrCat("preparing ", sql)).status());
    it = statement_names_.emplace(std::move(text), std::move(name)).first;
  }
  std::vector<const char*> values = params.Pointers();
  ResultPtr result(
      PQexecPrepared(conn_, it->second.c_str(), params.Size(), values.data(), nullptr, nullptr, 0));
  return Check(std::move(result), sql);
}

absl::StatusOr<PgResult> PgConnection::ExecParams(const std::string& sql, const Params& params) {
  std::vector<const char*> values = params.Pointers();
  ResultPtr result(
      PQexecParams(conn_, sql.c_str(), params.Size(), nullptr, values.data(), nullptr, nullptr, 0));
  return Check(std::move(result), sql);
}

std::string PgConnection::QuoteIdentifier(std::string_view identifier) {
  char* quoted = PQescapeIdentifier(conn_, identifier.data(), identifier.size());
  if (quoted == nullptr) {
    return std::string();
  }
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

absl::StatusOr<PgResult> PgConnection::Check(ResultPtr result, std::string_view what) {
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return PgResult(std::move(result));
  }
  absl::Status error = PgError(conn_, result.get(), what);
  if (absl::IsUnavailable(error)) {
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    // A lock timeout leaves the session usable; anything else here does not.
    if (state == nullptr || std::string_view(state) != "55P03") {
      broken_ = true;
    }
  }
  return error;
}

}  // namespace connectplane::store::internal
