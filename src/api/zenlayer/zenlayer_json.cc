#include "api/zenlayer/zenlayer_json.h"

#include "common/clock.h"
#include "common/json_util.h"

#include "absl/time/time.h"
#include "boost/json.hpp"
#include <cstdio>

namespace connectplane::api::zenlayer {
namespace {

// [ours] Every account has one resource group in the emulator.
constexpr std::string_view kDefaultResourceGroupId = "default";
constexpr std::string_view kDefaultResourceGroupName = "Default Resource Group";

boost::json::object Attributes(const store::ZenlayerPort& port) {
  auto attributes = common::ParseJsonObject(port.attributes_json);
  return attributes.ok() ? std::move(*attributes) : boost::json::object();
}

// DatacenterInfo of a port: the seeded dataCenter object with dcId forced.
boost::json::object DataCenter(const std::optional<store::ZenlayerPort>& port) {
  boost::json::object data_center;
  if (!port) {
    data_center["dcId"] = "";
    return data_center;
  }
  boost::json::object attributes = Attributes(*port);
  if (const boost::json::value* seeded = attributes.if_contains("dataCenter");
      seeded != nullptr && seeded->is_object()) {
    data_center = seeded->as_object();
  }
  data_center["dcId"] = port->dc_id;
  return data_center;
}

}  // namespace

boost::json::object PrivateConnectRenderer::RenderEndpoint(
    const store::PrivateConnectEndpoint& endpoint, const std::optional<store::ZenlayerPort>& port,
    std::string_view connectivity) {
  boost::json::object out;
  out.reserve(8);
  out["endpointId"] = endpoint.port_id;
  out["endpointName"] = endpoint.endpoint_name;
  out["endpointType"] = "PORT";
  out["cloudRegionId"] = "";
  out["cloudAccountId"] = "";
  out["dataCenter"] = DataCenter(port);
  out["vlanId"] = endpoint.vlan_id;
  out["connectivityStatus"] = connectivity;
  return out;
}

const boost::json::object& PrivateConnectRenderer::DataCenter(
    const std::optional<store::ZenlayerPort>& port) {
  // A missing port row renders as {"dcId": ""}; "" is never a port id.
  const std::string_view key = port ? std::string_view(port->port_id) : std::string_view();
  auto it = data_centers_.find(key);
  if (it == data_centers_.end()) {
    it = data_centers_.emplace(std::string(key), zenlayer::DataCenter(port)).first;
  }
  return it->second;
}

std::string IsoSeconds(int64_t unix_ms) {
  // Civil-time fields + snprintf: several times cheaper than absl::FormatTime,
  // and called twice per connect of a Describe page (issue 6 profile).
  const absl::CivilSecond civil =
      absl::ToCivilSecond(common::FromUnixMillis(unix_ms), absl::UTCTimeZone());
  char text[32];
  std::snprintf(text, sizeof(text), "%04lld-%02d-%02dT%02d:%02d:%02dZ",
                static_cast<long long>(civil.year()), civil.month(), civil.day(), civil.hour(),
                civil.minute(), civil.second());
  return text;
}

boost::json::object RenderPort(const store::ZenlayerPort& port) {
  boost::json::object attributes = Attributes(port);
  boost::json::object out;
  out["portRemarks"] = "";
  out["portType"] = "";
  out["connectionStatus"] = "";
  if (const boost::json::value* seeded = attributes.if_contains("dataCenter");
      seeded != nullptr && seeded->is_object()) {
    for (std::string_view key : {"dcName", "cityName", "areaName"}) {
      if (const boost::json::value* field = seeded->as_object().if_contains(key)) {
        out[key] = *field;
      }
    }
  }
  for (auto& entry : attributes) {
    if (entry.key() != "dataCenter") {
      out[entry.key()] = entry.value();
    }
  }
  out["portId"] = port.port_id;
  out["portName"] = port.port_name;
  out["portStatus"] = port.port_status;
  out["dcId"] = port.dc_id;
  if (!out.contains("createdTime")) {
    out["createdTime"] = IsoSeconds(port.created_at_ms);
  }
  return out;
}

boost::json::object RenderPrivateConnect(const service::PrivateConnectDetails& details) {
  return PrivateConnectRenderer().Render(details);
}

boost::json::object PrivateConnectRenderer::Render(const service::PrivateConnectDetails& details) {
  const store::PrivateConnect& connect = details.connect;
  const std::string_view connectivity =
      connect.status == service::kPrivateConnectRunning ? "ACTIVE" : "DOWN";
  boost::json::object out;
  out.reserve(12);
  out["privateConnectId"] = connect.private_connect_id;
  out["privateConnectName"] = connect.name;
  out["connectivityStatus"] = connectivity;
  out["privateConnectStatus"] = connect.status;
  out["bandwidthMbps"] = connect.bandwidth_mbps;
  out["endpointA"] = RenderEndpoint(connect.endpoint_a, details.port_a, connectivity);
  out["endpointZ"] = RenderEndpoint(connect.endpoint_z, details.port_z, connectivity);
  out["resourceGroupId"] = kDefaultResourceGroupId;
  out["resourceGroupName"] = kDefaultResourceGroupName;
  out["createTime"] = IsoSeconds(connect.created_at_ms);
  if (connect.recycled_at_ms != 0) {
    out["recycledTime"] = IsoSeconds(connect.recycled_at_ms);
  }
  return out;
}

namespace {

// Appends `text` as a JSON string (quotes included). Escapes what JSON
// requires (quote, backslash, control characters); stored strings are valid
// UTF-8 (every one arrived in a parsed JSON body or a seed file).
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t plain_from = 0;
  for (size_t idx = 0; idx < text.size(); ++idx) {
    const auto c = static_cast<unsigned char>(text[idx]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain_from, idx - plain_from);
    plain_from = idx + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        char escaped[8];
        std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
        out += escaped;
      }
    }
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out += '"';
}

void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;  // keys are literals of this file: nothing to escape
  out += "\":";
}

}  // namespace

PrivateConnectArrayWriter::PrivateConnectArrayWriter(std::string& out) : out_(out) {
  out_ += '[';
}

void PrivateConnectArrayWriter::Finish() { out_ += ']'; }

const std::string& PrivateConnectArrayWriter::DataCenterJson(
    const std::optional<store::ZenlayerPort>& port) {
  const std::string_view key = port ? std::string_view(port->port_id) : std::string_view();
  auto it = data_center_json_.find(key);
  if (it == data_center_json_.end()) {
    it = data_center_json_.emplace(std::string(key), boost::json::serialize(DataCenter(port)))
             .first;
  }
  return it->second;
}

void PrivateConnectArrayWriter::AddEndpoint(const store::PrivateConnectEndpoint& endpoint,
                                            const std::optional<store::ZenlayerPort>& port,
                                            std::string_view connectivity) {
  out_ += '{';
  AppendKey(out_, "endpointId");
  AppendJsonString(out_, endpoint.port_id);
  out_ += ',';
  AppendKey(out_, "endpointName");
  AppendJsonString(out_, endpoint.endpoint_name);
  out_ += R"(,"endpointType":"PORT","cloudRegionId":"","cloudAccountId":"",)";
  AppendKey(out_, "dataCenter");
  out_ += DataCenterJson(port);
  out_ += ',';
  AppendKey(out_, "vlanId");
  out_ += std::to_string(endpoint.vlan_id);
  out_ += ',';
  AppendKey(out_, "connectivityStatus");
  AppendJsonString(out_, connectivity);
  out_ += '}';
}

void PrivateConnectArrayWriter::Add(const service::PrivateConnectDetails& details) {
  const store::PrivateConnect& connect = details.connect;
  const std::string_view connectivity =
      connect.status == service::kPrivateConnectRunning ? "ACTIVE" : "DOWN";
  if (!first_) out_ += ',';
  first_ = false;
  out_ += '{';
  AppendKey(out_, "privateConnectId");
  AppendJsonString(out_, connect.private_connect_id);
  out_ += ',';
  AppendKey(out_, "privateConnectName");
  AppendJsonString(out_, connect.name);
  out_ += ',';
  AppendKey(out_, "connectivityStatus");
  AppendJsonString(out_, connectivity);
  out_ += ',';
  AppendKey(out_, "privateConnectStatus");
  AppendJsonString(out_, connect.status);
  out_ += ',';
  AppendKey(out_, "bandwidthMbps");
  out_ += std::to_string(connect.bandwidth_mbps);
  out_ += ',';
  AppendKey(out_, "endpointA");
  AddEndpoint(connect.endpoint_a, details.port_a, connectivity);
  out_ += ',';
  AppendKey(out_, "endpointZ");
  AddEndpoint(connect.endpoint_z, details.port_z, connectivity);
  out_ += ',';
  AppendKey(out_, "resourceGroupId");
  AppendJsonString(out_, kDefaultResourceGroupId);
  out_ += ',';
  AppendKey(out_, "resourceGroupName");
  AppendJsonString(out_, kDefaultResourceGroupName);
  out_ += ',';
  AppendKey(out_, "createTime");
  AppendJsonString(out_, IsoSeconds(connect.created_at_ms));
  if (connect.recycled_at_ms != 0) {
    out_ += ',';
    AppendKey(out_, "recycledTime");
    AppendJsonString(out_, IsoSeconds(connect.recycled_at_ms));
  }
  out_ += '}';
}

}  // namespace connectplane::api::zenlayer
