// Boost.JSON helpers that turn parser exceptions and type mismatches into
// Status, so no exception crosses a module boundary. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "boost/json.hpp"

namespace connectplane::common {

struct JsonLimits {
  size_t max_depth = 32;
};

// Parses `text` as one JSON value. Errors carry reason "MALFORMED_JSON".
absl::StatusOr<boost::json::value> ParseJson(std::string_view text, JsonLimits limits = {});

// Parses `text` that must be a JSON object. A non-object gets reason "MALFORMED_JSON".
absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view text, JsonLimits limits = {});

// Compact serialization.
std::string ToJson(const boost::json::value& value);

// Typed field readers. Each returns nullopt when the key is absent (or null) and
// an InvalidArgument with reason "INVALID_FIELD_TYPE" when present with another type.
absl::StatusOr<std::optional<std::string>> GetOptionalString(const boost::json::object& object,
                                                             std::string_view key);
absl::StatusOr<std::optional<int64_t>> GetOptionalInt(const boost::json::object& object,
                                                      std::string_view key);
absl::StatusOr<std::optional<bool>> GetOptionalBool(const boost::json::object& object,
                                                    std::string_view key);

}  // namespace connectplane::common
