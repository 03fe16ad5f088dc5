// Ports and the data center catalog through ZenlayerApi::Handle, signed as the
// SDKs sign: the lifecycle Terraform's zenlayercloud_sdn_port drives (create,
// poll to RUNNING, modify, terminate through DELETING to RECYCLED, destroy
// through DESTROYING), the answers in each transitional status, the PortInfo and
// DatacenterInfo shapes and the documented error codes. No network.
#include "api/zenlayer/zenlayer_api.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/zenlayer_harness.h"
#include <string>

namespace connectplane::api::zenlayer {
namespace {

using testing::ZenlayerHarness;
using testing::ZenlayerKey;

const ZenlayerKey kKey{"AK1", "pw-1"};

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [{"access_key_id": "AK1", "access_key_password": "pw-1", "account_id": "a1"}],
    "datacenters": [
      {"dcId": "SIN1", "dcName": "AP-Singapore1", "cityName": "Singapore",
       "countryName": "Singapore", "areaName": "Asia Pacific",
       "dcAddress": "20 Ayer Rajah Crescent", "latitude": 1.29, "longitude": 103.79},
      {"dcId": "FRA1", "dcName": "EU-Frankfurt1", "cityName": "Frankfurt",
       "countryName": "Germany", "areaName": "Europe", "isPortAvailable": false}
    ],
    "ports": [
      {"account_id": "a1", "portId": "p-sin", "portName": "sin", "dcId": "SIN1",
       "loaStatus": "LOA_UPLOADED"}
    ]
  }
})";

constexpr char kCreateBody[] =
    R"({"dcId":"SIN1","portName":"tf-port","portType":"10G","businessEntityName":"Example Ltd",)"
    R"("portRemarks":"made by test"})";

class ZenlayerPortApiTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(kSeed); }

  boost::json::object Port(const std::string& port_id) {
    boost::json::object response =
        harness_.Response(kKey, "DescribePorts", R"({"portIds":[")" + port_id + R"("]})");
    const boost::json::array& data_set = response.at("dataSet").as_array();
    return data_set.empty() ? boost::json::object() : data_set[0].as_object();
  }

  ZenlayerHarness harness_;
};

TEST_F(ZenlayerPortApiTest, TerraformPortLifecycle) {
  boost::json::object created = harness_.Response(kKey, "CreatePort", kCreateBody);
  ASSERT_TRUE(created.at("portId").is_string());
  const std::string port_id(created.at("portId").as_string());

  boost::json::object creating = Port(port_id);
  EXPECT_EQ(creating.at("portStatus").as_string(), "CREATING");
  EXPECT_EQ(creating.at("connectionStatus").as_string(), "DOWN");
  EXPECT_EQ(creating.at("loaStatus").as_string(), "LOA_NOT_UPLOAD");
  EXPECT_EQ(creating.at("portType").as_string(), "10G");
  EXPECT_EQ(creating.at("portRemarks").as_string(), "made by test");
  EXPECT_EQ(creating.at("businessEntityName").as_string(), "Example Ltd");
  EXPECT_EQ(creating.at("portChargeType").as_string(), "POSTPAID");
  EXPECT_EQ(creating.at("dcId").as_string(), "SIN1");
  EXPECT_EQ(creating.at("dcName").as_string(), "AP-Singapore1");
  EXPECT_EQ(creating.at("cityName").as_string(), "Singapore");
  EXPECT_EQ(creating.at("areaName").as_string(), "Asia Pacific");
  EXPECT_FALSE(creating.contains("dataCenter"));

  harness_.FinishJobs();
  boost::json::object running = Port(port_id);
  EXPECT_EQ(running.at("portStatus").as_string(), "RUNNING");
  EXPECT_EQ(running.at("connectionStatus").as_string(), "ACTIVE");
  EXPECT_EQ(running.at("loaStatus").as_string(), "LOA_UPLOADED");

  harness_.Response(
      kKey, "ModifyPortAttribute",
      R"({"portId":")" + port_id +
          R"(","portName":"renamed","portRemarks":"","businessEntityName":"New Ltd"})");
  boost::json::object modified = Port(port_id);
  EXPECT_EQ(modified.at("portName").as_string(), "renamed");
  EXPECT_EQ(modified.at("portRemarks").as_string(), "");
  EXPECT_EQ(modified.at("businessEntityName").as_string(), "New Ltd");

  const std::string id_body = R"({"portId":")" + port_id + R"("})";
  boost::json::object terminated = harness_.Response(kKey, "TerminatePort", id_body);
  EXPECT_TRUE(terminated.contains("requestId"));
  EXPECT_EQ(Port(port_id).at("portStatus").as_string(), "DELETING");
  EXPECT_EQ(Port(port_id).at("connectionStatus").as_string(), "DOWN");
  // Terraform's delete tolerates this code: a resumed destroy goes on to poll.
  testing::ZenlayerAnswer while_deleting = harness_.Call(kKey, "TerminatePort", id_body);
  EXPECT_EQ(while_deleting.status, 409);
  EXPECT_EQ(while_deleting.code, "OPERATION_DENIED_INSTANCE_RECYCLED");
  testing::ZenlayerAnswer early_renew = harness_.Call(kKey, "RenewPort", id_body);
  EXPECT_EQ(early_renew.status, 400);
  EXPECT_EQ(early_renew.code, "INVALID_PORT_STATUS");
  harness_.FinishJobs();
  EXPECT_EQ(Port(port_id).at("portStatus").as_string(), "RECYCLED");
  testing::ZenlayerAnswer again = harness_.Call(kKey, "TerminatePort", id_body);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.code, "OPERATION_DENIED_INSTANCE_RECYCLED");

  harness_.Response(kKey, "RenewPort", id_body);
  EXPECT_EQ(Port(port_id).at("portStatus").as_string(), "RECOVERING");
  harness_.FinishJobs();
  EXPECT_EQ(Port(port_id).at("portStatus").as_string(), "RUNNING");
  harness_.Response(kKey, "TerminatePort", id_body);
  harness_.FinishJobs();
  harness_.Response(kKey, "DestroyPort", id_body);
  EXPECT_EQ(Port(port_id).at("portStatus").as_string(), "DESTROYING");
  testing::ZenlayerAnswer while_destroying = harness_.Call(kKey, "TerminatePort", id_body);
  EXPECT_EQ(while_destroying.code, "OPERATION_DENIED_INSTANCE_RECYCLED");
  testing::ZenlayerAnswer destroy_twice = harness_.Call(kKey, "DestroyPort", id_body);
  EXPECT_EQ(destroy_twice.status, 400);
  EXPECT_EQ(destroy_twice.code, "INVALID_PORT_STATUS");
  harness_.FinishJobs();
  EXPECT_TRUE(Port(port_id).empty());
  testing::ZenlayerAnswer gone = harness_.Call(kKey, "DestroyPort", id_body);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.code, "INVALID_PORT_NOT_FOUND");
}

TEST_F(ZenlayerPortApiTest, SeededPortKeepsItsLoaStatusAndShowsTheCatalogDataCenter) {
  boost::json::object port = Port("p-sin");
  EXPECT_EQ(port.at("loaStatus").as_string(), "LOA_UPLOADED");
  EXPECT_EQ(port.at("dcName").as_string(), "AP-Singapore1");
  EXPECT_EQ(port.at("connectionStatus").as_string(), "ACTIVE");
}

TEST_F(ZenlayerPortApiTest, DescribeDatacentersAnswersDcSet) {
  boost::json::object all = harness_.Response(kKey, "DescribeDatacenters", "{}");
  const boost::json::array& dc_set = all.at("dcSet").as_array();
  ASSERT_EQ(dc_set.size(), 2u);
  const boost::json::object& fra = dc_set[0].as_object();
  EXPECT_EQ(fra.at("dcId").as_string(), "FRA1");
  EXPECT_EQ(fra.at("isPortAvailable").as_bool(), false);
  const boost::json::object& sin = dc_set[1].as_object();
  EXPECT_EQ(sin.at("dcName").as_string(), "AP-Singapore1");
  EXPECT_EQ(sin.at("countryName").as_string(), "Singapore");
  EXPECT_EQ(sin.at("areaName").as_string(), "Asia Pacific");
  EXPECT_EQ(sin.at("dcAddress").as_string(), "20 Ayer Rajah Crescent");
  EXPECT_DOUBLE_EQ(sin.at("latitude").as_double(), 1.29);
  EXPECT_DOUBLE_EQ(sin.at("longitude").as_double(), 103.79);
  EXPECT_EQ(sin.at("isPortAvailable").as_bool(), true);
  boost::json::object available =
      harness_.Response(kKey, "DescribeDatacenters", R"({"isPortAvailable":true})");
  EXPECT_EQ(available.at("dcSet").as_array().size(), 1u);
  boost::json::object by_id =
      harness_.Response(kKey, "DescribeDatacenters", R"({"dcIds":["FRA1","ZZZ9"]})");
  EXPECT_EQ(by_id.at("dcSet").as_array().size(), 1u);
}

TEST_F(ZenlayerPortApiTest, CreatePortErrors) {
  testing::ZenlayerAnswer unknown_dc =
      harness_.Call(kKey, "CreatePort",
                    R"({"dcId":"ZZZ9","portName":"n","portType":"1G","businessEntityName":"E"})");
  EXPECT_EQ(unknown_dc.status, 404);
  EXPECT_EQ(unknown_dc.code, "INVALID_DC_NOT_FOUND");
  testing::ZenlayerAnswer missing = harness_.Call(
      kKey, "CreatePort", R"({"dcId":"SIN1","portName":"n","businessEntityName":"E"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.code, "MISSING_PARAMETER");
}

}  // namespace
}  // namespace connectplane::api::zenlayer
