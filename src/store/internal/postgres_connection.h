// libpq plumbing shared by PostgresStore's files: a pooled session with the
// statements prepared on it (PgConnection), a statement's result (PgResult)
// and one of its rows (PgRow, an internal::ResultRow), and statement
// parameters (Params, an internal::ParamSink). A PgConnection, and what it
// returns, are used by one thread at a time.
#pragma once

#include <libpq-fe.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <charconv>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace connectplane::store::internal {

// The SQLSTATE of a store error born from a PostgreSQL error ("40P01"), or ""
// for any other status.
std::string SqlStateOf(const absl::Status& status);

// True when PostgreSQL aborted the transaction for a reason that running it
// again can cure: it was chosen as a deadlock victim (SQLSTATE 40P01) or hit a
// serialization failure (40001). These are Aborted; PostgresStore runs the
// transaction again instead of returning them.
bool IsRetryableTransactionError(const absl::Status& status);

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// The integer libpq's text format spells; 0 for empty text.
inline int64_t ParseInt(const char* text, int length) {
  int64_t value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

// One row of a result, in libpq's text format. Satisfies internal::ResultRow.
class PgRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}

  std::string Text(int column) const {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<size_t>(PQgetlength(result_, row_, column)));
  }
  int64_t Int(int column) const {
    return ParseInt(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
  }
  bool IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

 private:
  const PGresult* result_;
  int row_;
};

// The rows of one statement.
class PgResult {
 public:
  explicit PgResult(ResultPtr result) : result_(std::move(result)) {}

  int Rows() const { return PQntuples(result_.get()); }
  PgRow Row(int row) const { return PgRow(result_.get(), row); }
  int Columns() const { return PQnfields(result_.get()); }
  std::string ColumnName(int column) const { return PQfname(result_.get(), column); }
  // Rows an INSERT/UPDATE/DELETE touched.
  int64_t Affected() const {
    const char* tuples = PQcmdTuples(result_.get());
    return ParseInt(tuples, static_cast<int>(std::char_traits<char>::length(tuples)));
  }
  const PGresult* raw() const { return result_.get(); }

 private:
  ResultPtr result_;
};

// Statement parameters in text format, bound in order. Satisfies
// internal::ParamSink.
class Params {
 public:
  Params& Bind(std::string_view text) {
    values_.emplace_back(std::string(text));
    return *this;
  }
  Params& Bind(int64_t value) {
    values_.emplace_back(std::to_string(value));
    return *this;
  }
  Params& BindNull() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  std::vector<const char*> Pointers() const {
    std::vector<const char*> pointers;
    pointers.reserve(values_.size());
    for (const std::optional<std::string>& value : values_) {
      pointers.push_back(value ? value->c_str() : nullptr);
    }
    return pointers;
  }
  int Size() const { return static_cast<int>(values_.size()); }

 private:
  std::vector<std::optional<std::string>> values_;
};

// One libpq session plus the statements prepared on it. Owned by one thread
// at a time (the pool hands it out exclusively).
class PgConnection {
 public:
  // Takes ownership of `conn`.
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Simple-query protocol; `sql` may hold several statements. Returns the
  // last statement's result.
  absl::StatusOr<PgResult> Exec(const char* sql, std::string_view what);
  // Prepares `sql` on first use on this connection, then runs it.
  absl::StatusOr<PgResult> ExecPrepared(std::string_view sql, const Params& params);
  // Unprepared, for SQL built at run time (table names).
  absl::StatusOr<PgResult> ExecParams(const std::string& sql, const Params& params);

  // `identifier` quoted for SQL text; "" when libpq cannot quote it.
  std::string QuoteIdentifier(std::string_view identifier);

  // True once the session is known to be unusable; the pool then drops it.
  bool broken() const { return broken_ || PQstatus(conn_) == CONNECTION_BAD; }

 private:
  // Hashes std::string keys and std::string_view probes alike, so a lookup by
  // SQL text needs no copy of it.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };

  // The result, or the store's error for it (counted in
  // connectplane_store_errors_total); marks the session broken when the
  // error says it is gone.
  absl::StatusOr<PgResult> Check(ResultPtr result, std::string_view what);

  PGconn* conn_;
  bool broken_ = false;
  // Server-side prepared statement name ("cp_<n>") by SQL text.
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> statement_names_;
};

}  // namespace connectplane::store::internal
