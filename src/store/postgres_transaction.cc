#include "store/internal/postgres_transaction.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "store/internal/postgres_connection.h"
#include "store/internal/rows.h"
#include "store/internal/sql_text.h"

#include <libpq-fe.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace connectplane::store::internal {
namespace {

constexpr Placeholders kNumbered = Placeholders::kNumbered;

// Appended to a SELECT in a write transaction: the row stays locked until commit.
constexpr std::string_view kForUpdate = " FOR UPDATE";

// Separates the parts of an advisory-lock key ("table", "id", ...).
constexpr char kKeySeparator = '\x1f';

std::string LockKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    if (!key.empty()) {
      key.push_back(kKeySeparator);
    }
    key.append(part);
  }
  return key;
}

// Runs on the thread that holds the connection for the transaction's lifetime.
// The first failed statement aborts the PostgreSQL transaction; it is
// remembered so that the transaction is rolled back even if the callback
// swallows the error.
class PostgresTransaction final : public StoreTransaction {
 public:
  PostgresTransaction(PgConnection& connection, bool read_only)
      : connection_(connection), read_only_(read_only) {}

  const absl::Status& first_error() const { return first_error_; }

  // ---- Credentials: Huawei AK/SK pairs and Zenlayer API keys ----
  absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) override {
    static constexpr std::string_view kWhere = " WHERE access_key = $1";
    return QueryOptional(kSelect<HuaweiCredentialRow, kWhere>, BindArgs(access_key),
                         kReadRow<HuaweiCredentialRow>);
  }

  absl::Status PutHuaweiCredential(const HuaweiCredential& credential) override {
    return Upsert<HuaweiCredentialRow>(credential);
  }

  absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) override {
    static constexpr std::string_view kWhere = " WHERE access_key_id = $1";
    return QueryOptional(kSelect<ZenlayerCredentialRow, kWhere>, BindArgs(access_key_id),
                         kReadRow<ZenlayerCredentialRow>);
  }

  absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) override {
    return Upsert<ZenlayerCredentialRow>(credential);
  }

  absl::StatusOr<std::optional<ZenlayerToken>> FindZenlayerToken(
      std::string_view token_sha256) override {
    static constexpr std::string_view kWhere = " WHERE token_sha256 = $1";
    return QueryOptional(kSelect<ZenlayerTokenRow, kWhere>, BindArgs(token_sha256),
                         kReadRow<ZenlayerTokenRow>);
  }

  absl::Status PutZenlayerToken(const ZenlayerToken& token) override {
    return Upsert<ZenlayerTokenRow>(token);
  }

  absl::StatusOr<std::vector<ZenlayerToken>> ListZenlayerTokens() override {
    static constexpr std::string_view kWhere = " ORDER BY token_sha256";
    return QueryAll(kSelect<ZenlayerTokenRow, kWhere>, BindArgs(), kReadRow<ZenlayerTokenRow>);
  }

  // ---- Identity (Keystone v3): domains, projects, IAM users, tokens ----
  absl::Status PutIamDomain(const IamDomain& domain) override {
    return Upsert<IamDomainRow>(domain);
  }

  absl::StatusOr<std::vector<IamDomain>> ListIamDomains() override {
    static constexpr std::string_view kOrder = " ORDER BY domain_id";
    return QueryAll(kSelect<IamDomainRow, kOrder>, BindArgs(), kReadRow<IamDomainRow>);
  }

  absl::Status PutIamProject(const IamProject& project) override {
    return Upsert<IamProjectRow>(project);
  }

  absl::StatusOr<std::optional<IamProject>> FindIamProject(std::string_view project_id) override {
    static constexpr std::string_view kWhere = " WHERE project_id = $1";
    return QueryOptional(kSelect<IamProjectRow, kWhere>, BindArgs(project_id),
                         kReadRow<IamProjectRow>);
  }

  absl::StatusOr<std::vector<IamProject>> ListIamProjects(std::string_view domain_id) override {
    static constexpr std::string_view kWhere = " WHERE domain_id = $1 ORDER BY project_id";
    return QueryAll(kSelect<IamProjectRow, kWhere>, BindArgs(domain_id), kReadRow<IamProjectRow>);
  }

  absl::Status PutIamUser(const IamUser& user) override { return Upsert<IamUserRow>(user); }

  absl::StatusOr<std::optional<IamUser>> FindIamUser(std::string_view domain_id,
                                                     std::string_view name) override {
    static constexpr std::string_view kWhere = " WHERE domain_id = $1 AND name = $2";
    return QueryOptional(kSelect<IamUserRow, kWhere>, BindArgs(domain_id, name),
                         kReadRow<IamUserRow>);
  }

  absl::StatusOr<std::vector<IamUser>> ListIamUsers(std::string_view domain_id) override {
    static constexpr std::string_view kWhere = " WHERE domain_id = $1 ORDER BY user_id";
    return QueryAll(kSelect<IamUserRow, kWhere>, BindArgs(domain_id), kReadRow<IamUserRow>);
  }

  absl::Status PutIamToken(const IamToken& token) override { return Upsert<IamTokenRow>(token); }

  absl::StatusOr<std::optional<IamToken>> FindIamToken(std::string_view token_sha256) override {
    static constexpr std::string_view kWhere = " WHERE token_sha256 = $1";
    return QueryOptional(kSelect<IamTokenRow, kWhere>, BindArgs(token_sha256),
                         kReadRow<IamTokenRow>);
  }

  absl::StatusOr<int64_t> DeleteExpiredIamTokens(int64_t now_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM iam_tokens WHERE expires_at_ms <= $1", BindArgs(now_ms));
  }

  // ---- Kafka instances ----
  absl::StatusOr<std::optional<KafkaInstance>> GetKafkaInstance(
      std::string_view project_id, std::string_view instance_id) override {
    RETURN_IF_ERROR(LockRowKey({"kafka_instances", project_id, instance_id}));
    static constexpr std::string_view kWhere = " WHERE project_id = $1 AND instance_id = $2";
    return QueryOptional(read_only_ ? kSelect<KafkaInstanceRow, kWhere>
                                    : kSelect<KafkaInstanceRow, kWhere, kForUpdate>,
                         BindArgs(project_id, instance_id), kReadRow<KafkaInstanceRow>);
  }

  absl::StatusOr<Page<KafkaInstance>> ListKafkaInstances(std::string_view project_id,
                                                         const KafkaInstanceFilter& filter,
                                                         const PageRequest& page) override {
    // NULL parameters switch a predicate off, so one prepared statement serves
    // every filter combination.
    static constexpr std::string_view kWhere =
        " WHERE project_id = $1"
        " AND ($2::text IS NULL OR instance_id = $2::text)"
        " AND ($3::text IS NULL OR status = $3::text)"
        " AND ($4::text IS NULL OR ($5::int = 1 AND name = $4::text)"
        " OR ($5::int = 0 AND strpos(name, $4::text) > 0))"
        " AND ($6::int = 1 OR status <> 'CREATEFAILED')";
    static constexpr std::string_view kOrder =
        " ORDER BY created_at_ms DESC, instance_id LIMIT $7 OFFSET $8";
    auto bind_filter = [&](Params& params) {
      BindArgs(project_id, filter.instance_id, filter.status, filter.name, filter.exact_match_name,
               filter.include_failure)(params);
    };
    Page<KafkaInstance> result;
    ASSIGN_OR_RETURN(result.total, Count(kCount<KafkaInstanceRow, kWhere>, bind_filter));
    ASSIGN_OR_RETURN(result.items, QueryAll(
                                       kSelect<KafkaInstanceRow, kWhere, kOrder>,
                                       [&](Params& params) {
                                         bind_filter(params);
                                         params.Bind(page.limit).Bind(page.offset);
                                       },
                                       kReadRow<KafkaInstanceRow>));
    return result;
  }

  absl::Status InsertKafkaInstance(const KafkaInstance& instance) override {
    return Insert<KafkaInstanceRow>(instance);
  }

  absl::Status UpdateKafkaInstance(const KafkaInstance& instance) override {
    return CasUpdate<KafkaInstanceRow>(instance);
  }

  absl::Status DeleteKafkaInstance(std::string_view project_id, std::string_view instance_id,
                                   int64_t expected_version) override {
    return CasDelete<KafkaInstanceRow>(BindArgs(project_id, instance_id), instance_id,
                                       expected_version);
  }

  // ---- Smart Connect tasks of a Kafka instance ----
  absl::StatusOr<std::optional<ConnectorTask>> GetConnectorTask(std::string_view project_id,
                                                                std::string_view instance_id,
                                                                std::string_view task_id) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = $1 AND instance_id = $2 AND task_id = $3";
    return QueryOptional(read_only_ ? kSelect<ConnectorTaskRow, kWhere>
                                    : kSelect<ConnectorTaskRow, kWhere, kForUpdate>,
                         BindArgs(project_id, instance_id, task_id), kReadRow<ConnectorTaskRow>);
  }

  absl::StatusOr<std::optional<ConnectorTask>> FindConnectorTaskByName(
      std::string_view project_id, std::string_view instance_id,
      std::string_view task_name) override {
    // The caller inserts a task when this finds none: the key lock makes a
    // concurrent creator of the same name wait for our commit and then find
    // our row, as SQLite's single writer would.
    RETURN_IF_ERROR(LockRowKey({"kafka_connector_task_name", project_id, instance_id, task_name}));
    static constexpr std::string_view kWhere =
        " WHERE project_id = $1 AND instance_id = $2 AND task_name = $3";
    return QueryOptional(kSelect<ConnectorTaskRow, kWhere>,
                         BindArgs(project_id, instance_id, task_name), kReadRow<ConnectorTaskRow>);
  }

  absl::StatusOr<Page<ConnectorTask>> ListConnectorTasks(std::string_view project_id,
                                                         std::string_view instance_id,
                                                         const PageRequest& page) override {
    static constexpr std::string_view kWhere = " WHERE project_id = $1 AND instance_id = $2";
    static constexpr std::string_view kOrder =
        " ORDER BY created_at_ms, task_id LIMIT $3 OFFSET $4";
    Page<ConnectorTask> result;
    ASSIGN_OR_RETURN(result.total,
                     Count(kCount<ConnectorTaskRow, kWhere>, BindArgs(project_id, instance_id)));
    ASSIGN_OR_RETURN(result.items,
                     QueryAll(kSelect<ConnectorTaskRow, kWhere, kOrder>,
                              BindArgs(project_id, instance_id, page.limit, page.offset),
                              kReadRow<ConnectorTaskRow>));
    return result;
  }

  absl::Status InsertConnectorTask(const ConnectorTask& task) override {
    return Insert<ConnectorTaskRow>(task);
  }

  absl::Status UpdateConnectorTask(const ConnectorTask& task) override {
    return CasUpdate<ConnectorTaskRow>(task);
  }

  absl::Status DeleteConnectorTask(std::string_view project_id, std::string_view instance_id,
                                   std::string_view task_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted,
                     Execute("DELETE FROM kafka_connector_tasks "
                             "WHERE project_id = $1 AND instance_id = $2 AND task_id = $3",
                             BindArgs(project_id, instance_id, task_id)));
    if (deleted != 1) {
      return absl::NotFoundError(common::StrCat("connector task ", task_id));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteConnectorTasksOfInstance(std::string_view project_id,
                                                         std::string_view instance_id) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM kafka_connector_tasks WHERE project_id = $1 AND instance_id = $2",
                   BindArgs(project_id, instance_id));
  }

  // ---- Jobs, their runner leases and read gating ----
  absl::Status InsertJob(const Job& job) override { return Insert<JobRow>(job); }

  absl::StatusOr<std::optional<Job>> GetJob(std::string_view job_id) override {
    // Inside a write transaction the row stays locked until commit: a second
    // runner (another replica) re-reading the same job waits, then sees it
    // completed, so no job is ever applied twice.
    static constexpr std::string_view kWhere = " WHERE job_id = $1";
    return QueryOptional(read_only_ ? kSelect<JobRow, kWhere> : kSelect<JobRow, kWhere, kForUpdate>,
                         BindArgs(job_id), kReadRow<JobRow>);
  }

  absl::StatusOr<Page<Job>> ListJobsForResource(std::string_view tenant_id,
                                                std::string_view resource_id,
                                                const JobFilter& filter,
                                                const PageRequest& page) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = $1 AND resource_id = $2"
        " AND ($3::bigint IS NULL OR created_at_ms >= $3::bigint)"
        " AND ($4::bigint IS NULL OR created_at_ms <= $4::bigint)";
    static constexpr std::string_view kOrder =
        " ORDER BY created_at_ms DESC, job_id LIMIT $5 OFFSET $6";
    auto bind_filter = [&](Params& params) {
      BindArgs(tenant_id, resource_id, filter.created_from_ms, filter.created_to_ms)(params);
    };
    Page<Job> result;
    ASSIGN_OR_RETURN(result.total, Count(kCount<JobRow, kWhere>, bind_filter));
    ASSIGN_OR_RETURN(result.items, QueryAll(
                                       kSelect<JobRow, kWhere, kOrder>,
                                       [&](Params& params) {
                                         bind_filter(params);
                                         params.Bind(page.limit).Bind(page.offset);
                                       },
                                       kReadRow<JobRow>));
    return result;
  }

  absl::StatusOr<std::vector<Job>> ListDueJobs(int64_t now_ms, int limit) override {
    // A plain read, also in write transactions: claiming is ClaimDueJobs.
    static constexpr std::string_view kWhere =
        " WHERE status = 'PENDING' AND due_at_ms <= $1 "
        "ORDER BY due_at_ms, job_id LIMIT $2";
    return QueryAll(kSelect<JobRow, kWhere>, BindArgs(now_ms, limit), kReadRow<JobRow>);
  }

  absl::StatusOr<std::optional<int64_t>> NextDueAt() override {
    ASSIGN_OR_RETURN(std::optional<std::optional<int64_t>> due,
                     QueryOptional("SELECT MIN(due_at_ms) FROM jobs WHERE status = 'PENDING'",
                                   BindArgs(), kReadNullableInt));
    return due.value_or(std::nullopt);
  }

  absl::Status UpdateJob(const Job& job) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t updated,
                     Execute(kSql<[] { return UpdateSql<JobRow>(kNumbered); }>,
                             [&](Params& params) { JobRow::BindUpdate(params, job); }));
    if (updated != 1) {
      return absl::NotFoundError(common::StrCat("job ", job.job_id));
    }
    return absl::OkStatus();
  }

  absl::Status DeleteJob(std::string_view job_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted,
                     Execute("DELETE FROM jobs WHERE job_id = $1", BindArgs(job_id)));
    if (deleted != 1) {
      return absl::NotFoundError(common::StrCat("job ", job_id));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Job>> ClaimDueJobs(int64_t now_ms, std::string_view owner,
                                                int64_t lease_until_ms, int limit) override {
    RETURN_IF_ERROR(CheckWritable());
    // One statement: SKIP LOCKED passes over rows another replica is claiming
    // or completing right now, so concurrent claimers never wait on each other
    // and never get the same job. The inner ORDER BY is the queue order,
    // served by the jobs_pending_by_due index (status, due_at_ms).
    ASSIGN_OR_RETURN(
        std::vector<Job> claimed,
        QueryAll(kSql<[] {
                   return SqlBuilder()
                       .Add(
                           "UPDATE jobs SET lease_owner = $2, lease_expires_at_ms = $3 "
                           "WHERE job_id IN (SELECT job_id FROM jobs WHERE status = 'PENDING' "
                           "AND due_at_ms <= $1 AND (lease_owner = '' OR lease_expires_at_ms <= "
                           "$1) ORDER BY due_at_ms, job_id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                           "RETURNING ")
                       .Add(JobRow::kColumns);
                 }>,
                 BindArgs(now_ms, owner, lease_until_ms, limit), kReadRow<JobRow>));
    // RETURNING has no order; callers expect oldest due first.
    std::sort(claimed.begin(), claimed.end(), [](const Job& a, const Job& b) {
      return std::tie(a.due_at_ms, a.job_id) < std::tie(b.due_at_ms, b.job_id);
    });
    return claimed;
  }

  // The lease updates touch several jobs: the inner SELECT locks them in
  // job_id order (the canonical order, see store.h) before the UPDATE writes
  // them, where a bare UPDATE would lock them in whatever order the scan
  // meets them.
  absl::StatusOr<int64_t> ExtendLeases(std::string_view owner, int64_t lease_until_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(
        "UPDATE jobs SET lease_expires_at_ms = $1 WHERE job_id IN (SELECT job_id FROM jobs "
        "WHERE lease_owner = $2 AND status = 'PENDING' ORDER BY job_id FOR UPDATE) "
        "AND lease_owner = $2 AND status = 'PENDING'",
        BindArgs(lease_until_ms, owner));
  }

  absl::Status ReleaseLeases(std::string_view owner) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(
               "UPDATE jobs SET lease_owner = '', lease_expires_at_ms = 0 WHERE job_id IN "
               "(SELECT job_id FROM jobs WHERE lease_owner = $1 AND status = 'PENDING' "
               "ORDER BY job_id FOR UPDATE) AND lease_owner = $1 AND status = 'PENDING'",
               BindArgs(owner))
        .status();
  }

  absl::StatusOr<std::vector<std::string>> ListLeaseOwners() override {
    return QueryAll(
        "SELECT DISTINCT lease_owner FROM jobs WHERE status = 'PENDING' AND lease_owner <> ''",
        BindArgs(), kReadText);
  }

  absl::StatusOr<std::vector<Job>> ListReadGatedJobs(std::string_view tenant_id,
                                                     std::string_view resource_id) override {
    // Locked in a write transaction (in job_id order, so concurrent readers
    // never deadlock): two concurrent reads each count once.
    static constexpr std::string_view kWhere =
        " WHERE project_id = $1 AND resource_id = $2 AND status = 'PENDING' AND "
        "reads_remaining > 0 ORDER BY job_id";
    return QueryAll(read_only_ ? kSelect<JobRow, kWhere> : kSelect<JobRow, kWhere, kForUpdate>,
                    BindArgs(tenant_id, resource_id), kReadRow<JobRow>);
  }

  // ---- Zenlayer ports ----
  absl::StatusOr<std::optional<ZenlayerPort>> GetZenlayerPort(std::string_view account_id,
                                                              std::string_view port_id) override {
    RETURN_IF_ERROR(LockRowKey({"zenlayer_ports", account_id, port_id}));
    static constexpr std::string_view kWhere = " WHERE account_id = $1 AND port_id = $2";
    return QueryOptional(kSelect<ZenlayerPortRow, kWhere>, BindArgs(account_id, port_id),
                         kReadRow<ZenlayerPortRow>);
  }

  absl::StatusOr<std::vector<ZenlayerPort>> ListZenlayerPorts(
      std::string_view account_id) override {
    static constexpr std::string_view kWhere = " WHERE account_id = $1 ORDER BY port_id";
    return QueryAll(kSelect<ZenlayerPortRow, kWhere>, BindArgs(account_id),
                    kReadRow<ZenlayerPortRow>);
  }

  absl::Status InsertZenlayerPort(const ZenlayerPort& port) override {
    return Insert<ZenlayerPortRow>(port);
  }

  absl::Status UpdateZenlayerPort(const ZenlayerPort& port) override {
    return CasUpdate<ZenlayerPortRow>(port);
  }

  absl::Status DeleteZenlayerPort(std::string_view account_id, std::string_view port_id,
                                  int64_t expected_version) override {
    return CasDelete<ZenlayerPortRow>(BindArgs(account_id, port_id), port_id, expected_version);
  }

  absl::StatusOr<int64_t> CountPrivateConnectsOnPort(std::string_view account_id,
                                                     std::string_view port_id) override {
    ASSIGN_OR_RETURN(std::optional<int64_t> count,
                     QueryOptional("SELECT COUNT(*) FROM zenlayer_private_connects"
                                   " WHERE account_id = $1 AND (a_port_id = $2 OR z_port_id = $2)",
                                   BindArgs(account_id, port_id), kReadInt));
    return count.value_or(0);
  }

  // ---- Zenlayer data center catalog ----
  absl::StatusOr<std::optional<ZenlayerDatacenter>> GetZenlayerDatacenter(
      std::string_view dc_id) override {
    static constexpr std::string_view kWhere = " WHERE dc_id = $1";
    return QueryOptional(kSelect<ZenlayerDatacenterRow, kWhere>, BindArgs(dc_id),
                         kReadRow<ZenlayerDatacenterRow>);
  }

  absl::StatusOr<std::vector<ZenlayerDatacenter>> ListZenlayerDatacenters() override {
    static constexpr std::string_view kWhere = " ORDER BY dc_id";
    return QueryAll(kSelect<ZenlayerDatacenterRow, kWhere>, BindArgs(),
                    kReadRow<ZenlayerDatacenterRow>);
  }

  absl::Status PutZenlayerDatacenter(const ZenlayerDatacenter& datacenter) override {
    return Upsert<ZenlayerDatacenterRow>(datacenter);
  }

  // ---- Zenlayer cloud regions ----
  absl::StatusOr<std::vector<ZenlayerCloudRegion>> ListZenlayerCloudRegions(
      std::string_view cloud_type) override {
    static constexpr std::string_view kWhere = " WHERE cloud_type = $1 ORDER BY cloud_region_id, dc_id";
    return QueryAll(kSelect<ZenlayerCloudRegionRow, kWhere>, BindArgs(cloud_type),
                    kReadRow<ZenlayerCloudRegionRow>);
  }

  absl::Status PutZenlayerCloudRegion(const ZenlayerCloudRegion& region) override {
    return Upsert<ZenlayerCloudRegionRow>(region);
  }

  // ---- Zenlayer private connects ----
  absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) override {
    RETURN_IF_ERROR(LockRowKey({"zenlayer_private_connects", account_id, private_connect_id}));
    static constexpr std::string_view kWhere = " WHERE account_id = $1 AND private_connect_id = $2";
    return QueryOptional(read_only_ ? kSelect<PrivateConnectRow, kWhere>
                                    : kSelect<PrivateConnectRow, kWhere, kForUpdate>,
                         BindArgs(account_id, private_connect_id), kReadRow<PrivateConnectRow>);
  }

  absl::StatusOr<std::optional<PrivateConnect>> FindPrivateConnectByPortVlan(
      std::string_view account_id, std::string_view port_id, int64_t vlan_id) override {
    // The caller inserts a private connect when this finds none: the key lock
    // makes a concurrent creator on the same (port, vlan) wait for our commit
    // and then find our row, as SQLite's single writer would.
    std::string vlan = std::to_string(vlan_id);
    RETURN_IF_ERROR(LockRowKey({"zenlayer_port_vlan", account_id, port_id, vlan}));
    static constexpr std::string_view kWhere =
        " WHERE account_id = $1 AND "
        "((a_port_id = $2 AND a_vlan_id = $3) OR (z_port_id = $2 AND z_vlan_id = $3)) "
        "ORDER BY private_connect_id LIMIT 1";
    return QueryOptional(kSelect<PrivateConnectRow, kWhere>, BindArgs(account_id, port_id, vlan_id),
                         kReadRow<PrivateConnectRow>);
  }

  absl::StatusOr<std::vector<int64_t>> ListVlansInUseOnPort(std::string_view account_id,
                                                            std::string_view port_id) override {
    // UNION removes duplicates; both halves use the per-end port indexes.
    return QueryAll(
        "SELECT a_vlan_id FROM zenlayer_private_connects WHERE account_id = $1 AND a_port_id = $2"
        " UNION SELECT z_vlan_id FROM zenlayer_private_connects"
        " WHERE account_id = $1 AND z_port_id = $2 ORDER BY 1",
        BindArgs(account_id, port_id), kReadInt);
  }

  absl::StatusOr<Page<PrivateConnect>> QueryPrivateConnects(std::string_view account_id,
                                                            const PrivateConnectFilter& filter,
                                                            const PageRequest& page) override {
    // Only the predicates in use appear in the SQL (each variant prepared once
    // per connection), so the planner can use the primary key for ids and the
    // status index for status; ids travel as one JSON array. bind_filter binds
    // the parameters of `where` in order.
    std::string where = " WHERE account_id = $1";
    int next_param = 2;
    std::string ids;
    if (!filter.ids.empty()) {
      boost::json::array array;
      for (const std::string& id : filter.ids) {
        array.emplace_back(id);
      }
      ids = common::ToJson(array);
      where += common::StrCat(" AND private_connect_id IN (SELECT json_array_elements_text($",
                              next_param++, "::json))");
    }
    if (filter.name) {
      where += common::StrCat(" AND strpos(name, $", next_param++, "::text) > 0");
    }
    if (filter.status) {
      where += common::StrCat(" AND status = $", next_param++, "::text");
    }
    if (filter.running) {
      where += *filter.running ? " AND status = 'RUNNING'" : " AND status <> 'RUNNING'";
    }
    auto bind_filter = [&](Params& params) {
      params.Bind(account_id);
      if (!filter.ids.empty()) {
        params.Bind(ids);
      }
      if (filter.name) {
        params.Bind(*filter.name);
      }
      if (filter.status) {
        params.Bind(*filter.status);
      }
    };
    Page<PrivateConnect> result;
    ASSIGN_OR_RETURN(result.total,
                     Count(common::StrCat("SELECT COUNT(*) FROM zenlayer_private_connects", where),
                           bind_filter));
    if (page.limit <= 0 || page.offset >= result.total) {
      return result;
    }
    static constexpr std::string_view kWhere = "";
    ASSIGN_OR_RETURN(result.items,
                     QueryAll(
                         common::StrCat(kSelect<PrivateConnectRow, kWhere>, where,
                                        " ORDER BY created_at_ms DESC, private_connect_id"
                                        " LIMIT $",
                                        next_param, " OFFSET $", next_param + 1),
                         [&](Params& params) {
                           bind_filter(params);
                           params.Bind(page.limit).Bind(page.offset);
                         },
                         kReadRow<PrivateConnectRow>));
    return result;
  }

  absl::Status InsertPrivateConnect(const PrivateConnect& connect) override {
    return Insert<PrivateConnectRow>(connect);
  }

  absl::Status UpdatePrivateConnect(const PrivateConnect& connect) override {
    return CasUpdate<PrivateConnectRow>(connect);
  }

  absl::Status DeletePrivateConnect(std::string_view account_id,
                                    std::string_view private_connect_id,
                                    int64_t expected_version) override {
    return CasDelete<PrivateConnectRow>(BindArgs(account_id, private_connect_id),
                                        private_connect_id, expected_version);
  }

  // ---- Idempotency records of mutating requests ----
  absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      std::string_view scope, std::string_view key) override {
    RETURN_IF_ERROR(LockRowKey({"idempotency_keys", scope, key}));
    static constexpr std::string_view kWhere = " WHERE scope = $1 AND idem_key = $2";
    return QueryOptional(kSelect<IdempotencyRecordRow, kWhere>, BindArgs(scope, key),
                         kReadRow<IdempotencyRecordRow>);
  }

  absl::Status PutIdempotencyRecord(const IdempotencyRecord& record) override {
    return Upsert<IdempotencyRecordRow>(record);
  }

  absl::Status DeleteIdempotencyRecord(std::string_view scope, std::string_view key) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2",
                   BindArgs(scope, key))
        .status();
  }

  // ---- Audit trail of state transitions ----
  absl::Status AppendAudit(const AuditEntry& entry) override {
    RETURN_IF_ERROR(CheckWritable());
    std::string assigned_id;
    std::string_view audit_id = entry.audit_id;
    if (audit_id.empty()) {
      assigned_id = NewAuditId(entry.at_ms);
      audit_id = assigned_id;
    }
    ASSIGN_OR_RETURN(
        int64_t inserted,
        Execute(
            kSql<[] { return InsertSql<AuditEntryRow>(kNumbered).Add(" ON CONFLICT DO NOTHING"); }>,
            [&](Params& params) { AuditEntryRow::BindInsert(params, entry, audit_id); }));
    if (inserted == 0) {
      return KeyTaken<AuditEntryRow>(audit_id);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override {
    static constexpr std::string_view kWhere =
        " WHERE ($1::text IS NULL OR tenant = $1)"
        " AND ($2::text IS NULL OR resource_id = $2)"
        " AND ($3::text IS NULL OR audit_id < $3)"
        " ORDER BY audit_id DESC LIMIT $4";
    return QueryAll(
        kSelect<AuditEntryRow, kWhere>,
        BindArgs(filter.tenant, filter.resource_id, filter.before_audit_id, filter.limit),
        kReadRow<AuditEntryRow>);
  }

  // ---- Tags, parameter values and topics of a Kafka instance ----
  absl::StatusOr<std::vector<KafkaInstanceItem>> ListKafkaInstanceItems(
      std::string_view project_id, std::string_view instance_id, std::string_view kind) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = $1 AND instance_id = $2 AND kind = $3 ORDER BY created_at_ms, name";
    return QueryAll(kSelect<KafkaInstanceItemRow, kWhere>, BindArgs(project_id, instance_id, kind),
                    kReadRow<KafkaInstanceItemRow>);
  }

  absl::Status PutKafkaInstanceItem(const KafkaInstanceItem& item) override {
    return Upsert<KafkaInstanceItemRow>(item);
  }

  absl::Status DeleteKafkaInstanceItem(std::string_view project_id, std::string_view instance_id,
                                       std::string_view kind, std::string_view name) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted,
                     Execute("DELETE FROM kafka_instance_items WHERE project_id = $1 AND "
                             "instance_id = $2 AND kind = $3 AND name = $4",
                             BindArgs(project_id, instance_id, kind, name)));
    if (deleted != 1) {
      return absl::NotFoundError(common::StrCat("kafka instance ", kind, " ", name));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteKafkaInstanceItems(std::string_view project_id,
                                                   std::string_view instance_id) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM kafka_instance_items WHERE project_id = $1 AND instance_id = $2",
                   BindArgs(project_id, instance_id));
  }

  // ---- Emulator-wide: savepoints, resets, the state dump and job counts ----
  absl::Status RunInSavepoint(absl::FunctionRef<absl::Status()> fn) override {
    RETURN_IF_ERROR(CheckWritable());
    RETURN_IF_ERROR(RunDynamic("SAVEPOINT inline_step").status());
    absl::Status status = fn();
    if (!status.ok()) {
      // A failed statement inside fn aborted the transaction up to here only:
      // after ROLLBACK TO it is usable again, so its error is forgotten.
      first_error_ = absl::OkStatus();
      RETURN_IF_ERROR(RunDynamic("ROLLBACK TO SAVEPOINT inline_step").status());
    }
    RETURN_IF_ERROR(RunDynamic("RELEASE SAVEPOINT inline_step").status());
    return status;
  }

  absl::Status DeleteAllData() override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(std::vector<std::string> tables, DataTables());
    for (const std::string& table : tables) {
      RETURN_IF_ERROR(
          RunDynamic(common::StrCat("DELETE FROM ", connection_.QuoteIdentifier(table))).status());
    }
    return absl::OkStatus();
  }

  absl::Status DeleteTenantData(std::string_view tenant_id) override {
    RETURN_IF_ERROR(CheckWritable());
    for (const TenantColumn& owned : kTenantOwned) {
      RETURN_IF_ERROR(
          Execute(common::StrCat("DELETE FROM ", owned.table, " WHERE ", owned.column, " = $1"),
                  BindArgs(tenant_id))
              .status());
    }
    return Execute("DELETE FROM idempotency_keys WHERE scope LIKE $1",
                   BindArgs(common::StrCat("%:", tenant_id)))
        .status();
  }

  absl::StatusOr<std::vector<TableDump>> DumpTables() override {
    ASSIGN_OR_RETURN(std::vector<std::string> tables, DataTables());
    std::vector<TableDump> dumps;
    for (const std::string& table : tables) {
      if (table == AuditEntryRow::kTable) {
        continue;  // served paginated by ListAudit
      }
      ASSIGN_OR_RETURN(PgResult rows, RunDynamic(common::StrCat(
                                          "SELECT * FROM ", connection_.QuoteIdentifier(table))));
      TableDump dump;
      dump.table = table;
      std::vector<int> kept;
      for (int column = 0; column < rows.Columns(); ++column) {
        std::string name = rows.ColumnName(column);
        if (!IsSecretColumn(name)) {
          kept.push_back(column);
          dump.columns.push_back(std::move(name));
        }
      }
      for (int row_idx = 0; row_idx < rows.Rows(); ++row_idx) {
        PgRow row = rows.Row(row_idx);
        std::vector<std::optional<std::string>> values;
        values.reserve(kept.size());
        for (int column : kept) {
          values.push_back(row.IsNull(column) ? std::nullopt
                                              : std::optional<std::string>(row.Text(column)));
        }
        dump.rows.push_back(std::move(values));
      }
      dumps.push_back(std::move(dump));
    }
    return dumps;
  }

  absl::StatusOr<std::vector<JobCount>> CountJobs() override {
    return QueryAll(
        "SELECT job_type, status, COUNT(*) FROM jobs "
        "GROUP BY job_type, status ORDER BY job_type, status",
        BindArgs(), [](const PgRow& row) -> absl::StatusOr<JobCount> {
          std::optional<JobStatus> status = ParseJobStatus(row.Text(1));
          if (!status) {
            return absl::InternalError(common::StrCat("jobs with unknown status ", row.Text(1)));
          }
          return JobCount{row.Text(0), *status, row.Int(2)};
        });
  }

 private:
  // Runs `sql` (prepared once per connection) with the parameters `bind`
  // binds. After a failed statement PostgreSQL has aborted the transaction:
  // every later one fails with that first error.
  template <class Binder>
  absl::StatusOr<PgResult> Run(std::string_view sql, Binder&& bind) {
    RETURN_IF_ERROR(first_error_);
    Params params;
    bind(params);
    return Remember(connection_.ExecPrepared(sql, params));
  }
  // Run, unprepared, for SQL built at run time from identifiers.
  absl::StatusOr<PgResult> RunDynamic(const std::string& sql) {
    RETURN_IF_ERROR(first_error_);
    return Remember(connection_.ExecParams(sql, Params()));
  }
  absl::StatusOr<PgResult> Remember(absl::StatusOr<PgResult> result) {
    if (!result.ok()) {
      first_error_ = result.status();
    }
    return result;
  }

  // read(first row) of what `sql` selects, or nullopt when it selects no row.
  template <class Binder, class Reader>
  absl::StatusOr<std::optional<ReadType<Reader, PgRow>>> QueryOptional(std::string_view sql,
                                                                       Binder&& bind,
                                                                       Reader&& read) {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, bind));
    if (result.Rows() == 0) {
      return std::nullopt;
    }
    return ReadOptional(read, result.Row(0));
  }
  // read(row) of every row `sql` selects, or the reader's first error.
  template <class Binder, class Reader>
  absl::StatusOr<std::vector<ReadType<Reader, PgRow>>> QueryAll(std::string_view sql, Binder&& bind,
                                                                Reader&& read) {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, bind));
    std::vector<ReadType<Reader, PgRow>> rows;
    rows.reserve(static_cast<size_t>(result.Rows()));
    for (int row = 0; row < result.Rows(); ++row) {
      RETURN_IF_ERROR(AppendRead(read, result.Row(row), rows));
    }
    return rows;
  }
  // Runs a statement that selects nothing; returns how many rows it changed.
  template <class Binder>
  absl::StatusOr<int64_t> Execute(std::string_view sql, Binder&& bind) {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, bind));
    return result.Affected();
  }
  // The COUNT(*) `sql` selects; 0 without a row.
  template <class Binder>
  absl::StatusOr<int64_t> Count(std::string_view sql, Binder&& bind) {
    ASSIGN_OR_RETURN(std::optional<int64_t> count, QueryOptional(sql, bind, kReadInt));
    return count.value_or(0);
  }

  // Inserts `value`; AlreadyExists naming it when its key is taken. ON
  // CONFLICT DO NOTHING reports a taken key without aborting the transaction
  // (a unique violation would), matching SQLite where the caller may carry on
  // after AlreadyExists.
  template <class Format>
  absl::Status Insert(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        int64_t inserted,
        Execute(kSql<[] { return InsertSql<Format>(kNumbered).Add(" ON CONFLICT DO NOTHING"); }>,
                [&](Params& params) { Format::BindInsert(params, value); }));
    if (inserted == 0) {
      return KeyTaken<Format>(Format::Id(value));
    }
    return absl::OkStatus();
  }

  // Inserts `value`, or replaces the row with its key.
  template <class Format>
  absl::Status Upsert(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(kSql<[] { return UpsertSql<Format>(kNumbered); }>,
                   [&](Params& params) { Format::BindInsert(params, value); })
        .status();
  }

  // Compare-and-swap update of `value`, expecting value.version. Under READ
  // COMMITTED a concurrent updater's row lock makes this wait; the WHERE
  // clause is then re-checked against the committed row, so exactly one of two
  // writers holding the same version wins.
  template <class Format>
  absl::Status CasUpdate(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t updated,
                     Execute(kSql<[] { return CasUpdateSql<Format>(kNumbered); }>,
                             [&](Params& params) { Format::BindUpdate(params, value); }));
    if (updated == 1) {
      return absl::OkStatus();
    }
    return CasFailureFor<Format>([&](Params& params) { Format::BindKey(params, value); },
                                 Format::Id(value), value.version);
  }

  // Compare-and-swap delete of the row `bind_key` binds the key of.
  template <class Format, class KeyBinder>
  absl::Status CasDelete(KeyBinder bind_key, std::string_view id, int64_t expected_version) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted, Execute(kSql<[] { return CasDeleteSql<Format>(kNumbered); }>,
                                              [&](Params& params) {
                                                bind_key(params);
                                                params.Bind(expected_version);
                                              }));
    if (deleted == 1) {
      return absl::OkStatus();
    }
    return CasFailureFor<Format>(bind_key, id, expected_version);
  }

  // After a compare-and-swap changed no row: NotFound or Aborted (see
  // CasFailure in internal/rows.h), from the row's current version.
  template <class Format, class KeyBinder>
  absl::Status CasFailureFor(KeyBinder&& bind_key, std::string_view id, int64_t expected_version) {
    ASSIGN_OR_RETURN(std::optional<int64_t> current,
                     QueryOptional(kSql<[] { return SelectVersionSql<Format>(kNumbered); }>,
                                   bind_key, kReadInt));
    return internal::CasFailure(Format::kNoun, id, current, expected_version);
  }

  absl::StatusOr<std::vector<std::string>> DataTables() {
    return QueryAll(
        "SELECT table_name::text FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
        "AND table_name <> 'schema_version' ORDER BY table_name",
        BindArgs(), kReadText);
  }

  // In a write transaction, takes a transaction-scoped advisory lock on the
  // key of a row the caller is about to read and maybe insert. Row locks
  // (FOR UPDATE) cannot cover a row that does not exist yet; this makes
  // "read, then insert if absent" on one key serialize across replicas as it
  // does under SQLite's single writer. No-op in read transactions.
  absl::Status LockRowKey(std::initializer_list<std::string_view> parts) {
    if (read_only_) {
      return absl::OkStatus();
    }
    return Run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", BindArgs(LockKey(parts)))
        .status();
  }

  absl::Status CheckWritable() const {
    if (read_only_) {
      return absl::InternalError("write attempted inside a read-only transaction");
    }
    return absl::OkStatus();
  }

  PgConnection& connection_;
  bool read_only_;
  absl::Status first_error_;
};

}  // namespace

absl::Status CallWithTransaction(PgConnection& connection, bool read_only, TransactionFn fn) {
  PostgresTransaction transaction(connection, read_only);
  absl::Status status = fn(transaction);
  if ((status.ok() && !transaction.first_error().ok()) ||
      IsRetryableTransactionError(transaction.first_error())) {
    // The callback swallowed a failed statement (PostgreSQL has aborted the
    // transaction, so committing would silently roll back), or the database
    // aborted it in a way a new attempt can cure.
    return transaction.first_error();
  }
  return status;
}

}  // namespace connectplane::store::internal
