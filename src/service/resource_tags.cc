#include "service/resource_tags.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/private_connect_service.h"

#include "boost/json.hpp"
#include <algorithm>
#include <set>

namespace connectplane::service {

absl::Status ValidateResourceTags(const std::vector<ResourceTag>& tags) {
  auto invalid = [](std::string message) {
    return common::InvalidArgument(kReasonPcInvalidParameter, message);
  };
  if (tags.size() > kMaxTagsPerResource) {
    return invalid(common::StrCat("At most ", kMaxTagsPerResource, " tags are allowed."));
  }
  std::set<std::string_view> keys;
  for (const ResourceTag& tag : tags) {
    if (tag.key.empty() || tag.key.size() > kMaxTagKeyLength) {
      return invalid(common::StrCat("A tag key must be 1 to ", kMaxTagKeyLength, " characters."));
    }
    if (tag.value.size() > kMaxTagValueLength) {
      return invalid(
          common::StrCat("A tag value must be at most ", kMaxTagValueLength, " characters."));
    }
    if (!keys.insert(tag.key).second) {
      return invalid(common::StrCat("The tag key `", common::QuoteUntrusted(tag.key),
                                    "` is given more than once."));
    }
  }
  return absl::OkStatus();
}

std::string ResourceTagsToJson(const std::vector<ResourceTag>& tags) {
  boost::json::array array;
  array.reserve(tags.size());
  for (const ResourceTag& tag : tags) {
    array.push_back(boost::json::object{{"key", tag.key}, {"value", tag.value}});
  }
  return common::ToJson(array);
}

std::vector<ResourceTag> ResourceTagsFromJson(std::string_view tags_json) {
  std::vector<ResourceTag> tags;
  absl::StatusOr<boost::json::value> parsed = common::ParseJson(tags_json);
  if (!parsed.ok() || !parsed->is_array()) {
    return tags;
  }
  for (const boost::json::value& entry : parsed->as_array()) {
    const boost::json::object* object = entry.if_object();
    if (object == nullptr) {
      continue;
    }
    const boost::json::value* key = object->if_contains("key");
    const boost::json::value* value = object->if_contains("value");
    if (key == nullptr || !key->is_string()) {
      continue;
    }
    tags.push_back({std::string(key->as_string()), value != nullptr && value->is_string()
                                                       ? std::string(value->as_string())
                                                       : std::string()});
  }
  return tags;
}

bool MatchesResourceFilter(std::string_view tags_json, const ResourceFilter& filter) {
  if (filter.resource_group_id && *filter.resource_group_id != kDefaultResourceGroupId) {
    return false;
  }
  if (filter.tag_keys.empty() && filter.tags.empty()) {
    return true;
  }
  const std::vector<ResourceTag> tags = ResourceTagsFromJson(tags_json);
  auto has_key = [&](std::string_view key) {
    return std::any_of(tags.begin(), tags.end(),
                       [&](const ResourceTag& tag) { return tag.key == key; });
  };
  for (const std::string& key : filter.tag_keys) {
    if (!has_key(key)) {
      return false;
    }
  }
  for (const ResourceTag& wanted : filter.tags) {
    if (std::find(tags.begin(), tags.end(), wanted) == tags.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace connectplane::service
