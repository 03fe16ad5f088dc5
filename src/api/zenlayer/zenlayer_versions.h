// The SDN API versions the dialect serves (X-ZC-Version) and what differs
// between them: which request members each version has and which answer
// members it adds. The version a request named travels with it in
// service::Caller::api_version (set by ZenlayerApi::Handle), so handlers and
// parsers read it from the request, never from a global. Pure functions;
// thread-safe.
#pragma once

#include "service/caller.h"
#include "service/resource_tags.h"

#include "absl/status/statusor.h"
#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::api::zenlayer {

// Go package sdn20230830 / Python zenlayercloud.sdn.v20230830.
inline constexpr std::string_view kSdnVersion20230830 = "2023-08-30";
// Python zenlayercloud.sdn.v20260401 / Java sdn20260401: adds tags, tag and
// resource-group filters, orderNumber and source.
inline constexpr std::string_view kSdnVersion20260401 = "2026-04-01";

inline constexpr std::string_view kReasonUnknownVersion = "ZC_UNKNOWN_VERSION";

enum class SdnVersion { k20230830, k20260401 };

// The version named by an X-ZC-Version header value. A missing or empty
// header means 2023-08-30 (every SDK sends the header; clients written
// against the docs' curl examples, which predate 2026-04-01, may not).
// Errors: InvalidArgument ZC_UNKNOWN_VERSION for any other value.
absl::StatusOr<SdnVersion> ResolveSdnVersion(std::optional<std::string_view> header);

std::string_view SdnVersionName(SdnVersion version);

// The version a request's context carries (2023-08-30 when unset, as for
// callers built outside a request).
SdnVersion VersionOf(const service::Caller& caller);

// Which Describe members TakeResourceFilter takes out of a body.
struct ResourceFilterMembers {
  bool resource_group_id = false;
  bool tags = false;  // tagKeys and tags
};

// Removes the members `members` names from `body` and reads them:
// resourceGroupId string, tagKeys [string], tags [{key (required), value}].
// Members not named stay in `body` for the action's strict parser, which
// refuses them as not supported. Errors: InvalidArgument ZC_INVALID_PARAMETER
// (wrong types, unknown members of a tag), ZC_MISSING_PARAMETER (a tag
// without key); `body` is unchanged on error.
absl::StatusOr<service::ResourceFilter> TakeResourceFilter(boost::json::object& body,
                                                           ResourceFilterMembers members);

// The Tags answer shape of version 2026-04-01: {"tags": [{"key","value"}]}.
boost::json::object RenderTags(std::string_view tags_json);

}  // namespace connectplane::api::zenlayer
