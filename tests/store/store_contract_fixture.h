// The backend-parameterised store fixture (STYLE rule 18) the store contract
// tests share: each test gets a fresh store on its parameter's backend -
// "sqlite-memory" (any parameter but the two below), "sqlite-file" (a temp
// file), "postgres" (its own schema on CONNECTPLANE_TEST_POSTGRES_DSN, see
// scripts/with-postgres.sh) - plus the row makers and PostgreSQL admin helpers
// the suites use. One StoreContractTest instantiation (store_contract_test.cc)
// runs the TEST_Ps of every file. Callers must serialize use of a fixture.
#pragma once

#include "common/status.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

namespace connectplane::store {

inline std::string TempPath(std::string name) {
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".db"))
      .string();
}

inline void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
}

inline KafkaInstance MakeInstance(std::string project, std::string id, std::string name,
                                  int64_t created_at_ms = 1000) {
  KafkaInstance instance;
  instance.project_id = std::move(project);
  instance.instance_id = std::move(id);
  instance.name = std::move(name);
  instance.status = "RUNNING";
  instance.specification = "100MB";
  instance.attributes_json = R"({"engine_version":"2.7"})";
  instance.created_at_ms = created_at_ms;
  instance.updated_at_ms = created_at_ms;
  return instance;
}

inline Job MakeJob(std::string id, std::string resource, int64_t created_at_ms, int64_t due_at_ms) {
  Job job;
  job.job_id = std::move(id);
  job.tenant_id = "p1";
  job.resource_id = std::move(resource);
  job.job_type = "kafka.enable_connector";
  job.name = "createConnector";
  job.created_at_ms = created_at_ms;
  job.updated_at_ms = created_at_ms;
  job.due_at_ms = due_at_ms;
  return job;
}

// A CREATING connect of account "acct" from (port_a, vlan_a) to ("pz", 7).
inline PrivateConnect MakeConnect(std::string id, std::string port_a, int64_t vlan_a,
                                  int64_t created) {
  PrivateConnect connect;
  connect.account_id = "acct";
  connect.private_connect_id = std::move(id);
  connect.name = "pc";
  connect.status = "CREATING";
  connect.bandwidth_mbps = 100;
  connect.endpoint_a = {port_a, "a", port_a, vlan_a};
  connect.endpoint_z = {"pz", "z", "pz", 7};
  connect.created_at_ms = created;
  connect.updated_at_ms = created;
  return connect;
}

inline const char* PostgresDsn() {
  const char* dsn = std::getenv("CONNECTPLANE_TEST_POSTGRES_DSN");
  return dsn != nullptr && dsn[0] != '\0' ? dsn : nullptr;
}

// Runs one statement on a fresh admin session; fails the test on error.
inline void PostgresAdmin(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresDsn());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  EXPECT_TRUE(PQresultStatus(result) == PGRES_COMMAND_OK ||
              PQresultStatus(result) == PGRES_TUPLES_OK)
      << sql << ": " << PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
}

inline std::string SchemaName(std::string_view prefix, std::string_view name) {
  std::string schema(prefix);
  for (char c : name) {
    schema.push_back(
        std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_');
  }
  return schema + "_" + std::to_string(::getpid());
}

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  // `schema_prefix` starts the per-test PostgreSQL schema's name, so suites
  // with tests of the same name do not share a schema.
  explicit StoreContractTest(std::string schema_prefix = "t_")
      : schema_prefix_(std::move(schema_prefix)) {}

  void SetUp() override {
    std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (GetParam() == "postgres") {
      schema_ = SchemaName(schema_prefix_, test_name);
      PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      PostgresAdmin("CREATE SCHEMA " + schema_);
    } else if (GetParam() == "sqlite-file") {
      path_ = TempPath(test_name);
      RemoveDatabase(path_);
    } else {
      path_ = ":memory:";
    }
    auto opened = OpenStore();
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    if (!schema_.empty()) {
      PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } else if (path_ != ":memory:") {
      RemoveDatabase(path_);
    }
  }

  bool IsPostgres() const { return GetParam() == "postgres"; }
  bool IsMemory() const { return path_ == ":memory:"; }

  // Another handle on the same database ("another replica"); the in-memory
  // SQLite database cannot be shared, so callers use store_ there.
  absl::StatusOr<std::unique_ptr<Store>> OpenStore() {
    if (IsPostgres()) {
      PostgresOptions options;
      options.dsn = PostgresDsn();
      options.search_path = schema_;
      options.pool_size = 4;
      ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(options));
      return std::unique_ptr<Store>(std::move(store));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(path_));
    return std::unique_ptr<Store>(std::move(store));
  }

  absl::StatusOr<int32_t> SchemaVersion() {
    if (IsPostgres()) return static_cast<PostgresStore&>(*store_).SchemaVersion();
    return static_cast<SqliteStore&>(*store_).SchemaVersion();
  }

  absl::Status Write(const std::function<absl::Status(StoreTransaction&)>& fn) {
    return store_->Write([&](StoreTransaction& txn) { return fn(txn); });
  }
  absl::Status Read(const std::function<absl::Status(StoreTransaction&)>& fn) {
    return store_->Read([&](StoreTransaction& txn) { return fn(txn); });
  }

  const std::string schema_prefix_;
  std::string path_;
  std::string schema_;
  std::unique_ptr<Store> store_;
};

// The store contract's backends: both SQLite flavours, PostgreSQL when a DSN is given.
inline std::vector<std::string> Backends() {
  std::vector<std::string> backends = {"sqlite-memory", "sqlite-file"};
  if (PostgresDsn() != nullptr) backends.push_back("postgres");
  return backends;
}

// "sqlite-memory" -> "sqlite_memory": the instantiations' test name suffixes.
inline std::string BackendTestName(const ::testing::TestParamInfo<std::string>& param_info) {
  std::string name = param_info.param;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

}  // namespace connectplane::store
