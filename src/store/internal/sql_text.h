// SQL text built at compile time from the row formats of internal/rows.h, as a
// std::string_view over a static, NUL-terminated array: no string is built when
// a query runs, nothing needs destroying at exit, and each statement's text has
// one address (the SQLite statement cache keys on it). Each backend still
// writes its own WHERE clauses, placeholders, locking and conflict clauses:
//
//   static constexpr std::string_view kWhere = " WHERE job_id = ?";
//   QueryOptional(kSelect<JobRow, kWhere>, ...);
//   kSql<[] { return CasUpdateSql<JobRow>(Placeholders::kQuestionMarks); }>
//
// Stateless; constexpr only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace connectplane::store::internal {

// How a builder writes a parameter: SQLite's "?" or PostgreSQL's "$1", "$2", ...
enum class Placeholders { kQuestionMarks, kNumbered };

// Column lists are SQL text, "a, b, c" (internal/rows.h).
constexpr size_t ColumnCount(std::string_view columns) {
  size_t count = 1;
  for (char c : columns) {
    count += c == ',' ? 1 : 0;
  }
  return count;
}
// The column at `index` (from 0) of a column list.
constexpr std::string_view Column(std::string_view columns, size_t index) {
  for (; index > 0; --index) {
    columns.remove_prefix(columns.find(", ") + 2);
  }
  return columns.substr(0, columns.find(','));
}
constexpr bool HasColumn(std::string_view columns, std::string_view column) {
  for (size_t i = 0; i < ColumnCount(columns); ++i) {
    if (Column(columns, i) == column) {
      return true;
    }
  }
  return false;
}

// A fixed-capacity string for building SQL in constant expressions. Text past
// the capacity fails the build.
class SqlBuilder {
 public:
  static constexpr size_t kCapacity = 1024;

  constexpr explicit SqlBuilder(Placeholders placeholders = Placeholders::kQuestionMarks)
      : placeholders_(placeholders) {}

  constexpr SqlBuilder& Add(std::string_view text) {
    for (char c : text) {
      Push(c);
    }
    return *this;
  }
  // The next parameter ("?" or "$<n>").
  constexpr SqlBuilder& AddParam() {
    if (placeholders_ == Placeholders::kQuestionMarks) {
      return Add("?");
    }
    Push('$');
    return AddNumber(next_param_++);
  }
  // "?, ?, ?": one parameter per column.
  constexpr SqlBuilder& AddParams(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      Add(i == 0 ? "" : ", ").AddParam();
    }
    return *this;
  }
  // "a = ?<separator>b = ?" for the column list "a, b", e.g. with ", " for SET
  // or " AND " for WHERE.
  constexpr SqlBuilder& AddComparisons(std::string_view columns, std::string_view separator) {
    for (size_t i = 0; i < ColumnCount(columns); ++i) {
      Add(i == 0 ? "" : separator).Add(Column(columns, i)).Add(" = ").AddParam();
    }
    return *this;
  }

  constexpr size_t size() const { return size_; }
  constexpr char operator[](size_t index) const { return text_[index]; }

 private:
  constexpr void Push(char c) {
    if (size_ == kCapacity) {
      SqlTooLong();
    }
    text_[size_++] = c;
  }
  constexpr SqlBuilder& AddNumber(int number) {
    if (number >= 10) {
      AddNumber(number / 10);
    }
    Push(static_cast<char>('0' + number % 10));
    return *this;
  }
  // Not constexpr: calling it makes the constant evaluation, and the build, fail.
  static void SqlTooLong() {}

  Placeholders placeholders_;
  int next_param_ = 1;
  char text_[kCapacity] = {};
  size_t size_ = 0;
};

// The text kBuild() (a captureless lambda returning a SqlBuilder) builds, as a
// NUL-terminated array with static storage.
template <auto kBuild>
inline constexpr auto kSqlStorage = [] {
  constexpr SqlBuilder kBuilt = kBuild();
  std::array<char, kBuilt.size() + 1> text{};
  for (size_t i = 0; i < kBuilt.size(); ++i) {
    text[i] = kBuilt[i];
  }
  return text;
}();

// The text kBuild() builds (see kSqlStorage), without the terminating NUL.
template <auto kBuild>
inline constexpr std::string_view kSql(kSqlStorage<kBuild>.data(), kSqlStorage<kBuild>.size() - 1);

// "SELECT <columns> FROM <table>" followed by `rest` (WHERE, ORDER BY, ...).
template <class Format>
constexpr SqlBuilder SelectSql(std::string_view rest) {
  SqlBuilder sql;
  sql.Add("SELECT ").Add(Format::kColumns).Add(" FROM ").Add(Format::kTable).Add(rest);
  return sql;
}

// SelectSql followed by the static texts kRest..., e.g. a WHERE clause and an
// ORDER BY.
template <class Format, const std::string_view&... kRest>
inline constexpr std::string_view kSelect = kSql<[] {
  SqlBuilder sql = SelectSql<Format>("");
  (sql.Add(kRest), ...);
  return sql;
}>;

// "SELECT COUNT(*) FROM <table>" followed by the static texts kRest....
template <class Format, const std::string_view&... kRest>
inline constexpr std::string_view kCount = kSql<[] {
  SqlBuilder sql;
  sql.Add("SELECT COUNT(*) FROM ").Add(Format::kTable);
  (sql.Add(kRest), ...);
  return sql;
}>;

// "INSERT INTO <table> (<columns>) VALUES (<a parameter per column>)", bound
// by Format::BindInsert.
template <class Format>
constexpr SqlBuilder InsertSql(Placeholders placeholders) {
  SqlBuilder sql(placeholders);
  sql.Add("INSERT INTO ").Add(Format::kTable).Add(" (").Add(Format::kColumns);
  sql.Add(") VALUES (").AddParams(ColumnCount(Format::kColumns)).Add(")");
  return sql;
}

// InsertSql, replacing every column but the key when the key is taken
// (ON CONFLICT ... DO UPDATE, the same in SQLite and PostgreSQL).
template <class Format>
constexpr SqlBuilder UpsertSql(Placeholders placeholders) {
  SqlBuilder sql = InsertSql<Format>(placeholders);
  sql.Add(" ON CONFLICT (").Add(Format::kKey).Add(") DO UPDATE SET ");
  bool first = true;
  for (size_t i = 0; i < ColumnCount(Format::kColumns); ++i) {
    std::string_view column = Column(Format::kColumns, i);
    if (!HasColumn(Format::kKey, column)) {
      sql.Add(first ? "" : ", ").Add(column).Add(" = excluded.").Add(column);
      first = false;
    }
  }
  return sql;
}

// "UPDATE <table> SET <updated> = ? ... WHERE <key> = ? ...", bound by
// Format::BindUpdate.
template <class Format>
constexpr SqlBuilder UpdateSql(Placeholders placeholders) {
  SqlBuilder sql(placeholders);
  sql.Add("UPDATE ").Add(Format::kTable).Add(" SET ").AddComparisons(Format::kUpdated, ", ");
  sql.Add(" WHERE ").AddComparisons(Format::kKey, " AND ");
  return sql;
}

// The compare-and-swap update: "UPDATE <table> SET <updated> = ? ...,
// version = version + 1 WHERE <key> = ? ... AND version = ?", bound by
// Format::BindUpdate.
template <class Format>
constexpr SqlBuilder CasUpdateSql(Placeholders placeholders) {
  SqlBuilder sql(placeholders);
  sql.Add("UPDATE ").Add(Format::kTable).Add(" SET ").AddComparisons(Format::kUpdated, ", ");
  sql.Add(", version = version + 1 WHERE ").AddComparisons(Format::kKey, " AND ");
  sql.Add(" AND version = ").AddParam();
  return sql;
}

// The compare-and-swap delete: "DELETE FROM <table> WHERE <key> = ? ... AND
// version = ?".
template <class Format>
constexpr SqlBuilder CasDeleteSql(Placeholders placeholders) {
  SqlBuilder sql(placeholders);
  sql.Add("DELETE FROM ").Add(Format::kTable).Add(" WHERE ").AddComparisons(Format::kKey, " AND ");
  sql.Add(" AND version = ").AddParam();
  return sql;
}

// "SELECT version FROM <table> WHERE <key> = ? ...": what a failed
// compare-and-swap reads to tell NotFound from Aborted.
template <class Format>
constexpr SqlBuilder SelectVersionSql(Placeholders placeholders) {
  SqlBuilder sql(placeholders);
  sql.Add("SELECT version FROM ").Add(Format::kTable).Add(" WHERE ");
  sql.AddComparisons(Format::kKey, " AND ");
  return sql;
}

}  // namespace connectplane::store::internal
