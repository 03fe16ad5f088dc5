#include "api/zenlayer/zenlayer_json.h"

#include "common/clock.h"
#include "common/json_util.h"
#include "common/logging.h"

#include "absl/time/time.h"
#include "boost/json.hpp"
#include <chrono>
#include <cstdio>
#include <string>

namespace connectplane::api::zenlayer {
namespace {

// [ours] Every account has one resource group in the emulator.
using service::kDefaultResourceGroupId;
using service::kDefaultResourceGroupName;

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

boost::json::object RenderEndpoint(const store::PrivateConnectEndpoint& endpoint,
                                   const std::optional<store::ZenlayerPort>& port,
                                   std::string_view connectivity, SdnVersion version) {
  boost::json::object out;
  out.reserve(9);
  out["endpointId"] = endpoint.port_id;
  out["endpointName"] = endpoint.endpoint_name;
  out["endpointType"] = "PORT";
  out["cloudRegionId"] = "";
  out["cloudAccountId"] = "";
  out["dataCenter"] = DataCenter(port);
  out["vlanId"] = endpoint.vlan_id;
  out["connectivityStatus"] = connectivity;
  if (version == SdnVersion::k20260401) {
    out["sharedChannelId"] = "";
  }
  return out;
}

}  // namespace

std::string IsoSeconds(int64_t unix_ms) {
  // Called twice per connect of a Describe page: calendar arithmetic from
  // <chrono> and fixed-width digits, no format parsing (snprintf was 5 % of a
  // page of 50, absl::FormatTime several times more).
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::milliseconds;
  using std::chrono::sys_days;
  const std::chrono::sys_time<milliseconds> instant{milliseconds(unix_ms)};
  const sys_days day = floor<days>(instant);
  const std::chrono::year_month_day date{day};
  const int64_t second_of_day =
      std::chrono::duration_cast<std::chrono::seconds>(instant - day).count();
  std::string text = "0000-00-00T00:00:00Z";
  auto put = [&text](size_t end, int64_t value, size_t width) {
    for (size_t idx = 0; idx < width; ++idx) {
      text[end - idx] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    // Outside what four digits hold; never produced by our clocks.
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", common::FromUnixMillis(unix_ms),
                            absl::UTCTimeZone());
  }
  put(3, year, 4);
  put(6, static_cast<unsigned>(date.month()), 2);
  put(9, static_cast<unsigned>(date.day()), 2);
  put(12, second_of_day / 3600, 2);
  put(15, second_of_day / 60 % 60, 2);
  put(18, second_of_day % 60, 2);
  return text;
}

boost::json::object RenderPort(const store::ZenlayerPort& port, SdnVersion version) {
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
  // The circuit is up only while the port runs; a seed may say a running
  // port is DOWN. [ours: derived; the docs' example pairs ACTIVE with RUNNING]
  if (port.port_status != service::kPortRunning) {
    out["connectionStatus"] = "DOWN";
  } else if (out["connectionStatus"] == "") {
    out["connectionStatus"] = "ACTIVE";
  }
  // LOA_NOT_UPLOAD / LOA_UPLOADED are the docs' values; a seeded value wins.
  // [ours: a port still being created has no LOA yet, a created one has it]
  if (!out.contains("loaStatus")) {
    out["loaStatus"] =
        port.port_status == service::kPortCreating ? "LOA_NOT_UPLOAD" : "LOA_UPLOADED";
  }
  if (!out.contains("createdTime")) {
    out["createdTime"] = IsoSeconds(port.created_at_ms);
  }
  if (port.expired_at_ms > 0) {
    out["expiredTime"] = IsoSeconds(port.expired_at_ms);
  }
  if (version == SdnVersion::k20260401) {
    out["isCreateBusinessAllowed"] = port.port_status == service::kPortRunning;
    out["tags"] = RenderTags(port.tags_json);
  }
  return out;
}

boost::json::object RenderDatacenter(const store::ZenlayerDatacenter& datacenter) {
  boost::json::object out = service::DatacenterInfoOf(datacenter);
  out["isPortAvailable"] = datacenter.port_available;
  return out;
}

boost::json::object RenderPrivateConnect(const service::PrivateConnectDetails& details,
                                         SdnVersion version) {
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
  out["endpointA"] = RenderEndpoint(connect.endpoint_a, details.port_a, connectivity, version);
  out["endpointZ"] = RenderEndpoint(connect.endpoint_z, details.port_z, connectivity, version);
  out["resourceGroupId"] = kDefaultResourceGroupId;
  out["resourceGroupName"] = kDefaultResourceGroupName;
  out["createTime"] = IsoSeconds(connect.created_at_ms);
  if (connect.recycled_at_ms != 0) {
    out["recycledTime"] = IsoSeconds(connect.recycled_at_ms);
  }
  if (version == SdnVersion::k20260401) {
    out["source"] = kPrivateConnectSource;
    out["tags"] = RenderTags(connect.tags_json);
  }
  return out;
}

namespace {

// Appends the members of one JSON object to `out`, separators included. Keys
// are literals of this file (nothing to escape); string values are escaped.
class ObjectText {
 public:
  explicit ObjectText(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectText() { out_ += '}'; }
  ObjectText(const ObjectText&) = delete;
  ObjectText& operator=(const ObjectText&) = delete;

  // Starts a member; the caller appends its value as JSON text.
  std::string& Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
    return out_;
  }
  void String(std::string_view key, std::string_view value) {
    Key(key) += '"';
    common::AppendJsonEscaped(out_, value);
    out_ += '"';
  }
  void Int(std::string_view key, int64_t value) { Key(key) += std::to_string(value); }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

PrivateConnectArrayWriter::PrivateConnectArrayWriter(std::string& out, SdnVersion version)
    : out_(out), version_(version) {
  out_ += '[';
}

void PrivateConnectArrayWriter::Finish() { out_ += ']'; }

const std::string& PrivateConnectArrayWriter::DataCenterJson(
    const std::optional<store::ZenlayerPort>& port) {
  // A missing port row renders as {"dcId": ""}; "" is never a port id.
  const std::string_view key = port ? std::string_view(port->port_id) : std::string_view();
  auto it = data_center_json_.find(key);
  if (it == data_center_json_.end()) {
    it =
        data_center_json_.emplace(std::string(key), boost::json::serialize(DataCenter(port))).first;
  }
  return it->second;
}

void PrivateConnectArrayWriter::AddEndpoint(const store::PrivateConnectEndpoint& endpoint,
                                            const std::optional<store::ZenlayerPort>& port,
                                            std::string_view connectivity) {
  ObjectText object(out_);
  object.String("endpointId", endpoint.port_id);
  object.String("endpointName", endpoint.endpoint_name);
  object.String("endpointType", "PORT");
  object.String("cloudRegionId", "");
  object.String("cloudAccountId", "");
  object.Key("dataCenter") += DataCenterJson(port);
  object.Int("vlanId", endpoint.vlan_id);
  object.String("connectivityStatus", connectivity);
  if (version_ == SdnVersion::k20260401) {
    object.String("sharedChannelId", "");
  }
}

void PrivateConnectArrayWriter::Add(const service::PrivateConnectDetails& details) {
  const store::PrivateConnect& connect = details.connect;
  const std::string_view connectivity =
      connect.status == service::kPrivateConnectRunning ? "ACTIVE" : "DOWN";
  if (!first_) out_ += ',';
  first_ = false;
  ObjectText object(out_);
  object.String("privateConnectId", connect.private_connect_id);
  object.String("privateConnectName", connect.name);
  object.String("connectivityStatus", connectivity);
  object.String("privateConnectStatus", connect.status);
  object.Int("bandwidthMbps", connect.bandwidth_mbps);
  object.Key("endpointA");
  AddEndpoint(connect.endpoint_a, details.port_a, connectivity);
  object.Key("endpointZ");
  AddEndpoint(connect.endpoint_z, details.port_z, connectivity);
  object.String("resourceGroupId", kDefaultResourceGroupId);
  object.String("resourceGroupName", kDefaultResourceGroupName);
  object.String("createTime", IsoSeconds(connect.created_at_ms));
  if (connect.recycled_at_ms != 0) {
    object.String("recycledTime", IsoSeconds(connect.recycled_at_ms));
  }
  if (version_ == SdnVersion::k20260401) {
    object.String("source", kPrivateConnectSource);
    object.Key("tags") += boost::json::serialize(RenderTags(connect.tags_json));
  }
}

}  // namespace connectplane::api::zenlayer
