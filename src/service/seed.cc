#include "service/seed.h"

#include <set>
#include <string>
#include <vector>

#include "common/strings.h"
#include "boost/json.hpp"
#include "common/json_util.h"
#include "common/status.h"
#include "service/kafka_service.h"

namespace connectplane::service {
namespace {

absl::Status SeedError(std::string_view path, std::string_view problem) {
  return common::InvalidArgument("INVALID_SEED", common::StrCat("seed ", path, ": ", problem));
}

absl::Status CheckKeys(const boost::json::object& object, std::string_view path,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : object) {
    bool known = false;
    for (std::string_view key : allowed) {
      known = known || entry.key() == key;
    }
    if (!known) {
      return SeedError(path, common::StrCat("unknown key '", std::string_view(entry.key()), "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RequiredString(const boost::json::object& object,
                                           std::string_view path, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return SeedError(path, common::StrCat("'", key, "' must be a non-empty string"));
  }
  return std::string(value->as_string());
}

absl::StatusOr<const boost::json::array*> OptionalArray(const boost::json::object& object,
                                                        std::string_view path,
                                                        std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    return SeedError(path, common::StrCat("'", key, "' must be an array"));
  }
  return &value->as_array();
}

absl::StatusOr<store::HuaweiCredential> ParseCredential(const boost::json::value& value,
                                                        const std::string& path) {
  if (!value.is_object()) return SeedError(path, "must be an object");
  const boost::json::object& object = value.as_object();
  RETURN_IF_ERROR(CheckKeys(object, path,
                            {"access_key", "secret_key", "project_id", "user_name", "user_id"}));
  store::HuaweiCredential credential;
  ASSIGN_OR_RETURN(credential.access_key, RequiredString(object, path, "access_key"));
  ASSIGN_OR_RETURN(credential.secret_key, RequiredString(object, path, "secret_key"));
  ASSIGN_OR_RETURN(credential.project_id, RequiredString(object, path, "project_id"));
  auto user_name = common::GetOptionalString(object, "user_name");
  auto user_id = common::GetOptionalString(object, "user_id");
  if (!user_name.ok() || !user_id.ok()) {
    return SeedError(path, "'user_name' and 'user_id' must be strings");
  }
  credential.user_name = user_name->value_or(credential.access_key);
  credential.user_id = user_id->value_or(credential.access_key);
  return credential;
}

absl::StatusOr<store::KafkaInstance> ParseInstance(const boost::json::value& value,
                                                   const std::string& path, int64_t now_ms) {
  if (!value.is_object()) return SeedError(path, "must be an object");
  boost::json::object attributes = value.as_object();
  store::KafkaInstance instance;
  ASSIGN_OR_RETURN(instance.project_id, RequiredString(attributes, path, "project_id"));
  ASSIGN_OR_RETURN(instance.instance_id, RequiredString(attributes, path, "instance_id"));
  ASSIGN_OR_RETURN(instance.name, RequiredString(attributes, path, "name"));
  if (!KafkaService::IsWellFormedId(instance.instance_id)) {
    return SeedError(path, "'instance_id' must be a UUID (DMS rejects other ids)");
  }
  auto status = common::GetOptionalString(attributes, "status");
  auto specification = common::GetOptionalString(attributes, "specification");
  auto connector_enable = common::GetOptionalBool(attributes, "connector_enable");
  auto connector_id = common::GetOptionalString(attributes, "connector_id");
  auto connector_node_num = common::GetOptionalInt(attributes, "connector_node_num");
  if (!status.ok() || !specification.ok() || !connector_enable.ok() || !connector_id.ok() ||
      !connector_node_num.ok()) {
    return SeedError(path,
                     "'status', 'specification', 'connector_id' must be strings, "
                     "'connector_enable' a boolean, 'connector_node_num' an integer");
  }
  instance.status = status->value_or(std::string(kStatusRunning));
  instance.specification = specification->value_or("100MB");
  instance.connector_enabled = connector_enable->value_or(false);
  if (instance.connector_enabled) {
    if (!connector_id->has_value()) {
      return SeedError(path, "'connector_id' is required when 'connector_enable' is true");
    }
    instance.connector_id = **connector_id;
    instance.connector_node_num =
        static_cast<int32_t>(connector_node_num->value_or(kDefaultConnectorNodes));
  }
  for (std::string_view column :
       {"project_id", "instance_id", "name", "status", "specification", "connector_enable",
        "connector_id", "connector_node_num"}) {
    attributes.erase(column);
  }
  instance.attributes_json = common::ToJson(attributes);
  instance.created_at_ms = now_ms;
  instance.updated_at_ms = now_ms;
  return instance;
}

}  // namespace

absl::StatusOr<SeedSummary> ApplySeed(store::Store& store, std::string_view seed_json,
                                      const common::Clock& clock, JobTimings* timings) {
  auto parsed = common::ParseJsonObject(seed_json);
  if (!parsed.ok()) {
    return SeedError("document", common::ToStd(parsed.status().message()));
  }
  const boost::json::object& root = *parsed;
  RETURN_IF_ERROR(CheckKeys(root, "document", {"description", "huawei", "job_durations_seconds"}));
  const int64_t now_ms = common::ToUnixMillis(clock.Now());

  std::vector<store::HuaweiCredential> credentials;
  std::vector<store::KafkaInstance> instances;
  if (const boost::json::value* huawei = root.if_contains("huawei")) {
    if (!huawei->is_object()) return SeedError("huawei", "must be an object");
    RETURN_IF_ERROR(CheckKeys(huawei->as_object(), "huawei", {"credentials", "kafka_instances"}));
    ASSIGN_OR_RETURN(const boost::json::array* credential_list,
                     OptionalArray(huawei->as_object(), "huawei", "credentials"));
    for (size_t idx = 0; credential_list != nullptr && idx < credential_list->size(); ++idx) {
      ASSIGN_OR_RETURN(store::HuaweiCredential credential,
                       ParseCredential((*credential_list)[idx],
                                       common::StrCat("huawei.credentials[", idx, "]")));
      credentials.push_back(std::move(credential));
    }
    ASSIGN_OR_RETURN(const boost::json::array* instance_list,
                     OptionalArray(huawei->as_object(), "huawei", "kafka_instances"));
    std::set<std::string> seen_ids;
    for (size_t idx = 0; instance_list != nullptr && idx < instance_list->size(); ++idx) {
      std::string path = common::StrCat("huawei.kafka_instances[", idx, "]");
      ASSIGN_OR_RETURN(store::KafkaInstance instance,
                       ParseInstance((*instance_list)[idx], path, now_ms));
      if (!seen_ids.insert(instance.project_id + "/" + instance.instance_id).second) {
        return SeedError(path, "duplicate instance_id");
      }
      instances.push_back(std::move(instance));
    }
  }
  std::vector<std::pair<std::string, double>> durations;
  if (const boost::json::value* section = root.if_contains("job_durations_seconds")) {
    if (!section->is_object()) return SeedError("job_durations_seconds", "must be an object");
    for (const auto& entry : section->as_object()) {
      if (!entry.value().is_number() || entry.value().to_number<double>() < 0) {
        return SeedError(common::StrCat("job_durations_seconds.", std::string_view(entry.key())),
                         "must be a non-negative number");
      }
      durations.emplace_back(std::string(entry.key()), entry.value().to_number<double>());
    }
  }

  SeedSummary summary;
  RETURN_IF_ERROR(store.Write([&](store::StoreTransaction& txn) -> absl::Status {
    summary = SeedSummary();
    for (const store::HuaweiCredential& credential : credentials) {
      RETURN_IF_ERROR(txn.PutHuaweiCredential(credential));
      ++summary.credentials;
    }
    for (const store::KafkaInstance& instance : instances) {
      ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> existing,
                       txn.GetKafkaInstance(instance.project_id, instance.instance_id));
      if (existing) {
        ++summary.instances_existing;
        continue;
      }
      RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
      ++summary.instances_created;
    }
    return absl::OkStatus();
  }));
  if (timings != nullptr) {
    for (const auto& [job_type, seconds] : durations) {
      timings->Set(job_type, absl::Seconds(seconds));
    }
  }
  return summary;
}

}  // namespace connectplane::service
