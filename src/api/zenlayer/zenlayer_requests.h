// Strict parsers for the Zenlayer SDN action bodies: each accepts exactly the
// request fields of the SDK model of the request's version (sdn20230830, and
// where they differ sdn v20260401; zenlayer_versions.h), rejects unknown fields and
// wrong JSON types with ZC_INVALID_PARAMETER and absent required fields with
// ZC_MISSING_PARAMETER, and never touches state. JSON null counts as absent.
// Range rules (bandwidth, VLAN, name length, page bounds) are the service's.
// Pure functions; thread-safe.
#pragma once

#include "api/zenlayer/zenlayer_versions.h"
#include "common/json_reader.h"
#include "service/private_connect_service.h"

#include "common/json_reader.h"

#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <initializer_list>
#include <string>
#include <vector>

namespace connectplane::api::zenlayer {

// A reader of an action body whose member errors carry Zenlayer's wording and
// reasons (ZC_INVALID_PARAMETER / ZC_MISSING_PARAMETER): what every parser,
// here and in zenlayer_port_requests.cc, starts from.
common::JsonReader BodyReader(const boost::json::object& body);

// pageNum (default 1) and pageSize (default 20) of a Describe body.
absl::Status ReadPage(const common::JsonReader& body, int64_t& page_num, int64_t& page_size);

// Cloud (AWS/TENCENT/GOOGLE) and VPC endpoints are not emulated: a non-empty
// value of any of `members` of an endpoint object is InvalidArgument
// ENDPOINT_PARAMETER naming the member.
absl::Status RefuseCloudEndpointMembers(const common::JsonReader& endpoint,
                                        std::initializer_list<std::string_view> members);

// marketingOptions (MarketingInfo {discountCode, usePocVoucher}), in both
// versions of CreatePrivateConnect and CreatePort: type-checked, no effect.
absl::Status ParseMarketingOptions(const common::JsonReader& body);

// tags (TagAssociation {"tags": [{key (required), value}]}), a 2026-04-01
// member of CreatePrivateConnect and CreatePort; none when absent.
absl::StatusOr<std::vector<service::ResourceTag>> ParseTagAssociation(
    const common::JsonReader& body);

// Zenlayer's wording for a member problem ("The parameter `path` ..."): the
// error factory of every JsonReader over a Zenlayer body.
absl::Status ZenlayerFieldError(const common::JsonFieldError& error);

// Members by version: both accept marketingOptions and an endpoint's
// cloudBandwidthMbps (type-checked, ignored); 2026-04-01 adds tags and drops
// the endpoint's subnetId.
absl::StatusOr<service::CreatePrivateConnectRequest> ParseCreatePrivateConnect(
    const boost::json::object& body, SdnVersion version);

absl::StatusOr<service::PrivateConnectQuery> ParseDescribePrivateConnects(
    const boost::json::object& body);

struct ModifyAttributeRequest {
  std::vector<std::string> ids;
  std::string name;
};
absl::StatusOr<ModifyAttributeRequest> ParseModifyPrivateConnectsAttribute(
    const boost::json::object& body);

struct ModifyBandwidthRequest {
  std::string id;
  int64_t bandwidth_mbps = 0;
};
absl::StatusOr<ModifyBandwidthRequest> ParseModifyPrivateConnectBandwidth(
    const boost::json::object& body);

// {"privateConnectId": string} for Delete/Renew/Destroy (and their aliases).
absl::StatusOr<std::string> ParsePrivateConnectIdOnly(const boost::json::object& body);

}  // namespace connectplane::api::zenlayer
