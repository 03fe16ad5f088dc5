#include "api/zenlayer/zenlayer_requests.h"

#include "api/zenlayer/zenlayer_errors.h"
#include "common/json_reader.h"
#include "common/status.h"
#include "common/strings.h"

#include <optional>
#include <utility>

namespace connectplane::api::zenlayer {
namespace {

absl::Status Invalid(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidParameter, message);
}

}  // namespace

absl::Status ZenlayerFieldError(const common::JsonFieldError& error) {
  switch (error.problem) {
    case common::JsonProblem::kUnknownKey:
      return Invalid(common::StrCat("The parameter `", common::QuoteUntrusted(error.path),
                                    "` is not supported."));
    case common::JsonProblem::kMissing:
      return common::InvalidArgument(
          kReasonMissingParameter, common::StrCat("The parameter `", error.path, "` is required."));
    case common::JsonProblem::kWrongType:
    case common::JsonProblem::kNotAllowed:
      return Invalid(
          common::StrCat("The parameter `", error.path, "` must be ", error.expected, "."));
    case common::JsonProblem::kOutOfRange:
    case common::JsonProblem::kTooLong:
      return Invalid(common::StrCat("The parameter `", error.path, "` is out of range."));
  }
  return Invalid("Invalid parameter.");
}

namespace {

common::JsonReader TopLevel(const boost::json::object& body) {
  return common::JsonReader(body, "", &ZenlayerFieldError);
}

// The SDKs omit empty strings (omitempty), so "" counts as missing where a
// value is required.
constexpr common::StringRules kRequired{.empty_is_absent = true};
// Ids in a list: "" is never an id.
constexpr common::StringRules kIdList{.allow_empty = false};

absl::StatusOr<service::PortEndpointRequest> ParseEndpoint(const common::JsonReader& body,
                                                           std::string_view key,
                                                           SdnVersion version) {
  ASSIGN_OR_RETURN(common::JsonReader endpoint, body.RequiredObject(key));
  // Both versions' CreateEndpointParam have cloudBandwidthMbps; 2026-04-01's
  // has no subnetId.
  if (version == SdnVersion::k20260401) {
    RETURN_IF_ERROR(
        endpoint.CheckKnown({"portId", "vlanId", "cloudAccountId", "cloudRegionId", "dcId",
                             "cloudType", "endpointName", "haType", "cloudBandwidthMbps"}));
  } else {
    RETURN_IF_ERROR(
        endpoint.CheckKnown({"subnetId", "portId", "vlanId", "cloudAccountId", "cloudRegionId",
                             "dcId", "cloudType", "endpointName", "haType", "cloudBandwidthMbps"}));
  }
  // [ours] The bandwidth of a cloud endpoint's cloud side: type-checked and
  // ignored, as a PORT endpoint has no cloud side.
  RETURN_IF_ERROR(endpoint.Int("cloudBandwidthMbps").status());
  // Cloud (AWS/TENCENT/GOOGLE) and VPC endpoints are not emulated: the members
  // are accepted by the model but any value is refused as an endpoint error.
  RETURN_IF_ERROR(RefuseCloudEndpointMembers(
      endpoint, {"subnetId", "cloudAccountId", "cloudRegionId", "cloudType", "haType"}));
  service::PortEndpointRequest request;
  ASSIGN_OR_RETURN(std::optional<std::string> port_id,
                   endpoint.String("portId", {.empty_is_absent = true}));
  if (!port_id) {
    return common::InvalidArgument(
        service::kReasonEndpointParameter,
        common::StrCat("`", endpoint.PathOf("portId"), "` is required for a PORT endpoint."));
  }
  request.port_id = std::move(*port_id);
  ASSIGN_OR_RETURN(request.vlan_id, endpoint.RequiredInt("vlanId"));
  ASSIGN_OR_RETURN(request.dc_id, endpoint.String("dcId"));
  ASSIGN_OR_RETURN(request.endpoint_name, endpoint.String("endpointName"));
  return request;
}

}  // namespace

common::JsonReader BodyReader(const boost::json::object& body) { return TopLevel(body); }

// marketingOptions (MarketingInfo): {discountCode string, usePocVoucher
// bool}. [ours] Type-checked and ignored: nothing here is billed.
absl::Status ParseMarketingOptions(const common::JsonReader& body) {
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> options, body.Object("marketingOptions"));
  if (!options) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(options->CheckKnown({"discountCode", "usePocVoucher"}));
  RETURN_IF_ERROR(options->String("discountCode").status());
  return options->Bool("usePocVoucher").status();
}

// tags (TagAssociation): {"tags": [{"key": string (required), "value": string}]}.
absl::StatusOr<std::vector<service::ResourceTag>> ParseTagAssociation(
    const common::JsonReader& body) {
  std::vector<service::ResourceTag> tags;
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> association, body.Object("tags"));
  if (!association) {
    return tags;
  }
  RETURN_IF_ERROR(association->CheckKnown({"tags"}));
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> entries, association->ObjectList("tags"));
  for (const common::JsonReader& entry : entries) {
    RETURN_IF_ERROR(entry.CheckKnown({"key", "value"}));
    service::ResourceTag tag;
    ASSIGN_OR_RETURN(tag.key, entry.RequiredString("key", kRequired));
    ASSIGN_OR_RETURN(std::optional<std::string> value, entry.String("value"));
    tag.value = value.value_or("");
    tags.push_back(std::move(tag));
  }
  return tags;
}

absl::Status ReadPage(const common::JsonReader& body, int64_t& page_num, int64_t& page_size) {
  ASSIGN_OR_RETURN(std::optional<int64_t> num, body.Int("pageNum"));
  ASSIGN_OR_RETURN(std::optional<int64_t> size, body.Int("pageSize"));
  page_num = num.value_or(1);
  page_size = size.value_or(service::kDefaultPageSize);
  return absl::OkStatus();
}

absl::Status RefuseCloudEndpointMembers(const common::JsonReader& endpoint,
                                        std::initializer_list<std::string_view> members) {
  for (std::string_view cloud_member : members) {
    ASSIGN_OR_RETURN(std::optional<std::string> cloud_value,
                     endpoint.String(cloud_member, {.empty_is_absent = true}));
    if (cloud_value) {
      return common::InvalidArgument(
          service::kReasonEndpointParameter,
          common::StrCat("Only PORT endpoints are supported: `", endpoint.PathOf(cloud_member),
                         "` cannot be set."));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<service::CreatePrivateConnectRequest> ParseCreatePrivateConnect(
    const boost::json::object& body, SdnVersion version) {
  const common::JsonReader reader = TopLevel(body);
  if (version == SdnVersion::k20260401) {
    RETURN_IF_ERROR(
        reader.CheckKnown({"privateConnectName", "endpointA", "endpointZ", "bandwidthMbps",
                           "resourceGroupId", "tags", "marketingOptions"}));
  } else {
    RETURN_IF_ERROR(reader.CheckKnown({"privateConnectName", "endpointA", "endpointZ",
                                       "bandwidthMbps", "resourceGroupId", "marketingOptions"}));
  }
  service::CreatePrivateConnectRequest request;
  ASSIGN_OR_RETURN(request.name, reader.String("privateConnectName"));
  ASSIGN_OR_RETURN(request.endpoint_a, ParseEndpoint(reader, "endpointA", version));
  ASSIGN_OR_RETURN(request.endpoint_z, ParseEndpoint(reader, "endpointZ", version));
  RETURN_IF_ERROR(ParseMarketingOptions(reader));
  if (version == SdnVersion::k20260401) {
    ASSIGN_OR_RETURN(request.tags, ParseTagAssociation(reader));
  }
  ASSIGN_OR_RETURN(request.bandwidth_mbps, reader.Int("bandwidthMbps"));
  // [ours] Every account has one resource group; the id is accepted and ignored.
  RETURN_IF_ERROR(reader.String("resourceGroupId").status());
  return request;
}

absl::StatusOr<service::PrivateConnectQuery> ParseDescribePrivateConnects(
    const boost::json::object& body) {
  const common::JsonReader reader = TopLevel(body);
  RETURN_IF_ERROR(reader.CheckKnown({"privateConnectIds", "privateConnectName",
                                     "connectivityStatus", "privateConnectStatus", "endpointTypes",
                                     "resourceGroupId", "pageNum", "pageSize"}));
  // Empty strings are what an SDK sends for "no filter" only when it does not
  // use omitempty; treat them as absent.
  constexpr common::StringRules kFilter{.empty_is_absent = true};
  service::PrivateConnectQuery query;
  ASSIGN_OR_RETURN(query.ids, reader.StringList("privateConnectIds", kIdList));
  ASSIGN_OR_RETURN(query.name, reader.String("privateConnectName", kFilter));
  ASSIGN_OR_RETURN(query.status, reader.String("privateConnectStatus", kFilter));
  ASSIGN_OR_RETURN(query.connectivity, reader.String("connectivityStatus", kFilter));
  ASSIGN_OR_RETURN(query.endpoint_types, reader.StringList("endpointTypes", kIdList));
  RETURN_IF_ERROR(reader.String("resourceGroupId").status());
  RETURN_IF_ERROR(ReadPage(reader, query.page_num, query.page_size));
  return query;
}

absl::StatusOr<ModifyAttributeRequest> ParseModifyPrivateConnectsAttribute(
    const boost::json::object& body) {
  const common::JsonReader reader = TopLevel(body);
  RETURN_IF_ERROR(reader.CheckKnown({"privateConnectIds", "privateConnectName"}));
  ModifyAttributeRequest request;
  ASSIGN_OR_RETURN(request.ids, reader.StringList("privateConnectIds", kIdList));
  if (request.ids.empty()) {
    return reader.Error(common::JsonProblem::kMissing, "privateConnectIds");
  }
  ASSIGN_OR_RETURN(request.name, reader.RequiredString("privateConnectName", kRequired));
  return request;
}

absl::StatusOr<ModifyBandwidthRequest> ParseModifyPrivateConnectBandwidth(
    const boost::json::object& body) {
  const common::JsonReader reader = TopLevel(body);
  RETURN_IF_ERROR(reader.CheckKnown({"privateConnectId", "bandwidthMbps"}));
  ModifyBandwidthRequest request;
  ASSIGN_OR_RETURN(request.id, reader.RequiredString("privateConnectId", kRequired));
  ASSIGN_OR_RETURN(request.bandwidth_mbps, reader.RequiredInt("bandwidthMbps"));
  return request;
}

absl::StatusOr<std::string> ParsePrivateConnectIdOnly(const boost::json::object& body) {
  const common::JsonReader reader = TopLevel(body);
  RETURN_IF_ERROR(reader.CheckKnown({"privateConnectId"}));
  return reader.RequiredString("privateConnectId", kRequired);
}

}  // namespace connectplane::api::zenlayer
