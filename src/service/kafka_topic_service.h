// Topics of DMS Kafka instances (CreateInstanceTopic, ListInstanceTopics,
// UpdateInstanceTopic, BatchDeleteInstanceTopic) and the cluster view derived
// from the instance and its topics (ShowKafkaCluster, ShowCluster). Topics are
// stored as kafka_instance_items of kind "topic"; their changes are immediate
// (the cloud answers them synchronously). Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Domain error reasons (common::ReasonOf) the dialects map to cloud codes.
inline constexpr std::string_view kReasonInvalidTopicName = "INVALID_TOPIC_NAME";
inline constexpr std::string_view kReasonInvalidPartitionCount = "INVALID_PARTITION_COUNT";
inline constexpr std::string_view kReasonInvalidReplicationFactor = "INVALID_REPLICATION_FACTOR";
inline constexpr std::string_view kReasonReplicationOverBrokers = "REPLICATION_OVER_BROKERS";
inline constexpr std::string_view kReasonInvalidRetentionTime = "INVALID_RETENTION_TIME";
inline constexpr std::string_view kReasonInvalidTopicConfig = "INVALID_TOPIC_CONFIG";
inline constexpr std::string_view kReasonInvalidTopicField = "INVALID_TOPIC_FIELD";
inline constexpr std::string_view kReasonTopicExists = "TOPIC_EXISTS";
inline constexpr std::string_view kReasonTopicNotFound = "TOPIC_NOT_FOUND";
inline constexpr std::string_view kReasonPartitionQuotaReached = "PARTITION_QUOTA_REACHED";

// Partitions of one topic; total partitions of an instance unless its
// partition_num says otherwise.
inline constexpr int32_t kTopicMaxPartitions = 200;
inline constexpr int32_t kDefaultInstancePartitions = 300;
inline constexpr int32_t kDefaultTopicPartitions = 3;
inline constexpr int32_t kMaxReplicas = 3;
inline constexpr int32_t kDefaultRetentionHours = 72;
inline constexpr int32_t kMaxRetentionHours = 720;
inline constexpr size_t kMaxTopicDescription = 200;

struct TopicConfigValue {
  std::string name;
  std::string value;
};

struct CreateTopicRequest {
  std::string name;                     // "id" on the wire
  std::optional<int64_t> partition;     // 1-200, default 3
  std::optional<int64_t> replication;   // 1-3 and <= brokers, default min(3, brokers)
  std::optional<int64_t> retention_time;  // hours, 1-720, default 72
  bool sync_replication = false;
  bool sync_message_flush = false;
  std::string description;  // 0-200 characters
  std::vector<TopicConfigValue> other_configs;  // TopicParameters() names
};

// One entry of UpdateInstanceTopic's "topics"; unset members stay as they are.
struct UpdateTopicRequest {
  std::string name;
  std::optional<int64_t> new_partition_numbers;  // no fewer than now, <= 200
  std::vector<int64_t> new_partition_brokers;    // broker ids (0-based); not kept
  std::optional<int64_t> retention_time;         // 0-720
  std::optional<bool> sync_replication;
  std::optional<bool> sync_message_flush;
  std::optional<std::string> description;
  std::optional<std::vector<TopicConfigValue>> other_configs;  // replaces the set ones
};

struct KafkaTopic {
  std::string name;
  int32_t partition = 0;
  int32_t replication = 0;
  int32_t retention_time = 0;
  bool sync_replication = false;
  bool sync_message_flush = false;
  std::string description;
  std::vector<TopicConfigValue> other_configs;  // every TopicParameters() entry, current value
  int64_t created_at_ms = 0;
};

struct TopicPage {
  std::vector<KafkaTopic> topics;  // the page
  int64_t total = 0;
  int32_t max_partitions = 0;
  int32_t remain_partitions = 0;
  int32_t topic_max_partitions = kTopicMaxPartitions;
};

struct TopicDeletion {
  std::string name;
  bool deleted = false;  // false: the instance has no such topic
};

struct ClusterBroker {
  std::string broker_id;  // "0", "1", ...
  std::string host;
  int32_t port = 0;
  bool is_controller = false;
};

// The cluster as the instance's brokers and topics describe it (every broker
// healthy, every partition online and in sync).
struct ClusterView {
  std::vector<ClusterBroker> brokers;
  std::string controller;  // broker id of the controller (the first broker)
  std::string version;     // the instance's engine_version
  int64_t register_time_ms = 0;  // the instance's creation
  int32_t topics_count = 0;
  int32_t partitions_count = 0;
  int32_t replicas_count = 0;  // sum of partitions x replication
};

class KafkaTopicService {
 public:
  // `store` and `clock` must outlive the service.
  KafkaTopicService(store::Store& store, const common::Clock& clock);

  // Creates a topic; returns its name. Errors: InvalidArgument
  // INVALID_INSTANCE_ID, NotFound INSTANCE_NOT_FOUND (also another project's
  // instance); InvalidArgument INVALID_TOPIC_NAME (3-200 characters, a letter
  // first, then letters, digits, '.', '-', '_'), INVALID_PARTITION_COUNT,
  // INVALID_REPLICATION_FACTOR, REPLICATION_OVER_BROKERS,
  // INVALID_RETENTION_TIME, INVALID_TOPIC_CONFIG, INVALID_TOPIC_FIELD
  // (description too long); FailedPrecondition TOPIC_EXISTS,
  // PARTITION_QUOTA_REACHED, INSTANCE_BUSY (instance not RUNNING). Nothing is
  // written on error.
  absl::StatusOr<std::string> CreateTopic(const Caller& caller, std::string_view instance_id,
                                          const CreateTopicRequest& request);

  // The page of the instance's topics (oldest first) with the partition
  // quota. Errors: INVALID_INSTANCE_ID, INSTANCE_NOT_FOUND, the store's.
  absl::StatusOr<TopicPage> ListTopics(const Caller& caller, std::string_view instance_id,
                                       const store::PageRequest& page);

  // Applies every entry, all or nothing. Errors: as CreateTopic, plus
  // InvalidArgument TOPIC_NOT_FOUND (an entry names no topic of the
  // instance), INVALID_PARTITION_COUNT (fewer partitions than now).
  absl::Status UpdateTopics(const Caller& caller, std::string_view instance_id,
                            const std::vector<UpdateTopicRequest>& updates);

  // Deletes the named topics; one outcome per name, in the order given.
  // Errors: INVALID_INSTANCE_ID, INSTANCE_NOT_FOUND, INSTANCE_BUSY, the store's.
  absl::StatusOr<std::vector<TopicDeletion>> DeleteTopics(const Caller& caller,
                                                          std::string_view instance_id,
                                                          const std::vector<std::string>& names);

  // Errors: INVALID_INSTANCE_ID, INSTANCE_NOT_FOUND, the store's.
  absl::StatusOr<ClusterView> GetCluster(const Caller& caller, std::string_view instance_id);

 private:
  store::Store& store_;
  const common::Clock& clock_;
};

}  // namespace connectplane::service
