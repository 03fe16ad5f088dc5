#include "common/json_reader.h"

#include "common/strings.h"

#include <algorithm>

namespace connectplane::common {
namespace {

std::string_view KeyOf(const boost::json::key_value_pair& entry) {
  return std::string_view(entry.key().data(), entry.key().size());
}

std::string Join(std::initializer_list<std::string_view> values) {
  std::string out = "one of ";
  bool first = true;
  for (std::string_view value : values) {
    if (!first) out += ", ";
    out += value;
    first = false;
  }
  return out;
}

std::string Range(int64_t min, int64_t max) {
  if (min == std::numeric_limits<int64_t>::min() && max == std::numeric_limits<int64_t>::max()) {
    return "a 64-bit integer";
  }
  if (max == std::numeric_limits<int64_t>::max()) return StrCat("at least ", min);
  if (min == std::numeric_limits<int64_t>::min()) return StrCat("at most ", max);
  return StrCat("between ", min, " and ", max);
}

}  // namespace

std::string JsonReader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (!key.empty() && key.front() == '[') return StrCat(path_, key);
  return StrCat(path_, ".", key);
}

absl::Status JsonReader::Error(JsonProblem problem, std::string_view key,
                               std::string_view expected) const {
  const std::string path = PathOf(key);
  return errors_(JsonFieldError{problem, path_, key, path, expected});
}

absl::Status JsonReader::CheckKnown(std::span<const std::string_view> keys) const {
  for (const auto& entry : *object_) {
    if (std::find(keys.begin(), keys.end(), KeyOf(entry)) == keys.end()) {
      return Error(JsonProblem::kUnknownKey, KeyOf(entry));
    }
  }
  return absl::OkStatus();
}

const boost::json::value* JsonReader::Find(std::string_view key) const {
  const boost::json::value* value = object_->if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

bool JsonReader::Has(std::string_view key) const { return Find(key) != nullptr; }

absl::StatusOr<std::optional<std::string>> JsonReader::String(std::string_view key,
                                                              StringRules rules) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return Error(JsonProblem::kWrongType, key, "a string");
  const boost::json::string& text = value->as_string();
  if (text.size() > rules.max_length) {
    return Error(JsonProblem::kTooLong, key, StrCat("at most ", rules.max_length, " characters"));
  }
  if (text.empty() && rules.empty_is_absent) return std::optional<std::string>();
  if (text.empty() && !rules.allow_empty) {
    return Error(JsonProblem::kWrongType, key, "a non-empty string");
  }
  return std::optional<std::string>(std::string(text));
}

absl::StatusOr<std::string> JsonReader::RequiredString(std::string_view key,
                                                       StringRules rules) const {
  absl::StatusOr<std::optional<std::string>> value = String(key, rules);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return Error(JsonProblem::kMissing, key, "a string");
  return std::move(**value);
}

absl::StatusOr<std::optional<std::string>> JsonReader::Enum(
    std::string_view key, std::initializer_list<std::string_view> allowed,
    StringRules rules) const {
  absl::StatusOr<std::optional<std::string>> value = String(key, rules);
  if (!value.ok() || !value->has_value()) return value;
  if (std::find(allowed.begin(), allowed.end(), **value) == allowed.end()) {
    return Error(JsonProblem::kNotAllowed, key, Join(allowed));
  }
  return value;
}

absl::StatusOr<std::optional<int64_t>> JsonReader::Int(std::string_view key, int64_t min,
                                                       int64_t max) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return std::optional<int64_t>();
  if (value->is_uint64()) {
    // Boost.JSON keeps integers above INT64_MAX unsigned: a number, but out of range.
    return Error(JsonProblem::kOutOfRange, key, Range(min, max));
  }
  if (!value->is_int64()) return Error(JsonProblem::kWrongType, key, "an integer");
  const int64_t number = value->as_int64();
  if (number < min || number > max) return Error(JsonProblem::kOutOfRange, key, Range(min, max));
  return std::optional<int64_t>(number);
}

absl::StatusOr<int64_t> JsonReader::RequiredInt(std::string_view key, int64_t min,
                                                int64_t max) const {
  absl::StatusOr<std::optional<int64_t>> value = Int(key, min, max);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return Error(JsonProblem::kMissing, key, "an integer");
  return **value;
}

absl::StatusOr<std::optional<double>> JsonReader::Number(std::string_view key, double min,
                                                         double max) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) return Error(JsonProblem::kWrongType, key, "a number");
  const double number = value->to_number<double>();
  if (!(number >= min && number <= max)) {
    return Error(JsonProblem::kOutOfRange, key, StrCat("between ", min, " and ", max));
  }
  return std::optional<double>(number);
}

absl::StatusOr<std::optional<bool>> JsonReader::Bool(std::string_view key) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_bool()) return Error(JsonProblem::kWrongType, key, "a boolean");
  return std::optional<bool>(value->as_bool());
}

absl::StatusOr<std::optional<JsonReader>> JsonReader::Object(std::string_view key) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return std::optional<JsonReader>();
  if (!value->is_object()) return Error(JsonProblem::kWrongType, key, "an object");
  return std::optional<JsonReader>(JsonReader(value->as_object(), PathOf(key), errors_));
}

absl::StatusOr<JsonReader> JsonReader::RequiredObject(std::string_view key) const {
  absl::StatusOr<std::optional<JsonReader>> nested = Object(key);
  if (!nested.ok()) return nested.status();
  if (!nested->has_value()) return Error(JsonProblem::kMissing, key, "an object");
  return std::move(**nested);
}

absl::StatusOr<std::vector<JsonReader>> JsonReader::ObjectList(std::string_view key,
                                                               size_t max_entries) const {
  std::vector<JsonReader> readers;
  const boost::json::value* value = Find(key);
  if (value == nullptr) return readers;
  if (!value->is_array()) return Error(JsonProblem::kWrongType, key, "an array of objects");
  const boost::json::array& entries = value->as_array();
  if (entries.size() > max_entries) {
    return Error(JsonProblem::kTooLong, key, StrCat("at most ", max_entries, " entries"));
  }
  readers.reserve(entries.size());
  const std::string list_path = PathOf(key);
  for (size_t entry_idx = 0; entry_idx < entries.size(); ++entry_idx) {
    const std::string element = StrCat(key, "[", entry_idx, "]");
    if (!entries[entry_idx].is_object()) {
      return Error(JsonProblem::kWrongType, element, "an object");
    }
    readers.emplace_back(entries[entry_idx].as_object(), StrCat(list_path, "[", entry_idx, "]"),
                         errors_);
  }
  return readers;
}

absl::StatusOr<std::vector<std::string>> JsonReader::StringList(std::string_view key,
                                                                StringRules rules,
                                                                size_t max_entries) const {
  std::vector<std::string> strings;
  const boost::json::value* value = Find(key);
  if (value == nullptr) return strings;
  if (!value->is_array()) return Error(JsonProblem::kWrongType, key, "an array of strings");
  const boost::json::array& entries = value->as_array();
  if (entries.size() > max_entries) {
    return Error(JsonProblem::kTooLong, key, StrCat("at most ", max_entries, " entries"));
  }
  strings.reserve(entries.size());
  for (size_t entry_idx = 0; entry_idx < entries.size(); ++entry_idx) {
    const std::string element = StrCat(key, "[", entry_idx, "]");
    const boost::json::value& entry = entries[entry_idx];
    if (!entry.is_string()) return Error(JsonProblem::kWrongType, element, "a string");
    const boost::json::string& text = entry.as_string();
    if (text.size() > rules.max_length) {
      return Error(JsonProblem::kTooLong, element,
                   StrCat("at most ", rules.max_length, " characters"));
    }
    if (text.empty() && rules.empty_is_absent) continue;
    if (text.empty() && !rules.allow_empty) {
      return Error(JsonProblem::kWrongType, element, "a non-empty string");
    }
    strings.emplace_back(text);
  }
  return strings;
}

}  // namespace connectplane::common
