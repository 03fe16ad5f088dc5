#include "common/json_util.h"

#include "common/strings.h"
#include "common/status.h"

namespace connectplane::common {

absl::StatusOr<boost::json::value> ParseJson(std::string_view text, JsonLimits limits) {
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::error_code error;
  boost::json::value value = boost::json::parse(text, error, {}, options);
  if (error) {
    return InvalidArgument("MALFORMED_JSON", StrCat("request body is not valid JSON: ",
                                                          error.message()));
  }
  return value;
}

absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view text, JsonLimits limits) {
  ASSIGN_OR_RETURN(boost::json::value value, ParseJson(text, limits));
  if (!value.is_object()) {
    return InvalidArgument("MALFORMED_JSON", "request body must be a JSON object");
  }
  return std::move(value.as_object());
}

std::string ToJson(const boost::json::value& value) { return boost::json::serialize(value); }

namespace {

absl::Status WrongType(std::string_view key, std::string_view expected) {
  return InvalidArgument("INVALID_FIELD_TYPE",
                         StrCat("field '", key, "' must be ", expected));
}

}  // namespace

absl::StatusOr<std::optional<std::string>> GetOptionalString(const boost::json::object& object,
                                                             std::string_view key) {
  const boost::json::value* field = object.if_contains(key);
  if (field == nullptr || field->is_null()) {
    return std::optional<std::string>();
  }
  if (!field->is_string()) {
    return WrongType(key, "a string");
  }
  return std::optional<std::string>(std::string(field->as_string()));
}

absl::StatusOr<std::optional<int64_t>> GetOptionalInt(const boost::json::object& object,
                                                      std::string_view key) {
  const boost::json::value* field = object.if_contains(key);
  if (field == nullptr || field->is_null()) {
    return std::optional<int64_t>();
  }
  if (field->is_int64()) {
    return std::optional<int64_t>(field->as_int64());
  }
  if (field->is_uint64() && field->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(field->as_uint64()));
  }
  return WrongType(key, "an integer");
}

absl::StatusOr<std::optional<bool>> GetOptionalBool(const boost::json::object& object,
                                                    std::string_view key) {
  const boost::json::value* field = object.if_contains(key);
  if (field == nullptr || field->is_null()) {
    return std::optional<bool>();
  }
  if (!field->is_bool()) {
    return WrongType(key, "a boolean");
  }
  return std::optional<bool>(field->as_bool());
}

}  // namespace connectplane::common
