// Strict parsers for the port and data center action bodies, with the rules of
// zenlayer_requests.h: exactly the SDK model's members (sdn20230830), unknown
// members and wrong JSON types refused, absent required members reported as
// missing; length and value rules are PortService's. Pure; thread-safe.
#pragma once

#include "api/zenlayer/zenlayer_versions.h"
#include "service/port_service.h"

#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <string>

namespace connectplane::api::zenlayer {

// dcId, portName, portType, businessEntityName (required), portRemarks,
// marketingOptions (accepted, ignored); 2026-04-01 adds tags (TagAssociation).
absl::StatusOr<service::CreatePortRequest> ParseCreatePort(const boost::json::object& body,
                                                          SdnVersion version);

// portIds, dcId, portName, portRemarks, cityName, pageNum, pageSize. Version
// 2026-04-01's DescribePortsRequest has no portRemarks (PY-SDN26, JAVA-SDN26):
// there it is refused as not supported, like any member a version lacks.
absl::StatusOr<service::PortQuery> ParseDescribePorts(const boost::json::object& body,
                                                      SdnVersion version);

// portId (required), portName, portRemarks, businessEntityName.
absl::StatusOr<service::ModifyPortRequest> ParseModifyPortAttribute(
    const boost::json::object& body);

// {"portId": string} for TerminatePort, RenewPort and DestroyPort.
absl::StatusOr<std::string> ParsePortIdOnly(const boost::json::object& body);

// dcIds, isPortAvailable.
absl::StatusOr<service::DatacenterQuery> ParseDescribeDatacenters(const boost::json::object& body);

}  // namespace connectplane::api::zenlayer
