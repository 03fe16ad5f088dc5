#include "api/zenlayer/zenlayer_requests.h"

#include "api/zenlayer/zenlayer_errors.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include <initializer_list>
#include <optional>

namespace connectplane::api::zenlayer {
namespace {

absl::Status Invalid(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidParameter, message);
}

absl::Status Missing(std::string_view field) {
  return common::InvalidArgument(kReasonMissingParameter,
                                 common::StrCat("The parameter `", field, "` is required."));
}

absl::Status CheckFields(const boost::json::object& object, std::string_view path,
                         std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : object) {
    std::string_view key(entry.key().data(), entry.key().size());
    bool known = false;
    for (std::string_view name : allowed) {
      known = known || key == name;
    }
    if (!known) {
      return Invalid(common::StrCat("The parameter `", path, common::QuoteUntrusted(key),
                                    "` is not supported."));
    }
  }
  return absl::OkStatus();
}

const boost::json::value* Present(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

absl::StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                          std::string_view path,
                                                          std::string_view key) {
  const boost::json::value* value = Present(object, key);
  if (value == nullptr) {
    return std::optional<std::string>();
  }
  if (!value->is_string()) {
    return Invalid(common::StrCat("The parameter `", path, key, "` must be a string."));
  }
  return std::optional<std::string>(std::string(value->as_string()));
}

// The SDKs omit empty strings (omitempty), so "" counts as missing.
absl::StatusOr<std::string> RequiredString(const boost::json::object& object, std::string_view path,
                                           std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(object, path, key));
  if (!value || value->empty()) {
    return Missing(common::StrCat(path, key));
  }
  return std::move(*value);
}

absl::StatusOr<std::optional<int64_t>> OptionalInt(const boost::json::object& object,
                                                   std::string_view path, std::string_view key) {
  const boost::json::value* value = Present(object, key);
  if (value == nullptr) {
    return std::optional<int64_t>();
  }
  if (value->is_int64()) {
    return std::optional<int64_t>(value->as_int64());
  }
  if (value->is_uint64()) {
    return Invalid(common::StrCat("The parameter `", path, key, "` is out of range."));
  }
  return Invalid(common::StrCat("The parameter `", path, key, "` must be an integer."));
}

absl::StatusOr<int64_t> RequiredInt(const boost::json::object& object, std::string_view path,
                                    std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalInt(object, path, key));
  if (!value) {
    return Missing(common::StrCat(path, key));
  }
  return *value;
}

absl::StatusOr<std::vector<std::string>> StringList(const boost::json::object& object,
                                                    std::string_view key) {
  std::vector<std::string> out;
  const boost::json::value* value = Present(object, key);
  if (value == nullptr) {
    return out;
  }
  if (!value->is_array()) {
    return Invalid(common::StrCat("The parameter `", key, "` must be an array of strings."));
  }
  for (const boost::json::value& item : value->as_array()) {
    if (!item.is_string() || item.as_string().empty()) {
      return Invalid(
          common::StrCat("The parameter `", key, "` must be an array of non-empty strings."));
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

absl::Status ReadPage(const boost::json::object& body, int64_t& page_num, int64_t& page_size) {
  ASSIGN_OR_RETURN(std::optional<int64_t> num, OptionalInt(body, "", "pageNum"));
  ASSIGN_OR_RETURN(std::optional<int64_t> size, OptionalInt(body, "", "pageSize"));
  page_num = num.value_or(1);
  page_size = size.value_or(service::kDefaultPageSize);
  return absl::OkStatus();
}

absl::StatusOr<service::PortEndpointRequest> ParseEndpoint(const boost::json::object& body,
                                                           std::string_view key) {
  const boost::json::value* value = Present(body, key);
  if (value == nullptr) {
    return Missing(key);
  }
  if (!value->is_object()) {
    return Invalid(common::StrCat("The parameter `", key, "` must be an object."));
  }
  const boost::json::object& object = value->as_object();
  const std::string path = common::StrCat(key, ".");
  RETURN_IF_ERROR(CheckFields(object, path,
                              {"subnetId", "portId", "vlanId", "cloudAccountId", "cloudRegionId",
                               "dcId", "cloudType", "endpointName", "haType"}));
  // Cloud (AWS/TENCENT/GOOGLE) and VPC endpoints are not emulated: the fields
  // are accepted by the model but any value is refused as an endpoint error.
  for (std::string_view cloud_field :
       {"subnetId", "cloudAccountId", "cloudRegionId", "cloudType", "haType"}) {
    ASSIGN_OR_RETURN(std::optional<std::string> cloud_value,
                     OptionalString(object, path, cloud_field));
    if (cloud_value && !cloud_value->empty()) {
      return common::InvalidArgument(service::kReasonEndpointParameter,
                                     common::StrCat("Only PORT endpoints are supported: `", path,
                                                    cloud_field, "` cannot be set."));
    }
  }
  service::PortEndpointRequest endpoint;
  ASSIGN_OR_RETURN(std::optional<std::string> port_id, OptionalString(object, path, "portId"));
  if (!port_id || port_id->empty()) {
    return common::InvalidArgument(service::kReasonEndpointParameter,
                                   common::StrCat("`", path,
                                                  "portId` is required for a PORT "
                                                  "endpoint."));
  }
  endpoint.port_id = std::move(*port_id);
  ASSIGN_OR_RETURN(endpoint.vlan_id, RequiredInt(object, path, "vlanId"));
  ASSIGN_OR_RETURN(endpoint.dc_id, OptionalString(object, path, "dcId"));
  ASSIGN_OR_RETURN(endpoint.endpoint_name, OptionalString(object, path, "endpointName"));
  return endpoint;
}

}  // namespace

absl::StatusOr<service::CreatePrivateConnectRequest> ParseCreatePrivateConnect(
    const boost::json::object& body) {
  RETURN_IF_ERROR(CheckFields(
      body, "",
      {"privateConnectName", "endpointA", "endpointZ", "bandwidthMbps", "resourceGroupId"}));
  service::CreatePrivateConnectRequest request;
  ASSIGN_OR_RETURN(request.name, OptionalString(body, "", "privateConnectName"));
  ASSIGN_OR_RETURN(request.endpoint_a, ParseEndpoint(body, "endpointA"));
  ASSIGN_OR_RETURN(request.endpoint_z, ParseEndpoint(body, "endpointZ"));
  ASSIGN_OR_RETURN(request.bandwidth_mbps, OptionalInt(body, "", "bandwidthMbps"));
  // [ours] Every account has one resource group; the id is accepted and ignored.
  RETURN_IF_ERROR(OptionalString(body, "", "resourceGroupId").status());
  return request;
}

absl::StatusOr<service::PrivateConnectQuery> ParseDescribePrivateConnects(
    const boost::json::object& body) {
  RETURN_IF_ERROR(CheckFields(
      body, "",
      {"privateConnectIds", "privateConnectName", "connectivityStatus", "privateConnectStatus",
       "endpointTypes", "resourceGroupId", "pageNum", "pageSize"}));
  service::PrivateConnectQuery query;
  ASSIGN_OR_RETURN(query.ids, StringList(body, "privateConnectIds"));
  ASSIGN_OR_RETURN(query.name, OptionalString(body, "", "privateConnectName"));
  ASSIGN_OR_RETURN(query.status, OptionalString(body, "", "privateConnectStatus"));
  ASSIGN_OR_RETURN(query.connectivity, OptionalString(body, "", "connectivityStatus"));
  ASSIGN_OR_RETURN(query.endpoint_types, StringList(body, "endpointTypes"));
  RETURN_IF_ERROR(OptionalString(body, "", "resourceGroupId").status());
  RETURN_IF_ERROR(ReadPage(body, query.page_num, query.page_size));
  // Empty strings are what an SDK sends for "no filter" only when it does not
  // use omitempty; treat them as absent.
  if (query.name && query.name->empty()) query.name.reset();
  if (query.status && query.status->empty()) query.status.reset();
  if (query.connectivity && query.connectivity->empty()) query.connectivity.reset();
  return query;
}

absl::StatusOr<service::PortQuery> ParseDescribePorts(const boost::json::object& body) {
  RETURN_IF_ERROR(CheckFields(
      body, "", {"portIds", "dcId", "portName", "portRemarks", "cityName", "pageNum", "pageSize"}));
  service::PortQuery query;
  ASSIGN_OR_RETURN(query.port_ids, StringList(body, "portIds"));
  ASSIGN_OR_RETURN(query.dc_id, OptionalString(body, "", "dcId"));
  ASSIGN_OR_RETURN(query.port_name, OptionalString(body, "", "portName"));
  // [ours] portRemarks / cityName are accepted and not applied as filters.
  RETURN_IF_ERROR(OptionalString(body, "", "portRemarks").status());
  RETURN_IF_ERROR(OptionalString(body, "", "cityName").status());
  RETURN_IF_ERROR(ReadPage(body, query.page_num, query.page_size));
  if (query.dc_id && query.dc_id->empty()) query.dc_id.reset();
  if (query.port_name && query.port_name->empty()) query.port_name.reset();
  return query;
}

absl::StatusOr<ModifyAttributeRequest> ParseModifyPrivateConnectsAttribute(
    const boost::json::object& body) {
  RETURN_IF_ERROR(CheckFields(body, "", {"privateConnectIds", "privateConnectName"}));
  ModifyAttributeRequest request;
  ASSIGN_OR_RETURN(request.ids, StringList(body, "privateConnectIds"));
  if (request.ids.empty()) {
    return Missing("privateConnectIds");
  }
  ASSIGN_OR_RETURN(request.name, RequiredString(body, "", "privateConnectName"));
  return request;
}

absl::StatusOr<ModifyBandwidthRequest> ParseModifyPrivateConnectBandwidth(
    const boost::json::object& body) {
  RETURN_IF_ERROR(CheckFields(body, "", {"privateConnectId", "bandwidthMbps"}));
  ModifyBandwidthRequest request;
  ASSIGN_OR_RETURN(request.id, RequiredString(body, "", "privateConnectId"));
  ASSIGN_OR_RETURN(request.bandwidth_mbps, RequiredInt(body, "", "bandwidthMbps"));
  return request;
}

absl::StatusOr<std::string> ParsePrivateConnectIdOnly(const boost::json::object& body) {
  RETURN_IF_ERROR(CheckFields(body, "", {"privateConnectId"}));
  return RequiredString(body, "", "privateConnectId");
}

}  // namespace connectplane::api::zenlayer
