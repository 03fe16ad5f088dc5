#include "api/dms/dms_json.h"

#include <string>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "common/clock.h"
#include "common/json_util.h"
#include "common/strings.h"

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

boost::json::object RenderInstance(const store::KafkaInstance& instance) {
  boost::json::object out = DefaultInstanceFields();
  auto attributes = common::ParseJsonObject(instance.attributes_json);
  if (attributes.ok()) {
    for (auto& entry : *attributes) {
      out[entry.key()] = entry.value();
    }
  }
  out["instance_id"] = instance.instance_id;
  out["name"] = instance.name;
  out["status"] = instance.status;
  out["specification"] = instance.specification;
  out["created_at"] = common::StrCat(instance.created_at_ms);
  out["connector_enable"] = instance.connector_enabled;
  out["connector_id"] = instance.connector_id;
  out["connector_node_num"] = instance.connector_node_num;
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

}  // namespace connectplane::api::dms
