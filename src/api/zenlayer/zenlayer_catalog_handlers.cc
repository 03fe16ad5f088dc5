// ZenlayerApi handlers of the read-only lookups (available ports, usable
// VLANs, cloud regions) and the emulated traffic and price queries. Request
// members are those of the SDK models (GO sdn20230830, PY v20230830 and
// v20260401; docs/reference/zenlayer-sdn-api.md section 3.8); answers carry
// the models' member names and JSON types.
#include "api/zenlayer/zenlayer_api.h"
#include "api/zenlayer/zenlayer_json.h"
#include "api/zenlayer/zenlayer_requests.h"
#include "common/json_reader.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/time/time.h"
#include "boost/json.hpp"
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace connectplane::api::zenlayer {
namespace {

constexpr common::StringRules kFilter{.empty_is_absent = true};
constexpr common::StringRules kRequired{.empty_is_absent = true};
constexpr common::StringRules kIdList{.allow_empty = false};

// "YYYY-MM-DDThh:mm:ssZ" (the docs' Timestamp type); anything else is an invalid parameter.
absl::StatusOr<absl::Time> ParseTimestamp(const common::JsonReader& body, std::string_view key,
                                          const std::string& text) {
  absl::Time time;
  std::string error;
  if (text.size() != 20 || !absl::ParseTime("%Y-%m-%dT%H:%M:%SZ", text, &time, &error)) {
    return body.Error(common::JsonProblem::kWrongType, key,
                      "a UTC time in the format YYYY-MM-DDThh:mm:ssZ");
  }
  return time;
}

struct TrafficRequest {
  std::string id;
  absl::Time start;
  std::optional<absl::Time> end;
};

absl::StatusOr<TrafficRequest> ParseTraffic(const boost::json::object& body,
                                            std::string_view id_key, bool end_required) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({id_key, "startTime", "endTime"}));
  TrafficRequest request;
  ASSIGN_OR_RETURN(request.id, reader.RequiredString(id_key, kRequired));
  ASSIGN_OR_RETURN(std::string start, reader.RequiredString("startTime", kRequired));
  ASSIGN_OR_RETURN(request.start, ParseTimestamp(reader, "startTime", start));
  std::optional<std::string> end;
  if (end_required) {
    ASSIGN_OR_RETURN(end, reader.RequiredString("endTime", kRequired));
  } else {
    ASSIGN_OR_RETURN(end, reader.String("endTime", kFilter));
  }
  if (end) {
    ASSIGN_OR_RETURN(request.end, ParseTimestamp(reader, "endTime", *end));
  }
  return request;
}

boost::json::object RenderTraffic(const service::TrafficReport& report) {
  boost::json::array data_list;
  for (const service::TrafficPoint& point : report.points) {
    boost::json::object sample;
    sample["internetRX"] = point.in_bps;
    sample["internetTX"] = point.out_bps;
    sample["time"] = IsoSeconds(point.at_ms);
    data_list.push_back(std::move(sample));
  }
  boost::json::object response;
  response["dataList"] = std::move(data_list);
  // in95 is a Float in the models (GO *float64), every other figure an Integer.
  response["in95"] = static_cast<double>(report.in95);
  response["inAvg"] = report.in_avg;
  response["inMax"] = report.in_max;
  response["inMin"] = report.in_min;
  response["inTotal"] = report.in_total;
  response["out95"] = report.out95;
  response["outAvg"] = report.out_avg;
  response["outMax"] = report.out_max;
  response["outMin"] = report.out_min;
  response["unit"] = "bps";
  return response;
}

// Price: postpaid monthly (unitPrice, discountUnitPrice, chargeUnit MONTH)
// or one-time (originalPrice, discountPrice). No discounts are emulated.
boost::json::object RenderPrice(const service::PriceQuote& quote) {
  boost::json::object price;
  if (quote.one_time) {
    price["originalPrice"] = quote.amount;
    price["discountPrice"] = quote.amount;
  } else {
    price["unitPrice"] = quote.amount;
    price["discountUnitPrice"] = quote.amount;
    price["chargeUnit"] = "MONTH";
  }
  return price;
}

// DatacenterPortPrice / QueryDataCenterPortPrice members.
void AddPortQuote(boost::json::object& out, const service::PortPriceQuote& quote) {
  out["dcId"] = quote.dc_id;
  out["price"] = RenderPrice(quote.price);
  if (quote.cross_connect) {
    out["crossConnectPrice"] = RenderPrice(*quote.cross_connect);
  }
  if (quote.cross_connect_construction) {
    out["crossConnectOneTimeConstructionPrice"] = RenderPrice(*quote.cross_connect_construction);
  }
  out["stock"] = quote.stock;
}

// CloudRegion: cloudRegionId, dataCenter (seeded; {dcId} at least), products, haTypes if seeded.
boost::json::object RenderCloudRegion(const store::ZenlayerCloudRegion& region) {
  boost::json::object out;
  out["cloudRegionId"] = region.cloud_region_id;
  auto attributes = common::ParseJson(region.attributes_json);
  boost::json::object data_center;
  if (attributes.ok() && attributes->is_object()) {
    const boost::json::object& fields = attributes->as_object();
    if (const boost::json::value* seeded = fields.if_contains("dataCenter");
        seeded != nullptr && seeded->is_object()) {
      data_center = seeded->as_object();
    }
    if (const boost::json::value* ha_types = fields.if_contains("haTypes"); ha_types != nullptr) {
      out["haTypes"] = *ha_types;
    }
  }
  data_center["dcId"] = region.dc_id;
  out["dataCenter"] = std::move(data_center);
  auto products = common::ParseJson(region.products_json);
  if (products.ok()) {
    out["products"] = std::move(*products);
  } else {
    out["products"] = boost::json::array();
  }
  return out;
}

// {product?} for AWS and TENCENT; GOOGLE adds pairingKey (accepted, not checked).
absl::StatusOr<std::optional<std::string>> ParseRegionQuery(const boost::json::object& body,
                                                            bool with_pairing_key) {
  const common::JsonReader reader = BodyReader(body);
  if (with_pairing_key) {
    RETURN_IF_ERROR(reader.CheckKnown({"product", "pairingKey"}));
    RETURN_IF_ERROR(reader.String("pairingKey").status());
  } else {
    RETURN_IF_ERROR(reader.CheckKnown({"product"}));
  }
  return reader.String("product", kFilter);
}

}  // namespace

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribePrivateConnectAvailablePorts(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"portIds", "dcId", "pageNum", "pageSize"}));
  service::AvailablePortQuery query;
  ASSIGN_OR_RETURN(query.port_ids, reader.StringList("portIds", kIdList));
  ASSIGN_OR_RETURN(query.dc_id, reader.String("dcId", kFilter));
  ASSIGN_OR_RETURN(std::optional<int64_t> page_num, reader.Int("pageNum"));
  ASSIGN_OR_RETURN(std::optional<int64_t> page_size, reader.Int("pageSize"));
  query.page_num = page_num.value_or(1);
  query.page_size = page_size.value_or(service::kDefaultPageSize);
  ASSIGN_OR_RETURN(store::Page<store::ZenlayerPort> page,
                   catalog_.DescribePrivateConnectAvailablePorts(caller, query));
  boost::json::array data_set;
  for (const store::ZenlayerPort& port : page.items) {
    data_set.push_back(RenderPort(port, VersionOf(caller)));
  }
  boost::json::object response;
  response["totalCount"] = page.total;
  response["dataSet"] = std::move(data_set);
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribePortUsableVlan(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"portId", "dcId"}));
  ASSIGN_OR_RETURN(std::optional<std::string> port_id, reader.String("portId", kFilter));
  ASSIGN_OR_RETURN(std::optional<std::string> dc_id, reader.String("dcId", kFilter));
  ASSIGN_OR_RETURN(service::PortVlanUsage usage,
                   catalog_.DescribePortUsableVlan(caller, port_id, dc_id));
  boost::json::object response;
  response["start"] = usage.start;
  response["end"] = usage.end;
  boost::json::array in_use;
  for (int64_t vlan : usage.in_use) {
    in_use.push_back(vlan);
  }
  response["inuseVlanList"] = std::move(in_use);
  return response;
}

namespace {

absl::StatusOr<ZenlayerApi::ActionResult> RenderRegions(
    absl::StatusOr<std::vector<store::ZenlayerCloudRegion>> regions) {
  RETURN_IF_ERROR(regions.status());
  boost::json::array list;
  for (const store::ZenlayerCloudRegion& region : *regions) {
    list.push_back(RenderCloudRegion(region));
  }
  boost::json::object response;
  response["cloudRegions"] = std::move(list);
  return response;
}

}  // namespace

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribeAWSRegions(
    const boost::json::object& body, const service::Caller& /*caller*/) {
  ASSIGN_OR_RETURN(std::optional<std::string> product, ParseRegionQuery(body, false));
  return RenderRegions(catalog_.DescribeCloudRegions(service::kCloudTypeAws, product));
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribeGoogleRegions(
    const boost::json::object& body, const service::Caller& /*caller*/) {
  ASSIGN_OR_RETURN(std::optional<std::string> product, ParseRegionQuery(body, true));
  return RenderRegions(catalog_.DescribeCloudRegions(service::kCloudTypeGoogle, product));
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribeTencentRegions(
    const boost::json::object& body, const service::Caller& /*caller*/) {
  ASSIGN_OR_RETURN(std::optional<std::string> product, ParseRegionQuery(body, false));
  return RenderRegions(catalog_.DescribeCloudRegions(service::kCloudTypeTencent, product));
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribePrivateConnectTraffic(
    const boost::json::object& body, const service::Caller& caller) {
  // endTime is optional here (docs: "default: the current time").
  ASSIGN_OR_RETURN(TrafficRequest request, ParseTraffic(body, "privateConnectId", false));
  ASSIGN_OR_RETURN(
      service::TrafficReport report,
      usage_.DescribePrivateConnectTraffic(caller, request.id, request.start, request.end));
  return RenderTraffic(report);
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribePortTraffic(
    const boost::json::object& body, const service::Caller& caller) {
  // endTime is required here (docs describeporttraffic).
  ASSIGN_OR_RETURN(TrafficRequest request, ParseTraffic(body, "portId", true));
  ASSIGN_OR_RETURN(service::TrafficReport report,
                   usage_.DescribePortTraffic(caller, request.id, request.start, request.end));
  return RenderTraffic(report);
}

namespace {

struct QuotedEndpoint {
  std::string port_id;
  std::optional<std::string> dc_id;
};

// A CreateEndpointParam for a price inquiry: a PORT endpoint (portId
// required, dcId checked against it, vlanId and endpointName accepted and
// not needed); cloud members are refused as in CreatePrivateConnect.
absl::StatusOr<QuotedEndpoint> ParseQuotedEndpoint(const common::JsonReader& body,
                                                   std::string_view key) {
  ASSIGN_OR_RETURN(common::JsonReader endpoint, body.RequiredObject(key));
  RETURN_IF_ERROR(
      endpoint.CheckKnown({"subnetId", "portId", "vlanId", "cloudAccountId", "cloudRegionId",
                           "dcId", "cloudType", "endpointName", "haType", "cloudBandwidthMbps"}));
  RETURN_IF_ERROR(RefuseCloudEndpointMembers(
      endpoint, {"subnetId", "cloudAccountId", "cloudRegionId", "cloudType", "haType"}));
  RETURN_IF_ERROR(endpoint.Int("cloudBandwidthMbps").status());
  RETURN_IF_ERROR(endpoint.Int("vlanId").status());
  RETURN_IF_ERROR(endpoint.String("endpointName").status());
  QuotedEndpoint quoted;
  ASSIGN_OR_RETURN(std::optional<std::string> port_id, endpoint.String("portId", kFilter));
  if (!port_id) {
    return common::InvalidArgument(
        service::kReasonEndpointParameter,
        common::StrCat("`", endpoint.PathOf("portId"), "` is required for a PORT endpoint."));
  }
  quoted.port_id = std::move(*port_id);
  ASSIGN_OR_RETURN(quoted.dc_id, endpoint.String("dcId", kFilter));
  return quoted;
}

}  // namespace

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::InquiryCreatePrivateConnectPrice(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  // internetType and commitBandwidth: PY v20260401 only; accepted, not priced.
  RETURN_IF_ERROR(reader.CheckKnown(
      {"endpointA", "endpointZ", "bandwidthMbps", "internetType", "commitBandwidth"}));
  ASSIGN_OR_RETURN(QuotedEndpoint endpoint_a, ParseQuotedEndpoint(reader, "endpointA"));
  ASSIGN_OR_RETURN(QuotedEndpoint endpoint_z, ParseQuotedEndpoint(reader, "endpointZ"));
  ASSIGN_OR_RETURN(std::optional<int64_t> bandwidth, reader.Int("bandwidthMbps"));
  RETURN_IF_ERROR(reader.String("internetType").status());
  RETURN_IF_ERROR(reader.Int("commitBandwidth").status());
  ASSIGN_OR_RETURN(service::PriceQuote quote,
                   usage_.QuoteNewPrivateConnect(
                       caller, endpoint_a.port_id, endpoint_a.dc_id, endpoint_z.port_id,
                       endpoint_z.dc_id, bandwidth.value_or(service::kDefaultBandwidthMbps)));
  boost::json::object response;
  response["privateConnectPrice"] = RenderPrice(quote);
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::QueryPrivateConnectBandwidthPrice(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  // serviceLevel: PY v20260401 only. internetType and serviceLevel are accepted, not priced.
  RETURN_IF_ERROR(reader.CheckKnown(
      {"sourceDcId", "destinationDcId", "internetType", "bandwidthMbps", "serviceLevel"}));
  ASSIGN_OR_RETURN(std::string source, reader.RequiredString("sourceDcId", kRequired));
  ASSIGN_OR_RETURN(std::string destination, reader.RequiredString("destinationDcId", kRequired));
  ASSIGN_OR_RETURN(int64_t bandwidth, reader.RequiredInt("bandwidthMbps"));
  RETURN_IF_ERROR(reader.String("internetType").status());
  RETURN_IF_ERROR(reader.String("serviceLevel").status());
  ASSIGN_OR_RETURN(service::PriceQuote quote,
                   usage_.QuoteBandwidth(caller, source, destination, bandwidth));
  boost::json::object response;
  response["price"] = RenderPrice(quote);
  response["stock"] = service::kQuotedStock;
  return response;
}

namespace {

// PrivateConnectEndpointInfo of a price query: a data center (required), the
// type of a new port there (optional: priced only when given), whether to
// build an assisted cross connect; cloud members are refused as in
// CreatePrivateConnect; vlanId and bandwidthMbps are accepted, not priced.
struct PricedEndpoint {
  std::string dc_id;
  std::optional<std::string> port_type;
  bool assisted_cross_connect = false;
};

absl::StatusOr<PricedEndpoint> ParsePricedEndpoint(const common::JsonReader& body,
                                                   std::string_view key) {
  ASSIGN_OR_RETURN(common::JsonReader endpoint, body.RequiredObject(key));
  RETURN_IF_ERROR(endpoint.CheckKnown({"dcId", "portType", "buildCrossConnectWithAssisted",
                                       "cloudType", "vlanId", "cloudRegionId", "bandwidthMbps"}));
  RETURN_IF_ERROR(RefuseCloudEndpointMembers(endpoint, {"cloudType", "cloudRegionId"}));
  RETURN_IF_ERROR(endpoint.Int("vlanId").status());
  RETURN_IF_ERROR(endpoint.Int("bandwidthMbps").status());
  PricedEndpoint priced;
  ASSIGN_OR_RETURN(priced.dc_id, endpoint.RequiredString("dcId", kRequired));
  ASSIGN_OR_RETURN(priced.port_type, endpoint.String("portType", kFilter));
  ASSIGN_OR_RETURN(std::optional<bool> assisted, endpoint.Bool("buildCrossConnectWithAssisted"));
  priced.assisted_cross_connect = assisted.value_or(false);
  return priced;
}

}  // namespace

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::QueryPrivateConnectPrice(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"internetType", "bandwidthMbps", "endpointA", "endpointZ"}));
  ASSIGN_OR_RETURN(int64_t bandwidth, reader.RequiredInt("bandwidthMbps"));
  ASSIGN_OR_RETURN(PricedEndpoint endpoint_a, ParsePricedEndpoint(reader, "endpointA"));
  ASSIGN_OR_RETURN(PricedEndpoint endpoint_z, ParsePricedEndpoint(reader, "endpointZ"));
  RETURN_IF_ERROR(reader.String("internetType").status());
  ASSIGN_OR_RETURN(service::PriceQuote quote,
                   usage_.QuoteBandwidth(caller, endpoint_a.dc_id, endpoint_z.dc_id, bandwidth));
  boost::json::object response;
  response["price"] = RenderPrice(quote);
  response["stock"] = service::kQuotedStock;
  for (auto [endpoint, member] :
       {std::pair{&endpoint_a, "endpointAPrice"}, std::pair{&endpoint_z, "endpointZPrice"}}) {
    if (!endpoint->port_type) {
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<service::PortPriceQuote> ports,
                     usage_.QuotePorts(caller, {endpoint->dc_id}, *endpoint->port_type,
                                       endpoint->assisted_cross_connect));
    boost::json::object port_price;
    AddPortQuote(port_price, ports.front());
    port_price.erase("dcId");  // not a PrivateConnectEndpointPrice member
    response[member] = std::move(port_price);
  }
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::QueryDataCenterPortPrice(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"dcId", "portType", "buildCrossConnectWithAssisted"}));
  ASSIGN_OR_RETURN(std::string dc_id, reader.RequiredString("dcId", kRequired));
  ASSIGN_OR_RETURN(std::string port_type, reader.RequiredString("portType", kRequired));
  ASSIGN_OR_RETURN(std::optional<bool> assisted, reader.Bool("buildCrossConnectWithAssisted"));
  ASSIGN_OR_RETURN(std::vector<service::PortPriceQuote> quotes,
                   usage_.QuotePorts(caller, {dc_id}, port_type, assisted.value_or(false)));
  boost::json::object response;
  AddPortQuote(response, quotes.front());
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::QueryDataCenterPortPrices(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"dcIds", "portType", "buildCrossConnectWithAssisted"}));
  ASSIGN_OR_RETURN(std::vector<std::string> dc_ids, reader.StringList("dcIds", kIdList));
  if (dc_ids.empty()) {
    return reader.Error(common::JsonProblem::kMissing, "dcIds");
  }
  ASSIGN_OR_RETURN(std::string port_type, reader.RequiredString("portType", kRequired));
  ASSIGN_OR_RETURN(std::optional<bool> assisted, reader.Bool("buildCrossConnectWithAssisted"));
  ASSIGN_OR_RETURN(std::vector<service::PortPriceQuote> quotes,
                   usage_.QuotePorts(caller, dc_ids, port_type, assisted.value_or(false)));
  boost::json::array prices;
  for (const service::PortPriceQuote& quote : quotes) {
    boost::json::object entry;
    AddPortQuote(entry, quote);
    prices.push_back(std::move(entry));
  }
  boost::json::object response;
  response["prices"] = std::move(prices);
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribeDataCenterPortPrice(
    const boost::json::object& body, const service::Caller& caller) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"dcId"}));
  ASSIGN_OR_RETURN(std::string dc_id, reader.RequiredString("dcId", kRequired));
  ASSIGN_OR_RETURN(std::vector<service::PortPriceQuote> quotes,
                   usage_.DescribeDataCenterPortPrices(caller, dc_id));
  boost::json::array port_prices;
  for (const service::PortPriceQuote& quote : quotes) {
    boost::json::object entry;
    entry["dcId"] = quote.dc_id;
    entry["portType"] = quote.port_type;
    entry["portPrice"] = RenderPrice(quote.price);
    // Deprecated in GO's PortPrice but still read by older clients.
    entry["portMonthlyPrice"] = quote.price.amount;
    entry["portDailyPrice"] = std::round(quote.price.amount / 30.0 * 100.0) / 100.0;
    entry["stock"] = quote.stock;
    port_prices.push_back(std::move(entry));
  }
  boost::json::object response;
  response["portPriceSet"] = std::move(port_prices);
  return response;
}

}  // namespace connectplane::api::zenlayer
