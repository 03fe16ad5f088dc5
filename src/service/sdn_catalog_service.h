// Read-only Zenlayer SDN lookups: the ports a new private connect may use,
// the VLANs taken on a port, and the public-cloud regions reachable through
// Zenlayer data centers (a seeded catalog, the same for every account).
// Account-scoped lookups use Caller::tenant_id: another account's port
// answers exactly like an unknown one. Writes nothing. Safe for concurrent use.
#pragma once

#include "service/caller.h"
#include "service/private_connect_service.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Cloud types with a region list (TF CLOUD_ENDPOINT_TYPES; SDK Describe*Regions).
inline constexpr std::string_view kCloudTypeAws = "AWS";
inline constexpr std::string_view kCloudTypeGoogle = "GOOGLE";
inline constexpr std::string_view kCloudTypeTencent = "TENCENT";
// The products a cloud access point may serve (SDK DescribeAWSRegionsRequest.product).
inline constexpr std::array<std::string_view, 2> kCloudProducts = {"PrivateConnect", "CloudRouter"};

// DescribePortUsableVlan named neither a port nor a data center.
inline constexpr std::string_view kReasonPortOrDcRequired = "PORT_OR_DC_REQUIRED";

struct AvailablePortQuery {
  std::vector<std::string> port_ids;  // empty = any; at most 100
  std::optional<std::string> dc_id;
  int64_t page_num = 1;
  int64_t page_size = kDefaultPageSize;
};

// The VLAN range a port accepts and the VLANs already taken in it.
struct PortVlanUsage {
  int64_t start = kMinVlanId;
  int64_t end = kMaxVlanId;
  std::vector<int64_t> in_use;  // ascending
};

class SdnCatalogService {
 public:
  // `store` must outlive the service.
  explicit SdnCatalogService(store::Store& store);

  // The account's ports in status RUNNING (the only ones CreatePrivateConnect
  // accepts), filtered by ids and data center, then paged by port_id.
  // Errors: InvalidArgument PC_INVALID_PARAMETER (page bounds, > 100 ids); store errors.
  absl::StatusOr<store::Page<store::ZenlayerPort>> DescribePrivateConnectAvailablePorts(
      const Caller& caller, const AvailablePortQuery& query);

  // With `port_id`: the VLANs the account's private connects (any status)
  // hold on that port; `dc_id`, when also given, must be the port's. With
  // only `dc_id`: the VLANs held on any of the account's ports there.
  // Errors: InvalidArgument PORT_OR_DC_REQUIRED (neither given); NotFound
  // PORT_NOT_FOUND (unknown port, another account's, or not in `dc_id`); store errors.
  absl::StatusOr<PortVlanUsage> DescribePortUsableVlan(const Caller& caller,
                                                       const std::optional<std::string>& port_id,
                                                       const std::optional<std::string>& dc_id);

  // The seeded regions of `cloud_type` (one of kCloudType*), by region id
  // then data center; with `product`, only those serving it.
  // Errors: InvalidArgument PC_INVALID_PARAMETER (product not in kCloudProducts); store errors.
  absl::StatusOr<std::vector<store::ZenlayerCloudRegion>> DescribeCloudRegions(
      std::string_view cloud_type, const std::optional<std::string>& product);

 private:
  store::Store& store_;
};

}  // namespace connectplane::service
