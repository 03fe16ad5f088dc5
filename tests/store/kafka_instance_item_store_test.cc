// Store contract of a Kafka instance's items (tags, parameter values, topics:
// kafka_instance_items, migration 13) on both backends: SQLite always,
// PostgreSQL when CONNECTPLANE_TEST_POSTGRES_DSN names a server (each test in
// its own schema).
#include "common/status.h"

#include <gtest/gtest.h>

#include "store_contract_fixture.h"
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::store {
namespace {

// The shared backend fixture (store_contract_fixture.h) with its own schema
// prefix; instantiated on in-memory SQLite, and PostgreSQL when a DSN is given.
class KafkaInstanceItemStoreTest : public StoreContractTest {
 protected:
  KafkaInstanceItemStoreTest() : StoreContractTest("t_items_") {}
};

std::vector<std::string> KafkaInstanceItemStoreTestBackends() {
  std::vector<std::string> backends = {"sqlite"};
  if (PostgresDsn() != nullptr) backends.push_back("postgres");
  return backends;
}

KafkaInstanceItem Item(std::string project, std::string instance, std::string_view kind,
                       std::string name, std::string body_json, int64_t created_at_ms) {
  return KafkaInstanceItem{std::move(project), std::move(instance), std::string(kind),
                           std::move(name), std::move(body_json), created_at_ms, created_at_ms};
}

std::vector<std::string> Names(const std::vector<KafkaInstanceItem>& items) {
  std::vector<std::string> names;
  for (const KafkaInstanceItem& item : items) names.push_back(item.name);
  return names;
}

TEST_P(KafkaInstanceItemStoreTest, ListsOneKindOfOneInstanceOldestFirst) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemTopic, "zeta", R"({"partition":3})", 200)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemTopic, "alpha", R"({"partition":1})", 300)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemTopic, "beta", "{}", 200)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemTag, "alpha", R"({"value":"v"})", 100)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i2", kKafkaItemTopic, "other", "{}", 100)));
                    return txn.PutKafkaInstanceItem(
                        Item("p2", "i1", kKafkaItemTopic, "foreign", "{}", 100));
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    auto topics = txn.ListKafkaInstanceItems("p1", "i1", kKafkaItemTopic);
                    EXPECT_TRUE(topics.ok()) << topics.status();
                    EXPECT_EQ(Names(*topics), (std::vector<std::string>{"beta", "zeta", "alpha"}));
                    EXPECT_EQ((*topics)[2].body_json, R"({"partition":1})");
                    EXPECT_EQ((*topics)[2].created_at_ms, 300);
                    auto tags = txn.ListKafkaInstanceItems("p1", "i1", kKafkaItemTag);
                    EXPECT_EQ(Names(*tags), (std::vector<std::string>{"alpha"}));
                    EXPECT_TRUE(txn.ListKafkaInstanceItems("p1", "i1", kKafkaItemConfig)->empty());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(KafkaInstanceItemStoreTest, PutReplacesTheItemWithItsKey) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemConfig, "num.partitions", R"({"value":"3"})", 100)));
                    KafkaInstanceItem changed = Item("p1", "i1", kKafkaItemConfig, "num.partitions",
                                                     R"({"value":"6"})", 100);
                    changed.updated_at_ms = 500;
                    return txn.PutKafkaInstanceItem(changed);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    auto configs = txn.ListKafkaInstanceItems("p1", "i1", kKafkaItemConfig);
                    EXPECT_EQ(configs->size(), 1u);
                    EXPECT_EQ((*configs)[0].body_json, R"({"value":"6"})");
                    EXPECT_EQ((*configs)[0].updated_at_ms, 500);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(KafkaInstanceItemStoreTest, DeletesOneItemOrEveryItemOfAnInstance) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemTopic, "t1", "{}", 100)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemTag, "t1", "{}", 100)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i1", kKafkaItemConfig, "c", "{}", 100)));
                    RETURN_IF_ERROR(txn.PutKafkaInstanceItem(
                        Item("p1", "i2", kKafkaItemTopic, "t1", "{}", 100)));
                    return txn.PutKafkaInstanceItem(Item("p2", "i1", kKafkaItemTopic, "t1", "{}", 100));
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    // Same name, other kind: only the topic goes.
                    RETURN_IF_ERROR(txn.DeleteKafkaInstanceItem("p1", "i1", kKafkaItemTopic, "t1"));
                    EXPECT_TRUE(absl::IsNotFound(
                        txn.DeleteKafkaInstanceItem("p1", "i1", kKafkaItemTopic, "t1")));
                    EXPECT_EQ(txn.ListKafkaInstanceItems("p1", "i1", kKafkaItemTag)->size(), 1u);
                    auto removed = txn.DeleteKafkaInstanceItems("p1", "i1");
                    EXPECT_TRUE(removed.ok()) << removed.status();
                    EXPECT_EQ(*removed, 2);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    EXPECT_TRUE(txn.ListKafkaInstanceItems("p1", "i1", kKafkaItemTag)->empty());
                    EXPECT_EQ(txn.ListKafkaInstanceItems("p1", "i2", kKafkaItemTopic)->size(), 1u);
                    EXPECT_EQ(txn.ListKafkaInstanceItems("p2", "i1", kKafkaItemTopic)->size(), 1u);
                    return absl::OkStatus();
                  })
                  .ok());
  // A tenant reset takes the tenant's items only.
  ASSERT_TRUE(store_->Write([](StoreTransaction& txn) { return txn.DeleteTenantData("p1"); }).ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    EXPECT_TRUE(txn.ListKafkaInstanceItems("p1", "i2", kKafkaItemTopic)->empty());
                    EXPECT_EQ(txn.ListKafkaInstanceItems("p2", "i1", kKafkaItemTopic)->size(), 1u);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(KafkaInstanceItemStoreTest, ReadOnlyTransactionsCannotWriteItems) {
  absl::Status status = store_->Read([](StoreTransaction& txn) {
    return txn.PutKafkaInstanceItem(Item("p1", "i1", kKafkaItemTag, "k", "{}", 1));
  });
  EXPECT_FALSE(status.ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, KafkaInstanceItemStoreTest, ::testing::ValuesIn(KafkaInstanceItemStoreTestBackends()));

}  // namespace
}  // namespace connectplane::store
