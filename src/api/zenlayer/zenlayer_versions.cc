#include "api/zenlayer/zenlayer_versions.h"

#include "api/zenlayer/zenlayer_errors.h"
#include "api/zenlayer/zenlayer_requests.h"
#include "common/json_reader.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include <utility>
#include <vector>

namespace connectplane::api::zenlayer {

absl::StatusOr<SdnVersion> ResolveSdnVersion(std::optional<std::string_view> header) {
  if (!header || header->empty() || *header == kSdnVersion20230830) {
    return SdnVersion::k20230830;
  }
  if (*header == kSdnVersion20260401) {
    return SdnVersion::k20260401;
  }
  return common::InvalidArgument(
      kReasonUnknownVersion, common::StrCat("The version `", common::QuoteUntrusted(*header),
                                            "` is not supported by service sdn; use ",
                                            kSdnVersion20230830, " or ", kSdnVersion20260401, "."));
}

std::string_view SdnVersionName(SdnVersion version) {
  return version == SdnVersion::k20260401 ? kSdnVersion20260401 : kSdnVersion20230830;
}

SdnVersion VersionOf(const service::Caller& caller) {
  return caller.api_version == kSdnVersion20260401 ? SdnVersion::k20260401 : SdnVersion::k20230830;
}

absl::StatusOr<service::ResourceFilter> TakeResourceFilter(boost::json::object& body,
                                                           ResourceFilterMembers members) {
  const common::JsonReader reader(body, "", &ZenlayerFieldError);
  constexpr common::StringRules kFilter{.empty_is_absent = true};
  service::ResourceFilter filter;
  if (members.resource_group_id) {
    ASSIGN_OR_RETURN(filter.resource_group_id, reader.String("resourceGroupId", kFilter));
  }
  if (members.tags) {
    ASSIGN_OR_RETURN(filter.tag_keys, reader.StringList("tagKeys", {.allow_empty = false}));
    ASSIGN_OR_RETURN(std::vector<common::JsonReader> tags, reader.ObjectList("tags"));
    for (const common::JsonReader& tag : tags) {
      RETURN_IF_ERROR(tag.CheckKnown({"key", "value"}));
      service::ResourceTag wanted;
      ASSIGN_OR_RETURN(wanted.key, tag.RequiredString("key", {.empty_is_absent = true}));
      ASSIGN_OR_RETURN(std::optional<std::string> value, tag.String("value"));
      wanted.value = value.value_or("");
      filter.tags.push_back(std::move(wanted));
    }
  }
  if (members.resource_group_id) {
    body.erase("resourceGroupId");
  }
  if (members.tags) {
    body.erase("tagKeys");
    body.erase("tags");
  }
  return filter;
}

boost::json::object RenderTags(std::string_view tags_json) {
  boost::json::array tags;
  for (const service::ResourceTag& tag : service::ResourceTagsFromJson(tags_json)) {
    tags.push_back(boost::json::object{{"key", tag.key}, {"value", tag.value}});
  }
  boost::json::object out;
  out["tags"] = std::move(tags);
  return out;
}

}  // namespace connectplane::api::zenlayer
