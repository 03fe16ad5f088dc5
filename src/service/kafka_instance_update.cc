// KafkaService::UpdateInstance (the synchronous changes of
// PUT /v2/{project_id}/instances/{instance_id}) and ResizeInstance (the
// extend API's job).
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/kafka_instances.h"
#include "service/job_types.h"
#include "service/kafka_catalog.h"
#include "service/kafka_service.h"

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <algorithm>
#include <string>
#include <utility>

namespace connectplane::service {
namespace {

absl::Status InvalidField(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidInstanceField, message);
}

// "HH:mm:ss" (the OTC API reference) or "HH:mm" (the create request's format),
// answered as HH:mm:ss like ShowInstance's example.
std::optional<std::string> NormalizeWindowTime(std::string_view text) {
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  auto two_digits = [&](size_t pos, int max) -> bool {
    if (!absl::ascii_isdigit(text[pos]) || !absl::ascii_isdigit(text[pos + 1])) return false;
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0') <= max;
  };
  if (!two_digits(0, 23) || text[2] != ':' || !two_digits(3, 59)) return std::nullopt;
  if (text.size() == 8 && (text[5] != ':' || !two_digits(6, 59))) return std::nullopt;
  return text.size() == 8 ? std::string(text) : common::StrCat(text, ":00");
}

absl::Status ValidateUpdate(const UpdateInstanceRequest& request) {
  if (request.name && !internal::IsValidDmsName(*request.name)) {
    return InvalidField(
        "name must be 4-64 characters: a letter first, then letters, digits, '-' or '_'.");
  }
  if (request.description && request.description->size() > 1024) {
    return InvalidField("description must be at most 1024 characters.");
  }
  for (const auto* time : {&request.maintain_begin, &request.maintain_end}) {
    if (*time && !NormalizeWindowTime(**time)) {
      return InvalidField("maintain_begin and maintain_end must be times as HH:mm:ss.");
    }
  }
  if (request.maintain_begin.has_value() != request.maintain_end.has_value()) {
    return InvalidField("maintain_begin and maintain_end must be given together.");
  }
  if (request.security_group_id && !KafkaService::IsWellFormedId(*request.security_group_id)) {
    return InvalidField("security_group_id must be a UUID.");
  }
  if (request.retention_policy && *request.retention_policy != "produce_reject" &&
      *request.retention_policy != "time_base") {
    return InvalidField("retention_policy must be produce_reject or time_base.");
  }
  return absl::OkStatus();
}

// The resize `request` asks of `instance`, as job parameters: the new
// product_id, broker_num and storage_space. Errors: INVALID_INSTANCE_FIELD,
// INVALID_PRODUCT_ID.
absl::StatusOr<boost::json::object> PlanResize(const store::KafkaInstance& instance,
                                               const ResizeInstanceRequest& request) {
  const KafkaFlavor* flavor = KafkaCatalog::FindFlavor(instance.product_id);
  if (flavor == nullptr || instance.broker_num <= 0) {
    return InvalidField("This instance has no flavor to resize from.");
  }
  boost::json::object params;
  params["oper_type"] = request.oper_type.value_or("");
  params["product_id"] = instance.product_id;
  params["broker_num"] = instance.broker_num;
  params["storage_space"] = instance.storage_space;
  const int64_t per_broker = instance.storage_space / instance.broker_num;
  if (!request.oper_type) {
    return InvalidField("Invalid request parameter: oper_type is required.");
  }
  if (*request.oper_type == "storage") {
    if (!request.new_storage_space) {
      return InvalidField("new_storage_space is required for oper_type storage.");
    }
    if (*request.new_storage_space - instance.storage_space < 100 * instance.broker_num) {
      return InvalidField(common::StrCat("new_storage_space must add at least 100 GB per broker (",
                                         instance.storage_space + 100 * instance.broker_num,
                                         " GB or more)."));
    }
    if (*request.new_storage_space > flavor->max_storage_space) {
      return InvalidField(common::StrCat("new_storage_space must be at most ",
                                         flavor->max_storage_space, " GB for ",
                                         flavor->product_id, "."));
    }
    params["storage_space"] = *request.new_storage_space;
  } else if (*request.oper_type == "horizontal") {
    if (!request.new_broker_num) {
      return InvalidField("new_broker_num is required for oper_type horizontal.");
    }
    if (*request.new_broker_num <= instance.broker_num ||
        *request.new_broker_num > flavor->max_broker) {
      return InvalidField(common::StrCat("new_broker_num must be more than ", instance.broker_num,
                                         " and at most ", flavor->max_broker, "."));
    }
    const int64_t storage = per_broker * *request.new_broker_num;
    if (request.new_storage_space && *request.new_storage_space != storage) {
      return InvalidField(common::StrCat(
          "new_storage_space must keep the storage of each broker: ", storage, " GB."));
    }
    if (static_cast<int64_t>(request.tenant_ips.size()) >
        *request.new_broker_num - instance.broker_num) {
      return InvalidField("tenant_ips must not list more addresses than new brokers.");
    }
    params["broker_num"] = *request.new_broker_num;
    params["storage_space"] = storage;
  } else if (*request.oper_type == "vertical") {
    if (!request.new_product_id) {
      return InvalidField("new_product_id is required for oper_type vertical.");
    }
    const KafkaFlavor* bigger = KafkaCatalog::FindFlavor(*request.new_product_id);
    if (bigger == nullptr) {
      return common::InvalidArgument(kReasonInvalidProductId, "Invalid product_id.");
    }
    // A resize stays within its generation (legacy dot-less products or the
    // current flavors), and the instance's brokers and storage class must fit
    // the new flavor (legacy products have fixed broker counts and classes).
    const bool same_generation = (KafkaCatalog::FindLegacyProduct(bigger->product_id) == nullptr) ==
                                 (KafkaCatalog::FindLegacyProduct(flavor->product_id) == nullptr);
    const bool storage_fits =
        instance.storage_spec_code.empty() ||
        absl::c_linear_search(KafkaCatalog::StorageSpecCodes(bigger->product_id),
                              instance.storage_spec_code);
    if (!same_generation || !storage_fits || bigger->type != flavor->type ||
        bigger->max_partition_per_broker <= flavor->max_partition_per_broker ||
        instance.broker_num < bigger->min_broker || instance.broker_num > bigger->max_broker) {
      return InvalidField(common::StrCat("new_product_id must be a bigger ", flavor->type,
                                         " flavor than ", flavor->product_id, "."));
    }
    params["product_id"] = *request.new_product_id;
  } else {
    return InvalidField("oper_type must be storage, horizontal or vertical.");
  }
  return params;
}

}  // namespace

absl::StatusOr<std::string> KafkaService::ResizeInstance(const Caller& caller,
                                                         std::string_view instance_id,
                                                         const ResizeInstanceRequest& request) {
  return StartTransition(
      caller, instance_id, "ResizeEngineInstance", {kStatusRunning}, kStatusExtending,
      [&](const store::KafkaInstance& instance) -> absl::StatusOr<JobRequest> {
        ASSIGN_OR_RETURN(boost::json::object params, PlanResize(instance, request));
        return JobRequest{kJobExtendInstance, "extendInstance", instance.instance_id,
                          common::ToJson(params)};
      });
}

absl::Status KafkaService::UpdateInstance(const Caller& caller, std::string_view instance_id,
                                          const UpdateInstanceRequest& request) {
  RETURN_IF_ERROR(ValidateUpdate(request));
  const absl::Time now = clock_.Now();
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     internal::LoadInstance(txn, caller.tenant_id, instance_id));
    if (instance.status != kStatusRunning) {
      return internal::InstanceBusy(instance);
    }
    if (request.name && *request.name != instance.name) {
      store::KafkaInstanceFilter same_name;
      same_name.name = *request.name;
      same_name.exact_match_name = true;
      ASSIGN_OR_RETURN(store::Page<store::KafkaInstance> found,
                       txn.ListKafkaInstances(caller.tenant_id, same_name, {0, 1}));
      if (found.total > 0) {
        return common::FailedPrecondition(kReasonInstanceNameTaken,
                                          "This instance name already exists.");
      }
      instance.name = *request.name;
    }
    ASSIGN_OR_RETURN(boost::json::object attributes,
                     common::ParseJsonObject(instance.attributes_json));
    if (request.description) attributes["description"] = *request.description;
    if (request.maintain_begin) {
      attributes["maintain_begin"] = *NormalizeWindowTime(*request.maintain_begin);
      attributes["maintain_end"] = *NormalizeWindowTime(*request.maintain_end);
    }
    if (request.security_group_id) attributes["security_group_id"] = *request.security_group_id;
    if (request.retention_policy) attributes["retention_policy"] = *request.retention_policy;
    if (request.enterprise_project_id) {
      attributes["enterprise_project_id"] = *request.enterprise_project_id;
    }
    instance.attributes_json = common::ToJson(attributes);
    instance.updated_at_ms = common::ToUnixMillis(now);
    // The status does not change: from = to records who asked.
    RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, now)
                        .Record(txn, store::kAuditKafkaInstance, instance.instance_id,
                                "UpdateInstance", instance.status, instance.status));
    return txn.UpdateKafkaInstance(instance);
  });
}

}  // namespace connectplane::service

namespace connectplane::service {

absl::StatusOr<std::vector<CrossVpcListenerResult>> KafkaService::ModifyCrossVpc(
    const Caller& caller, std::string_view instance_id,
    const std::vector<std::pair<std::string, std::string>>& advertised_ips) {
  if (advertised_ips.empty()) {
    return InvalidField("advertised_ip_contents must name at least one listener.");
  }
  for (const auto& [listener, advertised] : advertised_ips) {
    if (advertised.empty() || advertised.size() > 255) {
      return InvalidField(common::StrCat("advertised_ip_contents: the address of ",
                                         common::QuoteUntrusted(listener),
                                         " must be 1-255 characters."));
    }
  }
  std::vector<CrossVpcListenerResult> results;
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    results.clear();
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     internal::LoadInstance(txn, caller.tenant_id, instance_id));
    if (instance.status != kStatusRunning) {
      return internal::InstanceBusy(instance);
    }
    ASSIGN_OR_RETURN(boost::json::object attributes,
                     common::ParseJsonObject(instance.attributes_json));
    boost::json::object listeners;
    if (const boost::json::value* info = attributes.if_contains("cross_vpc_info");
        info != nullptr && info->is_string() && !info->as_string().empty()) {
      ASSIGN_OR_RETURN(listeners, common::ParseJsonObject(std::string_view(
                                      info->as_string().data(), info->as_string().size())));
    }
    for (const auto& [listener, advertised] : advertised_ips) {
      boost::json::value* entry = listeners.if_contains(listener);
      if (entry == nullptr || !entry->is_object()) {
        return InvalidField(common::StrCat("advertised_ip_contents: ",
                                           common::QuoteUntrusted(listener),
                                           " is not a listener of this instance."));
      }
      entry->as_object()["advertised_ip"] = advertised;
      results.push_back({listener, advertised, true});
    }
    attributes["cross_vpc_info"] = common::ToJson(listeners);
    instance.attributes_json = common::ToJson(attributes);
    instance.updated_at_ms = common::ToUnixMillis(now);
    RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, now)
                        .Record(txn, store::kAuditKafkaInstance, instance.instance_id,
                                "UpdateInstanceCrossVpcIp", instance.status, instance.status));
    return txn.UpdateKafkaInstance(instance);
  }));
  std::sort(results.begin(), results.end(), [](const auto& left, const auto& right) {
    return left.listener_ip < right.listener_ip;
  });
  return results;
}

}  // namespace connectplane::service

namespace connectplane::service {

absl::StatusOr<std::vector<BatchInstanceResult>> KafkaService::BatchInstanceAction(
    const Caller& caller, const BatchInstanceActionRequest& request) {
  if (request.action != "restart" && request.action != "delete") {
    return InvalidField("action must be restart or delete.");
  }
  if (request.all_failure) {
    if (*request.all_failure != "kafka" || request.action != "delete") {
      return InvalidField("all_failure must be kafka, with action delete.");
    }
  } else if (request.instance_ids.empty()) {
    return InvalidField("instances must list at least one instance.");
  }
  if (request.instance_ids.size() > 50) {
    return InvalidField("instances must list at most 50 instances.");
  }
  std::vector<std::string> ids = request.instance_ids;
  if (request.all_failure) {
    store::KafkaInstanceFilter failed;
    failed.status = std::string(kStatusCreateFailed);
    store::Page<store::KafkaInstance> page;
    RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(page, txn.ListKafkaInstances(caller.tenant_id, failed, {0, 1000}));
      return absl::OkStatus();
    }));
    for (const store::KafkaInstance& instance : page.items) ids.push_back(instance.instance_id);
  }
  std::vector<BatchInstanceResult> results;
  for (const std::string& id : ids) {
    absl::Status outcome;
    if (request.action == "delete") {
      outcome = DeleteInstance(caller, id);
    } else {
      outcome = StartTransition(caller, id, "RestartInstance", {kStatusRunning},
                                kStatusRestarting,
                                [&](const store::KafkaInstance& instance)
                                    -> absl::StatusOr<JobRequest> {
                                  return JobRequest{kJobRestartInstance, "restartInstance",
                                                    instance.instance_id, "{}"};
                                })
                    .status();
    }
    // Refusals of one instance are its result; store failures end the batch.
    if (!outcome.ok() && !absl::IsNotFound(outcome) && !absl::IsInvalidArgument(outcome) &&
        !absl::IsFailedPrecondition(outcome)) {
      return outcome;
    }
    results.push_back({id, outcome.ok()});
  }
  return results;
}

}  // namespace connectplane::service
