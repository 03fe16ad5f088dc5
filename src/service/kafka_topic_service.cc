#include "service/kafka_topic_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/internal/kafka_instances.h"
#include "service/kafka_parameters.h"
#include "service/kafka_service.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

namespace connectplane::service {
namespace {

// What the instance's attributes say about its brokers and partition quota,
// with ShowInstance's defaults (3 brokers on 192.168.0.11-13:9092, 300
// partitions, Kafka 2.7) where they say nothing.
struct InstanceShape {
  int32_t broker_num = 3;
  std::vector<std::string> hosts;
  int32_t port = 9092;
  int32_t max_partitions = kDefaultInstancePartitions;
  std::string version = "2.7";
};

InstanceShape ShapeOf(const store::KafkaInstance& instance) {
  InstanceShape shape;
  absl::StatusOr<boost::json::object> attributes = common::ParseJsonObject(instance.attributes_json);
  if (attributes.ok()) {
    if (const boost::json::value* value = attributes->if_contains("broker_num");
        value != nullptr && value->is_int64() && value->as_int64() >= 1 &&
        value->as_int64() <= 100) {
      shape.broker_num = static_cast<int32_t>(value->as_int64());
    }
    if (const boost::json::value* value = attributes->if_contains("port");
        value != nullptr && value->is_int64() && value->as_int64() > 0 &&
        value->as_int64() < 65536) {
      shape.port = static_cast<int32_t>(value->as_int64());
    }
    if (const boost::json::value* value = attributes->if_contains("partition_num")) {
      int64_t partitions = 0;
      if (value->is_int64()) {
        partitions = value->as_int64();
      } else if (value->is_string()) {
        std::string_view text(value->as_string().data(), value->as_string().size());
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), partitions);
        if (error != std::errc() || end != text.data() + text.size()) partitions = 0;
      }
      if (partitions > 0 && partitions <= 1000000) {
        shape.max_partitions = static_cast<int32_t>(partitions);
      }
    }
    if (const boost::json::value* value = attributes->if_contains("engine_version");
        value != nullptr && value->is_string()) {
      shape.version = std::string(value->as_string());
    }
    if (const boost::json::value* value = attributes->if_contains("connect_address");
        value != nullptr && value->is_string()) {
      for (std::string_view host : common::Split(
               std::string_view(value->as_string().data(), value->as_string().size()), ',')) {
        if (!host.empty()) shape.hosts.emplace_back(host.substr(0, host.find(':')));
      }
    }
  }
  // One address per broker: the listed ones, then made-up ones after them.
  for (int32_t broker_idx = static_cast<int32_t>(shape.hosts.size());
       broker_idx < shape.broker_num; ++broker_idx) {
    shape.hosts.push_back(common::StrCat("192.168.0.", 11 + broker_idx));
  }
  return shape;
}

bool IsValidTopicName(std::string_view name) {
  if (name.size() < 3 || name.size() > 200 || !absl::ascii_isalpha(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

absl::Status TopicNotFound(std::string_view name) {
  return common::InvalidArgument(
      kReasonTopicNotFound,
      common::StrCat("Failed to query topics: no topic ", common::QuoteUntrusted(name), "."));
}

absl::Status CheckPartitions(int64_t partitions) {
  if (partitions < 1 || partitions > kTopicMaxPartitions) {
    return common::InvalidArgument(
        kReasonInvalidPartitionCount,
        "The number of partitions created for a Kafka topic must be within the range of 1-200.");
  }
  return absl::OkStatus();
}

absl::Status CheckRetention(int64_t hours, int64_t min) {
  if (hours < min || hours > kMaxRetentionHours) {
    return common::InvalidArgument(
        kReasonInvalidRetentionTime,
        common::StrCat("The message retention period of a Kafka topic must be within the range of ",
                       min, "-", kMaxRetentionHours, "."));
  }
  return absl::OkStatus();
}

absl::Status CheckDescription(std::string_view description) {
  if (description.size() > kMaxTopicDescription) {
    return common::InvalidArgument(kReasonInvalidTopicField,
                                   "Invalid request parameter: topic_desc is too long (200).");
  }
  return absl::OkStatus();
}

absl::Status CheckOtherConfigs(const std::vector<TopicConfigValue>& configs) {
  for (const TopicConfigValue& config : configs) {
    const KafkaParameter* parameter = FindParameter(TopicParameters(), config.name);
    if (parameter == nullptr || !IsAllowedValue(*parameter, config.value)) {
      return common::InvalidArgument(kReasonInvalidTopicConfig,
                                     common::StrCat("Invalid configuration parameter ",
                                                    common::QuoteUntrusted(config.name), "."));
    }
  }
  return absl::OkStatus();
}

// Topic rows: {"partition", "replication", "retention_time", "sync_replication",
// "sync_message_flush", "topic_desc", "topic_other_configs": {name: value}}.
std::string TopicBody(const KafkaTopic& topic) {
  boost::json::object body;
  body["partition"] = topic.partition;
  body["replication"] = topic.replication;
  body["retention_time"] = topic.retention_time;
  body["sync_replication"] = topic.sync_replication;
  body["sync_message_flush"] = topic.sync_message_flush;
  body["topic_desc"] = topic.description;
  boost::json::object configs;
  for (const TopicConfigValue& config : topic.other_configs) {
    configs[config.name] = config.value;
  }
  body["topic_other_configs"] = std::move(configs);
  return common::ToJson(body);
}

int32_t IntMember(const boost::json::object& body, std::string_view key) {
  const boost::json::value* value = body.if_contains(key);
  return value != nullptr && value->is_int64() ? static_cast<int32_t>(value->as_int64()) : 0;
}

bool BoolMember(const boost::json::object& body, std::string_view key) {
  const boost::json::value* value = body.if_contains(key);
  return value != nullptr && value->is_bool() && value->as_bool();
}

// A stored topic, with every topic parameter at its value (set or default).
KafkaTopic TopicOf(const store::KafkaInstanceItem& item) {
  KafkaTopic topic;
  topic.name = item.name;
  topic.created_at_ms = item.created_at_ms;
  absl::StatusOr<boost::json::object> body = common::ParseJsonObject(item.body_json);
  std::map<std::string, std::string, std::less<>> set_values;
  if (body.ok()) {
    topic.partition = IntMember(*body, "partition");
    topic.replication = IntMember(*body, "replication");
    topic.retention_time = IntMember(*body, "retention_time");
    topic.sync_replication = BoolMember(*body, "sync_replication");
    topic.sync_message_flush = BoolMember(*body, "sync_message_flush");
    if (const boost::json::value* desc = body->if_contains("topic_desc");
        desc != nullptr && desc->is_string()) {
      topic.description = std::string(desc->as_string());
    }
    if (const boost::json::value* configs = body->if_contains("topic_other_configs");
        configs != nullptr && configs->is_object()) {
      for (const auto& member : configs->as_object()) {
        if (member.value().is_string()) {
          set_values[std::string(member.key())] = std::string(member.value().as_string());
        }
      }
    }
  }
  for (const KafkaParameter& parameter : TopicParameters()) {
    auto found = set_values.find(parameter.name);
    topic.other_configs.push_back(
        {std::string(parameter.name),
         found != set_values.end() ? found->second : std::string(parameter.default_value)});
  }
  return topic;
}

// Replaces the values of the topic parameters named in `configs`.
void SetOtherConfigs(KafkaTopic& topic, const std::vector<TopicConfigValue>& configs) {
  for (const TopicConfigValue& config : configs) {
    for (TopicConfigValue& current : topic.other_configs) {
      if (current.name == config.name) current.value = config.value;
    }
  }
}

int32_t PartitionsInUse(const std::vector<KafkaTopic>& topics) {
  int32_t used = 0;
  for (const KafkaTopic& topic : topics) used += topic.partition;
  return used;
}

absl::Status PartitionQuotaReached() {
  return common::FailedPrecondition(kReasonPartitionQuotaReached,
                                    "The quota limit has been reached.");
}

absl::StatusOr<std::vector<KafkaTopic>> LoadTopics(store::StoreTransaction& txn,
                                                   std::string_view project_id,
                                                   std::string_view instance_id) {
  ASSIGN_OR_RETURN(std::vector<store::KafkaInstanceItem> items,
                   txn.ListKafkaInstanceItems(project_id, instance_id, store::kKafkaItemTopic));
  std::vector<KafkaTopic> topics;
  topics.reserve(items.size());
  for (const store::KafkaInstanceItem& item : items) topics.push_back(TopicOf(item));
  return topics;
}

absl::Status PutTopic(store::StoreTransaction& txn, std::string_view project_id,
                      std::string_view instance_id, const KafkaTopic& topic, int64_t now_ms) {
  return txn.PutKafkaInstanceItem({std::string(project_id), std::string(instance_id),
                                   std::string(store::kKafkaItemTopic), topic.name,
                                   TopicBody(topic), topic.created_at_ms, now_ms});
}

// The caller's instance, RUNNING (topics change only on a running instance).
absl::StatusOr<store::KafkaInstance> LoadRunningInstance(store::StoreTransaction& txn,
                                                         std::string_view project_id,
                                                         std::string_view instance_id) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance,
                   internal::LoadInstance(txn, project_id, instance_id));
  if (instance.status != kStatusRunning) return internal::InstanceBusy(instance);
  return instance;
}

}  // namespace

KafkaTopicService::KafkaTopicService(store::Store& store, const common::Clock& clock)
    : store_(store), clock_(clock) {}

absl::StatusOr<std::string> KafkaTopicService::CreateTopic(const Caller& caller,
                                                           std::string_view instance_id,
                                                           const CreateTopicRequest& request) {
  if (!IsValidTopicName(request.name)) {
    return common::InvalidArgument(
        kReasonInvalidTopicName,
        "The name of a Kafka topic must be 3 to 200 characters long and start with a letter. "
        "Only letters, digits, periods (.), underscores (_), and hyphens (-) are allowed.");
  }
  const int64_t partitions = request.partition.value_or(kDefaultTopicPartitions);
  RETURN_IF_ERROR(CheckPartitions(partitions));
  if (request.replication && (*request.replication < 1 || *request.replication > kMaxReplicas)) {
    return common::InvalidArgument(
        kReasonInvalidReplicationFactor,
        "The number of replicas created for a Kafka topic must be within the range of 1-3.");
  }
  const int64_t retention = request.retention_time.value_or(kDefaultRetentionHours);
  RETURN_IF_ERROR(CheckRetention(retention, 1));
  RETURN_IF_ERROR(CheckDescription(request.description));
  RETURN_IF_ERROR(CheckOtherConfigs(request.other_configs));
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     LoadRunningInstance(txn, caller.tenant_id, instance_id));
    const InstanceShape shape = ShapeOf(instance);
    const int64_t replication =
        request.replication.value_or(std::min<int64_t>(kMaxReplicas, shape.broker_num));
    if (replication > shape.broker_num) {
      return common::InvalidArgument(kReasonReplicationOverBrokers,
                                     "Replication factor larger than available brokers.");
    }
    ASSIGN_OR_RETURN(std::vector<KafkaTopic> topics,
                     LoadTopics(txn, caller.tenant_id, instance_id));
    for (const KafkaTopic& existing : topics) {
      if (existing.name == request.name) {
        return common::FailedPrecondition(kReasonTopicExists, "The topic already exists.");
      }
    }
    if (PartitionsInUse(topics) + partitions > shape.max_partitions) {
      return PartitionQuotaReached();
    }
    KafkaTopic topic;
    topic.name = request.name;
    topic.partition = static_cast<int32_t>(partitions);
    topic.replication = static_cast<int32_t>(replication);
    topic.retention_time = static_cast<int32_t>(retention);
    topic.sync_replication = request.sync_replication;
    topic.sync_message_flush = request.sync_message_flush;
    topic.description = request.description;
    for (const KafkaParameter& parameter : TopicParameters()) {
      topic.other_configs.push_back(
          {std::string(parameter.name), std::string(parameter.default_value)});
    }
    SetOtherConfigs(topic, request.other_configs);
    topic.created_at_ms = now_ms;
    return PutTopic(txn, caller.tenant_id, instance_id, topic, now_ms);
  }));
  return request.name;
}

absl::StatusOr<TopicPage> KafkaTopicService::ListTopics(const Caller& caller,
                                                        std::string_view instance_id,
                                                        const store::PageRequest& page) {
  TopicPage result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     internal::LoadInstance(txn, caller.tenant_id, instance_id));
    ASSIGN_OR_RETURN(std::vector<KafkaTopic> topics,
                     LoadTopics(txn, caller.tenant_id, instance_id));
    result = TopicPage{};
    result.total = static_cast<int64_t>(topics.size());
    result.max_partitions = ShapeOf(instance).max_partitions;
    result.remain_partitions = std::max(0, result.max_partitions - PartitionsInUse(topics));
    const int64_t first = std::clamp<int64_t>(page.offset, 0, result.total);
    const int64_t last = std::min<int64_t>(result.total, first + std::max<int64_t>(0, page.limit));
    for (int64_t topic_idx = first; topic_idx < last; ++topic_idx) {
      result.topics.push_back(std::move(topics[static_cast<size_t>(topic_idx)]));
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::Status KafkaTopicService::UpdateTopics(const Caller& caller, std::string_view instance_id,
                                             const std::vector<UpdateTopicRequest>& updates) {
  for (const UpdateTopicRequest& update : updates) {
    if (update.new_partition_numbers) RETURN_IF_ERROR(CheckPartitions(*update.new_partition_numbers));
    if (update.retention_time) RETURN_IF_ERROR(CheckRetention(*update.retention_time, 0));
    if (update.description) RETURN_IF_ERROR(CheckDescription(*update.description));
    if (update.other_configs) RETURN_IF_ERROR(CheckOtherConfigs(*update.other_configs));
  }
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     LoadRunningInstance(txn, caller.tenant_id, instance_id));
    const InstanceShape shape = ShapeOf(instance);
    ASSIGN_OR_RETURN(std::vector<KafkaTopic> topics,
                     LoadTopics(txn, caller.tenant_id, instance_id));
    for (const UpdateTopicRequest& update : updates) {
      auto topic = std::find_if(topics.begin(), topics.end(),
                                [&](const KafkaTopic& t) { return t.name == update.name; });
      if (topic == topics.end()) return TopicNotFound(update.name);
      if (update.new_partition_numbers) {
        if (*update.new_partition_numbers < topic->partition) {
          return common::InvalidArgument(kReasonInvalidPartitionCount,
                                         "The number of partitions of a topic cannot be reduced.");
        }
        for (int64_t broker_id : update.new_partition_brokers) {
          if (broker_id < 0 || broker_id >= shape.broker_num) {
            return common::InvalidArgument(
                kReasonInvalidTopicField,
                common::StrCat("Invalid request parameter: new_partition_brokers has no broker ",
                               broker_id, "."));
          }
        }
        topic->partition = static_cast<int32_t>(*update.new_partition_numbers);
      }
      if (update.retention_time) topic->retention_time = static_cast<int32_t>(*update.retention_time);
      if (update.sync_replication) topic->sync_replication = *update.sync_replication;
      if (update.sync_message_flush) topic->sync_message_flush = *update.sync_message_flush;
      if (update.description) topic->description = *update.description;
      if (update.other_configs) SetOtherConfigs(*topic, *update.other_configs);
    }
    if (PartitionsInUse(topics) > shape.max_partitions) return PartitionQuotaReached();
    for (const UpdateTopicRequest& update : updates) {
      auto topic = std::find_if(topics.begin(), topics.end(),
                                [&](const KafkaTopic& t) { return t.name == update.name; });
      RETURN_IF_ERROR(PutTopic(txn, caller.tenant_id, instance_id, *topic, now_ms));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<TopicDeletion>> KafkaTopicService::DeleteTopics(
    const Caller& caller, std::string_view instance_id, const std::vector<std::string>& names) {
  std::vector<TopicDeletion> outcomes;
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    outcomes.clear();
    RETURN_IF_ERROR(LoadRunningInstance(txn, caller.tenant_id, instance_id).status());
    for (const std::string& name : names) {
      absl::Status deleted =
          txn.DeleteKafkaInstanceItem(caller.tenant_id, instance_id, store::kKafkaItemTopic, name);
      if (!deleted.ok() && !absl::IsNotFound(deleted)) return deleted;
      outcomes.push_back({name, deleted.ok()});
    }
    return absl::OkStatus();
  }));
  return outcomes;
}

absl::StatusOr<ClusterView> KafkaTopicService::GetCluster(const Caller& caller,
                                                          std::string_view instance_id) {
  ClusterView view;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     internal::LoadInstance(txn, caller.tenant_id, instance_id));
    ASSIGN_OR_RETURN(std::vector<KafkaTopic> topics,
                     LoadTopics(txn, caller.tenant_id, instance_id));
    const InstanceShape shape = ShapeOf(instance);
    view = ClusterView{};
    for (int32_t broker_idx = 0; broker_idx < shape.broker_num; ++broker_idx) {
      view.brokers.push_back({common::StrCat(broker_idx),
                              shape.hosts[static_cast<size_t>(broker_idx)], shape.port,
                              broker_idx == 0});
    }
    view.controller = "0";
    view.version = shape.version;
    view.register_time_ms = instance.created_at_ms;
    view.topics_count = static_cast<int32_t>(topics.size());
    for (const KafkaTopic& topic : topics) {
      view.partitions_count += topic.partition;
      view.replicas_count += topic.partition * topic.replication;
    }
    return absl::OkStatus();
  }));
  return view;
}

}  // namespace connectplane::service
