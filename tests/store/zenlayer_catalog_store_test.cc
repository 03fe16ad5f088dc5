// Store contract of the Zenlayer SDN catalog (cloud regions) and the VLAN
// usage query, on both backends (the shared fixture of
// store_contract_fixture.h): SQLite always, PostgreSQL when
// CONNECTPLANE_TEST_POSTGRES_DSN names a server (each test in its own schema).
#include <gtest/gtest.h>

#include "store_contract_fixture.h"
#include <cstdint>
#include <string>
#include <vector>

namespace connectplane::store {
namespace {

// The shared backend fixture (store_contract_fixture.h), with its own schema
// prefix and instantiation: in-memory SQLite, and PostgreSQL when a DSN is given.
class ZenlayerCatalogStoreTest : public StoreContractTest {
 protected:
  ZenlayerCatalogStoreTest() : StoreContractTest("t_catalog_") {}
};

std::vector<std::string> CatalogBackends() {
  std::vector<std::string> backends = {"sqlite-memory"};
  if (PostgresDsn() != nullptr) {
    backends.push_back("postgres");
  }
  return backends;
}

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

// Default (index) test names, /0 and /1, as this suite has always had.
INSTANTIATE_TEST_SUITE_P(Backends, ZenlayerCatalogStoreTest,
                         ::testing::ValuesIn(CatalogBackends()));

}  // namespace
}  // namespace connectplane::store
