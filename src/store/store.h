// Storage interface. A SQLite implementation (embedded default) and a
// PostgreSQL one (replicas) implement it with the same schema and migrations.
//
// All access goes through a transaction callback: Write() commits durably
// before returning OK (an acknowledged mutation survives a crash), and rolls
// back when the callback returns an error. Store implementations are safe for
// concurrent use; a StoreTransaction belongs to the thread running the callback.
#pragma once

#include "store/models.h"

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::store {

struct PageRequest {
  int64_t offset = 0;
  int64_t limit = 10;
};

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;  // matching rows before offset/limit
};

// Errors common to every method: Unavailable when the database cannot be
// reached (retryable), Internal on corruption or an unexpected SQL error.
// Get* and Find* return nullopt when there is no such row. Every message is
// for logs (it may hold SQL, driver or file-system text); the dialects never
// show it to a client.
//
// Locks (PostgreSQL; SQLite serializes write transactions instead). In a write
// transaction the methods that say so below lock the row, or the key of a row
// that may not exist yet, until commit. A transaction that locks several
// takes them in one canonical order, so that two transactions never wait for
// each other: by kind, credentials, then jobs, then Kafka instances, then
// their connector tasks (and task-name keys), then Zenlayer ports, then (port,
// VLAN) keys, then private connects; within a kind, ascending by key
// (ListReadGatedJobs and the lease updates lock jobs by job_id). Skipping a
// kind is fine; going back to an earlier one is not. A deadlock that still
// happens (e.g. a reset deleting every row while requests run) is retried by
// Store::Write.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  // ---- Credentials: Huawei AK/SK pairs and Zenlayer API keys ----
  virtual absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) = 0;
  // Inserts or replaces the credential with this access key.
  virtual absl::Status PutHuaweiCredential(const HuaweiCredential& credential) = 0;
  virtual absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) = 0;
  // Inserts or replaces the credential with this access key id.
  virtual absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) = 0;
  // The bearer token whose SHA-256 (lower-case hex) is `token_sha256`.
  virtual absl::StatusOr<std::optional<ZenlayerToken>> FindZenlayerToken(
      std::string_view token_sha256) = 0;
  // Inserts or replaces the token with this hash.
  virtual absl::Status PutZenlayerToken(const ZenlayerToken& token) = 0;
  // Every token (hash and account), ordered by token_sha256: for the export.
  virtual absl::StatusOr<std::vector<ZenlayerToken>> ListZenlayerTokens() = 0;

  // ---- Identity (Keystone v3): domains, projects, IAM users, tokens ----
  // Each Put* inserts or replaces the row with that key. Lists are ordered by id.
  virtual absl::Status PutIamDomain(const IamDomain& domain) = 0;
  virtual absl::StatusOr<std::vector<IamDomain>> ListIamDomains() = 0;
  virtual absl::Status PutIamProject(const IamProject& project) = 0;
  virtual absl::StatusOr<std::optional<IamProject>> FindIamProject(std::string_view project_id) = 0;
  // The domain's projects.
  virtual absl::StatusOr<std::vector<IamProject>> ListIamProjects(std::string_view domain_id) = 0;
  virtual absl::Status PutIamUser(const IamUser& user) = 0;
  // The user named `name` (case-sensitive) in the domain.
  virtual absl::StatusOr<std::optional<IamUser>> FindIamUser(std::string_view domain_id,
                                                             std::string_view name) = 0;
  // The domain's users.
  virtual absl::StatusOr<std::vector<IamUser>> ListIamUsers(std::string_view domain_id) = 0;
  virtual absl::Status PutIamToken(const IamToken& token) = 0;
  // The token whose SHA-256 (lower-case hex) is `token_sha256`, expired or not.
  virtual absl::StatusOr<std::optional<IamToken>> FindIamToken(std::string_view token_sha256) = 0;
  // Deletes tokens that expired at or before `now_ms`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteExpiredIamTokens(int64_t now_ms) = 0;

  // ---- Kafka instances ----
  // Locks the instance (its key) in a write transaction.
  virtual absl::StatusOr<std::optional<KafkaInstance>> GetKafkaInstance(
      std::string_view project_id, std::string_view instance_id) = 0;
  // Ordered by created_at_ms descending, then instance_id.
  virtual absl::StatusOr<Page<KafkaInstance>> ListKafkaInstances(std::string_view project_id,
                                                                 const KafkaInstanceFilter& filter,
                                                                 const PageRequest& page) = 0;
  // AlreadyExists when (project_id, instance_id) is taken.
  virtual absl::Status InsertKafkaInstance(const KafkaInstance& instance) = 0;
  // Compare-and-swap on `instance.version`: writes every column and stores
  // version + 1. Aborted when the stored version differs (a concurrent change
  // won), NotFound when the row is gone.
  virtual absl::Status UpdateKafkaInstance(const KafkaInstance& instance) = 0;
  // Compare-and-swap delete of an instance row. Aborted when the stored
  // version differs, NotFound when the row is gone.
  virtual absl::Status DeleteKafkaInstance(std::string_view project_id,
                                           std::string_view instance_id,
                                           int64_t expected_version) = 0;

  // ---- Smart Connect tasks of a Kafka instance ----
  // Locks the task in a write transaction.
  virtual absl::StatusOr<std::optional<ConnectorTask>> GetConnectorTask(
      std::string_view project_id, std::string_view instance_id, std::string_view task_id) = 0;
  // The instance's task with this name, if any. In a write transaction this
  // also serializes concurrent creators of the same name (PostgreSQL key lock).
  virtual absl::StatusOr<std::optional<ConnectorTask>> FindConnectorTaskByName(
      std::string_view project_id, std::string_view instance_id, std::string_view task_name) = 0;
  // Tasks of one instance, oldest first (created_at_ms, then task_id).
  virtual absl::StatusOr<Page<ConnectorTask>> ListConnectorTasks(std::string_view project_id,
                                                                 std::string_view instance_id,
                                                                 const PageRequest& page) = 0;
  // AlreadyExists when the task id, or the name within the instance, is taken.
  virtual absl::Status InsertConnectorTask(const ConnectorTask& task) = 0;
  // Compare-and-swap on `task.version`: writes task_name, status, config_json,
  // pending_job_id, updated_at_ms and stores version + 1. Aborted when the
  // stored version differs, NotFound when the row is gone.
  virtual absl::Status UpdateConnectorTask(const ConnectorTask& task) = 0;
  // NotFound when absent.
  virtual absl::Status DeleteConnectorTask(std::string_view project_id,
                                           std::string_view instance_id,
                                           std::string_view task_id) = 0;
  // Deletes every task of the instance; returns how many.
  virtual absl::StatusOr<int64_t> DeleteConnectorTasksOfInstance(std::string_view project_id,
                                                                 std::string_view instance_id) = 0;

  // ---- Jobs, their runner leases and read gating ----
  // AlreadyExists when job_id is taken.
  virtual absl::Status InsertJob(const Job& job) = 0;
  // Locks the job in a write transaction.
  virtual absl::StatusOr<std::optional<Job>> GetJob(std::string_view job_id) = 0;
  // Jobs of one resource, newest first.
  virtual absl::StatusOr<Page<Job>> ListJobsForResource(std::string_view tenant_id,
                                                        std::string_view resource_id,
                                                        const JobFilter& filter,
                                                        const PageRequest& page) = 0;
  // Pending jobs with due_at_ms <= now_ms, oldest due first, at most `limit`.
  virtual absl::StatusOr<std::vector<Job>> ListDueJobs(int64_t now_ms, int limit) = 0;
  // Earliest due_at_ms of any pending job, nullopt when none is pending.
  virtual absl::StatusOr<std::optional<int64_t>> NextDueAt() = 0;
  // Overwrites status, updated_at_ms, due_at_ms, attempts, error. NotFound when absent.
  virtual absl::Status UpdateJob(const Job& job) = 0;
  // Removes the job row (its audit entries stay). NotFound when absent.
  virtual absl::Status DeleteJob(std::string_view job_id) = 0;
  // Claims up to `limit` pending jobs due at `now_ms` whose lease is free or
  // expired: sets lease_owner = owner and lease_expires_at_ms = lease_until_ms.
  // Oldest due first. Returns the claimed jobs (after the update).
  virtual absl::StatusOr<std::vector<Job>> ClaimDueJobs(int64_t now_ms, std::string_view owner,
                                                        int64_t lease_until_ms, int limit) = 0;
  // Heartbeat: extends every pending job lease held by `owner`. Returns how many.
  virtual absl::StatusOr<int64_t> ExtendLeases(std::string_view owner, int64_t lease_until_ms) = 0;
  // Frees every lease held by `owner` (start-up recovery of a dead process).
  virtual absl::Status ReleaseLeases(std::string_view owner) = 0;
  // Distinct owners holding leases on pending jobs.
  virtual absl::StatusOr<std::vector<std::string>> ListLeaseOwners() = 0;
  // Pending jobs of one resource that wait for reads (reads_remaining > 0),
  // by job_id; locked in a write transaction.
  virtual absl::StatusOr<std::vector<Job>> ListReadGatedJobs(std::string_view tenant_id,
                                                             std::string_view resource_id) = 0;

  // ---- Zenlayer ports ----
  // Locks the port's key in a write transaction: a caller that reads several
  // ports reads them in ascending port_id order.
  virtual absl::StatusOr<std::optional<ZenlayerPort>> GetZenlayerPort(std::string_view account_id,
                                                                      std::string_view port_id) = 0;
  // Every port of the account, ordered by port_id.
  virtual absl::StatusOr<std::vector<ZenlayerPort>> ListZenlayerPorts(
      std::string_view account_id) = 0;
  // AlreadyExists when (account_id, port_id) is taken.
  virtual absl::Status InsertZenlayerPort(const ZenlayerPort& port) = 0;
  // Compare-and-swap on `port.version`: writes the mutable columns (name,
  // status, attributes, times) and stores version + 1. Aborted when the stored
  // version differs, NotFound when the row is gone.
  virtual absl::Status UpdateZenlayerPort(const ZenlayerPort& port) = 0;
  // Compare-and-swap delete. Aborted when the stored version differs,
  // NotFound when the row is gone.
  virtual absl::Status DeleteZenlayerPort(std::string_view account_id, std::string_view port_id,
                                          int64_t expected_version) = 0;
  // How many of the account's private connects (in any status) have an
  // endpoint on the port. Call it after GetZenlayerPort of that port, whose
  // key lock keeps a concurrent create from adding one.
  virtual absl::StatusOr<int64_t> CountPrivateConnectsOnPort(std::string_view account_id,
                                                             std::string_view port_id) = 0;

  // ---- Zenlayer data center catalog (shared by every account) ----
  virtual absl::StatusOr<std::optional<ZenlayerDatacenter>> GetZenlayerDatacenter(
      std::string_view dc_id) = 0;
  // Every data center, ordered by dc_id.
  virtual absl::StatusOr<std::vector<ZenlayerDatacenter>> ListZenlayerDatacenters() = 0;
  // Inserts or replaces the data center with this dc_id.
  virtual absl::Status PutZenlayerDatacenter(const ZenlayerDatacenter& datacenter) = 0;

  // ---- Zenlayer cloud regions (a catalog shared by every account) ----
  // The regions of one cloud type, ordered by cloud_region_id, then dc_id.
  virtual absl::StatusOr<std::vector<ZenlayerCloudRegion>> ListZenlayerCloudRegions(
      std::string_view cloud_type) = 0;
  // Inserts or replaces the region with this (cloud_type, cloud_region_id, dc_id).
  virtual absl::Status PutZenlayerCloudRegion(const ZenlayerCloudRegion& region) = 0;

  // ---- Zenlayer private connects ----
  // Locks the connect (its key) in a write transaction.
  virtual absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) = 0;
  // The account's private connect with an endpoint on (port_id, vlan_id), if
  // any. Locks the (port, VLAN) key in a write transaction; call it after
  // GetZenlayerPort of that port.
  virtual absl::StatusOr<std::optional<PrivateConnect>> FindPrivateConnectByPortVlan(
      std::string_view account_id, std::string_view port_id, int64_t vlan_id) = 0;
  // The VLANs that the account's private connects (in any status: a recycled
  // connect still holds its VLANs) use on `port_id`, ascending, without
  // duplicates. Takes no lock.
  virtual absl::StatusOr<std::vector<int64_t>> ListVlansInUseOnPort(std::string_view account_id,
                                                                    std::string_view port_id) = 0;
  // The account's private connects matching `filter`, newest first (created_at_ms
  // descending, then id), `page.limit` rows from `page.offset`; `total` counts
  // every match. Filtering and paging run in the database (indexes of migration 6).
  virtual absl::StatusOr<Page<PrivateConnect>> QueryPrivateConnects(
      std::string_view account_id, const PrivateConnectFilter& filter, const PageRequest& page) = 0;
  // AlreadyExists when (account_id, private_connect_id) is taken.
  virtual absl::Status InsertPrivateConnect(const PrivateConnect& connect) = 0;
  // Compare-and-swap on `connect.version`: writes every mutable column and
  // stores version + 1. Aborted when the stored version differs, NotFound when
  // the row is gone.
  virtual absl::Status UpdatePrivateConnect(const PrivateConnect& connect) = 0;
  // Compare-and-swap delete: removes the row only while its version is
  // `expected_version`. Aborted when it differs, NotFound when the row is gone.
  virtual absl::Status DeletePrivateConnect(std::string_view account_id,
                                            std::string_view private_connect_id,
                                            int64_t expected_version) = 0;

  // ---- Idempotency records of mutating requests ----
  virtual absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      std::string_view scope, std::string_view key) = 0;
  // Inserts or replaces the record for (scope, key).
  virtual absl::Status PutIdempotencyRecord(const IdempotencyRecord& record) = 0;
  virtual absl::Status DeleteIdempotencyRecord(std::string_view scope, std::string_view key) = 0;

  // ---- Audit trail of state transitions ----
  // Appends one audit entry (assigning audit_id when empty). Call it in the
  // same write transaction as the change it records. AlreadyExists when the
  // audit_id is taken.
  virtual absl::Status AppendAudit(const AuditEntry& entry) = 0;
  // Entries matching the filter, newest first (audit_id descending), at most
  // filter.limit.
  virtual absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;

  // ---- Tags, parameter values and topics of a Kafka instance ----
  // Callers lock the instance first (GetKafkaInstance in the same write
  // transaction): that serializes every change to one instance's items.
  // One kind's items of an instance, oldest first (created_at_ms, then name).
  virtual absl::StatusOr<std::vector<KafkaInstanceItem>> ListKafkaInstanceItems(
      std::string_view project_id, std::string_view instance_id, std::string_view kind) = 0;
  // Inserts or replaces the item with this (project_id, instance_id, kind, name).
  virtual absl::Status PutKafkaInstanceItem(const KafkaInstanceItem& item) = 0;
  // NotFound when absent.
  virtual absl::Status DeleteKafkaInstanceItem(std::string_view project_id,
                                               std::string_view instance_id, std::string_view kind,
                                               std::string_view name) = 0;
  // Deletes every item (of every kind) of the instance; returns how many.
  virtual absl::StatusOr<int64_t> DeleteKafkaInstanceItems(std::string_view project_id,
                                                           std::string_view instance_id) = 0;

  // ---- Emulator-wide: savepoints, resets, the state dump and job counts ----
  // Runs `fn` inside a savepoint of this (write) transaction: when `fn` returns
  // an error, everything it wrote is rolled back, the transaction stays usable,
  // and that error is returned. Used to try a job handler inline without
  // risking the request's own writes. Not nestable with itself.
  virtual absl::Status RunInSavepoint(absl::FunctionRef<absl::Status()> fn) = 0;
  // Deletes every row of every table (schema_version excepted).
  virtual absl::Status DeleteAllData() = 0;
  // Deletes what one tenant owns: Huawei project data (instances, connector
  // tasks, jobs, idempotency records) or Zenlayer account data (ports, private connects,
  // jobs). Credentials stay.
  virtual absl::Status DeleteTenantData(std::string_view tenant_id) = 0;
  // Every table's rows, for the admin state view. Columns whose name contains
  // "secret" or "password" are omitted.
  virtual absl::StatusOr<std::vector<TableDump>> DumpTables() = 0;
  // Number of jobs per (job_type, status), ordered by type then status.
  virtual absl::StatusOr<std::vector<JobCount>> CountJobs() = 0;
};

using TransactionFn = absl::FunctionRef<absl::Status(StoreTransaction&)>;

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in a read-write transaction; commits (durably) iff it returns OK.
  // Returns fn's error unchanged, or the commit error.
  //
  // `fn` may run more than once: when the database aborts the transaction in
  // a way a new attempt can cure (PostgreSQL: deadlock victim, serialization
  // failure), everything it wrote is rolled back and `fn` runs again from the
  // start, a bounded number of times (then Unavailable). So `fn` must leave
  // nothing behind outside the transaction except values that a later run
  // overwrites; logs, metrics and wake-ups belong after Write returns.
  virtual absl::Status Write(TransactionFn fn) = 0;
  // Runs `fn` in a read-only snapshot; writes inside it fail. `fn` may run
  // more than once, as for Write.
  virtual absl::Status Read(TransactionFn fn) = 0;
  // Runs each callback as if by its own Write(): each one's changes commit or
  // roll back on their own, and each status is what Write() would return. An
  // implementation may share one durable commit among them (SQLite group
  // commit); every OK is only returned once that commit is durable. The
  // default runs them one Write() after another.
  virtual std::vector<absl::Status> WriteEach(std::span<const TransactionFn> fns) {
    std::vector<absl::Status> statuses;
    statuses.reserve(fns.size());
    for (const TransactionFn& fn : fns) {
      statuses.push_back(Write(fn));
    }
    return statuses;
  }
};

}  // namespace connectplane::store
