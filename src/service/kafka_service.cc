#include "service/kafka_service.h"

#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/strings.h"
#include "boost/json.hpp"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "service/audit_recorder.h"
#include "service/read_gate.h"
#include "spdlog/spdlog.h"

namespace connectplane::service {
namespace {

constexpr std::array<std::string_view, 4> kSpecifications = {"100MB", "300MB", "600MB",
                                                             "1200MB"};

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
  if (request.specification) {
    bool known = false;
    for (std::string_view spec : kSpecifications) {
      known = known || spec == *request.specification;
    }
    if (!known) {
      return common::InvalidArgument(kReasonInvalidSpecification,
                                     "specification must be one of 100MB, 300MB, 600MB, 1200MB");
    }
  }
  if (request.spec_code && !IsValidSpecCode(*request.spec_code)) {
    return common::InvalidArgument(kReasonInvalidSpecCode, "spec_code is not a valid flavor code");
  }
  return absl::OkStatus();
}

absl::Status InstanceBusy(const store::KafkaInstance& instance) {
  return common::FailedPrecondition(
      kReasonInstanceBusy,
      common::StrCat("instance ", instance.instance_id, " is ", instance.status,
                   "; the operation needs it RUNNING"));
}

}  // namespace

KafkaService::KafkaService(store::Store& store, const common::Clock& clock,
                           const JobTimings& timings, std::function<void()> on_job_enqueued)
    : store_(store),
      clock_(clock),
      timings_(timings),
      on_job_enqueued_(std::move(on_job_enqueued)) {}

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

absl::Status KafkaService::LoadInstance(store::StoreTransaction& txn, const Caller& caller,
                                        std::string_view instance_id,
                                        store::KafkaInstance& instance) {
  if (!IsWellFormedId(instance_id)) {
    return common::InvalidArgument(kReasonInvalidInstanceId,
                                   "Invalid DMS instance id. The id must be a uuid.");
  }
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> found,
                   txn.GetKafkaInstance(caller.project_id, instance_id));
  if (!found) {
    return common::NotFound(kReasonInstanceNotFound, "This instance does not exist.");
  }
  instance = std::move(*found);
  return absl::OkStatus();
}

absl::Status KafkaService::CountRead(const Caller& caller, std::string_view instance_id) {
  return CountResourceRead(store_, timings_, clock_.Now(), caller.project_id, instance_id,
                           on_job_enqueued_);
}

absl::StatusOr<store::KafkaInstance> KafkaService::GetInstance(const Caller& caller,
                                                               std::string_view instance_id) {
  store::KafkaInstance instance;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) {
    return LoadInstance(txn, caller, instance_id, instance);
  }));
  // Counted after the read: the Nth read still sees the job in progress.
  RETURN_IF_ERROR(CountRead(caller, instance_id));
  return instance;
}

absl::StatusOr<store::Page<store::KafkaInstance>> KafkaService::ListInstances(
    const Caller& caller, const store::KafkaInstanceFilter& filter,
    const store::PageRequest& page) {
  store::Page<store::KafkaInstance> result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(result, txn.ListKafkaInstances(caller.project_id, filter, page));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<EnableSmartConnectResult> KafkaService::EnableSmartConnect(
    const Caller& caller, std::string_view instance_id, const EnableSmartConnectRequest& request) {
  RETURN_IF_ERROR(ValidateEnableRequest(request));
  const absl::Time now = clock_.Now();
  const int64_t now_ms = common::ToUnixMillis(now);
  EnableSmartConnectResult result{common::NewUuid(), common::NewUuid()};
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    store::KafkaInstance instance;
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id, instance));
    if (instance.status != kStatusRunning) {
      return InstanceBusy(instance);
    }
    if (instance.connector_enabled) {
      return common::FailedPrecondition(kReasonConnectorAlreadyEnabled,
                                        "Smart Connect is already enabled for this instance.");
    }
    const AuditRecorder audit = AuditRecorder::ForCaller(caller, now);
    RETURN_IF_ERROR(audit.Record(txn, kAuditKafkaInstance, instance.instance_id, "CreateConnector",
                                 instance.status, kStatusExtending, result.job_id));
    instance.status = std::string(kStatusExtending);
    instance.updated_at_ms = now_ms;
    RETURN_IF_ERROR(txn.UpdateKafkaInstance(instance));

    boost::json::object params;
    params["connector_id"] = result.connector_id;
    params["node_cnt"] = request.node_cnt.value_or(kDefaultConnectorNodes);
    params["specification"] = request.specification.value_or("");
    params["spec_code"] = request.spec_code.value_or("");
    store::Job job;
    job.job_id = result.job_id;
    job.project_id = caller.project_id;
    job.resource_id = instance.instance_id;
    job.job_type = std::string(kJobEnableConnector);
    job.name = "createConnector";
    job.params_json = common::ToJson(params);
    job.user_name = caller.user_name;
    job.user_id = caller.user_id;
    job.created_at_ms = now_ms;
    job.updated_at_ms = now_ms;
    ScheduleJob(timings_, now, job);
    RETURN_IF_ERROR(txn.InsertJob(job));
    return audit.RecordJobCreated(txn, job);
  }));
  LogJobQueued(caller, result.job_id, kJobEnableConnector, instance_id, "CreateConnector");
  if (on_job_enqueued_) on_job_enqueued_();
  return result;
}

absl::StatusOr<std::string> KafkaService::DisableSmartConnect(const Caller& caller,
                                                              std::string_view instance_id) {
  const absl::Time now = clock_.Now();
  const int64_t now_ms = common::ToUnixMillis(now);
  std::string job_id = common::NewUuid();
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    store::KafkaInstance instance;
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id, instance));
    if (instance.status != kStatusRunning) {
      return InstanceBusy(instance);
    }
    if (!instance.connector_enabled) {
      return common::FailedPrecondition(kReasonConnectorNotEnabled,
                                        "Smart Connect is not enabled for this instance.");
    }
    const AuditRecorder audit = AuditRecorder::ForCaller(caller, now);
    RETURN_IF_ERROR(audit.Record(txn, kAuditKafkaInstance, instance.instance_id, "DeleteConnector",
                                 instance.status, kStatusConnectorDeleting, job_id));
    instance.status = std::string(kStatusConnectorDeleting);
    instance.updated_at_ms = now_ms;
    RETURN_IF_ERROR(txn.UpdateKafkaInstance(instance));

    boost::json::object params;
    params["connector_id"] = instance.connector_id;
    store::Job job;
    job.job_id = job_id;
    job.project_id = caller.project_id;
    job.resource_id = instance.instance_id;
    job.job_type = std::string(kJobDisableConnector);
    job.name = "deleteConnector";
    job.params_json = common::ToJson(params);
    job.user_name = caller.user_name;
    job.user_id = caller.user_id;
    job.created_at_ms = now_ms;
    job.updated_at_ms = now_ms;
    ScheduleJob(timings_, now, job);
    RETURN_IF_ERROR(txn.InsertJob(job));
    return audit.RecordJobCreated(txn, job);
  }));
  LogJobQueued(caller, job_id, kJobDisableConnector, instance_id, "DeleteConnector");
  if (on_job_enqueued_) on_job_enqueued_();
  return job_id;
}

absl::StatusOr<store::Page<store::Job>> KafkaService::ListTasks(const Caller& caller,
                                                                std::string_view instance_id,
                                                                const store::JobFilter& filter,
                                                                const store::PageRequest& page) {
  store::Page<store::Job> result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    store::KafkaInstance instance;
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id, instance));
    ASSIGN_OR_RETURN(result,
                     txn.ListJobsForResource(caller.project_id, instance_id, filter, page));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(CountRead(caller, instance_id));
  return result;
}

absl::StatusOr<store::Job> KafkaService::GetTask(const Caller& caller, std::string_view instance_id,
                                                 std::string_view task_id) {
  store::Job job;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    store::KafkaInstance instance;
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id, instance));
    ASSIGN_OR_RETURN(std::optional<store::Job> found, txn.GetJob(task_id));
    // A job of another instance or tenant is reported exactly like a missing one.
    if (!found || found->project_id != caller.project_id || found->resource_id != instance_id) {
      return common::NotFound(kReasonTaskNotFound, "The task does not exist.");
    }
    job = std::move(*found);
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(CountRead(caller, instance_id));
  return job;
}

}  // namespace connectplane::service
