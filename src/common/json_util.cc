#include "common/json_util.h"

#include "common/status.h"
#include "common/strings.h"

namespace connectplane::common {

absl::StatusOr<boost::json::value> ParseJson(std::string_view text, JsonLimits limits) {
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::error_code error;
  boost::json::value value = boost::json::parse(text, error, {}, options);
  if (error) {
    return InvalidArgument(kReasonMalformedJson,
                           StrCat("request body is not valid JSON: ", error.message()));
  }
  return value;
}

absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view text, JsonLimits limits) {
  ASSIGN_OR_RETURN(boost::json::value value, ParseJson(text, limits));
  if (!value.is_object()) {
    return InvalidArgument(kReasonMalformedJson, "request body must be a JSON object");
  }
  return std::move(value.as_object());
}

std::string ToJson(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace connectplane::common
