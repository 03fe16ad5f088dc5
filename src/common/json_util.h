// Boost.JSON parsing and serialization that turn parser errors into Status, so
// no exception crosses a module boundary; members are read with JsonReader
// (json_reader.h). Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "boost/json.hpp"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::common {

// Shared reason for a document that is not JSON at all (or not an object);
// every dialect's error table maps it.
inline constexpr std::string_view kReasonMalformedJson = "MALFORMED_JSON";

struct JsonLimits {
  size_t max_depth = 32;
};

// Parses `text` as one JSON value. Errors carry reason "MALFORMED_JSON".
absl::StatusOr<boost::json::value> ParseJson(std::string_view text, JsonLimits limits = {});

// Parses `text` that must be a JSON object. A non-object gets reason "MALFORMED_JSON".
absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view text, JsonLimits limits = {});

// Compact serialization.
std::string ToJson(const boost::json::value& value);

}  // namespace connectplane::common
