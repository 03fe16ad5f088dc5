#include "store/postgres_store.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "metrics/metrics.h"
#include "store/migrations.h"

#include <libpq-fe.h>

#include "spdlog/spdlog.h"
#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_set>
#include <utility>

namespace connectplane::store {
namespace {

// Separates the parts of an advisory-lock key ("table", "id", ...).
constexpr char kKeySeparator = '\x1f';
// First key of the two-int advisory lock that serializes migrations (a lock
// space disjoint from the one-bigint row keys below). "cpln".
constexpr int32_t kMigrationLockClass = 0x63706c6e;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Rows of one statement, in libpq's text format.
class PgResult {
 public:
  explicit PgResult(ResultPtr result) : result_(std::move(result)) {}

  int Rows() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const {
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<size_t>(PQgetlength(result_.get(), row, column)));
  }
  int64_t Int(int row, int column) const {
    const char* text = PQgetvalue(result_.get(), row, column);
    int64_t value = 0;
    std::from_chars(text, text + PQgetlength(result_.get(), row, column), value);
    return value;
  }
  // Rows an INSERT/UPDATE/DELETE touched.
  int64_t Affected() const {
    const char* tuples = PQcmdTuples(result_.get());
    int64_t value = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), value);
    return value;
  }
  const PGresult* raw() const { return result_.get(); }

 private:
  ResultPtr result_;
};

// Statement parameters in text format; nullopt is SQL NULL.
class Params {
 public:
  Params& Add(std::string_view text) {
    values_.emplace_back(std::string(text));
    return *this;
  }
  Params& Add(const std::string& text) { return Add(std::string_view(text)); }
  Params& Add(const char* text) { return Add(std::string_view(text)); }
  Params& Add(int64_t value) {
    values_.emplace_back(std::to_string(value));
    return *this;
  }
  Params& AddNullable(const std::optional<std::string>& text) {
    values_.push_back(text);
    return *this;
  }
  Params& AddNullable(const std::optional<int64_t>& value) {
    values_.push_back(value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt);
    return *this;
  }
  std::vector<const char*> Pointers() const {
    std::vector<const char*> pointers;
    pointers.reserve(values_.size());
    for (const std::optional<std::string>& value : values_) {
      pointers.push_back(value ? value->c_str() : nullptr);
    }
    return pointers;
  }
  int Size() const { return static_cast<int>(values_.size()); }

 private:
  std::vector<std::optional<std::string>> values_;
};

// SQLSTATEs after which the session is gone: connection exceptions (class 08)
// and the server shutting down or starting up (57P01-57P03).
bool IsConnectionLoss(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

// Maps a failed libpq call to the store's error codes. `result` may be null.
absl::Status PgErrorUncounted(PGconn* conn, const PGresult* result, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    sqlstate = state != nullptr ? state : "";
    message = PQresultErrorMessage(result);
  }
  if (message.empty() && conn != nullptr) {
    message = PQerrorMessage(conn);
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  std::string text =
      common::StrCat("postgres: ", what, ": ", message, sqlstate.empty() ? "" : " (SQLSTATE ",
                     sqlstate, sqlstate.empty() ? "" : ")");
  if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD || IsConnectionLoss(sqlstate) ||
      sqlstate.starts_with("53") /* insufficient resources, e.g. too many connections */ ||
      sqlstate == "55P03" /* lock_not_available (lock_timeout) */ ||
      sqlstate == "57014" /* query_canceled */) {
    return absl::UnavailableError(text);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    // serialization_failure, deadlock_detected: retrying the transaction can succeed.
    return absl::AbortedError(text);
  }
  if (sqlstate == "23505") {
    return absl::AlreadyExistsError(text);
  }
  return absl::InternalError(text);
}

// Every PostgreSQL error is counted in connectplane_store_errors_total.
absl::Status PgError(PGconn* conn, const PGresult* result, std::string_view what) {
  absl::Status status = PgErrorUncounted(conn, result, what);
  metrics::StoreErrors()
      .WithLabels({"postgres", absl::StatusCodeToString(status.code())})
      .Increment();
  return status;
}

std::string LockKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    if (!key.empty()) key.push_back(kKeySeparator);
    key.append(part);
  }
  return key;
}

constexpr char kInstanceColumns[] =
    "project_id, instance_id, name, status, specification, attributes_json, connector_enabled, "
    "connector_id, connector_node_num, connector_spec_code, connector_specification, "
    "created_at_ms, updated_at_ms, version";

KafkaInstance ReadInstance(const PgResult& result, int row) {
  KafkaInstance instance;
  instance.project_id = result.Text(row, 0);
  instance.instance_id = result.Text(row, 1);
  instance.name = result.Text(row, 2);
  instance.status = result.Text(row, 3);
  instance.specification = result.Text(row, 4);
  instance.attributes_json = result.Text(row, 5);
  instance.connector_enabled = result.Int(row, 6) != 0;
  instance.connector_id = result.Text(row, 7);
  instance.connector_node_num = static_cast<int32_t>(result.Int(row, 8));
  instance.connector_spec_code = result.Text(row, 9);
  instance.connector_specification = result.Text(row, 10);
  instance.created_at_ms = result.Int(row, 11);
  instance.updated_at_ms = result.Int(row, 12);
  instance.version = result.Int(row, 13);
  return instance;
}

constexpr char kConnectorTaskColumns[] =
    "project_id, instance_id, task_id, task_name, status, config_json, pending_job_id, "
    "created_at_ms, updated_at_ms, version";

ConnectorTask ReadConnectorTask(const PgResult& result, int row) {
  ConnectorTask task;
  task.project_id = result.Text(row, 0);
  task.instance_id = result.Text(row, 1);
  task.task_id = result.Text(row, 2);
  task.task_name = result.Text(row, 3);
  task.status = result.Text(row, 4);
  task.config_json = result.Text(row, 5);
  task.pending_job_id = result.Text(row, 6);
  task.created_at_ms = result.Int(row, 7);
  task.updated_at_ms = result.Int(row, 8);
  task.version = result.Int(row, 9);
  return task;
}

constexpr char kAuditColumns[] =
    "audit_id, at_ms, tenant, actor, resource_type, resource_id, action, from_status, to_status, "
    "job_id, request_id";

constexpr char kJobColumns[] =
    "job_id, project_id, resource_id, job_type, name, params_json, status, user_name, user_id, "
    "created_at_ms, updated_at_ms, due_at_ms, attempts, error, reads_remaining, lease_owner, "
    "lease_expires_at_ms";

absl::StatusOr<Job> ReadJob(const PgResult& result, int row) {
  Job job;
  job.job_id = result.Text(row, 0);
  job.tenant_id = result.Text(row, 1);
  job.resource_id = result.Text(row, 2);
  job.job_type = result.Text(row, 3);
  job.name = result.Text(row, 4);
  job.params_json = result.Text(row, 5);
  std::string status = result.Text(row, 6);
  std::optional<JobStatus> parsed = ParseJobStatus(status);
  if (!parsed) {
    return absl::InternalError(common::StrCat("job ", job.job_id, " has unknown status ", status));
  }
  job.status = *parsed;
  job.user_name = result.Text(row, 7);
  job.user_id = result.Text(row, 8);
  job.created_at_ms = result.Int(row, 9);
  job.updated_at_ms = result.Int(row, 10);
  job.due_at_ms = result.Int(row, 11);
  job.attempts = static_cast<int32_t>(result.Int(row, 12));
  job.error = result.Text(row, 13);
  job.reads_remaining = static_cast<int32_t>(result.Int(row, 14));
  job.lease_owner = result.Text(row, 15);
  job.lease_expires_at_ms = result.Int(row, 16);
  return job;
}

absl::StatusOr<std::vector<Job>> ReadJobs(const PgResult& result) {
  std::vector<Job> jobs;
  jobs.reserve(static_cast<size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) {
    ASSIGN_OR_RETURN(Job job, ReadJob(result, row));
    jobs.push_back(std::move(job));
  }
  return jobs;
}

constexpr char kZenlayerPortColumns[] =
    "account_id, port_id, port_name, dc_id, port_status, attributes_json, created_at_ms";

ZenlayerPort ReadZenlayerPort(const PgResult& result, int row) {
  ZenlayerPort port;
  port.account_id = result.Text(row, 0);
  port.port_id = result.Text(row, 1);
  port.port_name = result.Text(row, 2);
  port.dc_id = result.Text(row, 3);
  port.port_status = result.Text(row, 4);
  port.attributes_json = result.Text(row, 5);
  port.created_at_ms = result.Int(row, 6);
  return port;
}

constexpr char kPrivateConnectColumns[] =
    "account_id, private_connect_id, name, status, bandwidth_mbps, a_endpoint_id, "
    "a_endpoint_name, a_port_id, a_vlan_id, z_endpoint_id, z_endpoint_name, z_port_id, "
    "z_vlan_id, created_at_ms, updated_at_ms, recycled_at_ms, version";

PrivateConnect ReadPrivateConnect(const PgResult& result, int row) {
  PrivateConnect connect;
  connect.account_id = result.Text(row, 0);
  connect.private_connect_id = result.Text(row, 1);
  connect.name = result.Text(row, 2);
  connect.status = result.Text(row, 3);
  connect.bandwidth_mbps = result.Int(row, 4);
  connect.endpoint_a = {result.Text(row, 5), result.Text(row, 6), result.Text(row, 7),
                        result.Int(row, 8)};
  connect.endpoint_z = {result.Text(row, 9), result.Text(row, 10), result.Text(row, 11),
                        result.Int(row, 12)};
  connect.created_at_ms = result.Int(row, 13);
  connect.updated_at_ms = result.Int(row, 14);
  connect.recycled_at_ms = result.Int(row, 15);
  connect.version = result.Int(row, 16);
  return connect;
}

// "SELECT <columns> FROM <table> WHERE <where>" plus " FOR UPDATE" when locking.
std::string Select(std::string_view columns, std::string_view table_and_where, bool for_update) {
  return common::StrCat("SELECT ", columns, " FROM ", table_and_where,
                        for_update ? " FOR UPDATE" : "");
}

}  // namespace

// One libpq session plus the statements prepared on it. Owned by one thread
// at a time (the pool hands it out exclusively).
class PostgresStore::Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Simple-query protocol; `sql` may hold several statements. Returns the
  // last statement's result.
  absl::StatusOr<PgResult> Exec(const char* sql, std::string_view what) {
    ResultPtr result(PQexec(conn_, sql));
    return Check(std::move(result), what);
  }

  // Prepares `sql` under `name` on first use on this connection, then runs it.
  absl::StatusOr<PgResult> ExecPrepared(const std::string& name, const std::string& sql,
                                        const Params& params) {
    if (!prepared_.contains(name)) {
      ResultPtr prepared(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
      RETURN_IF_ERROR(Check(std::move(prepared), common::StrCat("preparing ", sql)).status());
      prepared_.insert(name);
    }
    std::vector<const char*> values = params.Pointers();
    ResultPtr result(
        PQexecPrepared(conn_, name.c_str(), params.Size(), values.data(), nullptr, nullptr, 0));
    return Check(std::move(result), sql);
  }

  // Unprepared, for SQL built at run time (table names).
  absl::StatusOr<PgResult> ExecParams(const std::string& sql, const Params& params) {
    std::vector<const char*> values = params.Pointers();
    ResultPtr result(PQexecParams(conn_, sql.c_str(), params.Size(), nullptr, values.data(),
                                  nullptr, nullptr, 0));
    return Check(std::move(result), sql);
  }

  std::string QuoteIdentifier(std::string_view identifier) {
    char* quoted = PQescapeIdentifier(conn_, identifier.data(), identifier.size());
    if (quoted == nullptr) return std::string();
    std::string out = quoted;
    PQfreemem(quoted);
    return out;
  }

  // True once the session is known to be unusable; the pool then drops it.
  bool broken() const { return broken_ || PQstatus(conn_) == CONNECTION_BAD; }

 private:
  absl::StatusOr<PgResult> Check(ResultPtr result, std::string_view what) {
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      return PgResult(std::move(result));
    }
    absl::Status error = PgError(conn_, result.get(), what);
    if (absl::IsUnavailable(error)) {
      const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
      // A lock timeout leaves the session usable; anything else here does not.
      if (state == nullptr || std::string_view(state) != "55P03") {
        broken_ = true;
      }
    }
    return error;
  }

  PGconn* conn_;
  bool broken_ = false;
  std::unordered_set<std::string> prepared_;
};

// Runs on the thread that holds the connection for the transaction's lifetime.
// The first failed statement aborts the PostgreSQL transaction; it is
// remembered so that the transaction is rolled back even if the callback
// swallows the error.
class PostgresStore::Transaction final : public StoreTransaction {
 public:
  Transaction(PostgresStore& store, Connection& connection, bool read_only)
      : store_(store), connection_(connection), read_only_(read_only) {}

  const absl::Status& first_error() const { return first_error_; }

  absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) override {
    ASSIGN_OR_RETURN(PgResult result,
                     Run("SELECT access_key, secret_key, project_id, user_name, user_id "
                         "FROM huawei_credentials WHERE access_key = $1",
                         Params().Add(access_key)));
    if (result.Rows() == 0) {
      return std::optional<HuaweiCredential>();
    }
    return std::optional<HuaweiCredential>(HuaweiCredential{result.Text(0, 0), result.Text(0, 1),
                                                            result.Text(0, 2), result.Text(0, 3),
                                                            result.Text(0, 4)});
  }

  absl::Status PutHuaweiCredential(const HuaweiCredential& credential) override {
    RETURN_IF_ERROR(CheckWritable());
    return Run("INSERT INTO huawei_credentials "
               "(access_key, secret_key, project_id, user_name, user_id) "
               "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (access_key) DO UPDATE SET "
               "secret_key = excluded.secret_key, project_id = excluded.project_id, "
               "user_name = excluded.user_name, user_id = excluded.user_id",
               Params()
                   .Add(credential.access_key)
                   .Add(credential.secret_key)
                   .Add(credential.project_id)
                   .Add(credential.user_name)
                   .Add(credential.user_id))
        .status();
  }

  absl::StatusOr<std::optional<KafkaInstance>> GetKafkaInstance(
      std::string_view project_id, std::string_view instance_id) override {
    RETURN_IF_ERROR(LockRowKey({"kafka_instances", project_id, instance_id}));
    static const std::string kSql = Select(
        kInstanceColumns, "kafka_instances WHERE project_id = $1 AND instance_id = $2", false);
    static const std::string kLockingSql = Select(
        kInstanceColumns, "kafka_instances WHERE project_id = $1 AND instance_id = $2", true);
    ASSIGN_OR_RETURN(PgResult result, Run(read_only_ ? kSql : kLockingSql,
                                          Params().Add(project_id).Add(instance_id)));
    if (result.Rows() == 0) {
      return std::optional<KafkaInstance>();
    }
    return std::optional<KafkaInstance>(ReadInstance(result, 0));
  }

  absl::StatusOr<Page<KafkaInstance>> ListKafkaInstances(std::string_view project_id,
                                                         const KafkaInstanceFilter& filter,
                                                         const PageRequest& page) override {
    // NULL parameters switch a predicate off, so one prepared statement serves
    // every filter combination.
    static const std::string kWhere =
        " FROM kafka_instances WHERE project_id = $1"
        " AND ($2::text IS NULL OR instance_id = $2::text)"
        " AND ($3::text IS NULL OR status = $3::text)"
        " AND ($4::text IS NULL OR ($5::int = 1 AND name = $4::text)"
        " OR ($5::int = 0 AND strpos(name, $4::text) > 0))"
        " AND ($6::int = 1 OR status <> 'CREATEFAILED')";
    static const std::string kCountSql = common::StrCat("SELECT COUNT(*)", kWhere);
    static const std::string kListSql =
        common::StrCat("SELECT ", kInstanceColumns, kWhere,
                       " ORDER BY created_at_ms DESC, instance_id LIMIT $7 OFFSET $8");
    Params params;
    params.Add(project_id)
        .AddNullable(filter.instance_id)
        .AddNullable(filter.status)
        .AddNullable(filter.name)
        .Add(int64_t{filter.exact_match_name ? 1 : 0})
        .Add(int64_t{filter.include_failure ? 1 : 0});
    Page<KafkaInstance> page_result;
    ASSIGN_OR_RETURN(PgResult count, Run(kCountSql, params));
    page_result.total = count.Rows() > 0 ? count.Int(0, 0) : 0;
    params.Add(page.limit).Add(page.offset);
    ASSIGN_OR_RETURN(PgResult rows, Run(kListSql, params));
    for (int row = 0; row < rows.Rows(); ++row) {
      page_result.items.push_back(ReadInstance(rows, row));
    }
    return page_result;
  }

  absl::Status InsertKafkaInstance(const KafkaInstance& instance) override {
    RETURN_IF_ERROR(CheckWritable());
    // ON CONFLICT DO NOTHING reports a taken key without aborting the
    // transaction (a unique violation would), matching SQLite where the
    // caller may carry on after AlreadyExists.
    static const std::string kSql =
        common::StrCat("INSERT INTO kafka_instances (", kInstanceColumns,
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                       "ON CONFLICT DO NOTHING");
    ASSIGN_OR_RETURN(PgResult result,
                     Run(kSql, Params()
                                   .Add(instance.project_id)
                                   .Add(instance.instance_id)
                                   .Add(instance.name)
                                   .Add(instance.status)
                                   .Add(instance.specification)
                                   .Add(instance.attributes_json)
                                   .Add(int64_t{instance.connector_enabled ? 1 : 0})
                                   .Add(instance.connector_id)
                                   .Add(int64_t{instance.connector_node_num})
                                   .Add(instance.connector_spec_code)
                                   .Add(instance.connector_specification)
                                   .Add(instance.created_at_ms)
                                   .Add(instance.updated_at_ms)
                                   .Add(instance.version)));
    if (result.Affected() == 0) {
      return absl::AlreadyExistsError(
          common::StrCat("kafka instance ", instance.instance_id, " already exists"));
    }
    return absl::OkStatus();
  }

  absl::Status UpdateKafkaInstance(const KafkaInstance& instance) override {
    RETURN_IF_ERROR(CheckWritable());
    // Under READ COMMITTED a concurrent updater's row lock makes this wait; the
    // WHERE clause is then re-checked against the committed row, so exactly
    // one of two writers holding the same version wins.
    ASSIGN_OR_RETURN(
        PgResult result,
        Run("UPDATE kafka_instances SET name = $1, status = $2, specification = $3, "
            "attributes_json = $4, connector_enabled = $5, connector_id = $6, "
            "connector_node_num = $7, connector_spec_code = $8, connector_specification = $9, "
            "updated_at_ms = $10, version = version + 1 "
            "WHERE project_id = $11 AND instance_id = $12 AND version = $13",
            Params()
                .Add(instance.name)
                .Add(instance.status)
                .Add(instance.specification)
                .Add(instance.attributes_json)
                .Add(int64_t{instance.connector_enabled ? 1 : 0})
                .Add(instance.connector_id)
                .Add(int64_t{instance.connector_node_num})
                .Add(instance.connector_spec_code)
                .Add(instance.connector_specification)
                .Add(instance.updated_at_ms)
                .Add(instance.project_id)
                .Add(instance.instance_id)
                .Add(instance.version)));
    if (result.Affected() == 1) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(PgResult current,
                     Run("SELECT version FROM kafka_instances "
                         "WHERE project_id = $1 AND instance_id = $2",
                         Params().Add(instance.project_id).Add(instance.instance_id)));
    if (current.Rows() == 0) {
      return absl::NotFoundError(common::StrCat("kafka instance ", instance.instance_id));
    }
    return absl::AbortedError(common::StrCat("kafka instance ", instance.instance_id,
                                             " changed concurrently (version ", current.Int(0, 0),
                                             ", expected ", instance.version, ")"));
  }

  absl::Status DeleteKafkaInstance(std::string_view project_id, std::string_view instance_id,
                                   int64_t expected_version) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgResult result,
                     Run("DELETE FROM kafka_instances "
                         "WHERE project_id = $1 AND instance_id = $2 AND version = $3",
                         Params().Add(project_id).Add(instance_id).Add(expected_version)));
    if (result.Affected() == 1) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(PgResult current, Run("SELECT version FROM kafka_instances "
                                           "WHERE project_id = $1 AND instance_id = $2",
                                           Params().Add(project_id).Add(instance_id)));
    if (current.Rows() == 0) {
      return absl::NotFoundError(common::StrCat("kafka instance ", instance_id));
    }
    return absl::AbortedError(common::StrCat("kafka instance ", instance_id,
                                             " changed concurrently (version ", current.Int(0, 0),
                                             ", expected ", expected_version, ")"));
  }

  // ---- Smart Connect tasks ----
  absl::StatusOr<std::optional<ConnectorTask>> GetConnectorTask(std::string_view project_id,
                                                                std::string_view instance_id,
                                                                std::string_view task_id) override {
    constexpr char kFrom[] =
        "kafka_connector_tasks WHERE project_id = $1 AND instance_id = $2 AND task_id = $3";
    static const std::string kSql = Select(kConnectorTaskColumns, kFrom, false);
    static const std::string kLockingSql = Select(kConnectorTaskColumns, kFrom, true);
    ASSIGN_OR_RETURN(PgResult result, Run(read_only_ ? kSql : kLockingSql,
                                          Params().Add(project_id).Add(instance_id).Add(task_id)));
    if (result.Rows() == 0) {
      return std::optional<ConnectorTask>();
    }
    return std::optional<ConnectorTask>(ReadConnectorTask(result, 0));
  }

  absl::StatusOr<std::optional<ConnectorTask>> FindConnectorTaskByName(
      std::string_view project_id, std::string_view instance_id,
      std::string_view task_name) override {
    // The caller inserts a task when this finds none: the key lock makes a
    // concurrent creator of the same name wait for our commit and then find
    // our row, as SQLite's single writer would.
    RETURN_IF_ERROR(LockRowKey({"kafka_connector_task_name", project_id, instance_id, task_name}));
    static const std::string kSql = Select(
        kConnectorTaskColumns,
        "kafka_connector_tasks WHERE project_id = $1 AND instance_id = $2 AND task_name = $3",
        false);
    ASSIGN_OR_RETURN(PgResult result,
                     Run(kSql, Params().Add(project_id).Add(instance_id).Add(task_name)));
    if (result.Rows() == 0) {
      return std::optional<ConnectorTask>();
    }
    return std::optional<ConnectorTask>(ReadConnectorTask(result, 0));
  }

  absl::StatusOr<Page<ConnectorTask>> ListConnectorTasks(std::string_view project_id,
                                                         std::string_view instance_id,
                                                         const PageRequest& page) override {
    Page<ConnectorTask> result;
    ASSIGN_OR_RETURN(PgResult count, Run("SELECT COUNT(*) FROM kafka_connector_tasks "
                                         "WHERE project_id = $1 AND instance_id = $2",
                                         Params().Add(project_id).Add(instance_id)));
    result.total = count.Rows() > 0 ? count.Int(0, 0) : 0;
    static const std::string kSql =
        Select(kConnectorTaskColumns,
               "kafka_connector_tasks WHERE project_id = $1 AND instance_id = $2 "
               "ORDER BY created_at_ms, task_id LIMIT $3 OFFSET $4",
               false);
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kSql, Params().Add(project_id).Add(instance_id).Add(page.limit).Add(page.offset)));
    for (int row = 0; row < rows.Rows(); ++row) {
      result.items.push_back(ReadConnectorTask(rows, row));
    }
    return result;
  }

  absl::Status InsertConnectorTask(const ConnectorTask& task) override {
    RETURN_IF_ERROR(CheckWritable());
    static const std::string kSql =
        common::StrCat("INSERT INTO kafka_connector_tasks (", kConnectorTaskColumns,
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING");
    ASSIGN_OR_RETURN(PgResult result, Run(kSql, Params()
                                                    .Add(task.project_id)
                                                    .Add(task.instance_id)
                                                    .Add(task.task_id)
                                                    .Add(task.task_name)
                                                    .Add(task.status)
                                                    .Add(task.config_json)
                                                    .Add(task.pending_job_id)
                                                    .Add(task.created_at_ms)
                                                    .Add(task.updated_at_ms)
                                                    .Add(task.version)));
    if (result.Affected() == 0) {
      return absl::AlreadyExistsError(
          common::StrCat("connector task ", task.task_id, " or its name already exists"));
    }
    return absl::OkStatus();
  }

  absl::Status UpdateConnectorTask(const ConnectorTask& task) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        PgResult result,
        Run("UPDATE kafka_connector_tasks SET task_name = $1, status = $2, config_json = $3, "
            "pending_job_id = $4, updated_at_ms = $5, version = version + 1 "
            "WHERE project_id = $6 AND instance_id = $7 AND task_id = $8 AND version = $9",
            Params()
                .Add(task.task_name)
                .Add(task.status)
                .Add(task.config_json)
                .Add(task.pending_job_id)
                .Add(task.updated_at_ms)
                .Add(task.project_id)
                .Add(task.instance_id)
                .Add(task.task_id)
                .Add(task.version)));
    if (result.Affected() == 1) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(PgResult current,
                     Run("SELECT version FROM kafka_connector_tasks "
                         "WHERE project_id = $1 AND instance_id = $2 AND task_id = $3",
                         Params().Add(task.project_id).Add(task.instance_id).Add(task.task_id)));
    if (current.Rows() == 0) {
      return absl::NotFoundError(common::StrCat("connector task ", task.task_id));
    }
    return absl::AbortedError(common::StrCat("connector task ", task.task_id,
                                             " changed concurrently (version ", current.Int(0, 0),
                                             ", expected ", task.version, ")"));
  }

  absl::Status DeleteConnectorTask(std::string_view project_id, std::string_view instance_id,
                                   std::string_view task_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgResult result,
                     Run("DELETE FROM kafka_connector_tasks "
                         "WHERE project_id = $1 AND instance_id = $2 AND task_id = $3",
                         Params().Add(project_id).Add(instance_id).Add(task_id)));
    if (result.Affected() != 1) {
      return absl::NotFoundError(common::StrCat("connector task ", task_id));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteConnectorTasksOfInstance(std::string_view project_id,
                                                         std::string_view instance_id) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgResult result, Run("DELETE FROM kafka_connector_tasks "
                                          "WHERE project_id = $1 AND instance_id = $2",
                                          Params().Add(project_id).Add(instance_id)));
    return static_cast<int64_t>(result.Affected());
  }
  // ---- end Smart Connect tasks ----

  absl::Status InsertJob(const Job& job) override {
    RETURN_IF_ERROR(CheckWritable());
    static const std::string kSql = common::StrCat(
        "INSERT INTO jobs (", kJobColumns,
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
        "ON CONFLICT DO NOTHING");
    ASSIGN_OR_RETURN(PgResult result, Run(kSql, Params()
                                                    .Add(job.job_id)
                                                    .Add(job.tenant_id)
                                                    .Add(job.resource_id)
                                                    .Add(job.job_type)
                                                    .Add(job.name)
                                                    .Add(job.params_json)
                                                    .Add(JobStatusName(job.status))
                                                    .Add(job.user_name)
                                                    .Add(job.user_id)
                                                    .Add(job.created_at_ms)
                                                    .Add(job.updated_at_ms)
                                                    .Add(job.due_at_ms)
                                                    .Add(int64_t{job.attempts})
                                                    .Add(job.error)
                                                    .Add(int64_t{job.reads_remaining})
                                                    .Add(job.lease_owner)
                                                    .Add(job.lease_expires_at_ms)));
    if (result.Affected() == 0) {
      return absl::AlreadyExistsError(common::StrCat("job ", job.job_id, " already exists"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Job>> GetJob(std::string_view job_id) override {
    // Inside a write transaction the row stays locked until commit: a second
    // runner (another replica) re-reading the same job waits, then sees it
    // completed, so no job is ever applied twice.
    static const std::string kSql = Select(kJobColumns, "jobs WHERE job_id = $1", false);
    static const std::string kLockingSql = Select(kJobColumns, "jobs WHERE job_id = $1", true);
    ASSIGN_OR_RETURN(PgResult result, Run(read_only_ ? kSql : kLockingSql, Params().Add(job_id)));
    if (result.Rows() == 0) {
      return std::optional<Job>();
    }
    ASSIGN_OR_RETURN(Job job, ReadJob(result, 0));
    return std::optional<Job>(std::move(job));
  }

  absl::StatusOr<Page<Job>> ListJobsForResource(std::string_view tenant_id,
                                                std::string_view resource_id,
                                                const JobFilter& filter,
                                                const PageRequest& page) override {
    static const std::string kWhere =
        " FROM jobs WHERE project_id = $1 AND resource_id = $2"
        " AND ($3::bigint IS NULL OR created_at_ms >= $3::bigint)"
        " AND ($4::bigint IS NULL OR created_at_ms <= $4::bigint)";
    static const std::string kCountSql = common::StrCat("SELECT COUNT(*)", kWhere);
    static const std::string kListSql = common::StrCat(
        "SELECT ", kJobColumns, kWhere, " ORDER BY created_at_ms DESC, job_id LIMIT $5 OFFSET $6");
    Params params;
    params.Add(tenant_id)
        .Add(resource_id)
        .AddNullable(filter.created_from_ms)
        .AddNullable(filter.created_to_ms);
    Page<Job> result;
    ASSIGN_OR_RETURN(PgResult count, Run(kCountSql, params));
    result.total = count.Rows() > 0 ? count.Int(0, 0) : 0;
    params.Add(page.limit).Add(page.offset);
    ASSIGN_OR_RETURN(PgResult rows, Run(kListSql, params));
    ASSIGN_OR_RETURN(result.items, ReadJobs(rows));
    return result;
  }

  absl::StatusOr<std::vector<Job>> ListDueJobs(int64_t now_ms, int limit) override {
    // A plain read, also in write transactions: claiming is ClaimDueJobs.
    static const std::string kSql =
        common::StrCat("SELECT ", kJobColumns,
                       " FROM jobs WHERE status = 'PENDING' AND due_at_ms <= $1 "
                       "ORDER BY due_at_ms, job_id LIMIT $2");
    ASSIGN_OR_RETURN(PgResult rows, Run(kSql, Params().Add(now_ms).Add(int64_t{limit})));
    return ReadJobs(rows);
  }

  absl::StatusOr<std::optional<int64_t>> NextDueAt() override {
    ASSIGN_OR_RETURN(PgResult result,
                     Run("SELECT MIN(due_at_ms) FROM jobs WHERE status = 'PENDING'", Params()));
    if (result.Rows() == 0 || result.IsNull(0, 0)) {
      return std::optional<int64_t>();
    }
    return std::optional<int64_t>(result.Int(0, 0));
  }

  absl::Status UpdateJob(const Job& job) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgResult result,
                     Run("UPDATE jobs SET status = $1, updated_at_ms = $2, due_at_ms = $3, "
                         "attempts = $4, error = $5, reads_remaining = $6, lease_owner = $7, "
                         "lease_expires_at_ms = $8 WHERE job_id = $9",
                         Params()
                             .Add(JobStatusName(job.status))
                             .Add(job.updated_at_ms)
                             .Add(job.due_at_ms)
                             .Add(int64_t{job.attempts})
                             .Add(job.error)
                             .Add(int64_t{job.reads_remaining})
                             .Add(job.lease_owner)
                             .Add(job.lease_expires_at_ms)
                             .Add(job.job_id)));
    if (result.Affected() != 1) {
      return absl::NotFoundError(common::StrCat("job ", job.job_id));
    }
    return absl::OkStatus();
  }

  // ---- Zenlayer SDN ----
  absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) override {
    ASSIGN_OR_RETURN(PgResult result, Run("SELECT access_key_id, access_key_password, account_id "
                                          "FROM zenlayer_credentials WHERE access_key_id = $1",
                                          Params().Add(access_key_id)));
    if (result.Rows() == 0) {
      return std::optional<ZenlayerCredential>();
    }
    return std::optional<ZenlayerCredential>(
        ZenlayerCredential{result.Text(0, 0), result.Text(0, 1), result.Text(0, 2)});
  }

  absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) override {
    RETURN_IF_ERROR(CheckWritable());
    return Run("INSERT INTO zenlayer_credentials "
               "(access_key_id, access_key_password, account_id) VALUES ($1, $2, $3) "
               "ON CONFLICT (access_key_id) DO UPDATE SET "
               "access_key_password = excluded.access_key_password, "
               "account_id = excluded.account_id",
               Params()
                   .Add(credential.access_key_id)
                   .Add(credential.access_key_password)
                   .Add(credential.account_id))
        .status();
  }

  absl::StatusOr<std::optional<ZenlayerPort>> GetZenlayerPort(std::string_view account_id,
                                                              std::string_view port_id) override {
    RETURN_IF_ERROR(LockRowKey({"zenlayer_ports", account_id, port_id}));
    static const std::string kSql = Select(
        kZenlayerPortColumns, "zenlayer_ports WHERE account_id = $1 AND port_id = $2", false);
    ASSIGN_OR_RETURN(PgResult result, Run(kSql, Params().Add(account_id).Add(port_id)));
    if (result.Rows() == 0) {
      return std::optional<ZenlayerPort>();
    }
    return std::optional<ZenlayerPort>(ReadZenlayerPort(result, 0));
  }

  absl::StatusOr<std::vector<ZenlayerPort>> ListZenlayerPorts(
      std::string_view account_id) override {
    static const std::string kSql = Select(
        kZenlayerPortColumns, "zenlayer_ports WHERE account_id = $1 ORDER BY port_id", false);
    ASSIGN_OR_RETURN(PgResult rows, Run(kSql, Params().Add(account_id)));
    std::vector<ZenlayerPort> ports;
    for (int row = 0; row < rows.Rows(); ++row) {
      ports.push_back(ReadZenlayerPort(rows, row));
    }
    return ports;
  }

  absl::Status InsertZenlayerPort(const ZenlayerPort& port) override {
    RETURN_IF_ERROR(CheckWritable());
    static const std::string kSql =
        common::StrCat("INSERT INTO zenlayer_ports (", kZenlayerPortColumns,
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING");
    ASSIGN_OR_RETURN(PgResult result, Run(kSql, Params()
                                                    .Add(port.account_id)
                                                    .Add(port.port_id)
                                                    .Add(port.port_name)
                                                    .Add(port.dc_id)
                                                    .Add(port.port_status)
                                                    .Add(port.attributes_json)
                                                    .Add(port.created_at_ms)));
    if (result.Affected() == 0) {
      return absl::AlreadyExistsError(
          common::StrCat("zenlayer port ", port.port_id, " already exists"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) override {
    RETURN_IF_ERROR(LockRowKey({"zenlayer_private_connects", account_id, private_connect_id}));
    constexpr char kFrom[] =
        "zenlayer_private_connects WHERE account_id = $1 AND private_connect_id = $2";
    static const std::string kSql = Select(kPrivateConnectColumns, kFrom, false);
    static const std::string kLockingSql = Select(kPrivateConnectColumns, kFrom, true);
    ASSIGN_OR_RETURN(PgResult result, Run(read_only_ ? kSql : kLockingSql,
                                          Params().Add(account_id).Add(private_connect_id)));
    if (result.Rows() == 0) {
      return std::optional<PrivateConnect>();
    }
    return std::optional<PrivateConnect>(ReadPrivateConnect(result, 0));
  }

  absl::StatusOr<std::vector<PrivateConnect>> ListPrivateConnects(
      std::string_view account_id) override {
    static const std::string kSql =
        Select(kPrivateConnectColumns,
               "zenlayer_private_connects WHERE account_id = $1 ORDER BY created_at_ms DESC, "
               "private_connect_id",
               false);
    ASSIGN_OR_RETURN(PgResult rows, Run(kSql, Params().Add(account_id)));
    std::vector<PrivateConnect> connects;
    for (int row = 0; row < rows.Rows(); ++row) {
      connects.push_back(ReadPrivateConnect(rows, row));
    }
    return connects;
  }

  absl::StatusOr<Page<PrivateConnect>> QueryPrivateConnects(std::string_view account_id,
                                                            const PrivateConnectFilter& filter,
                                                            const PageRequest& page) override {
    // Only the predicates in use appear in the SQL (each variant prepared once
    // per connection), so the planner can use the primary key for ids and the
    // status index for status; ids travel as one JSON array.
    Params params;
    params.Add(account_id);
    std::string where = " FROM zenlayer_private_connects WHERE account_id = $1";
    int next_param = 2;
    if (!filter.ids.empty()) {
      boost::json::array array;
      for (const std::string& id : filter.ids) {
        array.emplace_back(id);
      }
      params.Add(common::ToJson(array));
      where += common::StrCat(" AND private_connect_id IN (SELECT json_array_elements_text($",
                              next_param++, "::json))");
    }
    if (filter.name) {
      params.Add(*filter.name);
      where += common::StrCat(" AND strpos(name, $", next_param++, "::text) > 0");
    }
    if (filter.status) {
      params.Add(*filter.status);
      where += common::StrCat(" AND status = $", next_param++, "::text");
    }
    if (filter.running) {
      where += *filter.running ? " AND status = 'RUNNING'" : " AND status <> 'RUNNING'";
    }
    Page<PrivateConnect> result;
    ASSIGN_OR_RETURN(PgResult count, Run(common::StrCat("SELECT COUNT(*)", where), params));
    result.total = count.Rows() > 0 ? count.Int(0, 0) : 0;
    if (page.limit <= 0 || page.offset >= result.total) {
      return result;
    }
    params.Add(page.limit).Add(page.offset);
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(common::StrCat("SELECT ", kPrivateConnectColumns, where,
                                        " ORDER BY created_at_ms DESC, private_connect_id LIMIT $",
                                        next_param, " OFFSET $", next_param + 1),
                         params));
    for (int row = 0; row < rows.Rows(); ++row) {
      result.items.push_back(ReadPrivateConnect(rows, row));
    }
    return result;
  }

  absl::StatusOr<std::optional<PrivateConnect>> FindPrivateConnectByPortVlan(
      std::string_view account_id, std::string_view port_id, int64_t vlan_id) override {
    // The caller inserts a private connect when this finds none: the key lock
    // makes a concurrent creator on the same (port, vlan) wait for our commit
    // and then find our row, as SQLite's single writer would.
    std::string vlan = std::to_string(vlan_id);
    RETURN_IF_ERROR(LockRowKey({"zenlayer_port_vlan", account_id, port_id, vlan}));
    static const std::string kSql =
        Select(kPrivateConnectColumns,
               "zenlayer_private_connects WHERE account_id = $1 AND "
               "((a_port_id = $2 AND a_vlan_id = $3) OR (z_port_id = $2 AND z_vlan_id = $3)) "
               "ORDER BY private_connect_id LIMIT 1",
               false);
    ASSIGN_OR_RETURN(PgResult result,
                     Run(kSql, Params().Add(account_id).Add(port_id).Add(vlan_id)));
    if (result.Rows() == 0) {
      return std::optional<PrivateConnect>();
    }
    return std::optional<PrivateConnect>(ReadPrivateConnect(result, 0));
  }

  absl::Status InsertPrivateConnect(const PrivateConnect& connect) override {
    RETURN_IF_ERROR(CheckWritable());
    static const std::string kSql = common::StrCat(
        "INSERT INTO zenlayer_private_connects (", kPrivateConnectColumns,
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
        "ON CONFLICT DO NOTHING");
    ASSIGN_OR_RETURN(PgResult result, Run(kSql, Params()
                                                    .Add(connect.account_id)
                                                    .Add(connect.private_connect_id)
                                                    .Add(connect.name)
                                                    .Add(connect.status)
                                                    .Add(connect.bandwidth_mbps)
                                                    .Add(connect.endpoint_a.endpoint_id)
                                                    .Add(connect.endpoint_a.endpoint_name)
                                                    .Add(connect.endpoint_a.port_id)
                                                    .Add(connect.endpoint_a.vlan_id)
                                                    .Add(connect.endpoint_z.endpoint_id)
                                                    .Add(connect.endpoint_z.endpoint_name)
                                                    .Add(connect.endpoint_z.port_id)
                                                    .Add(connect.endpoint_z.vlan_id)
                                                    .Add(connect.created_at_ms)
                                                    .Add(connect.updated_at_ms)
                                                    .Add(connect.recycled_at_ms)
                                                    .Add(connect.version)));
    if (result.Affected() == 0) {
      return absl::AlreadyExistsError(
          common::StrCat("private connect ", connect.private_connect_id, " already exists"));
    }
    return absl::OkStatus();
  }

  absl::Status UpdatePrivateConnect(const PrivateConnect& connect) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(
        PgResult result,
        Run("UPDATE zenlayer_private_connects SET name = $1, status = $2, bandwidth_mbps = $3, "
            "a_endpoint_name = $4, z_endpoint_name = $5, updated_at_ms = $6, "
            "recycled_at_ms = $7, version = version + 1 "
            "WHERE account_id = $8 AND private_connect_id = $9 AND version = $10",
            Params()
                .Add(connect.name)
                .Add(connect.status)
                .Add(connect.bandwidth_mbps)
                .Add(connect.endpoint_a.endpoint_name)
                .Add(connect.endpoint_z.endpoint_name)
                .Add(connect.updated_at_ms)
                .Add(connect.recycled_at_ms)
                .Add(connect.account_id)
                .Add(connect.private_connect_id)
                .Add(connect.version)));
    if (result.Affected() == 1) {
      return absl::OkStatus();
    }
    return PrivateConnectCasFailure(connect.account_id, connect.private_connect_id,
                                    connect.version);
  }

  absl::Status DeletePrivateConnect(std::string_view account_id,
                                    std::string_view private_connect_id,
                                    int64_t expected_version) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgResult result,
                     Run("DELETE FROM zenlayer_private_connects "
                         "WHERE account_id = $1 AND private_connect_id = $2 AND version = $3",
                         Params().Add(account_id).Add(private_connect_id).Add(expected_version)));
    if (result.Affected() == 1) {
      return absl::OkStatus();
    }
    return PrivateConnectCasFailure(account_id, private_connect_id, expected_version);
  }
  // ---- end Zenlayer SDN ----

  // ---- Job leases, emulator controls and idempotency ----
  absl::StatusOr<std::vector<Job>> ClaimDueJobs(int64_t now_ms, std::string_view owner,
                                                int64_t lease_until_ms, int limit) override {
    RETURN_IF_ERROR(CheckWritable());
    // One statement: SKIP LOCKED passes over rows another replica is claiming
    // or completing right now, so concurrent claimers never wait on each other
    // and never get the same job. The inner ORDER BY is the queue order,
    // served by the jobs_pending_by_due index (status, due_at_ms).
    static const std::string kSql = common::StrCat(
        "UPDATE jobs SET lease_owner = $2, lease_expires_at_ms = $3 WHERE job_id IN ("
        "SELECT job_id FROM jobs WHERE status = 'PENDING' AND due_at_ms <= $1 "
        "AND (lease_owner = '' OR lease_expires_at_ms <= $1) "
        "ORDER BY due_at_ms, job_id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING ",
        kJobColumns);
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kSql, Params().Add(now_ms).Add(owner).Add(lease_until_ms).Add(int64_t{limit})));
    ASSIGN_OR_RETURN(std::vector<Job> claimed, ReadJobs(rows));
    // RETURNING has no order; callers expect oldest due first.
    std::sort(claimed.begin(), claimed.end(), [](const Job& a, const Job& b) {
      return std::tie(a.due_at_ms, a.job_id) < std::tie(b.due_at_ms, b.job_id);
    });
    return claimed;
  }

  absl::StatusOr<int64_t> ExtendLeases(std::string_view owner, int64_t lease_until_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgResult result, Run("UPDATE jobs SET lease_expires_at_ms = $1 "
                                          "WHERE lease_owner = $2 AND status = 'PENDING'",
                                          Params().Add(lease_until_ms).Add(owner)));
    return result.Affected();
  }

  absl::Status ReleaseLeases(std::string_view owner) override {
    RETURN_IF_ERROR(CheckWritable());
    return Run("UPDATE jobs SET lease_owner = '', lease_expires_at_ms = 0 "
               "WHERE lease_owner = $1 AND status = 'PENDING'",
               Params().Add(owner))
        .status();
  }

  absl::StatusOr<std::vector<std::string>> ListLeaseOwners() override {
    ASSIGN_OR_RETURN(PgResult rows, Run("SELECT DISTINCT lease_owner FROM jobs "
                                        "WHERE status = 'PENDING' AND lease_owner <> ''",
                                        Params()));
    std::vector<std::string> owners;
    for (int row = 0; row < rows.Rows(); ++row) {
      owners.push_back(rows.Text(row, 0));
    }
    return owners;
  }

  absl::StatusOr<std::vector<Job>> ListReadGatedJobs(std::string_view tenant_id,
                                                     std::string_view resource_id) override {
    // Locked in a write transaction (in job_id order, so concurrent readers
    // never deadlock): two concurrent reads each count once.
    static const std::string kSql =
        common::StrCat("SELECT ", kJobColumns,
                       " FROM jobs WHERE project_id = $1 AND resource_id = $2 AND "
                       "status = 'PENDING' AND reads_remaining > 0 ORDER BY job_id");
    static const std::string kLockingSql = common::StrCat(kSql, " FOR UPDATE");
    ASSIGN_OR_RETURN(PgResult rows, Run(read_only_ ? kSql : kLockingSql,
                                        Params().Add(tenant_id).Add(resource_id)));
    return ReadJobs(rows);
  }

  absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      std::string_view scope, std::string_view key) override {
    RETURN_IF_ERROR(LockRowKey({"idempotency_keys", scope, key}));
    ASSIGN_OR_RETURN(PgResult result,
                     Run("SELECT scope, idem_key, request_hash, http_status, response_body, "
                         "created_at_ms FROM idempotency_keys WHERE scope = $1 AND idem_key = $2",
                         Params().Add(scope).Add(key)));
    if (result.Rows() == 0) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(IdempotencyRecord{
        result.Text(0, 0), result.Text(0, 1), result.Text(0, 2),
        static_cast<int32_t>(result.Int(0, 3)), result.Text(0, 4), result.Int(0, 5)});
  }

  absl::Status PutIdempotencyRecord(const IdempotencyRecord& record) override {
    RETURN_IF_ERROR(CheckWritable());
    return Run("INSERT INTO idempotency_keys (scope, idem_key, request_hash, "
               "http_status, response_body, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6) "
               "ON CONFLICT (scope, idem_key) DO UPDATE SET "
               "request_hash = excluded.request_hash, "
               "http_status = excluded.http_status, "
               "response_body = excluded.response_body, "
               "created_at_ms = excluded.created_at_ms",
               Params()
                   .Add(record.scope)
                   .Add(record.key)
                   .Add(record.request_hash)
                   .Add(int64_t{record.http_status})
                   .Add(record.response_body)
                   .Add(record.created_at_ms))
        .status();
  }

  absl::Status DeleteIdempotencyRecord(std::string_view scope, std::string_view key) override {
    RETURN_IF_ERROR(CheckWritable());
    return Run("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2",
               Params().Add(scope).Add(key))
        .status();
  }

  absl::Status RunInSavepoint(absl::FunctionRef<absl::Status()> fn) override {
    RETURN_IF_ERROR(CheckWritable());
    RETURN_IF_ERROR(RunDynamic("SAVEPOINT inline_step", Params()).status());
    absl::Status status = fn();
    if (!status.ok()) {
      // A failed statement inside fn aborted the transaction up to here only:
      // after ROLLBACK TO it is usable again, so its error is forgotten.
      first_error_ = absl::OkStatus();
      RETURN_IF_ERROR(RunDynamic("ROLLBACK TO SAVEPOINT inline_step", Params()).status());
    }
    RETURN_IF_ERROR(RunDynamic("RELEASE SAVEPOINT inline_step", Params()).status());
    return status;
  }

  absl::Status DeleteAllData() override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(std::vector<std::string> tables, DataTables());
    for (const std::string& table : tables) {
      RETURN_IF_ERROR(
          RunDynamic(common::StrCat("DELETE FROM ", connection_.QuoteIdentifier(table)), Params())
              .status());
    }
    return absl::OkStatus();
  }

  absl::Status DeleteTenantData(std::string_view tenant_id) override {
    RETURN_IF_ERROR(CheckWritable());
    // Tenant-owned tables and their tenant column; credentials stay.
    RETURN_IF_ERROR(
        Run("DELETE FROM kafka_instances WHERE project_id = $1", Params().Add(tenant_id)).status());
    RETURN_IF_ERROR(
        Run("DELETE FROM kafka_connector_tasks WHERE project_id = $1", Params().Add(tenant_id))
            .status());
    RETURN_IF_ERROR(
        Run("DELETE FROM jobs WHERE project_id = $1", Params().Add(tenant_id)).status());
    RETURN_IF_ERROR(
        Run("DELETE FROM zenlayer_ports WHERE account_id = $1", Params().Add(tenant_id)).status());
    RETURN_IF_ERROR(
        Run("DELETE FROM zenlayer_private_connects WHERE account_id = $1", Params().Add(tenant_id))
            .status());
    RETURN_IF_ERROR(
        Run("DELETE FROM audit_log WHERE tenant = $1", Params().Add(tenant_id)).status());
    return Run("DELETE FROM idempotency_keys WHERE scope LIKE $1",
               Params().Add(common::StrCat("%:", tenant_id)))
        .status();
  }

  absl::StatusOr<std::vector<TableDump>> DumpTables() override {
    ASSIGN_OR_RETURN(std::vector<std::string> tables, DataTables());
    std::vector<TableDump> dumps;
    for (const std::string& table : tables) {
      if (table == "audit_log") continue;  // served paginated by ListAudit
      ASSIGN_OR_RETURN(PgResult rows, RunDynamic(common::StrCat("SELECT * FROM ",
                                                                connection_.QuoteIdentifier(table)),
                                                 Params()));
      TableDump dump;
      dump.table = table;
      std::vector<int> kept;
      for (int col = 0; col < PQnfields(rows.raw()); ++col) {
        std::string name = PQfname(rows.raw(), col);
        if (name.find("secret") != std::string::npos ||
            name.find("password") != std::string::npos) {
          continue;
        }
        kept.push_back(col);
        dump.columns.push_back(std::move(name));
      }
      for (int row = 0; row < rows.Rows(); ++row) {
        std::vector<std::optional<std::string>> values;
        for (int col : kept) {
          values.push_back(rows.IsNull(row, col) ? std::nullopt
                                                 : std::optional<std::string>(rows.Text(row, col)));
        }
        dump.rows.push_back(std::move(values));
      }
      dumps.push_back(std::move(dump));
    }
    return dumps;
  }
  // ---- end emulator controls ----

  // ---- Audit trail and operations ----
  absl::Status AppendAudit(const AuditEntry& entry) override {
    RETURN_IF_ERROR(CheckWritable());
    static const std::string kSql = common::StrCat(
        "INSERT INTO audit_log (", kAuditColumns,
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING");
    ASSIGN_OR_RETURN(
        PgResult result,
        Run(kSql, Params()
                      .Add(entry.audit_id.empty() ? NewAuditId(entry.at_ms) : entry.audit_id)
                      .Add(entry.at_ms)
                      .Add(entry.tenant)
                      .Add(entry.actor)
                      .Add(entry.resource_type)
                      .Add(entry.resource_id)
                      .Add(entry.action)
                      .Add(entry.from_status)
                      .Add(entry.to_status)
                      .Add(entry.job_id)
                      .Add(entry.request_id)));
    if (result.Affected() == 0) {
      return absl::AlreadyExistsError(
          common::StrCat("audit entry ", entry.audit_id, " already exists"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override {
    static const std::string kSql = common::StrCat(
        "SELECT ", kAuditColumns,
        " FROM audit_log WHERE ($1::text IS NULL OR tenant = $1)"
        " AND ($2::text IS NULL OR resource_id = $2) AND ($3::text IS NULL OR audit_id < $3)"
        " ORDER BY audit_id DESC LIMIT $4");
    ASSIGN_OR_RETURN(PgResult rows, Run(kSql, Params()
                                                  .AddNullable(filter.tenant)
                                                  .AddNullable(filter.resource_id)
                                                  .AddNullable(filter.before_audit_id)
                                                  .Add(filter.limit)));
    std::vector<AuditEntry> entries;
    for (int row = 0; row < rows.Rows(); ++row) {
      AuditEntry entry;
      entry.audit_id = rows.Text(row, 0);
      entry.at_ms = rows.Int(row, 1);
      entry.tenant = rows.Text(row, 2);
      entry.actor = rows.Text(row, 3);
      entry.resource_type = rows.Text(row, 4);
      entry.resource_id = rows.Text(row, 5);
      entry.action = rows.Text(row, 6);
      entry.from_status = rows.Text(row, 7);
      entry.to_status = rows.Text(row, 8);
      entry.job_id = rows.Text(row, 9);
      entry.request_id = rows.Text(row, 10);
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  absl::StatusOr<std::vector<JobCount>> CountJobs() override {
    ASSIGN_OR_RETURN(PgResult rows, Run("SELECT job_type, status, COUNT(*) FROM jobs "
                                        "GROUP BY job_type, status ORDER BY job_type, status",
                                        Params()));
    std::vector<JobCount> counts;
    for (int row = 0; row < rows.Rows(); ++row) {
      std::optional<JobStatus> status = ParseJobStatus(rows.Text(row, 1));
      if (!status) {
        return absl::InternalError(
            common::StrCat("jobs with unknown status ", rows.Text(row, 1)));
      }
      counts.push_back(JobCount{rows.Text(row, 0), *status, rows.Int(row, 2)});
    }
    return counts;
  }
  // ---- end audit trail ----

 private:
  absl::StatusOr<std::vector<std::string>> DataTables() {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run("SELECT table_name::text FROM information_schema.tables "
                         "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                         "AND table_name <> 'schema_version' ORDER BY table_name",
                         Params()));
    std::vector<std::string> tables;
    for (int row = 0; row < rows.Rows(); ++row) {
      tables.push_back(rows.Text(row, 0));
    }
    return tables;
  }

  // NotFound when the row is gone, else Aborted (its version moved on).
  absl::Status PrivateConnectCasFailure(std::string_view account_id,
                                        std::string_view private_connect_id,
                                        int64_t expected_version) {
    ASSIGN_OR_RETURN(PgResult current, Run("SELECT version FROM zenlayer_private_connects "
                                           "WHERE account_id = $1 AND private_connect_id = $2",
                                           Params().Add(account_id).Add(private_connect_id)));
    if (current.Rows() == 0) {
      return absl::NotFoundError(common::StrCat("private connect ", private_connect_id));
    }
    return absl::AbortedError(common::StrCat("private connect ", private_connect_id,
                                             " changed concurrently (version ", current.Int(0, 0),
                                             ", expected ", expected_version, ")"));
  }

  // In a write transaction, takes a transaction-scoped advisory lock on the
  // key of a row the caller is about to read and maybe insert. Row locks
  // (FOR UPDATE) cannot cover a row that does not exist yet; this makes
  // "read, then insert if absent" on one key serialize across replicas as it
  // does under SQLite's single writer. No-op in read transactions.
  absl::Status LockRowKey(std::initializer_list<std::string_view> parts) {
    if (read_only_) return absl::OkStatus();
    return Run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
               Params().Add(LockKey(parts)))
        .status();
  }

  absl::StatusOr<PgResult> Run(const std::string& sql, const Params& params) {
    RETURN_IF_ERROR(first_error_);
    return Remember(connection_.ExecPrepared(store_.StatementName(sql), sql, params));
  }
  absl::StatusOr<PgResult> RunDynamic(const std::string& sql, const Params& params) {
    RETURN_IF_ERROR(first_error_);
    return Remember(connection_.ExecParams(sql, params));
  }
  absl::StatusOr<PgResult> Remember(absl::StatusOr<PgResult> result) {
    if (!result.ok()) first_error_ = result.status();
    return result;
  }

  absl::Status CheckWritable() const {
    if (read_only_) {
      return absl::InternalError("write attempted inside a read-only transaction");
    }
    return absl::OkStatus();
  }

  PostgresStore& store_;
  Connection& connection_;
  bool read_only_;
  absl::Status first_error_;
};

PostgresStore::PostgresStore(PostgresOptions options) : options_(std::move(options)) {}

PostgresStore::~PostgresStore() {
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(PostgresOptions options) {
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("postgres pool size must be at least 1");
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(options)));
  RETURN_IF_ERROR(common::Annotate(store->Migrate(), "migrating postgres database"));
  return store;
}

std::string PostgresStore::StatementName(const std::string& sql) {
  absl::MutexLock lock(&names_mu_);
  auto [it, inserted] = statement_names_.try_emplace(sql);
  if (inserted) {
    it->second = common::StrCat("cp_", statement_names_.size());
  }
  return it->second;
}

absl::StatusOr<std::unique_ptr<PostgresStore::Connection>> PostgresStore::Connect() {
  std::string connect_timeout = std::to_string(options_.connect_timeout_seconds);
  // Our defaults come first so that the same keywords inside the DSN win.
  const char* keywords[] = {
      "connect_timeout",     "application_name", "keepalives", "keepalives_idle",
      "keepalives_interval", "keepalives_count", "dbname",     nullptr};
  const char* values[] = {connect_timeout.c_str(), "connectplane", "1", "30", "10", "3",
                          options_.dsn.c_str(),    nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) {
    return absl::UnavailableError("postgres: out of memory allocating a connection");
  }
  auto connection = std::make_unique<Connection>(raw);
  // NOTICEs ("relation already exists, skipping") go to the debug log, not stderr.
  PQsetNoticeProcessor(
      raw, [](void*, const char* message) { spdlog::debug("postgres: {}", message); }, nullptr);
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string message = PQerrorMessage(raw);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return absl::UnavailableError(common::StrCat("postgres: connecting: ", message));
  }
  // Durability is not negotiable (an acknowledged write survives a crash); a
  // hung client must not hold locks (job rows) forever.
  std::string setup = common::StrCat("SET synchronous_commit = on; SET lock_timeout = ",
                                     absl::ToInt64Milliseconds(options_.lock_timeout),
                                     "; SET idle_in_transaction_session_timeout = 60000");
  if (!options_.search_path.empty()) {
    setup +=
        common::StrCat("; SET search_path TO ", connection->QuoteIdentifier(options_.search_path));
  }
  RETURN_IF_ERROR(connection->Exec(setup.c_str(), "configuring session").status());
  return connection;
}

bool PostgresStore::CanAcquire() const { return !idle_.empty() || open_ < options_.pool_size; }

absl::StatusOr<std::unique_ptr<PostgresStore::Connection>> PostgresStore::Acquire(bool& reused) {
  {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(this, &PostgresStore::CanAcquire),
                              options_.acquire_timeout)) {
      return absl::UnavailableError(common::StrCat("postgres: all ", options_.pool_size,
                                                   " pooled connections busy for ",
                                                   absl::FormatDuration(options_.acquire_timeout)));
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return connection;
    }
    ++open_;
  }
  reused = false;
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect();
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return connection;
}

void PostgresStore::Release(std::unique_ptr<Connection> connection) {
  bool broken = connection->broken();
  if (broken) {
    connection.reset();  // closes the session outside the pool lock
  }
  absl::MutexLock lock(&mu_);
  if (broken) {
    --open_;
    spdlog::warn("postgres: dropped a broken connection from the pool ({} left)", open_);
    return;
  }
  idle_.push_back(std::move(connection));
}

absl::Status PostgresStore::Write(TransactionFn fn) { return RunTransaction(fn, false); }
absl::Status PostgresStore::Read(TransactionFn fn) { return RunTransaction(fn, true); }

absl::Status PostgresStore::RunTransaction(TransactionFn fn, bool read_only) {
  const char* begin = read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                : "BEGIN ISOLATION LEVEL READ COMMITTED";
  // Every idle connection may be stale after a server restart; nothing has run
  // yet, so trying the next (eventually a fresh) one is safe.
  std::unique_ptr<Connection> connection;
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    ASSIGN_OR_RETURN(connection, Acquire(reused));
    absl::Status began = connection->Exec(begin, "beginning transaction").status();
    if (began.ok()) break;
    bool retry = reused && connection->broken() && attempt <= options_.pool_size;
    Release(std::move(connection));
    if (!retry) return began;
  }

  Transaction transaction(*this, *connection, read_only);
  absl::Status status = fn(transaction);
  if (status.ok() && !transaction.first_error().ok()) {
    // The callback swallowed a failed statement; PostgreSQL has aborted the
    // transaction, so committing would silently roll back.
    status = transaction.first_error();
  }
  if (!status.ok()) {
    if (!connection->broken()) {
      connection->Exec("ROLLBACK", "rolling back").status().IgnoreError();
    }
    Release(std::move(connection));
    return status;
  }
  absl::StatusOr<PgResult> commit = connection->Exec("COMMIT", "committing");
  absl::Status commit_status = commit.status();
  if (commit.ok() &&
      std::string_view(PQcmdStatus(const_cast<PGresult*>(commit->raw()))) != "COMMIT") {
    commit_status = absl::AbortedError("postgres: transaction rolled back at commit");
  }
  Release(std::move(connection));
  if (read_only) {
    // Everything was read from one snapshot; how the session ended does not
    // change what the callback saw.
    return absl::OkStatus();
  }
  return commit_status.ok() ? absl::OkStatus()
                            : common::Annotate(commit_status, "committing transaction");
}

absl::Status PostgresStore::Migrate() {
  bool reused = false;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire(reused));
  auto apply = [&]() -> absl::Status {
    RETURN_IF_ERROR(connection->Exec("BEGIN", "beginning migration").status());
    // Replicas starting together queue here; each sees the others' work.
    std::string lock = common::StrCat("SELECT pg_advisory_xact_lock(", kMigrationLockClass, ", 1)");
    RETURN_IF_ERROR(connection->Exec(lock.c_str(), "locking schema").status());
    RETURN_IF_ERROR(connection
                        ->Exec("CREATE TABLE IF NOT EXISTS schema_version ("
                               "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                               "applied_at_ms BIGINT NOT NULL)",
                               "creating schema_version")
                        .status());
    ASSIGN_OR_RETURN(PgResult versions, connection->Exec("SELECT version FROM schema_version",
                                                         "reading schema versions"));
    std::set<int32_t> applied;
    for (int row = 0; row < versions.Rows(); ++row) {
      applied.insert(static_cast<int32_t>(versions.Int(row, 0)));
    }
    for (const Migration* pending : PendingMigrations(SchemaMigrations(), applied)) {
      const Migration& migration = *pending;
      if (!migration.sqlite_only) {
        std::string sql(migration.sql);
        RETURN_IF_ERROR(connection->Exec(sql.c_str(), common::StrCat("migration ", migration.version))
                            .status());
      }
      Params params;
      params.Add(int64_t{migration.version}).Add(migration.description);
      RETURN_IF_ERROR(connection
                          ->ExecParams("INSERT INTO schema_version (version, description, "
                                       "applied_at_ms) VALUES ($1, $2, "
                                       "(extract(epoch from now()) * 1000)::bigint)",
                                       params)
                          .status());
      spdlog::info("postgres: applied migration {} ({})", migration.version, migration.description);
    }
    return connection->Exec("COMMIT", "committing migrations").status();
  };
  absl::Status status = apply();
  if (!status.ok() && !connection->broken()) {
    connection->Exec("ROLLBACK", "rolling back migrations").status().IgnoreError();
  }
  Release(std::move(connection));
  return status;
}

absl::StatusOr<int32_t> PostgresStore::SchemaVersion() {
  bool reused = false;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire(reused));
  absl::StatusOr<PgResult> result = connection->Exec(
      "SELECT COALESCE(MAX(version), 0) FROM schema_version", "reading schema version");
  Release(std::move(connection));
  RETURN_IF_ERROR(result.status());
  return static_cast<int32_t>(result->Int(0, 0));
}

}  // namespace connectplane::store
