#include "service/kafka_config_service.h"

#include "common/json_reader.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/internal/job_params.h"
#include "service/internal/kafka_instances.h"
#include "service/job_types.h"
#include "service/kafka_service.h"

#include "boost/json.hpp"
#include <map>
#include <optional>
#include <utility>

namespace connectplane::service {
namespace {

absl::Status InvalidConfig(std::string_view name) {
  return common::InvalidArgument(
      kReasonInvalidConfigParameter,
      common::StrCat("Invalid configuration parameter ", common::QuoteUntrusted(name), "."));
}

std::string ValueBody(std::string_view value) {
  boost::json::object body;
  body["value"] = value;
  return common::ToJson(body);
}

std::optional<std::string> StoredValue(const store::KafkaInstanceItem& item) {
  absl::StatusOr<boost::json::object> body = common::ParseJsonObject(item.body_json);
  if (!body.ok()) return std::nullopt;
  const boost::json::value* value = body->if_contains("value");
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

absl::Status JobParamError(const common::JsonFieldError& error) {
  return absl::InvalidArgumentError(common::StrCat("job parameter ", error.path, " is malformed"));
}

// kafka.modify_configs: {"kafka_configs": [{"name", "value"}, ...]}.
class ModifyConfigsJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                     txn.GetKafkaInstance(job.tenant_id, job.resource_id));
    if (!instance) {
      return absl::NotFoundError(common::StrCat("instance ", job.resource_id, " no longer exists"));
    }
    ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
    common::JsonReader reader(params, "", &JobParamError);
    ASSIGN_OR_RETURN(std::vector<common::JsonReader> entries, reader.ObjectList("kafka_configs"));
    const int64_t now_ms = common::ToUnixMillis(now);
    for (const common::JsonReader& entry : entries) {
      ASSIGN_OR_RETURN(std::string name, entry.RequiredString("name"));
      ASSIGN_OR_RETURN(std::string value, entry.RequiredString("value"));
      RETURN_IF_ERROR(txn.PutKafkaInstanceItem({job.tenant_id, job.resource_id,
                                                std::string(store::kKafkaItemConfig), name,
                                                ValueBody(value), now_ms, now_ms}));
    }
    return absl::OkStatus();
  }

  // Nothing was changed before the job ran.
  absl::Status OnFailed(store::StoreTransaction&, const store::Job&, absl::Time) override {
    return absl::OkStatus();
  }
};

}  // namespace

KafkaConfigService::KafkaConfigService(store::Store& store, JobQueue& jobs)
    : store_(store), jobs_(jobs) {}

absl::StatusOr<std::vector<InstanceConfigValue>> KafkaConfigService::ListConfigs(
    const Caller& caller, std::string_view instance_id) {
  std::map<std::string, std::string, std::less<>> stored;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    stored.clear();
    RETURN_IF_ERROR(internal::LoadInstance(txn, caller.tenant_id, instance_id).status());
    ASSIGN_OR_RETURN(
        std::vector<store::KafkaInstanceItem> items,
        txn.ListKafkaInstanceItems(caller.tenant_id, instance_id, store::kKafkaItemConfig));
    for (const store::KafkaInstanceItem& item : items) {
      if (std::optional<std::string> value = StoredValue(item)) {
        stored[item.name] = std::move(*value);
      }
    }
    return absl::OkStatus();
  }));
  std::vector<InstanceConfigValue> configs;
  for (const KafkaParameter& parameter : InstanceParameters()) {
    auto found = stored.find(parameter.name);
    configs.push_back({&parameter, found != stored.end() ? found->second
                                                         : std::string(parameter.default_value)});
  }
  return configs;
}

absl::StatusOr<ModifyConfigsResult> KafkaConfigService::ModifyConfigs(
    const Caller& caller, std::string_view instance_id, const std::vector<ConfigChange>& changes) {
  if (changes.empty()) {
    return common::InvalidArgument(kReasonNoConfigChange,
                                   "Invalid request parameter: kafka_configs is required.");
  }
  // One value per name, the last one given.
  std::map<std::string, std::string, std::less<>> values;
  ModifyConfigsResult result;
  for (const ConfigChange& change : changes) {
    const KafkaParameter* parameter = FindParameter(InstanceParameters(), change.name);
    if (parameter == nullptr || !IsAllowedValue(*parameter, change.value)) {
      return InvalidConfig(change.name);
    }
    values[change.name] = change.value;
  }
  boost::json::array entries;
  for (const auto& [name, value] : values) {
    (FindParameter(InstanceParameters(), name)->is_static ? result.static_count
                                                          : result.dynamic_count)++;
    boost::json::object entry;
    entry["name"] = name;
    entry["value"] = value;
    entries.push_back(std::move(entry));
  }
  boost::json::object params;
  params["kafka_configs"] = std::move(entries);
  ASSIGN_OR_RETURN(
      result.job_id,
      jobs_.Submit(caller, "ModifyInstanceConfigs",
                   [&](store::StoreTransaction& txn, const Mutation&) -> absl::StatusOr<JobRequest> {
                     ASSIGN_OR_RETURN(store::KafkaInstance instance,
                                      internal::LoadInstance(txn, caller.tenant_id, instance_id));
                     if (instance.status != kStatusRunning) return internal::InstanceBusy(instance);
                     return JobRequest{kJobModifyConfigs, "kafkaConfigModify",
                                       std::string(instance_id), common::ToJson(params)};
                   }));
  return result;
}

void RegisterKafkaConfigJobs(jobs::JobRunner& runner) {
  // Stateless handler: a function-local static that is never destroyed.
  static auto* const modify = new ModifyConfigsJob();
  runner.RegisterHandler(std::string(kJobModifyConfigs), modify);
}

}  // namespace connectplane::service
