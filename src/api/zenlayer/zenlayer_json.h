// Wire shapes of Zenlayer SDN resources with the field names and JSON types of
// the official SDK models (docs/reference/zenlayer-sdn-api.md sections 3.2 and
// 3.5). Pure functions; thread-safe.
#pragma once

#include "service/private_connect_service.h"
#include "store/models.h"

#include "boost/json/object.hpp"
#include <cstdint>
#include <string>

namespace connectplane::api::zenlayer {

// ISO 8601 UTC with seconds, "YYYY-MM-DDThh:mm:ssZ".
std::string IsoSeconds(int64_t unix_ms);

// PortInfo: the seeded attributes (dataCenter flattened into dcName, cityName,
// areaName when those are not given), overlaid by the columns.
boost::json::object RenderPort(const store::ZenlayerPort& port);

// PrivateConnect: privateConnectId, privateConnectName, connectivityStatus
// (ACTIVE while RUNNING, else DOWN), privateConnectStatus, bandwidthMbps,
// endpointA/endpointZ (endpointType PORT, endpointId = the port id, vlanId a
// number, dataCenter from the port), resourceGroupId/Name, createTime and,
// while RECYCLED, recycledTime.
boost::json::object RenderPrivateConnect(const service::PrivateConnectDetails& details);

}  // namespace connectplane::api::zenlayer
