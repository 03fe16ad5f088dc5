#include "api/zenlayer/zenlayer_port_requests.h"

#include "api/zenlayer/zenlayer_requests.h"
#include "common/json_reader.h"
#include "common/status.h"

#include <optional>

namespace connectplane::api::zenlayer {
namespace {

// The SDKs omit empty strings (omitempty): "" counts as absent.
constexpr common::StringRules kRequired{.empty_is_absent = true};
constexpr common::StringRules kFilter{.empty_is_absent = true};
constexpr common::StringRules kIdList{.allow_empty = false};

}  // namespace

absl::StatusOr<service::CreatePortRequest> ParseCreatePort(const boost::json::object& body,
                                                          SdnVersion version) {
  const common::JsonReader reader = BodyReader(body);
  if (version == SdnVersion::k20260401) {
    RETURN_IF_ERROR(reader.CheckKnown({"dcId", "portName", "portRemarks", "portType",
                                       "businessEntityName", "marketingOptions", "tags"}));
  } else {
    RETURN_IF_ERROR(reader.CheckKnown(
        {"dcId", "portName", "portRemarks", "portType", "businessEntityName", "marketingOptions"}));
  }
  service::CreatePortRequest request;
  ASSIGN_OR_RETURN(request.dc_id, reader.RequiredString("dcId", kRequired));
  ASSIGN_OR_RETURN(request.port_name, reader.RequiredString("portName", kRequired));
  ASSIGN_OR_RETURN(request.port_remarks, reader.String("portRemarks"));
  ASSIGN_OR_RETURN(request.port_type, reader.RequiredString("portType", kRequired));
  ASSIGN_OR_RETURN(request.business_entity_name,
                   reader.RequiredString("businessEntityName", kRequired));
  RETURN_IF_ERROR(ParseMarketingOptions(reader));
  if (version == SdnVersion::k20260401) {
    ASSIGN_OR_RETURN(request.tags, ParseTagAssociation(reader));
  }
  return request;
}

absl::StatusOr<service::PortQuery> ParseDescribePorts(const boost::json::object& body,
                                                      SdnVersion version) {
  const common::JsonReader reader = BodyReader(body);
  if (version == SdnVersion::k20260401) {
    RETURN_IF_ERROR(
        reader.CheckKnown({"portIds", "dcId", "portName", "cityName", "pageNum", "pageSize"}));
  } else {
    RETURN_IF_ERROR(reader.CheckKnown(
        {"portIds", "dcId", "portName", "portRemarks", "cityName", "pageNum", "pageSize"}));
  }
  service::PortQuery query;
  ASSIGN_OR_RETURN(query.port_ids, reader.StringList("portIds", kIdList));
  ASSIGN_OR_RETURN(query.dc_id, reader.String("dcId", kFilter));
  ASSIGN_OR_RETURN(query.port_name, reader.String("portName", kFilter));
  ASSIGN_OR_RETURN(query.port_remarks, reader.String("portRemarks", kFilter));
  ASSIGN_OR_RETURN(query.city_name, reader.String("cityName", kFilter));
  RETURN_IF_ERROR(ReadPage(reader, query.page_num, query.page_size));
  return query;
}

absl::StatusOr<service::ModifyPortRequest> ParseModifyPortAttribute(
    const boost::json::object& body) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"portId", "portName", "portRemarks", "businessEntityName"}));
  service::ModifyPortRequest request;
  ASSIGN_OR_RETURN(request.port_id, reader.RequiredString("portId", kRequired));
  // Terraform sends all three on any change; an omitted (or, with omitempty,
  // empty) name or entity keeps the current value. Remarks may be cleared.
  ASSIGN_OR_RETURN(request.port_name, reader.String("portName", kFilter));
  ASSIGN_OR_RETURN(request.port_remarks, reader.String("portRemarks"));
  ASSIGN_OR_RETURN(request.business_entity_name, reader.String("businessEntityName", kFilter));
  return request;
}

absl::StatusOr<std::string> ParsePortIdOnly(const boost::json::object& body) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"portId"}));
  return reader.RequiredString("portId", kRequired);
}

absl::StatusOr<service::DatacenterQuery> ParseDescribeDatacenters(const boost::json::object& body) {
  const common::JsonReader reader = BodyReader(body);
  RETURN_IF_ERROR(reader.CheckKnown({"dcIds", "isPortAvailable"}));
  service::DatacenterQuery query;
  ASSIGN_OR_RETURN(query.dc_ids, reader.StringList("dcIds", kIdList));
  ASSIGN_OR_RETURN(query.port_available, reader.Bool("isPortAvailable"));
  return query;
}

}  // namespace connectplane::api::zenlayer
