#include "service/seed.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/strings.h"
#include "boost/json.hpp"
#include "common/json_util.h"
#include "common/status.h"
#include "service/audit_recorder.h"
#include "service/kafka_service.h"
#include "service/private_connect_service.h"

namespace connectplane::service {
namespace {

absl::Status SeedError(std::string_view path, std::string_view problem) {
  return common::InvalidArgument("INVALID_SEED", common::StrCat("seed ", path, ": ", problem));
}

absl::Status CheckKeys(const boost::json::object& object, std::string_view path,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : object) {
    bool known = false;
    for (std::string_view key : allowed) {
      known = known || entry.key() == key;
    }
    if (!known) {
      return SeedError(path, common::StrCat("unknown key '", std::string_view(entry.key()), "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RequiredString(const boost::json::object& object,
                                           std::string_view path, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return SeedError(path, common::StrCat("'", key, "' must be a non-empty string"));
  }
  return std::string(value->as_string());
}

absl::StatusOr<const boost::json::array*> OptionalArray(const boost::json::object& object,
                                                        std::string_view path,
                                                        std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    return SeedError(path, common::StrCat("'", key, "' must be an array"));
  }
  return &value->as_array();
}

absl::StatusOr<store::HuaweiCredential> ParseCredential(const boost::json::value& value,
                                                        const std::string& path) {
  if (!value.is_object()) return SeedError(path, "must be an object");
  const boost::json::object& object = value.as_object();
  RETURN_IF_ERROR(CheckKeys(object, path,
                            {"access_key", "secret_key", "project_id", "user_name", "user_id"}));
  store::HuaweiCredential credential;
  ASSIGN_OR_RETURN(credential.access_key, RequiredString(object, path, "access_key"));
  ASSIGN_OR_RETURN(credential.secret_key, RequiredString(object, path, "secret_key"));
  ASSIGN_OR_RETURN(credential.project_id, RequiredString(object, path, "project_id"));
  auto user_name = common::GetOptionalString(object, "user_name");
  auto user_id = common::GetOptionalString(object, "user_id");
  if (!user_name.ok() || !user_id.ok()) {
    return SeedError(path, "'user_name' and 'user_id' must be strings");
  }
  credential.user_name = user_name->value_or(credential.access_key);
  credential.user_id = user_id->value_or(credential.access_key);
  return credential;
}

absl::StatusOr<store::KafkaInstance> ParseInstance(const boost::json::value& value,
                                                   const std::string& path, int64_t now_ms) {
  if (!value.is_object()) return SeedError(path, "must be an object");
  boost::json::object attributes = value.as_object();
  store::KafkaInstance instance;
  ASSIGN_OR_RETURN(instance.project_id, RequiredString(attributes, path, "project_id"));
  ASSIGN_OR_RETURN(instance.instance_id, RequiredString(attributes, path, "instance_id"));
  ASSIGN_OR_RETURN(instance.name, RequiredString(attributes, path, "name"));
  if (!KafkaService::IsWellFormedId(instance.instance_id)) {
    return SeedError(path, "'instance_id' must be a UUID (DMS rejects other ids)");
  }
  auto status = common::GetOptionalString(attributes, "status");
  auto specification = common::GetOptionalString(attributes, "specification");
  auto connector_enable = common::GetOptionalBool(attributes, "connector_enable");
  auto connector_id = common::GetOptionalString(attributes, "connector_id");
  auto connector_node_num = common::GetOptionalInt(attributes, "connector_node_num");
  if (!status.ok() || !specification.ok() || !connector_enable.ok() || !connector_id.ok() ||
      !connector_node_num.ok()) {
    return SeedError(path,
                     "'status', 'specification', 'connector_id' must be strings, "
                     "'connector_enable' a boolean, 'connector_node_num' an integer");
  }
  instance.status = status->value_or(std::string(kStatusRunning));
  instance.specification = specification->value_or("100MB");
  instance.connector_enabled = connector_enable->value_or(false);
  if (instance.connector_enabled) {
    if (!connector_id->has_value()) {
      return SeedError(path, "'connector_id' is required when 'connector_enable' is true");
    }
    instance.connector_id = **connector_id;
    instance.connector_node_num =
        static_cast<int32_t>(connector_node_num->value_or(kDefaultConnectorNodes));
  }
  for (std::string_view column :
       {"project_id", "instance_id", "name", "status", "specification", "connector_enable",
        "connector_id", "connector_node_num"}) {
    attributes.erase(column);
  }
  instance.attributes_json = common::ToJson(attributes);
  instance.created_at_ms = now_ms;
  instance.updated_at_ms = now_ms;
  return instance;
}


// ---------------------------------------------------------------------------
// Zenlayer SDN: the top-level "zenlayer" section.
//   credentials: [{access_key_id, access_key_password, account_id? (default: access_key_id)}]
//   ports: [{account_id, portId, portName, dataCenter: {dcId, ...} or dcId, portStatus?
//            (default RUNNING), portType?, portRemarks?, ... other PortInfo fields}]
//   private_connects: [{account_id, privateConnectId, privateConnectName?, bandwidthMbps?,
//            privateConnectStatus? (RUNNING | RECYCLED), endpointA/endpointZ: {portId, vlanId,
//            endpointName?}}]   (endpoints must name ports of the same seed and account)
// ---------------------------------------------------------------------------

struct ZenlayerSeed {
  std::vector<store::ZenlayerCredential> credentials;
  std::vector<store::ZenlayerPort> ports;
  std::vector<store::PrivateConnect> private_connects;
};

absl::StatusOr<store::ZenlayerCredential> ParseZenlayerCredential(const boost::json::value& value,
                                                                  const std::string& path) {
  if (!value.is_object()) return SeedError(path, "must be an object");
  const boost::json::object& object = value.as_object();
  RETURN_IF_ERROR(CheckKeys(object, path, {"access_key_id", "access_key_password", "account_id"}));
  store::ZenlayerCredential credential;
  ASSIGN_OR_RETURN(credential.access_key_id, RequiredString(object, path, "access_key_id"));
  ASSIGN_OR_RETURN(credential.access_key_password,
                   RequiredString(object, path, "access_key_password"));
  credential.account_id = credential.access_key_id;
  if (object.contains("account_id")) {
    ASSIGN_OR_RETURN(credential.account_id, RequiredString(object, path, "account_id"));
  }
  return credential;
}

absl::StatusOr<store::ZenlayerPort> ParseZenlayerPort(const boost::json::value& value,
                                                      const std::string& path, int64_t now_ms) {
  if (!value.is_object()) return SeedError(path, "must be an object");
  boost::json::object attributes = value.as_object();
  RETURN_IF_ERROR(CheckKeys(
      attributes, path,
      {"account_id", "portId", "portName", "portRemarks", "portType", "connectionStatus",
       "portStatus", "dataCenter", "dcId", "dcName", "cityName", "areaName", "loaStatus",
       "loaDownloadUrl", "businessEntityName", "createdTime", "expiredTime", "portChargeType",
       "period"}));
  store::ZenlayerPort port;
  ASSIGN_OR_RETURN(port.account_id, RequiredString(attributes, path, "account_id"));
  ASSIGN_OR_RETURN(port.port_id, RequiredString(attributes, path, "portId"));
  ASSIGN_OR_RETURN(port.port_name, RequiredString(attributes, path, "portName"));
  port.port_status = std::string(kPortRunning);
  if (attributes.contains("portStatus")) {
    ASSIGN_OR_RETURN(port.port_status, RequiredString(attributes, path, "portStatus"));
  }
  std::string data_center_path = common::StrCat(path, ".dataCenter");
  if (const boost::json::value* data_center = attributes.if_contains("dataCenter")) {
    if (!data_center->is_object()) return SeedError(data_center_path, "must be an object");
    RETURN_IF_ERROR(CheckKeys(data_center->as_object(), data_center_path,
                              {"dcId", "dcName", "dcAddress", "cityName", "countryName",
                               "areaName", "longitude", "latitude", "availableBandwidth"}));
    ASSIGN_OR_RETURN(port.dc_id, RequiredString(data_center->as_object(), data_center_path,
                                                "dcId"));
  }
  if (attributes.contains("dcId")) {
    ASSIGN_OR_RETURN(std::string dc_id, RequiredString(attributes, path, "dcId"));
    if (!port.dc_id.empty() && dc_id != port.dc_id) {
      return SeedError(path, "'dcId' and 'dataCenter.dcId' differ");
    }
    port.dc_id = dc_id;
  }
  if (port.dc_id.empty()) {
    return SeedError(path, "'dataCenter.dcId' (or 'dcId') is required");
  }
  for (std::string_view column : {"account_id", "portId", "portName", "portStatus", "dcId"}) {
    attributes.erase(column);
  }
  port.attributes_json = common::ToJson(attributes);
  port.created_at_ms = now_ms;
  return port;
}

absl::StatusOr<store::PrivateConnectEndpoint> ParseZenlayerEndpoint(
    const boost::json::object& parent, const std::string& path, std::string_view key,
    const std::set<std::pair<std::string, std::string>>& known_ports, const std::string& account,
    const std::string& default_endpoint_name) {
  std::string endpoint_path = common::StrCat(path, ".", key);
  const boost::json::value* value = parent.if_contains(key);
  if (value == nullptr || !value->is_object()) return SeedError(endpoint_path, "must be an object");
  const boost::json::object& object = value->as_object();
  RETURN_IF_ERROR(CheckKeys(object, endpoint_path, {"portId", "vlanId", "endpointName"}));
  store::PrivateConnectEndpoint endpoint;
  ASSIGN_OR_RETURN(endpoint.port_id, RequiredString(object, endpoint_path, "portId"));
  if (!known_ports.contains({account, endpoint.port_id})) {
    return SeedError(endpoint_path, "'portId' must name a port of the same account in this seed");
  }
  auto vlan = common::GetOptionalInt(object, "vlanId");
  if (!vlan.ok() || !vlan->has_value() || **vlan < kMinVlanId || **vlan > kMaxVlanId) {
    return SeedError(endpoint_path, "'vlanId' must be an integer from 1 to 4096");
  }
  endpoint.vlan_id = **vlan;
  endpoint.endpoint_id = endpoint.port_id;  // PORT endpoints report the port id
  endpoint.endpoint_name = default_endpoint_name;
  if (object.contains("endpointName")) {
    ASSIGN_OR_RETURN(endpoint.endpoint_name, RequiredString(object, endpoint_path, "endpointName"));
  }
  return endpoint;
}

absl::StatusOr<ZenlayerSeed> ParseZenlayerSection(const boost::json::value& section,
                                                  int64_t now_ms) {
  if (!section.is_object()) return SeedError("zenlayer", "must be an object");
  const boost::json::object& object = section.as_object();
  RETURN_IF_ERROR(CheckKeys(object, "zenlayer", {"credentials", "ports", "private_connects"}));
  ZenlayerSeed seed;
  ASSIGN_OR_RETURN(const boost::json::array* credential_list,
                   OptionalArray(object, "zenlayer", "credentials"));
  for (size_t idx = 0; credential_list != nullptr && idx < credential_list->size(); ++idx) {
    ASSIGN_OR_RETURN(store::ZenlayerCredential credential,
                     ParseZenlayerCredential((*credential_list)[idx],
                                             common::StrCat("zenlayer.credentials[", idx, "]")));
    seed.credentials.push_back(std::move(credential));
  }
  ASSIGN_OR_RETURN(const boost::json::array* port_list, OptionalArray(object, "zenlayer", "ports"));
  std::set<std::pair<std::string, std::string>> known_ports;
  std::map<std::pair<std::string, std::string>, std::string> port_names;
  for (size_t idx = 0; port_list != nullptr && idx < port_list->size(); ++idx) {
    std::string path = common::StrCat("zenlayer.ports[", idx, "]");
    ASSIGN_OR_RETURN(store::ZenlayerPort port, ParseZenlayerPort((*port_list)[idx], path, now_ms));
    if (!known_ports.insert({port.account_id, port.port_id}).second) {
      return SeedError(path, "duplicate portId");
    }
    port_names[{port.account_id, port.port_id}] = port.port_name;
    seed.ports.push_back(std::move(port));
  }
  ASSIGN_OR_RETURN(const boost::json::array* connect_list,
                   OptionalArray(object, "zenlayer", "private_connects"));
  std::set<std::pair<std::string, std::string>> seen_connects;
  std::set<std::tuple<std::string, std::string, int64_t>> used_vlans;
  for (size_t idx = 0; connect_list != nullptr && idx < connect_list->size(); ++idx) {
    std::string path = common::StrCat("zenlayer.private_connects[", idx, "]");
    const boost::json::value& value = (*connect_list)[idx];
    if (!value.is_object()) return SeedError(path, "must be an object");
    const boost::json::object& fields = value.as_object();
    RETURN_IF_ERROR(CheckKeys(fields, path,
                              {"account_id", "privateConnectId", "privateConnectName",
                               "bandwidthMbps", "privateConnectStatus", "endpointA", "endpointZ"}));
    store::PrivateConnect connect;
    ASSIGN_OR_RETURN(connect.account_id, RequiredString(fields, path, "account_id"));
    ASSIGN_OR_RETURN(connect.private_connect_id, RequiredString(fields, path, "privateConnectId"));
    if (!seen_connects.insert({connect.account_id, connect.private_connect_id}).second) {
      return SeedError(path, "duplicate privateConnectId");
    }
    connect.name = connect.private_connect_id;
    if (fields.contains("privateConnectName")) {
      ASSIGN_OR_RETURN(connect.name, RequiredString(fields, path, "privateConnectName"));
    }
    connect.status = std::string(kPrivateConnectRunning);
    if (fields.contains("privateConnectStatus")) {
      ASSIGN_OR_RETURN(connect.status, RequiredString(fields, path, "privateConnectStatus"));
      if (connect.status != kPrivateConnectRunning && connect.status != kPrivateConnectRecycled) {
        return SeedError(path, "'privateConnectStatus' must be RUNNING or RECYCLED");
      }
    }
    auto bandwidth = common::GetOptionalInt(fields, "bandwidthMbps");
    if (!bandwidth.ok() ||
        (bandwidth->has_value() &&
         (**bandwidth < kMinBandwidthMbps || **bandwidth > kMaxBandwidthMbps))) {
      return SeedError(path, "'bandwidthMbps' must be an integer from 1 to 500");
    }
    connect.bandwidth_mbps = bandwidth->value_or(kDefaultBandwidthMbps);
    for (auto [key, endpoint] : {std::pair{"endpointA", &connect.endpoint_a},
                                 std::pair{"endpointZ", &connect.endpoint_z}}) {
      const boost::json::value* raw = fields.if_contains(key);
      std::string port_name;
      if (raw != nullptr && raw->is_object()) {
        const boost::json::value* port_id = raw->as_object().if_contains("portId");
        if (port_id != nullptr && port_id->is_string()) {
          auto found = port_names.find({connect.account_id, std::string(port_id->as_string())});
          if (found != port_names.end()) port_name = found->second;
        }
      }
      ASSIGN_OR_RETURN(*endpoint, ParseZenlayerEndpoint(fields, path, key, known_ports,
                                                        connect.account_id, port_name));
      if (!used_vlans.insert({connect.account_id, endpoint->port_id, endpoint->vlan_id}).second) {
        return SeedError(path, common::StrCat(key, ": VLAN already used on that port"));
      }
    }
    if (connect.endpoint_a.port_id == connect.endpoint_z.port_id) {
      return SeedError(path, "endpointA and endpointZ must be on different ports");
    }
    connect.created_at_ms = now_ms;
    connect.updated_at_ms = now_ms;
    connect.recycled_at_ms = connect.status == kPrivateConnectRecycled ? now_ms : 0;
    seed.private_connects.push_back(std::move(connect));
  }
  return seed;
}

// Inside the seed's transaction: credentials are upserted, ports and private
// connects inserted only when absent (re-seeding never clobbers job results).
absl::Status ApplyZenlayerSeed(store::StoreTransaction& txn, const ZenlayerSeed& seed,
                               SeedSummary& summary, absl::Time now) {
  for (const store::ZenlayerCredential& credential : seed.credentials) {
    RETURN_IF_ERROR(txn.PutZenlayerCredential(credential));
    ++summary.zenlayer_credentials;
  }
  for (const store::ZenlayerPort& port : seed.ports) {
    ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> existing,
                     txn.GetZenlayerPort(port.account_id, port.port_id));
    if (!existing) {
      RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
      ++summary.zenlayer_ports_created;
    }
  }
  for (const store::PrivateConnect& connect : seed.private_connects) {
    ASSIGN_OR_RETURN(std::optional<store::PrivateConnect> existing,
                     txn.GetPrivateConnect(connect.account_id, connect.private_connect_id));
    if (!existing) {
      RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
      RETURN_IF_ERROR(AuditRecorder::ForAdmin(connect.account_id, now)
                          .Record(txn, kAuditPrivateConnect, connect.private_connect_id, "seed",
                                  "", connect.status));
      ++summary.zenlayer_private_connects_created;
    }
  }
  return absl::OkStatus();
}
// --------------------------- end Zenlayer SDN ------------------------------

}  // namespace

absl::StatusOr<SeedSummary> ApplySeed(store::Store& store, std::string_view seed_json,
                                      const common::Clock& clock, JobTimings* timings) {
  auto parsed = common::ParseJsonObject(seed_json);
  if (!parsed.ok()) {
    return SeedError("document", common::ToStd(parsed.status().message()));
  }
  const boost::json::object& root = *parsed;
  RETURN_IF_ERROR(CheckKeys(root, "document",
                            {"description", "huawei", "job_durations_seconds", "zenlayer"}));
  const int64_t now_ms = common::ToUnixMillis(clock.Now());
  ZenlayerSeed zenlayer;
  if (const boost::json::value* section = root.if_contains("zenlayer")) {
    ASSIGN_OR_RETURN(zenlayer, ParseZenlayerSection(*section, now_ms));
  }

  std::vector<store::HuaweiCredential> credentials;
  std::vector<store::KafkaInstance> instances;
  if (const boost::json::value* huawei = root.if_contains("huawei")) {
    if (!huawei->is_object()) return SeedError("huawei", "must be an object");
    RETURN_IF_ERROR(CheckKeys(huawei->as_object(), "huawei", {"credentials", "kafka_instances"}));
    ASSIGN_OR_RETURN(const boost::json::array* credential_list,
                     OptionalArray(huawei->as_object(), "huawei", "credentials"));
    for (size_t idx = 0; credential_list != nullptr && idx < credential_list->size(); ++idx) {
      ASSIGN_OR_RETURN(store::HuaweiCredential credential,
                       ParseCredential((*credential_list)[idx],
                                       common::StrCat("huawei.credentials[", idx, "]")));
      credentials.push_back(std::move(credential));
    }
    ASSIGN_OR_RETURN(const boost::json::array* instance_list,
                     OptionalArray(huawei->as_object(), "huawei", "kafka_instances"));
    std::set<std::string> seen_ids;
    for (size_t idx = 0; instance_list != nullptr && idx < instance_list->size(); ++idx) {
      std::string path = common::StrCat("huawei.kafka_instances[", idx, "]");
      ASSIGN_OR_RETURN(store::KafkaInstance instance,
                       ParseInstance((*instance_list)[idx], path, now_ms));
      if (!seen_ids.insert(instance.project_id + "/" + instance.instance_id).second) {
        return SeedError(path, "duplicate instance_id");
      }
      instances.push_back(std::move(instance));
    }
  }
  std::vector<std::pair<std::string, double>> durations;
  if (const boost::json::value* section = root.if_contains("job_durations_seconds")) {
    if (!section->is_object()) return SeedError("job_durations_seconds", "must be an object");
    for (const auto& entry : section->as_object()) {
      if (!entry.value().is_number() || entry.value().to_number<double>() < 0) {
        return SeedError(common::StrCat("job_durations_seconds.", std::string_view(entry.key())),
                         "must be a non-negative number");
      }
      durations.emplace_back(std::string(entry.key()), entry.value().to_number<double>());
    }
  }

  SeedSummary summary;
  RETURN_IF_ERROR(store.Write([&](store::StoreTransaction& txn) -> absl::Status {
    summary = SeedSummary();
    for (const store::HuaweiCredential& credential : credentials) {
      RETURN_IF_ERROR(txn.PutHuaweiCredential(credential));
      ++summary.credentials;
    }
    for (const store::KafkaInstance& instance : instances) {
      ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> existing,
                       txn.GetKafkaInstance(instance.project_id, instance.instance_id));
      if (existing) {
        ++summary.instances_existing;
        continue;
      }
      RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
      // A seeded resource is created by the emulator's operator: audited as "admin".
      RETURN_IF_ERROR(AuditRecorder::ForAdmin(instance.project_id, common::FromUnixMillis(now_ms))
                          .Record(txn, kAuditKafkaInstance, instance.instance_id, "seed", "",
                                  instance.status));
      ++summary.instances_created;
    }
    return ApplyZenlayerSeed(txn, zenlayer, summary,
                             common::FromUnixMillis(now_ms));
  }));
  if (timings != nullptr) {
    for (const auto& [job_type, seconds] : durations) {
      timings->Set(job_type, absl::Seconds(seconds));
    }
  }
  return summary;
}

}  // namespace connectplane::service
