#include "store/postgres_store.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "store/internal/rows.h"
#include "store/internal/sql_text.h"
#include "store/migrations.h"

#include <libpq-fe.h>

#include "metrics/metrics.h"
#include "spdlog/spdlog.h"
#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace connectplane::store {
namespace {

using internal::AuditEntryRow;
using internal::BindArgs;
using internal::ConnectorTaskRow;
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
using internal::ZenlayerCredentialRow;
using internal::ZenlayerPortRow;

constexpr internal::Placeholders kNumbered = internal::Placeholders::kNumbered;

// Appended to a SELECT in a write transaction: the row stays locked until commit.
constexpr std::string_view kForUpdate = " FOR UPDATE";

// Separates the parts of an advisory-lock key ("table", "id", ...).
constexpr char kKeySeparator = '\x1f';
// First key of the two-int advisory lock that serializes migrations (a lock
// space disjoint from the one-bigint row keys below). "cpln".
constexpr int32_t kMigrationLockClass = 0x63706c6e;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

int64_t ParseInt(const char* text, int length) {
  int64_t value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

// One row of a result, in libpq's text format. Satisfies internal::ResultRow.
class PgRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}

  std::string Text(int column) const {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<size_t>(PQgetlength(result_, row_, column)));
  }
  int64_t Int(int column) const {
    return ParseInt(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
  }
  bool IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

 private:
  const PGresult* result_;
  int row_;
};

// The rows of one statement.
class PgResult {
 public:
  explicit PgResult(ResultPtr result) : result_(std::move(result)) {}

  int Rows() const { return PQntuples(result_.get()); }
  PgRow Row(int row) const { return PgRow(result_.get(), row); }
  int Columns() const { return PQnfields(result_.get()); }
  std::string ColumnName(int column) const { return PQfname(result_.get(), column); }
  // Rows an INSERT/UPDATE/DELETE touched.
  int64_t Affected() const {
    const char* tuples = PQcmdTuples(result_.get());
    return ParseInt(tuples, static_cast<int>(std::char_traits<char>::length(tuples)));
  }
  const PGresult* raw() const { return result_.get(); }

 private:
  ResultPtr result_;
};

// Statement parameters in text format, bound in order. Satisfies
// internal::ParamSink.
class Params {
 public:
  Params& Bind(std::string_view text) {
    values_.emplace_back(std::string(text));
    return *this;
  }
  Params& Bind(int64_t value) {
    values_.emplace_back(std::to_string(value));
    return *this;
  }
  Params& BindNull() {
    values_.emplace_back(std::nullopt);
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
    if (!key.empty()) {
      key.push_back(kKeySeparator);
    }
    key.append(part);
  }
  return key;
}

// Hashes std::string keys and std::string_view probes alike, so a lookup by
// SQL text needs no copy of it.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};

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

  // Prepares `sql` on first use on this connection, then runs it.
  absl::StatusOr<PgResult> ExecPrepared(std::string_view sql, const Params& params) {
    auto it = statement_names_.find(sql);
    if (it == statement_names_.end()) {
      std::string text(sql);
      std::string name = common::StrCat("cp_", statement_names_.size() + 1);
      ResultPtr prepared(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
      RETURN_IF_ERROR(Check(std::move(prepared), common::StrCat("preparing ", sql)).status());
      it = statement_names_.emplace(std::move(text), std::move(name)).first;
    }
    std::vector<const char*> values = params.Pointers();
    ResultPtr result(PQexecPrepared(conn_, it->second.c_str(), params.Size(), values.data(),
                                    nullptr, nullptr, 0));
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
    if (quoted == nullptr) {
      return std::string();
    }
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
  // Server-side prepared statement name ("cp_<n>") by SQL text.
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> statement_names_;
};

// Runs on the thread that holds the connection for the transaction's lifetime.
// The first failed statement aborts the PostgreSQL transaction; it is
// remembered so that the transaction is rolled back even if the callback
// swallows the error.
class PostgresStore::Transaction final : public StoreTransaction {
 public:
  Transaction(Connection& connection, bool read_only)
      : connection_(connection), read_only_(read_only) {}

  const absl::Status& first_error() const { return first_error_; }

  absl::StatusOr<std::optional<HuaweiCredential>> FindHuaweiCredential(
      std::string_view access_key) override {
    static constexpr std::string_view kWhere = " WHERE access_key = $1";
    return QueryOptional(kSelect<HuaweiCredentialRow, kWhere>, BindArgs(access_key),
                         kReadRow<HuaweiCredentialRow>);
  }

  absl::Status PutHuaweiCredential(const HuaweiCredential& credential) override {
    return Upsert<HuaweiCredentialRow>(credential);
  }

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

  // ---- Smart Connect tasks ----
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
  // ---- end Smart Connect tasks ----

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
                     Execute(kSql<[] { return internal::UpdateSql<JobRow>(kNumbered); }>,
                             [&](Params& params) { JobRow::BindUpdate(params, job); }));
    if (updated != 1) {
      return absl::NotFoundError(common::StrCat("job ", job.job_id));
    }
    return absl::OkStatus();
  }

  // ---- Zenlayer SDN ----
  absl::StatusOr<std::optional<ZenlayerCredential>> FindZenlayerCredential(
      std::string_view access_key_id) override {
    static constexpr std::string_view kWhere = " WHERE access_key_id = $1";
    return QueryOptional(kSelect<ZenlayerCredentialRow, kWhere>, BindArgs(access_key_id),
                         kReadRow<ZenlayerCredentialRow>);
  }

  absl::Status PutZenlayerCredential(const ZenlayerCredential& credential) override {
    return Upsert<ZenlayerCredentialRow>(credential);
  }

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

  absl::StatusOr<std::optional<PrivateConnect>> GetPrivateConnect(
      std::string_view account_id, std::string_view private_connect_id) override {
    RETURN_IF_ERROR(LockRowKey({"zenlayer_private_connects", account_id, private_connect_id}));
    static constexpr std::string_view kWhere = " WHERE account_id = $1 AND private_connect_id = $2";
    return QueryOptional(read_only_ ? kSelect<PrivateConnectRow, kWhere>
                                    : kSelect<PrivateConnectRow, kWhere, kForUpdate>,
                         BindArgs(account_id, private_connect_id), kReadRow<PrivateConnectRow>);
  }

  absl::StatusOr<std::vector<PrivateConnect>> ListPrivateConnects(
      std::string_view account_id) override {
    static constexpr std::string_view kWhere =
        " WHERE account_id = $1 ORDER BY created_at_ms DESC, private_connect_id";
    return QueryAll(kSelect<PrivateConnectRow, kWhere>, BindArgs(account_id),
                    kReadRow<PrivateConnectRow>);
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
    // One statement: SKIP LOCKED passes over rows another replica is claiming
    // or completing right now, so concurrent claimers never wait on each other
    // and never get the same job. The inner ORDER BY is the queue order,
    // served by the jobs_pending_by_due index (status, due_at_ms).
    ASSIGN_OR_RETURN(
        std::vector<Job> claimed,
        QueryAll(kSql<[] {
                   return internal::SqlBuilder()
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

  absl::StatusOr<int64_t> ExtendLeases(std::string_view owner, int64_t lease_until_ms) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(
        "UPDATE jobs SET lease_expires_at_ms = $1 WHERE lease_owner = $2 AND status = 'PENDING'",
        BindArgs(lease_until_ms, owner));
  }

  absl::Status ReleaseLeases(std::string_view owner) override {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(
               "UPDATE jobs SET lease_owner = '', lease_expires_at_ms = 0 "
               "WHERE lease_owner = $1 AND status = 'PENDING'",
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
    for (const internal::TenantColumn& owned : internal::kTenantOwned) {
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
        if (!internal::IsSecretColumn(name)) {
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
    ASSIGN_OR_RETURN(
        int64_t inserted,
        Execute(kSql<[] {
                  return internal::InsertSql<AuditEntryRow>(kNumbered).Add(
                      " ON CONFLICT DO NOTHING");
                }>,
                [&](Params& params) { AuditEntryRow::BindInsert(params, entry, audit_id); }));
    if (inserted == 0) {
      return internal::KeyTaken<AuditEntryRow>(audit_id);
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
  // ---- end audit trail ----

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
  absl::StatusOr<std::optional<internal::ReadType<Reader, PgRow>>> QueryOptional(
      std::string_view sql, Binder&& bind, Reader&& read) {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, bind));
    if (result.Rows() == 0) {
      return std::nullopt;
    }
    return internal::ReadOptional(read, result.Row(0));
  }
  // read(row) of every row `sql` selects, or the reader's first error.
  template <class Binder, class Reader>
  absl::StatusOr<std::vector<internal::ReadType<Reader, PgRow>>> QueryAll(std::string_view sql,
                                                                          Binder&& bind,
                                                                          Reader&& read) {
    ASSIGN_OR_RETURN(PgResult result, Run(sql, bind));
    std::vector<internal::ReadType<Reader, PgRow>> rows;
    rows.reserve(static_cast<size_t>(result.Rows()));
    for (int row = 0; row < result.Rows(); ++row) {
      RETURN_IF_ERROR(internal::AppendRead(read, result.Row(row), rows));
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
        Execute(kSql<[] {
                  return internal::InsertSql<Format>(kNumbered).Add(" ON CONFLICT DO NOTHING");
                }>,
                [&](Params& params) { Format::BindInsert(params, value); }));
    if (inserted == 0) {
      return internal::KeyTaken<Format>(Format::Id(value));
    }
    return absl::OkStatus();
  }

  // Inserts `value`, or replaces the row with its key.
  template <class Format>
  absl::Status Upsert(const typename Format::Value& value) {
    RETURN_IF_ERROR(CheckWritable());
    return Execute(kSql<[] { return internal::UpsertSql<Format>(kNumbered); }>,
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
                     Execute(kSql<[] { return internal::CasUpdateSql<Format>(kNumbered); }>,
                             [&](Params& params) { Format::BindUpdate(params, value); }));
    if (updated == 1) {
      return absl::OkStatus();
    }
    return CasFailure<Format>([&](Params& params) { Format::BindKey(params, value); },
                              Format::Id(value), value.version);
  }

  // Compare-and-swap delete of the row `bind_key` binds the key of.
  template <class Format, class KeyBinder>
  absl::Status CasDelete(KeyBinder bind_key, std::string_view id, int64_t expected_version) {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(int64_t deleted,
                     Execute(kSql<[] { return internal::CasDeleteSql<Format>(kNumbered); }>,
                             [&](Params& params) {
                               bind_key(params);
                               params.Bind(expected_version);
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
        QueryOptional(kSql<[] { return internal::SelectVersionSql<Format>(kNumbered); }>, bind_key,
                      kReadInt));
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

  Transaction transaction(*connection, read_only);
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
      applied.insert(static_cast<int32_t>(versions.Row(row).Int(0)));
    }
    for (const Migration* pending : PendingMigrations(SchemaMigrations(), applied)) {
      const Migration& migration = *pending;
      if (!migration.sqlite_only) {
        std::string sql(migration.sql);
        RETURN_IF_ERROR(
            connection->Exec(sql.c_str(), common::StrCat("migration ", migration.version))
                .status());
      }
      Params params;
      params.Bind(int64_t{migration.version}).Bind(migration.description);
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
  return static_cast<int32_t>(result->Row(0).Int(0));
}

}  // namespace connectplane::store
