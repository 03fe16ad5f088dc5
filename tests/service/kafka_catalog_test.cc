#include "service/kafka_catalog.h"

#include "common/status.h"
#include "service/kafka_service.h"
#include "service/seed.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <set>
#include <string>

namespace connectplane::service {
namespace {

constexpr char kTwoRegions[] = R"({"huawei": {
  "availability_zones": [
    {"region_id": "eu-nl", "zones": [
      {"id": "0123456789abcdef0123456789abcd01", "code": "eu-nl-01", "name": "AZ1"},
      {"id": "0123456789abcdef0123456789abcd02", "code": "eu-nl-02", "name": "AZ2"},
      {"id": "0123456789abcdef0123456789abcd03", "code": "eu-nl-03", "name": "AZ3", "sold_out": true}
    ]},
    {"region_id": "eu-de", "zones": [
      {"id": "0123456789abcdef0123456789abcd11", "code": "eu-de-01"}
    ]}
  ]}})";

TEST(KafkaCatalogTest, SeedWithoutZonesGetsTheBuiltInRegion) {
  for (const char* seed : {"", "{}", R"({"huawei": {"credentials": []}})"}) {
    auto catalog = KafkaCatalog::FromSeed(seed);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    EXPECT_EQ(catalog->Region().region_id, "eu-de");
    EXPECT_EQ(catalog->Region().zones.size(), 3u);
    ASSERT_NE(catalog->FindZone("eu-de-02"), nullptr);
    EXPECT_EQ(catalog->FindZone("eu-de-02")->id, "bf84aba586ce4e948da0b97d9a7d62fc");
  }
}

TEST(KafkaCatalogTest, SeedZonesArePerRegionAndFoundByIdOrCode) {
  auto catalog = KafkaCatalog::FromSeed(kTwoRegions);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->Region().region_id, "eu-nl");  // the first listed
  EXPECT_EQ(catalog->Region("eu-de").zones.size(), 1u);
  EXPECT_EQ(catalog->Region("nowhere").region_id, "eu-nl");
  EXPECT_EQ(catalog->FindZone("eu-nl-02")->id, "0123456789abcdef0123456789abcd02");
  EXPECT_EQ(catalog->FindZone("0123456789abcdef0123456789abcd01")->name, "AZ1");
  EXPECT_TRUE(catalog->FindZone("eu-nl-03")->sold_out);
  EXPECT_EQ(catalog->FindZone("eu-nl-01")->port, "8002");
  EXPECT_EQ(catalog->FindZone("az1"), nullptr);
}

TEST(KafkaCatalogTest, BadZoneSectionsAreRefusedWithTheirPath) {
  struct Case {
    const char* seed;
    const char* fragment;
  } cases[] = {
      {R"({"huawei":{"availability_zones":[]}})", "at least one region"},
      {R"({"huawei":{"availability_zones":[{"region_id":"r","zones":[]}]}})", "at least one"},
      {R"({"huawei":{"availability_zones":[{"region_id":"r","zones":[{"id":"AZ1","code":"c"}]}]}})",
       "32 lower-case hex"},
      {R"({"huawei":{"availability_zones":[{"region_id":"r","zones":[
          {"id":"0123456789abcdef0123456789abcd01","code":"c"},
          {"id":"0123456789abcdef0123456789abcd02","code":"c"}]}]}})",
       "duplicate"},
      {R"({"huawei":{"availability_zones":[{"region_id":"r","zones":[
          {"id":"0123456789abcdef0123456789abcd01","code":"c","colour":"red"}]}]}})",
       "colour"},
      {R"({"huawei":{"availability_zones":[{"region_id":"r","zones":[{"id":"0123456789abcdef0123456789abcd01","code":"c"}]},
          {"region_id":"r","zones":[{"id":"0123456789abcdef0123456789abcd02","code":"d"}]}]}})",
       "duplicate region_id"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.seed);
    testing::ServiceFixture services;
    auto applied = ApplySeed(*services.store, test_case.seed, services.clock, nullptr);
    ASSERT_FALSE(applied.ok());
    EXPECT_TRUE(absl::IsInvalidArgument(applied.status()));
    EXPECT_NE(applied.status().message().find(test_case.fragment), std::string::npos)
        << applied.status();
  }
}

TEST(KafkaCatalogTest, FlavorTableIsConsistent) {
  std::set<std::string_view> ids;
  for (const KafkaFlavor& flavor : KafkaCatalog::Flavors()) {
    SCOPED_TRACE(flavor.product_id);
    EXPECT_TRUE(ids.insert(flavor.product_id).second);
    EXPECT_EQ(KafkaCatalog::FindFlavor(flavor.product_id), &flavor);
    EXPECT_LE(flavor.min_broker, flavor.max_broker);
    EXPECT_LE(flavor.min_storage_per_node, flavor.max_storage_per_node);
    EXPECT_GE(flavor.max_storage_space, kMinKafkaStorageSpace);
    EXPECT_TRUE(flavor.type == "cluster" || flavor.type == "single");
  }
  EXPECT_EQ(KafkaCatalog::FindFlavor("00300-30399-0--0"), nullptr);
  EXPECT_EQ(KafkaCatalog::StorageSpecCodes("c6.2u4g.cluster").size(),
            std::size(kKafkaStorageSpecCodes));
  EXPECT_EQ(KafkaCatalog::MinStorageSpace("c6.2u4g.cluster"), kMinKafkaStorageSpace);
}

// The first-generation products: found as flavors, never listed among the
// current ones, fixed broker counts, their own storage classes and minimums.
TEST(KafkaCatalogTest, LegacyProductsAreFixedSizeFlavorsOfTheirOwn) {
  ASSERT_EQ(KafkaCatalog::LegacyProducts().size(), 4u);
  const int64_t partitions[] = {300, 900, 1800, 1800};
  size_t product_idx = 0;
  for (const LegacyKafkaProduct& product : KafkaCatalog::LegacyProducts()) {
    SCOPED_TRACE(product.product_id);
    EXPECT_EQ(product.product_id.find('.'), std::string_view::npos);
    EXPECT_EQ(KafkaCatalog::FindLegacyProduct(product.product_id), &product);
    const KafkaFlavor* flavor = KafkaCatalog::FindFlavor(product.product_id);
    ASSERT_NE(flavor, nullptr);
    for (const KafkaFlavor& current : KafkaCatalog::Flavors()) {
      EXPECT_NE(&current, flavor);
    }
    EXPECT_EQ(flavor->min_broker, flavor->max_broker);
    EXPECT_EQ(int64_t{flavor->max_partition_per_broker} * flavor->min_broker,
              partitions[product_idx++]);
    EXPECT_EQ(int64_t{flavor->min_storage_per_node} * flavor->min_broker,
              product.min_storage_space);
    EXPECT_EQ(KafkaCatalog::MinStorageSpace(product.product_id), product.min_storage_space);
    EXPECT_EQ(flavor->max_storage_space, 90000);
    EXPECT_FALSE(product.storage_spec_codes.empty());
    for (std::string_view code : KafkaCatalog::StorageSpecCodes(product.product_id)) {
      EXPECT_EQ(code.find(".v2"), std::string_view::npos);
    }
  }
  EXPECT_EQ(KafkaCatalog::FindLegacyProduct("c6.2u4g.cluster"), nullptr);
}

// Seeded instances name their AZs by id or code; both are stored as ids.
TEST(KafkaCatalogTest, SeededInstanceZonesResolveAgainstTheSeedsRegions) {
  testing::ServiceFixture services;
  const std::string seed = std::string(kTwoRegions).insert(
      std::string(kTwoRegions).find("\"availability_zones\""),
      R"("kafka_instances": [{"project_id": "p1", "name": "seeded",
          "instance_id": "a1b2c3d4-0000-1111-2222-333344445555",
          "available_zones": ["eu-nl-01", "0123456789abcdef0123456789abcd02", "eu-de-01"]}],)");
  auto applied = ApplySeed(*services.store, seed, services.clock, nullptr);
  ASSERT_TRUE(applied.ok()) << applied.status();
  ASSERT_TRUE(services.store
                  ->Read([](store::StoreTransaction& txn) -> absl::Status {
                    auto instance =
                        txn.GetKafkaInstance("p1", "a1b2c3d4-0000-1111-2222-333344445555");
                    EXPECT_EQ((*instance)->available_zones_json,
                              R"(["0123456789abcdef0123456789abcd01",)"
                              R"("0123456789abcdef0123456789abcd02",)"
                              R"("0123456789abcdef0123456789abcd11"])");
                    EXPECT_NE((*instance)->attributes_json.find(R"(["AZ1","AZ2","eu-de-01"])"),
                              std::string::npos);
                    return absl::OkStatus();
                  })
                  .ok());

  const std::string sold_out = std::string(kTwoRegions).insert(
      std::string(kTwoRegions).find("\"availability_zones\""),
      R"("kafka_instances": [{"project_id": "p1", "name": "seeded",
          "instance_id": "a1b2c3d4-0000-1111-2222-333344445555",
          "available_zones": ["eu-nl-03"]}],)");
  auto refused = ApplySeed(*services.store, sold_out, services.clock, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("sold out"), std::string::npos) << refused.status();
}

class KafkaCreateZonesTest : public ::testing::Test {
 protected:
  CreateInstanceRequest Request(std::vector<std::string> zones) {
    CreateInstanceRequest request;
    request.name = "zones-kafka";
    request.engine = "kafka";
    request.engine_version = "2.7";
    request.broker_num = 3;
    request.storage_space = 600;
    request.vpc_id = "11111111-2222-3333-4444-555555555555";
    request.subnet_id = "21111111-2222-3333-4444-555555555555";
    request.security_group_id = "31111111-2222-3333-4444-555555555555";
    request.available_zones = std::move(zones);
    request.product_id = "c6.2u4g.cluster";
    request.storage_spec_code = "dms.physical.storage.high.v2";
    return request;
  }

  static inline const Caller kCaller{"p1", "demo", "u1", "", ""};
  testing::ServiceFixture services_;
  KafkaCatalog catalog_ = *KafkaCatalog::FromSeed(kTwoRegions);
  KafkaService kafka_{services_.service_store, services_.clock, services_.jobs, catalog_};
};

TEST_F(KafkaCreateZonesTest, ZoneCodesAreStoredAsIdsAndSoldOutZonesAreRefused) {
  auto created = kafka_.CreateInstance(kCaller, Request({"eu-nl-02"}));
  ASSERT_TRUE(created.ok()) << created.status();
  auto instance = kafka_.GetInstance(kCaller, *created);
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->available_zones_json, R"(["0123456789abcdef0123456789abcd02"])");
  EXPECT_EQ(instance->broker_num, 3);
  EXPECT_EQ(instance->product_id, "c6.2u4g.cluster");

  for (const std::vector<std::string>& zones :
       std::vector<std::vector<std::string>>{{"eu-nl-03"},
                                             {"eu-nl-01", "eu-nl-02"},
                                             {"eu-nl-01", "eu-nl-01", "eu-nl-02"},
                                             {"bf84aba586ce4e948da0b97d9a7d62fb"}}) {
    auto refused = kafka_.CreateInstance(kCaller, Request(zones));
    EXPECT_EQ(common::ReasonOf(refused.status()), kReasonInvalidInstanceField) << zones[0];
  }
  store::Page<store::KafkaInstance> all =
      *kafka_.ListInstances(kCaller, {}, {0, 10});
  EXPECT_EQ(all.total, 1);
}

}  // namespace
}  // namespace connectplane::service
