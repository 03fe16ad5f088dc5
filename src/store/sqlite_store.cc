#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <mutex>
#include <set>
#include <utility>

#include "common/json_util.h"
#include "common/strings.h"
#include "common/status.h"
#include "metrics/metrics.h"
#include "store/migrations.h"

namespace connectplane::store {
namespace {

absl::Status SqliteErrorUncounted(sqlite3* db, int rc, std::string_view what) {
  std::string message = common::StrCat(what, ": ", sqlite3_errmsg(db), " (rc=", rc, ")");
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
      primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) {
    return absl::UnavailableError(message);
  }
  if (primary == SQLITE_CONSTRAINT) {
    return absl::AlreadyExistsError(message);
  }
  return absl::InternalError(message);
}

// Every SQLite error is counted in connectplane_store_errors_total.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  absl::Status status = SqliteErrorUncounted(db, rc, what);
  metrics::StoreErrors()
      .WithLabels({"sqlite", absl::StatusCodeToString(status.code())})
      .Increment();
  return status;
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return SqliteError(db, rc, common::StrCat("executing SQL: ", message));
  }
  return absl::OkStatus();
}

// Binds parameters and steps one cached statement; resets it when destroyed so
// the cache can hand it out again.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(std::string_view text) {
    sqlite3_bind_text(stmt_, ++bind_idx_, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int64_t value) {
    sqlite3_bind_int64(stmt_, ++bind_idx_, value);
    return *this;
  }

  // True when a row is available, false when done.
  absl::StatusOr<bool> Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, rc, "stepping statement");
  }
  absl::Status Run() {
    absl::StatusOr<bool> row = Step();
    return row.ok() ? absl::OkStatus() : row.status();
  }

  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_idx_ = 0;
};

// Steps `stmt` through every row, calling on_row(stmt) for each. Returns the
// first step error: a failed step is never taken for the end of the rows.
template <class OnRow>
absl::Status ForEachRow(Statement& stmt, OnRow&& on_row) {
  while (true) {
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return absl::OkStatus();
    }
    on_row(stmt);
  }
}

constexpr char kInstanceColumns[] =
    "project_id, instance_id, name, status, specification, attributes_json, connector_enabled, "
    "connector_id, connector_node_num, connector_spec_code, connector_specification, "
    "created_at_ms, updated_at_ms, version";

KafkaInstance ReadInstance(const Statement& row) {
  KafkaInstance instance;
  instance.project_id = row.Text(0);
  instance.instance_id = row.Text(1);
  instance.name = row.Text(2);
  instance.status = row.Text(3);
  instance.specification = row.Text(4);
  instance.attributes_json = row.Text(5);
  instance.connector_enabled = row.Int(6) != 0;
  instance.connector_id = row.Text(7);
  instance.connector_node_num = static_cast<int32_t>(row.Int(8));
  instance.connector_spec_code = row.Text(9);
  instance.connector_specification = row.Text(10);
  instance.created_at_ms = row.Int(11);
  instance.updated_at_ms = row.Int(12);
  instance.version = row.Int(13);
  return instance;
}

absl::StatusOr<Job> ReadJob(const Statement& row) {
  Job job;
  job.job_id = row.Text(0);
  job.tenant_id = row.Text(1);
  job.resource_id = row.Text(2);
  job.job_type = row.Text(3);
  job.name = row.Text(4);
  job.params_json = row.Text(5);
  std::string status = row.Text(6);
  std::optional<JobStatus> parsed = ParseJobStatus(status);
  if (!parsed) {
    return absl::InternalError(common::StrCat("job ", job.job_id, " has unknown status ", status));
  }
  job.status = *parsed;
  job.user_name = row.Text(7);
  job.user_id = row.Text(8);
  job.created_at_ms = row.Int(9);
  job.updated_at_ms = row.Int(10);
  job.due_at_ms = row.Int(11);
  job.attempts = static_cast<int32_t>(row.Int(12));
  job.error = row.Text(13);
  job.reads_remaining = static_cast<int32_t>(row.Int(14));
  job.lease_owner = row.Text(15);
  job.lease_expires_at_ms = row.Int(16);
  return job;
}

#define CP_AUDIT_COLUMNS                                                                   \
  "audit_id, at_ms, tenant, actor, resource_type, resource_id, action, from_status, to_status, " \
  "job_id, request_id"

#define CP_JOB_COLUMNS                                                                          \
  "job_id, project_id, resource_id, job_type, name, params_json, status, user_name, user_id, " \
  "created_at_ms, updated_at_ms, due_at_ms, attempts, error, reads_remaining, lease_owner, " \
  "lease_expires_at_ms"

#define CP_CONNECTOR_TASK_COLUMNS                                                      \
  "project_id, instance_id, task_id, task_name, status, config_json, pending_job_id, " \
  "created_at_ms, updated_at_ms, version"

ConnectorTask ReadConnectorTask(const Statement& row) {
  ConnectorTask task;
  task.project_id = row.Text(0);
  task.instance_id = row.Text(1);
  task.task_id = row.Text(2);
  task.task_name = row.Text(3);
  task.status = row.Text(4);
  task.config_json = row.Text(5);
  task.pending_job_id = row.Text(6);
  task.created_at_ms = row.Int(7);
  task.updated_at_ms = row.Int(8);
  task.version = row.Int(9);
  return task;
}

// ---- Zenlayer SDN: row readers ----
#define CP_ZENLAYER_PORT_COLUMNS \
  "account_id, port_id, port_name, dc_id, port_status, attributes_json, created_at_ms"

ZenlayerPort ReadZenlayerPort(const Statement& row) {
  ZenlayerPort port;
  port.account_id = row.Text(0);
  port.port_id = row.Text(1);
  port.port_name = row.Text(2);
  port.dc_id = row.Text(3);
  port.port_status = row.Text(4);
  port.attributes_json = row.Text(5);
  port.created_at_ms = row.Int(6);
  return port;
}

#define CP_PRIVATE_CONNECT_COLUMNS                                                             \
  "account_id, private_connect_id, name, status, bandwidth_mbps, a_endpoint_id, "            \
  "a_endpoint_name, a_port_id, a_vlan_id, z_endpoint_id, z_endpoint_name, z_port_id, "       \
  "z_vlan_id, created_at_ms, updated_at_ms, recycled_at_ms, version"

PrivateConnect ReadPrivateConnect(const Statement& row) {
  PrivateConnect connect;
  connect.account_id = row.Text(0);
  connect.private_connect_id = row.Text(1);
  connect.name = row.Text(2);
  connect.status = row.Text(3);
  connect.bandwidth_mbps = row.Int(4);
  connect.endpoint_a = {row.Text(5), row.Text(6), row.Text(7), row.Int(8)};
  connect.endpoint_z = {row.Text(9), row.Text(10), row.Text(11), row.Int(12)};
  connect.created_at_ms = row.Int(13);
  connect.updated_at_ms = row.Int(14);
  connect.recycled_at_ms = row.Int(15);
  connect.version = row.Int(16);
  return connect;
}
// ---- end Zenlayer SDN ----

// ["a","b"] for json_each().
std::string JsonArray(const std::vector<std::string>& values) {
  boost::json::array array;
  for (const std::string& value : values) {
    array.emplace_back(value);
  }
  return common::ToJson(array);
}

}  // namespace

// One SQLite connection and the statements prepared on it. Used by one thread
// at a time: the writer under SqliteStore::mu_, a reader while checked out of
// the pool.
struct SqliteStore::Connection {
  sqlite3* db = nullptr;
  // Prepared statements keyed by their SQL text's address (all SQL is literals).
  std::unordered_map<const char*, sqlite3_stmt*> statements;
  std::unordered_map<std::string, sqlite3_stmt*> dynamic_statements;
  ~Connection() {
    for (auto& [sql, stmt] : statements) {
      sqlite3_finalize(stmt);
    }
    for (auto& [sql, stmt] : dynamic_statements) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db);
  }
};

namespace {

// Transaction control statements, run through each connection's statement
// cache: sqlite3_exec would parse them again (and allocate a parser) on every
// transaction, which showed up in read-path profiles.
constexpr char kBeginDeferred[] = "BEGIN";
constexpr char kBeginImmediate[] = "BEGIN IMMEDIATE";
constexpr char kCommit[] = "COMMIT";
constexpr char kRollback[] = "ROLLBACK";
constexpr char kSavepoint[] = "SAVEPOINT group_write";
constexpr char kRelease[] = "RELEASE group_write";
constexpr char kRollbackToSavepoint[] = "ROLLBACK TO group_write";
constexpr char kInlineSavepoint[] = "SAVEPOINT inline_step";
constexpr char kInlineRelease[] = "RELEASE inline_step";
constexpr char kInlineRollback[] = "ROLLBACK TO inline_step";

absl::Status ExecControl(SqliteStore::Connection& conn, const char* sql) {
  sqlite3_stmt*& stmt = conn.statements[sql];
  if (stmt == nullptr) {
    int rc = sqlite3_prepare_v3(conn.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      conn.statements.erase(sql);
      return SqliteError(conn.db, rc, common::StrCat("preparing ", sql));
    }
  }
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    return SqliteError(conn.db, rc, common::StrCat("executing ", sql));
  }
  return absl::OkStatus();
}

}  // namespace

// Runs on the thread that owns `conn` for the transaction's lifetime.
class SqliteStore::Transaction final : public StoreTransaction {
 public:
  Transaction(Connection& conn, bool read_only) : conn_(conn), read_only_(read_only) {}

  absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) override {
    ASSIGN_OR_RETURN(
        sqlite3_stmt * raw,
        Prepare("SELECT access_key, secret_key, project_id, user_name, user_id "
                "FROM huawei_credentials WHERE access_key = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(access_key);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<HuaweiCredential>();
    }
    return std::optional<HuaweiCredential>(HuaweiCredential{
        stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Text(4)});
  }

  absl::Status PutHuaweiCredential(const HuaweiCredential& credential) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO huawei_credentials "
                             "(access_key, secret_key, project_id, user_name, user_id) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (access_key) DO UPDATE SET "
                             "secret_key = excluded.secret_key, project_id = excluded.project_id, "
                             "user_name = excluded.user_name, user_id = excluded.user_id"));
    Statement stmt(db(), raw);
    stmt.Bind(credential.access_key)
        .Bind(credential.secret_key)
        .Bind(credential.project_id)
        .Bind(credential.user_name)
        .Bind(credential.user_id);
    return stmt.Run();
  }

  absl::StatusOr<std::optional<KafkaInstance>> GetKafkaInstance(
      std::string_view project_id, std::string_view instance_id) override {
    static const std::string sql = common::StrCat("SELECT ", kInstanceColumns,
                                                " FROM kafka_instances WHERE project_id = ? "
                                                "AND instance_id = ?");
    ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(sql.c_str()));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<KafkaInstance>();
    }
    return std::optional<KafkaInstance>(ReadInstance(stmt));
  }

  absl::StatusOr<Page<KafkaInstance>> ListKafkaInstances(std::string_view project_id,
                                                         const KafkaInstanceFilter& filter,
                                                         const PageRequest& page) override {
    // NULL parameters switch a predicate off, so one cached statement serves
    // every filter combination.
    static const std::string where =
        " FROM kafka_instances WHERE project_id = ?1"
        " AND (?2 IS NULL OR instance_id = ?2)"
        " AND (?3 IS NULL OR status = ?3)"
        " AND (?4 IS NULL OR (?5 = 1 AND name = ?4) OR (?5 = 0 AND instr(name, ?4) > 0))"
        " AND (?8 = 1 OR status <> 'CREATEFAILED')";
    static const std::string count_sql = common::StrCat("SELECT COUNT(*)", where);
    static const std::string list_sql =
        common::StrCat("SELECT ", kInstanceColumns, where,
                     " ORDER BY created_at_ms DESC, instance_id LIMIT ?6 OFFSET ?7");
    Page<KafkaInstance> result;
    auto bind = [&](Statement& stmt) {
      stmt.Bind(project_id);
      BindOptional(stmt, 2, filter.instance_id);
      BindOptional(stmt, 3, filter.status);
      BindOptional(stmt, 4, filter.name);
      sqlite3_bind_int64(stmt.raw(), 5, filter.exact_match_name ? 1 : 0);
      sqlite3_bind_int64(stmt.raw(), 8, filter.include_failure ? 1 : 0);
    };
    {
      ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(count_sql.c_str()));
      Statement stmt(db(), raw);
      bind(stmt);
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      result.total = has_row ? stmt.Int(0) : 0;
    }
    ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(list_sql.c_str()));
    Statement stmt(db(), raw);
    bind(stmt);
    sqlite3_bind_int64(raw, 6, page.limit);
    sqlite3_bind_int64(raw, 7, page.offset);
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      result.items.push_back(ReadInstance(stmt));
    }
    return result;
  }

  absl::Status InsertKafkaInstance(const KafkaInstance& instance) override {
    RETURN_IF_ERROR(CheckWritable());
    static const std::string sql =
        common::StrCat("INSERT INTO kafka_instances (", kInstanceColumns,
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(sql.c_str()));
    Statement stmt(db(), raw);
    stmt.Bind(instance.project_id)
        .Bind(instance.instance_id)
        .Bind(instance.name)
        .Bind(instance.status)
        .Bind(instance.specification)
        .Bind(instance.attributes_json)
        .Bind(int64_t{instance.connector_enabled ? 1 : 0})
        .Bind(instance.connector_id)
        .Bind(int64_t{instance.connector_node_num})
        .Bind(instance.connector_spec_code)
        .Bind(instance.connector_specification)
        .Bind(instance.created_at_ms)
        .Bind(instance.updated_at_ms)
        .Bind(instance.version);
    absl::Status status = stmt.Run();
    if (absl::IsAlreadyExists(status)) {
      return absl::AlreadyExistsError(
          common::StrCat("kafka instance ", instance.instance_id, " already exists"));
    }
    return status;
  }

  absl::Status UpdateKafkaInstance(const KafkaInstance& instance) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        sqlite3_stmt * raw,
        Prepare("UPDATE kafka_instances SET name = ?, status = ?, specification = ?, "
                "attributes_json = ?, connector_enabled = ?, connector_id = ?, "
                "connector_node_num = ?, connector_spec_code = ?, connector_specification = ?, "
                "updated_at_ms = ?, version = version + 1 "
                "WHERE project_id = ? AND instance_id = ? AND version = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(instance.name)
        .Bind(instance.status)
        .Bind(instance.specification)
        .Bind(instance.attributes_json)
        .Bind(int64_t{instance.connector_enabled ? 1 : 0})
        .Bind(instance.connector_id)
        .Bind(int64_t{instance.connector_node_num})
        .Bind(instance.connector_spec_code)
        .Bind(instance.connector_specification)
        .Bind(instance.updated_at_ms)
        .Bind(instance.project_id)
        .Bind(instance.instance_id)
        .Bind(instance.version);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() == 1) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<KafkaInstance> current,
                     GetKafkaInstance(instance.project_id, instance.instance_id));
    if (!current) {
      return absl::NotFoundError(common::StrCat("kafka instance ", instance.instance_id));
    }
    return absl::AbortedError(common::StrCat("kafka instance ", instance.instance_id,
                                           " changed concurrently (version ", current->version,
                                           ", expected ", instance.version, ")"));
  }

  absl::Status DeleteKafkaInstance(std::string_view project_id, std::string_view instance_id,
                                   int64_t expected_version) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("DELETE FROM kafka_instances "
                             "WHERE project_id = ? AND instance_id = ? AND version = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id).Bind(expected_version);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() == 1) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<KafkaInstance> current,
                     GetKafkaInstance(project_id, instance_id));
    if (!current) {
      return absl::NotFoundError(common::StrCat("kafka instance ", instance_id));
    }
    return absl::AbortedError(common::StrCat("kafka instance ", instance_id,
                                             " changed concurrently (version ", current->version,
                                             ", expected ", expected_version, ")"));
  }

  // ---- Smart Connect tasks ----
  absl::StatusOr<std::optional<ConnectorTask>> GetConnectorTask(std::string_view project_id,
                                                                std::string_view instance_id,
                                                                std::string_view task_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_CONNECTOR_TASK_COLUMNS
                             " FROM kafka_connector_tasks WHERE project_id = ? AND "
                             "instance_id = ? AND task_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id).Bind(task_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<ConnectorTask>();
    }
    return std::optional<ConnectorTask>(ReadConnectorTask(stmt));
  }

  absl::StatusOr<std::optional<ConnectorTask>> FindConnectorTaskByName(
      std::string_view project_id, std::string_view instance_id,
      std::string_view task_name) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_CONNECTOR_TASK_COLUMNS
                             " FROM kafka_connector_tasks WHERE project_id = ? AND "
                             "instance_id = ? AND task_name = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id).Bind(task_name);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<ConnectorTask>();
    }
    return std::optional<ConnectorTask>(ReadConnectorTask(stmt));
  }

  absl::StatusOr<Page<ConnectorTask>> ListConnectorTasks(std::string_view project_id,
                                                         std::string_view instance_id,
                                                         const PageRequest& page) override {
    Page<ConnectorTask> result;
    {
      ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare("SELECT COUNT(*) FROM kafka_connector_tasks "
                                                   "WHERE project_id = ? AND instance_id = ?"));
      Statement stmt(db(), raw);
      stmt.Bind(project_id).Bind(instance_id);
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      result.total = has_row ? stmt.Int(0) : 0;
    }
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_CONNECTOR_TASK_COLUMNS
                             " FROM kafka_connector_tasks WHERE project_id = ? AND "
                             "instance_id = ? ORDER BY created_at_ms, task_id LIMIT ? OFFSET ?"));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id).Bind(page.limit).Bind(page.offset);
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      result.items.push_back(ReadConnectorTask(stmt));
    }
    return result;
  }

  absl::Status InsertConnectorTask(const ConnectorTask& task) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO kafka_connector_tasks (" CP_CONNECTOR_TASK_COLUMNS
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    Statement stmt(db(), raw);
    stmt.Bind(task.project_id)
        .Bind(task.instance_id)
        .Bind(task.task_id)
        .Bind(task.task_name)
        .Bind(task.status)
        .Bind(task.config_json)
        .Bind(task.pending_job_id)
        .Bind(task.created_at_ms)
        .Bind(task.updated_at_ms)
        .Bind(task.version);
    absl::Status status = stmt.Run();
    if (absl::IsAlreadyExists(status)) {
      return absl::AlreadyExistsError(
          common::StrCat("connector task ", task.task_id, " or its name already exists"));
    }
    return status;
  }

  absl::Status UpdateConnectorTask(const ConnectorTask& task) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        sqlite3_stmt * raw,
        Prepare("UPDATE kafka_connector_tasks SET task_name = ?, status = ?, config_json = ?, "
                "pending_job_id = ?, updated_at_ms = ?, version = version + 1 "
                "WHERE project_id = ? AND instance_id = ? AND task_id = ? AND version = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(task.task_name)
        .Bind(task.status)
        .Bind(task.config_json)
        .Bind(task.pending_job_id)
        .Bind(task.updated_at_ms)
        .Bind(task.project_id)
        .Bind(task.instance_id)
        .Bind(task.task_id)
        .Bind(task.version);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() == 1) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<ConnectorTask> current,
                     GetConnectorTask(task.project_id, task.instance_id, task.task_id));
    if (!current) {
      return absl::NotFoundError(common::StrCat("connector task ", task.task_id));
    }
    return absl::AbortedError(common::StrCat("connector task ", task.task_id,
                                             " changed concurrently (version ", current->version,
                                             ", expected ", task.version, ")"));
  }

  absl::Status DeleteConnectorTask(std::string_view project_id, std::string_view instance_id,
                                   std::string_view task_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("DELETE FROM kafka_connector_tasks "
                             "WHERE project_id = ? AND instance_id = ? AND task_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id).Bind(task_id);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() != 1) {
      return absl::NotFoundError(common::StrCat("connector task ", task_id));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteConnectorTasksOfInstance(std::string_view project_id,
                                                         std::string_view instance_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare("DELETE FROM kafka_connector_tasks "
                                                 "WHERE project_id = ? AND instance_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(project_id).Bind(instance_id);
    RETURN_IF_ERROR(stmt.Run());
    return int64_t{stmt.Changes()};
  }
  // ---- end Smart Connect tasks ----

  absl::Status InsertJob(const Job& job) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO jobs (" CP_JOB_COLUMNS
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    Statement stmt(db(), raw);
    stmt.Bind(job.job_id)
        .Bind(job.tenant_id)
        .Bind(job.resource_id)
        .Bind(job.job_type)
        .Bind(job.name)
        .Bind(job.params_json)
        .Bind(JobStatusName(job.status))
        .Bind(job.user_name)
        .Bind(job.user_id)
        .Bind(job.created_at_ms)
        .Bind(job.updated_at_ms)
        .Bind(job.due_at_ms)
        .Bind(int64_t{job.attempts})
        .Bind(job.error)
        .Bind(int64_t{job.reads_remaining})
        .Bind(job.lease_owner)
        .Bind(job.lease_expires_at_ms);
    return stmt.Run();
  }

  absl::StatusOr<std::optional<Job>> GetJob(std::string_view job_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_JOB_COLUMNS " FROM jobs WHERE job_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(job_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<Job>();
    }
    ASSIGN_OR_RETURN(Job job, ReadJob(stmt));
    return std::optional<Job>(std::move(job));
  }

  absl::StatusOr<Page<Job>> ListJobsForResource(std::string_view tenant_id,
                                                std::string_view resource_id,
                                                const JobFilter& filter,
                                                const PageRequest& page) override {
    constexpr char kWhere[] =
        " FROM jobs WHERE project_id = ?1 AND resource_id = ?2"
        " AND (?3 IS NULL OR created_at_ms >= ?3) AND (?4 IS NULL OR created_at_ms <= ?4)";
    static const std::string count_sql = common::StrCat("SELECT COUNT(*)", kWhere);
    static const std::string list_sql =
        common::StrCat("SELECT " CP_JOB_COLUMNS, kWhere,
                     " ORDER BY created_at_ms DESC, job_id LIMIT ?5 OFFSET ?6");
    auto bind = [&](Statement& stmt) {
      stmt.Bind(tenant_id).Bind(resource_id);
      BindOptional(stmt, 3, filter.created_from_ms);
      BindOptional(stmt, 4, filter.created_to_ms);
    };
    Page<Job> result;
    {
      ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(count_sql.c_str()));
      Statement stmt(db(), raw);
      bind(stmt);
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      result.total = has_row ? stmt.Int(0) : 0;
    }
    ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(list_sql.c_str()));
    Statement stmt(db(), raw);
    bind(stmt);
    sqlite3_bind_int64(raw, 5, page.limit);
    sqlite3_bind_int64(raw, 6, page.offset);
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      ASSIGN_OR_RETURN(Job job, ReadJob(stmt));
      result.items.push_back(std::move(job));
    }
    return result;
  }

  absl::StatusOr<std::vector<Job>> ListDueJobs(int64_t now_ms, int limit) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_JOB_COLUMNS
                             " FROM jobs WHERE status = 'PENDING' AND due_at_ms <= ? "
                             "ORDER BY due_at_ms, job_id LIMIT ?"));
    Statement stmt(db(), raw);
    stmt.Bind(now_ms).Bind(int64_t{limit});
    std::vector<Job> jobs;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      ASSIGN_OR_RETURN(Job job, ReadJob(stmt));
      jobs.push_back(std::move(job));
    }
    return jobs;
  }

  absl::StatusOr<std::optional<int64_t>> NextDueAt() override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT MIN(due_at_ms) FROM jobs WHERE status = 'PENDING'"));
    Statement stmt(db(), raw);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row || stmt.IsNull(0)) {
      return std::optional<int64_t>();
    }
    return std::optional<int64_t>(stmt.Int(0));
  }

  absl::Status UpdateJob(const Job& job) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("UPDATE jobs SET status = ?, updated_at_ms = ?, due_at_ms = ?, "
                             "attempts = ?, error = ?, reads_remaining = ?, lease_owner = ?, "
                             "lease_expires_at_ms = ? WHERE job_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(JobStatusName(job.status))
        .Bind(job.updated_at_ms)
        .Bind(job.due_at_ms)
        .Bind(int64_t{job.attempts})
        .Bind(job.error)
        .Bind(int64_t{job.reads_remaining})
        .Bind(job.lease_owner)
        .Bind(job.lease_expires_at_ms)
        .Bind(job.job_id);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() != 1) {
      return absl::NotFoundError(common::StrCat("job ", job.job_id));
    }
    return absl::OkStatus();
  }

  // ---- Zenlayer SDN ----
  absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT access_key_id, access_key_password, account_id "
                             "FROM zenlayer_credentials WHERE access_key_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(access_key_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<ZenlayerCredential>();
    }
    return std::optional<ZenlayerCredential>(
        ZenlayerCredential{stmt.Text(0), stmt.Text(1), stmt.Text(2)});
  }

  absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO zenlayer_credentials "
                             "(access_key_id, access_key_password, account_id) VALUES (?, ?, ?) "
                             "ON CONFLICT (access_key_id) DO UPDATE SET "
                             "access_key_password = excluded.access_key_password, "
                             "account_id = excluded.account_id"));
    Statement stmt(db(), raw);
    stmt.Bind(credential.access_key_id)
        .Bind(credential.access_key_password)
        .Bind(credential.account_id);
    return stmt.Run();
  }

  absl::StatusOr<std::optional<ZenlayerPort>> GetZenlayerPort(std::string_view account_id,
                                                              std::string_view port_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_ZENLAYER_PORT_COLUMNS
                             " FROM zenlayer_ports WHERE account_id = ? AND port_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(account_id).Bind(port_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<ZenlayerPort>();
    }
    return std::optional<ZenlayerPort>(ReadZenlayerPort(stmt));
  }

  absl::StatusOr<std::vector<ZenlayerPort>> ListZenlayerPorts(
      std::string_view account_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_ZENLAYER_PORT_COLUMNS
                             " FROM zenlayer_ports WHERE account_id = ? ORDER BY port_id"));
    Statement stmt(db(), raw);
    stmt.Bind(account_id);
    std::vector<ZenlayerPort> ports;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      ports.push_back(ReadZenlayerPort(stmt));
    }
    return ports;
  }

  absl::Status InsertZenlayerPort(const ZenlayerPort& port) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO zenlayer_ports (" CP_ZENLAYER_PORT_COLUMNS
                             ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
    Statement stmt(db(), raw);
    stmt.Bind(port.account_id)
        .Bind(port.port_id)
        .Bind(port.port_name)
        .Bind(port.dc_id)
        .Bind(port.port_status)
        .Bind(port.attributes_json)
        .Bind(port.created_at_ms);
    absl::Status status = stmt.Run();
    if (absl::IsAlreadyExists(status)) {
      return absl::AlreadyExistsError(common::StrCat("zenlayer port ", port.port_id,
                                                     " already exists"));
    }
    return status;
  }

  absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_PRIVATE_CONNECT_COLUMNS
                             " FROM zenlayer_private_connects"
                             " WHERE account_id = ? AND private_connect_id = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(account_id).Bind(private_connect_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<PrivateConnect>();
    }
    return std::optional<PrivateConnect>(ReadPrivateConnect(stmt));
  }

  absl::StatusOr<std::vector<PrivateConnect>> ListPrivateConnects(
      std::string_view account_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_PRIVATE_CONNECT_COLUMNS
                             " FROM zenlayer_private_connects WHERE account_id = ?"
                             " ORDER BY created_at_ms DESC, private_connect_id"));
    Statement stmt(db(), raw);
    stmt.Bind(account_id);
    std::vector<PrivateConnect> connects;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      connects.push_back(ReadPrivateConnect(stmt));
    }
    return connects;
  }

  absl::StatusOr<Page<PrivateConnect>> QueryPrivateConnects(std::string_view account_id,
                                                            const PrivateConnectFilter& filter,
                                                            const PageRequest& page) override {
    // Only the predicates in use appear in the SQL (at most 16 variants, each
    // prepared once per connection): "?n IS NULL OR …" would keep SQLite from
    // using the primary key for ids and the status index for status.
    std::string where = " FROM zenlayer_private_connects WHERE account_id = ?1";
    if (!filter.ids.empty()) {
      where += " AND private_connect_id IN (SELECT value FROM json_each(?2))";
    }
    if (filter.name) where += " AND instr(name, ?3) > 0";
    if (filter.status) where += " AND status = ?4";
    if (filter.running) {
      where += *filter.running ? " AND status = 'RUNNING'" : " AND status != 'RUNNING'";
    }
    const std::string ids = filter.ids.empty() ? std::string() : JsonArray(filter.ids);
    auto bind = [&](sqlite3_stmt* raw) {
      sqlite3_bind_text(raw, 1, account_id.data(), static_cast<int>(account_id.size()),
                        SQLITE_TRANSIENT);
      if (!filter.ids.empty()) {
        sqlite3_bind_text(raw, 2, ids.data(), static_cast<int>(ids.size()), SQLITE_TRANSIENT);
      }
      if (filter.name) {
        sqlite3_bind_text(raw, 3, filter.name->data(), static_cast<int>(filter.name->size()),
                          SQLITE_TRANSIENT);
      }
      if (filter.status) {
        sqlite3_bind_text(raw, 4, filter.status->data(),
                          static_cast<int>(filter.status->size()), SQLITE_TRANSIENT);
      }
    };
    Page<PrivateConnect> result;
    if (filter.ids.empty() && !filter.name) {
      // Status and running filters are answered by the counts the triggers of
      // migration 7 keep; ids and name need the rows.
      std::string count_sql =
          "SELECT COALESCE(SUM(connects), 0) FROM zenlayer_private_connect_counts"
          " WHERE account_id = ?1";
      if (filter.status) count_sql += " AND status = ?4";
      if (filter.running) {
        count_sql += *filter.running ? " AND status = 'RUNNING'" : " AND status != 'RUNNING'";
      }
      ASSIGN_OR_RETURN(sqlite3_stmt * raw, PrepareDynamic(count_sql));
      Statement stmt(db(), raw);
      bind(raw);
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      result.total = has_row ? stmt.Int(0) : 0;
    } else {
      ASSIGN_OR_RETURN(sqlite3_stmt * raw, PrepareDynamic(common::StrCat("SELECT COUNT(*)", where)));
      Statement stmt(db(), raw);
      bind(raw);
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      result.total = has_row ? stmt.Int(0) : 0;
    }
    if (page.limit <= 0 || page.offset >= result.total) {
      return result;
    }
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     PrepareDynamic(common::StrCat(
                         "SELECT " CP_PRIVATE_CONNECT_COLUMNS, where,
                         // With ids (at most 100 rows) sort them: "+" keeps the planner from
                         // walking the whole account in created_at order instead of the key.
                         filter.ids.empty() ? " ORDER BY created_at_ms DESC"
                                            : " ORDER BY +created_at_ms DESC",
                         ", private_connect_id LIMIT ?5 OFFSET ?6")));
    Statement stmt(db(), raw);
    bind(raw);
    sqlite3_bind_int64(raw, 5, page.limit);
    sqlite3_bind_int64(raw, 6, page.offset);
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      result.items.push_back(ReadPrivateConnect(stmt));
    }
    return result;
  }

  absl::StatusOr<std::optional<PrivateConnect>> FindPrivateConnectByPortVlan(
      std::string_view account_id, std::string_view port_id, int64_t vlan_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_PRIVATE_CONNECT_COLUMNS
                             " FROM zenlayer_private_connects WHERE account_id = ?1 AND"
                             " ((a_port_id = ?2 AND a_vlan_id = ?3) OR"
                             " (z_port_id = ?2 AND z_vlan_id = ?3))"
                             " ORDER BY private_connect_id LIMIT 1"));
    Statement stmt(db(), raw);
    stmt.Bind(account_id).Bind(port_id).Bind(vlan_id);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) {
      return std::optional<PrivateConnect>();
    }
    return std::optional<PrivateConnect>(ReadPrivateConnect(stmt));
  }

  absl::Status InsertPrivateConnect(const PrivateConnect& connect) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO zenlayer_private_connects (" CP_PRIVATE_CONNECT_COLUMNS
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    Statement stmt(db(), raw);
    stmt.Bind(connect.account_id)
        .Bind(connect.private_connect_id)
        .Bind(connect.name)
        .Bind(connect.status)
        .Bind(connect.bandwidth_mbps)
        .Bind(connect.endpoint_a.endpoint_id)
        .Bind(connect.endpoint_a.endpoint_name)
        .Bind(connect.endpoint_a.port_id)
        .Bind(connect.endpoint_a.vlan_id)
        .Bind(connect.endpoint_z.endpoint_id)
        .Bind(connect.endpoint_z.endpoint_name)
        .Bind(connect.endpoint_z.port_id)
        .Bind(connect.endpoint_z.vlan_id)
        .Bind(connect.created_at_ms)
        .Bind(connect.updated_at_ms)
        .Bind(connect.recycled_at_ms)
        .Bind(connect.version);
    absl::Status status = stmt.Run();
    if (absl::IsAlreadyExists(status)) {
      return absl::AlreadyExistsError(
          common::StrCat("private connect ", connect.private_connect_id, " already exists"));
    }
    return status;
  }

  absl::Status UpdatePrivateConnect(const PrivateConnect& connect) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        sqlite3_stmt * raw,
        Prepare("UPDATE zenlayer_private_connects SET name = ?, status = ?, bandwidth_mbps = ?, "
                "a_endpoint_name = ?, z_endpoint_name = ?, updated_at_ms = ?, "
                "recycled_at_ms = ?, version = version + 1 "
                "WHERE account_id = ? AND private_connect_id = ? AND version = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(connect.name)
        .Bind(connect.status)
        .Bind(connect.bandwidth_mbps)
        .Bind(connect.endpoint_a.endpoint_name)
        .Bind(connect.endpoint_z.endpoint_name)
        .Bind(connect.updated_at_ms)
        .Bind(connect.recycled_at_ms)
        .Bind(connect.account_id)
        .Bind(connect.private_connect_id)
        .Bind(connect.version);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() == 1) {
      return absl::OkStatus();
    }
    return PrivateConnectCasFailure(connect.account_id, connect.private_connect_id,
                                    connect.version);
  }

  absl::Status DeletePrivateConnect(std::string_view account_id,
                                    std::string_view private_connect_id,
                                    int64_t expected_version) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("DELETE FROM zenlayer_private_connects "
                             "WHERE account_id = ? AND private_connect_id = ? AND version = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(account_id).Bind(private_connect_id).Bind(expected_version);
    RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() == 1) {
      return absl::OkStatus();
    }
    return PrivateConnectCasFailure(account_id, private_connect_id, expected_version);
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
      if (static_cast<int>(claimed.size()) >= limit) break;
      if (!job.lease_owner.empty() && job.lease_expires_at_ms > now_ms) continue;
      job.lease_owner = std::string(owner);
      job.lease_expires_at_ms = lease_until_ms;
      RETURN_IF_ERROR(UpdateJob(job));
      claimed.push_back(std::move(job));
    }
    return claimed;
  }

  absl::StatusOr<int64_t> ExtendLeases(std::string_view owner, int64_t lease_until_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("UPDATE jobs SET lease_expires_at_ms = ? WHERE lease_owner = ? AND "
                             "status = 'PENDING'"));
    Statement stmt(db(), raw);
    stmt.Bind(lease_until_ms).Bind(owner);
    RETURN_IF_ERROR(stmt.Run());
    return static_cast<int64_t>(stmt.Changes());
  }

  absl::Status ReleaseLeases(std::string_view owner) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("UPDATE jobs SET lease_owner = '', lease_expires_at_ms = 0 "
                             "WHERE lease_owner = ? AND status = 'PENDING'"));
    Statement stmt(db(), raw);
    stmt.Bind(owner);
    return stmt.Run();
  }

  absl::StatusOr<std::vector<std::string>> ListLeaseOwners() override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT DISTINCT lease_owner FROM jobs WHERE status = 'PENDING' "
                             "AND lease_owner != ''"));
    Statement stmt(db(), raw);
    std::vector<std::string> owners;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      owners.push_back(stmt.Text(0));
    }
    return owners;
  }

  absl::StatusOr<std::vector<Job>> ListReadGatedJobs(std::string_view tenant_id,
                                                     std::string_view resource_id) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_JOB_COLUMNS
                             " FROM jobs WHERE project_id = ? AND resource_id = ? AND "
                             "status = 'PENDING' AND reads_remaining > 0 ORDER BY job_id"));
    Statement stmt(db(), raw);
    stmt.Bind(tenant_id).Bind(resource_id);
    std::vector<Job> jobs;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      ASSIGN_OR_RETURN(Job job, ReadJob(stmt));
      jobs.push_back(std::move(job));
    }
    return jobs;
  }

  absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      std::string_view scope, std::string_view key) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT scope, idem_key, request_hash, http_status, response_body, "
                             "created_at_ms FROM idempotency_keys WHERE scope = ? AND idem_key = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(scope).Bind(key);
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(
        IdempotencyRecord{stmt.Text(0), stmt.Text(1), stmt.Text(2),
                          static_cast<int32_t>(stmt.Int(3)), stmt.Text(4), stmt.Int(5)});
  }

  absl::Status PutIdempotencyRecord(const IdempotencyRecord& record) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO idempotency_keys (scope, idem_key, request_hash, "
                             "http_status, response_body, created_at_ms) VALUES (?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (scope, idem_key) DO UPDATE SET "
                             "request_hash = excluded.request_hash, "
                             "http_status = excluded.http_status, "
                             "response_body = excluded.response_body, "
                             "created_at_ms = excluded.created_at_ms"));
    Statement stmt(db(), raw);
    stmt.Bind(record.scope)
        .Bind(record.key)
        .Bind(record.request_hash)
        .Bind(int64_t{record.http_status})
        .Bind(record.response_body)
        .Bind(record.created_at_ms);
    return stmt.Run();
  }

  absl::Status DeleteIdempotencyRecord(std::string_view scope, std::string_view key) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ?"));
    Statement stmt(db(), raw);
    stmt.Bind(scope).Bind(key);
    return stmt.Run();
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
      RETURN_IF_ERROR(Exec(db(), common::StrCat("DELETE FROM ", table).c_str()));
    }
    return absl::OkStatus();
  }

  absl::Status DeleteTenantData(std::string_view tenant_id) override {
    RETURN_IF_ERROR(CheckWritable());
    // Tenant-owned tables and their tenant column; credentials stay.
    constexpr std::pair<const char*, const char*> kOwned[] = {
        {"kafka_instances", "project_id"},
        {"kafka_connector_tasks", "project_id"},
        {"jobs", "project_id"},
        {"zenlayer_ports", "account_id"},
        {"zenlayer_private_connects", "account_id"},
        {"audit_log", "tenant"},
    };
    for (const auto& [table, column] : kOwned) {
      std::string sql = common::StrCat("DELETE FROM ", table, " WHERE ", column, " = ?");
      sqlite3_stmt* raw = nullptr;
      int rc = sqlite3_prepare_v2(db(), sql.c_str(), -1, &raw, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db(), rc, sql);
      {
        Statement stmt(db(), raw);
        stmt.Bind(tenant_id);
        absl::Status status = stmt.Run();
        if (!status.ok()) {
          sqlite3_finalize(raw);
          return status;
        }
      }
      sqlite3_finalize(raw);
    }
    std::string prefix_pattern = common::StrCat("%:", tenant_id);
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db(), "DELETE FROM idempotency_keys WHERE scope LIKE ?", -1, &raw,
                                nullptr);
    if (rc != SQLITE_OK) return SqliteError(db(), rc, "deleting idempotency keys");
    absl::Status status;
    {
      Statement stmt(db(), raw);
      stmt.Bind(prefix_pattern);
      status = stmt.Run();
    }
    sqlite3_finalize(raw);
    return status;
  }

  absl::StatusOr<std::vector<TableDump>> DumpTables() override {
    ASSIGN_OR_RETURN(std::vector<std::string> tables, DataTables());
    std::vector<TableDump> dumps;
    for (const std::string& table : tables) {
      if (table == "audit_log") continue;  // served paginated by ListAudit
      std::string sql = common::StrCat("SELECT * FROM ", table);
      sqlite3_stmt* raw = nullptr;
      int rc = sqlite3_prepare_v2(db(), sql.c_str(), -1, &raw, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db(), rc, sql);
      TableDump dump;
      dump.table = table;
      std::vector<int> kept;
      for (int col = 0; col < sqlite3_column_count(raw); ++col) {
        std::string name = sqlite3_column_name(raw, col);
        if (name.find("secret") != std::string::npos || name.find("password") != std::string::npos) {
          continue;
        }
        kept.push_back(col);
        dump.columns.push_back(std::move(name));
      }
      absl::Status status;
      {
        Statement stmt(db(), raw);
        status = ForEachRow(stmt, [&](const Statement& row) {
          std::vector<std::optional<std::string>> values;
          for (int col : kept) {
            values.push_back(row.IsNull(col) ? std::nullopt
                                             : std::optional<std::string>(row.Text(col)));
          }
          dump.rows.push_back(std::move(values));
        });
      }
      sqlite3_finalize(raw);
      RETURN_IF_ERROR(status);
      dumps.push_back(std::move(dump));
    }
    return dumps;
  }
  // ---- end emulator controls ----

  // ---- Audit trail and operations ----
  absl::Status AppendAudit(const AuditEntry& entry) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("INSERT INTO audit_log (" CP_AUDIT_COLUMNS
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    Statement stmt(db(), raw);
    stmt.Bind(entry.audit_id.empty() ? NewAuditId(entry.at_ms) : entry.audit_id)
        .Bind(entry.at_ms)
        .Bind(entry.tenant)
        .Bind(entry.actor)
        .Bind(entry.resource_type)
        .Bind(entry.resource_id)
        .Bind(entry.action)
        .Bind(entry.from_status)
        .Bind(entry.to_status)
        .Bind(entry.job_id)
        .Bind(entry.request_id);
    return stmt.Run();
  }

  absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT " CP_AUDIT_COLUMNS
                             " FROM audit_log WHERE (?1 IS NULL OR tenant = ?1)"
                             " AND (?2 IS NULL OR resource_id = ?2)"
                             " AND (?3 IS NULL OR audit_id < ?3)"
                             " ORDER BY audit_id DESC LIMIT ?4"));
    Statement stmt(db(), raw);
    BindOptional(stmt, 1, filter.tenant);
    BindOptional(stmt, 2, filter.resource_id);
    BindOptional(stmt, 3, filter.before_audit_id);
    sqlite3_bind_int64(raw, 4, filter.limit);
    std::vector<AuditEntry> entries;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      AuditEntry entry;
      entry.audit_id = stmt.Text(0);
      entry.at_ms = stmt.Int(1);
      entry.tenant = stmt.Text(2);
      entry.actor = stmt.Text(3);
      entry.resource_type = stmt.Text(4);
      entry.resource_id = stmt.Text(5);
      entry.action = stmt.Text(6);
      entry.from_status = stmt.Text(7);
      entry.to_status = stmt.Text(8);
      entry.job_id = stmt.Text(9);
      entry.request_id = stmt.Text(10);
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  absl::StatusOr<std::vector<JobCount>> CountJobs() override {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                     Prepare("SELECT job_type, status, COUNT(*) FROM jobs "
                             "GROUP BY job_type, status ORDER BY job_type, status"));
    Statement stmt(db(), raw);
    std::vector<JobCount> counts;
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      std::optional<JobStatus> status = ParseJobStatus(stmt.Text(1));
      if (!status) {
        return absl::InternalError(common::StrCat("jobs with unknown status ", stmt.Text(1)));
      }
      counts.push_back(JobCount{stmt.Text(0), *status, stmt.Int(2)});
    }
    return counts;
  }
  // ---- end audit trail ----

 private:
  absl::StatusOr<std::vector<std::string>> DataTables() {
    ASSIGN_OR_RETURN(
        sqlite3_stmt * raw,
        Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                "name NOT LIKE 'sqlite_%' AND name != 'schema_version' ORDER BY name"));
    Statement stmt(db(), raw);
    std::vector<std::string> tables;
    RETURN_IF_ERROR(ForEachRow(stmt, [&](const Statement& row) { tables.push_back(row.Text(0)); }));
    return tables;
  }

  // NotFound when the row is gone, else Aborted (its version moved on).
  absl::Status PrivateConnectCasFailure(std::string_view account_id,
                                        std::string_view private_connect_id,
                                        int64_t expected_version) {
    ASSIGN_OR_RETURN(std::optional<PrivateConnect> current,
                     GetPrivateConnect(account_id, private_connect_id));
    if (!current) {
      return absl::NotFoundError(common::StrCat("private connect ", private_connect_id));
    }
    return absl::AbortedError(common::StrCat("private connect ", private_connect_id,
                                             " changed concurrently (version ", current->version,
                                             ", expected ", expected_version, ")"));
  }

  sqlite3* db() { return conn_.db; }

  absl::StatusOr<sqlite3_stmt*> Prepare(const char* sql) {
    auto it = conn_.statements.find(sql);
    if (it != conn_.statements.end()) {
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(conn_.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(conn_.db, rc, common::StrCat("preparing ", sql));
    }
    conn_.statements.emplace(sql, stmt);
    return stmt;
  }

  // For SQL assembled at run time: cached by text on the connection.
  absl::StatusOr<sqlite3_stmt*> PrepareDynamic(const std::string& sql) {
    auto it = conn_.dynamic_statements.find(sql);
    if (it != conn_.dynamic_statements.end()) {
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(conn_.db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(conn_.db, rc, common::StrCat("preparing ", sql));
    }
    conn_.dynamic_statements.emplace(sql, stmt);
    return stmt;
  }

  absl::Status CheckWritable() const {
    if (read_only_) {
      return absl::InternalError("write attempted inside a read-only transaction");
    }
    return absl::OkStatus();
  }

  static void BindOptional(Statement& stmt, int index, const std::optional<std::string>& value) {
    if (value) {
      sqlite3_bind_text(stmt.raw(), index, value->data(), static_cast<int>(value->size()),
                        SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(stmt.raw(), index);
    }
  }
  static void BindOptional(Statement& stmt, int index, const std::optional<int64_t>& value) {
    if (value) {
      sqlite3_bind_int64(stmt.raw(), index, *value);
    } else {
      sqlite3_bind_null(stmt.raw(), index);
    }
  }

  Connection& conn_;
  bool read_only_;
};

namespace {

// Opens one connection with the store's pragmas. `reader`: query-only.
absl::StatusOr<std::unique_ptr<SqliteStore::Connection>> OpenConnection(
    const std::string& path, const SqliteOptions& options, bool reader);

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Connection> writer, std::string path,
                         SqliteOptions options)
    : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

SqliteStore::~SqliteStore() {
  absl::MutexLock lock(&mu_);
  writer_.reset();
  std::lock_guard<std::mutex> pool_lock(pool_mu_);
  idle_readers_.clear();
}

namespace {

absl::StatusOr<std::unique_ptr<SqliteStore::Connection>> OpenConnection(
    const std::string& path, const SqliteOptions& options, bool reader) {
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
  auto conn = std::make_unique<SqliteStore::Connection>();
  conn->db = db;
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
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer, OpenConnection(path, options, false));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(writer), path, options));
  RETURN_IF_ERROR(common::Annotate(store->Migrate(), common::StrCat("migrating ", path)));
  return store;
}

absl::Status SqliteStore::Migrate() {
  absl::MutexLock lock(&mu_);
  sqlite3* db = writer_->db;
  RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  auto apply = [db]() -> absl::Status {
    RETURN_IF_ERROR(Exec(db,
                         "CREATE TABLE IF NOT EXISTS schema_version ("
                         "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                         "applied_at_ms BIGINT NOT NULL)"));
    // Only the (tiny) schema_version table is read: start-up cost does not
    // depend on how many rows the data tables hold.
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, "SELECT version FROM schema_version", -1, &raw, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db, rc, "reading schema versions");
    std::set<int32_t> applied;
    absl::Status read;
    {
      Statement stmt(db, raw);
      read = ForEachRow(
          stmt, [&](const Statement& row) { applied.insert(static_cast<int32_t>(row.Int(0))); });
    }
    sqlite3_finalize(raw);
    RETURN_IF_ERROR(common::Annotate(read, "reading schema versions"));
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
  sqlite3* db = writer_->db;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", -1,
                              &raw, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "reading schema version");
  int32_t version = 0;
  absl::Status read;
  {
    Statement stmt(db, raw);
    read =
        ForEachRow(stmt, [&](const Statement& row) { version = static_cast<int32_t>(row.Int(0)); });
  }
  sqlite3_finalize(raw);
  RETURN_IF_ERROR(common::Annotate(read, "reading schema version"));
  return version;
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
  sqlite3* db = writer_->db;
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
  std::unique_ptr<Connection> reader;
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

absl::Status SqliteStore::RunTransaction(Connection& conn, TransactionFn fn, bool read_only) {
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
