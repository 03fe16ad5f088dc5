// Persisted row types shared by every Store implementation. Plain values; the
// service layer owns their invariants (state machines), the store only keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::store {

// A Huawei Cloud AK/SK pair bound to exactly one project (tenant).
struct HuaweiCredential {
  std::string access_key;
  std::string secret_key;
  std::string project_id;
  std::string user_name;
  std::string user_id;
};

// A DMS for Kafka instance. Fields the service changes are columns; the rest of
// what ShowInstance returns (flavor, network, storage ...) lives in
// `attributes_json`, a JSON object merged into the API answer.
struct KafkaInstance {
  std::string project_id;
  std::string instance_id;
  std::string name;
  std::string status;  // RUNNING, EXTENDING, CONNECTOR_DELETING, ...
  std::string specification;
  std::string attributes_json = "{}";
  bool connector_enabled = false;
  std::string connector_id;
  int32_t connector_node_num = 0;
  std::string connector_spec_code;
  std::string connector_specification;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // Optimistic-concurrency version: bumped by every successful update.
  int64_t version = 0;
};

struct KafkaInstanceFilter {
  std::optional<std::string> instance_id;
  std::optional<std::string> name;  // exact or substring, see exact_match_name
  bool exact_match_name = false;
  std::optional<std::string> status;
};

enum class JobStatus { kPending, kSucceeded, kFailed };

std::string_view JobStatusName(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view name);

// One unit of asynchronous work, written in the same transaction as the state
// change that requested it, completed by the job runner once due.
struct Job {
  std::string job_id;
  std::string project_id;
  std::string resource_id;
  std::string job_type;     // e.g. "kafka.enable_connector"
  std::string name;         // what the cloud's task list shows, e.g. "createConnector"
  std::string params_json = "{}";
  JobStatus status = JobStatus::kPending;
  std::string user_name;
  std::string user_id;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t due_at_ms = 0;  // not run before this instant
  int32_t attempts = 0;
  std::string error;  // set when kFailed
};

struct JobFilter {
  std::optional<int64_t> created_from_ms;  // inclusive
  std::optional<int64_t> created_to_ms;    // inclusive
};

}  // namespace connectplane::store
