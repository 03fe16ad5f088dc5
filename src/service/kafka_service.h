// DMS for Kafka domain rules: instances and their Smart Connect state machine.
//
//   create --> CREATING --job done--> RUNNING   (job failed: CREATEFAILED)
//   delete: RUNNING/ERROR/CREATEFAILED --> DELETING --job done--> gone (404)
//
//   RUNNING (connector off) --enable--> EXTENDING --job done--> RUNNING (connector on)
//   RUNNING (connector on) --disable--> CONNECTOR_DELETING --job done--> RUNNING (off)
//   a failed job puts the instance back to RUNNING with the connector as before.
//
// Every mutation writes the instance change and its job row in one transaction
// (compare-and-swap on the instance version), so an acknowledged request is
// durable and no two jobs can run for one instance. Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "service/job_queue.h"
#include "service/kafka_catalog.h"
#include "store/store.h"

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::service {

// Instance statuses the state machine uses (DMS's own strings).
inline constexpr std::string_view kStatusRunning = "RUNNING";
inline constexpr std::string_view kStatusExtending = "EXTENDING";
inline constexpr std::string_view kStatusConnectorDeleting = "CONNECTOR_DELETING";
inline constexpr std::string_view kStatusCreating = "CREATING";
inline constexpr std::string_view kStatusCreateFailed = "CREATEFAILED";
inline constexpr std::string_view kStatusDeleting = "DELETING";
inline constexpr std::string_view kStatusError = "ERROR";
inline constexpr std::string_view kStatusRestarting = "RESTARTING";

// Domain error reasons (common::ReasonOf) the dialects map to cloud codes.
inline constexpr std::string_view kReasonInstanceNotFound = "INSTANCE_NOT_FOUND";
inline constexpr std::string_view kReasonInvalidInstanceId = "INVALID_INSTANCE_ID";
inline constexpr std::string_view kReasonInstanceBusy = "INSTANCE_BUSY";
inline constexpr std::string_view kReasonConnectorAlreadyEnabled = "CONNECTOR_ALREADY_ENABLED";
inline constexpr std::string_view kReasonConnectorNotEnabled = "CONNECTOR_NOT_ENABLED";
inline constexpr std::string_view kReasonInvalidNodeCount = "INVALID_NODE_CNT";
inline constexpr std::string_view kReasonInvalidSpecification = "INVALID_SPECIFICATION";
inline constexpr std::string_view kReasonInvalidSpecCode = "INVALID_SPEC_CODE";
inline constexpr std::string_view kReasonTaskNotFound = "TASK_NOT_FOUND";
inline constexpr std::string_view kReasonTaskRunning = "TASK_RUNNING";
inline constexpr std::string_view kReasonInvalidInstanceField = "INVALID_INSTANCE_FIELD";
inline constexpr std::string_view kReasonInvalidProductId = "INVALID_PRODUCT_ID";
inline constexpr std::string_view kReasonInstanceNameTaken = "INSTANCE_NAME_TAKEN";
inline constexpr std::string_view kReasonOffsetPastEnd = "OFFSET_PAST_END";

inline constexpr int32_t kMinConnectorNodes = 2;
inline constexpr int32_t kMaxConnectorNodes = 16;
inline constexpr int32_t kDefaultConnectorNodes = 2;

struct EnableSmartConnectRequest {
  std::optional<std::string> specification;  // 100MB | 300MB | 600MB | 1200MB
  std::optional<int64_t> node_cnt;           // [2, 16], default 2
  std::optional<std::string> spec_code;      // e.g. connector.4u8g.cluster
};

// CreateInstanceByEngine / CreatePostPaidKafkaInstance body, already type-checked
// by the dialect. Absent required fields are std::nullopt; the service reports them.
struct CreateInstanceRequest {
  std::optional<std::string> name;            // 4-64: letter first, then [A-Za-z0-9_-]
  std::optional<std::string> engine;          // "kafka"
  std::optional<std::string> engine_version;  // 1.1.0 | 2.3.0 | 2.7 | 3.x
  std::optional<int64_t> broker_num;          // 1-50; optional for legacy products
  std::optional<int64_t> storage_space;       // GB, 100-300000
  std::optional<std::string> vpc_id;          // UUIDs
  std::optional<std::string> security_group_id;
  std::optional<std::string> subnet_id;
  std::optional<std::vector<std::string>> available_zones;  // 1-5 non-empty ids
  std::optional<std::string> product_id;                    // flavor, e.g. c6.2u4g.cluster
  std::optional<std::string> storage_spec_code;             // dms.physical.storage.*
  bool connector_enable = false;                            // create with Smart Connect on
  // Optional fields returned as given by ShowInstance (description, maintain_begin, ...).
  std::string extra_attributes_json = "{}";
};

// UpdateInstance body (golangsdk / gophertelekomcloud UpdateOpts): every member
// optional; an absent one stays as it is.
struct UpdateInstanceRequest {
  std::optional<std::string> name;
  std::optional<std::string> description;     // up to 1024 characters, "" clears it
  std::optional<std::string> maintain_begin;  // HH:mm:ss (or HH:mm)
  std::optional<std::string> maintain_end;
  std::optional<std::string> security_group_id;  // UUID
  std::optional<std::string> retention_policy;   // produce_reject | time_base
  std::optional<std::string> enterprise_project_id;
};

// ResizeEngineInstance / ExtendInstance body (golangsdk ResizeInstanceOpts,
// gophertelekomcloud IncreaseSpecOpts).
struct ResizeInstanceRequest {
  std::optional<std::string> oper_type;  // storage | horizontal | vertical
  std::optional<int64_t> new_storage_space;
  std::optional<int64_t> new_broker_num;
  std::optional<std::string> new_product_id;
  std::vector<std::string> tenant_ips;  // at most the number of new brokers
};

// One listener of UpdateInstanceCrossVpcIp's answer.
struct CrossVpcListenerResult {
  std::string listener_ip;
  std::string advertised_ip;
  bool success = true;
};

// BatchRestartOrDeleteInstances: what to do with which instances.
struct BatchInstanceActionRequest {
  std::string action;                       // restart | delete
  std::vector<std::string> instance_ids;    // at most 50
  std::optional<std::string> all_failure;   // "kafka": every CREATEFAILED instance
};
struct BatchInstanceResult {
  std::string instance_id;
  bool success = false;
};

struct EnableSmartConnectResult {
  std::string job_id;
  std::string connector_id;
};

// How far a background task has come (ShowBackgroundTaskProgress), emulated
// from its job: two steps, "pre_check" (done when the job is accepted) and the
// job itself; a timed job advances with the clock towards its due time, a
// read-gated one shows 0 % and no remaining time until it finishes.
struct TaskProgressStep {
  std::string name;
  std::string_view status;  // kStep*
  int64_t start_ms = 0;
  std::optional<int64_t> end_ms;  // unset while not finished
};
struct TaskProgress {
  int32_t percentage = 0;         // 0-100
  int64_t remaining_seconds = 0;  // 0 once finished, or when unknown (read-gated)
  std::vector<TaskProgressStep> steps;
};

// Progress step statuses (DMS's strings).
inline constexpr std::string_view kStepCompleted = "COMPLETED";
inline constexpr std::string_view kStepInProgress = "IN_PROGRESS";
inline constexpr std::string_view kStepFailed = "FAILED";

class KafkaService {
 public:
  // Jobs go through `jobs`; everything must outlive the service. `catalog`:
  // the AZs and flavors create accepts.
  KafkaService(store::Store& store, const common::Clock& clock, JobQueue& jobs,
               const KafkaCatalog& catalog = KafkaCatalog::Default());

  const KafkaCatalog& Catalog() const { return catalog_; }

  // Errors: InvalidArgument INVALID_INSTANCE_ID, NotFound INSTANCE_NOT_FOUND
  // (also for another tenant's instance: existence never leaks), store errors.
  absl::StatusOr<store::KafkaInstance> GetInstance(const Caller& caller,
                                                   std::string_view instance_id);

  // Errors: InvalidArgument OFFSET_PAST_END (offset > 0 and not below the
  // total), store errors.
  absl::StatusOr<store::Page<store::KafkaInstance>> ListInstances(
      const Caller& caller, const store::KafkaInstanceFilter& filter,
      const store::PageRequest& page);

  // Starts enabling Smart Connect. Errors: InvalidArgument (INVALID_NODE_CNT,
  // INVALID_SPECIFICATION, INVALID_SPEC_CODE, INVALID_INSTANCE_ID), NotFound
  // INSTANCE_NOT_FOUND, FailedPrecondition INSTANCE_BUSY (not RUNNING) or
  // CONNECTOR_ALREADY_ENABLED. On error nothing is written.
  absl::StatusOr<EnableSmartConnectResult> EnableSmartConnect(
      const Caller& caller, std::string_view instance_id, const EnableSmartConnectRequest& request);

  // Starts disabling Smart Connect; returns the job id. Errors as above, with
  // CONNECTOR_NOT_ENABLED instead of already-enabled.
  absl::StatusOr<std::string> DisableSmartConnect(const Caller& caller,
                                                  std::string_view instance_id);

  // Starts creating a pay-per-use instance: row in CREATING plus a job that
  // makes it RUNNING. Returns the new instance id. The flavor (catalog) bounds
  // broker_num, storage_space and storage_spec_code; a legacy (dot-less)
  // product needs no broker_num (its fixed count); available_zones take AZ ids or codes and
  // are stored as ids. Errors: InvalidArgument INVALID_INSTANCE_FIELD
  // (missing or out-of-range field, unknown or sold-out AZ, 2 AZs; the
  // message names it), INVALID_PRODUCT_ID (not a Kafka flavor's product id), FailedPrecondition
  // INSTANCE_NAME_TAKEN (the project has an instance of that name). On error
  // nothing is written.
  absl::StatusOr<std::string> CreateInstance(const Caller& caller,
                                             const CreateInstanceRequest& request);

  // Starts deleting an instance (RUNNING, ERROR or CREATEFAILED) -> DELETING; the
  // job removes it with its Smart Connect tasks. Errors: as GetInstance, plus
  // FailedPrecondition INSTANCE_BUSY in any other status (e.g. a Smart Connect
  // job is running: EXTENDING / CONNECTOR_DELETING).
  absl::Status DeleteInstance(const Caller& caller, std::string_view instance_id);

  // Changes name, description, maintenance window, security group, retention
  // policy or enterprise project at once (no job), in RUNNING only
  // (kafka_instance_update.cc). Errors: as GetInstance, InvalidArgument
  // INVALID_INSTANCE_FIELD (the message names the member), FailedPrecondition
  // INSTANCE_NAME_TAKEN, INSTANCE_BUSY; nothing is written on error.
  absl::Status UpdateInstance(const Caller& caller, std::string_view instance_id,
                              const UpdateInstanceRequest& request);

  // Starts a resize (kafka_instance_update.cc): RUNNING -> EXTENDING, the job
  // applies it and goes back to RUNNING (failed: RUNNING, unchanged).
  //   storage:    new_storage_space > current, at least 100 GB more per broker
  //   horizontal: new_broker_num > current, within the flavor; storage grows
  //               with it (new_storage_space, when given, must be that)
  //   vertical:   new_product_id, a bigger flavor of the same type
  // Returns the job id. Errors: as GetInstance, InvalidArgument
  // INVALID_INSTANCE_FIELD (names the member), INVALID_PRODUCT_ID,
  // FailedPrecondition INSTANCE_BUSY; nothing is written on error.
  absl::StatusOr<std::string> ResizeInstance(const Caller& caller, std::string_view instance_id,
                                             const ResizeInstanceRequest& request);

  // Sets the advertised address of cross-VPC listeners (listener IP ->
  // advertised IP or domain name), at once, in RUNNING only; the other
  // listeners keep theirs. Returns one result per given listener, by
  // listener IP. Errors: as GetInstance, InvalidArgument
  // INVALID_INSTANCE_FIELD (empty map, a listener the instance does not have,
  // an empty or over-long address), FailedPrecondition INSTANCE_BUSY.
  absl::StatusOr<std::vector<CrossVpcListenerResult>> ModifyCrossVpc(
      const Caller& caller, std::string_view instance_id,
      const std::vector<std::pair<std::string, std::string>>& advertised_ips);

  // Restarts or deletes instances one by one (kafka_instance_update.cc):
  // restart RUNNING -> RESTARTING -> (job) RUNNING, delete as DeleteInstance.
  // One result per listed instance; an instance that cannot be restarted or
  // deleted (busy, unknown, another tenant's) is a failed result, not an
  // error. With all_failure "kafka" (delete only) every CREATEFAILED instance
  // of the project is deleted. Errors: InvalidArgument INVALID_INSTANCE_FIELD
  // (action not restart/delete, no instances, all_failure not "kafka" or with
  // restart), store errors.
  absl::StatusOr<std::vector<BatchInstanceResult>> BatchInstanceAction(
      const Caller& caller, const BatchInstanceActionRequest& request);

  // Jobs ("background tasks") of one instance, newest first. Errors: as GetInstance.
  absl::StatusOr<store::Page<store::Job>> ListTasks(const Caller& caller,
                                                    std::string_view instance_id,
                                                    const store::JobFilter& filter,
                                                    const store::PageRequest& page);
  // Errors: as GetInstance, plus NotFound TASK_NOT_FOUND.
  absl::StatusOr<store::Job> GetTask(const Caller& caller, std::string_view instance_id,
                                     std::string_view task_id);
  // Errors: as GetTask. Counts as a read of the instance, like GetTask.
  absl::StatusOr<TaskProgress> GetTaskProgress(const Caller& caller, std::string_view instance_id,
                                               std::string_view task_id);
  // Removes a finished background task from the instance's list (the job row;
  // its audit entries stay, and one records the removal). Errors: as GetTask,
  // plus FailedPrecondition TASK_RUNNING while the job has not finished.
  absl::Status DeleteTask(const Caller& caller, std::string_view instance_id,
                          std::string_view task_id);

  // True when `id` has the canonical 8-4-4-4-12 hex UUID shape DMS requires.
  static bool IsWellFormedId(std::string_view id);

 private:
  // The job a transition asks for, given the instance as loaded.
  using PlanFn = absl::FunctionRef<absl::StatusOr<JobRequest>(const store::KafkaInstance&)>;
  // Moves the caller's instance from one of `from_statuses` to `to_status` and
  // queues the job `plan` returns, in one write transaction (audit entry
  // `operation`, compare-and-swap on the version). Returns the job id. Errors:
  // as GetInstance, FailedPrecondition INSTANCE_BUSY in another status, those
  // of `plan`; nothing is written on error.
  absl::StatusOr<std::string> StartTransition(const Caller& caller, std::string_view instance_id,
                                              std::string_view operation,
                                              std::initializer_list<std::string_view> from_statuses,
                                              std::string_view to_status, PlanFn plan);

  store::Store& store_;
  const common::Clock& clock_;
  JobQueue& jobs_;
  const KafkaCatalog& catalog_;
};

}  // namespace connectplane::service
