// Store contract of the Zenlayer SDN rows: tokens, tags, ports and their
// lifecycle columns, the data center catalog, private connects, their
// Describe filters and pages and the per-account totals, on every backend
// (StoreContractTest cases, instantiated in store_contract_test.cc), and the
// SQLite migration that backfills the totals.
#include "store/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store_contract_fixture.h"
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::store {
namespace {

TEST_P(StoreContractTest, ZenlayerTokensAndTagsRoundTrip) {
  ASSERT_TRUE(
      Write([](StoreTransaction& txn) -> absl::Status {
        RETURN_IF_ERROR(txn.PutZenlayerToken({"hash-1", "acct"}));
        RETURN_IF_ERROR(txn.PutZenlayerToken({"hash-1", "acct-moved"}));
        RETURN_IF_ERROR(txn.PutZenlayerToken({"hash-0", "acct-2"}));
        ZenlayerPort port{"acct", "p1", "one", "dc1", "RUNNING", "{}", 1};
        port.tags_json = R"([{"key":"env","value":"prod"}])";
        RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
        RETURN_IF_ERROR(txn.InsertZenlayerPort({"acct", "p2", "two", "dc1", "RUNNING", "{}", 1}));
        PrivateConnect connect = MakeConnect("pc1", "p1", 10, 100);
        connect.tags_json = R"([{"key":"team","value":"net"}])";
        RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
        // A compare-and-swap update keeps the tags.
        connect.name = "renamed";
        return txn.UpdatePrivateConnect(connect);
      }).ok());
  ASSERT_TRUE(
      Read([](StoreTransaction& txn) -> absl::Status {
        EXPECT_EQ((*txn.FindZenlayerToken("hash-1"))->account_id, "acct-moved");
        EXPECT_FALSE(txn.FindZenlayerToken("hash-2")->has_value());
        // The export lists every token by hash.
        auto tokens = txn.ListZenlayerTokens();
        EXPECT_TRUE(tokens.ok());
        EXPECT_EQ(tokens->size(), 2u);
        EXPECT_EQ((*tokens)[0].token_sha256, "hash-0");
        EXPECT_EQ((*tokens)[0].account_id, "acct-2");
        EXPECT_EQ((*tokens)[1].token_sha256, "hash-1");
        EXPECT_EQ((*tokens)[1].account_id, "acct-moved");
        EXPECT_EQ((*txn.GetZenlayerPort("acct", "p1"))->tags_json,
                  R"([{"key":"env","value":"prod"}])");
        EXPECT_EQ((*txn.GetZenlayerPort("acct", "p2"))->tags_json, "[]");
        auto connect = txn.GetPrivateConnect("acct", "pc1");
        EXPECT_EQ((*connect)->name, "renamed");
        EXPECT_EQ((*connect)->tags_json, R"([{"key":"team","value":"net"}])");
        auto page = txn.QueryPrivateConnects("acct", {}, {0, std::numeric_limits<int64_t>::max()});
        EXPECT_EQ(page->items.size(), 1u);
        EXPECT_EQ(page->items[0].tags_json, R"([{"key":"team","value":"net"}])");
        return absl::OkStatus();
      }).ok());
  // The state dump (admin export) leaves the token hash out.
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                auto dumps = txn.DumpTables();
                EXPECT_TRUE(dumps.ok());
                for (const TableDump& dump : *dumps) {
                  for (const std::string& column : dump.columns) {
                    EXPECT_EQ(column.find("token"), std::string::npos) << dump.table;
                  }
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ZenlayerPortsAndPrivateConnects) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.PutZenlayerCredential({"AKZ", "pw", "acct"}));
                RETURN_IF_ERROR(txn.PutZenlayerCredential({"AKZ", "pw2", "acct"}));
                RETURN_IF_ERROR(
                    txn.InsertZenlayerPort({"acct", "p2", "port two", "dc1", "RUNNING", "{}", 1}));
                RETURN_IF_ERROR(
                    txn.InsertZenlayerPort({"acct", "p1", "port one", "dc1", "RUNNING", "{}", 1}));
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertZenlayerPort({"acct", "p1", "dup", "dc1", "RUNNING", "{}", 1})));
                RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc1", "p1", 10, 100)));
                RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc2", "p2", 10, 200)));
                EXPECT_TRUE(absl::IsAlreadyExists(
                    txn.InsertPrivateConnect(MakeConnect("pc1", "p1", 11, 100))));
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ((*txn.FindZenlayerCredential("AKZ"))->access_key_password, "pw2");
                auto ports = txn.ListZenlayerPorts("acct");
                EXPECT_EQ(ports->size(), 2u);
                EXPECT_EQ((*ports)[0].port_id, "p1");
                EXPECT_EQ((*txn.GetZenlayerPort("acct", "p2"))->port_name, "port two");
                EXPECT_FALSE(txn.GetZenlayerPort("other", "p2")->has_value());
                auto connects = txn.QueryPrivateConnects("acct", {}, {0, 1000});
                EXPECT_EQ(connects->items.size(), 2u);
                EXPECT_EQ(connects->items[0].private_connect_id, "pc2");  // newest first
                auto by_vlan = txn.FindPrivateConnectByPortVlan("acct", "p1", 10);
                EXPECT_EQ((*by_vlan)->private_connect_id, "pc1");
                auto by_z = txn.FindPrivateConnectByPortVlan("acct", "pz", 7);
                EXPECT_EQ((*by_z)->private_connect_id, "pc1");
                EXPECT_FALSE(txn.FindPrivateConnectByPortVlan("acct", "p1", 11)->has_value());
                EXPECT_EQ((*txn.GetPrivateConnect("acct", "pc1"))->endpoint_a.vlan_id, 10);
                return absl::OkStatus();
              }).ok());
  PrivateConnect connect = MakeConnect("pc1", "p1", 10, 100);
  connect.status = "RUNNING";
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdatePrivateConnect(connect); }).ok());
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.UpdatePrivateConnect(connect); })));
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.DeletePrivateConnect("acct", "pc1", 0); })));
  ASSERT_TRUE(Write([&](StoreTransaction& txn) {
                return txn.DeletePrivateConnect("acct", "pc1", 1);
              }).ok());
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.DeletePrivateConnect("acct", "pc1", 1); })));
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.UpdatePrivateConnect(connect); })));
}

TEST_P(StoreContractTest, ZenlayerPortLifecycleColumnsAndDatacenterCatalog) {
  ZenlayerPort port{"acct", "p1", "one", "SIN1", "CREATING", R"({"portType":"1G"})", 5};
  ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
                RETURN_IF_ERROR(txn.InsertZenlayerPort({"acct", "p2", "two", "SIN1", "RUNNING"}));
                RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc1", "p2", 10, 100)));
                RETURN_IF_ERROR(txn.PutZenlayerDatacenter({"SIN1", "Singapore 1", "addr",
                                                           "Singapore", "Singapore", "Asia Pacific",
                                                           true, R"({"latitude":1.3})"}));
                RETURN_IF_ERROR(txn.PutZenlayerDatacenter(
                    {"FRA1", "Frankfurt 1", "", "Frankfurt", "Germany", "Europe", false, "{}"}));
                // Upsert replaces.
                return txn.PutZenlayerDatacenter(
                    {"FRA1", "Frankfurt One", "", "Frankfurt", "Germany", "Europe", false, "{}"});
              }).ok());
  port.port_status = "RECYCLED";
  port.recycled_at_ms = 77;
  port.expired_at_ms = 88;
  port.updated_at_ms = 66;
  port.attributes_json = R"({"portType":"1G","portRemarks":"r"})";
  ASSERT_TRUE(Write([&](StoreTransaction& txn) { return txn.UpdateZenlayerPort(port); }).ok());
  // The same version again lost the race.
  EXPECT_TRUE(
      absl::IsAborted(Write([&](StoreTransaction& txn) { return txn.UpdateZenlayerPort(port); })));
  ASSERT_TRUE(Read([](StoreTransaction& txn) -> absl::Status {
                std::optional<ZenlayerPort> stored = *txn.GetZenlayerPort("acct", "p1");
                EXPECT_EQ(stored->port_status, "RECYCLED");
                EXPECT_EQ(stored->recycled_at_ms, 77);
                EXPECT_EQ(stored->expired_at_ms, 88);
                EXPECT_EQ(stored->updated_at_ms, 66);
                EXPECT_EQ(stored->created_at_ms, 5);
                EXPECT_EQ(stored->version, 1);
                EXPECT_EQ(stored->attributes_json, R"({"portType":"1G","portRemarks":"r"})");
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("acct", "p1"), 0);
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("acct", "p2"), 1);
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("acct", "pz"), 1);  // endpoint Z
                EXPECT_EQ(*txn.CountPrivateConnectsOnPort("other", "p2"), 0);
                std::vector<ZenlayerDatacenter> catalog = *txn.ListZenlayerDatacenters();
                EXPECT_EQ(catalog.size(), 2u);
                EXPECT_EQ(catalog[0].dc_id, "FRA1");
                EXPECT_EQ(catalog[0].dc_name, "Frankfurt One");
                EXPECT_FALSE(catalog[0].port_available);
                std::optional<ZenlayerDatacenter> sin = *txn.GetZenlayerDatacenter("SIN1");
                EXPECT_TRUE(sin->port_available);
                EXPECT_EQ(sin->attributes_json, R"({"latitude":1.3})");
                EXPECT_FALSE(txn.GetZenlayerDatacenter("NOPE")->has_value());
                return absl::OkStatus();
              }).ok());
  EXPECT_TRUE(absl::IsAborted(
      Write([&](StoreTransaction& txn) { return txn.DeleteZenlayerPort("acct", "p1", 0); })));
  ASSERT_TRUE(
      Write([&](StoreTransaction& txn) { return txn.DeleteZenlayerPort("acct", "p1", 1); }).ok());
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](StoreTransaction& txn) { return txn.DeleteZenlayerPort("acct", "p1", 1); })));
  EXPECT_TRUE(
      absl::IsNotFound(Write([&](StoreTransaction& txn) { return txn.UpdateZenlayerPort(port); })));
}

// ---- Describe filters and pages in the database; connect totals ----

TEST_P(StoreContractTest, QueryPrivateConnectsFiltersAndPagesInTheDatabase) {
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                for (int idx = 0; idx < 30; ++idx) {
                  PrivateConnect connect =
                      MakeConnect("pc" + std::to_string(100 + idx), "p1", idx + 1, 1000 + idx);
                  connect.name = idx % 3 == 0 ? "edge-sin" : "core-fra";
                  connect.status = idx % 2 == 0 ? "RUNNING" : "RECYCLED";
                  RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                }
                PrivateConnect other = MakeConnect("pc999", "p1", 1, 5000);
                other.account_id = "other";
                return txn.InsertPrivateConnect(other);
              }).ok());
  auto query = [&](const PrivateConnectFilter& filter, int64_t offset, int64_t limit) {
    Page<PrivateConnect> result;
    EXPECT_TRUE(
        Read([&](StoreTransaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(result, txn.QueryPrivateConnects("acct", filter, {offset, limit}));
          return absl::OkStatus();
        }).ok());
    return result;
  };
  Page<PrivateConnect> all = query({}, 0, 50);
  EXPECT_EQ(all.total, 30);
  ASSERT_EQ(all.items.size(), 30u);
  EXPECT_EQ(all.items.front().private_connect_id, "pc129");  // newest first
  EXPECT_EQ(all.items.back().private_connect_id, "pc100");
  Page<PrivateConnect> second = query({}, 10, 10);
  EXPECT_EQ(second.total, 30);
  ASSERT_EQ(second.items.size(), 10u);
  EXPECT_EQ(second.items.front().private_connect_id, "pc119");
  Page<PrivateConnect> past_end = query({}, 40, 10);
  EXPECT_EQ(past_end.total, 30);
  EXPECT_TRUE(past_end.items.empty());

  PrivateConnectFilter by_ids;
  by_ids.ids = {"pc101", "pc105", "pc999", "nope", "x\"y"};
  Page<PrivateConnect> ids = query(by_ids, 0, 50);
  EXPECT_EQ(ids.total, 2);  // pc999 is another account's
  ASSERT_EQ(ids.items.size(), 2u);
  EXPECT_EQ(ids.items[0].private_connect_id, "pc105");

  PrivateConnectFilter combined;
  combined.name = "sin";        // idx % 3 == 0: 0,3,...,27 (10 rows)
  combined.status = "RUNNING";  // even idx: 0,6,12,18,24
  Page<PrivateConnect> sin_running = query(combined, 0, 2);
  EXPECT_EQ(sin_running.total, 5);
  ASSERT_EQ(sin_running.items.size(), 2u);
  EXPECT_EQ(sin_running.items[0].private_connect_id, "pc124");
  EXPECT_EQ(sin_running.items[1].private_connect_id, "pc118");

  PrivateConnectFilter down;
  down.running = false;
  EXPECT_EQ(query(down, 0, 50).total, 15);
  PrivateConnectFilter active;
  active.running = true;
  active.status = "RECYCLED";  // contradictory: nothing
  EXPECT_EQ(query(active, 0, 50).total, 0);
}

// Page totals must follow every write path: inserts, status changes, deletes,
// a rolled-back transaction, and the tenant and full resets. (SQLite answers
// status-only totals from counts kept by triggers, PostgreSQL with COUNT(*).)
TEST_P(StoreContractTest, PrivateConnectTotalsFollowEveryWrite) {
  auto total = [&](std::string_view account, std::optional<std::string> status,
                   std::optional<bool> running) {
    PrivateConnectFilter filter;
    filter.status = std::move(status);
    filter.running = running;
    int64_t result = -1;
    EXPECT_TRUE(Read([&](StoreTransaction& txn) -> absl::Status {
                  ASSIGN_OR_RETURN(Page<PrivateConnect> page,
                                   txn.QueryPrivateConnects(account, filter, {0, 1}));
                  result = page.total;
                  return absl::OkStatus();
                }).ok());
    return result;
  };
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                for (int idx = 0; idx < 6; ++idx) {
                  PrivateConnect connect =
                      MakeConnect("pc" + std::to_string(idx), "p1", idx + 1, 100 + idx);
                  connect.status = idx < 4 ? "RUNNING" : "CREATING";
                  RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                }
                PrivateConnect other = MakeConnect("pc-other", "p1", 1, 100);
                other.account_id = "other";
                other.status = "RUNNING";
                return txn.InsertPrivateConnect(other);
              }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 6);
  EXPECT_EQ(total("acct", "RUNNING", std::nullopt), 4);
  EXPECT_EQ(total("acct", std::nullopt, false), 2);
  EXPECT_EQ(total("other", std::nullopt, std::nullopt), 1);

  // RUNNING -> RECYCLED, and an update that keeps the status.
  for (const char* id : {"pc0", "pc1"}) {
    ASSERT_TRUE(Write([&](StoreTransaction& txn) -> absl::Status {
                  ASSIGN_OR_RETURN(std::optional<PrivateConnect> connect,
                                   txn.GetPrivateConnect("acct", id));
                  connect->status = "RECYCLED";
                  RETURN_IF_ERROR(txn.UpdatePrivateConnect(*connect));
                  connect->version += 1;
                  connect->name = "renamed";
                  return txn.UpdatePrivateConnect(*connect);
                }).ok());
  }
  EXPECT_EQ(total("acct", "RUNNING", std::nullopt), 2);
  EXPECT_EQ(total("acct", "RECYCLED", std::nullopt), 2);
  EXPECT_EQ(total("acct", std::nullopt, true), 2);
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 6);

  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                ASSIGN_OR_RETURN(std::optional<PrivateConnect> connect,
                                 txn.GetPrivateConnect("acct", "pc0"));
                if (!connect) return absl::NotFoundError("pc0");
                return txn.DeletePrivateConnect("acct", "pc0", connect->version);
              }).ok());
  EXPECT_EQ(total("acct", "RECYCLED", std::nullopt), 1);
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 5);

  // A transaction that fails after writing leaves the totals as they were.
  EXPECT_FALSE(Write([](StoreTransaction& txn) -> absl::Status {
                 RETURN_IF_ERROR(txn.InsertPrivateConnect(MakeConnect("pc-doomed", "p1", 50, 1)));
                 return absl::AbortedError("rolled back");
               }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 5);
  EXPECT_EQ(total("acct", "CREATING", std::nullopt), 2);

  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteTenantData("acct"); }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 0);
  EXPECT_EQ(total("other", "RUNNING", std::nullopt), 1);
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                return txn.InsertPrivateConnect(MakeConnect("pc-new", "p1", 9, 1));
              }).ok());
  EXPECT_EQ(total("acct", "CREATING", std::nullopt), 1);
  ASSERT_TRUE(Write([](StoreTransaction& txn) { return txn.DeleteAllData(); }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 0);
  EXPECT_EQ(total("other", std::nullopt, std::nullopt), 0);
  ASSERT_TRUE(Write([](StoreTransaction& txn) -> absl::Status {
                return txn.InsertPrivateConnect(MakeConnect("pc-after-reset", "p1", 9, 1));
              }).ok());
  EXPECT_EQ(total("acct", std::nullopt, std::nullopt), 1);
}

// A database created before migration 7 holds connects but no counts: the
// migration must backfill them, or every total would read 0 after upgrade.
TEST(SqliteStoreTest, CountMigrationBackfillsExistingConnects) {
  std::string path = TempPath("count-backfill");
  RemoveDatabase(path);
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->Write([](StoreTransaction& txn) -> absl::Status {
                      for (int idx = 0; idx < 3; ++idx) {
                        PrivateConnect connect =
                            MakeConnect("pc" + std::to_string(idx), "p1", idx + 1, 100 + idx);
                        connect.status = idx == 0 ? "RECYCLED" : "RUNNING";
                        RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // Back to a version-6 schema with the same rows.
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TRIGGER zenlayer_private_connects_count_insert; "
                           "DROP TRIGGER zenlayer_private_connects_count_delete; "
                           "DROP TRIGGER zenlayer_private_connects_count_update; "
                           "DROP TABLE zenlayer_private_connect_counts; "
                           "DELETE FROM schema_version WHERE version = 7",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto reopened = SqliteStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto total = [&](std::optional<std::string> status) {
    PrivateConnectFilter filter;
    filter.status = std::move(status);
    int64_t result = -1;
    EXPECT_TRUE((*reopened)
                    ->Read([&](StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(Page<PrivateConnect> page,
                                       txn.QueryPrivateConnects("acct", filter, {0, 10}));
                      result = page.total;
                      return absl::OkStatus();
                    })
                    .ok());
    return result;
  };
  EXPECT_EQ(total(std::nullopt), 3);
  EXPECT_EQ(total("RUNNING"), 2);
  EXPECT_EQ(total("RECYCLED"), 1);
  reopened->reset();
  RemoveDatabase(path);
}

}  // namespace
}  // namespace connectplane::store
