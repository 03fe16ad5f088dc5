// Bad-input matrix for every Zenlayer SDN action: malformed JSON,
// wrong JSON types for every field (generated from each action's field list),
// missing required fields, out-of-range values, unicode and very long strings,
// duplicated keys, deep nesting and non-UTF-8 bytes, each sent as a correctly
// signed request. Every case checks Zenlayer's error code, that no stored row
// changed, and that the API still answers a good request.
#include <gtest/gtest.h>

#include "fakes/zenlayer_harness.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include <sstream>
#include <string>
#include <vector>

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
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dcId": "SIN1"},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "p-free", "portName": "free", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "p-bin", "portName": "bin", "dcId": "HKG1",
       "portStatus": "RECYCLED"}
    ],
    "datacenters": [
      {"dcId": "SIN1", "dcName": "Singapore 1", "cityName": "Singapore",
       "countryName": "Singapore", "areaName": "Asia Pacific"},
      {"dcId": "XYZ1", "dcName": "No ports", "cityName": "X", "countryName": "X",
       "areaName": "X", "isPortAvailable": false}
    ],
    "private_connects": [
      {"account_id": "acct-1", "privateConnectId": "100", "privateConnectName": "running",
       "privateConnectStatus": "RUNNING",
       "endpointA": {"portId": "p-sin", "vlanId": 7}, "endpointZ": {"portId": "p-hkg", "vlanId": 7}},
      {"account_id": "acct-1", "privateConnectId": "101", "privateConnectName": "recycled",
       "privateConnectStatus": "RECYCLED",
       "endpointA": {"portId": "p-sin", "vlanId": 8}, "endpointZ": {"portId": "p-hkg", "vlanId": 8}}
    ]
  }
})";

constexpr size_t kLongSize = 100 * 1024;
constexpr size_t kDeepNesting = 10000;
constexpr size_t kMaxErrorMessageBytes = 512;

std::string Repeat(std::string_view piece, size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (size_t idx = 0; idx < count; ++idx) out.append(piece);
  return out;
}

enum class Kind { kString, kInteger, kStringList, kEndpoint, kBool };

struct Field {
  std::vector<std::string> path;  // nested keys, e.g. {"endpointA", "vlanId"}
  Kind kind;
  bool required;
};

struct ActionSpec {
  std::string action;
  std::string valid_body;  // a body the action would accept
  std::vector<Field> fields;
};

// Every action (aliases included) with a valid body and its fields.
std::vector<ActionSpec> Actions() {
  const std::vector<Field> id_only = {{{"privateConnectId"}, Kind::kString, true}};
  const std::vector<Field> port_id_only = {{{"portId"}, Kind::kString, true}};
  return {
      {"CreatePrivateConnect",
       R"({"privateConnectName":"pc","bandwidthMbps":50,"endpointA":{"portId":"p-sin","vlanId":30,"endpointName":"a"},"endpointZ":{"portId":"p-hkg","vlanId":30}})",
       {{{"privateConnectName"}, Kind::kString, false},
        {{"bandwidthMbps"}, Kind::kInteger, false},
        {{"endpointA"}, Kind::kEndpoint, true},
        {{"endpointZ"}, Kind::kEndpoint, true},
        {{"endpointA", "portId"}, Kind::kString, false},
        {{"endpointA", "vlanId"}, Kind::kInteger, true},
        {{"endpointA", "endpointName"}, Kind::kString, false},
        {{"endpointZ", "vlanId"}, Kind::kInteger, true}}},
      {"DescribePrivateConnects",
       R"({"privateConnectIds":["100"],"privateConnectName":"r","privateConnectStatus":"RUNNING","connectivityStatus":"ACTIVE","endpointTypes":["PORT"],"pageNum":1,"pageSize":10})",
       {{{"privateConnectIds"}, Kind::kStringList, false},
        {{"privateConnectName"}, Kind::kString, false},
        {{"privateConnectStatus"}, Kind::kString, false},
        {{"connectivityStatus"}, Kind::kString, false},
        {{"endpointTypes"}, Kind::kStringList, false},
        {{"pageNum"}, Kind::kInteger, false},
        {{"pageSize"}, Kind::kInteger, false}}},
      {"DescribePorts",
       R"({"portIds":["p-sin"],"dcId":"SIN1","portName":"s","portRemarks":"r","cityName":"c","pageNum":1,"pageSize":10})",
       {{{"portIds"}, Kind::kStringList, false},
        {{"dcId"}, Kind::kString, false},
        {{"portName"}, Kind::kString, false},
        {{"portRemarks"}, Kind::kString, false},
        {{"cityName"}, Kind::kString, false},
        {{"pageNum"}, Kind::kInteger, false},
        {{"pageSize"}, Kind::kInteger, false}}},
      {"CreatePort",
       R"({"dcId":"SIN1","portName":"n","portType":"10G","businessEntityName":"E","portRemarks":"r"})",
       {{{"dcId"}, Kind::kString, true},
        {{"portName"}, Kind::kString, true},
        {{"portType"}, Kind::kString, true},
        {{"businessEntityName"}, Kind::kString, true},
        {{"portRemarks"}, Kind::kString, false}}},
      {"ModifyPortAttribute",
       R"({"portId":"p-sin","portName":"n","portRemarks":"r","businessEntityName":"E"})",
       {{{"portId"}, Kind::kString, true},
        {{"portName"}, Kind::kString, false},
        {{"portRemarks"}, Kind::kString, false},
        {{"businessEntityName"}, Kind::kString, false}}},
      {"TerminatePort", R"({"portId":"p-free"})", port_id_only},
      {"RenewPort", R"({"portId":"p-bin"})", port_id_only},
      {"DestroyPort", R"({"portId":"p-bin"})", port_id_only},
      {"DescribeDatacenters", R"({"dcIds":["SIN1"],"isPortAvailable":true})",
       {{{"dcIds"}, Kind::kStringList, false}, {{"isPortAvailable"}, Kind::kBool, false}}},
      {"ModifyPrivateConnectsAttribute",
       R"({"privateConnectIds":["100"],"privateConnectName":"n"})",
       {{{"privateConnectIds"}, Kind::kStringList, true},
        {{"privateConnectName"}, Kind::kString, true}}},
      {"ModifyPrivateConnectBandwidth",
       R"({"privateConnectId":"100","bandwidthMbps":100})",
       {{{"privateConnectId"}, Kind::kString, true}, {{"bandwidthMbps"}, Kind::kInteger, true}}},
      {"DeletePrivateConnect", R"({"privateConnectId":"100"})", id_only},
      {"RenewPrivateConnect", R"({"privateConnectId":"101"})", id_only},
      {"DestroyPrivateConnect", R"({"privateConnectId":"101"})", id_only},
      // Lookups and emulated traffic/prices (the fake clock reads 2026-11-18T11:06:40Z).
      {"DescribePrivateConnectAvailablePorts",
       R"({"portIds":["p-sin"],"dcId":"SIN1","pageNum":1,"pageSize":10})",
       {{{"portIds"}, Kind::kStringList, false},
        {{"dcId"}, Kind::kString, false},
        {{"pageNum"}, Kind::kInteger, false},
        {{"pageSize"}, Kind::kInteger, false}}},
      {"DescribePortUsableVlan",
       R"({"portId":"p-sin","dcId":"SIN1"})",
       {{{"portId"}, Kind::kString, false}, {{"dcId"}, Kind::kString, false}}},
      {"DescribeAWSRegions",
       R"({"product":"PrivateConnect"})",
       {{{"product"}, Kind::kString, false}}},
      {"DescribeGoogleRegions",
       R"({"product":"CloudRouter","pairingKey":"k/asia-southeast1/1"})",
       {{{"product"}, Kind::kString, false}, {{"pairingKey"}, Kind::kString, false}}},
      {"DescribeTencentRegions",
       R"({"product":"PrivateConnect"})",
       {{{"product"}, Kind::kString, false}}},
      {"DescribePrivateConnectTraffic",
       R"({"privateConnectId":"100","startTime":"2026-11-18T00:00:00Z","endTime":"2026-11-18T10:00:00Z"})",
       {{{"privateConnectId"}, Kind::kString, true},
        {{"startTime"}, Kind::kString, true},
        {{"endTime"}, Kind::kString, false}}},
      {"DescribePortTraffic",
       R"({"portId":"p-sin","startTime":"2026-11-18T00:00:00Z","endTime":"2026-11-18T10:00:00Z"})",
       {{{"portId"}, Kind::kString, true},
        {{"startTime"}, Kind::kString, true},
        {{"endTime"}, Kind::kString, true}}},
      {"InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"p-sin","vlanId":30},"endpointZ":{"portId":"p-hkg","dcId":"HKG1"},"bandwidthMbps":20})",
       {{{"endpointA"}, Kind::kEndpoint, true},
        {{"endpointZ"}, Kind::kEndpoint, true},
        {{"endpointA", "vlanId"}, Kind::kInteger, false},
        {{"endpointZ", "dcId"}, Kind::kString, false},
        {{"bandwidthMbps"}, Kind::kInteger, false}}},
      {"QueryPrivateConnectBandwidthPrice",
       R"({"sourceDcId":"SIN1","destinationDcId":"HKG1","bandwidthMbps":20,"internetType":"Standard"})",
       {{{"sourceDcId"}, Kind::kString, true},
        {{"destinationDcId"}, Kind::kString, true},
        {{"bandwidthMbps"}, Kind::kInteger, true},
        {{"internetType"}, Kind::kString, false}}},
      {"QueryDataCenterPortPrice",
       R"({"dcId":"SIN1","portType":"10G","buildCrossConnectWithAssisted":true})",
       {{{"dcId"}, Kind::kString, true},
        {{"portType"}, Kind::kString, true},
        {{"buildCrossConnectWithAssisted"}, Kind::kBool, false}}},
      {"QueryDataCenterPortPrices",
       R"({"dcIds":["SIN1","HKG1"],"portType":"1G","buildCrossConnectWithAssisted":false})",
       {{{"dcIds"}, Kind::kStringList, true},
        {{"portType"}, Kind::kString, true},
        {{"buildCrossConnectWithAssisted"}, Kind::kBool, false}}},
      {"DescribeDataCenterPortPrice", R"({"dcId":"HKG1"})", {{{"dcId"}, Kind::kString, true}}},
      {"QueryPrivateConnectPrice",
       R"({"bandwidthMbps":20,"endpointA":{"dcId":"SIN1","portType":"10G","buildCrossConnectWithAssisted":true},"endpointZ":{"dcId":"HKG1","vlanId":5}})",
       {{{"bandwidthMbps"}, Kind::kInteger, true},
        {{"endpointA"}, Kind::kEndpoint, true},
        {{"endpointZ"}, Kind::kEndpoint, true},
        {{"endpointA", "dcId"}, Kind::kString, true},
        {{"endpointA", "portType"}, Kind::kString, false},
        {{"endpointA", "buildCrossConnectWithAssisted"}, Kind::kBool, false},
        {{"endpointZ", "vlanId"}, Kind::kInteger, false}}},
  };
}

std::vector<boost::json::value> WrongTypeValues(Kind kind) {
  const boost::json::value object = boost::json::object{{"a", 1}};
  switch (kind) {
    case Kind::kString:
      return {5, true, 1.5, object, boost::json::array{"x"}};
    case Kind::kInteger:
      return {"10", true, 1.5, object, boost::json::array{1}, 1e300, "", -1e300};
    case Kind::kStringList: {
      // Built step by step: `array{array{...}}` is a copy, not a nesting, for
      // some compilers.
      boost::json::array nested;
      nested.emplace_back(boost::json::array{"x"});
      return {"x", 5, object, boost::json::array{1}, boost::json::array{object}, nested};
    }
    case Kind::kEndpoint:
      return {"p-sin", 5, true, boost::json::array{}};
    case Kind::kBool:
      return {"true", 1, object, boost::json::array{true}};
  }
  return {};
}

// The value at `path` (creating nothing); nullptr when a parent is missing.
boost::json::object* ParentOf(boost::json::object& root, const std::vector<std::string>& path) {
  boost::json::object* parent = &root;
  for (size_t idx = 0; idx + 1 < path.size(); ++idx) {
    boost::json::value* next = parent->if_contains(path[idx]);
    if (next == nullptr || !next->is_object()) return nullptr;
    parent = &next->as_object();
  }
  return parent;
}

std::string JoinPath(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& key : path) out += (out.empty() ? "" : ".") + key;
  return out;
}

struct BadCase {
  std::string name;
  std::string action;
  std::string body;
  int status;
  std::string code;
};

class ZenlayerBadInputMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(kSeed); }

  void Expect(const BadCase& test_case) {
    SCOPED_TRACE(test_case.action + ": " + test_case.name);
    const std::string before = harness_.DumpEverything();
    ZenlayerAnswer answer = harness_.Call(kKey, test_case.action, test_case.body);
    EXPECT_EQ(answer.status, test_case.status) << answer.body.substr(0, 300);
    EXPECT_EQ(answer.code, test_case.code) << answer.body.substr(0, 300);
    const boost::json::value* message = answer.json.if_contains("message");
    ASSERT_NE(message, nullptr) << answer.body.substr(0, 300);
    ASSERT_TRUE(message->is_string());
    EXPECT_FALSE(message->as_string().empty());
    EXPECT_LT(message->as_string().size(), kMaxErrorMessageBytes);
    EXPECT_EQ(harness_.DumpEverything(), before) << "state changed";
    EXPECT_EQ(harness_.Call(kKey, "DescribePorts", "{}").status, 200) << "API unhealthy";
    ++checked_;
  }

  ZenlayerHarness harness_;
  int checked_ = 0;
};

TEST_F(ZenlayerBadInputMatrixTest, MalformedBodiesAreInvalidParameterForEveryAction) {
  const std::vector<std::pair<std::string, std::string>> malformed = {
      {"whitespace only", "   "},
      {"truncated object", R"({"pageSize":)"},
      {"unquoted key", "{bad json"},
      {"trailing comma", R"({"privateConnectId":"100",})"},
      {"trailing garbage", "{} x"},
      {"two documents", "{}{}"},
      {"array", "[1,2]"},
      {"string", R"("text")"},
      {"number", "2"},
      {"JSON null", "null"},
      {"single quotes", "{'privateConnectId':'100'}"},
      {"NaN", R"({"pageSize":NaN})"},
      {"comment", R"({"pageSize":1 /* c */})"},
      {"NUL byte", std::string("{\0}", 3)},
      {"10k nested arrays", Repeat("[", kDeepNesting)},
      {"10k nested closed arrays", Repeat("[", kDeepNesting) + Repeat("]", kDeepNesting)},
      {"deep objects", Repeat(R"({"a":)", 40) + "1" + Repeat("}", 40)},
      {"non-UTF-8 string", "{\"privateConnectId\":\"\xff\xfe\"}"},
      {"non-UTF-8 key", "{\"\xc3\x28\":1}"},
      {"overlong UTF-8", "{\"privateConnectId\":\"\xc0\xaf\"}"},
      {"lone surrogate escape", R"({"privateConnectId":"\ud800"})"},
      {"bad escape", R"({"privateConnectId":"\q"})"},
      {"raw control char", "{\"privateConnectId\":\"a\x01\"}"},
      {"unterminated 100 KB string", "{\"privateConnectId\":\"" + Repeat("a", kLongSize)},
      {"unknown field", R"({"bogus":1})"},
  };
  for (const ActionSpec& spec : Actions()) {
    for (const auto& [name, body] : malformed) {
      Expect({name, spec.action, body, 400, "INVALID_PARAMETER"});
    }
  }
  EXPECT_EQ(checked_, static_cast<int>(Actions().size() * malformed.size()));
}

TEST_F(ZenlayerBadInputMatrixTest, WrongTypesAndMissingFieldsForEveryField) {
  for (const ActionSpec& spec : Actions()) {
    const boost::json::object valid = boost::json::parse(spec.valid_body).as_object();
    for (const Field& field : spec.fields) {
      for (const boost::json::value& wrong : WrongTypeValues(field.kind)) {
        boost::json::object body = valid;
        boost::json::object* parent = ParentOf(body, field.path);
        ASSERT_NE(parent, nullptr) << JoinPath(field.path);
        (*parent)[field.path.back()] = wrong;
        Expect({common::StrCat(JoinPath(field.path), " = ", boost::json::serialize(wrong)),
                spec.action, boost::json::serialize(body), 400, "INVALID_PARAMETER"});
      }
      if (field.required) {
        boost::json::object without = valid;
        ParentOf(without, field.path)->erase(field.path.back());
        Expect({JoinPath(field.path) + " missing", spec.action, boost::json::serialize(without),
                400, "MISSING_PARAMETER"});
        boost::json::object null_value = valid;
        (*ParentOf(null_value, field.path))[field.path.back()] = nullptr;
        Expect({JoinPath(field.path) + " null", spec.action, boost::json::serialize(null_value),
                400, "MISSING_PARAMETER"});
      }
    }
    if (spec.fields.front().required) {
      Expect({"empty body object", spec.action, "{}", 400, "MISSING_PARAMETER"});
    }
  }
}

TEST_F(ZenlayerBadInputMatrixTest, OutOfRangeLongAndUnicodeValues) {
  const std::string long_name = Repeat("n", kLongSize);
  const std::string long_unicode = Repeat("接", 300);  // 900 bytes
  auto create = [](std::string_view a_fields, std::string_view extra = "") {
    return common::StrCat(R"({)", extra, R"("endpointA":{"portId":"p-sin",)", a_fields,
                          R"(},"endpointZ":{"portId":"p-hkg","vlanId":30}})");
  };
  const std::vector<BadCase> cases = {
      {"vlan 0", "CreatePrivateConnect", create(R"("vlanId":0)"), 400, "INVALID_PARAMETER"},
      {"vlan -1", "CreatePrivateConnect", create(R"("vlanId":-1)"), 400, "INVALID_PARAMETER"},
      {"vlan 4097", "CreatePrivateConnect", create(R"("vlanId":4097)"), 400, "INVALID_PARAMETER"},
      {"vlan 2^63-1", "CreatePrivateConnect", create(R"("vlanId":9223372036854775807)"), 400,
       "INVALID_PARAMETER"},
      {"vlan 2^64-1", "CreatePrivateConnect", create(R"("vlanId":18446744073709551615)"), 400,
       "INVALID_PARAMETER"},
      {"bandwidth 0", "CreatePrivateConnect", create(R"("vlanId":30)", R"("bandwidthMbps":0,)"),
       400, "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"bandwidth -5", "CreatePrivateConnect", create(R"("vlanId":30)", R"("bandwidthMbps":-5,)"),
       400, "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"bandwidth 501", "CreatePrivateConnect", create(R"("vlanId":30)", R"("bandwidthMbps":501,)"),
       400, "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"name 100 KB", "CreatePrivateConnect",
       create(R"("vlanId":30)", common::StrCat(R"("privateConnectName":")", long_name, R"(",)")),
       400, "INVALID_PARAMETER"},
      {"name empty", "CreatePrivateConnect",
       create(R"("vlanId":30)", R"("privateConnectName":"",)"), 400, "INVALID_PARAMETER"},
      {"name 300 CJK characters", "CreatePrivateConnect",
       create(R"("vlanId":30)", common::StrCat(R"("privateConnectName":")", long_unicode, R"(",)")),
       400, "INVALID_PARAMETER"},
      {"endpoint name 100 KB", "CreatePrivateConnect",
       create(common::StrCat(R"("vlanId":30,"endpointName":")", long_name, R"(")")), 400,
       "INVALID_PARAMETER"},
      {"port id 100 KB", "CreatePrivateConnect",
       common::StrCat(R"({"endpointA":{"portId":")", long_name,
                      R"(","vlanId":30},"endpointZ":{"portId":"p-hkg","vlanId":30}})"),
       404, "INVALID_PORT_NOT_FOUND"},
      {"pageSize 0", "DescribePrivateConnects", R"({"pageSize":0})", 400, "INVALID_PARAMETER"},
      {"pageSize 1001", "DescribePorts", R"({"pageSize":1001})", 400, "INVALID_PARAMETER"},
      {"cityName 100 KB", "DescribePorts",
       common::StrCat(R"({"cityName":")", long_name, R"("})"), 400, "INVALID_PARAMETER"},
      {"unknown dcId", "CreatePort",
       R"({"dcId":"NOPE1","portName":"n","portType":"1G","businessEntityName":"E"})", 404,
       "INVALID_DC_NOT_FOUND"},
      {"dc without ports", "CreatePort",
       R"({"dcId":"XYZ1","portName":"n","portType":"1G","businessEntityName":"E"})", 404,
       "INVALID_DC_NOT_FOUND"},
      {"portType 3G", "CreatePort",
       R"({"dcId":"SIN1","portName":"n","portType":"3G","businessEntityName":"E"})", 400,
       "INVALID_PARAMETER"},
      {"port name 100 KB", "CreatePort",
       common::StrCat(R"({"dcId":"SIN1","portType":"1G","businessEntityName":"E","portName":")",
                      long_name, R"("})"),
       400, "INVALID_PARAMETER"},
      {"remarks 300 CJK characters", "ModifyPortAttribute",
       common::StrCat(R"({"portId":"p-sin","portRemarks":")", long_unicode, R"("})"), 400,
       "INVALID_PARAMETER"},
      {"modify a recycled port", "ModifyPortAttribute", R"({"portId":"p-bin","portName":"x"})",
       409, "OPERATION_DENIED_INSTANCE_RECYCLED"},
      {"terminate a port in use", "TerminatePort", R"({"portId":"p-sin"})", 409,
       "OPERATION_DENIED_PORT_IN_USE"},
      {"terminate a recycled port", "TerminatePort", R"({"portId":"p-bin"})", 409,
       "OPERATION_DENIED_INSTANCE_RECYCLED"},
      {"terminate an unknown port", "TerminatePort", R"({"portId":"p-none"})", 404,
       "INVALID_PORT_NOT_FOUND"},
      {"renew a running port", "RenewPort", R"({"portId":"p-free"})", 400,
       "INVALID_PORT_STATUS"},
      {"destroy a running port", "DestroyPort", R"({"portId":"p-free"})", 400,
       "INVALID_PORT_STATUS"},
      {"port id 100 KB", "DestroyPort", common::StrCat(R"({"portId":")", long_name, R"("})"), 404,
       "INVALID_PORT_NOT_FOUND"},
      {"101 dcIds", "DescribeDatacenters",
       common::StrCat(R"({"dcIds":[)", Repeat(R"("X",)", 100), R"("X"]})"), 400,
       "INVALID_PARAMETER"},
      {"pageNum -1", "DescribePorts", R"({"pageNum":-1})", 400, "INVALID_PARAMETER"},
      {"101 ids", "DescribePrivateConnects",
       common::StrCat(R"({"privateConnectIds":[)", Repeat(R"("1",)", 100), R"("1"]})"), 400,
       "INVALID_PARAMETER"},
      {"rename to 100 KB", "ModifyPrivateConnectsAttribute",
       common::StrCat(R"({"privateConnectIds":["100"],"privateConnectName":")", long_name, R"("})"),
       400, "INVALID_PARAMETER"},
      {"rename with no ids", "ModifyPrivateConnectsAttribute",
       R"({"privateConnectIds":[],"privateConnectName":"x"})", 400, "MISSING_PARAMETER"},
      {"bandwidth 2^63-1", "ModifyPrivateConnectBandwidth",
       R"({"privateConnectId":"100","bandwidthMbps":9223372036854775807})", 400,
       "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"id 100 KB", "DestroyPrivateConnect",
       common::StrCat(R"({"privateConnectId":")", long_name, R"("})"), 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"id unicode", "DeletePrivateConnect", R"({"privateConnectId":"接続"})", 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"id with NUL escape", "RenewPrivateConnect", R"({"privateConnectId":"101\u0000"})", 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"duplicated key, last one unknown", "DestroyPrivateConnect",
       R"({"privateConnectId":"101","privateConnectId":"nope"})", 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"duplicated key, last one wrong type", "DeletePrivateConnect",
       R"({"privateConnectId":"100","privateConnectId":100})", 400, "INVALID_PARAMETER"},
      // Lookups and emulated traffic/prices.
      {"available ports pageSize 1001", "DescribePrivateConnectAvailablePorts",
       R"({"pageSize":1001})", 400, "INVALID_PARAMETER"},
      {"available ports 101 ids", "DescribePrivateConnectAvailablePorts",
       common::StrCat(R"({"portIds":[)", Repeat(R"("p",)", 100), R"("p"]})"), 400,
       "INVALID_PARAMETER"},
      {"usable vlan without port or dc", "DescribePortUsableVlan", "{}", 400,
       "SELF_SERVICE_PORT_VLAN_PORT_AND_DC_NEED_AT_LEAST_ONE"},
      {"usable vlan unknown port", "DescribePortUsableVlan", R"({"portId":"nope"})", 404,
       "INVALID_PORT_NOT_FOUND"},
      {"usable vlan port in another dc", "DescribePortUsableVlan",
       R"({"portId":"p-sin","dcId":"HKG1"})", 404, "INVALID_PORT_NOT_FOUND"},
      {"regions unknown product", "DescribeAWSRegions", R"({"product":"Internet"})", 400,
       "INVALID_PARAMETER"},
      {"traffic start not a timestamp", "DescribePrivateConnectTraffic",
       R"({"privateConnectId":"100","startTime":"2026-11-18 00:00:00"})", 400, "INVALID_PARAMETER"},
      {"traffic start after end", "DescribePrivateConnectTraffic",
       R"({"privateConnectId":"100","startTime":"2026-11-18T10:00:00Z","endTime":"2026-11-18T09:00:00Z"})",
       403, "INVALID_START_TIME"},
      {"traffic window over 24 hours", "DescribePortTraffic",
       R"({"portId":"p-sin","startTime":"2026-11-16T00:00:00Z","endTime":"2026-11-17T00:00:01Z"})",
       403, "INVALID_START_TIME"},
      {"traffic older than 30 days", "DescribePortTraffic",
       R"({"portId":"p-sin","startTime":"2026-10-01T00:00:00Z","endTime":"2026-10-01T01:00:00Z"})",
       403, "INVALID_START_TIME"},
      {"traffic unknown connect", "DescribePrivateConnectTraffic",
       R"({"privateConnectId":"999","startTime":"2026-11-18T00:00:00Z"})", 404,
       "INVALID_PRIVATE_CONNECT_NOT_FOUND"},
      {"traffic unknown port", "DescribePortTraffic",
       R"({"portId":"nope","startTime":"2026-11-18T00:00:00Z","endTime":"2026-11-18T01:00:00Z"})",
       404, "INVALID_PORT_NOT_FOUND"},
      {"inquiry bandwidth 501", "InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"p-sin"},"endpointZ":{"portId":"p-hkg"},"bandwidthMbps":501})",
       400, "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"inquiry unknown port", "InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"nope"},"endpointZ":{"portId":"p-hkg"}})", 404,
       "INVALID_PORT_NOT_FOUND"},
      {"inquiry one port twice", "InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"p-sin"},"endpointZ":{"portId":"p-sin"}})", 400,
       "INVALID_CONNECT_ENDPOINT_CONFLICT"},
      {"inquiry dcId not the port's", "InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"p-sin","dcId":"HKG1"},"endpointZ":{"portId":"p-hkg"}})", 400,
       "INVALID_ENDPOINT_PARAMETER"},
      {"inquiry cloud endpoint", "InquiryCreatePrivateConnectPrice",
       R"({"endpointA":{"portId":"p-sin","cloudType":"AWS"},"endpointZ":{"portId":"p-hkg"}})", 400,
       "INVALID_ENDPOINT_PARAMETER"},
      {"bandwidth price 0 Mbps", "QueryPrivateConnectBandwidthPrice",
       R"({"sourceDcId":"SIN1","destinationDcId":"HKG1","bandwidthMbps":0})", 400,
       "INVALID_BANDWIDTH_EXCEED_LIMIT"},
      {"bandwidth price unknown dc", "QueryPrivateConnectBandwidthPrice",
       R"({"sourceDcId":"SIN1","destinationDcId":"XXX9","bandwidthMbps":10})", 404,
       "INVALID_DC_NOT_FOUND"},
      {"port price unknown type", "QueryDataCenterPortPrice", R"({"dcId":"SIN1","portType":"25G"})",
       400, "INVALID_PARAMETER"},
      {"port price unknown dc", "QueryDataCenterPortPrice", R"({"dcId":"XXX9","portType":"10G"})",
       404, "INVALID_DC_NOT_FOUND"},
      {"port prices empty list", "QueryDataCenterPortPrices", R"({"dcIds":[],"portType":"10G"})",
       400, "MISSING_PARAMETER"},
      {"port prices one unknown dc", "QueryDataCenterPortPrices",
       R"({"dcIds":["SIN1","XXX9"],"portType":"10G"})", 404, "INVALID_DC_NOT_FOUND"},
      {"dc port price unknown dc", "DescribeDataCenterPortPrice", R"({"dcId":"XXX9"})", 404,
       "INVALID_DC_NOT_FOUND"},
      {"connect price unknown dc", "QueryPrivateConnectPrice",
       R"({"bandwidthMbps":5,"endpointA":{"dcId":"SIN1"},"endpointZ":{"dcId":"XXX9"}})", 404,
       "INVALID_DC_NOT_FOUND"},
      {"connect price unknown port type", "QueryPrivateConnectPrice",
       R"({"bandwidthMbps":5,"endpointA":{"dcId":"SIN1","portType":"2G"},"endpointZ":{"dcId":"HKG1"}})",
       400, "INVALID_PARAMETER"},
      {"connect price cloud endpoint", "QueryPrivateConnectPrice",
       R"({"bandwidthMbps":5,"endpointA":{"dcId":"SIN1","cloudType":"AWS"},"endpointZ":{"dcId":"HKG1"}})",
       400, "INVALID_ENDPOINT_PARAMETER"},
      {"connect price bandwidth 501", "QueryPrivateConnectPrice",
       R"({"bandwidthMbps":501,"endpointA":{"dcId":"SIN1"},"endpointZ":{"dcId":"HKG1"}})", 400,
       "INVALID_BANDWIDTH_EXCEED_LIMIT"},
  };
  for (const BadCase& test_case : cases) {
    Expect(test_case);
  }
}

TEST_F(ZenlayerBadInputMatrixTest, UnicodeNamesWithinLimitsRoundTripExactly) {
  const std::string name = "東京-シンガポール 接続 ✓";
  harness_.Response(
      kKey, "ModifyPrivateConnectsAttribute",
      common::StrCat(R"({"privateConnectIds":["100"],"privateConnectName":")", name, R"("})"));
  boost::json::object described =
      harness_.Response(kKey, "DescribePrivateConnects", R"({"privateConnectIds":["100"]})");
  ASSERT_EQ(described.at("totalCount").as_int64(), 1);
  EXPECT_EQ(described.at("dataSet").as_array()[0].at("privateConnectName").as_string(), name);
}

TEST_F(ZenlayerBadInputMatrixTest, PasswordsAndSignaturesNeverReachTheLogs) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>("capture", sink);
  capture->set_level(spdlog::level::trace);
  spdlog::set_default_logger(capture);
  common::HttpRequest request =
      harness_.Signed(kKey, "DestroyPrivateConnect", R"({"privateConnectId":"101"})");
  std::string authorization(request.Header("authorization").value_or(""));
  harness_.Call(kKey, "DestroyPrivateConnect", R"({"privateConnectId":"101"})");
  harness_.Call({"AK1", "wrong-password"}, "DescribePorts", "{}");
  harness_.FinishJobs();
  spdlog::set_default_logger(previous);
  const std::string logs = captured.str();
  EXPECT_FALSE(logs.empty());
  EXPECT_EQ(logs.find("pw-account-1"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("wrong-password"), std::string::npos) << logs;
  const size_t signature_at = authorization.rfind("Signature=");
  ASSERT_NE(signature_at, std::string::npos) << authorization;
  EXPECT_EQ(logs.find(authorization.substr(signature_at + 10)), std::string::npos) << logs;
}

// What versions add (tags, marketingOptions, cloudBandwidthMbps, tag
// filters), unknown versions and bad bearer tokens: each refused with its
// code and nothing written.
TEST_F(ZenlayerBadInputMatrixTest, VersionMembersUnknownVersionsAndBadTokens) {
  auto send = [&](const BadCase& test_case, common::HttpRequest request) {
    SCOPED_TRACE(test_case.action + ": " + test_case.name);
    const std::string before = harness_.DumpEverything();
    ZenlayerAnswer answer = harness_.Send(request);
    EXPECT_EQ(answer.status, test_case.status) << answer.body.substr(0, 300);
    EXPECT_EQ(answer.code, test_case.code) << answer.body.substr(0, 300);
    EXPECT_EQ(harness_.DumpEverything(), before) << "state changed";
    ++checked_;
  };
  auto with_version = [&](std::string_view version, const BadCase& test_case) {
    common::HttpRequest request = harness_.Signed(kKey, test_case.action, test_case.body);
    for (auto& [name, value] : request.headers) {
      if (name == "x-zc-version") value = std::string(version);
    }
    send(test_case, std::move(request));
  };
  auto create = [](std::string_view extra, std::string_view a_extra = "") {
    return common::StrCat(R"({"endpointA":{"portId":"p-sin","vlanId":30)", a_extra,
                          R"(},"endpointZ":{"portId":"p-hkg","vlanId":30},)", extra, "}");
  };
  const std::string long_key(200, 'k');
  const std::vector<BadCase> v2026 = {
      {"tags string", "CreatePrivateConnect", create(R"("tags":"x")"), 400, "INVALID_PARAMETER"},
      {"tags list", "CreatePrivateConnect", create(R"("tags":[])"), 400, "INVALID_PARAMETER"},
      {"tags.tags string", "CreatePrivateConnect", create(R"("tags":{"tags":"x"})"), 400,
       "INVALID_PARAMETER"},
      {"tags.tags[0] number", "CreatePrivateConnect", create(R"("tags":{"tags":[5]})"), 400,
       "INVALID_PARAMETER"},
      {"tag key number", "CreatePrivateConnect", create(R"("tags":{"tags":[{"key":5}]})"), 400,
       "INVALID_PARAMETER"},
      {"tag value number", "CreatePrivateConnect",
       create(R"("tags":{"tags":[{"key":"k","value":5}]})"), 400, "INVALID_PARAMETER"},
      {"tag unknown member", "CreatePrivateConnect",
       create(R"("tags":{"tags":[{"key":"k","color":"red"}]})"), 400, "INVALID_PARAMETER"},
      {"tags unknown member", "CreatePrivateConnect", create(R"("tags":{"labels":[]})"), 400,
       "INVALID_PARAMETER"},
      {"tag key missing", "CreatePrivateConnect", create(R"("tags":{"tags":[{"value":"v"}]})"), 400,
       "MISSING_PARAMETER"},
      {"tag key twice", "CreatePrivateConnect",
       create(R"("tags":{"tags":[{"key":"k"},{"key":"k","value":"2"}]})"), 400,
       "INVALID_PARAMETER"},
      {"tag key too long", "CreatePrivateConnect",
       create(common::StrCat(R"("tags":{"tags":[{"key":")", long_key, R"("}]})")), 400,
       "INVALID_PARAMETER"},
      {"tagKeys string", "DescribePrivateConnects", R"({"tagKeys":"env"})", 400,
       "INVALID_PARAMETER"},
      {"tagKeys [5]", "DescribePrivateConnects", R"({"tagKeys":[5]})", 400, "INVALID_PARAMETER"},
      {"tags object", "DescribePrivateConnects", R"({"tags":{"key":"k"}})", 400,
       "INVALID_PARAMETER"},
      {"tags key number", "DescribePrivateConnects", R"({"tags":[{"key":5}]})", 400,
       "INVALID_PARAMETER"},
      {"resourceGroupId number", "DescribePrivateConnects", R"({"resourceGroupId":5})", 400,
       "INVALID_PARAMETER"},
      {"tagKeys [5]", "DescribePorts", R"({"tagKeys":[5]})", 400, "INVALID_PARAMETER"},
      {"tags [\"k\"]", "DescribePorts", R"({"tags":["k"]})", 400, "INVALID_PARAMETER"},
      {"tags key missing", "DescribePorts", R"({"tags":[{"value":"v"}]})", 400,
       "MISSING_PARAMETER"},
      {"resourceGroupId list", "DescribePorts", R"({"resourceGroupId":["default"]})", 400,
       "INVALID_PARAMETER"},
      {"subnetId (2023-08-30 only)", "CreatePrivateConnect",
       create(R"("bandwidthMbps":5)", R"(,"subnetId":"s")"), 400, "INVALID_PARAMETER"},
  };
  for (const BadCase& test_case : v2026) {
    with_version("2026-04-01", test_case);
  }
  const std::vector<BadCase> both = {
      {"marketingOptions string", "CreatePrivateConnect", create(R"("marketingOptions":"x")"), 400,
       "INVALID_PARAMETER"},
      {"discountCode number", "CreatePrivateConnect",
       create(R"("marketingOptions":{"discountCode":5})"), 400, "INVALID_PARAMETER"},
      {"usePocVoucher string", "CreatePrivateConnect",
       create(R"("marketingOptions":{"usePocVoucher":"yes"})"), 400, "INVALID_PARAMETER"},
      {"marketingOptions unknown member", "CreatePrivateConnect",
       create(R"("marketingOptions":{"coupon":"x"})"), 400, "INVALID_PARAMETER"},
      {"cloudBandwidthMbps string", "CreatePrivateConnect",
       create(R"("bandwidthMbps":5)", R"(,"cloudBandwidthMbps":"5")"), 400, "INVALID_PARAMETER"},
      {"cloudBandwidthMbps 1.5", "CreatePrivateConnect",
       create(R"("bandwidthMbps":5)", R"(,"cloudBandwidthMbps":1.5)"), 400, "INVALID_PARAMETER"},
  };
  for (const BadCase& test_case : both) {
    with_version("2023-08-30", test_case);
    with_version("2026-04-01", test_case);
  }
  const BadCase good_create{"", "CreatePrivateConnect", create(R"("bandwidthMbps":5)"), 200, ""};
  const std::vector<std::string> bad_versions = {"2023-08-31", "2026-04-01T00:00:00Z", "v2",
                                                 "2023-08-30,2026-04-01", std::string("\x01", 1)};
  for (const std::string& version : bad_versions) {
    with_version(version, {common::StrCat("version ", version), good_create.action,
                           good_create.body, 400, "INVALID_VERSION"});
  }
  for (std::string token : {std::string("unknown-token"), std::string(), std::string("a b"),
                            std::string(300, 't'), std::string("\xff\xfe")}) {
    send({"token " + token.substr(0, 20), good_create.action, good_create.body, 401, "AUTH_FAILED"},
         harness_.WithToken(token, good_create.action, good_create.body));
  }
  EXPECT_EQ(checked_, static_cast<int>(v2026.size() + 2 * both.size() + 5 + 5));
}

}  // namespace
}  // namespace connectplane::api::zenlayer
