#include "service/kafka_instance_jobs.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/job_params.h"
#include "service/internal/kafka_instances.h"
#include "service/internal/kafka_instance_members.h"
#include "service/job_timings.h"
#include "service/kafka_catalog.h"
#include "service/kafka_service.h"

#include "boost/json.hpp"
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::service {
namespace {

// Applies a job's effect to the instance it completes (the status is set by
// the caller). May write other rows in `txn`.
using ApplyFn = absl::Status (*)(store::StoreTransaction& txn, const store::Job& job,
                                 store::KafkaInstance& instance, absl::Time now);

absl::Status EnableConnector(store::StoreTransaction&, const store::Job& job,
                             store::KafkaInstance& instance, absl::Time) {
  ASSIGN_OR_RETURN(internal::JobParams params, internal::JobParams::Parse(job));
  ASSIGN_OR_RETURN(instance.connector_id, params.String("connector_id"));
  ASSIGN_OR_RETURN(std::optional<int64_t> node_cnt,
                   params.reader().Int("node_cnt", kMinConnectorNodes, kMaxConnectorNodes));
  ASSIGN_OR_RETURN(instance.connector_specification, params.String("specification"));
  ASSIGN_OR_RETURN(instance.connector_spec_code, params.String("spec_code"));
  instance.connector_enabled = true;
  instance.connector_node_num = static_cast<int32_t>(node_cnt.value_or(kDefaultConnectorNodes));
  return absl::OkStatus();
}

absl::Status DisableConnector(store::StoreTransaction& txn, const store::Job& job,
                              store::KafkaInstance& instance, absl::Time now) {
  // The connector's tasks go with it, in the same transaction.
  RETURN_IF_ERROR(internal::RemoveConnectorTasksOfInstance(txn, job, instance.instance_id, now));
  instance.connector_enabled = false;
  instance.connector_id.clear();
  instance.connector_node_num = 0;
  instance.connector_specification.clear();
  instance.connector_spec_code.clear();
  return absl::OkStatus();
}

absl::Status CreateInstance(store::StoreTransaction&, const store::Job& job,
                            store::KafkaInstance& instance, absl::Time) {
  ASSIGN_OR_RETURN(internal::JobParams params, internal::JobParams::Parse(job));
  ASSIGN_OR_RETURN(std::string connector_id, params.String("connector_id"));
  if (!connector_id.empty()) {
    instance.connector_enabled = true;
    instance.connector_id = std::move(connector_id);
    instance.connector_node_num = kDefaultConnectorNodes;
  }
  return absl::OkStatus();
}

// The resize the job's parameters describe (KafkaService::ResizeInstance
// checked it): the new flavor, brokers and storage, and the members that
// follow from them.
absl::Status ExtendInstance(store::StoreTransaction&, const store::Job& job,
                            store::KafkaInstance& instance, absl::Time) {
  ASSIGN_OR_RETURN(internal::JobParams params, internal::JobParams::Parse(job));
  ASSIGN_OR_RETURN(std::string product_id, params.String("product_id"));
  const KafkaFlavor* flavor = KafkaCatalog::FindFlavor(product_id);
  if (flavor == nullptr) {
    return absl::FailedPreconditionError(common::StrCat("unknown flavor ", product_id));
  }
  ASSIGN_OR_RETURN(int64_t broker_num,
                   params.reader().RequiredInt("broker_num", flavor->min_broker,
                                               flavor->max_broker));
  ASSIGN_OR_RETURN(int64_t storage_space, params.reader().RequiredInt("storage_space", 0));
  instance.product_id = product_id;
  instance.broker_num = static_cast<int32_t>(broker_num);
  instance.storage_space = storage_space;
  instance.specification = KafkaCatalog::SpecificationOf(product_id, broker_num);
  ASSIGN_OR_RETURN(boost::json::object attributes,
                   common::ParseJsonObject(instance.attributes_json));
  // AZ names come from the start-up catalog; a resize keeps the AZs.
  RETURN_IF_ERROR(internal::RefreshResizedInstanceMembers(attributes, instance, *flavor,
                                                          KafkaCatalog::Default()));
  instance.attributes_json = common::ToJson(attributes);
  return absl::OkStatus();
}

absl::Status RestartInstance(store::StoreTransaction&, const store::Job&, store::KafkaInstance&,
                             absl::Time) {
  return absl::OkStatus();  // brokers restarted: nothing in the row changes
}

absl::Status DeleteInstance(store::StoreTransaction& txn, const store::Job& job,
                            store::KafkaInstance& instance, absl::Time now) {
  // Its tags, parameter values and topics go with it.
  RETURN_IF_ERROR(txn.DeleteKafkaInstanceItems(job.tenant_id, instance.instance_id).status());
  return internal::RemoveConnectorTasksOfInstance(txn, job, instance.instance_id, now);
}

// One instance transition: the instance must be in `transitional`; Complete()
// applies `apply` and moves it to `final` (or deletes the row when `final` is
// empty); OnFailed() moves it to `failed` when it is still transitional.
class InstanceTransitionJob final : public jobs::JobHandler {
 public:
  InstanceTransitionJob(std::string_view transitional, std::string_view final_status,
                        std::string_view failed, ApplyFn apply)
      : transitional_(transitional), final_(final_status), failed_(failed), apply_(apply) {}

  // Errors: NotFound when the instance is gone, FailedPrecondition when it left
  // the transitional status (both permanent: the job ends FAILED); Aborted on a
  // lost compare-and-swap (retried); the store's.
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                     txn.GetKafkaInstance(job.tenant_id, job.resource_id));
    if (!instance) {
      return absl::NotFoundError(common::StrCat("instance ", job.resource_id, " no longer exists"));
    }
    if (instance->status != transitional_) {
      return absl::FailedPreconditionError(common::StrCat(
          "instance ", job.resource_id, " is ", instance->status, ", expected ", transitional_));
    }
    RETURN_IF_ERROR(apply_(txn, job, *instance, now));
    RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
        txn, store::kAuditKafkaInstance, job.resource_id, job.job_type, instance->status, final_));
    if (final_.empty()) {
      return txn.DeleteKafkaInstance(job.tenant_id, instance->instance_id, instance->version);
    }
    instance->status = std::string(final_);
    instance->updated_at_ms = common::ToUnixMillis(now);
    return txn.UpdateKafkaInstance(*instance);
  }

  // A no-op when someone else already moved the instance on.
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                     txn.GetKafkaInstance(job.tenant_id, job.resource_id));
    if (!instance || instance->status != transitional_) {
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
        txn, store::kAuditKafkaInstance, job.resource_id, job.job_type, instance->status, failed_));
    instance->status = std::string(failed_);
    instance->updated_at_ms = common::ToUnixMillis(now);
    return txn.UpdateKafkaInstance(*instance);
  }

 private:
  const std::string_view transitional_;
  const std::string_view final_;
  const std::string_view failed_;
  const ApplyFn apply_;
};

}  // namespace

void RegisterKafkaInstanceJobs(jobs::JobRunner& runner) {
  // Stateless handlers: function-local statics that are never destroyed.
  static auto* const create = new InstanceTransitionJob(kStatusCreating, kStatusRunning,
                                                        kStatusCreateFailed, &CreateInstance);
  static auto* const remove = new InstanceTransitionJob(kStatusDeleting, /*final: row removed*/ "",
                                                        kStatusRunning, &DeleteInstance);
  static auto* const enable =
      new InstanceTransitionJob(kStatusExtending, kStatusRunning, kStatusRunning, &EnableConnector);
  static auto* const disable = new InstanceTransitionJob(kStatusConnectorDeleting, kStatusRunning,
                                                         kStatusRunning, &DisableConnector);
  runner.RegisterHandler(std::string(kJobCreateInstance), create);
  runner.RegisterHandler(std::string(kJobDeleteInstance), remove);
  runner.RegisterHandler(std::string(kJobEnableConnector), enable);
  runner.RegisterHandler(std::string(kJobDisableConnector), disable);
  static auto* const extend =
      new InstanceTransitionJob(kStatusExtending, kStatusRunning, kStatusRunning, &ExtendInstance);
  runner.RegisterHandler(std::string(kJobExtendInstance), extend);
  static auto* const restart = new InstanceTransitionJob(kStatusRestarting, kStatusRunning,
                                                         kStatusRunning, &RestartInstance);
  runner.RegisterHandler(std::string(kJobRestartInstance), restart);
}

}  // namespace connectplane::service
