#include "service/connector_task_service.h"

#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/kafka_service.h"
#include "service/read_gate.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include "spdlog/spdlog.h"
#include <array>
#include <utility>

namespace connectplane::service {
namespace {

constexpr std::string_view kReplicatorSource = "KAFKA_REPLICATOR_SOURCE";
constexpr std::string_view kObsSink = "OBS_SINK";
constexpr std::string_view kNone = "NONE";
constexpr size_t kMaxStringField = 1024;

absl::Status Invalid(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidTaskConfig, message);
}

bool OneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view candidate : allowed) {
    if (value == candidate) return true;
  }
  return false;
}

// DMS task names: 4-64 characters, a letter first, then letters, digits,
// hyphens and underscores.
bool IsValidTaskName(std::string_view name) {
  if (name.size() < 4 || name.size() > 64 || !absl::ascii_isalpha(name.front())) {
    return false;
  }
  for (char c : name) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_')) return false;
  }
  return true;
}

// Comma-separated topic names: each 1-249 characters of [A-Za-z0-9._-].
bool IsValidTopicList(std::string_view topics) {
  if (topics.empty() || topics.size() > 4096) return false;
  for (std::string_view topic : common::Split(topics, ',')) {
    if (topic.empty() || topic.size() > 249) return false;
    for (char c : topic) {
      if (!(absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-')) return false;
    }
  }
  return true;
}

// Reads the typed fields of one nested config object. Unknown keys, wrong
// types and over-long strings are refused with the field's path.
class ConfigReader {
 public:
  ConfigReader(const boost::json::object& object, std::string_view prefix)
      : object_(object), prefix_(prefix) {}

  absl::Status CheckKeys(std::initializer_list<std::string_view> known) const {
    for (const auto& entry : object_) {
      std::string_view key(entry.key().data(), entry.key().size());
      if (!OneOf(key, known)) {
        return Invalid(common::StrCat("Invalid request parameter: unknown field '", prefix_, ".",
                                      common::QuoteUntrusted(key), "'."));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<std::string>> String(std::string_view key) const {
    absl::StatusOr<std::optional<std::string>> value = common::GetOptionalString(object_, key);
    if (!value.ok()) return Invalid(common::StrCat(prefix_, ".", key, " must be a string."));
    if (*value && value->value().size() > kMaxStringField) {
      return Invalid(common::StrCat(prefix_, ".", key, " is too long."));
    }
    if (*value && value->value().empty()) return std::optional<std::string>();
    return value;
  }

  absl::StatusOr<std::string> RequiredString(std::string_view key) const {
    ASSIGN_OR_RETURN(std::optional<std::string> value, String(key));
    if (!value) return Invalid(common::StrCat(prefix_, ".", key, " is required."));
    return std::move(*value);
  }

  absl::StatusOr<std::optional<std::string>> Enum(
      std::string_view key, std::initializer_list<std::string_view> allowed) const {
    ASSIGN_OR_RETURN(std::optional<std::string> value, String(key));
    if (value && !OneOf(*value, allowed)) {
      return Invalid(common::StrCat(prefix_, ".", key, " has an unsupported value."));
    }
    return value;
  }

  absl::StatusOr<std::optional<int64_t>> Int(std::string_view key, int64_t min, int64_t max) const {
    absl::StatusOr<std::optional<int64_t>> value = common::GetOptionalInt(object_, key);
    if (!value.ok()) return Invalid(common::StrCat(prefix_, ".", key, " must be an integer."));
    if (*value && (**value < min || **value > max)) {
      return Invalid(
          common::StrCat(prefix_, ".", key, " must be between ", min, " and ", max, "."));
    }
    return value;
  }

  absl::Status Bool(std::string_view key) const {
    absl::StatusOr<std::optional<bool>> value = common::GetOptionalBool(object_, key);
    if (!value.ok()) return Invalid(common::StrCat(prefix_, ".", key, " must be a boolean."));
    return absl::OkStatus();
  }

 private:
  const boost::json::object& object_;
  std::string_view prefix_;
};

// Checks a KAFKA_REPLICATOR_SOURCE config and returns what the API shows of it
// (the password is never stored).
absl::StatusOr<boost::json::object> CheckReplicatorSource(const boost::json::object& config) {
  ConfigReader reader(config, "source_task");
  RETURN_IF_ERROR(reader.CheckKeys(
      {"current_cluster_name", "cluster_name", "user_name", "password", "sasl_mechanism",
       "instance_id", "bootstrap_servers", "security_protocol", "direction",
       "sync_consumer_offsets_enabled", "replication_factor", "task_num", "rename_topic_enabled",
       "provenance_header_enabled", "consumer_strategy", "compression_type", "topics_mapping"}));
  ASSIGN_OR_RETURN(std::string current_cluster, reader.RequiredString("current_cluster_name"));
  ASSIGN_OR_RETURN(std::string peer_cluster, reader.RequiredString("cluster_name"));
  if (current_cluster.size() > 64 || peer_cluster.size() > 64) {
    return Invalid("source_task cluster names must be at most 64 characters.");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> direction,
                   reader.Enum("direction", {"pull", "push", "two-way"}));
  if (!direction) return Invalid("source_task.direction is required.");
  ASSIGN_OR_RETURN(std::optional<std::string> peer_instance, reader.String("instance_id"));
  ASSIGN_OR_RETURN(std::optional<std::string> bootstrap, reader.String("bootstrap_servers"));
  if (!peer_instance && !bootstrap) {
    return Invalid("source_task needs instance_id or bootstrap_servers of the peer cluster.");
  }
  if (peer_instance && !KafkaService::IsWellFormedId(*peer_instance)) {
    return Invalid("source_task.instance_id must be a UUID.");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> protocol,
                   reader.Enum("security_protocol", {"PLAINTEXT", "SASL_SSL", "SASL_PLAINTEXT"}));
  ASSIGN_OR_RETURN(std::optional<std::string> user_name, reader.String("user_name"));
  ASSIGN_OR_RETURN(std::optional<std::string> password, reader.String("password"));
  if (protocol && *protocol != "PLAINTEXT" && (!user_name || !password)) {
    return Invalid("source_task.user_name and password are required with SASL.");
  }
  RETURN_IF_ERROR(reader.Enum("sasl_mechanism", {"PLAIN", "SCRAM-SHA-512"}).status());
  RETURN_IF_ERROR(reader.Enum("consumer_strategy", {"latest", "earliest"}).status());
  RETURN_IF_ERROR(
      reader.Enum("compression_type", {"none", "gzip", "snappy", "lz4", "zstd"}).status());
  RETURN_IF_ERROR(reader.String("topics_mapping").status());
  RETURN_IF_ERROR(reader.Int("replication_factor", 1, 3).status());
  RETURN_IF_ERROR(reader.Int("task_num", 1, 32).status());
  RETURN_IF_ERROR(reader.Bool("sync_consumer_offsets_enabled"));
  RETURN_IF_ERROR(reader.Bool("rename_topic_enabled"));
  RETURN_IF_ERROR(reader.Bool("provenance_header_enabled"));
  boost::json::object shown = config;
  shown.erase("password");
  return shown;
}

// Checks an OBS_SINK config and returns what the API shows of it (access key,
// secret key and agency are never stored).
absl::StatusOr<boost::json::object> CheckObsSink(const boost::json::object& config) {
  ConfigReader reader(config, "sink_task");
  RETURN_IF_ERROR(
      reader.CheckKeys({"consumer_strategy", "destination_file_type", "deliver_time_interval",
                        "access_key", "secret_key", "agency_name", "obs_bucket_name", "obs_path",
                        "partition_format", "record_delimiter", "store_keys"}));
  ASSIGN_OR_RETURN(std::optional<std::string> strategy,
                   reader.Enum("consumer_strategy", {"latest", "earliest"}));
  if (!strategy) return Invalid("sink_task.consumer_strategy is required.");
  ASSIGN_OR_RETURN(std::optional<std::string> file_type,
                   reader.Enum("destination_file_type", {"TEXT"}));
  if (!file_type) return Invalid("sink_task.destination_file_type is required.");
  ASSIGN_OR_RETURN(std::optional<int64_t> interval, reader.Int("deliver_time_interval", 30, 900));
  if (!interval) return Invalid("sink_task.deliver_time_interval is required.");
  ASSIGN_OR_RETURN(std::optional<std::string> agency, reader.String("agency_name"));
  ASSIGN_OR_RETURN(std::optional<std::string> access_key, reader.String("access_key"));
  ASSIGN_OR_RETURN(std::optional<std::string> secret_key, reader.String("secret_key"));
  if (!agency && (!access_key || !secret_key)) {
    return Invalid("sink_task.access_key and secret_key (or agency_name) are required.");
  }
  ASSIGN_OR_RETURN(std::string bucket, reader.RequiredString("obs_bucket_name"));
  if (bucket.size() < 3 || bucket.size() > 63) {
    return Invalid("sink_task.obs_bucket_name must be 3-63 characters.");
  }
  RETURN_IF_ERROR(reader.String("obs_path").status());
  RETURN_IF_ERROR(reader
                      .Enum("partition_format",
                            {"yyyy", "yyyy/MM", "yyyy/MM/dd", "yyyy/MM/dd/HH", "yyyy/MM/dd/HH/mm"})
                      .status());
  ASSIGN_OR_RETURN(std::optional<std::string> delimiter, reader.String("record_delimiter"));
  if (delimiter && delimiter->size() > 10) {
    return Invalid("sink_task.record_delimiter must be at most 10 characters.");
  }
  RETURN_IF_ERROR(reader.Bool("store_keys"));
  boost::json::object shown = config;
  shown.erase("access_key");
  shown.erase("secret_key");
  shown.erase("agency_name");
  return shown;
}

// Validates the request and builds the stored config (what Show returns).
absl::StatusOr<boost::json::object> BuildConfig(const CreateConnectorTaskRequest& request) {
  if (!request.task_name) return Invalid("task_name is required.");
  if (!IsValidTaskName(*request.task_name)) {
    return Invalid(
        "task_name must be 4-64 characters: a letter first, then letters, digits, '-' or '_'.");
  }
  std::string source_type = request.source_type.value_or(std::string(kNone));
  std::string sink_type = request.sink_type.value_or(std::string(kNone));
  if (!OneOf(source_type, {kReplicatorSource, kNone})) {
    return Invalid("source_type must be KAFKA_REPLICATOR_SOURCE or NONE.");
  }
  if (!OneOf(sink_type, {kObsSink, kNone})) {
    return Invalid("sink_type must be OBS_SINK or NONE.");
  }
  if ((source_type == kNone) == (sink_type == kNone)) {
    return Invalid("Exactly one of source_type and sink_type must be set (the other NONE).");
  }
  if (request.topics && request.topics_regex) {
    return Invalid("Set topics or topics_regex, not both.");
  }
  if (!request.topics && !request.topics_regex) {
    return Invalid("topics or topics_regex is required.");
  }
  if (request.topics && !IsValidTopicList(*request.topics)) {
    return Invalid("topics must be a comma-separated list of topic names.");
  }
  if (request.topics_regex &&
      (request.topics_regex->empty() || request.topics_regex->size() > kMaxStringField)) {
    return Invalid("topics_regex must be 1-1024 characters.");
  }
  boost::json::object config;
  config["topics"] = request.topics.value_or("");
  config["topics_regex"] = request.topics_regex.value_or("");
  config["source_type"] = source_type;
  config["sink_type"] = sink_type;
  config["source_task"] = boost::json::object();
  config["sink_task"] = boost::json::object();
  if (source_type == kReplicatorSource) {
    if (!request.source_task) return Invalid("source_task is required.");
    ASSIGN_OR_RETURN(config["source_task"], CheckReplicatorSource(*request.source_task));
  } else if (request.source_task && !request.source_task->empty()) {
    return Invalid("source_task is only allowed with source_type KAFKA_REPLICATOR_SOURCE.");
  }
  if (sink_type == kObsSink) {
    if (!request.sink_task) return Invalid("sink_task is required.");
    ASSIGN_OR_RETURN(config["sink_task"], CheckObsSink(*request.sink_task));
  } else if (request.sink_task && !request.sink_task->empty()) {
    return Invalid("sink_task is only allowed with sink_type OBS_SINK.");
  }
  return config;
}

absl::Status TaskNotFound() {
  return common::NotFound(kReasonConnectorTaskNotFound, "The Smart Connect task does not exist.");
}

// Loads the caller's instance (errors as KafkaService::GetInstance).
absl::StatusOr<store::KafkaInstance> LoadInstance(store::StoreTransaction& txn,
                                                  const Caller& caller,
                                                  std::string_view instance_id) {
  if (!KafkaService::IsWellFormedId(instance_id)) {
    return common::InvalidArgument(kReasonInvalidInstanceId,
                                   "Invalid DMS instance id. The id must be a uuid.");
  }
  ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> found,
                   txn.GetKafkaInstance(caller.tenant_id, instance_id));
  if (!found) {
    return common::NotFound(kReasonInstanceNotFound, "This instance does not exist.");
  }
  return std::move(*found);
}

// Mutations need the instance RUNNING with Smart Connect enabled.
absl::Status CheckConnectorReady(const store::KafkaInstance& instance) {
  if (instance.status != kStatusRunning) {
    return common::FailedPrecondition(
        kReasonInstanceBusy, common::StrCat("instance ", instance.instance_id, " is ",
                                            instance.status, "; the operation needs it RUNNING"));
  }
  if (!instance.connector_enabled) {
    return common::FailedPrecondition(kReasonConnectorNotEnabled,
                                      "Smart Connect is not enabled for this instance.");
  }
  return absl::OkStatus();
}

}  // namespace

ConnectorTaskService::ConnectorTaskService(store::Store& store, const common::Clock& clock,
                                           const JobTimings& timings,
                                           std::function<void()> on_job_enqueued)
    : store_(store),
      clock_(clock),
      timings_(timings),
      on_job_enqueued_(std::move(on_job_enqueued)) {}

absl::Status ConnectorTaskService::CountRead(const Caller& caller, std::string_view resource_id) {
  return CountResourceRead(store_, timings_, clock_.Now(), caller.tenant_id, resource_id,
                           on_job_enqueued_);
}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::CreateTask(
    const Caller& caller, std::string_view instance_id, const CreateConnectorTaskRequest& request) {
  ASSIGN_OR_RETURN(boost::json::object config, BuildConfig(request));
  const absl::Time now = clock_.Now();
  const int64_t now_ms = common::ToUnixMillis(now);
  store::ConnectorTask task;
  task.project_id = caller.tenant_id;
  task.instance_id = std::string(instance_id);
  task.task_id = common::NewUuid();
  task.task_name = *request.task_name;
  task.status = std::string(kTaskCreating);
  task.config_json = common::ToJson(config);
  task.pending_job_id = common::NewUuid();
  task.created_at_ms = now_ms;
  task.updated_at_ms = now_ms;
  std::optional<store::Job> inline_completed;
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance, LoadInstance(txn, caller, instance_id));
    RETURN_IF_ERROR(CheckConnectorReady(instance));
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> same_name,
                     txn.FindConnectorTaskByName(caller.tenant_id, instance_id, task.task_name));
    if (same_name) {
      return common::FailedPrecondition(kReasonTaskNameTaken,
                                        "A Smart Connect task with this name already exists.");
    }
    ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> existing,
                     txn.ListConnectorTasks(caller.tenant_id, instance_id, {0, 1}));
    if (existing.total >= kMaxConnectorTasks) {
      return common::FailedPrecondition(kReasonTaskQuotaReached,
                                        "The quota limit has been reached.");
    }
    RETURN_IF_ERROR(txn.InsertConnectorTask(task));
    const AuditRecorder audit = AuditRecorder::ForCaller(caller, now);
    RETURN_IF_ERROR(audit.Record(txn, kAuditConnectorTask, task.task_id, "CreateConnectorTask", "",
                                 task.status, task.pending_job_id));
    boost::json::object params;
    params["instance_id"] = task.instance_id;
    params["task_name"] = task.task_name;
    params["start_later"] = request.start_later;
    store::Job job =
        NewCallerJob(timings_, now, caller, task.pending_job_id, task.task_id,
                     kJobCreateConnectorTask, "createConnectorTask", common::ToJson(params));
    ASSIGN_OR_RETURN(inline_completed, EnqueueJob(txn, audit, timings_, job, now));
    return absl::OkStatus();
  }));
  spdlog::info("project {} instance {}: connector task {} ({}) accepted", caller.tenant_id,
               instance_id, task.task_id, task.task_name);
  LogJobQueued(caller, task.pending_job_id, kJobCreateConnectorTask, task.task_id,
               "CreateConnectorTask");
  AfterJobCommit(timings_, inline_completed, now, on_job_enqueued_);
  task.version = 0;
  return task;
}

absl::StatusOr<store::Page<store::ConnectorTask>> ConnectorTaskService::ListTasks(
    const Caller& caller, std::string_view instance_id, const store::PageRequest& page) {
  store::Page<store::ConnectorTask> result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id).status());
    ASSIGN_OR_RETURN(result, txn.ListConnectorTasks(caller.tenant_id, instance_id, page));
    return absl::OkStatus();
  }));
  for (const store::ConnectorTask& task : result.items) {
    if (!task.pending_job_id.empty()) {
      RETURN_IF_ERROR(CountRead(caller, task.task_id));
    }
  }
  return result;
}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::GetTask(const Caller& caller,
                                                                   std::string_view instance_id,
                                                                   std::string_view task_id) {
  store::ConnectorTask task;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id).status());
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    if (!found) return TaskNotFound();
    task = std::move(*found);
    return absl::OkStatus();
  }));
  // Counted after the read: the Nth read still sees the operation in progress.
  RETURN_IF_ERROR(CountRead(caller, task_id));
  return task;
}

absl::Status ConnectorTaskService::DeleteTask(const Caller& caller, std::string_view instance_id,
                                              std::string_view task_id) {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadInstance(txn, caller, instance_id).status());
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    if (!found) return TaskNotFound();
    RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, now).Record(
        txn, kAuditConnectorTask, found->task_id, "DeleteConnectorTask", found->status, ""));
    return txn.DeleteConnectorTask(caller.tenant_id, instance_id, task_id);
  }));
  spdlog::info("project {} instance {}: connector task {} deleted", caller.tenant_id, instance_id,
               task_id);
  return absl::OkStatus();
}

absl::Status ConnectorTaskService::PauseTask(const Caller& caller, std::string_view instance_id,
                                             std::string_view task_id) {
  return StartAction(caller, instance_id, task_id, Action::kPause);
}

absl::Status ConnectorTaskService::ResumeTask(const Caller& caller, std::string_view instance_id,
                                              std::string_view task_id) {
  return StartAction(caller, instance_id, task_id, Action::kResume);
}

absl::Status ConnectorTaskService::RestartTask(const Caller& caller, std::string_view instance_id,
                                               std::string_view task_id) {
  return StartAction(caller, instance_id, task_id, Action::kRestart);
}

absl::Status ConnectorTaskService::StartAction(const Caller& caller, std::string_view instance_id,
                                               std::string_view task_id, Action action) {
  const absl::Time now = clock_.Now();
  const int64_t now_ms = common::ToUnixMillis(now);
  const std::string job_id = common::NewUuid();
  std::string queued_type;
  std::string_view queued_operation;
  std::optional<store::Job> inline_completed;
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance, LoadInstance(txn, caller, instance_id));
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    if (!found) return TaskNotFound();
    RETURN_IF_ERROR(CheckConnectorReady(instance));
    store::ConnectorTask task = std::move(*found);
    if (!task.pending_job_id.empty()) {
      return common::FailedPrecondition(
          kReasonTaskBusy, "Another operation on this Smart Connect task is still running.");
    }
    std::string_view job_type;
    std::string_view job_name;
    std::string_view operation;  // the API operation, the audit entry's action
    bool allowed = false;
    switch (action) {
      case Action::kPause:
        allowed = task.status == kTaskRunning;
        job_type = kJobPauseConnectorTask;
        job_name = "pauseConnectorTask";
        operation = "PauseConnectorTask";
        break;
      case Action::kResume:
        allowed = task.status == kTaskPaused;
        job_type = kJobResumeConnectorTask;
        job_name = "resumeConnectorTask";
        operation = "ResumeConnectorTask";
        break;
      case Action::kRestart:
        allowed = task.status == kTaskRunning || task.status == kTaskPaused ||
                  task.status == kTaskWaiting || task.status == kTaskFailed;
        job_type = kJobRestartConnectorTask;
        job_name = "restartConnectorTask";
        operation = "RestartConnectorTask";
        break;
    }
    if (!allowed) {
      return common::FailedPrecondition(
          kReasonTaskStatusConflict,
          common::StrCat("The Smart Connect task is ", task.status,
                         "; this operation is not allowed in that status."));
    }
    boost::json::object params;
    params["instance_id"] = task.instance_id;
    params["from_status"] = task.status;
    const std::string from_status = task.status;
    // Restart shows RESTARTING at once; a WAITING task (never started) stays
    // WAITING until it runs, as the provider's "start" action expects.
    if (action == Action::kRestart && task.status != kTaskWaiting) {
      task.status = std::string(kTaskRestarting);
    }
    // Pause/resume keep the status until the job completes: the request's
    // entry then records who asked (from == to), the job's the change.
    const AuditRecorder audit = AuditRecorder::ForCaller(caller, now);
    RETURN_IF_ERROR(audit.Record(txn, kAuditConnectorTask, task.task_id, operation, from_status,
                                 task.status, job_id));
    task.pending_job_id = job_id;
    task.updated_at_ms = now_ms;
    RETURN_IF_ERROR(txn.UpdateConnectorTask(task));
    store::Job job = NewCallerJob(timings_, now, caller, job_id, task.task_id, job_type,
                                  std::string(job_name), common::ToJson(params));
    queued_type = job.job_type;
    queued_operation = operation;
    ASSIGN_OR_RETURN(inline_completed, EnqueueJob(txn, audit, timings_, job, now));
    return absl::OkStatus();
  }));
  spdlog::info("project {} instance {}: connector task {} operation accepted, job {}",
               caller.tenant_id, instance_id, task_id, job_id);
  LogJobQueued(caller, job_id, queued_type, task_id, queued_operation);
  AfterJobCommit(timings_, inline_completed, now, on_job_enqueued_);
  return absl::OkStatus();
}

}  // namespace connectplane::service
