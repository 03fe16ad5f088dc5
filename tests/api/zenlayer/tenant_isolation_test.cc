// Tenant isolation for every Zenlayer SDN action. Account 1 holds a
// valid key and sends it against account 2's private connect and port IDs.
// Contract checked for every action:
//  - the answer equals the one a made-up ID of the same shape gets (HTTP
//    status, code, and message once the ID is masked), so it reveals nothing
//    about what account 2 owns (not even a VLAN in use on its port);
//  - nothing of account 2's (names, port IDs, connect IDs) appears in it;
//  - no stored row changes.
#include <gtest/gtest.h>

#include "fakes/zenlayer_harness.h"
#include <string>
#include <vector>

namespace connectplane::api::zenlayer {
namespace {

using connectplane::testing::ZenlayerAnswer;
using connectplane::testing::ZenlayerHarness;
using connectplane::testing::ZenlayerKey;

const ZenlayerKey kAccount1{"AK1", "pw-account-1"};
const ZenlayerKey kAccount2{"AK2", "pw-account-2"};

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "AK1", "access_key_password": "pw-account-1", "account_id": "acct-1"},
      {"access_key_id": "AK2", "access_key_password": "pw-account-2", "account_id": "acct-2"}
    ],
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dcId": "SIN1"},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "acct2-port-lax", "dcId": "LAX1",
       "portRemarks": "acct2-remarks", "cityName": "Los Angeles"},
      {"account_id": "acct-2", "portId": "p-nyc", "portName": "acct2-port-nyc", "dcId": "NYC1",
       "portStatus": "RECYCLED"}
    ],
    "private_connects": [
      {"account_id": "acct-2", "privateConnectId": "900", "privateConnectName": "acct2-secret-running",
       "privateConnectStatus": "RUNNING",
       "endpointA": {"portId": "p-lax", "vlanId": 7}, "endpointZ": {"portId": "p-nyc", "vlanId": 7}},
      {"account_id": "acct-2", "privateConnectId": "901", "privateConnectName": "acct2-secret-recycled",
       "privateConnectStatus": "RECYCLED",
       "endpointA": {"portId": "p-lax", "vlanId": 8}, "endpointZ": {"portId": "p-nyc", "vlanId": 8}}
    ]
  }
})";

struct Probe {
  std::string action;
  std::string body;  // `{id}` is replaced by the real or the made-up ID
  std::string real_id;
  std::string made_up_id;
};

std::string Fill(std::string text, std::string_view id) {
  for (size_t pos = text.find("{id}"); pos != std::string::npos; pos = text.find("{id}", pos)) {
    text.replace(pos, 4, id);
  }
  return text;
}

std::string Mask(std::string text, std::string_view real_id, std::string_view made_up_id) {
  for (std::string_view id : {real_id, made_up_id}) {
    for (size_t pos = text.find(id); pos != std::string::npos; pos = text.find(id, pos)) {
      text.replace(pos, id.size(), "<id>");
    }
  }
  return text;
}

// The body without the per-request requestId, with IDs masked.
std::string Comparable(const ZenlayerAnswer& answer, const Probe& probe) {
  boost::json::object body = answer.json;
  body.erase("requestId");
  if (auto* response = body.if_contains("response"); response && response->is_object()) {
    response->as_object().erase("requestId");
  }
  return Mask(boost::json::serialize(body), probe.real_id, probe.made_up_id);
}

class ZenlayerTenantIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(kSeed); }
  ZenlayerHarness harness_;
};

TEST_F(ZenlayerTenantIsolationTest, EveryActionAnswersForeignIdsLikeMadeUpOnes) {
  const std::vector<Probe> probes = {
      {"DescribePrivateConnects", R"({"privateConnectIds":["{id}"]})", "900", "999"},
      {"DescribePrivateConnects", R"({"privateConnectName":"{id}"})", "acct2-secret",
       "acct9-secret"},
      {"DescribePrivateConnects", R"({"privateConnectStatus":"{id}"})", "RECYCLED", "RECYCLEX"},
      {"DescribePorts", R"({"portIds":["{id}"]})", "p-lax", "p-zzz"},
      {"DescribePorts", R"({"portName":"{id}"})", "acct2-port", "acct9-port"},
      {"DescribePorts", R"({"dcId":"{id}"})", "LAX1", "ZZZ1"},
      {"CreatePrivateConnect",
       R"({"endpointA":{"portId":"p-sin","vlanId":1},"endpointZ":{"portId":"{id}","vlanId":1}})",
       "p-lax", "p-zzz"},
      // VLAN 7 is in use on account 2's p-lax: the answer must not say so.
      {"CreatePrivateConnect",
       R"({"endpointA":{"portId":"{id}","vlanId":7},"endpointZ":{"portId":"p-hkg","vlanId":7}})",
       "p-lax", "p-zzz"},
      {"ModifyPrivateConnectsAttribute",
       R"({"privateConnectIds":["{id}"],"privateConnectName":"taken-over"})", "900", "999"},
      {"ModifyPrivateConnectBandwidth", R"({"privateConnectId":"{id}","bandwidthMbps":10})", "900",
       "999"},
      {"DeletePrivateConnect", R"({"privateConnectId":"{id}"})", "900", "999"},
      {"RenewPrivateConnect", R"({"privateConnectId":"{id}"})", "901", "999"},
      {"DestroyPrivateConnect", R"({"privateConnectId":"{id}"})", "901", "999"},
      {"DescribePorts", R"({"portRemarks":"{id}"})", "acct2-remarks", "acct9-remarks"},
      {"DescribePorts", R"({"cityName":"{id}"})", "Los Angeles", "Zzz City"},
      {"ModifyPortAttribute", R"({"portId":"{id}","portName":"taken-over"})", "p-lax", "p-zzz"},
      {"TerminatePort", R"({"portId":"{id}"})", "p-lax", "p-zzz"},
      {"RenewPort", R"({"portId":"{id}"})", "p-nyc", "p-zzz"},
      {"DestroyPort", R"({"portId":"{id}"})", "p-nyc", "p-zzz"},
      // Lookups and emulated traffic/prices.
      {"DescribePrivateConnectAvailablePorts", R"({"portIds":["{id}"]})", "p-lax", "p-zzz"},
      {"DescribePrivateConnectAvailablePorts", R"({"dcId":"{id}"})", "LAX1", "ZZZ1"},
      {"DescribePortUsableVlan", R"({"portId":"{id}"})", "p-lax", "p-zzz"},
      // VLANs 7 and 8 are in use on account 2's ports in LAX1.
      {"DescribePortUsableVlan", R"({"dcId":"{id}"})", "LAX1", "ZZZ1"},
      {"DescribePrivateConnectTraffic",
       R"({"privateConnectId":"{id}","startTime":"2026-11-18T00:00:00Z"})", "900", "999"},
      {"DescribePrivateConnectTraffic",
       R"({"privateConnectId":"{id}","startTime":"2026-11-18T00:00:00Z"})", "901", "999"},
      {"DescribePortTraffic",
       R"({"portId":"{id}","startTime":"2026-11-18T00:00:00Z","endTime":"2026-11-18T01:00:00Z"})",
       "p-lax", "p-zzz"},
      {"InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"p-sin"},"endpointZ":{"portId":"{id}"}})", "p-lax", "p-zzz"},
      {"QueryPrivateConnectBandwidthPrice",
       R"({"sourceDcId":"SIN1","destinationDcId":"{id}","bandwidthMbps":10})", "LAX1", "ZZZ1"},
      {"QueryDataCenterPortPrice", R"({"dcId":"{id}","portType":"10G"})", "LAX1", "ZZZ1"},
      {"QueryDataCenterPortPrices", R"({"dcIds":["{id}"],"portType":"10G"})", "LAX1", "ZZZ1"},
      {"DescribeDataCenterPortPrice", R"({"dcId":"{id}"})", "LAX1", "ZZZ1"},
      {"QueryPrivateConnectPrice",
       R"({"bandwidthMbps":5,"endpointA":{"dcId":"SIN1"},"endpointZ":{"dcId":"{id}","portType":"1G"}})",
       "LAX1", "ZZZ1"},
  };
  const std::string before = harness_.DumpEverything();
  for (const Probe& probe : probes) {
    SCOPED_TRACE(probe.action + " " + probe.body + " with " + probe.real_id);
    ZenlayerAnswer foreign =
        harness_.Call(kAccount1, probe.action, Fill(probe.body, probe.real_id));
    ZenlayerAnswer made_up =
        harness_.Call(kAccount1, probe.action, Fill(probe.body, probe.made_up_id));
    EXPECT_EQ(foreign.status, made_up.status) << foreign.body << "\nvs\n" << made_up.body;
    EXPECT_EQ(foreign.code, made_up.code);
    EXPECT_EQ(Comparable(foreign, probe), Comparable(made_up, probe));
    if (foreign.status != 200) {
      EXPECT_EQ(foreign.status, 404) << foreign.body;
      EXPECT_TRUE(foreign.code == "INVALID_PRIVATE_CONNECT_NOT_FOUND" ||
                  foreign.code == "INVALID_PORT_NOT_FOUND" ||
                  foreign.code == "INVALID_DC_NOT_FOUND")
          << foreign.code;
    } else if (const auto* total =
                   foreign.json.at("response").as_object().if_contains("totalCount")) {
      EXPECT_EQ(total->as_int64(), 0) << foreign.body;
    }
    for (std::string_view secret :
         {"acct2-secret", "acct2-port", "p-lax", "p-nyc", "900", "901", "acct-2", "LAX1", "NYC1"}) {
      if (probe.real_id.find(secret) != std::string::npos) continue;
      // Without the random requestId, whose hex digits may contain "900" by chance.
      EXPECT_EQ(Comparable(foreign, probe).find(secret), std::string::npos) << secret << " leaked";
    }
  }
  EXPECT_EQ(harness_.DumpEverything(), before) << "a foreign-ID request changed stored state";
  // State dumps (what /_connectplane/state serves) never carry passwords.
  EXPECT_EQ(before.find("pw-account"), std::string::npos);
  EXPECT_NE(before.find("AK2"), std::string::npos);
}

TEST_F(ZenlayerTenantIsolationTest, UnfilteredListingsShowOnlyTheCallersResources) {
  boost::json::object connects = harness_.Response(kAccount1, "DescribePrivateConnects", "{}");
  EXPECT_EQ(connects.at("totalCount").as_int64(), 0);
  boost::json::object ports = harness_.Response(kAccount1, "DescribePorts", "{}");
  EXPECT_EQ(ports.at("totalCount").as_int64(), 2);
  const std::string serialized = boost::json::serialize(ports);
  EXPECT_EQ(serialized.find("p-lax"), std::string::npos);
  EXPECT_EQ(serialized.find("acct2"), std::string::npos);
  // Account 2 still sees both of its connects, untouched.
  EXPECT_EQ(
      harness_.Response(kAccount2, "DescribePrivateConnects", "{}").at("totalCount").as_int64(), 2);
}

}  // namespace
}  // namespace connectplane::api::zenlayer
