// Persisted row types shared by every Store implementation. Plain values; the
// service layer owns their invariants (state machines), the store only keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // The flavor and its sizing (migration 12; rows from before have "" / 0 and
  // keep whatever their attributes say).
  std::string product_id;  // a Kafka flavor id, e.g. c6.2u4g.cluster
  std::string engine_version;
  int32_t broker_num = 0;
  int64_t storage_space = 0;  // GB, total
  std::string storage_spec_code;
  // JSON array of availability zone ids (32 hex), as ShowInstance returns them.
  std::string available_zones_json = "[]";
};

struct KafkaInstanceFilter {
  std::optional<std::string> instance_id;
  std::optional<std::string> name;  // exact or substring, see exact_match_name
  bool exact_match_name = false;
  std::optional<std::string> status;
  // false: instances in CREATEFAILED are left out (DMS's include_failure=false)
  bool include_failure = true;
};

enum class JobStatus { kPending, kSucceeded, kFailed };

std::string_view JobStatusName(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view name);

// One unit of asynchronous work, written in the same transaction as the state
// change that requested it, completed by the job runner once due.
struct Job {
  std::string job_id;
  // The tenant that asked for it: a Huawei project id or a Zenlayer account id
  // (stored in the jobs table's project_id column).
  std::string tenant_id;
  std::string resource_id;
  std::string job_type;  // e.g. "kafka.enable_connector"
  std::string name;      // what the cloud's task list shows, e.g. "createConnector"
  std::string params_json = "{}";
  JobStatus status = JobStatus::kPending;
  std::string user_name;
  std::string user_id;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t due_at_ms = 0;  // not run before this instant
  int32_t attempts = 0;
  std::string error;  // set when kFailed
  // > 0: the job waits for this many more reads of its resource (emulator
  // "after N reads" timing); due_at_ms is then kNeverDue until it reaches 0.
  int32_t reads_remaining = 0;
  // Claim by one runner: who runs it and until when. A runner that dies leaves
  // the lease to expire; another runner (or the restarted process) takes over.
  std::string lease_owner;
  int64_t lease_expires_at_ms = 0;
};

inline constexpr int64_t kNeverDue = INT64_C(4000000000000000);  // year ~128000

// A remembered answer to a mutating request carrying an idempotency key.
// http_status 0 marks a request still in progress.
struct IdempotencyRecord {
  std::string scope;  // dialect + tenant, e.g. "dms:<project_id>"
  std::string key;
  std::string request_hash;
  int32_t http_status = 0;
  std::string response_body;
  int64_t created_at_ms = 0;
};

// A generic dump of one table for the admin state view; secret columns omitted.
struct TableDump {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

struct JobFilter {
  std::optional<int64_t> created_from_ms;  // inclusive
  std::optional<int64_t> created_to_ms;    // inclusive
};

// A Smart Connect task of one Kafka instance. `config_json` holds the
// task definition as the API returns it (topics, topics_regex, source_type,
// source_task, sink_type, sink_task), secrets (passwords, OBS keys) removed.
struct ConnectorTask {
  std::string project_id;
  std::string instance_id;
  std::string task_id;
  std::string task_name;  // unique per instance
  std::string status;     // CREATING, RUNNING, WAITING, PAUSED, RESTARTING, FAILED
  std::string config_json = "{}";
  // Non-empty while an operation job (create/pause/resume/restart) is in flight.
  std::string pending_job_id;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // Optimistic-concurrency version: bumped by every successful update.
  int64_t version = 0;
};

// ---------------------------------------------------------------------------
// Zenlayer SDN: credentials, ports and private connects. Every row is
// scoped by `account_id`, the Zenlayer tenant.
// ---------------------------------------------------------------------------

// A Zenlayer Cloud API key (AccessKeyId / AccessKeyPassword) bound to one account.
struct ZenlayerCredential {
  std::string access_key_id;
  std::string access_key_password;
  std::string account_id;
};

// A Zenlayer bearer token (Authorization: Bearer <token>) bound to one
// account. Only the token's SHA-256 is stored: the token itself is never
// persisted, exported or logged.
struct ZenlayerToken {
  std::string token_sha256;  // lower-case hex
  std::string account_id;
};

// ---------------------------------------------------------------------------
// Identity (Keystone v3, /v3/...): domains, projects, IAM users and tokens of
// the Huawei Cloud / Open Telekom Cloud IAM dialect (api/iam).
// ---------------------------------------------------------------------------

// An account (Keystone domain).
struct IamDomain {
  std::string domain_id;
  std::string name;
};

// A project of a domain in one region. Huawei names a region's default project
// after the region ("eu-de"); sub-projects are "<region>_<name>".
struct IamProject {
  std::string project_id;
  std::string name;
  std::string domain_id;
  std::string region_id;
};

// An IAM user who logs in with a password (POST /v3/auth/tokens). Only a salted
// hash is stored (auth::HashPassword's format).
struct IamUser {
  std::string user_id;
  std::string name;
  std::string domain_id;
  std::string password_hash;
};

// An issued X-Auth-Token, scoped to one project. Only the token's SHA-256 is
// stored: the token itself is never persisted, exported or logged.
struct IamToken {
  std::string token_sha256;  // lower-case hex
  std::string user_id;
  std::string user_name;
  std::string domain_id;
  std::string project_id;
  int64_t issued_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// A physical port, seeded or created by CreatePort. Columns are what the
// service checks or changes; the rest of the PortInfo answer (portType,
// portRemarks, businessEntityName, dataCenter ...) lives in `attributes_json`,
// a JSON object merged into the API answer.
struct ZenlayerPort {
  std::string account_id;
  std::string port_id;
  std::string port_name;
  std::string dc_id;
  std::string port_status;  // CREATING, RUNNING, RECYCLED; RUNNING = usable for private connects
  std::string attributes_json = "{}";
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t recycled_at_ms = 0;  // 0 unless RECYCLED
  int64_t expired_at_ms = 0;   // 0 = no expiry (postpaid)
  // Optimistic-concurrency version: bumped by every successful update.
  int64_t version = 0;
  // The port's tags, [{"key","value"}] (service/resource_tags.h).
  std::string tags_json = "[]";
};

// A data center of the catalog (DescribeDatacenters, CreatePort's dcId), one
// list for every account, declared by the seed. The DatacenterInfo members the
// service never filters on (longitude, latitude, availableBandwidth) live in
// `attributes_json`.
struct ZenlayerDatacenter {
  std::string dc_id;
  std::string dc_name;
  std::string dc_address;
  std::string city_name;
  std::string country_name;
  std::string area_name;
  bool port_available = true;  // CreatePort accepts this dcId
  std::string attributes_json = "{}";
};

// One end of a private connect (PORT endpoints only).
struct PrivateConnectEndpoint {
  std::string endpoint_id;  // for PORT endpoints Zenlayer reports the port id here
  std::string endpoint_name;
  std::string port_id;
  int64_t vlan_id = 0;
};

// An SDN private connect (layer-2 circuit between two ports).
struct PrivateConnect {
  std::string account_id;
  std::string private_connect_id;
  std::string name;
  std::string status;  // CREATING, RUNNING, UPDATING, DELETING, RECYCLED, RECOVERING, DESTROYING
  int64_t bandwidth_mbps = 0;
  PrivateConnectEndpoint endpoint_a;
  PrivateConnectEndpoint endpoint_z;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t recycled_at_ms = 0;  // 0 unless RECYCLED
  // Optimistic-concurrency version: bumped by every successful update.
  int64_t version = 0;
  // Set at creation, never updated: [{"key","value"}] (service/resource_tags.h).
  std::string tags_json = "[]";
};
// Describe filters pushed down to the store. Unset/empty = any.
struct PrivateConnectFilter {
  std::vector<std::string> ids;       // any of these private_connect_ids
  std::optional<std::string> name;    // substring of name
  std::optional<std::string> status;  // exact status
  std::optional<bool> running;        // true: status = RUNNING; false: any other status
};
// A public-cloud region reachable through a Zenlayer data center (a cloud
// access point), seeded. The catalog is the same for every account. Columns
// are what the service filters on; `attributes_json` holds the rest of the
// SDK's CloudRegion (dataCenter details, haTypes), merged into the answer.
struct ZenlayerCloudRegion {
  std::string cloud_type;       // AWS, GOOGLE or TENCENT
  std::string cloud_region_id;  // the cloud's own id, e.g. "ap-southeast-1"
  std::string dc_id;            // the Zenlayer data center of the access point
  std::string products_json = "[]";  // JSON array, e.g. ["PrivateConnect","CloudRouter"]
  std::string attributes_json = "{}";
};
// --------------------------- end Zenlayer SDN ------------------------------

// ---------------------------------------------------------------------------
// Audit trail: one row per state transition of a resource, written in
// the same transaction as the change itself.
// ---------------------------------------------------------------------------

// Who made a change, for `AuditEntry::actor` when no credential did.
inline constexpr std::string_view kActorJobRunner = "job-runner";
inline constexpr std::string_view kActorAdmin = "admin";

// `AuditEntry::resource_type` values.
inline constexpr std::string_view kAuditKafkaInstance = "kafka_instance";
inline constexpr std::string_view kAuditConnectorTask = "connector_task";
inline constexpr std::string_view kAuditJob = "job";
inline constexpr std::string_view kAuditPrivateConnect = "private_connect";
inline constexpr std::string_view kAuditZenlayerPort = "zenlayer_port";
inline constexpr std::string_view kAuditEmulator = "emulator";

struct AuditEntry {
  // Sortable unique id (time first); AppendAudit assigns one when empty.
  std::string audit_id;
  int64_t at_ms = 0;
  std::string tenant;         // Huawei project id or Zenlayer account id ("" = emulator-wide)
  std::string actor;          // access key id, kActorJobRunner or kActorAdmin
  std::string resource_type;  // one of the kAudit* values above
  std::string resource_id;
  std::string action;       // the API operation or job step, e.g. CreateConnector, job.complete
  std::string from_status;  // "" when the resource is created
  std::string to_status;    // "" when the resource is removed
  std::string job_id;
  std::string request_id;
};

struct AuditFilter {
  std::optional<std::string> tenant;
  std::optional<std::string> resource_id;
  // Pagination marker: only entries older than this audit_id (exclusive).
  std::optional<std::string> before_audit_id;
  int64_t limit = 100;
};

// A new audit id for an entry at `at_ms`: "<16-digit ms>-<8-digit process
// sequence>-<8 hex random>", so ids sort by time, then by order of creation
// within a process, and never collide across replicas.
std::string NewAuditId(int64_t at_ms);

// Jobs per (type, status), for metrics.
struct JobCount {
  std::string job_type;
  JobStatus status = JobStatus::kPending;
  int64_t count = 0;
};

// What a Kafka instance holds besides its own row: its tags, the values of its
// Kafka parameters that differ from the documented defaults, and its topics.
// One row per (instance, kind, name); `body_json` is the kind's JSON object
// (service/internal/kafka_items.h defines each kind's members).
inline constexpr std::string_view kKafkaItemTag = "tag";
inline constexpr std::string_view kKafkaItemConfig = "config";
inline constexpr std::string_view kKafkaItemTopic = "topic";

struct KafkaInstanceItem {
  std::string project_id;
  std::string instance_id;
  std::string kind;  // kKafkaItem*
  std::string name;  // tag key, parameter name or topic name
  std::string body_json = "{}";
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

}  // namespace connectplane::store
