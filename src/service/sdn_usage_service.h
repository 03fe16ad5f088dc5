// Emulated usage and price figures of Zenlayer SDN resources: traffic series
// of a private connect or a port, and price quotes from a fixed rate table
// (docs/reference/zenlayer-sdn-api.md, "Emulated traffic and prices"). None of
// it is real traffic or Zenlayer's prices: every value is a deterministic
// function of the resource (bandwidth, port type, creation and recycle times),
// the window asked and the injected clock, so demos and tests repeat exactly.
// Account-scoped: another account's ids answer like unknown ones. Writes
// nothing. Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "service/sdn_offerings.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// A traffic window the docs refuse: start not before end, longer than
// kMaxTrafficWindow, or starting before the retention horizon.
inline constexpr std::string_view kReasonTrafficTimeRange = "TRAFFIC_TIME_RANGE";
// A port type outside kPortTypes.
inline constexpr std::string_view kReasonPortType = "PORT_TYPE";

// One traffic sample every 5 minutes, at multiples of 5 minutes since the epoch.
inline constexpr absl::Duration kTrafficStep = absl::Minutes(5);
// DescribePrivateConnectTraffic docs: at most 24 hours per query, data of the last 30 days.
inline constexpr absl::Duration kMaxTrafficWindow = absl::Hours(24);
inline constexpr absl::Duration kTrafficRetention = absl::Hours(24 * 30);

// USD per Mbps per month: both ends in one data center, or in two.
inline constexpr double kBandwidthPricePerMbpsSameDc = 1.0;
inline constexpr double kBandwidthPricePerMbpsInterDc = 3.0;
// A cross connect built with Zenlayer's assistance: monthly, plus once.
inline constexpr double kCrossConnectMonthlyPrice = 100.0;
inline constexpr double kCrossConnectConstructionPrice = 500.0;
// What every quote reports as stock.
inline constexpr int64_t kQuotedStock = 100;

struct TrafficPoint {
  int64_t at_ms = 0;
  int64_t in_bps = 0;
  int64_t out_bps = 0;
};

// The samples of a window and their statistics (0 when there is no sample).
// *_total is bytes: each sample's rate over its 5 minutes.
struct TrafficReport {
  std::vector<TrafficPoint> points;
  int64_t in95 = 0, in_avg = 0, in_max = 0, in_min = 0, in_total = 0;
  int64_t out95 = 0, out_avg = 0, out_max = 0, out_min = 0;
};

// A postpaid price per month (unit_price), or a one-time price (one_time).
struct PriceQuote {
  double amount = 0;
  bool one_time = false;
};

struct PortPriceQuote {
  std::string dc_id;
  std::string port_type;
  PriceQuote price;
  std::optional<PriceQuote> cross_connect;               // with assisted cross connect only
  std::optional<PriceQuote> cross_connect_construction;  // with assisted cross connect only
  int64_t stock = kQuotedStock;
};

class SdnUsageService {
 public:
  // Both must outlive the service.
  SdnUsageService(store::Store& store, const common::Clock& clock);

  // The connect's samples in [start, end] (end default: now; samples after
  // now are left out). Zero before the connect was created and after it was
  // recycled. Errors: InvalidArgument TRAFFIC_TIME_RANGE; NotFound
  // PRIVATE_CONNECT_NOT_FOUND (unknown or another account's); store errors.
  absl::StatusOr<TrafficReport> DescribePrivateConnectTraffic(const Caller& caller,
                                                              std::string_view private_connect_id,
                                                              absl::Time start,
                                                              std::optional<absl::Time> end);
  // The same for a port, scaled to its line rate (portType; 1G when unknown).
  // Errors: as above, with NotFound PORT_NOT_FOUND.
  absl::StatusOr<TrafficReport> DescribePortTraffic(const Caller& caller, std::string_view port_id,
                                                    absl::Time start,
                                                    std::optional<absl::Time> end);

  // Monthly price of `bandwidth_mbps` between two data centers.
  // Errors: InvalidArgument BANDWIDTH_OUT_OF_RANGE; NotFound DATACENTER_NOT_FOUND; store errors.
  absl::StatusOr<PriceQuote> QuoteBandwidth(const Caller& caller, std::string_view source_dc_id,
                                            std::string_view destination_dc_id,
                                            int64_t bandwidth_mbps);
  // Monthly bandwidth price of a new private connect between two of the
  // account's ports (the data centers are the ports'; a given dcId must match).
  // Errors: InvalidArgument BANDWIDTH_OUT_OF_RANGE, ENDPOINT_PARAMETER (dcId
  // not the port's), ENDPOINT_CONFLICT (one port twice); NotFound PORT_NOT_FOUND; store errors.
  absl::StatusOr<PriceQuote> QuoteNewPrivateConnect(const Caller& caller,
                                                    std::string_view port_a_id,
                                                    const std::optional<std::string>& dc_a_id,
                                                    std::string_view port_z_id,
                                                    const std::optional<std::string>& dc_z_id,
                                                    int64_t bandwidth_mbps);
  // A port of `port_type` in each data center, in the order given.
  // Errors: InvalidArgument PORT_TYPE, PC_INVALID_PARAMETER (no or > 100 data
  // centers); NotFound DATACENTER_NOT_FOUND; store errors.
  absl::StatusOr<std::vector<PortPriceQuote>> QuotePorts(const Caller& caller,
                                                         const std::vector<std::string>& dc_ids,
                                                         std::string_view port_type,
                                                         bool assisted_cross_connect);
  // Every port type of the table in one data center (no cross connect).
  // Errors: NotFound DATACENTER_NOT_FOUND; store errors.
  absl::StatusOr<std::vector<PortPriceQuote>> DescribeDataCenterPortPrices(const Caller& caller,
                                                                           std::string_view dc_id);

 private:
  absl::StatusOr<TrafficReport> Series(std::string_view resource_id, int64_t capacity_bps,
                                       double load_factor, int64_t active_from_ms,
                                       int64_t active_until_ms, absl::Time start,
                                       std::optional<absl::Time> end) const;
  // NotFound DATACENTER_NOT_FOUND unless every id is in the data center
  // catalog, or is the data center of one of the account's ports or of a cloud
  // access point (seeds written before the catalog existed).
  absl::Status CheckDataCenters(const Caller& caller, const std::vector<std::string>& dc_ids);

  store::Store& store_;
  const common::Clock& clock_;
};

}  // namespace connectplane::service
