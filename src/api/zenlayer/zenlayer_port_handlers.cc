// ZenlayerApi's handlers for ports and the data center catalog: each parses
// (zenlayer_port_requests.h), calls one PortService method and renders the
// answer (zenlayer_json.h).
#include "api/zenlayer/zenlayer_api.h"
#include "api/zenlayer/zenlayer_json.h"
#include "api/zenlayer/zenlayer_port_requests.h"
#include "api/zenlayer/zenlayer_versions.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include <string>
#include <vector>

namespace connectplane::api::zenlayer {

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribePorts(
    const boost::json::object& body, const service::Caller& caller) {
  const SdnVersion version = VersionOf(caller);
  const bool tagged = version == SdnVersion::k20260401;
  boost::json::object rest = body;
  ASSIGN_OR_RETURN(service::ResourceFilter resource_filter,
                   TakeResourceFilter(rest, {.resource_group_id = tagged, .tags = tagged}));
  ASSIGN_OR_RETURN(service::PortQuery query, ParseDescribePorts(rest, version));
  query.resource_filter = std::move(resource_filter);
  ASSIGN_OR_RETURN(store::Page<store::ZenlayerPort> page, ports_.DescribePorts(caller, query));
  boost::json::array data_set;
  for (const store::ZenlayerPort& port : page.items) {
    data_set.push_back(RenderPort(port, version));
  }
  boost::json::object response;
  response["totalCount"] = page.total;
  response["dataSet"] = std::move(data_set);
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::CreatePort(const boost::json::object& body,
                                                                  const service::Caller& caller) {
  const SdnVersion version = VersionOf(caller);
  ASSIGN_OR_RETURN(service::CreatePortRequest request, ParseCreatePort(body, version));
  ASSIGN_OR_RETURN(std::string port_id, ports_.CreatePort(caller, request));
  boost::json::object response;
  response["portId"] = port_id;
  if (version == SdnVersion::k20260401) {
    // [ours] As CreatePrivateConnect's: the order's number format is in no source.
    response["orderNumber"] = common::StrCat("ORD", port_id);
  }
  return response;
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::ModifyPortAttribute(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(service::ModifyPortRequest request, ParseModifyPortAttribute(body));
  RETURN_IF_ERROR(ports_.ModifyPortAttribute(caller, request));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::TerminatePort(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(std::string port_id, ParsePortIdOnly(body));
  RETURN_IF_ERROR(ports_.TerminatePort(caller, port_id));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::RenewPort(const boost::json::object& body,
                                                                 const service::Caller& caller) {
  ASSIGN_OR_RETURN(std::string port_id, ParsePortIdOnly(body));
  RETURN_IF_ERROR(ports_.RenewPort(caller, port_id));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DestroyPort(const boost::json::object& body,
                                                                   const service::Caller& caller) {
  ASSIGN_OR_RETURN(std::string port_id, ParsePortIdOnly(body));
  RETURN_IF_ERROR(ports_.DestroyPort(caller, port_id));
  return boost::json::object();
}

absl::StatusOr<ZenlayerApi::ActionResult> ZenlayerApi::DescribeDatacenters(
    const boost::json::object& body, const service::Caller& caller) {
  ASSIGN_OR_RETURN(service::DatacenterQuery query, ParseDescribeDatacenters(body));
  ASSIGN_OR_RETURN(std::vector<store::ZenlayerDatacenter> catalog,
                   ports_.DescribeDatacenters(caller, query));
  boost::json::array dc_set;
  for (const store::ZenlayerDatacenter& datacenter : catalog) {
    dc_set.push_back(RenderDatacenter(datacenter));
  }
  boost::json::object response;
  response["dcSet"] = std::move(dc_set);
  return response;
}

}  // namespace connectplane::api::zenlayer
