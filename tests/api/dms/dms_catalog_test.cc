// ListAvailableZones, ListEngineProducts and legacy ListProducts, and the
// ShowInstance members that depend on them, through DmsApi::Handle
// (fakes/dms_harness.h). The answers must agree with what create accepts.
#include "api/dms/dms_api.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::dms {
namespace {

using connectplane::testing::DmsAnswer;
using connectplane::testing::DmsHarness;
using connectplane::testing::InstancePath;
using connectplane::testing::kCredential;
using connectplane::testing::kDmsSeed;
using connectplane::testing::kInstance;
using connectplane::testing::kOtherCredential;
using connectplane::testing::kProject;

constexpr char kEuDe01[] = "bf84aba586ce4e948da0b97d9a7d62fb";

std::string CreateBody(std::string_view name, std::string_view product_id, int64_t brokers,
                       std::string_view storage_spec_code, std::string_view zones_json) {
  return common::StrCat(
      R"({"name":")", name, R"(","engine":"kafka","engine_version":"3.x","broker_num":)", brokers,
      R"(,"storage_space":)", 300 * brokers,
      R"(,"vpc_id":"11111111-2222-3333-4444-555555555555",)"
      R"("subnet_id":"21111111-2222-3333-4444-555555555555",)"
      R"("security_group_id":"31111111-2222-3333-4444-555555555555","available_zones":)",
      zones_json, R"(,"product_id":")", product_id, R"(","storage_spec_code":")",
      storage_spec_code, R"(","bss_param":{"charging_mode":""}})");
}

class DmsCatalogTest : public ::testing::Test {
 protected:
  DmsAnswer Call(std::string method, std::string target, std::string body = "") {
    return harness_.Call(kCredential, std::move(method), std::move(target), std::move(body));
  }
  void RunJobsAfter(absl::Duration delta) { harness_.services.RunJobsAfter(delta); }

  DmsHarness harness_{kDmsSeed};
};

TEST_F(DmsCatalogTest, AvailableZonesListTheRegionsZonesWithIdsCodesAndFlags) {
  DmsAnswer answer = Call("GET", "/v2/available-zones");
  ASSERT_EQ(answer.status, 200) << answer.raw_body;
  EXPECT_EQ(answer.body.at("region_id").as_string(), "eu-de");
  const boost::json::array& zones = answer.body.at("available_zones").as_array();
  ASSERT_EQ(zones.size(), 3u);
  EXPECT_EQ(zones[0].at("id").as_string(), kEuDe01);
  EXPECT_EQ(zones[0].at("code").as_string(), "eu-de-01");
  EXPECT_EQ(zones[0].at("name").as_string(), "eu-de-01");
  EXPECT_EQ(zones[0].at("port").as_string(), "8002");
  EXPECT_EQ(zones[0].at("resource_availability").as_string(), "true");
  EXPECT_FALSE(zones[0].at("soldOut").as_bool());
  EXPECT_TRUE(zones[0].at("default_az").as_bool());
  for (const boost::json::value& zone : zones) {
    EXPECT_EQ(zone.at("id").as_string().size(), 32u);
  }
  // Any tenant reads the same region-wide answer.
  DmsAnswer other = harness_.Call(kOtherCredential, "GET", "/v2/available-zones");
  EXPECT_EQ(other.raw_body, answer.raw_body);
}

TEST_F(DmsCatalogTest, EveryListedFlavorAndStorageClassIsAcceptedByCreate) {
  DmsAnswer answer = Call("GET", "/v2/kafka/products");
  ASSERT_EQ(answer.status, 200) << answer.raw_body;
  EXPECT_EQ(answer.body.at("engine").as_string(), "kafka");
  const boost::json::array& products = answer.body.at("products").as_array();
  ASSERT_GE(products.size(), 5u);
  int created = 0;
  for (const boost::json::value& product : products) {
    const std::string product_id(product.at("product_id").as_string());
    SCOPED_TRACE(product_id);
    const boost::json::object& properties = product.at("properties").as_object();
    const int64_t min_broker = std::stoll(std::string(properties.at("min_broker").as_string()));
    const int64_t max_broker = std::stoll(std::string(properties.at("max_broker").as_string()));
    for (const boost::json::value& io : product.at("ios").as_array()) {
      const boost::json::array& codes = io.at("available_zones").as_array();
      ASSERT_FALSE(codes.empty());
      const std::string zone(codes[0].as_string());
      const std::string body =
          CreateBody(common::StrCat("flavor-", created), product_id, min_broker,
                     std::string(io.at("io_spec").as_string()),
                     common::StrCat(R"([")", zone, R"("])"));
      DmsAnswer made = Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), body);
      ASSERT_EQ(made.status, 200) << made.raw_body;
      ++created;
      DmsAnswer shown =
          Call("GET", InstancePath(std::string(made.body.at("instance_id").as_string())));
      EXPECT_EQ(shown.body.at("product_id").as_string(), product_id);
      EXPECT_EQ(shown.body.at("storage_spec_code").as_string(), io.at("io_spec").as_string());
      EXPECT_EQ(shown.body.at("available_zone_names").as_array()[0].as_string(), zone);
      EXPECT_EQ(shown.body.at("partition_num").as_string(),
                common::StrCat(std::stoll(std::string(
                                   properties.at("max_partition_per_broker").as_string())) *
                               min_broker));
    }
    // One broker more than the flavor allows is refused.
    DmsAnswer too_many =
        Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"),
             CreateBody("flavor-over", product_id, max_broker + 1, "dms.physical.storage.high.v2",
                        R"(["eu-de-01"])"));
    EXPECT_EQ(too_many.status, 400);
    EXPECT_EQ(too_many.error_code, "DMS.00400062");
  }
  EXPECT_GE(created, 10);

  DmsAnswer one = Call("GET", "/v2/kafka/products?product_id=c6.4u8g.cluster");
  ASSERT_EQ(one.body.at("products").as_array().size(), 1u);
  EXPECT_EQ(one.body.at("products").as_array()[0].at("ecs_flavor_id").as_string(), "c6.xlarge.2");
  EXPECT_TRUE(Call("GET", "/v2/kafka/products?product_id=nope").body.at("products").as_array()
                  .empty());
}

TEST_F(DmsCatalogTest, LegacyProductsListTheDotlessIdsPerVersionUnderBothApiVersions) {
  DmsAnswer answer = Call("GET", "/v2/products?engine=kafka");
  ASSERT_EQ(answer.status, 200) << answer.raw_body;
  for (const char* mode : {"Hourly", "Monthly"}) {
    const boost::json::array& versions = answer.body.at(mode).as_array();
    ASSERT_EQ(versions.size(), 4u);
    EXPECT_EQ(versions[0].at("name").as_string(), "kafka");
    std::vector<std::string> ids;
    const boost::json::array& values = versions[1].at("values").as_array();
    ASSERT_EQ(values.size(), 1u);
    EXPECT_EQ(values[0].at("name").as_string(), "cluster");
    for (const boost::json::value& detail : values[0].at("detail").as_array()) {
      ids.emplace_back(detail.at("product_id").as_string());
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"00300-30308-0--0", "00300-30310-0--0",
                                             "00300-30312-0--0", "00300-30314-0--0"}));
  }
  // The members the providers read, with the OTC API reference's numbers.
  const boost::json::object& first = answer.body.at("Hourly")
                                         .as_array()[0]
                                         .at("values")
                                         .as_array()[0]
                                         .at("detail")
                                         .as_array()[0]
                                         .as_object();
  EXPECT_EQ(first.at("bandwidth").as_string(), "100MB");
  EXPECT_EQ(first.at("partition_num").as_string(), "300");
  EXPECT_EQ(first.at("storage").as_string(), "600");
  EXPECT_EQ(first.at("tps").as_string(), "50000");
  EXPECT_EQ(first.at("ecs_flavor_id").as_string(), "c4.large.2");
  EXPECT_EQ(first.at("spec_code").as_string(), "dms.instance.kafka.cluster.c3.mini");
  EXPECT_EQ(boost::json::serialize(first.at("io").as_array()[0].at("storage_spec_code")),
            R"("dms.physical.storage.high")");
  // gophertelekomcloud's dms/v1 products.Get asks /v1.0/products: the same list.
  DmsAnswer v1 = Call("GET", "/v1.0/products?engine=kafka");
  ASSERT_EQ(v1.status, 200) << v1.raw_body;
  EXPECT_EQ(v1.raw_body, answer.raw_body);
  EXPECT_EQ(Call("GET", "/v1.0/products?engine=rabbitmq").error_code, "DMS.00400062");
}

// The two legacy create paths: the huaweicloud provider's product_id path
// (POST /v2/{p}/kafka/instances with the listing's specification, storage and
// partition_num, no broker_num) and the OTC provider's deprecated
// opentelekomcloud_dms_instance_v2 (gophertelekomcloud CreateDepr, POST
// /v2/{p}/instances).
TEST_F(DmsCatalogTest, LegacyProductIdsCreateFixedSizeInstancesShowingTheirBandwidth) {
  const std::string legacy_body =
      R"({"name":"legacy-one","engine":"kafka","engine_version":"2.3.0","specification":"100MB",)"
      R"("storage_space":600,"partition_num":300,)"
      R"("vpc_id":"11111111-2222-3333-4444-555555555555",)"
      R"("subnet_id":"21111111-2222-3333-4444-555555555555",)"
      R"("security_group_id":"31111111-2222-3333-4444-555555555555",)"
      R"("available_zones":["bf84aba586ce4e948da0b97d9a7d62fb"],"product_id":"00300-30308-0--0",)"
      R"("storage_spec_code":"dms.physical.storage.high"})";
  DmsAnswer made = Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), legacy_body);
  ASSERT_EQ(made.status, 200) << made.raw_body;
  RunJobsAfter(absl::Seconds(3));
  const std::string first_id(made.body.at("instance_id").as_string());
  DmsAnswer shown = Call("GET", InstancePath(first_id));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");
  EXPECT_EQ(shown.body.at("product_id").as_string(), "00300-30308-0--0");
  EXPECT_EQ(shown.body.at("specification").as_string(), "100MB");
  EXPECT_EQ(shown.body.at("broker_num").as_int64(), 3);
  EXPECT_EQ(shown.body.at("partition_num").as_string(), "300");
  EXPECT_EQ(shown.body.at("total_storage_space").as_int64(), 600);
  EXPECT_EQ(shown.body.at("resource_spec_code").as_string(), "dms.instance.kafka.cluster.c3.mini");

  std::string deprecated = legacy_body;
  deprecated.replace(deprecated.find("legacy-one"), 10, "legacy-two");
  deprecated.replace(deprecated.find("00300-30308-0--0"), 16, "00300-30312-0--0");
  deprecated.replace(deprecated.find("storage.high"), 12, "storage.ultra");
  deprecated.replace(deprecated.find(R"("storage_space":600)"), 19, R"("storage_space":2400)");
  deprecated.pop_back();
  deprecated += R"(,"broker_num":4})";
  made = Call("POST", common::StrCat("/v2/", kProject, "/instances"), deprecated);
  ASSERT_EQ(made.status, 200) << made.raw_body;
  shown = Call("GET", InstancePath(std::string(made.body.at("instance_id").as_string())));
  EXPECT_EQ(shown.body.at("specification").as_string(), "600MB");
  EXPECT_EQ(shown.body.at("broker_num").as_int64(), 4);
  EXPECT_EQ(shown.body.at("partition_num").as_string(), "1800");

  // Each product's own rules; a refusal writes nothing.
  const std::string before = harness_.DumpEverything();
  const struct {
    std::string_view from;
    std::string_view to;
    std::string_view code;
  } refusals[] = {
      {"00300-30308-0--0", "00300-30399-0--0", "DMS.00400009"},  // not a product
      {"storage.high", "storage.high.v2", "DMS.00400062"},       // current storage class
      {R"("storage_space":600)", R"("storage_space":599)", "DMS.00400062"},  // below 600 GB
      {R"("storage_space":600)", R"("storage_space":90001)", "DMS.00400062"},
      {R"("partition_num":300)", R"("partition_num":300,"broker_num":4)", "DMS.00400062"},
  };
  for (const auto& refusal : refusals) {
    SCOPED_TRACE(refusal.to);
    std::string body = legacy_body;
    body.replace(body.find(refusal.from), refusal.from.size(), refusal.to);
    DmsAnswer refused = Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), body);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.error_code, refusal.code) << refused.raw_body;
  }
  // 600MB offers ultra I/O only.
  std::string high = deprecated;
  high.replace(high.find("storage.ultra"), 13, "storage.high");
  EXPECT_EQ(Call("POST", common::StrCat("/v2/", kProject, "/instances"), high).error_code,
            "DMS.00400062");
  // A current flavor still needs broker_num.
  std::string current = legacy_body;
  current.replace(current.find("00300-30308-0--0"), 16, "c6.2u4g.cluster");
  current.replace(current.find("storage.high"), 12, "storage.high.v2");
  EXPECT_EQ(Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), current).error_code,
            "DMS.00400062");
  // A vertical resize stays within the generation and must fit the brokers
  // and storage class: not to a c6 flavor, not to 600MB (4 brokers, ultra).
  const std::string extend =
      common::StrCat("/v2/", kProject, "/kafka/instances/", first_id, "/extend");
  for (std::string_view target : {"c6.4u8g.cluster", "00300-30312-0--0"}) {
    SCOPED_TRACE(target);
    EXPECT_EQ(Call("POST", extend,
                   common::StrCat(R"({"oper_type":"vertical","new_product_id":")", target, R"("})"))
                  .error_code,
              "DMS.00400062");
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
  ASSERT_EQ(Call("POST", extend, R"({"oper_type":"vertical","new_product_id":"00300-30310-0--0"})")
                .status,
            200);
  RunJobsAfter(absl::Seconds(600));
  shown = Call("GET", InstancePath(first_id));
  EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");
  EXPECT_EQ(shown.body.at("product_id").as_string(), "00300-30310-0--0");
  EXPECT_EQ(shown.body.at("specification").as_string(), "300MB");
  EXPECT_EQ(shown.body.at("partition_num").as_string(), "900");
}

TEST_F(DmsCatalogTest, CreatedInstanceAnswersEveryMemberTheProvidersRead) {
  // Terraform's flavor path with AZ ids; port_protocol and SASL switches.
  std::string body = CreateBody("members", "c6.2u4g.cluster", 3, "dms.physical.storage.ultra.v2",
                                R"(["bf84aba586ce4e948da0b97d9a7d62fb","eu-de-02","eu-de-03"])");
  body.pop_back();
  body += R"(,"ssl_enable":true,"kafka_security_protocol":"SASL_PLAINTEXT",)"
          R"("sasl_enabled_mechanisms":["SCRAM-SHA-512"],"access_user":"root",)"
          R"("retention_policy":"time_base","port_protocol":{"private_plain_enable":true,)"
          R"("private_sasl_plaintext_enable":true},"kafka_manager_user":"admin",)"
          R"("kafka_manager_password":"Secret#123","tags":[{"key":"env","value":"dev"}]})";
  DmsAnswer made = Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), body);
  ASSERT_EQ(made.status, 200) << made.raw_body;
  const std::string id(made.body.at("instance_id").as_string());
  RunJobsAfter(absl::Seconds(3));
  DmsAnswer shown = Call("GET", InstancePath(id));
  ASSERT_EQ(shown.status, 200);
  const boost::json::object& instance = shown.body.as_object();
  EXPECT_EQ(instance.at("status").as_string(), "RUNNING");
  EXPECT_EQ(boost::json::serialize(instance.at("available_zones")),
            R"(["bf84aba586ce4e948da0b97d9a7d62fb","bf84aba586ce4e948da0b97d9a7d62fc",)"
            R"("bf84aba586ce4e948da0b97d9a7d62fd"])");
  EXPECT_EQ(boost::json::serialize(instance.at("available_zone_names")),
            R"(["eu-de-01","eu-de-02","eu-de-03"])");
  EXPECT_EQ(instance.at("charging_mode").as_int64(), 1);
  EXPECT_EQ(instance.at("broker_num").as_int64(), 3);
  EXPECT_EQ(instance.at("node_num").as_int64(), 3);
  EXPECT_EQ(instance.at("total_storage_space").as_int64(), 900);
  EXPECT_EQ(instance.at("kafka_security_protocol").as_string(), "SASL_PLAINTEXT");
  EXPECT_EQ(boost::json::serialize(instance.at("sasl_enabled_mechanisms")), R"(["SCRAM-SHA-512"])");
  EXPECT_EQ(instance.at("access_user").as_string(), "root");
  EXPECT_EQ(instance.at("retention_policy").as_string(), "time_base");
  EXPECT_EQ(instance.at("user_name").as_string(), "demo");
  EXPECT_EQ(instance.at("tags").as_array().size(), 1u);
  EXPECT_FALSE(instance.contains("port_protocol"));
  EXPECT_FALSE(instance.contains("kafka_manager_password"));
  const boost::json::object& ports = instance.at("port_protocols").as_object();
  EXPECT_TRUE(ports.at("private_plain_enable").as_bool());
  EXPECT_EQ(ports.at("private_plain_address").as_string(),
            "192.168.0.11:9092,192.168.0.12:9092,192.168.0.13:9092");
  EXPECT_TRUE(ports.at("private_sasl_plaintext_enable").as_bool());
  EXPECT_FALSE(ports.at("private_sasl_ssl_enable").as_bool());
  EXPECT_FALSE(ports.at("public_plain_enable").as_bool());
  EXPECT_EQ(instance.at("management_connect_address").as_string(), "https://192.168.0.11:9999");
  // cross_vpc_info: a JSON document in a string, one listener per broker IP.
  boost::json::value cross_vpc = boost::json::parse(instance.at("cross_vpc_info").as_string());
  ASSERT_EQ(cross_vpc.as_object().size(), 3u);
  const boost::json::object& listener = cross_vpc.at("192.168.0.12").as_object();
  EXPECT_EQ(listener.at("advertised_ip").as_string(), "192.168.0.12");
  EXPECT_EQ(listener.at("port").as_int64(), 9011);
  EXPECT_EQ(listener.at("port_id").as_string().size(), 36u);
  // Reads repeat exactly (Terraform reads twice and compares).
  EXPECT_EQ(Call("GET", InstancePath(id)).raw_body, shown.raw_body);
}

TEST_F(DmsCatalogTest, SeededInstancesAnswerTheSameMembersAsCreatedOnes) {
  DmsAnswer shown = Call("GET", InstancePath(kInstance));
  ASSERT_EQ(shown.status, 200);
  const boost::json::object& instance = shown.body.as_object();
  EXPECT_EQ(boost::json::serialize(instance.at("available_zones")), R"(["bf84aba586ce4e948da0b97d9a7d62fb"])");
  EXPECT_EQ(boost::json::serialize(instance.at("available_zone_names")), R"(["eu-de-01"])");
  EXPECT_EQ(instance.at("product_id").as_string(), "c6.2u4g.cluster");
  EXPECT_EQ(instance.at("storage_space").as_int64(), 600);
  EXPECT_EQ(instance.at("charging_mode").as_int64(), 1);
  EXPECT_EQ(instance.at("user_id").as_string(), "u1");
  for (const char* member :
       {"cross_vpc_info", "port_protocols", "kafka_security_protocol", "sasl_enabled_mechanisms",
        "management_connect_address", "retention_policy", "tags", "connector_enable",
        "connector_node_num", "node_num", "storage_spec_code", "resource_spec_code",
        "access_user", "user_name"}) {
    EXPECT_TRUE(instance.contains(member)) << member;
  }
  EXPECT_FALSE(instance.at("cross_vpc_info").as_string().empty());
}

}  // namespace
}  // namespace connectplane::api::dms
