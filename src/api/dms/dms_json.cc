#include "api/dms/dms_json.h"

#include "common/clock.h"
#include "common/json_util.h"
#include "common/logging.h"
#include "common/strings.h"

#include "absl/time/time.h"
#include "boost/json.hpp"
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace connectplane::api::dms {
namespace {

// Defaults for fields a seed may leave out, so SDK clients and Terraform see a
// complete instance. Types follow the SDK model: partition_num and created_at
// are strings on the wire.
boost::json::object DefaultInstanceFields() {
  boost::json::object fields;
  fields["engine"] = "kafka";
  fields["engine_version"] = "2.7";
  fields["type"] = "cluster";
  fields["storage_space"] = 600;
  fields["total_storage_space"] = 600;
  fields["used_storage_space"] = 0;
  fields["partition_num"] = "300";
  fields["broker_num"] = 3;
  fields["port"] = 9092;
  fields["connect_address"] = "192.168.0.11,192.168.0.12,192.168.0.13";
  fields["resource_spec_code"] = "dms.instance.kafka.cluster.c3.mini";
  fields["storage_spec_code"] = "dms.physical.storage.ultra.v2";
  fields["storage_type"] = "hec";
  fields["storage_resource_id"] = "";
  fields["charging_mode"] = 1;
  fields["enterprise_project_id"] = "0";
  fields["vpc_id"] = "";
  fields["vpc_name"] = "";
  fields["subnet_id"] = "";
  fields["security_group_id"] = "";
  fields["security_group_name"] = "";
  fields["available_zones"] = boost::json::array();
  fields["order_id"] = "";
  fields["maintain_begin"] = "02:00:00";
  fields["maintain_end"] = "06:00:00";
  fields["enable_publicip"] = false;
  fields["ssl_enable"] = false;
  fields["kafka_manager_enable"] = false;
  fields["enable_auto_topic"] = false;
  fields["is_logical_volume"] = true;
  fields["message_query_inst_enable"] = true;
  fields["support_features"] = "";
  fields["description"] = "";
  return fields;
}

// The defaults as (key, JSON text) pairs, in DefaultInstanceFields order;
// built once, immutable afterwards.
const std::vector<std::pair<std::string, std::string>>& DefaultInstanceFieldsText() {
  static const auto* fields = [] {
    auto* text = new std::vector<std::pair<std::string, std::string>>();
    for (const auto& entry : DefaultInstanceFields()) {
      text->emplace_back(std::string(entry.key()), boost::json::serialize(entry.value()));
    }
    return text;
  }();
  return *fields;
}

void AppendJsonString(std::string& out, std::string_view value) {
  out += '"';
  common::AppendJsonEscaped(out, value);
  out += '"';
}

std::string IsoMillis(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", common::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

}  // namespace

std::string_view TaskStatus(store::JobStatus status) {
  switch (status) {
    case store::JobStatus::kPending:
      return "EXECUTING";
    case store::JobStatus::kSucceeded:
      return "SUCCESS";
    case store::JobStatus::kFailed:
      return "FAILED";
  }
  return "EXECUTING";
}

stages::Reply OkJson(const boost::json::object& body) {
  return stages::Reply{200, boost::json::serialize(body)};
}

namespace {

// The members the service owns (row columns), as (key, JSON text), in answer
// order. The flavor and sizing columns are empty / 0 on rows from before
// migration 12: their attributes answer instead.
std::vector<std::pair<std::string_view, std::string>> ServiceOwnedMembers(
    const store::KafkaInstance& instance) {
  std::vector<std::pair<std::string_view, std::string>> members;
  auto text = [](std::string_view value) {
    std::string out;
    AppendJsonString(out, value);
    return out;
  };
  members.emplace_back("instance_id", text(instance.instance_id));
  members.emplace_back("name", text(instance.name));
  members.emplace_back("status", text(instance.status));
  members.emplace_back("specification", text(instance.specification));
  members.emplace_back("created_at", text(common::StrCat(instance.created_at_ms)));
  members.emplace_back("connector_enable", instance.connector_enabled ? "true" : "false");
  members.emplace_back("connector_id", text(instance.connector_id));
  members.emplace_back("connector_node_num", std::to_string(instance.connector_node_num));
  if (!instance.product_id.empty()) {
    members.emplace_back("product_id", text(instance.product_id));
    members.emplace_back("engine_version", text(instance.engine_version));
    members.emplace_back("broker_num", std::to_string(instance.broker_num));
    members.emplace_back("storage_space", std::to_string(instance.storage_space));
    members.emplace_back("total_storage_space", std::to_string(instance.storage_space));
    members.emplace_back("storage_spec_code", text(instance.storage_spec_code));
    members.emplace_back("available_zones", instance.available_zones_json);
  }
  return members;
}

}  // namespace

boost::json::object RenderInstance(const store::KafkaInstance& instance) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(RenderInstanceJson(instance), error);
  if (error || !parsed.is_object()) return boost::json::object();
  return std::move(parsed.as_object());
}

std::string RenderInstanceJson(const store::KafkaInstance& instance) {
  // Precedence: a service-owned member beats an attribute, which beats a
  // default. Order: the defaults (in place, whatever replaces them), then the
  // attributes' other members, then the service-owned members not yet written.
  boost::json::object attributes;
  if (!instance.attributes_json.empty() && instance.attributes_json != "{}") {
    auto parsed = common::ParseJsonObject(instance.attributes_json);
    if (parsed.ok()) attributes = std::move(*parsed);
  }
  const std::vector<std::pair<std::string_view, std::string>> owned = ServiceOwnedMembers(instance);
  std::vector<bool> owned_written(owned.size(), false);
  auto owned_index = [&](std::string_view key) -> int {
    for (size_t idx = 0; idx < owned.size(); ++idx) {
      if (owned[idx].first == key) return static_cast<int>(idx);
    }
    return -1;
  };

  std::string out;
  out.reserve(1024 + instance.attributes_json.size());
  bool first = true;
  auto member = [&](std::string_view key) -> std::string& {
    out += first ? "{\"" : ",\"";
    first = false;
    common::AppendJsonEscaped(out, key);
    out += "\":";
    return out;
  };
  auto write = [&](std::string_view key, const boost::json::value* attribute,
                   std::string_view fallback_text) {
    const int owned_idx = owned_index(key);
    if (owned_idx >= 0) {
      member(key) += owned[owned_idx].second;
      owned_written[owned_idx] = true;
    } else if (attribute != nullptr) {
      member(key) += boost::json::serialize(*attribute);
    } else {
      member(key) += fallback_text;
    }
  };
  const auto& defaults = DefaultInstanceFieldsText();
  for (const auto& [key, default_text] : defaults) {
    write(key, attributes.if_contains(key), default_text);
  }
  for (const auto& entry : attributes) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (std::any_of(defaults.begin(), defaults.end(),
                    [&](const auto& field) { return field.first == key; })) {
      continue;
    }
    write(key, &entry.value(), "");
  }
  for (size_t idx = 0; idx < owned.size(); ++idx) {
    if (!owned_written[idx]) member(owned[idx].first) += owned[idx].second;
  }
  out += '}';
  return out;
}

boost::json::object RenderConnectorTask(const store::ConnectorTask& task) {
  boost::json::object out;
  out["task_name"] = task.task_name;
  out["topics"] = "";
  out["topics_regex"] = "";
  out["source_type"] = "NONE";
  out["source_task"] = boost::json::object();
  out["sink_type"] = "NONE";
  out["sink_task"] = boost::json::object();
  auto config = common::ParseJsonObject(task.config_json);
  if (config.ok()) {
    for (auto& entry : *config) {
      out[entry.key()] = entry.value();
    }
  }
  out["id"] = task.task_id;
  out["status"] = task.status;
  out["create_time"] = task.created_at_ms;
  return out;
}

namespace {

// What the legacy dump-task API shows of a task: its definition's topic
// selection and OBS sink configuration.
struct DumpDefinition {
  std::string topics;
  std::string topics_regex;
  boost::json::object sink;
};

DumpDefinition DumpDefinitionOf(const store::ConnectorTask& task) {
  DumpDefinition definition;
  absl::StatusOr<boost::json::object> config = common::ParseJsonObject(task.config_json);
  if (!config.ok()) return definition;
  auto text = [&](std::string_view member) -> std::string {
    const boost::json::value* value = config->if_contains(member);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  };
  definition.topics = text("topics");
  definition.topics_regex = text("topics_regex");
  if (const boost::json::value* sink = config->if_contains("sink_task");
      sink != nullptr && sink->is_object()) {
    definition.sink = sink->as_object();
  }
  return definition;
}

// ListSinkTasksRespTasks / ShowSinkTaskDetailResponse members both carry.
void RenderSinkTaskCommon(const store::ConnectorTask& task, const DumpDefinition& definition,
                          boost::json::object& out) {
  out["task_name"] = task.task_name;
  out["destination_type"] = "OBS";
  out["create_time"] = task.created_at_ms;
  out["status"] = task.status;
  // "The topics list or the regular expression" (one member for either).
  out["topics"] = definition.topics.empty() ? definition.topics_regex : definition.topics;
}

}  // namespace

boost::json::object RenderSinkTaskSummary(const store::ConnectorTask& task) {
  const DumpDefinition definition = DumpDefinitionOf(task);
  boost::json::object out;
  out["task_id"] = task.task_id;
  RenderSinkTaskCommon(task, definition, out);
  return out;
}

boost::json::object RenderSinkTaskDetail(const store::ConnectorTask& task, bool topic_info) {
  const DumpDefinition definition = DumpDefinitionOf(task);
  boost::json::object out;
  RenderSinkTaskCommon(task, definition, out);
  boost::json::object descriptor;
  // topics / topics_regex: the huaweicloud provider reads them here.
  descriptor["topics"] = definition.topics;
  descriptor["topics_regex"] = definition.topics_regex;
  for (std::string_view member :
       {"consumer_strategy", "destination_file_type", "obs_bucket_name", "obs_path",
        "partition_format", "record_delimiter", "deliver_time_interval"}) {
    if (const boost::json::value* value = definition.sink.if_contains(member)) {
      descriptor[member] = *value;
    }
  }
  descriptor["obs_part_size"] = kDefaultObsPartSize;
  out["obs_destination_descriptor"] = std::move(descriptor);
  if (topic_info) {
    // Partitions are not emulated: each named topic with no partition rows.
    boost::json::array topics_info;
    if (!definition.topics.empty()) {
      for (std::string_view topic : common::Split(definition.topics, ',')) {
        boost::json::object entry;
        entry["topic"] = topic;
        entry["partitions"] = boost::json::array();
        topics_info.push_back(std::move(entry));
      }
    }
    out["topics_info"] = std::move(topics_info);
  }
  return out;
}

boost::json::object RenderTask(const store::Job& job) {
  boost::json::object out;
  out["id"] = job.job_id;
  out["name"] = job.name;
  out["user_name"] = job.user_name;
  out["user_id"] = job.user_id;
  out["params"] = job.params_json;
  out["status"] = TaskStatus(job.status);
  out["created_at"] = IsoMillis(job.created_at_ms);
  out["updated_at"] = IsoMillis(job.updated_at_ms);
  return out;
}

boost::json::object RenderTaskProgress(const service::TaskProgress& progress) {
  boost::json::array steps;
  for (const service::TaskProgressStep& step : progress.steps) {
    boost::json::object out;
    out["name"] = step.name;
    out["statue"] = step.status;
    out["start_time"] = step.start_ms;
    if (step.end_ms) out["end_time"] = *step.end_ms;
    steps.push_back(std::move(out));
  }
  boost::json::object body;
  body["progress_percentage"] = progress.percentage;
  body["remain_time"] = progress.remaining_seconds;
  body["step_list"] = std::move(steps);
  return body;
}

}  // namespace connectplane::api::dms
