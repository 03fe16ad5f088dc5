// Rules and answers shared by the Zenlayer SDN services (private connects,
// ports, lookups, usage): the not-found errors of a port and of a private
// connect, and the bandwidth range. Each is written once so every action says
// it the same way. Pure functions; thread-safe.
#pragma once

#include "common/status.h"
#include "common/strings.h"
#include "service/private_connect_service.h"

#include "absl/status/status.h"
#include <cstdint>
#include <string_view>

namespace connectplane::service::internal {

// NotFound PORT_NOT_FOUND: an unknown port, or another account's.
inline absl::Status PortNotFound(std::string_view port_id) {
  return common::NotFound(
      kReasonPortNotFound,
      common::StrCat("The specified portId `", common::QuoteUntrusted(port_id), "` is not found."));
}

// NotFound PRIVATE_CONNECT_NOT_FOUND: an unknown connect, or another account's.
inline absl::Status PrivateConnectNotFound(std::string_view private_connect_id) {
  return common::NotFound(kReasonPrivateConnectNotFound,
                          common::StrCat("The private connect `",
                                         common::QuoteUntrusted(private_connect_id),
                                         "` is not found."));
}

// InvalidArgument BANDWIDTH_OUT_OF_RANGE outside kMinBandwidthMbps..kMaxBandwidthMbps.
inline absl::Status ValidateBandwidth(int64_t bandwidth_mbps) {
  if (bandwidth_mbps < kMinBandwidthMbps || bandwidth_mbps > kMaxBandwidthMbps) {
    return common::InvalidArgument(
        kReasonBandwidthOutOfRange,
        common::StrCat("bandwidthMbps must be between ", kMinBandwidthMbps, " and ",
                       kMaxBandwidthMbps, ", got ", bandwidth_mbps, "."));
  }
  return absl::OkStatus();
}

}  // namespace connectplane::service::internal
