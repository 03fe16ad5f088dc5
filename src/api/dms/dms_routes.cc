#include "api/dms/dms_routes.h"

#include "api/dms/dms_errors.h"
#include "common/http_message.h"
#include "common/status.h"

#include <optional>

namespace connectplane::api::dms {
namespace {

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::string* ParamSlot(std::string_view placeholder, PathParams& params) {
  if (placeholder == "{project_id}") return &params.project_id;
  if (placeholder == "{instance_id}") return &params.instance_id;
  if (placeholder == "{task_id}") return &params.task_id;
  if (placeholder == "{connector_id}") return &params.connector_id;
  return nullptr;
}

}  // namespace

PathPattern::PathPattern(std::string_view pattern) {
  for (std::string_view segment : common::SplitPath(pattern)) {
    segments_.emplace_back(segment);
  }
}

bool PathPattern::Match(std::span<const std::string> segments, PathParams& params) const {
  if (segments.size() != segments_.size()) {
    return false;
  }
  for (size_t idx = 0; idx < segments.size(); ++idx) {
    // A placeholder never matches an empty segment ("/v2//instances"): an
    // empty project id is reserved for the region-wide routes.
    if (IsPlaceholder(segments_[idx]) ? segments[idx].empty() : segments_[idx] != segments[idx]) {
      return false;
    }
  }
  for (size_t idx = 0; idx < segments.size(); ++idx) {
    if (IsPlaceholder(segments_[idx])) {
      if (std::string* slot = ParamSlot(segments_[idx], params)) {
        *slot = segments[idx];
      }
    }
  }
  return true;
}

bool PathPattern::IsValid() const {
  PathParams probe;
  for (const std::string& segment : segments_) {
    if (IsPlaceholder(segment) && ParamSlot(segment, probe) == nullptr) {
      return false;
    }
  }
  return !segments_.empty();
}

absl::StatusOr<std::vector<std::string>> DecodePathSegments(std::string_view path) {
  std::vector<std::string_view> raw = common::SplitPath(path);
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (std::string_view segment : raw) {
    std::optional<std::string> decoded = common::PercentDecode(segment);
    if (!decoded) {
      return common::NotFound(kReasonUnknownApi, "The API does not exist.");
    }
    segments.push_back(std::move(*decoded));
  }
  return segments;
}

}  // namespace connectplane::api::dms
