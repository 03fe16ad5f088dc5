#include "store/internal/sqlite_transaction.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "store/internal/rows.h"
#include "store/internal/sql_text.h"
#include "store/internal/sqlite_statement.h"

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::store::internal {
namespace {

constexpr Placeholders kQuestionMarks = Placeholders::kQuestionMarks;

constexpr SqlText kInlineSavepoint = "SAVEPOINT inline_step";
constexpr SqlText kInlineRelease = "RELEASE inline_step";
constexpr SqlText kInlineRollback = "ROLLBACK TO inline_step";

// ["a","b"] for json_each().
std::string JsonArray(const std::vector<std::string>& values) {
  boost::json::array array;
  for (const std::string& value : values) {
    array.emplace_back(value);
  }
  return common::ToJson(array);
}

// Runs on the thread that owns `conn` for the transaction's lifetime.
class SqliteTransaction final : public StoreTransaction {
 public:
  SqliteTransaction(SqliteConnection& conn, bool read_only) : conn_(conn), read_only_(read_only) {}

  // ---- Credentials: Huawei AK/SK pairs and Zenlayer API keys ----
  absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) override {
    static constexpr std::string_view kWhere = " WHERE access_key = ?";
    return QueryOptional(kSelect<HuaweiCredentialRow, kWhere>, BindArgs(access_key),
                         kReadRow<HuaweiCredentialRow>);
  }

  absl::Status PutHuaweiCredential(const HuaweiCredential& credential) override {
    return Upsert<HuaweiCredentialRow>(credential);
  }

  absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) override {
    static constexpr std::string_view kWhere = " WHERE access_key_id = ?";
    return QueryOptional(kSelect<ZenlayerCredentialRow, kWhere>, BindArgs(access_key_id),
                         kReadRow<ZenlayerCredentialRow>);
  }

  absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) override {
    return Upsert<ZenlayerCredentialRow>(credential);
  }

  absl::StatusOr<std::optional<ZenlayerToken>> FindZenlayerToken(
      std::string_view token_sha256) override {
    static constexpr std::string_view kWhere = " WHERE token_sha256 = ?";
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
    static constexpr std::string_view kWhere = " WHERE project_id = ?";
    return QueryOptional(kSelect<IamProjectRow, kWhere>, BindArgs(project_id),
                         kReadRow<IamProjectRow>);
  }

  absl::StatusOr<std::vector<IamProject>> ListIamProjects(std::string_view domain_id) override {
    static constexpr std::string_view kWhere = " WHERE domain_id = ? ORDER BY project_id";
    return QueryAll(kSelect<IamProjectRow, kWhere>, BindArgs(domain_id), kReadRow<IamProjectRow>);
  }

  absl::Status PutIamUser(const IamUser& user) override { return Upsert<IamUserRow>(user); }

  absl::StatusOr<std::optional<IamUser>> FindIamUser(std::string_view domain_id,
                                                     std::string_view name) override {
    static constexpr std::string_view kWhere = " WHERE domain_id = ? AND name = ?";
    return QueryOptional(kSelect<IamUserRow, kWhere>, BindArgs(domain_id, name),
                         kReadRow<IamUserRow>);
  }

  absl::StatusOr<std::vector<IamUser>> ListIamUsers(std::string_view domain_id) override {
    static constexpr std::string_view kWhere = " WHERE domain_id = ? ORDER BY user_id";
    return QueryAll(kSelect<IamUserRow, kWhere>, BindArgs(domain_id), kReadRow<IamUserRow>);
  }

  absl::Status PutIamToken(const IamToken& token) override { return Upsert<IamTokenRow>(token); }

  absl::StatusOr<std::optional<IamToken>> FindIamToken(std::string_view token_sha256) override {
    static constexpr std::string_view kWhere = " WHERE token_sha256 = ?";
    return QueryOptional(kSelect<IamTokenRow, kWhere>, BindArgs(token_sha256),
                         kReadRow<IamTokenRow>);
  }

  absl::StatusOr<int64_t> DeleteExpiredIamTokens(int64_t now_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM iam_tokens WHERE expires_at_ms <= ?", BindArgs(now_ms));
  }

  // ---- Kafka instances ----
  absl::StatusOr<std::optional<KafkaInstance>> GetKafkaInstance(
      std::string_view project_id, std::string_view instance_id) override {
    static constexpr std::string_view kWhere = " WHERE project_id = ? AND instance_id = ?";
    return QueryOptional(kSelect<KafkaInstanceRow, kWhere>, BindArgs(project_id, instance_id),
                         kReadRow<KafkaInstanceRow>);
  }

  absl::StatusOr<Page<KafkaInstance>> ListKafkaInstances(std::string_view project_id,
                                                         const KafkaInstanceFilter& filter,
                                                         const PageRequest& page) override {
    // NULL parameters switch a predicate off, so one cached statement serves
    // every filter combination.
    static constexpr std::string_view kWhere =
        " WHERE project_id = ?1"
        " AND (?2 IS NULL OR instance_id = ?2)"
        " AND (?3 IS NULL OR status = ?3)"
        " AND (?4 IS NULL OR (?5 = 1 AND name = ?4) OR (?5 = 0 AND instr(name, ?4) > 0))"
        " AND (?6 = 1 OR status <> 'CREATEFAILED')";
    static constexpr std::string_view kOrder =
        " ORDER BY created_at_ms DESC, instance_id LIMIT ?7 OFFSET ?8";
    auto bind_filter = [&](Statement& stmt) {
      BindArgs(project_id, filter.instance_id, filter.status, filter.name, filter.exact_match_name,
               filter.include_failure)(stmt);
    };
    Page<KafkaInstance> result;
    ASSIGN_OR_RETURN(result.total, Count(kCount<KafkaInstanceRow, kWhere>, bind_filter));
    ASSIGN_OR_RETURN(result.items, QueryAll(
                                       kSelect<KafkaInstanceRow, kWhere, kOrder>,
                                       [&](Statement& stmt) {
                                         bind_filter(stmt);
                                         stmt.Bind(page.limit).Bind(page.offset);
                                       },
                                       kReadRow<KafkaInstanceRow>, RowsOnPage(page, result.total)));
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
        " WHERE project_id = ? AND instance_id = ? AND task_id = ?";
    return QueryOptional(kSelect<ConnectorTaskRow, kWhere>,
                         BindArgs(project_id, instance_id, task_id), kReadRow<ConnectorTaskRow>);
  }

  absl::StatusOr<std::optional<ConnectorTask>> FindConnectorTaskByName(
      std::string_view project_id, std::string_view instance_id,
      std::string_view task_name) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = ? AND instance_id = ? AND task_name = ?";
    return QueryOptional(kSelect<ConnectorTaskRow, kWhere>,
                         BindArgs(project_id, instance_id, task_name), kReadRow<ConnectorTaskRow>);
  }

  absl::StatusOr<Page<ConnectorTask>> ListConnectorTasks(std::string_view project_id,
                                                         std::string_view instance_id,
                                                         const PageRequest& page) override {
    static constexpr std::string_view kWhere = " WHERE project_id = ? AND instance_id = ?";
    static constexpr std::string_view kOrder = " ORDER BY created_at_ms, task_id LIMIT ? OFFSET ?";
    Page<ConnectorTask> result;
    ASSIGN_OR_RETURN(result.total,
                     Count(kCount<ConnectorTaskRow, kWhere>, BindArgs(project_id, instance_id)));
    ASSIGN_OR_RETURN(result.items,
                     QueryAll(kSelect<ConnectorTaskRow, kWhere, kOrder>,
                              BindArgs(project_id, instance_id, page.limit, page.offset),
                              kReadRow<ConnectorTaskRow>, RowsOnPage(page, result.total)));
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
                             "WHERE project_id = ? AND instance_id = ? AND task_id = ?",
                             BindArgs(project_id, instance_id, task_id)));
    if (deleted != 1) {
      return absl::NotFoundError(common::StrCat("connector task ", task_id));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteConnectorTasksOfInstance(std::string_view project_id,
                                                         std::string_view instance_id) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM kafka_connector_tasks WHERE project_id = ? AND instance_id = ?",
                   BindArgs(project_id, instance_id));
  }

  // ---- Jobs, their runner leases and read gating ----
  absl::Status InsertJob(const Job& job) override { return Insert<JobRow>(job); }

  absl::StatusOr<std::optional<Job>> GetJob(std::string_view job_id) override {
    static constexpr std::string_view kWhere = " WHERE job_id = ?";
    return QueryOptional(kSelect<JobRow, kWhere>, BindArgs(job_id), kReadRow<JobRow>);
  }

  absl::StatusOr<Page<Job>> ListJobsForResource(std::string_view tenant_id,
                                                std::string_view resource_id,
                                                const JobFilter& filter,
                                                const PageRequest& page) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = ?1 AND resource_id = ?2"
        " AND (?3 IS NULL OR created_at_ms >= ?3) AND (?4 IS NULL OR created_at_ms <= ?4)";
    static constexpr std::string_view kOrder =
        " ORDER BY created_at_ms DESC, job_id LIMIT ?5 OFFSET ?6";
    auto bind_filter = [&](Statement& stmt) {
      BindArgs(tenant_id, resource_id, filter.created_from_ms, filter.created_to_ms)(stmt);
    };
    Page<Job> result;
    ASSIGN_OR_RETURN(result.total, Count(kCount<JobRow, kWhere>, bind_filter));
    ASSIGN_OR_RETURN(result.items, QueryAll(
                                       kSelect<JobRow, kWhere, kOrder>,
                                       [&](Statement& stmt) {
                                         bind_filter(stmt);
                                         stmt.Bind(page.limit).Bind(page.offset);
                                       },
                                       kReadRow<JobRow>, RowsOnPage(page, result.total)));
    return result;
  }

  absl::StatusOr<std::vector<Job>> ListDueJobs(int64_t now_ms, int limit) override {
    static constexpr std::string_view kWhere =
        " WHERE status = 'PENDING' AND due_at_ms <= ? "
        "ORDER BY due_at_ms, job_id LIMIT ?";
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
                     Execute(kSql<[] { return UpdateSql<JobRow>(kQuestionMarks); }>,
                             [&](Statement& stmt) { JobRow::BindUpdate(stmt, job); }));
    if (updated != 1) {
      return absl::NotFoundError(common::StrCat("job ", job.job_id));
    }
    return absl::OkStatus();
  }

  absl::Status DeleteJob(std::string_view job_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted,
                     Execute("DELETE FROM jobs WHERE job_id = ?", BindArgs(job_id)));
    if (deleted != 1) {
      return absl::NotFoundError(common::StrCat("job ", job_id));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Job>> ClaimDueJobs(int64_t now_ms, std::string_view owner,
                                                int64_t lease_until_ms, int limit) override {
    RETURN_IF_ERROR(CheckWritable());
    // The write transaction (BEGIN IMMEDIATE) makes select-then-update atomic.
    ASSIGN_OR_RETURN(std::vector<Job> due, ListDueJobs(now_ms, limit * 4));
    std::vector<Job> claimed;
    for (Job& job : due) {
      if (static_cast<int>(claimed.size()) >= limit) {
        break;
      }
      if (!job.lease_owner.empty() && job.lease_expires_at_ms > now_ms) {
        continue;
      }
      job.lease_owner = std::string(owner);
      job.lease_expires_at_ms = lease_until_ms;
      RETURN_IF_ERROR(UpdateJob(job));
      claimed.push_back(std::move(job));
    }
    return claimed;
  }

  absl::StatusOr<int64_t> ExtendLeases(std::string_view owner, int64_t lease_until_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(
        "UPDATE jobs SET lease_expires_at_ms = ? WHERE lease_owner = ? AND status = 'PENDING'",
        BindArgs(lease_until_ms, owner));
  }

  absl::Status ReleaseLeases(std::string_view owner) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(
               "UPDATE jobs SET lease_owner = '', lease_expires_at_ms = 0 "
               "WHERE lease_owner = ? AND status = 'PENDING'",
               BindArgs(owner))
        .status();
  }

  absl::StatusOr<std::vector<std::string>> ListLeaseOwners() override {
    return QueryAll(
        "SELECT DISTINCT lease_owner FROM jobs WHERE status = 'PENDING' AND lease_owner != ''",
        BindArgs(), kReadText);
  }

  absl::StatusOr<std::vector<Job>> ListReadGatedJobs(std::string_view tenant_id,
                                                     std::string_view resource_id) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = ? AND resource_id = ? AND "
        "status = 'PENDING' AND reads_remaining > 0 ORDER BY job_id";
    return QueryAll(kSelect<JobRow, kWhere>, BindArgs(tenant_id, resource_id), kReadRow<JobRow>);
  }

  // ---- Zenlayer ports ----
  absl::StatusOr<std::optional<ZenlayerPort>> GetZenlayerPort(std::string_view account_id,
                                                              std::string_view port_id) override {
    static constexpr std::string_view kWhere = " WHERE account_id = ? AND port_id = ?";
    return QueryOptional(kSelect<ZenlayerPortRow, kWhere>, BindArgs(account_id, port_id),
                         kReadRow<ZenlayerPortRow>);
  }

  absl::StatusOr<std::vector<ZenlayerPort>> ListZenlayerPorts(
      std::string_view account_id) override {
    static constexpr std::string_view kWhere = " WHERE account_id = ? ORDER BY port_id";
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
                                   " WHERE account_id = ?1 AND (a_port_id = ?2 OR z_port_id = ?2)",
                                   BindArgs(account_id, port_id), kReadInt));
    return count.value_or(0);
  }

  // ---- Zenlayer data center catalog ----
  absl::StatusOr<std::optional<ZenlayerDatacenter>> GetZenlayerDatacenter(
      std::string_view dc_id) override {
    static constexpr std::string_view kWhere = " WHERE dc_id = ?";
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
    static constexpr std::string_view kWhere = " WHERE cloud_type = ? ORDER BY cloud_region_id, dc_id";
    return QueryAll(kSelect<ZenlayerCloudRegionRow, kWhere>, BindArgs(cloud_type),
                    kReadRow<ZenlayerCloudRegionRow>);
  }

  absl::Status PutZenlayerCloudRegion(const ZenlayerCloudRegion& region) override {
    return Upsert<ZenlayerCloudRegionRow>(region);
  }

  // ---- Zenlayer private connects ----
  absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) override {
    static constexpr std::string_view kWhere = " WHERE account_id = ? AND private_connect_id = ?";
    return QueryOptional(kSelect<PrivateConnectRow, kWhere>,
                         BindArgs(account_id, private_connect_id), kReadRow<PrivateConnectRow>);
  }

  absl::StatusOr<std::optional<PrivateConnect>> FindPrivateConnectByPortVlan(
      std::string_view account_id, std::string_view port_id, int64_t vlan_id) override {
    static constexpr std::string_view kWhere =
        " WHERE account_id = ?1 AND"
        " ((a_port_id = ?2 AND a_vlan_id = ?3) OR"
        " (z_port_id = ?2 AND z_vlan_id = ?3))"
        " ORDER BY private_connect_id LIMIT 1";
    return QueryOptional(kSelect<PrivateConnectRow, kWhere>, BindArgs(account_id, port_id, vlan_id),
                         kReadRow<PrivateConnectRow>);
  }

  absl::StatusOr<std::vector<int64_t>> ListVlansInUseOnPort(std::string_view account_id,
                                                            std::string_view port_id) override {
    // UNION removes duplicates; both halves use the per-end port indexes.
    return QueryAll(
        "SELECT a_vlan_id FROM zenlayer_private_connects WHERE account_id = ?1 AND a_port_id = ?2"
        " UNION SELECT z_vlan_id FROM zenlayer_private_connects"
        " WHERE account_id = ?1 AND z_port_id = ?2 ORDER BY 1",
        BindArgs(account_id, port_id), kReadInt);
  }

  absl::StatusOr<Page<PrivateConnect>> QueryPrivateConnects(std::string_view account_id,
                                                            const PrivateConnectFilter& filter,
                                                            const PageRequest& page) override {
    // Only the predicates in use appear in the SQL (at most 24 variants, each
    // prepared once per connection): "? IS NULL OR …" would keep SQLite from
    // using the primary key for ids and the status index for status.
    // bind_filter binds the parameters of `where` in order.
    std::string where = " WHERE account_id = ?";
    if (!filter.ids.empty()) {
      where += " AND private_connect_id IN (SELECT value FROM json_each(?))";
    }
    if (filter.name) {
      where += " AND instr(name, ?) > 0";
    }
    if (filter.status) {
      where += " AND status = ?";
    }
    if (filter.running) {
      where += *filter.running ? " AND status = 'RUNNING'" : " AND status != 'RUNNING'";
    }
    const std::string ids = filter.ids.empty() ? std::string() : JsonArray(filter.ids);
    auto bind_filter = [&](Statement& stmt) {
      stmt.Bind(account_id);
      if (!filter.ids.empty()) {
        stmt.Bind(ids);
      }
      if (filter.name) {
        stmt.Bind(*filter.name);
      }
      if (filter.status) {
        stmt.Bind(*filter.status);
      }
    };
    Page<PrivateConnect> result;
    if (filter.ids.empty() && !filter.name) {
      // Status and running filters are answered by the counts the triggers of
      // migration 7 keep; ids and name need the rows.
      std::string count_sql =
          "SELECT COALESCE(SUM(connects), 0) FROM zenlayer_private_connect_counts"
          " WHERE account_id = ?";
      if (filter.status) {
        count_sql += " AND status = ?";
      }
      if (filter.running) {
        count_sql += *filter.running ? " AND status = 'RUNNING'" : " AND status != 'RUNNING'";
      }
      ASSIGN_OR_RETURN(result.total, Count(count_sql, bind_filter));
    } else {
      std::string count_sql = "SELECT COUNT(*) FROM zenlayer_private_connects";
      count_sql += where;
      ASSIGN_OR_RETURN(result.total, Count(count_sql, bind_filter));
    }
    if (page.limit <= 0 || page.offset >= result.total) {
      return result;
    }
    std::string list_sql(kSelect<PrivateConnectRow>);
    list_sql += where;
    // With ids (at most 100 rows) sort them: "+" keeps the planner from
    // walking the whole account in created_at order instead of the key.
    list_sql +=
        filter.ids.empty() ? " ORDER BY created_at_ms DESC" : " ORDER BY +created_at_ms DESC";
    list_sql += ", private_connect_id LIMIT ? OFFSET ?";
    ASSIGN_OR_RETURN(result.items,
                     QueryAll(
                         list_sql,
                         [&](Statement& stmt) {
                           bind_filter(stmt);
                           stmt.Bind(page.limit).Bind(page.offset);
                         },
                         kReadRow<PrivateConnectRow>, RowsOnPage(page, result.total)));
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
    static constexpr std::string_view kWhere = " WHERE scope = ? AND idem_key = ?";
    return QueryOptional(kSelect<IdempotencyRecordRow, kWhere>, BindArgs(scope, key),
                         kReadRow<IdempotencyRecordRow>);
  }

  absl::Status PutIdempotencyRecord(const IdempotencyRecord& record) override {
    return Upsert<IdempotencyRecordRow>(record);
  }

  absl::Status DeleteIdempotencyRecord(std::string_view scope, std::string_view key) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ?",
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
    absl::Status status =
        Execute(kSql<[] { return InsertSql<AuditEntryRow>(kQuestionMarks); }>,
                [&](Statement& stmt) { AuditEntryRow::BindInsert(stmt, entry, audit_id); })
            .status();
    if (absl::IsAlreadyExists(status)) {
      return KeyTaken<AuditEntryRow>(audit_id);
    }
    return status;
  }

  absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override {
    static constexpr std::string_view kWhere =
        " WHERE (?1 IS NULL OR tenant = ?1)"
        " AND (?2 IS NULL OR resource_id = ?2)"
        " AND (?3 IS NULL OR audit_id < ?3)"
        " ORDER BY audit_id DESC LIMIT ?4";
    return QueryAll(
        kSelect<AuditEntryRow, kWhere>,
        BindArgs(filter.tenant, filter.resource_id, filter.before_audit_id, filter.limit),
        kReadRow<AuditEntryRow>);
  }

  // ---- Tags, parameter values and topics of a Kafka instance ----
  absl::StatusOr<std::vector<KafkaInstanceItem>> ListKafkaInstanceItems(
      std::string_view project_id, std::string_view instance_id, std::string_view kind) override {
    static constexpr std::string_view kWhere =
        " WHERE project_id = ? AND instance_id = ? AND kind = ? ORDER BY created_at_ms, name";
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
                     Execute("DELETE FROM kafka_instance_items WHERE project_id = ? AND "
                             "instance_id = ? AND kind = ? AND name = ?",
                             BindArgs(project_id, instance_id, kind, name)));
    if (deleted != 1) {
      return absl::NotFoundError(common::StrCat("kafka instance ", kind, " ", name));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteKafkaInstanceItems(std::string_view project_id,
                                                   std::string_view instance_id) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute("DELETE FROM kafka_instance_items WHERE project_id = ? AND instance_id = ?",
                   BindArgs(project_id, instance_id));
  }

  // ---- Emulator-wide: savepoints, resets, the state dump and job counts ----
  absl::Status RunInSavepoint(absl::FunctionRef<absl::Status()> fn) override {
    RETURN_IF_ERROR(CheckWritable());
    RETURN_IF_ERROR(ExecControl(conn_, kInlineSavepoint));
    absl::Status status = fn();
    if (!status.ok()) {
      // ROLLBACK TO keeps the savepoint open; RELEASE then ends it.
      RETURN_IF_ERROR(ExecControl(conn_, kInlineRollback));
    }
    RETURN_IF_ERROR(ExecControl(conn_, kInlineRelease));
    return status;
  }

  absl::Status DeleteAllData() override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(std::vector<std::string> tables, DataTables());
    for (const std::string& table : tables) {
      RETURN_IF_ERROR(Execute(common::StrCat("DELETE FROM ", table), BindArgs()).status());
    }
    return absl::OkStatus();
  }

  absl::Status DeleteTenantData(std::string_view tenant_id) override {
    RETURN_IF_ERROR(CheckWritable());
    for (const TenantColumn& owned : kTenantOwned) {
      RETURN_IF_ERROR(
          Execute(common::StrCat("DELETE FROM ", owned.table, " WHERE ", owned.column, " = ?"),
                  BindArgs(tenant_id))
              .status());
    }
    return Execute("DELETE FROM idempotency_keys WHERE scope LIKE ?",
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
      ASSIGN_OR_RETURN(sqlite3_stmt * raw, conn_.Prepare(common::StrCat("SELECT * FROM ", table)));
      Statement stmt(conn_.db(), raw);
      TableDump dump;
      dump.table = table;
      std::vector<int> kept;
      for (int column = 0; column < stmt.ColumnCount(); ++column) {
        std::string name = stmt.ColumnName(column);
        if (!IsSecretColumn(name)) {
          kept.push_back(column);
          dump.columns.push_back(std::move(name));
        }
      }
      RETURN_IF_ERROR(ForEachRow(stmt, [&](const Statement& row) {
        std::vector<std::optional<std::string>> values;
        values.reserve(kept.size());
        for (int column : kept) {
          values.push_back(row.IsNull(column) ? std::nullopt
                                              : std::optional<std::string>(row.Text(column)));
        }
        dump.rows.push_back(std::move(values));
      }));
      dumps.push_back(std::move(dump));
    }
    return dumps;
  }

  absl::StatusOr<std::vector<JobCount>> CountJobs() override {
    return QueryAll(
        "SELECT job_type, status, COUNT(*) FROM jobs "
        "GROUP BY job_type, status ORDER BY job_type, status",
        BindArgs(), [](const Statement& row) -> absl::StatusOr<JobCount> {
          std::optional<JobStatus> status = ParseJobStatus(row.Text(1));
          if (!status) {
            return absl::InternalError(common::StrCat("jobs with unknown status ", row.Text(1)));
          }
          return JobCount{row.Text(0), *status, row.Int(2)};
        });
  }

 private:
  // The query helpers of internal/sqlite_statement.h on this connection.
  template <class Binder, class Reader>
  absl::StatusOr<std::optional<ReadType<Reader, Statement>>> QueryOptional(const SqlText& sql,
                                                                           Binder&& bind,
                                                                           Reader&& read) {
    return internal::QueryOptional(conn_, sql, bind, read);
  }
  template <class Binder, class Reader>
  absl::StatusOr<std::vector<ReadType<Reader, Statement>>> QueryAll(const SqlText& sql,
                                                                    Binder&& bind, Reader&& read,
                                                                    size_t expected_rows = 0) {
    return internal::QueryAll(conn_, sql, bind, read, expected_rows);
  }
  template <class Binder>
  absl::StatusOr<int64_t> Execute(const SqlText& sql, Binder&& bind) {
    return internal::Execute(conn_, sql, bind);
  }
  // The COUNT(*) (or other single integer) `sql` selects; 0 without a row.
  template <class Binder>
  absl::StatusOr<int64_t> Count(const SqlText& sql, Binder&& bind) {
    ASSIGN_OR_RETURN(std::optional<int64_t> count, QueryOptional(sql, bind, kReadInt));
    return count.value_or(0);
  }

  // Inserts `value`; AlreadyExists naming it when its key is taken.
  template <class Format>
  absl::Status Insert(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    absl::Status status =
        Execute(kSql<[] { return InsertSql<Format>(kQuestionMarks); }>, [&](Statement& stmt) {
          Format::BindInsert(stmt, value);
        }).status();
    if (absl::IsAlreadyExists(status)) {
      return KeyTaken<Format>(Format::Id(value));
    }
    return status;
  }

  // Inserts `value`, or replaces the row with its key.
  template <class Format>
  absl::Status Upsert(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(kSql<[] { return UpsertSql<Format>(kQuestionMarks); }>,
                   [&](Statement& stmt) { Format::BindInsert(stmt, value); })
        .status();
  }

  // Compare-and-swap update of `value`, expecting value.version.
  template <class Format>
  absl::Status CasUpdate(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t updated,
                     Execute(kSql<[] { return CasUpdateSql<Format>(kQuestionMarks); }>,
                             [&](Statement& stmt) { Format::BindUpdate(stmt, value); }));
    if (updated == 1) {
      return absl::OkStatus();
    }
    return CasFailureFor<Format>([&](Statement& stmt) { Format::BindKey(stmt, value); },
                                 Format::Id(value), value.version);
  }

  // Compare-and-swap delete of the row `bind_key` binds the key of.
  template <class Format, class KeyBinder>
  absl::Status CasDelete(KeyBinder bind_key, std::string_view id, int64_t expected_version) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        int64_t deleted,
        Execute(kSql<[] { return CasDeleteSql<Format>(kQuestionMarks); }>, [&](Statement& stmt) {
          bind_key(stmt);
          stmt.Bind(expected_version);
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
                     QueryOptional(kSql<[] { return SelectVersionSql<Format>(kQuestionMarks); }>,
                                   bind_key, kReadInt));
    return internal::CasFailure(Format::kNoun, id, current, expected_version);
  }

  absl::StatusOr<std::vector<std::string>> DataTables() {
    return QueryAll(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND "
        "name NOT LIKE 'sqlite_%' AND name != 'schema_version' ORDER BY name",
        BindArgs(), kReadText);
  }

  // Every write goes through here. After an I/O error SQLite may roll the
  // whole transaction back on its own and leave the connection in autocommit
  // mode: a callback that swallowed that error and wrote on would commit each
  // statement alone, outside the transaction. Refuse instead (the callback's
  // Write then fails, as on PostgreSQL, which remembers its first error).
  absl::Status CheckWritable() const {
    if (read_only_) {
      return absl::InternalError("write attempted inside a read-only transaction");
    }
    if (sqlite3_get_autocommit(conn_.db()) != 0) {
      return absl::UnavailableError(
          "write after sqlite rolled the transaction back (an earlier statement failed)");
    }
    return absl::OkStatus();
  }

  SqliteConnection& conn_;
  bool read_only_;
};

}  // namespace

absl::Status CallWithTransaction(SqliteConnection& conn, bool read_only, TransactionFn fn) {
  SqliteTransaction transaction(conn, read_only);
  return fn(transaction);
}

}  // namespace connectplane::store::internal
