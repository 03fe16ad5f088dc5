// Wire shapes of Zenlayer SDN resources with the field names and JSON types of
// the official SDK models (docs/reference/zenlayer-sdn-api.md sections 3.2 and
// 3.5). Pure functions; thread-safe.
#pragma once

#include "api/zenlayer/zenlayer_versions.h"
#include "service/port_service.h"
#include "service/private_connect_service.h"
#include "store/models.h"

#include "boost/json/object.hpp"
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::api::zenlayer {

// ISO 8601 UTC with seconds, "YYYY-MM-DDThh:mm:ssZ".
std::string IsoSeconds(int64_t unix_ms);

// PortInfo: the stored attributes (dataCenter flattened into dcName, cityName,
// areaName when those are not given), overlaid by the columns; connectionStatus
// DOWN unless RUNNING, loaStatus LOA_NOT_UPLOAD while CREATING (both unless
// seeded), expiredTime when the port expires. `version` 2026-04-01 adds tags
// and isCreateBusinessAllowed (PY-SDN26 / JAVA-SDN26 PortInfo): true exactly
// while the port is RUNNING, the status CreatePrivateConnect requires [ours].
boost::json::object RenderPort(const store::ZenlayerPort& port,
                               SdnVersion version = SdnVersion::k20230830);

// DatacenterInfo of DescribeDatacenters: service::DatacenterInfoOf plus
// isPortAvailable.
boost::json::object RenderDatacenter(const store::ZenlayerDatacenter& datacenter);

// PrivateConnect: privateConnectId, privateConnectName, connectivityStatus
// (ACTIVE while RUNNING, else DOWN), privateConnectStatus, bandwidthMbps,
// endpointA/endpointZ (endpointType PORT, endpointId = the port id, vlanId a
// number, dataCenter from the port), resourceGroupId/Name, createTime and,
// while RECYCLED, recycledTime.
// `version` 2026-04-01 adds source and tags, and each endpoint's
// sharedChannelId: "" for a PORT endpoint (JAVA-SDN26: set only for public
// cloud endpoints; "" like cloudRegionId and cloudAccountId [ours]).
boost::json::object RenderPrivateConnect(const service::PrivateConnectDetails& details,
                                         SdnVersion version = SdnVersion::k20230830);

// The `source` of a private connect in 2026-04-01 answers. [ours: no source
// lists the values; every connect here was made through the API or a seed]
inline constexpr std::string_view kPrivateConnectSource = "API";

// Writes a JSON array of PrivateConnects straight into a string: the same
// values as RenderPrivateConnect (tests compare the two), without building a
// JSON tree per connect, which cost about 3 µs per connect of a Describe page
// in the read profile (docs/performance.md). Each port's dataCenter is serialized once.
class PrivateConnectArrayWriter {
 public:
  // `out` receives "[...]" once Finish() is called; it is appended to.
  explicit PrivateConnectArrayWriter(std::string& out, SdnVersion version = SdnVersion::k20230830);
  void Add(const service::PrivateConnectDetails& details);
  void Finish();

 private:
  void AddEndpoint(const store::PrivateConnectEndpoint& endpoint,
                   const std::optional<store::ZenlayerPort>& port, std::string_view connectivity);
  const std::string& DataCenterJson(const std::optional<store::ZenlayerPort>& port);

  std::string& out_;
  const SdnVersion version_;
  bool first_ = true;
  std::map<std::string, std::string, std::less<>> data_center_json_;
};

}  // namespace connectplane::api::zenlayer
