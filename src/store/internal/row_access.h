// The one shape both backends give a result row and a statement's parameters,
// so that row readers and binders (internal/rows.h) are templates written once,
// plus the small helpers the query functions of both backends share. Stateless
// header-only templates; every call is resolved at compile time (no virtual
// calls, no allocation beyond the values read).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/utility/utility.h"
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace connectplane::store::internal {

// One row of a result, columns numbered from 0 in SELECT order. The SQLite
// Statement and the PostgreSQL PgRow have this shape.
template <class R>
concept ResultRow = requires(const R& row, int column) {
  { row.Text(column) } -> std::same_as<std::string>;  // "" for NULL
  { row.Int(column) } -> std::same_as<int64_t>;       // 0 for NULL
  { row.IsNull(column) } -> std::same_as<bool>;
};

// A statement's parameters, bound in placeholder order. The SQLite Statement
// and the PostgreSQL Params have this shape.
template <class P>
concept ParamSink = requires(P& params, std::string_view text, int64_t number) {
  params.Bind(text);
  params.Bind(number);
  params.BindNull();
};

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

// Binds one value: text, an integer or bool (as 0/1), or an optional of either
// (nullopt is NULL).
template <ParamSink P, class T>
void BindValue(P& params, const T& value) {
  if constexpr (kIsOptional<T>) {
    if (value.has_value()) {
      BindValue(params, *value);
    } else {
      params.BindNull();
    }
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    params.Bind(std::string_view(value));
  } else {
    static_assert(std::is_integral_v<T>, "bind text, integers or optionals of them");
    params.Bind(static_cast<int64_t>(value));
  }
}

// A binder for the query helpers that binds `args` in order. It refers to the
// arguments: call it within the full expression that made it.
template <class... Args>
auto BindArgs(const Args&... args) {
  return [&args...](ParamSink auto& params) { (BindValue(params, args), ...); };
}

template <class T>
inline constexpr bool kIsStatusOr = false;
template <class T>
inline constexpr bool kIsStatusOr<absl::StatusOr<T>> = true;

// What a row reader returns, without the StatusOr a fallible reader (one that
// checks what it reads, e.g. a job's status) wraps it in.
template <class T>
struct Unwrapped {
  using type = T;
};
template <class T>
struct Unwrapped<absl::StatusOr<T>> {
  using type = T;
};
template <class Reader, class Row>
using ReadType = typename Unwrapped<std::invoke_result_t<Reader&, const Row&>>::type;

// read(row) in an engaged optional, or the reader's error. The value is moved
// once, into its place in the result.
template <class Reader, class Row>
absl::StatusOr<std::optional<ReadType<Reader, Row>>> ReadOptional(Reader& read, const Row& row) {
  using T = ReadType<Reader, Row>;
  if constexpr (kIsStatusOr<std::invoke_result_t<Reader&, const Row&>>) {
    absl::StatusOr<T> value = read(row);
    if (!value.ok()) {
      return value.status();
    }
    return absl::StatusOr<std::optional<T>>(absl::in_place, std::in_place, *std::move(value));
  } else {
    return absl::StatusOr<std::optional<T>>(absl::in_place, std::in_place, read(row));
  }
}

// Appends read(row) to `rows`; returns the reader's error, if it has one.
template <class Reader, class Row, class T>
absl::Status AppendRead(Reader& read, const Row& row, std::vector<T>& rows) {
  if constexpr (kIsStatusOr<std::invoke_result_t<Reader&, const Row&>>) {
    absl::StatusOr<T> value = read(row);
    if (!value.ok()) {
      return value.status();
    }
    rows.push_back(*std::move(value));
  } else {
    rows.push_back(read(row));
  }
  return absl::OkStatus();
}

// Reads column 0 as an integer (COUNT(*), a version).
inline constexpr auto kReadInt = [](const auto& row) { return row.Int(0); };
// Reads column 0 as an integer; nullopt when it is NULL (MIN() of no rows).
inline constexpr auto kReadNullableInt = [](const auto& row) -> std::optional<int64_t> {
  if (row.IsNull(0)) {
    return std::nullopt;
  }
  return row.Int(0);
};
// Reads column 0 as text.
inline constexpr auto kReadText = [](const auto& row) { return row.Text(0); };

}  // namespace connectplane::store::internal
