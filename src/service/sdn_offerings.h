#pragma once

// What Zenlayer SDN offers, shared by the services that sell and quote it:
// the port speeds (what CreatePort accepts and what the emulated traffic and
// price queries derive from a port's type) and the reason of an unknown data
// center (CreatePort, the price queries).

#include <cstdint>
#include <string_view>

namespace connectplane::service {

// A dcId that is not a data center of the catalog (or, for quotes, of the
// account's ports or the cloud access points).
inline constexpr std::string_view kReasonDatacenterNotFound = "DATACENTER_NOT_FOUND";

struct PortTypeRate {
  std::string_view port_type;
  int64_t line_rate_mbps;
  double monthly_price;  // USD, postpaid, per month (emulated)
};

// DOC-SDN-DT lists 1G/10G/40G for PortInfo.portType; 100G and every price are
// ours (docs/reference/zenlayer-sdn-api.md marks them).
inline constexpr PortTypeRate kPortTypes[] = {
    {"1G", 1000, 300.0}, {"10G", 10000, 800.0}, {"40G", 40000, 1800.0}, {"100G", 100000, 3000.0}};

// The row of `port_type`, or nullptr when the type is not offered.
inline const PortTypeRate* FindPortType(std::string_view port_type) {
  for (const PortTypeRate& rate : kPortTypes) {
    if (rate.port_type == port_type) return &rate;
  }
  return nullptr;
}

}  // namespace connectplane::service
