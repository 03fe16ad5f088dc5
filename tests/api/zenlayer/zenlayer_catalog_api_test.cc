// The lookup, traffic and price actions through ZenlayerApi: the SDK models'
// member names and JSON types, and their Zenlayer error codes.
#include <gtest/gtest.h>

#include "fakes/zenlayer_harness.h"
#include "service/sdn_offerings.h"
#include <iterator>
#include <string>

namespace connectplane::api::zenlayer {
namespace {

using connectplane::testing::ZenlayerAnswer;
using connectplane::testing::ZenlayerHarness;
using connectplane::testing::ZenlayerKey;

const ZenlayerKey kKey{"AK1", "pw-account-1"};

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "AK1", "access_key_password": "pw-account-1", "account_id": "acct-1"}
    ],
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "portType": "10G",
       "dataCenter": {"dcId": "SIN1", "dcName": "Singapore 1", "cityName": "Singapore"}},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "p-old", "portName": "old", "dcId": "HKG1",
       "portStatus": "TERMINATED"}
    ],
    "private_connects": [
      {"account_id": "acct-1", "privateConnectId": "100", "bandwidthMbps": 50,
       "endpointA": {"portId": "p-sin", "vlanId": 30}, "endpointZ": {"portId": "p-hkg", "vlanId": 31}}
    ],
    "cloud_regions": [
      {"cloudType": "AWS", "cloudRegionId": "ap-southeast-1", "products": ["PrivateConnect"],
       "haTypes": [{"haType": "SINGLE", "isUsed": false}],
       "dataCenter": {"dcId": "SIN1", "dcName": "Singapore 1", "cityName": "Singapore"}},
      {"cloudType": "GOOGLE", "cloudRegionId": "asia-southeast1", "dataCenter": {"dcId": "SIN1"}},
      {"cloudType": "TENCENT", "cloudRegionId": "ap-singapore", "products": ["CloudRouter"],
       "dataCenter": {"dcId": "SIN1"}}
    ]
  }
})";

class ZenlayerCatalogApiTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(kSeed); }
  ZenlayerHarness harness_;
};

TEST_F(ZenlayerCatalogApiTest, AvailablePortsArePortInfoOfRunningPorts) {
  boost::json::object response =
      harness_.Response(kKey, "DescribePrivateConnectAvailablePorts", "{}");
  EXPECT_EQ(response.at("totalCount").as_int64(), 2);
  const boost::json::array& ports = response.at("dataSet").as_array();
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0].at("portId").as_string(), "p-hkg");
  const boost::json::object& sin = ports[1].as_object();
  EXPECT_EQ(sin.at("portStatus").as_string(), "RUNNING");
  EXPECT_EQ(sin.at("dcId").as_string(), "SIN1");
  EXPECT_EQ(sin.at("dcName").as_string(), "Singapore 1");
  EXPECT_EQ(sin.at("portType").as_string(), "10G");
  EXPECT_EQ(harness_.Response(kKey, "DescribePrivateConnectAvailablePorts", R"({"dcId":"HKG1"})")
                .at("totalCount")
                .as_int64(),
            1);
}

TEST_F(ZenlayerCatalogApiTest, UsableVlanAnswersStartEndAndTheVlansInUse) {
  boost::json::object response =
      harness_.Response(kKey, "DescribePortUsableVlan", R"({"portId":"p-hkg"})");
  EXPECT_EQ(response.at("start").as_int64(), 1);
  EXPECT_EQ(response.at("end").as_int64(), 4096);
  EXPECT_EQ(boost::json::serialize(response.at("inuseVlanList")), "[31]");
  // A VLAN freed by no one stays listed; one created now joins the list.
  harness_.Response(
      kKey, "CreatePrivateConnect",
      R"({"endpointA":{"portId":"p-hkg","vlanId":5},"endpointZ":{"portId":"p-sin","vlanId":6}})");
  EXPECT_EQ(boost::json::serialize(
                harness_.Response(kKey, "DescribePortUsableVlan", R"({"portId":"p-hkg"})")
                    .at("inuseVlanList")),
            "[5,31]");
  ZenlayerAnswer neither = harness_.Call(kKey, "DescribePortUsableVlan", "{}");
  EXPECT_EQ(neither.status, 400);
  EXPECT_EQ(neither.code, "SELF_SERVICE_PORT_VLAN_PORT_AND_DC_NEED_AT_LEAST_ONE");
}

TEST_F(ZenlayerCatalogApiTest, CloudRegionsRenderTheCloudRegionModel) {
  boost::json::object aws = harness_.Response(kKey, "DescribeAWSRegions", "{}");
  const boost::json::array& regions = aws.at("cloudRegions").as_array();
  ASSERT_EQ(regions.size(), 1u);
  const boost::json::object& region = regions[0].as_object();
  EXPECT_EQ(region.at("cloudRegionId").as_string(), "ap-southeast-1");
  EXPECT_EQ(region.at("dataCenter").at("dcId").as_string(), "SIN1");
  EXPECT_EQ(region.at("dataCenter").at("dcName").as_string(), "Singapore 1");
  EXPECT_EQ(boost::json::serialize(region.at("products")), R"(["PrivateConnect"])");
  EXPECT_EQ(region.at("haTypes").at(0).at("haType").as_string(), "SINGLE");
  // What TF sends for GOOGLE: a pairing key (not checked) and maybe a product.
  boost::json::object google =
      harness_.Response(kKey, "DescribeGoogleRegions",
                        R"({"pairingKey":"k/asia-southeast1/1","product":"CloudRouter"})");
  ASSERT_EQ(google.at("cloudRegions").as_array().size(), 1u);
  EXPECT_EQ(google.at("cloudRegions").at(0).at("cloudRegionId").as_string(), "asia-southeast1");
  EXPECT_FALSE(google.at("cloudRegions").at(0).as_object().contains("haTypes"));
  EXPECT_TRUE(harness_.Response(kKey, "DescribeTencentRegions", R"({"product":"PrivateConnect"})")
                  .at("cloudRegions")
                  .as_array()
                  .empty());
}

TEST_F(ZenlayerCatalogApiTest, TrafficRendersTrafficDataAndStatistics) {
  harness_.clock().Advance(absl::Hours(1));  // 12:06:40
  boost::json::object response = harness_.Response(
      kKey, "DescribePrivateConnectTraffic",
      R"({"privateConnectId":"100","startTime":"2026-11-18T11:00:00Z","endTime":"2026-11-18T12:00:00Z"})");
  const boost::json::array& samples = response.at("dataList").as_array();
  ASSERT_EQ(samples.size(), 13u);
  EXPECT_EQ(samples[0].at("time").as_string(), "2026-11-18T11:00:00Z");
  EXPECT_EQ(samples[0].at("internetRX").as_int64(), 0);  // before the connect existed
  EXPECT_GT(samples[12].at("internetRX").as_int64(), 0);
  EXPECT_TRUE(samples[12].at("internetTX").is_int64());
  EXPECT_TRUE(response.at("in95").is_double());
  for (std::string_view key :
       {"inAvg", "inMax", "inMin", "inTotal", "out95", "outAvg", "outMax", "outMin"}) {
    EXPECT_TRUE(response.at(key).is_int64()) << key;
  }
  EXPECT_EQ(response.at("unit").as_string(), "bps");
  boost::json::object port = harness_.Response(
      kKey, "DescribePortTraffic",
      R"({"portId":"p-sin","startTime":"2026-11-18T11:30:00Z","endTime":"2026-11-18T12:00:00Z"})");
  EXPECT_EQ(port.at("dataList").as_array().size(), 7u);
  ZenlayerAnswer no_end = harness_.Call(kKey, "DescribePortTraffic",
                                        R"({"portId":"p-sin","startTime":"2026-11-18T11:30:00Z"})");
  EXPECT_EQ(no_end.code, "MISSING_PARAMETER");
  ZenlayerAnswer reversed = harness_.Call(
      kKey, "DescribePrivateConnectTraffic",
      R"({"privateConnectId":"100","startTime":"2026-11-18T12:00:00Z","endTime":"2026-11-18T11:00:00Z"})");
  EXPECT_EQ(reversed.status, 403);
  EXPECT_EQ(reversed.code, "INVALID_START_TIME");
}

TEST_F(ZenlayerCatalogApiTest, PriceQueriesRenderThePriceModel) {
  boost::json::object inquiry = harness_.Response(
      kKey, "InquiryCreatePrivateConnectPrice",
      R"({"endpointA":{"portId":"p-sin","vlanId":40},"endpointZ":{"portId":"p-hkg"},"bandwidthMbps":20})");
  const boost::json::object& price = inquiry.at("privateConnectPrice").as_object();
  EXPECT_DOUBLE_EQ(price.at("unitPrice").to_number<double>(), 60.0);
  EXPECT_DOUBLE_EQ(price.at("discountUnitPrice").to_number<double>(), 60.0);
  EXPECT_EQ(price.at("chargeUnit").as_string(), "MONTH");

  boost::json::object bandwidth =
      harness_.Response(kKey, "QueryPrivateConnectBandwidthPrice",
                        R"({"sourceDcId":"SIN1","destinationDcId":"SIN1","bandwidthMbps":10})");
  EXPECT_DOUBLE_EQ(bandwidth.at("price").at("unitPrice").to_number<double>(), 10.0);
  EXPECT_EQ(bandwidth.at("stock").as_int64(), 100);

  boost::json::object port =
      harness_.Response(kKey, "QueryDataCenterPortPrice",
                        R"({"dcId":"HKG1","portType":"1G","buildCrossConnectWithAssisted":true})");
  EXPECT_EQ(port.at("dcId").as_string(), "HKG1");
  EXPECT_DOUBLE_EQ(port.at("price").at("unitPrice").to_number<double>(), 300.0);
  EXPECT_DOUBLE_EQ(port.at("crossConnectPrice").at("unitPrice").to_number<double>(), 100.0);
  EXPECT_DOUBLE_EQ(
      port.at("crossConnectOneTimeConstructionPrice").at("originalPrice").to_number<double>(),
      500.0);

  boost::json::object ports = harness_.Response(kKey, "QueryDataCenterPortPrices",
                                                R"({"dcIds":["SIN1","HKG1"],"portType":"100G"})");
  ASSERT_EQ(ports.at("prices").as_array().size(), 2u);
  EXPECT_EQ(ports.at("prices").at(1).at("dcId").as_string(), "HKG1");
  EXPECT_FALSE(ports.at("prices").at(1).as_object().contains("crossConnectPrice"));

  boost::json::object connect = harness_.Response(
      kKey, "QueryPrivateConnectPrice",
      R"({"bandwidthMbps":10,"endpointA":{"dcId":"SIN1","portType":"10G","buildCrossConnectWithAssisted":true},"endpointZ":{"dcId":"HKG1"}})");
  EXPECT_DOUBLE_EQ(connect.at("price").at("unitPrice").to_number<double>(), 30.0);
  EXPECT_EQ(connect.at("stock").as_int64(), 100);
  const boost::json::object& endpoint_a = connect.at("endpointAPrice").as_object();
  EXPECT_DOUBLE_EQ(endpoint_a.at("price").at("unitPrice").to_number<double>(), 800.0);
  EXPECT_TRUE(endpoint_a.contains("crossConnectOneTimeConstructionPrice"));
  EXPECT_FALSE(endpoint_a.contains("dcId"));
  EXPECT_FALSE(connect.contains("endpointZPrice"));  // no portType asked for Z

  boost::json::object table =
      harness_.Response(kKey, "DescribeDataCenterPortPrice", R"({"dcId":"SIN1"})");
  const boost::json::array& set = table.at("portPriceSet").as_array();
  ASSERT_EQ(set.size(), std::size(service::kPortTypes));  // 1G, 10G, 40G, 100G
  EXPECT_EQ(set[1].at("portType").as_string(), "10G");
  EXPECT_DOUBLE_EQ(set[1].at("portPrice").at("unitPrice").to_number<double>(), 800.0);
  EXPECT_DOUBLE_EQ(set[1].at("portMonthlyPrice").to_number<double>(), 800.0);
}

TEST_F(ZenlayerCatalogApiTest, LookupsAreReadOnly) {
  const std::string before = harness_.DumpEverything();
  harness_.Response(kKey, "DescribePrivateConnectAvailablePorts", "{}");
  harness_.Response(kKey, "DescribePortUsableVlan", R"({"dcId":"SIN1"})");
  harness_.Response(kKey, "DescribeAWSRegions", "{}");
  harness_.Response(kKey, "DescribeDataCenterPortPrice", R"({"dcId":"SIN1"})");
  EXPECT_EQ(harness_.DumpEverything(), before);
}

}  // namespace
}  // namespace connectplane::api::zenlayer
