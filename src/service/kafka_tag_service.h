// Tags of DMS Kafka instances (ShowKafkaTags, BatchCreateOrDeleteKafkaTag):
// the key and value rules, the per-instance limit, and the one function that
// writes an instance's tags, which instance creation also calls. Stored as
// kafka_instance_items of kind "tag" ({"value": ...}). Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Domain error reasons (common::ReasonOf) the dialects map to cloud codes.
inline constexpr std::string_view kReasonInvalidTagKey = "INVALID_TAG_KEY";
inline constexpr std::string_view kReasonInvalidTagKeyCharacters = "INVALID_TAG_KEY_CHARACTERS";
inline constexpr std::string_view kReasonTagValueTooLong = "TAG_VALUE_TOO_LONG";
inline constexpr std::string_view kReasonInvalidTagValueCharacters =
    "INVALID_TAG_VALUE_CHARACTERS";
inline constexpr std::string_view kReasonInvalidTagAction = "INVALID_TAG_ACTION";
inline constexpr std::string_view kReasonTagLimitReached = "TAG_LIMIT_REACHED";
inline constexpr std::string_view kReasonDuplicateTagKey = "DUPLICATE_TAG_KEY";

// Keys: 1-128 characters; values: 0-255 (characters, not bytes).
inline constexpr size_t kMaxKafkaTagKeyLength = 128;
inline constexpr size_t kMaxKafkaTagValueLength = 255;
// Tags one instance may carry.
inline constexpr size_t kMaxInstanceTags = 20;

struct InstanceTag {
  std::string key;
  std::string value;
};

enum class TagAction { kCreate, kDelete };

class KafkaTagService {
 public:
  // `store` and `clock` must outlive the service.
  KafkaTagService(store::Store& store, const common::Clock& clock);

  // The instance's tags, oldest first. Errors: InvalidArgument
  // INVALID_INSTANCE_ID, NotFound INSTANCE_NOT_FOUND (also another project's
  // instance), the store's.
  absl::StatusOr<std::vector<InstanceTag>> ListTags(const Caller& caller,
                                                    std::string_view instance_id);

  // kCreate adds the tags (a key the instance has gets the new value); kDelete
  // removes the keys (values are not compared; an absent key is no error).
  // Errors: as ListTags; those of ValidateTags (kCreate) or INVALID_TAG_KEY for
  // an empty key (kDelete); InvalidArgument TAG_LIMIT_REACHED when the instance
  // would carry more than kMaxInstanceTags. Nothing is written on error.
  absl::Status ApplyTags(const Caller& caller, std::string_view instance_id, TagAction action,
                         const std::vector<InstanceTag>& tags);

  // The cloud's tag rules: key 1-128 characters, no leading or trailing
  // space, not starting with "_sys_"; value 0-255 characters; both letters (any
  // script), digits, spaces and _ . : = + - @ only; each key once. Errors:
  // InvalidArgument INVALID_TAG_KEY (empty, too long, _sys_, edge spaces),
  // INVALID_TAG_KEY_CHARACTERS, TAG_VALUE_TOO_LONG,
  // INVALID_TAG_VALUE_CHARACTERS, DUPLICATE_TAG_KEY, TAG_LIMIT_REACHED (more
  // than kMaxInstanceTags).
  static absl::Status ValidateTags(const std::vector<InstanceTag>& tags);

  // Writes `tags` (already validated) to the instance inside `txn`, replacing
  // the values of keys it has. For instance creation, in the transaction that
  // inserts the instance row. Errors: the store's.
  // The `tags` member of an instance create body ({key, value} objects),
  // checked by ValidateTags. Absent or null: none. Errors: InvalidArgument
  // INVALID_TAG_KEY for another shape; those of ValidateTags.
  static absl::StatusOr<std::vector<InstanceTag>> TagsOfCreateBody(
      const boost::json::object& attributes);

  // Sets the instance's `tags` attribute (what ShowInstance and ListInstances
  // answer) to its stored tags, so both reads agree with ShowKafkaTags.
  // Within the transaction that changed the tags. Errors: the store's.
  static absl::Status MirrorTagsIntoInstance(store::StoreTransaction& txn,
                                             store::KafkaInstance instance);

  static absl::Status WriteTags(store::StoreTransaction& txn, std::string_view project_id,
                                std::string_view instance_id,
                                const std::vector<InstanceTag>& tags, int64_t now_ms);

 private:
  store::Store& store_;
  const common::Clock& clock_;
};

}  // namespace connectplane::service
