// Path patterns of the DMS route table and the one small matcher for them. A
// pattern is a path of literal segments and placeholders:
//   /v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/pause
// Pure functions; thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::dms {

// The placeholders a pattern may use, filled by a match.
struct PathParams {
  std::string project_id;
  std::string instance_id;
  std::string task_id;
  std::string connector_id;  // the legacy sink-task API's
};

// A pattern split into segments once; "{name}" segments are placeholders.
class PathPattern {
 public:
  // `pattern` must start with '/' and use only the placeholders of PathParams
  // (checked by tests over the route table).
  explicit PathPattern(std::string_view pattern);

  // True when `segments` (already percent-decoded) have the pattern's shape;
  // then the placeholders are copied into `params`.
  bool Match(std::span<const std::string> segments, PathParams& params) const;
  // True when every placeholder names a PathParams member.
  bool IsValid() const;

 private:
  std::vector<std::string> segments_;
};

// The percent-decoded segments of a raw path. Error: NotFound UNKNOWN_API on a
// malformed escape.
absl::StatusOr<std::vector<std::string>> DecodePathSegments(std::string_view path);

}  // namespace connectplane::api::dms
