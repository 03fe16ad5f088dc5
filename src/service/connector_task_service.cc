#include "service/connector_task_service.h"

#include "common/ids.h"
#include "common/json_reader.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/kafka_instances.h"
#include "service/job_timings.h"
#include "service/kafka_service.h"

#include <climits>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <algorithm>
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

namespace connectplane::service {
namespace {

constexpr std::string_view kReplicatorSource = "KAFKA_REPLICATOR_SOURCE";
constexpr std::string_view kObsSink = "OBS_SINK";
// Redis-to-Redis replication through Kafka: OTC's task API (OTC-DMS
// creating_a_smart_connect_task.rst, gophertelekomcloud CreateTask.go). The two
// types come together: the source reads one Redis, the sink writes another.
constexpr std::string_view kRedisSource = "REDIS_REPLICATOR_SOURCE";
constexpr std::string_view kRedisSink = "REDIS_REPLICATOR_SINK";
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

// Task configurations keep the wording of the DMS API that carries them.
absl::Status ConfigError(const common::JsonFieldError& error) {
  switch (error.problem) {
    case common::JsonProblem::kUnknownKey:
      return Invalid(common::StrCat("Invalid request parameter: unknown field '",
                                    common::QuoteUntrusted(error.path), "'."));
    case common::JsonProblem::kMissing:
      return Invalid(common::StrCat(error.path, " is required."));
    case common::JsonProblem::kTooLong:
      return Invalid(common::StrCat(error.path, " is too long."));
    case common::JsonProblem::kNotAllowed:
      return Invalid(common::StrCat(error.path, " has an unsupported value."));
    case common::JsonProblem::kWrongType:
    case common::JsonProblem::kOutOfRange:
      return Invalid(common::StrCat(error.path, " must be ", error.expected, "."));
  }
  return Invalid("Invalid task configuration.");
}

// Strings of a task configuration: "" means not set (Terraform sends empty
// values), at most 1024 characters.
constexpr common::StringRules kText{.max_length = kMaxStringField, .empty_is_absent = true};

// The members of a replication source's definition. CreateTask, ModifyTask
// and ValidateConnectivity read the same set: the SDK request model's, whose
// `password` the huaweicloud Terraform provider also sends to validate.
constexpr std::string_view kSourceMembers[] = {"current_cluster_name",
                                               "cluster_name",
                                               "user_name",
                                               "password",
                                               "sasl_mechanism",
                                               "instance_id",
                                               "bootstrap_servers",
                                               "security_protocol",
                                               "direction",
                                               "sync_consumer_offsets_enabled",
                                               "replication_factor",
                                               "task_num",
                                               "rename_topic_enabled",
                                               "provenance_header_enabled",
                                               "consumer_strategy",
                                               "compression_type",
                                               "topics_mapping"};

// "host:port[,host:port...]", ports 1-65535.
bool IsValidBootstrapList(std::string_view servers) {
  for (std::string_view server : common::Split(servers, ',')) {
    const size_t colon = server.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view port = server.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !absl::c_all_of(port, [](char c) { return absl::ascii_isdigit(c); })) {
      return false;
    }
    const int number = std::stoi(std::string(port));
    if (number < 1 || number > 65535) return false;
  }
  return true;
}

// The peer cluster of a replication source: named by instance_id (a UUID) or
// reached at bootstrap_servers, with SASL credentials when the protocol asks
// for them. `password_required`: a create carries the password; a stored
// definition (and what Modify and Validate send, per the SDK models) has none.
// Returns the peer instance id, if one is named.
absl::StatusOr<std::optional<std::string>> CheckPeer(const common::JsonReader& config,
                                                     bool password_required) {
  ASSIGN_OR_RETURN(std::optional<std::string> peer_instance, config.String("instance_id", kText));
  ASSIGN_OR_RETURN(std::optional<std::string> bootstrap, config.String("bootstrap_servers", kText));
  if (!peer_instance && !bootstrap) {
    return Invalid(common::StrCat(config.path(),
                                  " needs instance_id or bootstrap_servers of the peer cluster."));
  }
  if (peer_instance && !KafkaService::IsWellFormedId(*peer_instance)) {
    return config.Error(common::JsonProblem::kWrongType, "instance_id", "a UUID");
  }
  if (bootstrap && !IsValidBootstrapList(*bootstrap)) {
    return config.Error(common::JsonProblem::kWrongType, "bootstrap_servers",
                        "a comma-separated list of host:port");
  }
  ASSIGN_OR_RETURN(
      std::optional<std::string> protocol,
      config.Enum("security_protocol", {"PLAINTEXT", "SASL_SSL", "SASL_PLAINTEXT"}, kText));
  ASSIGN_OR_RETURN(std::optional<std::string> user_name, config.String("user_name", kText));
  ASSIGN_OR_RETURN(std::optional<std::string> password, config.String("password", kText));
  if (protocol && *protocol != "PLAINTEXT" && (!user_name || (password_required && !password))) {
    return Invalid(common::StrCat(config.path(), ".user_name",
                                  password_required ? " and password are" : " is",
                                  " required with SASL."));
  }
  RETURN_IF_ERROR(config.Enum("sasl_mechanism", {"PLAIN", "SCRAM-SHA-512"}, kText).status());
  return peer_instance;
}

// What the API shows for the members of a replication source that the
// request left out: the values of the API reference's ListConnectorTasks
// example (a task created without SASL). Both Terraform providers mark exactly
// these members computed, so a filled-in value causes no plan difference.
// The instance aliases have no documented default and stay absent.
void FillReplicatorDefaults(boost::json::object& shown) {
  constexpr std::pair<std::string_view, std::string_view> kTextDefaults[] = {
      {"security_protocol", "PLAINTEXT"},
      {"sasl_mechanism", "PLAIN"},
      {"compression_type", "none"}};
  for (const auto& [member, value] : kTextDefaults) {
    const boost::json::value* given = shown.if_contains(member);
    if (given == nullptr || (given->is_string() && given->as_string().empty())) {
      shown[member] = value;
    }
  }
  for (std::string_view member :
       {"sync_consumer_offsets_enabled", "rename_topic_enabled", "provenance_header_enabled"}) {
    if (!shown.contains(member)) shown[member] = false;
  }
}

// Checks a KAFKA_REPLICATOR_SOURCE config and returns what the API shows of it
// (the password is never stored). The instance aliases current_cluster_name and
// cluster_name are optional: the Terraform providers' documented replication
// examples and the huaweicloud provider's acceptance test send neither.
absl::StatusOr<boost::json::object> CheckReplicatorSource(const boost::json::object& object,
                                                          bool password_required) {
  const common::JsonReader config(object, "source_task", &ConfigError);
  RETURN_IF_ERROR(config.CheckKnown(kSourceMembers));
  constexpr common::StringRules kClusterName{.max_length = 64, .empty_is_absent = true};
  RETURN_IF_ERROR(config.String("current_cluster_name", kClusterName).status());
  RETURN_IF_ERROR(config.String("cluster_name", kClusterName).status());
  ASSIGN_OR_RETURN(std::optional<std::string> direction,
                   config.Enum("direction", {"pull", "push", "two-way"}, kText));
  if (!direction) {
    return config.Error(common::JsonProblem::kMissing, "direction");
  }
  RETURN_IF_ERROR(CheckPeer(config, password_required).status());
  RETURN_IF_ERROR(config.Enum("consumer_strategy", {"latest", "earliest"}, kText).status());
  RETURN_IF_ERROR(
      config.Enum("compression_type", {"none", "gzip", "snappy", "lz4", "zstd"}, kText).status());
  RETURN_IF_ERROR(config.String("topics_mapping", kText).status());
  RETURN_IF_ERROR(config.Int("replication_factor", 1, 3).status());
  RETURN_IF_ERROR(config.Int("task_num", 1, 32).status());
  RETURN_IF_ERROR(config.Bool("sync_consumer_offsets_enabled").status());
  RETURN_IF_ERROR(config.Bool("rename_topic_enabled").status());
  RETURN_IF_ERROR(config.Bool("provenance_header_enabled").status());
  boost::json::object shown = object;
  shown.erase("password");
  FillReplicatorDefaults(shown);
  return shown;
}

// Checks an OBS_SINK config and returns what the API shows of it (access key,
// secret key and agency are never stored, so a stored definition being
// modified has none: `credentials_required` only on create).
absl::StatusOr<boost::json::object> CheckObsSink(const boost::json::object& object,
                                                 bool credentials_required) {
  const common::JsonReader config(object, "sink_task", &ConfigError);
  RETURN_IF_ERROR(
      config.CheckKnown({"consumer_strategy", "destination_file_type", "deliver_time_interval",
                         "access_key", "secret_key", "agency_name", "obs_bucket_name", "obs_path",
                         "partition_format", "record_delimiter", "store_keys"}));
  ASSIGN_OR_RETURN(std::optional<std::string> strategy,
                   config.Enum("consumer_strategy", {"latest", "earliest"}, kText));
  if (!strategy) {
    return config.Error(common::JsonProblem::kMissing, "consumer_strategy");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> file_type,
                   config.Enum("destination_file_type", {"TEXT"}, kText));
  if (!file_type) {
    return config.Error(common::JsonProblem::kMissing, "destination_file_type");
  }
  RETURN_IF_ERROR(config.RequiredInt("deliver_time_interval", 30, 900).status());
  ASSIGN_OR_RETURN(std::optional<std::string> agency, config.String("agency_name", kText));
  ASSIGN_OR_RETURN(std::optional<std::string> access_key, config.String("access_key", kText));
  ASSIGN_OR_RETURN(std::optional<std::string> secret_key, config.String("secret_key", kText));
  if (credentials_required && !agency && (!access_key || !secret_key)) {
    return Invalid("sink_task.access_key and secret_key (or agency_name) are required.");
  }
  ASSIGN_OR_RETURN(std::string bucket, config.RequiredString("obs_bucket_name", kText));
  if (bucket.size() < 3 || bucket.size() > 63) {
    return config.Error(common::JsonProblem::kOutOfRange, "obs_bucket_name", "3-63 characters");
  }
  RETURN_IF_ERROR(config.String("obs_path", kText).status());
  RETURN_IF_ERROR(config
                      .Enum("partition_format",
                            {"yyyy", "yyyy/MM", "yyyy/MM/dd", "yyyy/MM/dd/HH", "yyyy/MM/dd/HH/mm"},
                            kText)
                      .status());
  RETURN_IF_ERROR(
      config.String("record_delimiter", {.max_length = 10, .empty_is_absent = true}).status());
  RETURN_IF_ERROR(config.Bool("store_keys").status());
  boost::json::object shown = object;
  shown.erase("access_key");
  shown.erase("secret_key");
  shown.erase("agency_name");
  return shown;
}

// Checks the Redis members both sides share: redis_address (host:port list)
// and redis_type required, dcs_instance_id (a UUID) and redis_password
// optional (the reference's examples send one; a stored definition has none).
absl::Status CheckRedisEndpoint(const common::JsonReader& config) {
  ASSIGN_OR_RETURN(std::string address, config.RequiredString("redis_address", kText));
  if (!IsValidBootstrapList(address)) {
    return config.Error(common::JsonProblem::kWrongType, "redis_address",
                        "a comma-separated list of host:port");
  }
  RETURN_IF_ERROR(config.RequiredString("redis_type", kText).status());
  ASSIGN_OR_RETURN(std::optional<std::string> dcs_instance,
                   config.String("dcs_instance_id", kText));
  if (dcs_instance && !KafkaService::IsWellFormedId(*dcs_instance)) {
    return config.Error(common::JsonProblem::kWrongType, "dcs_instance_id", "a UUID");
  }
  return config.String("redis_password", kText).status();
}

// A REDIS_REPLICATOR_SOURCE config: the shared members plus sync_mode
// (RDB_ONLY | CUSTOM_OFFSET), full_sync_wait_ms, full_sync_max_retry and
// ratelimit (KB/s, -1 = unlimited).
absl::StatusOr<boost::json::object> CheckRedisSource(const boost::json::object& object) {
  const common::JsonReader config(object, "source_task", &ConfigError);
  RETURN_IF_ERROR(
      config.CheckKnown({"redis_address", "redis_type", "dcs_instance_id", "redis_password",
                         "sync_mode", "full_sync_wait_ms", "full_sync_max_retry", "ratelimit"}));
  RETURN_IF_ERROR(CheckRedisEndpoint(config));
  RETURN_IF_ERROR(config.Enum("sync_mode", {"RDB_ONLY", "CUSTOM_OFFSET"}, kText).status());
  RETURN_IF_ERROR(config.Int("full_sync_wait_ms", 0, INT32_MAX).status());
  RETURN_IF_ERROR(config.Int("full_sync_max_retry", 0, INT32_MAX).status());
  RETURN_IF_ERROR(config.Int("ratelimit", -1, INT32_MAX).status());
  boost::json::object shown = object;
  shown.erase("redis_password");
  return shown;
}

// A REDIS_REPLICATOR_SINK config; the answer shows target_db -1 when none is
// given (the API reference's response example).
absl::StatusOr<boost::json::object> CheckRedisSink(const boost::json::object& object) {
  const common::JsonReader config(object, "sink_task", &ConfigError);
  RETURN_IF_ERROR(config.CheckKnown(
      {"redis_address", "redis_type", "dcs_instance_id", "redis_password", "target_db"}));
  RETURN_IF_ERROR(CheckRedisEndpoint(config));
  RETURN_IF_ERROR(config.Int("target_db", -1, 255).status());
  boost::json::object shown = object;
  shown.erase("redis_password");
  if (!shown.contains("target_db")) shown["target_db"] = -1;
  return shown;
}

// The checker of each source / sink type. `secrets_required`: a create
// carries them; a stored definition being modified has none.
absl::StatusOr<boost::json::object> CheckSource(std::string_view type,
                                                const boost::json::object& object,
                                                bool secrets_required) {
  if (type == kRedisSource) return CheckRedisSource(object);
  return CheckReplicatorSource(object, secrets_required);
}

absl::StatusOr<boost::json::object> CheckSink(std::string_view type,
                                              const boost::json::object& object,
                                              bool secrets_required) {
  if (type == kRedisSink) return CheckRedisSink(object);
  return CheckObsSink(object, secrets_required);
}

// Sets the task's topic selection: a topic list or a pattern, never both
// (the other is stored as "").
absl::Status SelectTopics(const std::optional<std::string>& topics,
                          const std::optional<std::string>& topics_regex,
                          boost::json::object& config) {
  if (topics && topics_regex) {
    return Invalid("Set topics or topics_regex, not both.");
  }
  if (topics && !IsValidTopicList(*topics)) {
    return Invalid("topics must be a comma-separated list of topic names.");
  }
  if (topics_regex && (topics_regex->empty() || topics_regex->size() > kMaxStringField)) {
    return Invalid("topics_regex must be 1-1024 characters.");
  }
  config["topics"] = topics.value_or("");
  config["topics_regex"] = topics_regex.value_or("");
  return absl::OkStatus();
}

// Applies a ModifyConnectorTask body to `task` and its `config`, with the
// create rules; read-only members must equal the task's.
absl::Status ApplyModification(const ModifyConnectorTaskRequest& request,
                               store::ConnectorTask& task, boost::json::object& config) {
  auto unchanged = [](std::string_view member) {
    return Invalid(common::StrCat(member, " cannot be changed."));
  };
  if (request.id && *request.id != task.task_id) return unchanged("id");
  if (request.status && *request.status != task.status) return unchanged("status");
  if (request.create_time && *request.create_time != task.created_at_ms) {
    return unchanged("create_time");
  }
  const std::string source_type(config["source_type"].as_string());
  const std::string sink_type(config["sink_type"].as_string());
  if (request.source_type && *request.source_type != source_type) return unchanged("source_type");
  if (request.sink_type && *request.sink_type != sink_type) return unchanged("sink_type");
  if (request.task_name) {
    if (!internal::IsValidDmsName(*request.task_name)) {
      return Invalid(
          "task_name must be 4-64 characters: a letter first, then letters, digits, '-' or '_'.");
    }
    task.task_name = *request.task_name;
  }
  if (request.topics || request.topics_regex) {
    RETURN_IF_ERROR(SelectTopics(request.topics, request.topics_regex, config));
  }
  // Nested members are merged onto the stored definition, then the whole is
  // checked again.
  auto merged = [&](std::string_view key, const boost::json::object& changes) {
    boost::json::object result =
        config[key].is_object() ? config[key].as_object() : boost::json::object();
    for (const auto& [member, value] : changes) result[member] = value;
    return result;
  };
  if (request.source_task && !request.source_task->empty()) {
    if (source_type == kNone) {
      return Invalid("source_task is not allowed with source_type NONE.");
    }
    ASSIGN_OR_RETURN(config["source_task"],
                     CheckSource(source_type, merged("source_task", *request.source_task),
                                 /*secrets_required=*/false));
  }
  if (request.sink_task && !request.sink_task->empty()) {
    if (sink_type == kNone) {
      return Invalid("sink_task is not allowed with sink_type NONE.");
    }
    ASSIGN_OR_RETURN(config["sink_task"],
                     CheckSink(sink_type, merged("sink_task", *request.sink_task),
                               /*secrets_required=*/false));
  }
  return absl::OkStatus();
}

// Validates the request and builds the stored config (what Show returns).
absl::StatusOr<boost::json::object> BuildConfig(const CreateConnectorTaskRequest& request) {
  if (!request.task_name) return Invalid("task_name is required.");
  if (!internal::IsValidDmsName(*request.task_name)) {
    return Invalid(
        "task_name must be 4-64 characters: a letter first, then letters, digits, '-' or '_'.");
  }
  std::string source_type = request.source_type.value_or(std::string(kNone));
  std::string sink_type = request.sink_type.value_or(std::string(kNone));
  if (!OneOf(source_type, {kReplicatorSource, kRedisSource, kNone})) {
    return Invalid("source_type must be KAFKA_REPLICATOR_SOURCE, REDIS_REPLICATOR_SOURCE or NONE.");
  }
  if (!OneOf(sink_type, {kObsSink, kRedisSink, kNone})) {
    return Invalid("sink_type must be OBS_SINK, REDIS_REPLICATOR_SINK or NONE.");
  }
  if ((source_type == kRedisSource) != (sink_type == kRedisSink)) {
    return Invalid("REDIS_REPLICATOR_SOURCE and REDIS_REPLICATOR_SINK are only allowed together.");
  }
  if (source_type != kRedisSource && (source_type == kNone) == (sink_type == kNone)) {
    return Invalid("Exactly one of source_type and sink_type must be set (the other NONE).");
  }
  // A replication task may name its topics through source_task.topics_mapping
  // alone (the API reference's "Kafka data replication task that starts
  // later" example has neither topics nor topics_regex).
  const boost::json::value* mapping =
      request.source_task ? request.source_task->if_contains("topics_mapping") : nullptr;
  const bool topics_in_mapping = source_type == kReplicatorSource && mapping != nullptr &&
                                 mapping->is_string() && !mapping->as_string().empty();
  if (!request.topics && !request.topics_regex && !topics_in_mapping) {
    return Invalid("topics or topics_regex is required.");
  }
  boost::json::object config;
  RETURN_IF_ERROR(SelectTopics(request.topics, request.topics_regex, config));
  config["source_type"] = source_type;
  config["sink_type"] = sink_type;
  config["source_task"] = boost::json::object();
  config["sink_task"] = boost::json::object();
  if (source_type != kNone) {
    if (!request.source_task) return Invalid("source_task is required.");
    ASSIGN_OR_RETURN(config["source_task"], CheckSource(source_type, *request.source_task,
                                                        /*secrets_required=*/true));
  } else if (request.source_task && !request.source_task->empty()) {
    return Invalid("source_task is not allowed with source_type NONE.");
  }
  if (sink_type != kNone) {
    if (!request.sink_task) return Invalid("sink_task is required.");
    ASSIGN_OR_RETURN(config["sink_task"], CheckSink(sink_type, *request.sink_task,
                                                    /*secrets_required=*/true));
  } else if (request.sink_task && !request.sink_task->empty()) {
    return Invalid("sink_task is not allowed with sink_type NONE.");
  }
  return config;
}

absl::Status TaskBusy() {
  return common::FailedPrecondition(
      kReasonTaskBusy, "Another operation on this Smart Connect task is still running.");
}

absl::Status TaskNameTaken() {
  return common::FailedPrecondition(kReasonTaskNameTaken,
                                    "A Smart Connect task with this name already exists.");
}

absl::Status TaskNotFound() {
  return common::NotFound(kReasonConnectorTaskNotFound, "The Smart Connect task does not exist.");
}

// Every task call on an instance without Smart Connect is refused, reads
// included: an empty list would say "no tasks" where the answer is "no
// connector".
absl::Status CheckConnectorEnabled(const store::KafkaInstance& instance) {
  if (!instance.connector_enabled) {
    return common::FailedPrecondition(kReasonConnectorNotEnabled,
                                      "Smart Connect is not enabled for this instance.");
  }
  return absl::OkStatus();
}

// Loads the caller's instance and refuses it without Smart Connect.
absl::StatusOr<store::KafkaInstance> LoadConnectorInstance(store::StoreTransaction& txn,
                                                           std::string_view tenant_id,
                                                           std::string_view instance_id) {
  ASSIGN_OR_RETURN(store::KafkaInstance instance,
                   internal::LoadInstance(txn, tenant_id, instance_id));
  RETURN_IF_ERROR(CheckConnectorEnabled(instance));
  return instance;
}

// Mutations also need the instance at rest.
absl::Status CheckConnectorReady(const store::KafkaInstance& instance) {
  if (instance.status != kStatusRunning) {
    return internal::InstanceBusy(instance);
  }
  return CheckConnectorEnabled(instance);
}

}  // namespace

ConnectorTaskService::ConnectorTaskService(store::Store& store, const common::Clock& clock,
                                           JobQueue& jobs)
    : store_(store), clock_(clock), jobs_(jobs) {}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::CreateTask(
    const Caller& caller, std::string_view instance_id, const CreateConnectorTaskRequest& request) {
  ASSIGN_OR_RETURN(boost::json::object config, BuildConfig(request));
  store::ConnectorTask task;
  task.project_id = caller.tenant_id;
  task.instance_id = std::string(instance_id);
  task.task_id = common::NewUuid();
  task.task_name = *request.task_name;
  task.status = std::string(kTaskCreating);
  task.config_json = common::ToJson(config);
  boost::json::object params;
  params["instance_id"] = task.instance_id;
  params["task_name"] = task.task_name;
  params["start_later"] = request.start_later;
  RETURN_IF_ERROR(
      jobs_
          .Submit(
              caller, "CreateConnectorTask",
              [&](store::StoreTransaction& txn,
                  const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                ASSIGN_OR_RETURN(store::KafkaInstance instance,
                                 internal::LoadInstance(txn, caller.tenant_id, instance_id));
                RETURN_IF_ERROR(CheckConnectorReady(instance));
                ASSIGN_OR_RETURN(
                    std::optional<store::ConnectorTask> same_name,
                    txn.FindConnectorTaskByName(caller.tenant_id, instance_id, task.task_name));
                if (same_name) return TaskNameTaken();
                ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> existing,
                                 txn.ListConnectorTasks(caller.tenant_id, instance_id, {0, 1}));
                if (existing.total >= kMaxConnectorTasks) {
                  return common::FailedPrecondition(kReasonTaskQuotaReached,
                                                    "The quota limit has been reached.");
                }
                task.pending_job_id = mutation.job_id;
                task.created_at_ms = mutation.now_ms;
                task.updated_at_ms = mutation.now_ms;
                RETURN_IF_ERROR(txn.InsertConnectorTask(task));
                RETURN_IF_ERROR(mutation.audit.Record(txn, store::kAuditConnectorTask, task.task_id,
                                                      "CreateConnectorTask", "", task.status,
                                                      mutation.job_id));
                return JobRequest{kJobCreateConnectorTask, "createConnectorTask", task.task_id,
                                  common::ToJson(params)};
              },
              // With --instant-jobs inline the job has finished by now:
              // answer with the task it left.
              [&](store::StoreTransaction& txn) -> absl::Status {
                ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> stored,
                                 txn.GetConnectorTask(caller.tenant_id, instance_id, task.task_id));
                if (stored) task = *std::move(stored);
                return absl::OkStatus();
              })
          .status());
  return task;
}

absl::StatusOr<store::Page<store::ConnectorTask>> ConnectorTaskService::ListTasks(
    const Caller& caller, std::string_view instance_id, const store::PageRequest& page) {
  store::Page<store::ConnectorTask> result;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadConnectorInstance(txn, caller.tenant_id, instance_id).status());
    ASSIGN_OR_RETURN(result, txn.ListConnectorTasks(caller.tenant_id, instance_id, page));
    return absl::OkStatus();
  }));
  std::vector<std::string_view> in_progress;  // views into result
  for (const store::ConnectorTask& task : result.items) {
    if (!task.pending_job_id.empty()) {
      in_progress.push_back(task.task_id);
    }
  }
  RETURN_IF_ERROR(jobs_.CountReads(caller.tenant_id, in_progress));
  return result;
}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::GetTask(const Caller& caller,
                                                                   std::string_view instance_id,
                                                                   std::string_view task_id) {
  store::ConnectorTask task;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadConnectorInstance(txn, caller.tenant_id, instance_id).status());
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    if (!found) return TaskNotFound();
    task = std::move(*found);
    return absl::OkStatus();
  }));
  // Counted after the read: the Nth read still sees the operation in progress.
  RETURN_IF_ERROR(jobs_.CountRead(caller.tenant_id, task_id));
  return task;
}

absl::StatusOr<store::ConnectorTask> ConnectorTaskService::ModifyTask(
    const Caller& caller, std::string_view instance_id, std::string_view task_id,
    const ModifyConnectorTaskRequest& request) {
  const absl::Time now = clock_.Now();
  store::ConnectorTask task;
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::KafkaInstance instance,
                     LoadConnectorInstance(txn, caller.tenant_id, instance_id));
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    if (!found) return TaskNotFound();
    RETURN_IF_ERROR(CheckConnectorReady(instance));
    task = *std::move(found);
    if (!task.pending_job_id.empty()) return TaskBusy();
    ASSIGN_OR_RETURN(boost::json::object config, common::ParseJsonObject(task.config_json));
    const std::string old_name = task.task_name;
    RETURN_IF_ERROR(ApplyModification(request, task, config));
    if (task.task_name != old_name) {
      ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> same_name,
                       txn.FindConnectorTaskByName(caller.tenant_id, instance_id, task.task_name));
      if (same_name) return TaskNameTaken();
    }
    task.config_json = common::ToJson(config);
    task.updated_at_ms = common::ToUnixMillis(now);
    RETURN_IF_ERROR(txn.UpdateConnectorTask(task));
    ++task.version;
    return AuditRecorder::ForCaller(caller, now)
        .Record(txn, store::kAuditConnectorTask, task.task_id, "ModifyConnectorTask", task.status,
                task.status);
  }));
  return task;
}

absl::Status ConnectorTaskService::ValidateConnectivity(
    const Caller& caller, std::string_view instance_id,
    const ValidateConnectivityRequest& request) {
  const std::string type = request.type.value_or(std::string(kReplicatorSource));
  if (!OneOf(type, {kReplicatorSource, kObsSink})) {
    return Invalid("type must be KAFKA_REPLICATOR_SOURCE or OBS_SINK.");
  }
  const boost::json::object no_members;
  const common::JsonReader config(request.task ? *request.task : no_members, "task", &ConfigError);
  RETURN_IF_ERROR(config.CheckKnown(kSourceMembers));
  std::optional<std::string> peer_instance;
  if (type == kReplicatorSource) {
    ASSIGN_OR_RETURN(peer_instance, CheckPeer(config, /*password_required=*/false));
  }
  return store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadConnectorInstance(txn, caller.tenant_id, instance_id).status());
    if (!peer_instance) return absl::OkStatus();
    absl::StatusOr<store::KafkaInstance> peer =
        internal::LoadInstance(txn, caller.tenant_id, *peer_instance);
    // Another project's instance is as unreachable as a made-up one.
    if (absl::IsNotFound(peer.status()) || (peer.ok() && peer->status != kStatusRunning)) {
      return common::FailedPrecondition(
          kReasonPeerUnreachable,
          "Connectivity check failed: the peer instance is not a RUNNING instance of this "
          "project.");
    }
    return peer.status();
  });
}

absl::Status ConnectorTaskService::DeleteTask(const Caller& caller, std::string_view instance_id,
                                              std::string_view task_id) {
  const absl::Time now = clock_.Now();
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadConnectorInstance(txn, caller.tenant_id, instance_id).status());
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                     txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
    if (!found) return TaskNotFound();
    RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, now)
                        .Record(txn, store::kAuditConnectorTask, found->task_id,
                                "DeleteConnectorTask", found->status, ""));
    return txn.DeleteConnectorTask(caller.tenant_id, instance_id, task_id);
  });
}

// A pause, resume or restart request: the API operation (the audit entry's
// action), the job it starts, the statuses it may start from, and the status
// shown at once while the job runs (empty: unchanged until the job completes).
struct ConnectorTaskService::TaskAction {
  std::string_view operation;
  std::string_view job_type;
  std::string_view job_name;
  std::span<const std::string_view> from;
  std::string_view shown_while_running;
};

namespace {

constexpr std::string_view kPauseFrom[] = {kTaskRunning};
constexpr std::string_view kResumeFrom[] = {kTaskPaused};
constexpr std::string_view kRestartFrom[] = {kTaskRunning, kTaskPaused, kTaskWaiting, kTaskFailed};

}  // namespace

absl::Status ConnectorTaskService::PauseTask(const Caller& caller, std::string_view instance_id,
                                             std::string_view task_id) {
  static constexpr TaskAction kPause{"PauseConnectorTask", kJobPauseConnectorTask,
                                     "pauseConnectorTask", kPauseFrom, ""};
  return StartAction(caller, instance_id, task_id, kPause);
}

absl::Status ConnectorTaskService::ResumeTask(const Caller& caller, std::string_view instance_id,
                                              std::string_view task_id) {
  static constexpr TaskAction kResume{"ResumeConnectorTask", kJobResumeConnectorTask,
                                      "resumeConnectorTask", kResumeFrom, ""};
  return StartAction(caller, instance_id, task_id, kResume);
}

absl::Status ConnectorTaskService::RestartTask(const Caller& caller, std::string_view instance_id,
                                               std::string_view task_id,
                                               std::string_view operation) {
  const TaskAction restart{operation, kJobRestartConnectorTask, "restartConnectorTask",
                           kRestartFrom, kTaskRestarting};
  return StartAction(caller, instance_id, task_id, restart);
}

absl::Status ConnectorTaskService::StartAction(const Caller& caller, std::string_view instance_id,
                                               std::string_view task_id, const TaskAction& action) {
  return jobs_
      .Submit(caller, action.operation,
              [&](store::StoreTransaction& txn,
                  const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                ASSIGN_OR_RETURN(store::KafkaInstance instance,
                                 internal::LoadInstance(txn, caller.tenant_id, instance_id));
                ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> found,
                                 txn.GetConnectorTask(caller.tenant_id, instance_id, task_id));
                if (!found) return TaskNotFound();
                RETURN_IF_ERROR(CheckConnectorReady(instance));
                store::ConnectorTask task = std::move(*found);
                if (!task.pending_job_id.empty()) return TaskBusy();
                if (!absl::c_linear_search(action.from, task.status)) {
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
                if (!action.shown_while_running.empty() && task.status != kTaskWaiting) {
                  task.status = std::string(action.shown_while_running);
                }
                // Pause/resume keep the status until the job completes: the request's
                // entry then records who asked (from == to), the job's the change.
                RETURN_IF_ERROR(mutation.audit.Record(txn, store::kAuditConnectorTask, task.task_id,
                                                      action.operation, from_status, task.status,
                                                      mutation.job_id));
                task.pending_job_id = mutation.job_id;
                task.updated_at_ms = mutation.now_ms;
                RETURN_IF_ERROR(txn.UpdateConnectorTask(task));
                return JobRequest{action.job_type, std::string(action.job_name), task.task_id,
                                  common::ToJson(params)};
              })
      .status();
}

}  // namespace connectplane::service
