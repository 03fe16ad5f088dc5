// Tags and resource groups of Zenlayer resources (private connects, ports):
// the stored form of a resource's tags (a JSON array text, the column
// `tags_json`), their validation, and the tag / resource-group filters of the
// 2026-04-01 Describe actions. Pure functions; thread-safe.
#pragma once

#include "absl/status/status.h"
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Every account has exactly one resource group; resources report it and the
// resourceGroupId filter matches it only. [ours: no source names the id]
inline constexpr std::string_view kDefaultResourceGroupId = "default";
inline constexpr std::string_view kDefaultResourceGroupName = "Default Resource Group";

// Limits on a resource's tags. [ours: no stored source states tag limits]
inline constexpr size_t kMaxTagsPerResource = 50;
inline constexpr size_t kMaxTagKeyLength = 128;
inline constexpr size_t kMaxTagValueLength = 256;

struct ResourceTag {
  std::string key;
  std::string value;
  friend bool operator==(const ResourceTag&, const ResourceTag&) = default;
};

// What a Describe call filters on besides its own fields. Empty = any.
struct ResourceFilter {
  std::optional<std::string> resource_group_id;
  std::vector<std::string> tag_keys;  // the resource has every one of these keys
  std::vector<ResourceTag> tags;      // the resource has every one of these key=value pairs
  bool Empty() const { return !resource_group_id && tag_keys.empty() && tags.empty(); }
};

// Keys non-empty and at most kMaxTagKeyLength, values at most
// kMaxTagValueLength, no key twice, at most kMaxTagsPerResource tags.
// Errors: InvalidArgument PC_INVALID_PARAMETER naming the problem.
absl::Status ValidateResourceTags(const std::vector<ResourceTag>& tags);

// The stored form: [{"key":...,"value":...}, ...] in the given order.
std::string ResourceTagsToJson(const std::vector<ResourceTag>& tags);
// Reads the stored form; anything else (a hand-edited database) reads as no tags.
std::vector<ResourceTag> ResourceTagsFromJson(std::string_view tags_json);

// True when a resource with these stored tags passes `filter`.
bool MatchesResourceFilter(std::string_view tags_json, const ResourceFilter& filter);

// Drops the resources (rows with a `tags_json` member) `filter` does not match.
template <typename Resource>
void KeepMatching(std::vector<Resource>& resources, const ResourceFilter& filter) {
  if (filter.Empty()) {
    return;
  }
  std::erase_if(resources, [&](const Resource& resource) {
    return !MatchesResourceFilter(resource.tags_json, filter);
  });
}

}  // namespace connectplane::service
