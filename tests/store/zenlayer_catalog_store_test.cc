// Store contract of the Zenlayer SDN catalog (cloud regions) and the VLAN
// usage query, on both backends: SQLite always, PostgreSQL when
// CONNECTPLANE_TEST_POSTGRES_DSN names a server (each test in its own schema).
#include "common/status.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace connectplane::store {
namespace {

const char* PostgresDsn() {
  const char* dsn = std::getenv("CONNECTPLANE_TEST_POSTGRES_DSN");
  return dsn != nullptr && dsn[0] != '\0' ? dsn : nullptr;
}

void PostgresAdmin(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresDsn());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK)
      << sql << ": " << PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
}

std::vector<std::string> Backends() {
  std::vector<std::string> backends = {"sqlite"};
  if (PostgresDsn() != nullptr) {
    backends.push_back("postgres");
  }
  return backends;
}

class ZenlayerCatalogStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      schema_ = "t_catalog_";
      for (char c : std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
        schema_.push_back(
            std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_');
      }
      schema_ += "_" + std::to_string(::getpid());
      PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      PostgresAdmin("CREATE SCHEMA " + schema_);
      PostgresOptions options;
      options.dsn = PostgresDsn();
      options.search_path = schema_;
      auto opened = PostgresStore::Open(options);
      ASSERT_TRUE(opened.ok()) << opened.status();
      store_ = std::move(*opened);
    } else {
      auto opened = SqliteStore::Open(":memory:");
      ASSERT_TRUE(opened.ok()) << opened.status();
      store_ = std::move(*opened);
    }
  }
  void TearDown() override {
    store_.reset();
    if (!schema_.empty()) {
      PostgresAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }

  std::string schema_;
  std::unique_ptr<Store> store_;
};

PrivateConnect Connect(std::string account, std::string id, std::string port_a, int64_t vlan_a,
                       std::string port_z, int64_t vlan_z, std::string status = "RUNNING") {
  PrivateConnect connect;
  connect.account_id = std::move(account);
  connect.private_connect_id = std::move(id);
  connect.name = connect.private_connect_id;
  connect.status = std::move(status);
  connect.bandwidth_mbps = 10;
  connect.endpoint_a = {port_a, port_a, port_a, vlan_a};
  connect.endpoint_z = {port_z, port_z, port_z, vlan_z};
  return connect;
}

TEST_P(ZenlayerCatalogStoreTest, CloudRegionsAreUpsertedAndListedPerCloudInOrder) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.PutZenlayerCloudRegion(
                        {"AWS", "us-west-1", "LAX1", R"(["PrivateConnect"])", "{}"}));
                    RETURN_IF_ERROR(
                        txn.PutZenlayerCloudRegion({"AWS", "ap-southeast-1", "SIN1", "[]", "{}"}));
                    RETURN_IF_ERROR(txn.PutZenlayerCloudRegion(
                        {"GOOGLE", "asia-southeast1", "SIN1", "[]", "{}"}));
                    // Same key: replaces the row.
                    return txn.PutZenlayerCloudRegion(
                        {"AWS", "ap-southeast-1", "SIN1", R"(["CloudRouter"])", R"({"x":1})"});
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::vector<ZenlayerCloudRegion> aws,
                                     txn.ListZenlayerCloudRegions("AWS"));
                    EXPECT_EQ(aws.size(), 2u);
                    if (aws.size() == 2) {
                      EXPECT_EQ(aws[0].cloud_region_id, "ap-southeast-1");
                      EXPECT_EQ(aws[0].products_json, R"(["CloudRouter"])");
                      EXPECT_EQ(aws[0].attributes_json, R"({"x":1})");
                      EXPECT_EQ(aws[1].cloud_region_id, "us-west-1");
                      EXPECT_EQ(aws[1].dc_id, "LAX1");
                    }
                    ASSIGN_OR_RETURN(std::vector<ZenlayerCloudRegion> tencent,
                                     txn.ListZenlayerCloudRegions("TENCENT"));
                    EXPECT_TRUE(tencent.empty());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(ZenlayerCatalogStoreTest, VlansInUseCoverBothEndsOfTheAccountsConnectsOnly) {
  ASSERT_TRUE(
      store_
          ->Write([](StoreTransaction& txn) -> absl::Status {
            RETURN_IF_ERROR(txn.InsertPrivateConnect(Connect("acct", "1", "p1", 300, "p2", 7)));
            RETURN_IF_ERROR(
                txn.InsertPrivateConnect(Connect("acct", "2", "p2", 300, "p1", 12, "RECYCLED")));
            // Same VLAN on p1 at both ends of two connects: listed once.
            RETURN_IF_ERROR(txn.InsertPrivateConnect(Connect("acct", "3", "p3", 1, "p1", 300)));
            return txn.InsertPrivateConnect(Connect("other", "4", "p1", 99, "p9", 5));
          })
          .ok());
  ASSERT_TRUE(
      store_
          ->Read([](StoreTransaction& txn) -> absl::Status {
            ASSIGN_OR_RETURN(std::vector<int64_t> on_p1, txn.ListVlansInUseOnPort("acct", "p1"));
            EXPECT_EQ(on_p1, (std::vector<int64_t>{12, 300}));
            ASSIGN_OR_RETURN(std::vector<int64_t> unknown, txn.ListVlansInUseOnPort("acct", "p9"));
            EXPECT_TRUE(unknown.empty());
            return absl::OkStatus();
          })
          .ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, ZenlayerCatalogStoreTest, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace connectplane::store
