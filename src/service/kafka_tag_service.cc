#include "service/kafka_tag_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/internal/kafka_instances.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <algorithm>
#include <set>
#include <utility>

namespace connectplane::service {
namespace {

// Characters of UTF-8 text (continuation bytes are not counted).
size_t CharacterCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Letters of any script (every non-ASCII byte counts: multi-byte UTF-8 is
// taken as a letter), digits, space and _ . : = + - @.
bool IsTagText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x80 || absl::ascii_isalnum(c) || c == ' ' ||
           c == '_' || c == '.' || c == ':' || c == '=' || c == '+' || c == '-' || c == '@';
  });
}

absl::Status ValidateKey(std::string_view key) {
  const size_t length = CharacterCount(key);
  if (length == 0 || length > kMaxKafkaTagKeyLength) {
    return common::InvalidArgument(kReasonInvalidTagKey, "The tag key is empty or too long.");
  }
  if (key.front() == ' ' || key.back() == ' ' || key.starts_with("_sys_")) {
    return common::InvalidArgument(
        kReasonInvalidTagKey, "The tag key must not start with _sys_ or start or end with a space.");
  }
  if (!IsTagText(key)) {
    return common::InvalidArgument(kReasonInvalidTagKeyCharacters,
                                   "The tag key contains invalid characters.");
  }
  return absl::OkStatus();
}

absl::Status TooManyTags() {
  return common::InvalidArgument(
      kReasonTagLimitReached,
      common::StrCat("A maximum of ", kMaxInstanceTags, " tags can be added to an instance."));
}

std::string TagBody(const InstanceTag& tag) {
  boost::json::object body;
  body["value"] = tag.value;
  return common::ToJson(body);
}

// The stored value of a tag row; "" when its body holds none.
std::string TagValue(const store::KafkaInstanceItem& item) {
  absl::StatusOr<boost::json::object> body = common::ParseJsonObject(item.body_json);
  if (!body.ok()) return "";
  const boost::json::value* value = body->if_contains("value");
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

}  // namespace

KafkaTagService::KafkaTagService(store::Store& store, const common::Clock& clock)
    : store_(store), clock_(clock) {}

absl::Status KafkaTagService::ValidateTags(const std::vector<InstanceTag>& tags) {
  if (tags.size() > kMaxInstanceTags) return TooManyTags();
  std::set<std::string_view> keys;
  for (const InstanceTag& tag : tags) {
    RETURN_IF_ERROR(ValidateKey(tag.key));
    if (CharacterCount(tag.value) > kMaxKafkaTagValueLength) {
      return common::InvalidArgument(kReasonTagValueTooLong, "The tag value is too long.");
    }
    if (!IsTagText(tag.value) ||
        (!tag.value.empty() && (tag.value.front() == ' ' || tag.value.back() == ' '))) {
      return common::InvalidArgument(kReasonInvalidTagValueCharacters,
                                     "The tag value contains invalid characters.");
    }
    if (!keys.insert(tag.key).second) {
      return common::InvalidArgument(kReasonDuplicateTagKey, "The tag key has been used.");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<InstanceTag>> KafkaTagService::TagsOfCreateBody(
    const boost::json::object& attributes) {
  std::vector<InstanceTag> tags;
  const boost::json::value* member = attributes.if_contains("tags");
  if (member == nullptr || member->is_null()) return tags;
  const auto refuse = [] {
    return common::InvalidArgument(kReasonInvalidTagKey,
                                   "tags must be a list of {key, value} with string members.");
  };
  if (!member->is_array()) return refuse();
  for (const boost::json::value& entry : member->get_array()) {
    if (!entry.is_object()) return refuse();
    const boost::json::value* key = entry.get_object().if_contains("key");
    const boost::json::value* value = entry.get_object().if_contains("value");
    if (key == nullptr || !key->is_string()) return refuse();
    if (value != nullptr && !value->is_string() && !value->is_null()) return refuse();
    tags.push_back({std::string(key->get_string()),
                    value != nullptr && value->is_string() ? std::string(value->get_string())
                                                           : std::string()});
  }
  RETURN_IF_ERROR(ValidateTags(tags));
  return tags;
}

absl::Status KafkaTagService::WriteTags(store::StoreTransaction& txn, std::string_view project_id,
                                        std::string_view instance_id,
                                        const std::vector<InstanceTag>& tags, int64_t now_ms) {
  for (const InstanceTag& tag : tags) {
    RETURN_IF_ERROR(txn.PutKafkaInstanceItem({std::string(project_id), std::string(instance_id),
                                              std::string(store::kKafkaItemTag), tag.key,
                                              TagBody(tag), now_ms, now_ms}));
  }
  return absl::OkStatus();
}

absl::Status KafkaTagService::MirrorTagsIntoInstance(store::StoreTransaction& txn,
                                                     store::KafkaInstance instance) {
  ASSIGN_OR_RETURN(std::vector<store::KafkaInstanceItem> items,
                   txn.ListKafkaInstanceItems(instance.project_id, instance.instance_id,
                                              store::kKafkaItemTag));
  boost::json::array tags;
  for (const store::KafkaInstanceItem& item : items) {
    tags.push_back(boost::json::object{{"key", item.name}, {"value", TagValue(item)}});
  }
  boost::json::object attributes;
  if (!instance.attributes_json.empty()) {
    ASSIGN_OR_RETURN(attributes, common::ParseJsonObject(instance.attributes_json));
  }
  attributes["tags"] = std::move(tags);
  instance.attributes_json = common::ToJson(attributes);
  return txn.UpdateKafkaInstance(instance);
}

absl::StatusOr<std::vector<InstanceTag>> KafkaTagService::ListTags(const Caller& caller,
                                                                   std::string_view instance_id) {
  std::vector<InstanceTag> tags;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    tags.clear();
    RETURN_IF_ERROR(internal::LoadInstance(txn, caller.tenant_id, instance_id).status());
    ASSIGN_OR_RETURN(
        std::vector<store::KafkaInstanceItem> items,
        txn.ListKafkaInstanceItems(caller.tenant_id, instance_id, store::kKafkaItemTag));
    for (const store::KafkaInstanceItem& item : items) {
      tags.push_back({item.name, TagValue(item)});
    }
    return absl::OkStatus();
  }));
  return tags;
}

absl::Status KafkaTagService::ApplyTags(const Caller& caller, std::string_view instance_id,
                                        TagAction action, const std::vector<InstanceTag>& tags) {
  if (action == TagAction::kCreate) {
    RETURN_IF_ERROR(ValidateTags(tags));
  } else {
    for (const InstanceTag& tag : tags) {
      if (tag.key.empty()) {
        return common::InvalidArgument(kReasonInvalidTagKey, "The tag key is empty or too long.");
      }
    }
  }
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    // Loading locks the instance: concurrent tag changes of one instance queue.
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     internal::LoadInstance(txn, caller.tenant_id, instance_id));
    ASSIGN_OR_RETURN(
        std::vector<store::KafkaInstanceItem> existing,
        txn.ListKafkaInstanceItems(caller.tenant_id, instance_id, store::kKafkaItemTag));
    if (action == TagAction::kDelete) {
      for (const InstanceTag& tag : tags) {
        absl::Status deleted = txn.DeleteKafkaInstanceItem(caller.tenant_id, instance_id,
                                                           store::kKafkaItemTag, tag.key);
        if (!deleted.ok() && !absl::IsNotFound(deleted)) return deleted;
      }
      return MirrorTagsIntoInstance(txn, std::move(instance));
    }
    std::set<std::string> keys;
    for (const store::KafkaInstanceItem& item : existing) keys.insert(item.name);
    for (const InstanceTag& tag : tags) keys.insert(tag.key);
    if (keys.size() > kMaxInstanceTags) return TooManyTags();
    RETURN_IF_ERROR(WriteTags(txn, caller.tenant_id, instance_id, tags, now_ms));
    return MirrorTagsIntoInstance(txn, std::move(instance));
  });
}

}  // namespace connectplane::service
