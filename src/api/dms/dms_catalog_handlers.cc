// DmsApi handlers for what a region offers: availability zones and Kafka
// flavors (ListAvailableZones, ListEngineProducts; the legacy ListProducts of
// the first-generation products, under /v2 and /v1.0). The
// answers come from the service's KafkaCatalog, which instance create
// validates against. These paths carry no project id: any valid credential
// may read them.
#include "api/dms/dms_api.h"
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/kafka_catalog.h"

#include "boost/json.hpp"
#include <string>
#include <utility>

namespace connectplane::api::dms {
namespace {

// Regional endpoints are named <service>.<region>.<domain>
// (dms.eu-de.otc.t-systems.com): the second label picks the catalog region;
// any other Host (localhost) gets the catalog's first region.
std::string_view RegionHint(const common::HttpRequest& request) {
  std::optional<std::string_view> host = request.Header("Host");
  if (!host) return "";
  const size_t first_dot = host->find('.');
  if (first_dot == std::string_view::npos) return "";
  const std::string_view rest = host->substr(first_dot + 1);
  return rest.substr(0, rest.find('.'));
}

boost::json::array ZoneCodes(const service::AvailabilityZoneRegion& region, bool sold_out) {
  boost::json::array codes;
  for (const service::AvailabilityZone& zone : region.zones) {
    if (zone.sold_out == sold_out) codes.emplace_back(zone.code);
  }
  return codes;
}

boost::json::object RenderEngineProduct(const service::KafkaFlavor& flavor,
                                        const service::AvailabilityZoneRegion& region) {
  boost::json::array ios;
  for (std::string_view io_spec : service::kKafkaStorageSpecCodes) {
    boost::json::object io;
    io["io_spec"] = io_spec;
    io["type"] = "evs";
    io["available_zones"] = ZoneCodes(region, false);
    io["unavailable_zones"] = ZoneCodes(region, true);
    ios.push_back(std::move(io));
  }
  boost::json::object connector_properties;
  connector_properties["max_task"] = "10";
  connector_properties["max_node"] = "10";
  connector_properties["min_task"] = "1";
  connector_properties["min_node"] = "2";
  boost::json::object connector_feature;
  connector_feature["name"] = "connector_obs";
  connector_feature["properties"] = std::move(connector_properties);
  boost::json::object properties;
  properties["max_partition_per_broker"] = common::StrCat(flavor.max_partition_per_broker);
  properties["max_broker"] = common::StrCat(flavor.max_broker);
  properties["max_storage_per_node"] = common::StrCat(flavor.max_storage_per_node);
  properties["max_consumer_per_broker"] = common::StrCat(flavor.max_consumer_per_broker);
  properties["min_broker"] = common::StrCat(flavor.min_broker);
  properties["max_bandwidth_per_broker"] = common::StrCat(flavor.max_bandwidth_per_broker);
  properties["min_storage_per_node"] = common::StrCat(flavor.min_storage_per_node);
  properties["max_tps_per_broker"] = common::StrCat(flavor.max_tps_per_broker);
  properties["product_alias"] = flavor.product_alias;
  boost::json::object out;
  out["type"] = flavor.type;
  out["product_id"] = flavor.product_id;
  out["ecs_flavor_id"] = flavor.ecs_flavor_id;
  out["billing_code"] = "dms.platinum.c6";
  out["arch_types"] = boost::json::array{"X86"};
  out["charging_mode"] = boost::json::array{"monthly", "hourly"};
  out["ios"] = std::move(ios);
  boost::json::array features;
  features.push_back(std::move(connector_feature));
  out["support_features"] = std::move(features);
  out["properties"] = std::move(properties);
  return out;
}

// One first-generation product as a "detail" of the legacy ListProducts
// answer (golangsdk / gophertelekomcloud products.Detail member names; values
// are strings there), the numbers of the OTC API reference's example.
boost::json::object RenderLegacyDetail(const service::LegacyKafkaProduct& product,
                                       const service::KafkaFlavor& flavor,
                                       const service::AvailabilityZoneRegion& region) {
  boost::json::array ios;
  for (std::string_view io_spec : product.storage_spec_codes) {
    const bool ultra = io_spec.find("ultra") != std::string_view::npos;
    boost::json::object io;
    io["io_type"] = ultra ? "ultra" : "high";
    io["storage_spec_code"] = io_spec;
    io["available_zones"] = ZoneCodes(region, false);
    io["unavailable_zones"] = ZoneCodes(region, true);
    io["volume_type"] = ultra ? "SSD" : "SAS";
    ios.push_back(std::move(io));
  }
  boost::json::object detail;
  detail["storage"] = common::StrCat(product.min_storage_space);
  detail["product_id"] = product.product_id;
  detail["spec_code"] = flavor.resource_spec_code;
  detail["vm_specification"] = flavor.ecs_flavor_id;
  detail["partition_num"] =
      common::StrCat(int64_t{flavor.max_partition_per_broker} * flavor.min_broker);
  detail["bandwidth"] = product.bandwidth;
  detail["tps"] = common::StrCat(product.tps);
  detail["io"] = std::move(ios);
  detail["available_zones"] = ZoneCodes(region, false);
  detail["unavailable_zones"] = ZoneCodes(region, true);
  detail["ecs_flavor_id"] = flavor.ecs_flavor_id;
  detail["arch_type"] = "X86";
  return detail;
}

boost::json::array EngineVersions() {
  boost::json::array versions;
  for (std::string_view version : service::kKafkaEngineVersions) versions.emplace_back(version);
  return versions;
}

}  // namespace

absl::StatusOr<stages::Reply> DmsApi::ListAvailableZones(const Call& call) {
  const service::AvailabilityZoneRegion& region =
      kafka_.Catalog().Region(RegionHint(call.request));
  boost::json::array zones;
  for (const service::AvailabilityZone& zone : region.zones) {
    boost::json::object out;
    out["id"] = zone.id;
    out["code"] = zone.code;
    out["name"] = zone.name;
    out["port"] = zone.port;
    out["resource_availability"] = zone.sold_out ? "false" : "true";
    out["soldOut"] = zone.sold_out;
    out["default_az"] = zone.default_az;
    out["remain_time"] = 0;
    out["ipv6_enable"] = zone.ipv6_enable;
    zones.push_back(std::move(out));
  }
  boost::json::object body;
  body["region_id"] = region.region_id;
  body["available_zones"] = std::move(zones);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ListEngineProducts(const Call& call) {
  ASSIGN_OR_RETURN(ProductsQuery query, ParseProductsQuery(call.request.RawQuery()));
  const service::AvailabilityZoneRegion& region =
      kafka_.Catalog().Region(RegionHint(call.request));
  boost::json::array products;
  for (const service::KafkaFlavor& flavor : service::KafkaCatalog::Flavors()) {
    if (query.product_id && *query.product_id != flavor.product_id) continue;
    products.push_back(RenderEngineProduct(flavor, region));
  }
  boost::json::object body;
  body["engine"] = "kafka";
  body["versions"] = EngineVersions();
  body["products"] = std::move(products);
  return OkJson(body);
}

absl::StatusOr<stages::Reply> DmsApi::ListProducts(const Call& call) {
  RETURN_IF_ERROR(ParseProductsQuery(call.request.RawQuery()).status());
  const service::AvailabilityZoneRegion& region =
      kafka_.Catalog().Region(RegionHint(call.request));
  // The first-generation products with their dot-less ids, which is what
  // this list names (the current flavors are ListEngineProducts'): one entry
  // per engine version, cluster products only, the same for pay-per-use
  // (Hourly) and yearly/monthly (Monthly).
  boost::json::array details;
  for (const service::LegacyKafkaProduct& product : service::KafkaCatalog::LegacyProducts()) {
    const service::KafkaFlavor* flavor = service::KafkaCatalog::FindFlavor(product.product_id);
    if (flavor != nullptr) details.push_back(RenderLegacyDetail(product, *flavor, region));
  }
  boost::json::array by_version;
  for (std::string_view version : service::kKafkaEngineVersions) {
    boost::json::object value;
    value["name"] = "cluster";
    value["detail"] = details;
    value["available_zones"] = ZoneCodes(region, false);
    value["unavailable_zones"] = ZoneCodes(region, true);
    boost::json::object entry;
    entry["name"] = "kafka";
    entry["version"] = version;
    entry["values"] = boost::json::array{std::move(value)};
    by_version.push_back(std::move(entry));
  }
  boost::json::object body;
  body["Hourly"] = by_version;
  body["Monthly"] = std::move(by_version);
  return OkJson(body);
}

}  // namespace connectplane::api::dms
