#include "store/sqlite_store.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "store/internal/rows.h"
#include "store/internal/sql_text.h"
#include "store/internal/sqlite_statement.h"
#include "store/migrations.h"

#include <sqlite3.h>

#include <mutex>
#include <set>
#include <utility>

namespace connectplane::store {
namespace {

using internal::AuditEntryRow;
using internal::BindArgs;
using internal::ConnectorTaskRow;
using internal::Exec;
using internal::ForEachRow;
using internal::HuaweiCredentialRow;
using internal::IdempotencyRecordRow;
using internal::JobRow;
using internal::KafkaInstanceRow;
using internal::kCount;
using internal::kReadInt;
using internal::kReadNullableInt;
using internal::kReadRow;
using internal::kReadText;
using internal::kSelect;
using internal::kSql;
using internal::PrivateConnectRow;
using internal::SelectSql;
using internal::SqliteConnection;
using internal::SqlText;
using internal::Statement;
using internal::ZenlayerCredentialRow;
using internal::ZenlayerPortRow;

constexpr internal::Placeholders kQuestionMarks = internal::Placeholders::kQuestionMarks;

// Transaction control statements, run through each connection's statement
// cache: sqlite3_exec would parse them again (and allocate a parser) on every
// transaction, which showed up in read-path profiles.
constexpr SqlText kBeginDeferred = "BEGIN";
constexpr SqlText kBeginImmediate = "BEGIN IMMEDIATE";
constexpr SqlText kCommit = "COMMIT";
constexpr SqlText kRollback = "ROLLBACK";
constexpr SqlText kSavepoint = "SAVEPOINT group_write";
constexpr SqlText kRelease = "RELEASE group_write";
constexpr SqlText kRollbackToSavepoint = "ROLLBACK TO group_write";
constexpr SqlText kInlineSavepoint = "SAVEPOINT inline_step";
constexpr SqlText kInlineRelease = "RELEASE inline_step";
constexpr SqlText kInlineRollback = "ROLLBACK TO inline_step";

absl::Status ExecControl(SqliteConnection& conn, const SqlText& sql) {
  return internal::Execute(conn, sql, BindArgs()).status();
}

// ["a","b"] for json_each().
std::string JsonArray(const std::vector<std::string>& values) {
  boost::json::array array;
  for (const std::string& value : values) {
    array.emplace_back(value);
  }
  return common::ToJson(array);
}

}  // namespace

// Runs on the thread that owns `conn` for the transaction's lifetime.
class SqliteStore::Transaction final : public StoreTransaction {
 public:
  Transaction(SqliteConnection& conn, bool read_only) : conn_(conn), read_only_(read_only) {}

  absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) override {
    static constexpr std::string_view kWhere = " WHERE access_key = ?";
    return QueryOptional(kSelect<HuaweiCredentialRow, kWhere>, BindArgs(access_key),
                         kReadRow<HuaweiCredentialRow>);
  }

  absl::Status PutHuaweiCredential(const HuaweiCredential& credential) override {
    return Upsert<HuaweiCredentialRow>(credential);
  }

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

  // ---- Smart Connect tasks ----
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
  // ---- end Smart Connect tasks ----

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
                                       kReadRow<JobRow>));
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
                     Execute(kSql<[] { return internal::UpdateSql<JobRow>(kQuestionMarks); }>,
                             [&](Statement& stmt) { JobRow::BindUpdate(stmt, job); }));
    if (updated != 1) {
      return absl::NotFoundError(common::StrCat("job ", job.job_id));
    }
    return absl::OkStatus();
  }

  // ---- Zenlayer SDN ----
  absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) override {
    static constexpr std::string_view kWhere = " WHERE access_key_id = ?";
    return QueryOptional(kSelect<ZenlayerCredentialRow, kWhere>, BindArgs(access_key_id),
                         kReadRow<ZenlayerCredentialRow>);
  }

  absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) override {
    return Upsert<ZenlayerCredentialRow>(credential);
  }

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

  absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) override {
    static constexpr std::string_view kWhere = " WHERE account_id = ? AND private_connect_id = ?";
    return QueryOptional(kSelect<PrivateConnectRow, kWhere>,
                         BindArgs(account_id, private_connect_id), kReadRow<PrivateConnectRow>);
  }

  absl::StatusOr<std::vector<PrivateConnect>> ListPrivateConnects(
      std::string_view account_id) override {
    static constexpr std::string_view kWhere =
        " WHERE account_id = ? ORDER BY created_at_ms DESC, private_connect_id";
    return QueryAll(kSelect<PrivateConnectRow, kWhere>, BindArgs(account_id),
                    kReadRow<PrivateConnectRow>);
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
      ASSIGN_OR_RETURN(
          result.total,
          Count(common::StrCat("SELECT COUNT(*) FROM zenlayer_private_connects", where),
                bind_filter));
    }
    if (page.limit <= 0 || page.offset >= result.total) {
      return result;
    }
    std::string list_sql = common::StrCat(
        kSelect<PrivateConnectRow>, where,
        // With ids (at most 100 rows) sort them: "+" keeps the planner from
        // walking the whole account in created_at order instead of the key.
        filter.ids.empty() ? " ORDER BY created_at_ms DESC" : " ORDER BY +created_at_ms DESC",
        ", private_connect_id LIMIT ? OFFSET ?");
    ASSIGN_OR_RETURN(result.items, QueryAll(
                                       list_sql,
                                       [&](Statement& stmt) {
                                         bind_filter(stmt);
                                         stmt.Bind(page.limit).Bind(page.offset);
                                       },
                                       kReadRow<PrivateConnectRow>));
    return result;
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
  // ---- end Zenlayer SDN ----

  // ---- Job leases, emulator controls and idempotency ----
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
    for (const internal::TenantColumn& owned : internal::kTenantOwned) {
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
        if (!internal::IsSecretColumn(name)) {
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
  // ---- end emulator controls ----

  // ---- Audit trail and operations ----
  absl::Status AppendAudit(const AuditEntry& entry) override {
    RETURN_IF_ERROR(CheckWritable());
    std::string assigned_id;
    std::string_view audit_id = entry.audit_id;
    if (audit_id.empty()) {
      assigned_id = NewAuditId(entry.at_ms);
      audit_id = assigned_id;
    }
    absl::Status status =
        Execute(kSql<[] { return internal::InsertSql<AuditEntryRow>(kQuestionMarks); }>,
                [&](Statement& stmt) { AuditEntryRow::BindInsert(stmt, entry, audit_id); })
            .status();
    if (absl::IsAlreadyExists(status)) {
      return internal::KeyTaken<AuditEntryRow>(audit_id);
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
  // ---- end audit trail ----

 private:
  // The query helpers of internal/sqlite_statement.h on this connection.
  template <class Binder, class Reader>
  absl::StatusOr<std::optional<internal::ReadType<Reader, Statement>>> QueryOptional(
      const SqlText& sql, Binder&& bind, Reader&& read) {
    return internal::QueryOptional(conn_, sql, bind, read);
  }
  template <class Binder, class Reader>
  absl::StatusOr<std::vector<internal::ReadType<Reader, Statement>>> QueryAll(const SqlText& sql,
                                                                              Binder&& bind,
                                                                              Reader&& read) {
    return internal::QueryAll(conn_, sql, bind, read);
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
    absl::Status status = Execute(kSql<[] { return internal::InsertSql<Format>(kQuestionMarks); }>,
                                  [&](Statement& stmt) { Format::BindInsert(stmt, value); })
                              .status();
    if (absl::IsAlreadyExists(status)) {
      return internal::KeyTaken<Format>(Format::Id(value));
    }
    return status;
  }

  // Inserts `value`, or replaces the row with its key.
  template <class Format>
  absl::Status Upsert(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(kSql<[] { return internal::UpsertSql<Format>(kQuestionMarks); }>,
                   [&](Statement& stmt) { Format::BindInsert(stmt, value); })
        .status();
  }

  // Compare-and-swap update of `value`, expecting value.version.
  template <class Format>
  absl::Status CasUpdate(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t updated,
                     Execute(kSql<[] { return internal::CasUpdateSql<Format>(kQuestionMarks); }>,
                             [&](Statement& stmt) { Format::BindUpdate(stmt, value); }));
    if (updated == 1) {
      return absl::OkStatus();
    }
    return CasFailure<Format>([&](Statement& stmt) { Format::BindKey(stmt, value); },
                              Format::Id(value), value.version);
  }

  // Compare-and-swap delete of the row `bind_key` binds the key of.
  template <class Format, class KeyBinder>
  absl::Status CasDelete(KeyBinder bind_key, std::string_view id, int64_t expected_version) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted,
                     Execute(kSql<[] { return internal::CasDeleteSql<Format>(kQuestionMarks); }>,
                             [&](Statement& stmt) {
                               bind_key(stmt);
                               stmt.Bind(expected_version);
                             }));
    if (deleted == 1) {
      return absl::OkStatus();
    }
    return CasFailure<Format>(bind_key, id, expected_version);
  }

  // After a compare-and-swap changed no row: NotFound or Aborted (see
  // internal::CasFailure), from the row's current version.
  template <class Format, class KeyBinder>
  absl::Status CasFailure(KeyBinder&& bind_key, std::string_view id, int64_t expected_version) {
    ASSIGN_OR_RETURN(
        std::optional<int64_t> current,
        QueryOptional(kSql<[] { return internal::SelectVersionSql<Format>(kQuestionMarks); }>,
                      bind_key, kReadInt));
    return internal::CasFailure(Format::kNoun, id, current, expected_version);
  }

  absl::StatusOr<std::vector<std::string>> DataTables() {
    return QueryAll(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND "
        "name NOT LIKE 'sqlite_%' AND name != 'schema_version' ORDER BY name",
        BindArgs(), kReadText);
  }

  absl::Status CheckWritable() const {
    if (read_only_) {
      return absl::InternalError("write attempted inside a read-only transaction");
    }
    return absl::OkStatus();
  }

  SqliteConnection& conn_;
  bool read_only_;
};

namespace {

// Opens one connection with the store's pragmas. `reader`: query-only.
absl::StatusOr<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path,
                                                                 const SqliteOptions& options,
                                                                 bool reader);

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<SqliteConnection> writer, std::string path,
                         SqliteOptions options)
    : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

SqliteStore::~SqliteStore() {
  absl::MutexLock lock(&mu_);
  writer_.reset();
  std::lock_guard<std::mutex> pool_lock(pool_mu_);
  idle_readers_.clear();
}

namespace {

absl::StatusOr<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path,
                                                                 const SqliteOptions& options,
                                                                 bool reader) {
  sqlite3* db = nullptr;
  const bool exclusive = options.vfs.empty() && options.exclusive_process && path != ":memory:" &&
                         path.rfind("file:", 0) != 0;
  const char* vfs = nullptr;
  if (!options.vfs.empty()) {
    vfs = options.vfs.c_str();
  } else if (exclusive) {
    vfs = "unix-excl";
  }
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        common::StrCat("opening sqlite database ", path, ": ",
                       db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return status;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  if (exclusive) {
    // The first access takes the process lock: fail at once, not after the
    // busy timeout, when another process holds the file.
    sqlite3_busy_timeout(db, 0);
    absl::Status probe = Exec(db, "PRAGMA schema_version");
    if (!probe.ok() && (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY) {
      return absl::UnavailableError(common::StrCat(
          "sqlite database ", path,
          " is in use by another process (SQLite serves one process per file: stop the other "
          "one, or start every process with --sqlite-lock shared; use PostgreSQL for replicas)"));
    }
    RETURN_IF_ERROR(probe);
  }
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // Bounded page cache per connection (negative = KiB): memory does not grow
  // with the database; the OS page cache keeps hot pages beyond it.
  std::string cache = common::StrCat("PRAGMA cache_size=-", options.cache_kib);
  RETURN_IF_ERROR(Exec(db, cache.c_str()));
  // Statement journals (opened inside a transaction by every statement that
  // fires a trigger, e.g. the counts of migration 7) and sorter spills stay in
  // memory: as temp files they cost a pwrite per page, which made inserts into
  // zenlayer_private_connects 5x slower. Both are bounded by one statement.
  RETURN_IF_ERROR(Exec(db, "PRAGMA temp_store=MEMORY"));
  if (reader) {
    RETURN_IF_ERROR(Exec(db, "PRAGMA query_only=1"));
    return conn;
  }
  RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(
      Exec(db, options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys=ON"));
  return conn;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               SqliteOptions options) {
  // SQLite's allocation statistics take one process-wide mutex around every
  // malloc and free; with several threads reading, that mutex was the most
  // contended lock of a signed read. Nothing reads those statistics. The
  // setting is only accepted before SQLite initializes (the first Open); a
  // later call fails harmlessly.
  static std::once_flag disable_memstatus;
  std::call_once(disable_memstatus, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> writer, OpenConnection(path, options, false));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(writer), path, options));
  RETURN_IF_ERROR(common::Annotate(store->Migrate(), common::StrCat("migrating ", path)));
  return store;
}

absl::Status SqliteStore::Migrate() {
  absl::MutexLock lock(&mu_);
  SqliteConnection& writer = *writer_;
  sqlite3* db = writer.db();
  RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  auto apply = [&writer, db]() -> absl::Status {
    RETURN_IF_ERROR(Exec(db,
                         "CREATE TABLE IF NOT EXISTS schema_version ("
                         "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                         "applied_at_ms BIGINT NOT NULL)"));
    // Only the (tiny) schema_version table is read: start-up cost does not
    // depend on how many rows the data tables hold.
    absl::StatusOr<std::vector<int64_t>> versions =
        internal::QueryAll(writer, "SELECT version FROM schema_version", BindArgs(), kReadInt);
    RETURN_IF_ERROR(common::Annotate(versions.status(), "reading schema versions"));
    std::set<int32_t> applied;
    for (int64_t version : *versions) {
      applied.insert(static_cast<int32_t>(version));
    }
    for (const Migration* migration : PendingMigrations(SchemaMigrations(), applied)) {
      std::string sql(migration->sql);
      RETURN_IF_ERROR(Exec(db, sql.c_str()));
      std::string record = common::StrCat(
          "INSERT INTO schema_version (version, description, applied_at_ms) VALUES (",
          migration->version, ", '", migration->description,
          "', CAST(strftime('%s','now') AS INTEGER) * 1000)");
      RETURN_IF_ERROR(Exec(db, record.c_str()));
    }
    return absl::OkStatus();
  };
  absl::Status status = apply();
  if (!status.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();
    return status;
  }
  return Exec(db, "COMMIT");
}

absl::StatusOr<int32_t> SqliteStore::SchemaVersion() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<int64_t>> version = internal::QueryOptional(
      *writer_, "SELECT COALESCE(MAX(version), 0) FROM schema_version", BindArgs(), kReadInt);
  RETURN_IF_ERROR(common::Annotate(version.status(), "reading schema version"));
  return static_cast<int32_t>(version->value_or(0));
}

absl::Status SqliteStore::Write(TransactionFn fn) {
  std::vector<absl::Status> statuses = WriteEach(std::span<const TransactionFn>(&fn, 1));
  return std::move(statuses.front());
}

std::vector<absl::Status> SqliteStore::WriteEach(std::span<const TransactionFn> fns) {
  std::vector<absl::Status> statuses;
  statuses.reserve(fns.size());
  if (!options_.group_commit) {
    for (const TransactionFn& fn : fns) {
      absl::MutexLock lock(&mu_);
      statuses.push_back(RunTransaction(*writer_, fn, false));
    }
    return statuses;
  }
  std::vector<PendingWrite> mine;
  mine.reserve(fns.size());
  for (const TransactionFn& fn : fns) {
    mine.push_back(PendingWrite{fn, absl::OkStatus(), false});
  }
  std::unique_lock<std::mutex> lock(queue_mu_);
  for (PendingWrite& write : mine) {
    queue_.push_back(&write);
  }
  // Called with queue_mu_ held.
  auto all_done = [&]() {
    for (const PendingWrite& write : mine) {
      if (!write.done) return false;
    }
    return true;
  };
  // Leader/follower: whoever finds no commit in progress commits the queue
  // (its own writes and everyone else's) while the others wait for the result.
  while (!all_done()) {
    if (committing_) {
      queue_cv_.wait(lock);
      continue;
    }
    committing_ = true;
    std::vector<PendingWrite*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    CommitBatch(batch);
    lock.lock();
    for (PendingWrite* write : batch) {
      write->done = true;
    }
    committing_ = false;
    queue_cv_.notify_all();
  }
  for (PendingWrite& write : mine) {
    statuses.push_back(std::move(write.status));
  }
  return statuses;
}

void SqliteStore::CommitBatch(const std::vector<PendingWrite*>& batch) {
  absl::MutexLock lock(&mu_);
  ++commits_;
  if (batch.size() == 1) {
    batch.front()->status = RunTransaction(*writer_, batch.front()->fn, false);
    return;
  }
  sqlite3* db = writer_->db();
  absl::Status begun = ExecControl(*writer_, kBeginImmediate);
  if (!begun.ok()) {
    for (PendingWrite* write : batch) write->status = begun;
    return;
  }
  // Each callback runs inside its own savepoint: one that fails rolls back
  // only its own changes; the others still commit with the batch.
  std::vector<PendingWrite*> applied;
  for (PendingWrite* write : batch) {
    if (sqlite3_get_autocommit(db) != 0) {
      // An I/O or memory error made SQLite roll back the whole transaction:
      // what earlier callbacks wrote is gone, so none of them may succeed.
      absl::Status lost = absl::UnavailableError("group commit batch rolled back by sqlite");
      for (PendingWrite* earlier : applied) earlier->status = lost;
      applied.clear();
      absl::Status rebegun = ExecControl(*writer_, kBeginImmediate);
      if (!rebegun.ok()) {
        write->status = rebegun;
        continue;
      }
    }
    absl::Status saved = ExecControl(*writer_, kSavepoint);
    if (!saved.ok()) {
      write->status = saved;
      continue;
    }
    Transaction transaction(*writer_, false);
    write->status = write->fn(transaction);
    if (sqlite3_get_autocommit(db) != 0) {
      if (write->status.ok()) {
        write->status = absl::UnavailableError("transaction rolled back by sqlite");
      }
      continue;
    }
    if (write->status.ok()) {
      absl::Status released = ExecControl(*writer_, kRelease);
      if (released.ok()) {
        applied.push_back(write);
        continue;
      }
      write->status = released;
    }
    ExecControl(*writer_, kRollbackToSavepoint).IgnoreError();
    ExecControl(*writer_, kRelease).IgnoreError();
  }
  if (sqlite3_get_autocommit(db) != 0) {
    return;  // nothing left to commit; statuses are already set
  }
  absl::Status commit = ExecControl(*writer_, kCommit);
  if (!commit.ok()) {
    ExecControl(*writer_, kRollback).IgnoreError();
    absl::Status failed = common::Annotate(commit, "committing transaction");
    for (PendingWrite* write : applied) write->status = failed;
  }
}

int64_t SqliteStore::CommitCountForTest() {
  absl::MutexLock lock(&mu_);
  return commits_;
}

absl::Status SqliteStore::Read(TransactionFn fn) {
  if (path_.empty() || path_ == ":memory:" || path_.rfind("file:", 0) == 0) {
    // A private in-memory database exists on the writer connection only.
    absl::MutexLock lock(&mu_);
    return RunTransaction(*writer_, fn, true);
  }
  std::unique_ptr<SqliteConnection> reader;
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (reader == nullptr) {
    ASSIGN_OR_RETURN(reader, OpenConnection(path_, options_, true));
  }
  absl::Status status = RunTransaction(*reader, fn, true);
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) {
    idle_readers_.push_back(std::move(reader));
  }
  return status;
}

absl::Status SqliteStore::RunTransaction(SqliteConnection& conn, TransactionFn fn, bool read_only) {
  // IMMEDIATE takes the write lock up front, so a read-modify-write never fails
  // half-way with SQLITE_BUSY on upgrade when another process shares the file.
  // A reader's BEGIN (deferred) reads one WAL snapshot, concurrently with writes.
  RETURN_IF_ERROR(ExecControl(conn, read_only ? kBeginDeferred : kBeginImmediate));
  Transaction transaction(conn, read_only);
  absl::Status status = fn(transaction);
  if (!status.ok() || read_only) {
    absl::Status end = ExecControl(conn, status.ok() ? kCommit : kRollback);
    return status.ok() ? end : status;
  }
  absl::Status commit = ExecControl(conn, kCommit);
  if (!commit.ok()) {
    ExecControl(conn, kRollback).IgnoreError();
    return common::Annotate(commit, "committing transaction");
  }
  return absl::OkStatus();
}

}  // namespace connectplane::store
