// Zenlayer SDN lookups: ports usable for a new private connect, VLANs in use
// on a port, the seeded cloud-region catalog and its seed validation.
// In-memory SQLite, fake clock.
#include "service/sdn_catalog_service.h"

#include "common/status.h"
#include "service/seed.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kSeed[] = R"({
  "zenlayer": {
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dcId": "SIN1"},
      {"account_id": "acct-1", "portId": "p-sin2", "portName": "sin2", "dcId": "SIN1"},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "p-down", "portName": "down", "dcId": "SIN1",
       "portStatus": "TERMINATED"},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "lax", "dcId": "LAX1"},
      {"account_id": "acct-2", "portId": "p-nyc", "portName": "nyc", "dcId": "NYC1"}
    ],
    "private_connects": [
      {"account_id": "acct-1", "privateConnectId": "100", "privateConnectStatus": "RUNNING",
       "endpointA": {"portId": "p-sin", "vlanId": 300}, "endpointZ": {"portId": "p-hkg", "vlanId": 7}},
      {"account_id": "acct-1", "privateConnectId": "101", "privateConnectStatus": "RECYCLED",
       "endpointA": {"portId": "p-hkg", "vlanId": 9}, "endpointZ": {"portId": "p-sin2", "vlanId": 12}},
      {"account_id": "acct-2", "privateConnectId": "900",
       "endpointA": {"portId": "p-lax", "vlanId": 7}, "endpointZ": {"portId": "p-nyc", "vlanId": 7}}
    ],
    "cloud_regions": [
      {"cloudType": "AWS", "cloudRegionId": "us-west-1", "products": ["PrivateConnect"],
       "dataCenter": {"dcId": "LAX1", "dcName": "Los Angeles 1"}},
      {"cloudType": "AWS", "cloudRegionId": "ap-southeast-1",
       "dataCenter": {"dcId": "SIN1"}, "haTypes": [{"haType": "SINGLE", "isUsed": false}]},
      {"cloudType": "AWS", "cloudRegionId": "ap-southeast-1", "products": ["CloudRouter"],
       "dataCenter": {"dcId": "SIN2"}},
      {"cloudType": "TENCENT", "cloudRegionId": "ap-singapore", "dataCenter": {"dcId": "SIN1"}}
    ]
  }
})";

const Caller kAccount1{"acct-1", "AK1", "acct-1", "", ""};
const Caller kAccount2{"acct-2", "AK2", "acct-2", "", ""};

class SdnCatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { services_.Seed(kSeed); }

  std::vector<std::string> AvailablePortIds(const Caller& caller, AvailablePortQuery query) {
    auto page = services_.sdn_catalog.DescribePrivateConnectAvailablePorts(caller, query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const store::ZenlayerPort& port : page->items) ids.push_back(port.port_id);
    }
    return ids;
  }

  testing::ServiceFixture services_{absl::Seconds(2)};
};

TEST_F(SdnCatalogServiceTest, AvailablePortsAreTheAccountsRunningPortsFiltered) {
  EXPECT_EQ(AvailablePortIds(kAccount1, {}),
            (std::vector<std::string>{"p-hkg", "p-sin", "p-sin2"}));
  EXPECT_EQ(AvailablePortIds(kAccount1, {.dc_id = "SIN1"}),
            (std::vector<std::string>{"p-sin", "p-sin2"}));
  EXPECT_EQ(AvailablePortIds(kAccount1, {.port_ids = {"p-down", "p-hkg", "p-lax"}}),
            (std::vector<std::string>{"p-hkg"}));
  EXPECT_EQ(AvailablePortIds(kAccount2, {}), (std::vector<std::string>{"p-lax", "p-nyc"}));
  auto page = services_.sdn_catalog.DescribePrivateConnectAvailablePorts(
      kAccount1, {.page_num = 2, .page_size = 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].port_id, "p-sin2");
  EXPECT_EQ(common::ReasonOf(services_.sdn_catalog
                                 .DescribePrivateConnectAvailablePorts(kAccount1, {.page_size = 0})
                                 .status()),
            kReasonPcInvalidParameter);
}

TEST_F(SdnCatalogServiceTest, UsableVlansListWhatTheAccountsConnectsHold) {
  auto on_sin = services_.sdn_catalog.DescribePortUsableVlan(kAccount1, "p-sin", std::nullopt);
  ASSERT_TRUE(on_sin.ok()) << on_sin.status();
  EXPECT_EQ(on_sin->start, 1);
  EXPECT_EQ(on_sin->end, 4096);
  EXPECT_EQ(on_sin->in_use, (std::vector<int64_t>{300}));
  // A recycled connect still holds its VLANs (CreatePrivateConnect refuses them).
  auto on_hkg = services_.sdn_catalog.DescribePortUsableVlan(kAccount1, "p-hkg", "HKG1");
  ASSERT_TRUE(on_hkg.ok());
  EXPECT_EQ(on_hkg->in_use, (std::vector<int64_t>{7, 9}));
  // Only a data center: every port of the account there.
  auto in_sin1 = services_.sdn_catalog.DescribePortUsableVlan(kAccount1, std::nullopt, "SIN1");
  ASSERT_TRUE(in_sin1.ok());
  EXPECT_EQ(in_sin1->in_use, (std::vector<int64_t>{12, 300}));
  // Another account's port, or its data center, tells nothing.
  EXPECT_EQ(
      common::ReasonOf(
          services_.sdn_catalog.DescribePortUsableVlan(kAccount1, "p-lax", std::nullopt).status()),
      kReasonPortNotFound);
  auto in_lax1 = services_.sdn_catalog.DescribePortUsableVlan(kAccount1, std::nullopt, "LAX1");
  ASSERT_TRUE(in_lax1.ok());
  EXPECT_TRUE(in_lax1->in_use.empty());
  EXPECT_EQ(common::ReasonOf(
                services_.sdn_catalog.DescribePortUsableVlan(kAccount1, "p-sin", "HKG1").status()),
            kReasonPortNotFound);
  EXPECT_EQ(common::ReasonOf(
                services_.sdn_catalog.DescribePortUsableVlan(kAccount1, std::nullopt, std::nullopt)
                    .status()),
            kReasonPortOrDcRequired);
}

TEST_F(SdnCatalogServiceTest, CloudRegionsComeFromTheSeedPerCloudAndProduct) {
  auto aws = services_.sdn_catalog.DescribeCloudRegions(kCloudTypeAws, std::nullopt);
  ASSERT_TRUE(aws.ok()) << aws.status();
  ASSERT_EQ(aws->size(), 3u);
  EXPECT_EQ((*aws)[0].cloud_region_id, "ap-southeast-1");
  EXPECT_EQ((*aws)[0].dc_id, "SIN1");
  // No products in the seed: both.
  EXPECT_EQ((*aws)[0].products_json, R"(["PrivateConnect","CloudRouter"])");
  EXPECT_NE((*aws)[0].attributes_json.find("SINGLE"), std::string::npos);
  EXPECT_EQ((*aws)[1].dc_id, "SIN2");
  EXPECT_EQ((*aws)[2].cloud_region_id, "us-west-1");
  auto private_connect =
      services_.sdn_catalog.DescribeCloudRegions(kCloudTypeAws, "PrivateConnect");
  ASSERT_TRUE(private_connect.ok());
  EXPECT_EQ(private_connect->size(), 2u);
  auto cloud_router = services_.sdn_catalog.DescribeCloudRegions(kCloudTypeAws, "CloudRouter");
  ASSERT_TRUE(cloud_router.ok());
  EXPECT_EQ(cloud_router->size(), 2u);
  auto google = services_.sdn_catalog.DescribeCloudRegions(kCloudTypeGoogle, std::nullopt);
  ASSERT_TRUE(google.ok());
  EXPECT_TRUE(google->empty());
  EXPECT_EQ(common::ReasonOf(
                services_.sdn_catalog.DescribeCloudRegions(kCloudTypeTencent, "Internet").status()),
            kReasonPcInvalidParameter);
}

TEST_F(SdnCatalogServiceTest, ReseedingReplacesCloudRegionsInPlace) {
  services_.Seed(R"({"zenlayer": {"cloud_regions": [
      {"cloudType": "AWS", "cloudRegionId": "us-west-1", "products": ["CloudRouter"],
       "dataCenter": {"dcId": "LAX1"}}]}})");
  auto aws = services_.sdn_catalog.DescribeCloudRegions(kCloudTypeAws, "PrivateConnect");
  ASSERT_TRUE(aws.ok());
  ASSERT_EQ(aws->size(), 1u);  // ap-southeast-1 @ SIN1 only
  EXPECT_EQ((*aws)[0].cloud_region_id, "ap-southeast-1");
}

TEST_F(SdnCatalogServiceTest, SeedRejectsMalformedCloudRegions) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"cloudType": "AZURE", "cloudRegionId": "r", "dataCenter": {"dcId": "D"}})", "cloudType"},
      {R"({"cloudRegionId": "r", "dataCenter": {"dcId": "D"}})", "cloudType"},
      {R"({"cloudType": "AWS", "dataCenter": {"dcId": "D"}})", "cloudRegionId"},
      {R"({"cloudType": "AWS", "cloudRegionId": "r"})", "dataCenter"},
      {R"({"cloudType": "AWS", "cloudRegionId": "r", "dataCenter": {}})", "dcId"},
      {R"({"cloudType": "AWS", "cloudRegionId": "r", "dataCenter": {"dcId": "D"},
           "products": ["Internet"]})",
       "products"},
      {R"({"cloudType": "AWS", "cloudRegionId": "r", "dataCenter": {"dcId": "D"},
           "haTypes": [{"isUsed": true}]})",
       "haType"},
      {R"({"cloudType": "AWS", "cloudRegionId": "r", "dataCenter": {"dcId": "D"}, "x": 1})", "x"},
  };
  for (const auto& [region, mentioned] : bad) {
    auto applied =
        ApplySeed(*services_.store, R"({"zenlayer": {"cloud_regions": [)" + region + "]}}",
                  services_.clock, nullptr);
    ASSERT_FALSE(applied.ok()) << region;
    EXPECT_NE(applied.status().message().find(mentioned), std::string::npos)
        << applied.status() << " should mention " << mentioned;
  }
  auto duplicate = ApplySeed(*services_.store, R"({"zenlayer": {"cloud_regions": [
      {"cloudType": "AWS", "cloudRegionId": "r", "dataCenter": {"dcId": "D"}},
      {"cloudType": "AWS", "cloudRegionId": "r", "dataCenter": {"dcId": "D"}}]}})",
                             services_.clock, nullptr);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("duplicate"), std::string::npos);
}

TEST_F(SdnCatalogServiceTest, DemoSeedRegionsSitInTheDemoPortsDataCenters) {
  testing::ServiceFixture demo{absl::Seconds(2)};
  std::string seed;
  {
    std::ifstream file(std::string(CONNECTPLANE_TEST_SOURCE_DIR) + "/examples/demo-seed.json");
    ASSERT_TRUE(file) << "examples/demo-seed.json";
    seed.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  demo.Seed(seed);
  std::set<std::string> port_dcs;
  for (const Caller& caller : {Caller{"zl-demo-account", "", "zl-demo-account", "", ""},
                               Caller{"zl-other-account", "", "zl-other-account", "", ""}}) {
    auto ports = demo.sdn_catalog.DescribePrivateConnectAvailablePorts(caller, {});
    ASSERT_TRUE(ports.ok());
    for (const store::ZenlayerPort& port : ports->items) port_dcs.insert(port.dc_id);
  }
  int regions = 0;
  for (std::string_view cloud : {kCloudTypeAws, kCloudTypeGoogle, kCloudTypeTencent}) {
    auto listed = demo.sdn_catalog.DescribeCloudRegions(cloud, std::nullopt);
    ASSERT_TRUE(listed.ok());
    EXPECT_FALSE(listed->empty()) << cloud;
    for (const store::ZenlayerCloudRegion& region : *listed) {
      EXPECT_TRUE(port_dcs.contains(region.dc_id))
          << region.cloud_region_id << " @ " << region.dc_id;
      ++regions;
    }
  }
  EXPECT_GE(regions, 9);
}

}  // namespace
}  // namespace connectplane::service
