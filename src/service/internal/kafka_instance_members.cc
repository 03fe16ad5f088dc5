#include "service/internal/kafka_instance_members.h"

#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/kafka_service.h"

#include "boost/json.hpp"
#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace connectplane::service::internal {
namespace {

// Listener ports. 9092 (plaintext) and 9011 (cross-VPC) are the official
// ShowInstance example's; 9093 for SASL is the emulator's choice.
constexpr int kPlainPort = 9092;
constexpr int kSaslPort = 9093;
constexpr int kCrossVpcPort = 9011;

bool BoolMember(const boost::json::object& object, std::string_view key, bool fallback) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_bool() ? value->as_bool() : fallback;
}

std::string JoinAddresses(const std::vector<std::string>& brokers, int port) {
  std::string out;
  for (const std::string& broker : brokers) {
    out += common::StrCat(out.empty() ? "" : ",", broker, ":", port);
  }
  return out;
}

// The request's port_protocol switches (or defaults from ssl_enable and
// kafka_security_protocol) with the addresses of the enabled private ones;
// public listeners need EIPs, which the emulator has none of.
boost::json::object PortProtocols(const boost::json::object& attributes,
                                  const std::vector<std::string>& brokers) {
  const bool sasl = BoolMember(attributes, "ssl_enable", false);
  const boost::json::value* protocol_value = attributes.if_contains("kafka_security_protocol");
  const bool sasl_ssl = sasl && (protocol_value == nullptr || !protocol_value->is_string() ||
                                 protocol_value->as_string() != "SASL_PLAINTEXT");
  // The create request's switches, or (after a resize) the current ones.
  boost::json::object requested;
  for (std::string_view key : {"port_protocol", "port_protocols"}) {
    if (const boost::json::value* given = attributes.if_contains(key);
        given != nullptr && given->is_object()) {
      requested = given->as_object();
      break;
    }
  }
  struct Listener {
    std::string_view prefix;
    bool fallback;
    int port;
    bool is_private;
  };
  const std::array<Listener, 6> listeners = {{
      {"private_plain", !sasl || BoolMember(attributes, "vpc_client_plain", false), kPlainPort,
       true},
      {"private_sasl_ssl", sasl && sasl_ssl, kSaslPort, true},
      {"private_sasl_plaintext", sasl && !sasl_ssl, kSaslPort, true},
      {"public_plain", false, 0, false},
      {"public_sasl_ssl", false, 0, false},
      {"public_sasl_plaintext", false, 0, false},
  }};
  boost::json::object out;
  for (const Listener& listener : listeners) {
    const bool enabled =
        BoolMember(requested, common::StrCat(listener.prefix, "_enable"), listener.fallback);
    out[common::StrCat(listener.prefix, "_enable")] = enabled;
    out[common::StrCat(listener.prefix, "_address")] =
        enabled && listener.is_private ? JoinAddresses(brokers, listener.port) : std::string();
    out[common::StrCat(listener.prefix, "_domain_name")] = "";
  }
  return out;
}

// ShowInstance's cross_vpc_info: a JSON document in a string, keyed by broker
// IP (official example: advertised_ip = the IP, port 9011, a port UUID).
std::string CrossVpcInfo(const std::vector<std::string>& brokers) {
  boost::json::object listeners;
  for (const std::string& broker : brokers) {
    boost::json::object listener;
    listener["advertised_ip"] = broker;
    listener["port"] = kCrossVpcPort;
    listener["port_id"] = common::NewUuid();
    listeners[broker] = std::move(listener);
  }
  return common::ToJson(listeners);
}

template <typename Value>
void SetIfAbsent(boost::json::object& attributes, std::string_view key, Value&& value) {
  if (!attributes.contains(key)) {
    attributes[key] = std::forward<Value>(value);
  }
}

absl::Status InvalidZones(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidInstanceField, message);
}

}  // namespace

std::vector<std::string> BrokerAddresses(int64_t broker_num) {
  std::vector<std::string> addresses;
  for (int64_t broker = 0; broker < broker_num && broker < 50; ++broker) {
    addresses.push_back(common::StrCat("192.168.0.", 11 + broker));
  }
  return addresses;
}

absl::Status FillDerivedInstanceMembers(boost::json::object& attributes,
                                        const store::KafkaInstance& instance,
                                        const KafkaFlavor& flavor, const KafkaCatalog& catalog) {
  const std::vector<std::string> brokers = BrokerAddresses(instance.broker_num);
  std::string connect_address;
  for (const std::string& broker : brokers) {
    connect_address += common::StrCat(connect_address.empty() ? "" : ",", broker);
  }
  ASSIGN_OR_RETURN(boost::json::value zones, common::ParseJson(instance.available_zones_json));
  if (!zones.is_array()) {
    return common::InvalidArgument(kReasonInvalidInstanceField, "available_zones is not a list");
  }
  boost::json::array zone_names;
  for (const boost::json::value& zone_id : zones.as_array()) {
    if (!zone_id.is_string()) {
      return common::InvalidArgument(kReasonInvalidInstanceField,
                                     "available_zones entries must be strings");
    }
    const std::string_view id(zone_id.as_string().data(), zone_id.as_string().size());
    const AvailabilityZone* zone = catalog.FindZone(id);
    zone_names.emplace_back(zone != nullptr ? std::string_view(zone->name) : id);
  }
  SetIfAbsent(attributes, "type", std::string(flavor.type));
  SetIfAbsent(attributes, "node_num", instance.broker_num);
  SetIfAbsent(attributes, "partition_num",
              common::StrCat(int64_t{flavor.max_partition_per_broker} * instance.broker_num));
  SetIfAbsent(attributes, "resource_spec_code", std::string(flavor.resource_spec_code));
  SetIfAbsent(attributes, "used_storage_space", 0);
  SetIfAbsent(attributes, "available_zone_names", std::move(zone_names));
  SetIfAbsent(attributes, "connect_address", connect_address);
  SetIfAbsent(attributes, "kafka_private_connect_address", JoinAddresses(brokers, kPlainPort));
  SetIfAbsent(attributes, "management_connect_address",
              brokers.empty() ? std::string() : common::StrCat("https://", brokers[0], ":9999"));
  SetIfAbsent(attributes, "cross_vpc_info", CrossVpcInfo(brokers));
  SetIfAbsent(attributes, "port_protocols", PortProtocols(attributes, brokers));
  const bool sasl = BoolMember(attributes, "ssl_enable", false);
  // DMS defaults the protocol to SASL_SSL when SASL is on (create reference).
  SetIfAbsent(attributes, "kafka_security_protocol", sasl ? "SASL_SSL" : "");
  boost::json::array mechanisms;
  if (sasl) mechanisms.emplace_back("PLAIN");
  SetIfAbsent(attributes, "sasl_enabled_mechanisms", std::move(mechanisms));
  SetIfAbsent(attributes, "access_user", "");
  SetIfAbsent(attributes, "retention_policy", "produce_reject");
  SetIfAbsent(attributes, "tags", boost::json::array());
  SetIfAbsent(attributes, "ipv6_enable", false);
  SetIfAbsent(attributes, "ipv6_connect_addresses", boost::json::array());
  SetIfAbsent(attributes, "extend_times", 0);
  SetIfAbsent(attributes, "service_type", "advanced");
  SetIfAbsent(attributes, "kafka_public_status", "closed");
  SetIfAbsent(attributes, "public_bandwidth", 0);
  SetIfAbsent(attributes, "disk_encrypted", false);
  SetIfAbsent(attributes, "cert_replaced", false);
  SetIfAbsent(attributes, "ssl_two_way_enable", false);
  SetIfAbsent(attributes, "vpc_client_plain", false);
  SetIfAbsent(attributes, "arch_type", "X86");
  // Pay-per-use (1): Terraform reads 0 or a missing member as yearly/monthly
  // and would then delete through the billing API.
  attributes["charging_mode"] = 1;
  // The create request's switches are shown as port_protocols only.
  attributes.erase("port_protocol");
  return absl::OkStatus();
}

absl::Status RefreshResizedInstanceMembers(boost::json::object& attributes,
                                           const store::KafkaInstance& instance,
                                           const KafkaFlavor& flavor, const KafkaCatalog& catalog) {
  const boost::json::value* port_protocols = attributes.if_contains("port_protocols");
  boost::json::value switches = port_protocols != nullptr ? *port_protocols : boost::json::value();
  for (std::string_view key :
       {"type", "node_num", "partition_num", "resource_spec_code", "connect_address",
        "kafka_private_connect_address", "management_connect_address", "cross_vpc_info",
        "port_protocols"}) {
    attributes.erase(key);
  }
  if (switches.is_object()) attributes["port_protocol"] = std::move(switches);
  int64_t extend_times = 0;
  if (const boost::json::value* times = attributes.if_contains("extend_times");
      times != nullptr && times->is_int64()) {
    extend_times = times->as_int64();
  }
  attributes["extend_times"] = extend_times + 1;
  return FillDerivedInstanceMembers(attributes, instance, flavor, catalog);
}

absl::StatusOr<std::vector<std::string>> ResolveZoneIds(
    const std::vector<std::string>& ids_or_codes, const KafkaCatalog& catalog) {
  if (ids_or_codes.empty() || ids_or_codes.size() == 2 || ids_or_codes.size() > 5) {
    return InvalidZones(
        "available_zones must list 1 availability zone or 3 to 5 (DMS deploys in 1 AZ or at "
        "least 3).");
  }
  std::vector<std::string> ids;
  for (const std::string& id_or_code : ids_or_codes) {
    const AvailabilityZone* zone = catalog.FindZone(id_or_code);
    if (zone == nullptr) {
      return InvalidZones(common::StrCat("available_zones: ", common::QuoteUntrusted(id_or_code),
                                         " is not an availability zone of this region."));
    }
    if (zone->sold_out) {
      return InvalidZones(common::StrCat("available_zones: ", zone->code,
                                         " has no resources left (sold out)."));
    }
    if (std::find(ids.begin(), ids.end(), zone->id) != ids.end()) {
      return InvalidZones(
          common::StrCat("available_zones: ", zone->code, " is listed more than once."));
    }
    ids.push_back(zone->id);
  }
  return ids;
}

}  // namespace connectplane::service::internal
