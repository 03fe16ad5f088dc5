// Smart Connect tasks of a Kafka instance: Kafka-to-Kafka replication
// (KAFKA_REPLICATOR_SOURCE) and dumps to object storage (OBS_SINK).
//
//   create --> CREATING --job--> RUNNING (or WAITING with start_later; job failed: FAILED)
//   pause   RUNNING --job--> PAUSED          (status stays RUNNING until the job is done)
//   resume  PAUSED  --job--> RUNNING         (status stays PAUSED until the job is done)
//   restart RUNNING/PAUSED/FAILED -> RESTARTING --job--> RUNNING; WAITING --job--> RUNNING
//   delete  any status: the row is removed at once (a pending job then does nothing)
//
// The intermediate statuses are the ones the Terraform provider waits through.
// While an operation job is in flight (`pending_job_id`) further operations are
// refused as busy. Mutations need the instance RUNNING with Smart Connect
// enabled; disabling Smart Connect (or deleting the instance) removes the tasks
// in the job that completes it. Every mutation writes the task change and its
// job row in one transaction. Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "service/job_queue.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Task statuses (DMS's strings).
inline constexpr std::string_view kTaskCreating = "CREATING";
inline constexpr std::string_view kTaskRunning = "RUNNING";
inline constexpr std::string_view kTaskWaiting = "WAITING";
inline constexpr std::string_view kTaskPaused = "PAUSED";
inline constexpr std::string_view kTaskRestarting = "RESTARTING";
inline constexpr std::string_view kTaskFailed = "FAILED";

// Domain error reasons.
inline constexpr std::string_view kReasonConnectorTaskNotFound = "CONNECTOR_TASK_NOT_FOUND";
inline constexpr std::string_view kReasonInvalidTaskConfig = "INVALID_TASK_CONFIG";
inline constexpr std::string_view kReasonTaskNameTaken = "TASK_NAME_TAKEN";
inline constexpr std::string_view kReasonTaskQuotaReached = "TASK_QUOTA_REACHED";
inline constexpr std::string_view kReasonTaskBusy = "TASK_BUSY";
inline constexpr std::string_view kReasonTaskStatusConflict = "TASK_STATUS_CONFLICT";
inline constexpr std::string_view kReasonPeerUnreachable = "PEER_UNREACHABLE";
inline constexpr std::string_view kReasonConnectorNotFound = "CONNECTOR_NOT_FOUND";

// Tasks per instance (ListConnectorTasks reports it as max_tasks / quota_tasks).
inline constexpr int64_t kMaxConnectorTasks = 18;

// The members that define a task, as create and modify carry them after the
// dialect's JSON type checks of the top level. The nested source_task /
// sink_task objects are checked here member by member (the same reader rules
// as request bodies) and stored as the API shows them, secrets removed.
struct ConnectorTaskDefinition {
  std::optional<std::string> task_name;
  std::optional<std::string> topics;  // comma-separated
  std::optional<std::string> topics_regex;
  std::optional<std::string> source_type;          // KAFKA_REPLICATOR_SOURCE | NONE
  std::optional<std::string> sink_type;            // OBS_SINK | NONE
  std::optional<boost::json::object> source_task;  // a KAFKA_REPLICATOR_SOURCE config
  std::optional<boost::json::object> sink_task;    // an OBS_SINK config
};

// CreateSmartConnectTaskReq.
struct CreateConnectorTaskRequest : ConnectorTaskDefinition {
  bool start_later = false;
};

// ModifyConnectorTask (body: SmartConnectTaskEntity, every member optional).
// task_name, topics / topics_regex and the members of source_task / sink_task
// may change; id, status, create_time, source_type and sink_type are the
// task's own and are accepted only unchanged (a client may send back what it
// read).
struct ModifyConnectorTaskRequest : ConnectorTaskDefinition {
  std::optional<std::string> id;
  std::optional<std::string> status;
  std::optional<int64_t> create_time;
};

// ValidateConnectorConnectivity (body: SmartConnectValidateEntity). `task` is
// a replication source's peer (the SDK models type it
// SmartConnectTaskRespSourceConfig); absent `type` means
// KAFKA_REPLICATOR_SOURCE, the only type `task` describes.
struct ValidateConnectivityRequest {
  std::optional<std::string> type;  // KAFKA_REPLICATOR_SOURCE | OBS_SINK
  std::optional<boost::json::object> task;
};

class ConnectorTaskService {
 public:
  // Jobs go through `jobs`; both must outlive the service.
  ConnectorTaskService(store::Store& store, const common::Clock& clock, JobQueue& jobs);

  // Errors: InvalidArgument INVALID_TASK_CONFIG (message names the member),
  // INVALID_INSTANCE_ID; NotFound INSTANCE_NOT_FOUND; FailedPrecondition
  // INSTANCE_BUSY (instance not RUNNING), CONNECTOR_NOT_ENABLED, TASK_NAME_TAKEN,
  // TASK_QUOTA_REACHED. On error nothing is written.
  absl::StatusOr<store::ConnectorTask> CreateTask(const Caller& caller,
                                                  std::string_view instance_id,
                                                  const CreateConnectorTaskRequest& request);

  // Tasks of the instance, oldest first. Errors: as KafkaService::GetInstance.
  absl::StatusOr<store::Page<store::ConnectorTask>> ListTasks(const Caller& caller,
                                                              std::string_view instance_id,
                                                              const store::PageRequest& page);
  // Errors: as KafkaService::GetInstance, plus NotFound CONNECTOR_TASK_NOT_FOUND (also for
  // another instance's or tenant's task).
  absl::StatusOr<store::ConnectorTask> GetTask(const Caller& caller, std::string_view instance_id,
                                               std::string_view task_id);
  // Changes the task's definition at once (no job: nothing is slow to
  // change in an emulator) and returns it. Errors: as GetTask, plus
  // InvalidArgument INVALID_TASK_CONFIG (same rules as CreateTask; a read-only
  // member changed), FailedPrecondition INSTANCE_BUSY, TASK_BUSY (an operation
  // is in flight), TASK_NAME_TAKEN. On error nothing is written.
  absl::StatusOr<store::ConnectorTask> ModifyTask(const Caller& caller,
                                                  std::string_view instance_id,
                                                  std::string_view task_id,
                                                  const ModifyConnectorTaskRequest& request);

  // Checks that a replication peer is reachable, as far as an emulator can:
  // the definition is well formed (CreateTask's rules for the peer members),
  // and a peer named by instance_id is a RUNNING instance of the caller's
  // project. OBS has no emulated endpoint: an OBS_SINK check passes once the
  // members are well formed. Writes nothing. Errors: as ListTasks, plus
  // InvalidArgument INVALID_TASK_CONFIG, FailedPrecondition PEER_UNREACHABLE.
  absl::Status ValidateConnectivity(const Caller& caller, std::string_view instance_id,
                                    const ValidateConnectivityRequest& request);

  // Removes the task at once. Errors: as GetTask.
  absl::Status DeleteTask(const Caller& caller, std::string_view instance_id,
                          std::string_view task_id);

  // Errors: as GetTask, plus FailedPrecondition INSTANCE_BUSY,
  // CONNECTOR_NOT_ENABLED, TASK_BUSY (an operation is in flight) or
  // TASK_STATUS_CONFLICT (pause needs RUNNING, resume PAUSED, restart anything
  // but CREATING/RESTARTING).
  absl::Status PauseTask(const Caller& caller, std::string_view instance_id,
                         std::string_view task_id);
  absl::Status ResumeTask(const Caller& caller, std::string_view instance_id,
                          std::string_view task_id);
  // The API has two restart operations that do the same
  // (RestartConnectorTask, RestartSmartConnectorTask): `operation` names the
  // one called, for the audit trail and the job log.
  absl::Status RestartTask(const Caller& caller, std::string_view instance_id,
                           std::string_view task_id,
                           std::string_view operation = "RestartConnectorTask");

  // ---- The legacy dump-task API (connector_sink_tasks.cc) ----
  // CreateSinkTask, ListSinkTasks, ShowSinkTaskDetail and DeleteSinkTask
  // (/v2/{project_id}/connectors/{connector_id}/sink-tasks...) name the
  // instance by the connector id CreateConnector answered, and see only its
  // OBS_SINK tasks, the one kind that API describes. They are the same tasks
  // as above: created, polled and removed by the same rules and jobs.
  // Errors, besides the ones of the call each maps onto: NotFound
  // CONNECTOR_NOT_FOUND (unknown connector id, another project's, or Smart
  // Connect disabled since), CONNECTOR_TASK_NOT_FOUND also for a task that is
  // not an OBS_SINK task; InvalidArgument INVALID_TASK_CONFIG when `request`
  // is not an OBS_SINK task.
  absl::StatusOr<store::ConnectorTask> CreateSinkTask(const Caller& caller,
                                                      std::string_view connector_id,
                                                      const CreateConnectorTaskRequest& request);
  // Every OBS_SINK task of the connector's instance, oldest first (an
  // instance has at most kMaxConnectorTasks tasks: no paging).
  absl::StatusOr<std::vector<store::ConnectorTask>> ListSinkTasks(const Caller& caller,
                                                                  std::string_view connector_id);
  absl::StatusOr<store::ConnectorTask> GetSinkTask(const Caller& caller,
                                                   std::string_view connector_id,
                                                   std::string_view task_id);
  absl::Status DeleteSinkTask(const Caller& caller, std::string_view connector_id,
                              std::string_view task_id);

 private:
  struct TaskAction;  // what pause, resume and restart each do (see the .cc)
  absl::Status StartAction(const Caller& caller, std::string_view instance_id,
                           std::string_view task_id, const TaskAction& action);
  // The id of the caller's instance whose connector this is. Errors: NotFound
  // CONNECTOR_NOT_FOUND.
  absl::StatusOr<std::string> InstanceOfConnector(const Caller& caller,
                                                  std::string_view connector_id);

  store::Store& store_;
  const common::Clock& clock_;
  JobQueue& jobs_;
};

}  // namespace connectplane::service
