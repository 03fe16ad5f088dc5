// DmsApi handlers for what an instance holds besides its own state: tags,
// Kafka parameters, topics and the cluster view (the rows of DmsApi::Routes()
// that name them). Answer shapes follow the official SDK models
// (docs/reference/huawei-dms-kafka-api.md).
#include "api/dms/dms_api.h"
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "common/status.h"

#include "boost/json.hpp"
#include <string>
#include <utility>
#include <vector>

namespace connectplane::api::dms {
namespace {

// TopicEntity: what ListInstanceTopics shows of one topic.
boost::json::object RenderTopic(const service::KafkaTopic& topic) {
  boost::json::object body;
  body["policiesOnly"] = false;
  body["name"] = topic.name;
  body["replication"] = topic.replication;
  body["partition"] = topic.partition;
  body["retention_time"] = topic.retention_time;
  body["sync_replication"] = topic.sync_replication;
  body["sync_message_flush"] = topic.sync_message_flush;
  body["external_configs"] = boost::json::object();
  body["topic_type"] = 0;  // a common topic (1: system topic)
  boost::json::array configs;
  for (const service::TopicConfigValue& config : topic.other_configs) {
    const service::KafkaParameter* parameter =
        service::FindParameter(service::TopicParameters(), config.name);
    boost::json::object entry;
    entry["name"] = config.name;
    if (parameter != nullptr) {
      entry["valid_values"] = parameter->valid_values;
      entry["default_value"] = parameter->default_value;
      entry["config_type"] = parameter->is_static ? "static" : "dynamic";
    }
    entry["value"] = config.value;
    if (parameter != nullptr) entry["value_type"] = parameter->value_type;
    configs.push_back(std::move(entry));
  }
  body["topic_other_configs"] = std::move(configs);
  body["topic_desc"] = topic.description;
  body["created_at"] = topic.created_at_ms;
  return body;
}

}  // namespace

absl::StatusOr<stages::Reply> DmsApi::ShowKafkaTags(const Call& call) {
  ASSIGN_OR_RETURN(std::vector<service::InstanceTag> tags,
                   items_.tags.ListTags(call.caller, call.path.instance_id));
  boost::json::array rendered;
  for (const service::InstanceTag& tag : tags) {
    boost::json::object entry;
    entry["key"] = tag.key;
    entry["value"] = tag.value;
    rendered.push_back(std::move(entry));
  }
  boost::json::object body;
  body["tags"] = std::move(rendered);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::BatchCreateOrDeleteKafkaTag(const Call& call) {
  ASSIGN_OR_RETURN(TagActionBody parsed, ParseTagActionBody(call.request.body));
  RETURN_IF_ERROR(
      items_.tags.ApplyTags(call.caller, call.path.instance_id, parsed.action, parsed.tags));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::ShowInstanceConfigs(const Call& call) {
  ASSIGN_OR_RETURN(std::vector<service::InstanceConfigValue> configs,
                   items_.configs.ListConfigs(call.caller, call.path.instance_id));
  boost::json::array rendered;
  for (const service::InstanceConfigValue& config : configs) {
    boost::json::object entry;
    entry["name"] = config.parameter->name;
    entry["valid_values"] = config.parameter->valid_values;
    entry["default_value"] = config.parameter->default_value;
    entry["config_type"] = config.parameter->is_static ? "static" : "dynamic";
    entry["value"] = config.value;
    entry["value_type"] = config.parameter->value_type;
    rendered.push_back(std::move(entry));
  }
  boost::json::object body;
  body["kafka_configs"] = std::move(rendered);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ModifyInstanceConfigs(const Call& call) {
  ASSIGN_OR_RETURN(std::vector<service::ConfigChange> changes,
                   ParseModifyConfigsBody(call.request.body));
  ASSIGN_OR_RETURN(service::ModifyConfigsResult result,
                   items_.configs.ModifyConfigs(call.caller, call.path.instance_id, changes));
  boost::json::object body;
  body["job_id"] = result.job_id;
  body["dynamic_config"] = result.dynamic_count;
  body["static_config"] = result.static_count;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowKafkaCluster(const Call& call) {
  ASSIGN_OR_RETURN(service::ClusterView view,
                   items_.topics.GetCluster(call.caller, call.path.instance_id));
  boost::json::array brokers;
  for (const service::ClusterBroker& broker : view.brokers) {
    boost::json::object entry;
    entry["health"] = true;
    entry["host"] = broker.host;
    entry["port"] = broker.port;
    entry["broker_id"] = broker.broker_id;
    brokers.push_back(std::move(entry));
  }
  boost::json::object cluster;
  cluster["brokers"] = std::move(brokers);
  boost::json::object body;
  body["cluster"] = std::move(cluster);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ShowCluster(const Call& call) {
  ASSIGN_OR_RETURN(service::ClusterView view,
                   items_.topics.GetCluster(call.caller, call.path.instance_id));
  boost::json::array brokers;
  for (const service::ClusterBroker& broker : view.brokers) {
    boost::json::object entry;
    entry["host"] = broker.host;
    entry["port"] = broker.port;
    entry["broker_id"] = broker.broker_id;
    entry["is_controller"] = broker.is_controller;
    entry["version"] = view.version;
    entry["register_time"] = view.register_time_ms;
    entry["is_health"] = true;
    brokers.push_back(std::move(entry));
  }
  boost::json::object cluster;
  cluster["controller"] = view.controller;
  cluster["brokers"] = std::move(brokers);
  cluster["topics_count"] = view.topics_count;
  cluster["partitions_count"] = view.partitions_count;
  cluster["online_partitions_count"] = view.partitions_count;
  cluster["replicas_count"] = view.replicas_count;
  cluster["isr_replicas_count"] = view.replicas_count;
  cluster["consumers_count"] = 0;
  boost::json::object body;
  body["cluster"] = std::move(cluster);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::CreateInstanceTopic(const Call& call) {
  ASSIGN_OR_RETURN(service::CreateTopicRequest parsed, ParseCreateTopicBody(call.request.body));
  ASSIGN_OR_RETURN(std::string name,
                   items_.topics.CreateTopic(call.caller, call.path.instance_id, parsed));
  boost::json::object body;
  body["name"] = name;
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ListInstanceTopics(const Call& call) {
  ASSIGN_OR_RETURN(store::PageRequest page, ParseTopicListQuery(call.request.RawQuery()));
  ASSIGN_OR_RETURN(service::TopicPage result,
                   items_.topics.ListTopics(call.caller, call.path.instance_id, page));
  boost::json::array topics;
  for (const service::KafkaTopic& topic : result.topics) {
    topics.push_back(RenderTopic(topic));
  }
  boost::json::object body;
  body["total"] = result.total;
  body["size"] = static_cast<int64_t>(result.topics.size());
  body["remain_partitions"] = result.remain_partitions;
  body["max_partitions"] = result.max_partitions;
  body["topic_max_partitions"] = result.topic_max_partitions;
  body["topics"] = std::move(topics);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::UpdateInstanceTopic(const Call& call) {
  ASSIGN_OR_RETURN(std::vector<service::UpdateTopicRequest> updates,
                   ParseUpdateTopicsBody(call.request.body));
  RETURN_IF_ERROR(items_.topics.UpdateTopics(call.caller, call.path.instance_id, updates));
  return stages::Reply{204, ""};
}

absl::StatusOr<stages::Reply> DmsApi::BatchDeleteInstanceTopic(const Call& call) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ParseDeleteTopicsBody(call.request.body));
  ASSIGN_OR_RETURN(std::vector<service::TopicDeletion> outcomes,
                   items_.topics.DeleteTopics(call.caller, call.path.instance_id, names));
  boost::json::array topics;
  for (const service::TopicDeletion& outcome : outcomes) {
    boost::json::object entry;
    entry["id"] = outcome.name;
    entry["success"] = outcome.deleted;
    topics.push_back(std::move(entry));
  }
  boost::json::object body;
  body["topics"] = std::move(topics);
  return OkJson(body);
}

}  // namespace connectplane::api::dms
