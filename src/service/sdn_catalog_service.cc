#include "service/sdn_catalog_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/internal/paging.h"
#include "service/internal/sdn_rules.h"

#include "boost/json.hpp"
#include <algorithm>
#include <set>
#include <utility>

namespace connectplane::service {
namespace {

// True when the region's products_json (a JSON array of strings) lists `product`.
bool ServesProduct(const store::ZenlayerCloudRegion& region, std::string_view product) {
  auto parsed = common::ParseJson(region.products_json);
  if (!parsed.ok() || !parsed->is_array()) {
    return false;
  }
  for (const boost::json::value& entry : parsed->as_array()) {
    if (entry.is_string() && entry.as_string() == product) {
      return true;
    }
  }
  return false;
}

}  // namespace

SdnCatalogService::SdnCatalogService(store::Store& store) : store_(store) {}

absl::StatusOr<store::Page<store::ZenlayerPort>>
SdnCatalogService::DescribePrivateConnectAvailablePorts(const Caller& caller,
                                                        const AvailablePortQuery& query) {
  RETURN_IF_ERROR(internal::ValidatePageBounds(query.page_num, query.page_size));
  if (query.port_ids.size() > kMaxIdsPerRequest) {
    return common::InvalidArgument(
        kReasonPcInvalidParameter,
        common::StrCat("portIds accepts at most ", kMaxIdsPerRequest, " ids."));
  }
  std::vector<store::ZenlayerPort> ports;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(ports, txn.ListZenlayerPorts(caller.tenant_id));
    return absl::OkStatus();
  }));
  const std::set<std::string, std::less<>> wanted(query.port_ids.begin(), query.port_ids.end());
  std::erase_if(ports, [&](const store::ZenlayerPort& port) {
    return port.port_status != kPortRunning ||
           (!wanted.empty() && !wanted.contains(port.port_id)) ||
           (query.dc_id && port.dc_id != *query.dc_id);
  });
  return internal::PageOf(std::move(ports), query.page_num, query.page_size);
}

absl::StatusOr<PortVlanUsage> SdnCatalogService::DescribePortUsableVlan(
    const Caller& caller, const std::optional<std::string>& port_id,
    const std::optional<std::string>& dc_id) {
  if (!port_id && !dc_id) {
    return common::InvalidArgument(kReasonPortOrDcRequired,
                                   "At least one of portId and dcId must be given.");
  }
  PortVlanUsage usage;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    std::vector<std::string> port_ids;
    if (port_id) {
      ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> port,
                       txn.GetZenlayerPort(caller.tenant_id, *port_id));
      if (!port || (dc_id && port->dc_id != *dc_id)) {
        return internal::PortNotFound(*port_id);
      }
      port_ids.push_back(port->port_id);
    } else {
      ASSIGN_OR_RETURN(std::vector<store::ZenlayerPort> ports,
                       txn.ListZenlayerPorts(caller.tenant_id));
      for (const store::ZenlayerPort& port : ports) {
        if (port.dc_id == *dc_id) {
          port_ids.push_back(port.port_id);
        }
      }
    }
    std::set<int64_t> in_use;
    for (const std::string& id : port_ids) {
      ASSIGN_OR_RETURN(std::vector<int64_t> vlans, txn.ListVlansInUseOnPort(caller.tenant_id, id));
      in_use.insert(vlans.begin(), vlans.end());
    }
    usage.in_use.assign(in_use.begin(), in_use.end());
    return absl::OkStatus();
  }));
  return usage;
}

absl::StatusOr<std::vector<store::ZenlayerCloudRegion>> SdnCatalogService::DescribeCloudRegions(
    std::string_view cloud_type, const std::optional<std::string>& product) {
  if (product &&
      std::find(kCloudProducts.begin(), kCloudProducts.end(), *product) == kCloudProducts.end()) {
    return common::InvalidArgument(kReasonPcInvalidParameter,
                                   common::StrCat("product `", common::QuoteUntrusted(*product),
                                                  "` is not one of PrivateConnect, CloudRouter."));
  }
  std::vector<store::ZenlayerCloudRegion> regions;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(regions, txn.ListZenlayerCloudRegions(cloud_type));
    return absl::OkStatus();
  }));
  if (product) {
    std::erase_if(regions, [&](const store::ZenlayerCloudRegion& region) {
      return !ServesProduct(region, *product);
    });
  }
  return regions;
}

}  // namespace connectplane::service
