// The one reader of JSON documents that come from outside: request bodies of
// every dialect, seed files, admin documents and job parameters. A JsonReader
// wraps one object with its path in the document ("", "source_task",
// "huawei.credentials[1]") and reads typed members: unknown keys, wrong types,
// missing required members and values out of range become errors that name the
// member's path. The wording and the reason of those errors belong to whoever
// reads (each cloud dialect has its own): the caller passes a JsonErrorFactory
// that turns a JsonFieldError into its Status.
//
// JSON null counts as absent everywhere. Plain values over a borrowed object:
// the object must outlive the reader. Thread-compatible.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "boost/json/value.hpp"
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::common {

enum class JsonProblem {
  kUnknownKey,  // a member the document does not define
  kWrongType,   // `expected` says what it must be, e.g. "a string"
  kMissing,     // a required member is absent, null (or empty, where empty means absent)
  kOutOfRange,  // a number outside its range; `expected` says the range
  kNotAllowed,  // a string outside its set of values; `expected` lists them
  kTooLong,     // a string or array over its size limit; `expected` says the limit
};

struct JsonFieldError {
  JsonProblem problem;
  std::string_view object_path;  // path of the object holding the member ("" at the top)
  std::string_view key;          // the member's key, or "[3]" for an array element
  std::string_view path;         // object_path + key, e.g. "source_task.password"
  std::string_view expected;     // see JsonProblem; "" when there is nothing to add
};

// Turns a problem into the reader's own error (message wording and reason).
using JsonErrorFactory = absl::Status (*)(const JsonFieldError& error);

struct StringRules {
  size_t max_length = std::numeric_limits<size_t>::max();
  // "" counts as absent (clients that leave out empty values send "" for "not set").
  bool empty_is_absent = false;
  // false: "" is a kWrongType error ("a non-empty string"), unless empty_is_absent.
  bool allow_empty = true;
};

class JsonReader {
 public:
  JsonReader(const boost::json::object& object, std::string path, JsonErrorFactory errors)
      : object_(&object), path_(std::move(path)), errors_(errors) {}

  // Every member's key must be one of `keys`. Error: kUnknownKey for the first other.
  absl::Status CheckKnown(std::span<const std::string_view> keys) const;
  absl::Status CheckKnown(std::initializer_list<std::string_view> keys) const {
    return CheckKnown(std::span<const std::string_view>(keys.begin(), keys.size()));
  }

  // True when `key` is present and not null.
  bool Has(std::string_view key) const;
  // The raw member, nullptr when absent or null.
  const boost::json::value* Find(std::string_view key) const;

  absl::StatusOr<std::optional<std::string>> String(std::string_view key,
                                                    StringRules rules = {}) const;
  // Error kMissing when absent (or "" with empty_is_absent).
  absl::StatusOr<std::string> RequiredString(std::string_view key, StringRules rules = {}) const;
  // A string from `allowed` (kNotAllowed otherwise), read by `rules` first.
  absl::StatusOr<std::optional<std::string>> Enum(std::string_view key,
                                                  std::initializer_list<std::string_view> allowed,
                                                  StringRules rules = {}) const;

  // An integer in [min, max]: kWrongType for a non-integer (also 1.5, "1"),
  // kOutOfRange outside the range (including integers beyond int64).
  absl::StatusOr<std::optional<int64_t>> Int(
      std::string_view key, int64_t min = std::numeric_limits<int64_t>::min(),
      int64_t max = std::numeric_limits<int64_t>::max()) const;
  absl::StatusOr<int64_t> RequiredInt(std::string_view key,
                                      int64_t min = std::numeric_limits<int64_t>::min(),
                                      int64_t max = std::numeric_limits<int64_t>::max()) const;
  // Any JSON number in [min, max].
  absl::StatusOr<std::optional<double>> Number(std::string_view key, double min, double max) const;
  absl::StatusOr<std::optional<bool>> Bool(std::string_view key) const;

  // A nested object, read with the same factory under path "<this path>.<key>".
  absl::StatusOr<std::optional<JsonReader>> Object(std::string_view key) const;
  absl::StatusOr<JsonReader> RequiredObject(std::string_view key) const;
  // An array of objects, each read under "<path>[i]"; empty when absent.
  // kTooLong over `max_entries`.
  absl::StatusOr<std::vector<JsonReader>> ObjectList(
      std::string_view key, size_t max_entries = std::numeric_limits<size_t>::max()) const;
  // An array of strings, each checked by `rules` (an empty entry that counts as
  // absent is dropped); empty when absent. kTooLong over `max_entries`.
  absl::StatusOr<std::vector<std::string>> StringList(
      std::string_view key, StringRules rules = {},
      size_t max_entries = std::numeric_limits<size_t>::max()) const;

  // The path of a member of this object, as errors report it.
  std::string PathOf(std::string_view key) const;
  const std::string& path() const { return path_; }
  const boost::json::object& object() const { return *object_; }
  // An error about member `key` of this object, worded by the factory.
  absl::Status Error(JsonProblem problem, std::string_view key,
                     std::string_view expected = {}) const;

 private:
  const boost::json::object* object_;
  std::string path_;
  JsonErrorFactory errors_;
};

}  // namespace connectplane::common
