#include "service/seed.h"

#include "auth/digest.h"
#include "common/json_reader.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/iam_seed.h"
#include "service/internal/kafka_instance_members.h"
#include "service/job_types.h"
#include "service/kafka_catalog.h"
#include "service/kafka_service.h"
#include "service/port_service.h"
#include "service/private_connect_service.h"
#include "service/resource_tags.h"
#include "service/sdn_catalog_service.h"
#include "service/seed_runtime.h"

#include "boost/json.hpp"
#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace connectplane::service {
namespace {

constexpr std::string_view kReasonInvalidSeed = "INVALID_SEED";

absl::Status SeedError(std::string_view path, std::string_view problem) {
  return common::InvalidArgument(kReasonInvalidSeed, common::StrCat("seed ", path, ": ", problem));
}

// "seed <object>: '<key>' ..." for every member problem of a seed document.
absl::Status SeedFieldError(const common::JsonFieldError& error) {
  const std::string_view object = error.object_path.empty() ? "document" : error.object_path;
  switch (error.problem) {
    case common::JsonProblem::kUnknownKey:
      return SeedError(object,
                       common::StrCat("unknown key '", common::QuoteUntrusted(error.key), "'"));
    case common::JsonProblem::kMissing:
      return SeedError(object, common::StrCat("'", error.key, "' is required (", error.expected,
                                              ", not empty)"));
    case common::JsonProblem::kWrongType:
    case common::JsonProblem::kOutOfRange:
    case common::JsonProblem::kNotAllowed:
    case common::JsonProblem::kTooLong:
      return SeedError(object, common::StrCat("'", error.key, "' must be ", error.expected));
  }
  return SeedError(object, "invalid");
}

// The typed columns of a seeded Kafka instance share one message, which names
// every type rule at once.
absl::Status InstanceColumnError(const common::JsonFieldError& error) {
  if (error.problem != common::JsonProblem::kWrongType) {
    return SeedFieldError(error);
  }
  return SeedError(error.object_path,
                   "'status', 'specification', 'connector_id', 'product_id', 'engine_version', "
                   "'storage_spec_code' must be strings, 'connector_enable' a boolean, "
                   "'connector_node_num', 'broker_num', 'storage_space' integers, "
                   "'available_zones' a list of strings");
}

// `object` without the members named `columns`, the others in their order
// (boost::json::object::erase moves the last member into the gap, and the
// order is what ShowInstance shows and an export writes back).
boost::json::object WithoutMembers(const boost::json::object& object,
                                   std::initializer_list<std::string_view> columns) {
  boost::json::object kept;
  for (const auto& member : object) {
    const std::string_view key(member.key().data(), member.key().size());
    if (std::find(columns.begin(), columns.end(), key) == columns.end()) {
      kept[key] = member.value();
    }
  }
  return kept;
}

// Identifiers and names: present, strings, not empty.
constexpr common::StringRules kRequired{.empty_is_absent = true};

absl::StatusOr<store::HuaweiCredential> ParseCredential(const common::JsonReader& object) {
  RETURN_IF_ERROR(
      object.CheckKnown({"access_key", "secret_key", "project_id", "user_name", "user_id"}));
  store::HuaweiCredential credential;
  ASSIGN_OR_RETURN(credential.access_key, object.RequiredString("access_key", kRequired));
  // Absent: keep the stored secret (an export without secrets); checked when applied.
  if (object.Has("secret_key")) {
    ASSIGN_OR_RETURN(credential.secret_key, object.RequiredString("secret_key", kRequired));
  }
  ASSIGN_OR_RETURN(credential.project_id, object.RequiredString("project_id", kRequired));
  ASSIGN_OR_RETURN(std::optional<std::string> user_name, object.String("user_name"));
  ASSIGN_OR_RETURN(std::optional<std::string> user_id, object.String("user_id"));
  credential.user_name = user_name.value_or(credential.access_key);
  credential.user_id = user_id.value_or(credential.access_key);
  return credential;
}

// Columns of a Kafka instance; every other member is kept as a ShowInstance
// attribute, as given, and the members a created instance derives from its
// flavor are filled in where the seed leaves them out. `user` names the
// project's first credential (its user owns the instance), if any.
absl::StatusOr<store::KafkaInstance> ParseInstance(const common::JsonReader& object, int64_t now_ms,
                                                   const KafkaCatalog& catalog,
                                                   const store::HuaweiCredential* user) {
  store::KafkaInstance instance;
  ASSIGN_OR_RETURN(instance.project_id, object.RequiredString("project_id", kRequired));
  ASSIGN_OR_RETURN(instance.instance_id, object.RequiredString("instance_id", kRequired));
  ASSIGN_OR_RETURN(instance.name, object.RequiredString("name", kRequired));
  if (!KafkaService::IsWellFormedId(instance.instance_id)) {
    return SeedError(object.path(), "'instance_id' must be a UUID (DMS rejects other ids)");
  }
  const common::JsonReader columns(object.object(), object.path(), &InstanceColumnError);
  ASSIGN_OR_RETURN(std::optional<std::string> status, columns.String("status"));
  ASSIGN_OR_RETURN(std::optional<std::string> specification, columns.String("specification"));
  ASSIGN_OR_RETURN(std::optional<bool> connector_enable, columns.Bool("connector_enable"));
  ASSIGN_OR_RETURN(std::optional<std::string> connector_id, columns.String("connector_id"));
  ASSIGN_OR_RETURN(std::optional<int64_t> connector_node_num,
                   columns.Int("connector_node_num", kMinConnectorNodes, kMaxConnectorNodes));
  instance.status = status.value_or(std::string(kStatusRunning));
  instance.specification = specification.value_or("100MB");
  instance.connector_enabled = connector_enable.value_or(false);
  // A disabled connector keeps what the seed gives (an export of an instance
  // whose connector is being deleted still shows its id).
  instance.connector_id = connector_id.value_or("");
  instance.connector_node_num = static_cast<int32_t>(connector_node_num.value_or(0));
  if (instance.connector_enabled) {
    if (!connector_id) {
      return SeedError(object.path(), "'connector_id' is required when 'connector_enable' is true");
    }
    instance.connector_node_num =
        static_cast<int32_t>(connector_node_num.value_or(kDefaultConnectorNodes));
  }
  // Flavor, sizing and AZs: defaults are a small c6.2u4g cluster in the
  // region's first zone that is not sold out.
  ASSIGN_OR_RETURN(std::optional<std::string> product_id, columns.String("product_id"));
  ASSIGN_OR_RETURN(std::optional<std::string> engine_version, columns.String("engine_version"));
  ASSIGN_OR_RETURN(std::optional<int64_t> broker_num, columns.Int("broker_num", 1, 50));
  ASSIGN_OR_RETURN(std::optional<int64_t> storage_space, columns.Int("storage_space", 0));
  ASSIGN_OR_RETURN(std::optional<std::string> storage_spec_code,
                   columns.String("storage_spec_code"));
  std::vector<std::string> zones;
  if (columns.Has("available_zones")) {
    ASSIGN_OR_RETURN(zones, columns.StringList("available_zones"));
  } else {
    for (const AvailabilityZone& zone : catalog.Region().zones) {
      if (!zone.sold_out) {
        zones.push_back(zone.id);
        break;
      }
    }
  }
  instance.product_id = product_id.value_or("c6.2u4g.cluster");
  const KafkaFlavor* flavor = KafkaCatalog::FindFlavor(instance.product_id);
  if (flavor == nullptr) {
    return SeedError(object.path(), "'product_id' is not a Kafka flavor (GET /v2/kafka/products)");
  }
  instance.engine_version = engine_version.value_or("2.7");
  instance.broker_num = static_cast<int32_t>(broker_num.value_or(flavor->min_broker));
  if (instance.broker_num < flavor->min_broker || instance.broker_num > flavor->max_broker) {
    return SeedError(object.path(),
                     common::StrCat("'broker_num' must be between ", flavor->min_broker, " and ",
                                    flavor->max_broker, " for ", flavor->product_id));
  }
  instance.storage_space = storage_space.value_or(600);
  instance.storage_spec_code = storage_spec_code.value_or("dms.physical.storage.ultra.v2");
  auto zone_ids = internal::ResolveZoneIds(zones, catalog);
  if (!zone_ids.ok()) {
    return SeedError(object.path(), std::string(zone_ids.status().message()));
  }
  boost::json::array zone_array;
  for (const std::string& zone_id : *zone_ids) zone_array.emplace_back(zone_id);
  instance.available_zones_json = common::ToJson(zone_array);

  ASSIGN_OR_RETURN(std::optional<int64_t> created_at_ms,
                   object.Int("created_at_ms", 0, store::kNeverDue));
  boost::json::object attributes = WithoutMembers(
      object.object(),
      {"project_id", "instance_id", "name", "status", "specification", "connector_enable",
       "connector_id", "connector_node_num", "product_id", "engine_version", "broker_num",
       "storage_space", "storage_spec_code", "available_zones", "created_at_ms"});
  if (user != nullptr) {
    if (!attributes.contains("user_id")) attributes["user_id"] = user->user_id;
    if (!attributes.contains("user_name")) attributes["user_name"] = user->user_name;
  }
  RETURN_IF_ERROR(internal::FillDerivedInstanceMembers(attributes, instance, *flavor, catalog));
  instance.attributes_json = common::ToJson(attributes);
  instance.created_at_ms = created_at_ms.value_or(now_ms);
  instance.updated_at_ms = now_ms;
  return instance;
}

// ---------------------------------------------------------------------------
// The top-level "zenlayer" section.
//   credentials: [{access_key_id, access_key_password, account_id? (default: access_key_id)}]
//   tokens: [{token, account_id}]   (bearer tokens; only their SHA-256 is stored)
//   datacenters: [{dcId, dcName, cityName, countryName, areaName, dcAddress?,
//            isPortAvailable? (default true), latitude?, longitude?, availableBandwidth?}]
//            (the catalog; a port whose dcId is listed shows the catalog's dataCenter)
//   ports: [{account_id, portId, portName, dataCenter: {dcId, ...} or dcId, portStatus?
//            (default RUNNING), portType?, portRemarks?, tags? [{key, value}], ... other
//            PortInfo fields}]
//   private_connects: [{account_id, privateConnectId, privateConnectName?, bandwidthMbps?,
//            privateConnectStatus? (RUNNING | RECYCLED), tags? [{key, value}],
//            endpointA/endpointZ: {portId, vlanId, endpointName?}}]
//            (endpoints must name ports of the same seed and account)
//   cloud_regions: [{cloudType (AWS | GOOGLE | TENCENT), cloudRegionId, dataCenter: {dcId, ...},
//            products? (default both), haTypes?: [{haType, isUsed}]}]   (shared by every account)
// ---------------------------------------------------------------------------

struct ZenlayerSeed {
  std::vector<store::ZenlayerCredential> credentials;
  std::vector<store::ZenlayerDatacenter> datacenters;
  std::vector<store::ZenlayerToken> tokens;
  std::vector<store::ZenlayerPort> ports;
  std::vector<store::PrivateConnect> private_connects;
  std::vector<store::ZenlayerCloudRegion> cloud_regions;
  // access_key_id -> path of its (last) entry, for a credential without its password.
  std::map<std::string, std::string> credential_paths;
  // (account, private connect id, path) of the connects in a transitional
  // status: each needs a job of "jobs_in_flight".
  std::vector<std::tuple<std::string, std::string, std::string>> transitional_connects;
};

absl::StatusOr<store::ZenlayerCredential> ParseZenlayerCredential(
    const common::JsonReader& object) {
  RETURN_IF_ERROR(object.CheckKnown({"access_key_id", "access_key_password", "account_id"}));
  store::ZenlayerCredential credential;
  ASSIGN_OR_RETURN(credential.access_key_id, object.RequiredString("access_key_id", kRequired));
  // Absent: keep the stored password (an export without secrets); checked when applied.
  if (object.Has("access_key_password")) {
    ASSIGN_OR_RETURN(credential.access_key_password,
                     object.RequiredString("access_key_password", kRequired));
  }
  credential.account_id = credential.access_key_id;
  if (object.Has("account_id")) {
    ASSIGN_OR_RETURN(credential.account_id, object.RequiredString("account_id", kRequired));
  }
  return credential;
}

// "tags": [{"key", "value"}] of a seeded port or private connect, as stored.
absl::StatusOr<std::string> ParseSeedTags(const common::JsonReader& object) {
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> entries, object.ObjectList("tags"));
  std::vector<ResourceTag> tags;
  for (const common::JsonReader& entry : entries) {
    RETURN_IF_ERROR(entry.CheckKnown({"key", "value"}));
    ResourceTag tag;
    ASSIGN_OR_RETURN(tag.key, entry.RequiredString("key", kRequired));
    ASSIGN_OR_RETURN(std::optional<std::string> value, entry.String("value"));
    tag.value = value.value_or("");
    tags.push_back(std::move(tag));
  }
  if (absl::Status valid = ValidateResourceTags(tags); !valid.ok()) {
    return SeedError(object.PathOf("tags"), common::ToStd(valid.message()));
  }
  return ResourceTagsToJson(tags);
}

// A token is what follows "Bearer " in the Authorization header: printable
// ASCII without spaces (the SDKs strip surrounding whitespace).
absl::StatusOr<store::ZenlayerToken> ParseZenlayerToken(const common::JsonReader& object) {
  RETURN_IF_ERROR(object.CheckKnown({"token", "token_sha256", "account_id"}));
  if (object.Has("token") == object.Has("token_sha256")) {
    return SeedError(object.path(), "exactly one of 'token' and 'token_sha256' is required");
  }
  store::ZenlayerToken stored;
  if (object.Has("token_sha256")) {
    // What an export with secrets carries: the stored hash, not the token.
    ASSIGN_OR_RETURN(stored.token_sha256, object.RequiredString("token_sha256", kRequired));
    if (stored.token_sha256.size() != 64 ||
        stored.token_sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return SeedError(object.path(), "'token_sha256' must be 64 lower-case hex digits");
    }
  } else {
    ASSIGN_OR_RETURN(std::string token, object.RequiredString("token", kRequired));
    for (char c : token) {
      if (c <= ' ' || c > '~') {
        return SeedError(object.path(), "'token' must be printable ASCII without spaces");
      }
    }
    stored.token_sha256 = auth::Sha256Hex(token);
  }
  ASSIGN_OR_RETURN(stored.account_id, object.RequiredString("account_id", kRequired));
  return stored;
}

absl::StatusOr<store::ZenlayerPort> ParseZenlayerPort(const common::JsonReader& object,
                                                      int64_t now_ms) {
  RETURN_IF_ERROR(object.CheckKnown({"account_id",     "portId",         "portName",
                                     "portRemarks",    "portType",       "connectionStatus",
                                     "portStatus",     "dataCenter",     "dcId",
                                     "dcName",         "cityName",       "areaName",
                                     "loaStatus",      "loaDownloadUrl", "businessEntityName",
                                     "createdTime",    "expiredTime",    "portChargeType",
                                     "period",         "tags",           "created_at_ms",
                                     "recycled_at_ms", "expired_at_ms"}));
  store::ZenlayerPort port;
  ASSIGN_OR_RETURN(port.account_id, object.RequiredString("account_id", kRequired));
  ASSIGN_OR_RETURN(port.port_id, object.RequiredString("portId", kRequired));
  ASSIGN_OR_RETURN(port.port_name, object.RequiredString("portName", kRequired));
  port.port_status = std::string(kPortRunning);
  if (object.Has("portStatus")) {
    ASSIGN_OR_RETURN(port.port_status, object.RequiredString("portStatus", kRequired));
  }
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> data_center, object.Object("dataCenter"));
  if (data_center) {
    RETURN_IF_ERROR(
        data_center->CheckKnown({"dcId", "dcName", "dcAddress", "cityName", "countryName",
                                 "areaName", "longitude", "latitude", "availableBandwidth"}));
    ASSIGN_OR_RETURN(port.dc_id, data_center->RequiredString("dcId", kRequired));
  }
  if (object.Has("dcId")) {
    ASSIGN_OR_RETURN(std::string dc_id, object.RequiredString("dcId", kRequired));
    if (!port.dc_id.empty() && dc_id != port.dc_id) {
      return SeedError(object.path(), "'dcId' and 'dataCenter.dcId' differ");
    }
    port.dc_id = dc_id;
  }
  if (port.dc_id.empty()) {
    return SeedError(object.path(), "'dataCenter.dcId' (or 'dcId') is required");
  }
  ASSIGN_OR_RETURN(port.tags_json, ParseSeedTags(object));
  ASSIGN_OR_RETURN(std::optional<int64_t> created_at_ms,
                   object.Int("created_at_ms", 0, store::kNeverDue));
  ASSIGN_OR_RETURN(std::optional<int64_t> recycled_at_ms,
                   object.Int("recycled_at_ms", 0, store::kNeverDue));
  ASSIGN_OR_RETURN(std::optional<int64_t> expired_at_ms,
                   object.Int("expired_at_ms", 0, store::kNeverDue));
  boost::json::object attributes =
      WithoutMembers(object.object(), {"account_id", "portId", "portName", "portStatus", "dcId",
                                       "tags", "created_at_ms", "recycled_at_ms", "expired_at_ms"});
  port.attributes_json = common::ToJson(attributes);
  port.created_at_ms = created_at_ms.value_or(now_ms);
  port.updated_at_ms = now_ms;
  port.recycled_at_ms = recycled_at_ms.value_or(0);
  port.expired_at_ms = expired_at_ms.value_or(0);
  return port;
}

absl::StatusOr<store::ZenlayerDatacenter> ParseZenlayerDatacenter(
    const common::JsonReader& object) {
  RETURN_IF_ERROR(
      object.CheckKnown({"dcId", "dcName", "dcAddress", "cityName", "countryName", "areaName",
                         "isPortAvailable", "latitude", "longitude", "availableBandwidth"}));
  store::ZenlayerDatacenter datacenter;
  ASSIGN_OR_RETURN(datacenter.dc_id, object.RequiredString("dcId", kRequired));
  ASSIGN_OR_RETURN(datacenter.dc_name, object.RequiredString("dcName", kRequired));
  ASSIGN_OR_RETURN(datacenter.city_name, object.RequiredString("cityName", kRequired));
  ASSIGN_OR_RETURN(datacenter.country_name, object.RequiredString("countryName", kRequired));
  ASSIGN_OR_RETURN(datacenter.area_name, object.RequiredString("areaName", kRequired));
  ASSIGN_OR_RETURN(std::optional<std::string> address, object.String("dcAddress"));
  datacenter.dc_address = address.value_or("");
  ASSIGN_OR_RETURN(std::optional<bool> port_available, object.Bool("isPortAvailable"));
  datacenter.port_available = port_available.value_or(true);
  boost::json::object attributes;
  ASSIGN_OR_RETURN(std::optional<double> latitude, object.Number("latitude", -90, 90));
  ASSIGN_OR_RETURN(std::optional<double> longitude, object.Number("longitude", -180, 180));
  ASSIGN_OR_RETURN(std::optional<int64_t> bandwidth, object.Int("availableBandwidth"));
  if (latitude) {
    attributes["latitude"] = *latitude;
  }
  if (longitude) {
    attributes["longitude"] = *longitude;
  }
  if (bandwidth) {
    attributes["availableBandwidth"] = *bandwidth;
  }
  datacenter.attributes_json = common::ToJson(attributes);
  return datacenter;
}

// A seeded port in a catalog data center shows the catalog's DatacenterInfo
// (one source for every port there); other ports keep what they declare.
void UseCatalogDataCenter(store::ZenlayerPort& port,
                          const std::vector<store::ZenlayerDatacenter>& catalog) {
  for (const store::ZenlayerDatacenter& datacenter : catalog) {
    if (datacenter.dc_id != port.dc_id) {
      continue;
    }
    absl::StatusOr<boost::json::object> attributes =
        common::ParseJsonObject(port.attributes_json);  // written by ParseZenlayerPort
    if (attributes.ok()) {
      (*attributes)["dataCenter"] = DatacenterInfoOf(datacenter);
      port.attributes_json = common::ToJson(*attributes);
    }
    return;
  }
}

// Ports a seed declares: (account, port id) -> port name.
using SeededPorts = std::map<std::pair<std::string, std::string>, std::string>;

absl::StatusOr<store::PrivateConnectEndpoint> ParseZenlayerEndpoint(
    const common::JsonReader& connect, std::string_view key, const SeededPorts& ports,
    const std::string& account) {
  ASSIGN_OR_RETURN(common::JsonReader object, connect.RequiredObject(key));
  RETURN_IF_ERROR(object.CheckKnown({"portId", "vlanId", "endpointName"}));
  store::PrivateConnectEndpoint endpoint;
  ASSIGN_OR_RETURN(endpoint.port_id, object.RequiredString("portId", kRequired));
  auto port = ports.find({account, endpoint.port_id});
  if (port == ports.end()) {
    return SeedError(object.path(), "'portId' must name a port of the same account in this seed");
  }
  ASSIGN_OR_RETURN(endpoint.vlan_id, object.RequiredInt("vlanId", kMinVlanId, kMaxVlanId));
  endpoint.endpoint_id = endpoint.port_id;  // PORT endpoints report the port id
  endpoint.endpoint_name = port->second;
  if (object.Has("endpointName")) {
    ASSIGN_OR_RETURN(endpoint.endpoint_name, object.RequiredString("endpointName", kRequired));
  }
  return endpoint;
}

// A cloud access point: columns, plus dataCenter and haTypes kept as given.
absl::StatusOr<store::ZenlayerCloudRegion> ParseZenlayerCloudRegion(
    const common::JsonReader& object) {
  RETURN_IF_ERROR(
      object.CheckKnown({"cloudType", "cloudRegionId", "dataCenter", "products", "haTypes"}));
  store::ZenlayerCloudRegion region;
  ASSIGN_OR_RETURN(
      std::optional<std::string> cloud_type,
      object.Enum("cloudType", {kCloudTypeAws, kCloudTypeGoogle, kCloudTypeTencent}, kRequired));
  if (!cloud_type) {
    return object.Error(common::JsonProblem::kMissing, "cloudType", "AWS, GOOGLE or TENCENT");
  }
  region.cloud_type = std::move(*cloud_type);
  ASSIGN_OR_RETURN(region.cloud_region_id, object.RequiredString("cloudRegionId", kRequired));
  ASSIGN_OR_RETURN(common::JsonReader data_center, object.RequiredObject("dataCenter"));
  RETURN_IF_ERROR(
      data_center.CheckKnown({"dcId", "dcName", "dcAddress", "cityName", "countryName", "areaName",
                              "longitude", "latitude", "availableBandwidth"}));
  ASSIGN_OR_RETURN(region.dc_id, data_center.RequiredString("dcId", kRequired));
  ASSIGN_OR_RETURN(std::vector<std::string> products, object.StringList("products"));
  boost::json::array product_list;
  for (const std::string& product : products) {
    if (std::find(kCloudProducts.begin(), kCloudProducts.end(), product) == kCloudProducts.end()) {
      return object.Error(common::JsonProblem::kNotAllowed, "products",
                          "a list of PrivateConnect, CloudRouter");
    }
    product_list.emplace_back(product);
  }
  if (!object.Has("products")) {
    for (std::string_view product : kCloudProducts) {
      product_list.emplace_back(product);
    }
  }
  region.products_json = boost::json::serialize(product_list);
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> ha_types, object.ObjectList("haTypes"));
  for (const common::JsonReader& ha_type : ha_types) {
    RETURN_IF_ERROR(ha_type.CheckKnown({"haType", "isUsed"}));
    RETURN_IF_ERROR(ha_type.RequiredString("haType", kRequired).status());
    RETURN_IF_ERROR(ha_type.Bool("isUsed").status());
  }
  boost::json::object attributes =
      WithoutMembers(object.object(), {"cloudType", "cloudRegionId", "products"});
  region.attributes_json = common::ToJson(attributes);
  return region;
}

absl::StatusOr<ZenlayerSeed> ParseZenlayerSection(const common::JsonReader& section,
                                                  int64_t now_ms) {
  RETURN_IF_ERROR(section.CheckKnown(
      {"credentials", "tokens", "datacenters", "ports", "private_connects", "cloud_regions"}));
  ZenlayerSeed seed;
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> credentials, section.ObjectList("credentials"));
  for (const common::JsonReader& object : credentials) {
    ASSIGN_OR_RETURN(store::ZenlayerCredential credential, ParseZenlayerCredential(object));
    seed.credential_paths[credential.access_key_id] = object.path();
    seed.credentials.push_back(std::move(credential));
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> datacenters, section.ObjectList("datacenters"));
  std::set<std::string> seen_datacenters;
  for (const common::JsonReader& object : datacenters) {
    ASSIGN_OR_RETURN(store::ZenlayerDatacenter datacenter, ParseZenlayerDatacenter(object));
    if (!seen_datacenters.insert(datacenter.dc_id).second) {
      return SeedError(object.path(), "duplicate dcId");
    }
    seed.datacenters.push_back(std::move(datacenter));
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> tokens, section.ObjectList("tokens"));
  for (const common::JsonReader& object : tokens) {
    ASSIGN_OR_RETURN(store::ZenlayerToken token, ParseZenlayerToken(object));
    seed.tokens.push_back(std::move(token));
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> ports, section.ObjectList("ports"));
  SeededPorts seeded_ports;
  for (const common::JsonReader& object : ports) {
    ASSIGN_OR_RETURN(store::ZenlayerPort port, ParseZenlayerPort(object, now_ms));
    UseCatalogDataCenter(port, seed.datacenters);
    if (!seeded_ports.emplace(std::pair{port.account_id, port.port_id}, port.port_name).second) {
      return SeedError(object.path(), "duplicate portId");
    }
    seed.ports.push_back(std::move(port));
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> connects,
                   section.ObjectList("private_connects"));
  std::set<std::pair<std::string, std::string>> seen_connects;
  std::set<std::tuple<std::string, std::string, int64_t>> used_vlans;
  for (const common::JsonReader& object : connects) {
    RETURN_IF_ERROR(object.CheckKnown({"account_id", "privateConnectId", "privateConnectName",
                                       "bandwidthMbps", "privateConnectStatus", "endpointA",
                                       "endpointZ", "tags", "created_at_ms", "recycled_at_ms"}));
    store::PrivateConnect connect;
    ASSIGN_OR_RETURN(connect.account_id, object.RequiredString("account_id", kRequired));
    ASSIGN_OR_RETURN(connect.private_connect_id,
                     object.RequiredString("privateConnectId", kRequired));
    if (!seen_connects.insert({connect.account_id, connect.private_connect_id}).second) {
      return SeedError(object.path(), "duplicate privateConnectId");
    }
    connect.name = connect.private_connect_id;
    if (object.Has("privateConnectName")) {
      ASSIGN_OR_RETURN(connect.name, object.RequiredString("privateConnectName", kRequired));
    }
    // A transitional status needs its job in "jobs_in_flight" (checked by ApplySeed).
    ASSIGN_OR_RETURN(
        std::optional<std::string> status,
        object.Enum("privateConnectStatus",
                    {kPrivateConnectRunning, kPrivateConnectRecycled, kPrivateConnectCreating,
                     kPrivateConnectUpdating, kPrivateConnectDeleting, kPrivateConnectRecovering,
                     kPrivateConnectDestroying}));
    connect.status = status.value_or(std::string(kPrivateConnectRunning));
    ASSIGN_OR_RETURN(std::optional<int64_t> bandwidth,
                     object.Int("bandwidthMbps", kMinBandwidthMbps, kMaxBandwidthMbps));
    connect.bandwidth_mbps = bandwidth.value_or(kDefaultBandwidthMbps);
    for (auto [key, endpoint] : {std::pair{"endpointA", &connect.endpoint_a},
                                 std::pair{"endpointZ", &connect.endpoint_z}}) {
      ASSIGN_OR_RETURN(*endpoint,
                       ParseZenlayerEndpoint(object, key, seeded_ports, connect.account_id));
      if (!used_vlans.insert({connect.account_id, endpoint->port_id, endpoint->vlan_id}).second) {
        return SeedError(object.path(), common::StrCat(key, ": VLAN already used on that port"));
      }
    }
    if (connect.endpoint_a.port_id == connect.endpoint_z.port_id) {
      return SeedError(object.path(), "endpointA and endpointZ must be on different ports");
    }
    ASSIGN_OR_RETURN(connect.tags_json, ParseSeedTags(object));
    ASSIGN_OR_RETURN(std::optional<int64_t> created_at_ms,
                     object.Int("created_at_ms", 0, store::kNeverDue));
    ASSIGN_OR_RETURN(std::optional<int64_t> recycled_at_ms,
                     object.Int("recycled_at_ms", 0, store::kNeverDue));
    connect.created_at_ms = created_at_ms.value_or(now_ms);
    connect.updated_at_ms = now_ms;
    connect.recycled_at_ms =
        recycled_at_ms.value_or(connect.status == kPrivateConnectRecycled ? now_ms : 0);
    if (connect.status != kPrivateConnectRunning && connect.status != kPrivateConnectRecycled) {
      seed.transitional_connects.emplace_back(connect.account_id, connect.private_connect_id,
                                              object.path());
    }
    seed.private_connects.push_back(std::move(connect));
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> regions, section.ObjectList("cloud_regions"));
  std::set<std::tuple<std::string, std::string, std::string>> seen_regions;
  for (const common::JsonReader& object : regions) {
    ASSIGN_OR_RETURN(store::ZenlayerCloudRegion region, ParseZenlayerCloudRegion(object));
    if (!seen_regions.insert({region.cloud_type, region.cloud_region_id, region.dc_id}).second) {
      return SeedError(object.path(), "duplicate (cloudType, cloudRegionId, dataCenter.dcId)");
    }
    seed.cloud_regions.push_back(std::move(region));
  }
  return seed;
}

// Inside the seed's transaction: credentials are upserted, ports and private
// connects inserted only when absent (re-seeding never clobbers job results);
// those inserted are added to `created`.
absl::Status ApplyZenlayerSeed(store::StoreTransaction& txn, const ZenlayerSeed& seed,
                               SeedSummary& summary, absl::Time now, SeedResourceKeys& created) {
  for (store::ZenlayerCredential credential : seed.credentials) {
    if (credential.access_key_password.empty()) {
      // Never a credential nobody can sign with: only an existing one keeps its password.
      ASSIGN_OR_RETURN(std::optional<store::ZenlayerCredential> existing,
                       txn.FindZenlayerCredential(credential.access_key_id));
      if (!existing) {
        return SeedError(seed.credential_paths.at(credential.access_key_id),
                         "'access_key_password' is required: no stored credential has this "
                         "access_key_id to keep its password");
      }
      credential.access_key_password = existing->access_key_password;
    }
    RETURN_IF_ERROR(txn.PutZenlayerCredential(credential));
    ++summary.zenlayer_credentials;
  }
  // The catalog is configuration, like credentials: upserted.
  for (const store::ZenlayerDatacenter& datacenter : seed.datacenters) {
    RETURN_IF_ERROR(txn.PutZenlayerDatacenter(datacenter));
    ++summary.zenlayer_datacenters;
  }
  for (const store::ZenlayerToken& token : seed.tokens) {
    RETURN_IF_ERROR(txn.PutZenlayerToken(token));
    ++summary.zenlayer_tokens;
  }
  for (const store::ZenlayerPort& port : seed.ports) {
    ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> existing,
                     txn.GetZenlayerPort(port.account_id, port.port_id));
    if (!existing) {
      RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
      created.insert({port.account_id, port.port_id});
      ++summary.zenlayer_ports_created;
    }
  }
  for (const store::PrivateConnect& connect : seed.private_connects) {
    ASSIGN_OR_RETURN(std::optional<store::PrivateConnect> existing,
                     txn.GetPrivateConnect(connect.account_id, connect.private_connect_id));
    if (!existing) {
      RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
      created.insert({connect.account_id, connect.private_connect_id});
      RETURN_IF_ERROR(AuditRecorder::ForAdmin(connect.account_id, now)
                          .Record(txn, store::kAuditPrivateConnect, connect.private_connect_id,
                                  "seed", "", connect.status));
      ++summary.zenlayer_private_connects_created;
    }
  }
  // The catalog is the operator's to change: upserted like credentials.
  for (const store::ZenlayerCloudRegion& region : seed.cloud_regions) {
    RETURN_IF_ERROR(txn.PutZenlayerCloudRegion(region));
    ++summary.zenlayer_cloud_regions;
  }
  return absl::OkStatus();
}

// "job_durations_seconds": {"<job type>": seconds >= 0, ...}
absl::StatusOr<std::vector<std::pair<std::string, double>>> ParseDurations(
    const common::JsonReader& section) {
  std::vector<std::pair<std::string, double>> durations;
  for (const auto& entry : section.object()) {
    const std::string_view job_type(entry.key().data(), entry.key().size());
    // A misspelt type would be stored and never match a job.
    if (absl::Status known = CheckJobType(job_type); !known.ok()) {
      return SeedError(section.path(), common::ToStd(known.message()));
    }
    absl::StatusOr<std::optional<double>> seconds = section.Number(job_type, 0, 86400);
    if (!seconds.ok() || !seconds->has_value()) {
      return section.Error(common::JsonProblem::kOutOfRange, job_type,
                           "a non-negative number of seconds, at most 86400");
    }
    durations.emplace_back(std::string(job_type), **seconds);
  }
  return durations;
}

}  // namespace

absl::StatusOr<SeedSummary> ApplySeed(store::Store& store, std::string_view seed_json,
                                      const common::Clock& clock, JobTimings* timings) {
  auto parsed = common::ParseJsonObject(seed_json);
  if (!parsed.ok()) {
    return SeedError("document", common::ToStd(parsed.status().message()));
  }
  const common::JsonReader root(*parsed, "", &SeedFieldError);
  RETURN_IF_ERROR(root.CheckKnown({"description", "huawei", "job_durations_seconds", "zenlayer",
                                   "jobs_in_flight", "job_timing"}));
  const int64_t now_ms = common::ToUnixMillis(clock.Now());
  ZenlayerSeed zenlayer;
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> zenlayer_section, root.Object("zenlayer"));
  if (zenlayer_section) {
    ASSIGN_OR_RETURN(zenlayer, ParseZenlayerSection(*zenlayer_section, now_ms));
  }
  // Every resource of the document a job may name, by (tenant, resource id).
  SeedResourceKeys resources;
  for (const store::ZenlayerPort& port : zenlayer.ports) {
    resources.insert({port.account_id, port.port_id});
  }
  for (const store::PrivateConnect& connect : zenlayer.private_connects) {
    resources.insert({connect.account_id, connect.private_connect_id});
  }

  // Each credential with the path of its entry (for one without its secret).
  std::vector<std::pair<store::HuaweiCredential, std::string>> credentials;
  std::vector<store::KafkaInstance> instances;
  IamSeed iam;
  RuntimeSeed runtime;
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> huawei, root.Object("huawei"));
  if (huawei) {
    RETURN_IF_ERROR(huawei->CheckKnown({"credentials", "kafka_instances", "availability_zones",
                                        "iam", "connector_tasks", "kafka_instance_items"}));
    ASSIGN_OR_RETURN(KafkaCatalog catalog, KafkaCatalog::FromSeedSection(*huawei));
    ASSIGN_OR_RETURN(std::optional<common::JsonReader> iam_section, huawei->Object("iam"));
    if (iam_section) {
      ASSIGN_OR_RETURN(iam, ParseIamSeed(*iam_section));
    }
    ASSIGN_OR_RETURN(std::vector<common::JsonReader> credential_list,
                     huawei->ObjectList("credentials"));
    for (const common::JsonReader& object : credential_list) {
      ASSIGN_OR_RETURN(store::HuaweiCredential credential, ParseCredential(object));
      credentials.emplace_back(std::move(credential), object.path());
    }
    ASSIGN_OR_RETURN(std::vector<common::JsonReader> instance_list,
                     huawei->ObjectList("kafka_instances"));
    SeedResourceKeys instance_keys;
    for (const common::JsonReader& object : instance_list) {
      ASSIGN_OR_RETURN(std::optional<std::string> project, object.String("project_id"));
      const store::HuaweiCredential* user = nullptr;
      for (const auto& [credential, path] : credentials) {
        if (project && credential.project_id == *project) {
          user = &credential;
          break;
        }
      }
      ASSIGN_OR_RETURN(store::KafkaInstance instance, ParseInstance(object, now_ms, catalog, user));
      if (!instance_keys.insert({instance.project_id, instance.instance_id}).second) {
        return SeedError(object.path(), "duplicate instance_id");
      }
      resources.insert({instance.project_id, instance.instance_id});
      instances.push_back(std::move(instance));
    }
    RETURN_IF_ERROR(ParseHuaweiRuntime(*huawei, instance_keys, now_ms, resources, runtime));
  }
  RETURN_IF_ERROR(ParseJobsRuntime(root, resources, now_ms, runtime));
  for (const auto& [account, connect_id, path] : zenlayer.transitional_connects) {
    bool has_job = false;
    for (const SeedJob& entry : runtime.jobs) {
      has_job = has_job || (entry.job.tenant_id == account && entry.job.resource_id == connect_id);
    }
    if (!has_job) {
      return SeedError(path,
                       "a 'privateConnectStatus' other than RUNNING or RECYCLED needs the "
                       "connect's job in jobs_in_flight");
    }
  }
  std::vector<std::pair<std::string, double>> durations;
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> duration_section,
                   root.Object("job_durations_seconds"));
  if (duration_section) {
    ASSIGN_OR_RETURN(durations, ParseDurations(*duration_section));
  }
  // Settings are checked on a scratch copy, so a bad one changes nothing.
  JobTimings scratch;
  for (const std::string& setting : runtime.timing_settings) {
    if (absl::Status valid = scratch.ApplySetting(setting); !valid.ok()) {
      return SeedError("job_timing", common::ToStd(valid.message()));
    }
  }

  // Rows are looked up (and on PostgreSQL locked) in the canonical order of
  // store.h, ascending by key, whatever order the document lists them in: a
  // replica seeding at start-up must not deadlock with requests served by
  // another one (a create locks its two ports in port_id order).
  // Stable: of two entries with one key (credentials), the last still wins.
  std::stable_sort(credentials.begin(), credentials.end(), [](const auto& left, const auto& right) {
    return left.first.access_key < right.first.access_key;
  });
  std::stable_sort(
      zenlayer.credentials.begin(), zenlayer.credentials.end(),
      [](const auto& left, const auto& right) { return left.access_key_id < right.access_key_id; });
  std::stable_sort(instances.begin(), instances.end(), [](const auto& left, const auto& right) {
    return std::tie(left.project_id, left.instance_id) <
           std::tie(right.project_id, right.instance_id);
  });
  std::stable_sort(
      zenlayer.ports.begin(), zenlayer.ports.end(), [](const auto& left, const auto& right) {
        return std::tie(left.account_id, left.port_id) < std::tie(right.account_id, right.port_id);
      });
  std::stable_sort(zenlayer.private_connects.begin(), zenlayer.private_connects.end(),
                   [](const auto& left, const auto& right) {
                     return std::tie(left.account_id, left.private_connect_id) <
                            std::tie(right.account_id, right.private_connect_id);
                   });
  std::stable_sort(zenlayer.cloud_regions.begin(), zenlayer.cloud_regions.end(),
                   [](const auto& left, const auto& right) {
                     return std::tie(left.cloud_type, left.cloud_region_id, left.dc_id) <
                            std::tie(right.cloud_type, right.cloud_region_id, right.dc_id);
                   });
  SeedSummary summary;
  const absl::Time now = common::FromUnixMillis(now_ms);
  RETURN_IF_ERROR(store.Write([&](store::StoreTransaction& txn) -> absl::Status {
    summary = SeedSummary();
    SeedResourceKeys created;
    for (const auto& [given, path] : credentials) {
      store::HuaweiCredential credential = given;
      if (credential.secret_key.empty()) {
        // Never a credential nobody can sign with: only an existing one keeps its secret.
        ASSIGN_OR_RETURN(std::optional<store::HuaweiCredential> existing,
                         txn.FindHuaweiCredential(credential.access_key));
        if (!existing) {
          return SeedError(path,
                           "'secret_key' is required: no stored credential has this access_key "
                           "to keep its secret");
        }
        credential.secret_key = existing->secret_key;
      }
      RETURN_IF_ERROR(txn.PutHuaweiCredential(credential));
      ++summary.credentials;
    }
    RETURN_IF_ERROR(ApplyIamSeed(txn, iam));
    summary.iam_domains = static_cast<int>(iam.domains.size());
    summary.iam_projects = static_cast<int>(iam.projects.size());
    summary.iam_users = static_cast<int>(iam.users.size());
    for (const store::KafkaInstance& instance : instances) {
      ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> existing,
                       txn.GetKafkaInstance(instance.project_id, instance.instance_id));
      if (existing) {
        ++summary.instances_existing;
        continue;
      }
      RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
      created.insert({instance.project_id, instance.instance_id});
      // A seeded resource is created by the emulator's operator: audited as "admin".
      RETURN_IF_ERROR(AuditRecorder::ForAdmin(instance.project_id, now)
                          .Record(txn, store::kAuditKafkaInstance, instance.instance_id, "seed", "",
                                  instance.status));
      ++summary.instances_created;
    }
    RETURN_IF_ERROR(ApplyZenlayerSeed(txn, zenlayer, summary, now, created));
    return ApplyRuntimeSeed(txn, runtime, created, now_ms, summary.connector_tasks_created,
                            summary.instance_items_created, summary.jobs_created);
  }));
  if (timings != nullptr) {
    for (const std::string& setting : runtime.timing_settings) {
      // Checked above on the scratch copy.
      timings->ApplySetting(setting).IgnoreError();
    }
    for (const auto& [job_type, seconds] : durations) {
      timings->Set(job_type, absl::Seconds(seconds));
    }
    for (const SeedJob& entry : runtime.jobs) {
      // A resumed job that waits for reads needs reads counted.
      if (entry.job.reads_remaining > 0) timings->NoteReadGatedJob();
    }
  }
  return summary;
}

}  // namespace connectplane::service
