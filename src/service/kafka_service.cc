#include "service/kafka_service.h"

#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/kafka_instance_members.h"
#include "service/internal/kafka_instances.h"
#include "service/kafka_tag_service.h"

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <algorithm>
#include <array>
#include <utility>

namespace connectplane::service {
namespace {

constexpr std::array<std::string_view, 4> kSpecifications = {"100MB", "300MB", "600MB", "1200MB"};

// spec_code values are dotted lower-case tokens ("connector.4u8g.cluster",
// "kafka.c3.mini.connector"); we accept that shape rather than a closed list,
// since flavors differ by region.
bool IsValidSpecCode(std::string_view spec_code) {
  if (spec_code.empty() || spec_code.size() > 64 || spec_code.front() == '.' ||
      spec_code.back() == '.' || spec_code.find('.') == std::string_view::npos) {
    return false;
  }
  for (char c : spec_code) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateEnableRequest(const EnableSmartConnectRequest& request) {
  if (request.node_cnt &&
      (*request.node_cnt < kMinConnectorNodes || *request.node_cnt > kMaxConnectorNodes)) {
    return common::InvalidArgument(
        kReasonInvalidNodeCount,
        common::StrCat("node_cnt must be between ", kMinConnectorNodes, " and ", kMaxConnectorNodes,
                       ", got ", *request.node_cnt));
  }
  if (request.specification && !absl::c_linear_search(kSpecifications, *request.specification)) {
    return common::InvalidArgument(kReasonInvalidSpecification,
                                   "specification must be one of 100MB, 300MB, 600MB, 1200MB");
  }
  if (request.spec_code && !IsValidSpecCode(*request.spec_code)) {
    return common::InvalidArgument(kReasonInvalidSpecCode, "spec_code is not a valid flavor code");
  }
  return absl::OkStatus();
}

absl::Status InvalidField(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidInstanceField, message);
}

absl::Status ValidateCreateInstance(const CreateInstanceRequest& request) {
  auto required = [](std::string_view field) {
    return InvalidField(common::StrCat("Invalid request parameter: ", field, " is required."));
  };
  if (!request.name) return required("name");
  if (!internal::IsValidDmsName(*request.name)) {
    return InvalidField(
        "name must be 4-64 characters: a letter first, then letters, digits, '-' or '_'.");
  }
  if (!request.engine) return required("engine");
  if (*request.engine != "kafka") return InvalidField("engine must be kafka.");
  if (!request.engine_version) return required("engine_version");
  if (!absl::c_linear_search(kKafkaEngineVersions, *request.engine_version)) {
    return InvalidField("engine_version must be one of 1.1.0, 2.3.0, 2.7, 3.x.");
  }
  // broker_num may be absent for a legacy product (checked with the flavor).
  if (request.broker_num && (*request.broker_num < 1 || *request.broker_num > 50)) {
    return InvalidField("broker_num must be between 1 and 50.");
  }
  if (!request.storage_space) return required("storage_space");
  if (*request.storage_space < kMinKafkaStorageSpace) {
    return InvalidField(
        common::StrCat("storage_space must be at least ", kMinKafkaStorageSpace, " (GB)."));
  }
  for (const auto& [field, value] :
       {std::pair<std::string_view, const std::optional<std::string>*>{"vpc_id", &request.vpc_id},
        {"security_group_id", &request.security_group_id},
        {"subnet_id", &request.subnet_id}}) {
    if (!*value) return required(field);
    if (!KafkaService::IsWellFormedId(**value)) {
      return InvalidField(common::StrCat(field, " must be a UUID."));
    }
  }
  if (!request.available_zones) return required("available_zones");
  for (const std::string& zone : *request.available_zones) {
    if (zone.empty() || zone.size() > 64) {
      return InvalidField("available_zones entries must be 1-64 characters.");
    }
  }
  if (!request.product_id) return required("product_id");
  const KafkaFlavor* flavor = KafkaCatalog::FindFlavor(*request.product_id);
  if (flavor == nullptr) {
    return common::InvalidArgument(kReasonInvalidProductId, "Invalid product_id.");
  }
  // A legacy (dot-less) product has a fixed broker count: broker_num may be
  // left out (the clients of that generation never send it).
  if (!request.broker_num && KafkaCatalog::FindLegacyProduct(flavor->product_id) == nullptr) {
    return required("broker_num");
  }
  if (request.broker_num &&
      (*request.broker_num < flavor->min_broker || *request.broker_num > flavor->max_broker)) {
    return InvalidField(common::StrCat("broker_num must be between ", flavor->min_broker, " and ",
                                       flavor->max_broker, " for ", flavor->product_id, "."));
  }
  const int64_t min_storage = KafkaCatalog::MinStorageSpace(flavor->product_id);
  if (*request.storage_space < min_storage) {
    return InvalidField(common::StrCat("storage_space must be at least ", min_storage, " (GB) for ",
                                       flavor->product_id, "."));
  }
  if (*request.storage_space > flavor->max_storage_space) {
    return InvalidField(common::StrCat("storage_space must be at most ", flavor->max_storage_space,
                                       " (GB) for ", flavor->product_id, "."));
  }
  if (!request.storage_spec_code) return required("storage_spec_code");
  if (!absl::c_linear_search(KafkaCatalog::StorageSpecCodes(flavor->product_id),
                             *request.storage_spec_code)) {
    return InvalidField(
        common::StrCat("storage_spec_code is not a storage class of ", flavor->product_id, "."));
  }
  return absl::OkStatus();
}

// Instance names are unique within a project, failed creates included (the
// name is free again once the instance is deleted). Checked in the create's
// transaction; on PostgreSQL two creates of one name committing at the same
// moment can both pass (READ COMMITTED, no unique index).
absl::Status CheckNameFree(store::StoreTransaction& txn, std::string_view tenant_id,
                           std::string_view name) {
  store::KafkaInstanceFilter same_name;
  same_name.name = std::string(name);
  same_name.exact_match_name = true;
  ASSIGN_OR_RETURN(store::Page<store::KafkaInstance> found,
                   txn.ListKafkaInstances(tenant_id, same_name, {0, 1}));
  if (found.total > 0) {
    return common::FailedPrecondition(kReasonInstanceNameTaken,
                                      "This instance name already exists.");
  }
  return absl::OkStatus();
}

// The background task `task_id` of the caller's instance. A job of another
// instance or tenant is reported exactly like a missing one.
absl::StatusOr<store::Job> LoadTaskOfInstance(store::StoreTransaction& txn, const Caller& caller,
                                              std::string_view instance_id,
                                              std::string_view task_id) {
  // The job first: in a write transaction both are locked, and jobs come
  // before instances in the canonical lock order (store.h), as in the job
  // runner, which locks a job and then the instance it changes.
  ASSIGN_OR_RETURN(std::optional<store::Job> job, txn.GetJob(task_id));
  RETURN_IF_ERROR(internal::LoadInstance(txn, caller.tenant_id, instance_id).status());
  if (!job || job->tenant_id != caller.tenant_id || job->resource_id != instance_id) {
    return common::NotFound(kReasonTaskNotFound, "The task does not exist.");
  }
  return std::move(*job);
}

}  // namespace

KafkaService::KafkaService(store::Store& store, const common::Clock& clock, JobQueue& jobs,
                           const KafkaCatalog& catalog)
    : store_(store), clock_(clock), jobs_(jobs), catalog_(catalog) {}

bool KafkaService::IsWellFormedId(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t pos = 0; pos < id.size(); ++pos) {
    bool dash_slot = pos == 8 || pos == 13 || pos == 18 || pos == 23;
    if (dash_slot ? id[pos] != '-' : !absl::ascii_isxdigit(id[pos])) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<store::KafkaInstance> KafkaService::GetInstance(const Caller& caller,
                                                               std::string_view instance_id) {
  store::KafkaInstance instance;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(instance, internal::LoadInstance(txn, caller.tenant_id, instance_id));
    return absl::OkStatus();
  }));
  // Counted after the read: the Nth read still sees the job in progress.
  RETURN_IF_ERROR(jobs_.CountRead(caller.tenant_id, instance_id));
  return instance;
}

absl::StatusOr<store::Page<store::KafkaInstance>> KafkaService::ListInstances(
    const Caller& caller, const store::KafkaInstanceFilter& filter,
    const store::PageRequest& page) {
  store::Page<store::KafkaInstance> result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(result, txn.ListKafkaInstances(caller.tenant_id, filter, page));
    return absl::OkStatus();
  }));
  // DMS refuses an offset at or past the end rather than answering an empty
  // page; offset 0 of an empty list is an empty page.
  if (page.offset > 0 && page.offset >= result.total) {
    return common::InvalidArgument(kReasonOffsetPastEnd, "Offset parameter is invalid.");
  }
  return result;
}

absl::StatusOr<std::string> KafkaService::StartTransition(
    const Caller& caller, std::string_view instance_id, std::string_view operation,
    std::initializer_list<std::string_view> from_statuses, std::string_view to_status,
    PlanFn plan) {
  return jobs_.Submit(
      caller, operation,
      [&](store::StoreTransaction& txn, const Mutation& mutation) -> absl::StatusOr<JobRequest> {
        ASSIGN_OR_RETURN(store::KafkaInstance instance,
                         internal::LoadInstance(txn, caller.tenant_id, instance_id));
        if (std::find(from_statuses.begin(), from_statuses.end(), instance.status) ==
            from_statuses.end()) {
          return internal::InstanceBusy(instance);
        }
        ASSIGN_OR_RETURN(JobRequest job, plan(instance));
        RETURN_IF_ERROR(mutation.audit.Record(txn, store::kAuditKafkaInstance, instance.instance_id,
                                              operation, instance.status, to_status,
                                              mutation.job_id));
        instance.status = std::string(to_status);
        instance.updated_at_ms = mutation.now_ms;
        RETURN_IF_ERROR(txn.UpdateKafkaInstance(instance));
        return job;
      });
}

absl::StatusOr<EnableSmartConnectResult> KafkaService::EnableSmartConnect(
    const Caller& caller, std::string_view instance_id, const EnableSmartConnectRequest& request) {
  RETURN_IF_ERROR(ValidateEnableRequest(request));
  EnableSmartConnectResult result;
  result.connector_id = common::NewUuid();
  ASSIGN_OR_RETURN(
      result.job_id,
      StartTransition(caller, instance_id, "CreateConnector", {kStatusRunning}, kStatusExtending,
                      [&](const store::KafkaInstance& instance) -> absl::StatusOr<JobRequest> {
                        if (instance.connector_enabled) {
                          return common::FailedPrecondition(
                              kReasonConnectorAlreadyEnabled,
                              "Smart Connect is already enabled for this instance.");
                        }
                        boost::json::object params;
                        params["connector_id"] = result.connector_id;
                        params["node_cnt"] = request.node_cnt.value_or(kDefaultConnectorNodes);
                        params["specification"] = request.specification.value_or("");
                        params["spec_code"] = request.spec_code.value_or("");
                        return JobRequest{kJobEnableConnector, "createConnector",
                                          instance.instance_id, common::ToJson(params)};
                      }));
  return result;
}

absl::StatusOr<std::string> KafkaService::DisableSmartConnect(const Caller& caller,
                                                              std::string_view instance_id) {
  return StartTransition(
      caller, instance_id, "DeleteConnector", {kStatusRunning}, kStatusConnectorDeleting,
      [&](const store::KafkaInstance& instance) -> absl::StatusOr<JobRequest> {
        if (!instance.connector_enabled) {
          return common::FailedPrecondition(kReasonConnectorNotEnabled,
                                            "Smart Connect is not enabled for this instance.");
        }
        boost::json::object params;
        params["connector_id"] = instance.connector_id;
        return JobRequest{kJobDisableConnector, "deleteConnector", instance.instance_id,
                          common::ToJson(params)};
      });
}

absl::StatusOr<std::string> KafkaService::CreateInstance(const Caller& caller,
                                                         const CreateInstanceRequest& request) {
  RETURN_IF_ERROR(ValidateCreateInstance(request));
  ASSIGN_OR_RETURN(std::vector<std::string> zone_ids,
                   internal::ResolveZoneIds(*request.available_zones, catalog_));
  const KafkaFlavor& flavor = *KafkaCatalog::FindFlavor(*request.product_id);
  ASSIGN_OR_RETURN(boost::json::object attributes,
                   common::ParseJsonObject(request.extra_attributes_json));
  // Tags given at creation are stored like those of ShowKafkaTags' action.
  ASSIGN_OR_RETURN(std::vector<InstanceTag> tags, KafkaTagService::TagsOfCreateBody(attributes));
  // Legacy products may leave broker_num out: their fixed count.
  const int64_t brokers = request.broker_num.value_or(flavor.min_broker);
  attributes["engine"] = *request.engine;
  attributes["vpc_id"] = *request.vpc_id;
  attributes["subnet_id"] = *request.subnet_id;
  attributes["security_group_id"] = *request.security_group_id;
  attributes["user_id"] = caller.user_id;
  attributes["user_name"] = caller.user_name;

  store::KafkaInstance instance;
  instance.project_id = caller.tenant_id;
  instance.instance_id = common::NewUuid();
  instance.name = *request.name;
  instance.status = std::string(kStatusCreating);
  // First-generation instances show their baseline bandwidth ("100MB").
  instance.specification = KafkaCatalog::SpecificationOf(*request.product_id, brokers);
  instance.product_id = *request.product_id;
  instance.engine_version = *request.engine_version;
  instance.broker_num = static_cast<int32_t>(brokers);
  instance.storage_space = *request.storage_space;
  instance.storage_spec_code = *request.storage_spec_code;
  boost::json::array zones;
  for (const std::string& zone : zone_ids) zones.emplace_back(zone);
  instance.available_zones_json = common::ToJson(zones);
  RETURN_IF_ERROR(internal::FillDerivedInstanceMembers(attributes, instance, flavor, catalog_));
  instance.attributes_json = common::ToJson(attributes);

  boost::json::object params;
  params["name"] = instance.name;
  params["product_id"] = *request.product_id;
  params["broker_num"] = brokers;
  // Smart Connect requested at creation comes up with the instance.
  params["connector_id"] = request.connector_enable ? common::NewUuid() : std::string();
  RETURN_IF_ERROR(
      jobs_
          .Submit(caller, "CreateInstance",
                  [&](store::StoreTransaction& txn,
                      const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                    RETURN_IF_ERROR(CheckNameFree(txn, caller.tenant_id, instance.name));
                    instance.created_at_ms = mutation.now_ms;
                    instance.updated_at_ms = mutation.now_ms;
                    RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
                    RETURN_IF_ERROR(KafkaTagService::WriteTags(
                        txn, caller.tenant_id, instance.instance_id, tags, mutation.now_ms));
                    RETURN_IF_ERROR(mutation.audit.Record(txn, store::kAuditKafkaInstance,
                                                          instance.instance_id, "CreateInstance",
                                                          "", instance.status, mutation.job_id));
                    return JobRequest{kJobCreateInstance, "createInstance", instance.instance_id,
                                      common::ToJson(params)};
                  })
          .status());
  return instance.instance_id;
}

absl::Status KafkaService::DeleteInstance(const Caller& caller, std::string_view instance_id) {
  return StartTransition(
             caller, instance_id, "DeleteInstance",
             {kStatusRunning, kStatusError, kStatusCreateFailed}, kStatusDeleting,
             [&](const store::KafkaInstance& instance) -> absl::StatusOr<JobRequest> {
               return JobRequest{kJobDeleteInstance, "deleteInstance", instance.instance_id, "{}"};
             })
      .status();
}

absl::StatusOr<store::Page<store::Job>> KafkaService::ListTasks(const Caller& caller,
                                                                std::string_view instance_id,
                                                                const store::JobFilter& filter,
                                                                const store::PageRequest& page) {
  store::Page<store::Job> result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(internal::LoadInstance(txn, caller.tenant_id, instance_id).status());
    ASSIGN_OR_RETURN(result, txn.ListJobsForResource(caller.tenant_id, instance_id, filter, page));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(jobs_.CountRead(caller.tenant_id, instance_id));
  return result;
}

absl::StatusOr<store::Job> KafkaService::GetTask(const Caller& caller, std::string_view instance_id,
                                                 std::string_view task_id) {
  store::Job job;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(job, LoadTaskOfInstance(txn, caller, instance_id, task_id));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(jobs_.CountRead(caller.tenant_id, instance_id));
  return job;
}

absl::StatusOr<TaskProgress> KafkaService::GetTaskProgress(const Caller& caller,
                                                           std::string_view instance_id,
                                                           std::string_view task_id) {
  ASSIGN_OR_RETURN(store::Job job, GetTask(caller, instance_id, task_id));
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  TaskProgress progress;
  progress.steps.push_back({"pre_check", kStepCompleted, job.created_at_ms, job.created_at_ms});
  TaskProgressStep work{job.name, kStepInProgress, job.created_at_ms, std::nullopt};
  switch (job.status) {
    case store::JobStatus::kSucceeded:
      work.status = kStepCompleted;
      work.end_ms = job.updated_at_ms;
      progress.percentage = 100;
      break;
    case store::JobStatus::kFailed:
      work.status = kStepFailed;
      work.end_ms = job.updated_at_ms;
      progress.percentage = 50;  // the first of two steps done
      break;
    case store::JobStatus::kPending:
      if (job.due_at_ms != store::kNeverDue) {
        const int64_t total_ms = job.due_at_ms - job.created_at_ms;
        const int64_t left_ms = std::max<int64_t>(0, job.due_at_ms - now_ms);
        progress.percentage = total_ms <= 0 ? 99
                                            : static_cast<int32_t>(std::clamp<int64_t>(
                                                  (total_ms - left_ms) * 100 / total_ms, 0, 99));
        progress.remaining_seconds = (left_ms + 999) / 1000;
      }
      break;
  }
  progress.steps.push_back(std::move(work));
  return progress;
}

absl::Status KafkaService::DeleteTask(const Caller& caller, std::string_view instance_id,
                                      std::string_view task_id) {
  const absl::Time now = clock_.Now();
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Job job, LoadTaskOfInstance(txn, caller, instance_id, task_id));
    // A pending job still has to move its resource on: its record stays.
    if (job.status == store::JobStatus::kPending) {
      return common::FailedPrecondition(kReasonTaskRunning,
                                        "This DMS instance job task is still running.");
    }
    RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, now)
                        .Record(txn, store::kAuditJob, job.job_id, "DeleteBackgroundTask",
                                store::JobStatusName(job.status), ""));
    return txn.DeleteJob(job.job_id);
  });
}

}  // namespace connectplane::service
