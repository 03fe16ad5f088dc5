#include "service/sdn_usage_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/private_connect_service.h"
#include "service/sdn_catalog_service.h"
#include "service/internal/sdn_rules.h"

#include "boost/json.hpp"
#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <tuple>
#include <utility>

namespace connectplane::service {
namespace {

// kTrafficStep in milliseconds (absl::ToInt64Milliseconds is not constexpr).
constexpr int64_t kStepMs = 5 * 60 * 1000;
constexpr int64_t kNoEndMs = INT64_MAX;

absl::Status TimeRange(std::string_view message) {
  return common::InvalidArgument(kReasonTrafficTimeRange, message);
}

// FNV-1a of the resource id and the sample index: the per-sample wobble,
// deterministic across runs and processes.
uint64_t SampleHash(std::string_view resource_id, int64_t sample_index) {
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  for (char c : resource_id) {
    mix(static_cast<unsigned char>(c));
  }
  for (int shift = 0; shift < 64; shift += 8) {
    mix(static_cast<unsigned char>((static_cast<uint64_t>(sample_index) >> shift) & 0xff));
  }
  return hash;
}

// Share of capacity in use at `at_ms`: a daily wave between 10% and 50%
// (peak 12:00 UTC), times 0.95..1.05 from the sample hash.
double Utilization(std::string_view resource_id, int64_t at_ms) {
  constexpr int64_t kDayMs = 24 * 3600 * 1000;
  const double day_fraction = static_cast<double>(at_ms % kDayMs) / static_cast<double>(kDayMs);
  const double wave = 0.30 + 0.20 * std::sin(2 * std::numbers::pi * (day_fraction - 0.25));
  const double wobble =
      0.95 + 0.10 * static_cast<double>(SampleHash(resource_id, at_ms / kStepMs) % 1000) / 1000.0;
  return wave * wobble;
}

// Nearest-rank 95th percentile of `values` (sorted in place).
int64_t Percentile95(std::vector<int64_t>& values) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(values.size())));
  return values[std::max<size_t>(rank, 1) - 1];
}

// The port's line rate from its seeded portType; 1G when absent or unknown.
int64_t PortCapacityBps(const store::ZenlayerPort& port) {
  auto attributes = common::ParseJson(port.attributes_json);
  if (attributes.ok() && attributes->is_object()) {
    const boost::json::value* type = attributes->as_object().if_contains("portType");
    if (type != nullptr && type->is_string()) {
      if (const PortTypeRate* rate = FindPortType(std::string_view(type->as_string()))) {
        return rate->line_rate_mbps * 1'000'000;
      }
    }
  }
  return kPortTypes[0].line_rate_mbps * 1'000'000;
}

}  // namespace

SdnUsageService::SdnUsageService(store::Store& store, const common::Clock& clock)
    : store_(store), clock_(clock) {}

absl::StatusOr<TrafficReport> SdnUsageService::Series(std::string_view resource_id,
                                                      int64_t capacity_bps, double load_factor,
                                                      int64_t active_from_ms,
                                                      int64_t active_until_ms, absl::Time start,
                                                      std::optional<absl::Time> end) const {
  const absl::Time now = clock_.Now();
  const absl::Time window_end = end.value_or(now);
  if (start >= window_end) {
    return TimeRange("startTime must be before endTime.");
  }
  if (window_end - start > kMaxTrafficWindow) {
    return TimeRange("The time range must not exceed 24 hours.");
  }
  if (start < now - kTrafficRetention) {
    return TimeRange("Only the traffic of the last 30 days can be queried.");
  }
  const int64_t start_ms = common::ToUnixMillis(start);
  const int64_t last_ms = common::ToUnixMillis(std::min(window_end, now));
  TrafficReport report;
  std::vector<int64_t> ins;
  std::vector<int64_t> outs;
  // First multiple of the step at or after start (start_ms may be negative).
  int64_t at_ms = start_ms / kStepMs * kStepMs;
  if (at_ms < start_ms) {
    at_ms += kStepMs;
  }
  double in_sum = 0;
  double out_sum = 0;
  for (; at_ms <= last_ms; at_ms += kStepMs) {
    TrafficPoint point{at_ms, 0, 0};
    if (at_ms >= active_from_ms && at_ms < active_until_ms) {
      const double in =
          static_cast<double>(capacity_bps) * load_factor * Utilization(resource_id, at_ms);
      point.in_bps = static_cast<int64_t>(in);
      // Outbound follows inbound at a fixed ratio, with its own wobble.
      point.out_bps = static_cast<int64_t>(in * 0.62 * Utilization(resource_id, at_ms + 1) /
                                           Utilization(resource_id, at_ms));
    }
    ins.push_back(point.in_bps);
    outs.push_back(point.out_bps);
    in_sum += static_cast<double>(point.in_bps);
    out_sum += static_cast<double>(point.out_bps);
    report.in_total += point.in_bps * (kStepMs / 1000) / 8;
    report.points.push_back(point);
  }
  if (!report.points.empty()) {
    const double count = static_cast<double>(report.points.size());
    report.in_avg = static_cast<int64_t>(in_sum / count);
    report.out_avg = static_cast<int64_t>(out_sum / count);
    report.in_max = *std::max_element(ins.begin(), ins.end());
    report.in_min = *std::min_element(ins.begin(), ins.end());
    report.out_max = *std::max_element(outs.begin(), outs.end());
    report.out_min = *std::min_element(outs.begin(), outs.end());
    report.in95 = Percentile95(ins);
    report.out95 = Percentile95(outs);
  }
  return report;
}

absl::StatusOr<TrafficReport> SdnUsageService::DescribePrivateConnectTraffic(
    const Caller& caller, std::string_view private_connect_id, absl::Time start,
    std::optional<absl::Time> end) {
  std::optional<store::PrivateConnect> connect;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(connect, txn.GetPrivateConnect(caller.tenant_id, private_connect_id));
    return absl::OkStatus();
  }));
  if (!connect) {
    return internal::PrivateConnectNotFound(private_connect_id);
  }
  const int64_t until_ms = connect->status == kPrivateConnectRecycled && connect->recycled_at_ms > 0
                               ? connect->recycled_at_ms
                               : kNoEndMs;
  return Series(connect->private_connect_id, connect->bandwidth_mbps * 1'000'000, 1.0,
                connect->created_at_ms, until_ms, start, end);
}

absl::StatusOr<TrafficReport> SdnUsageService::DescribePortTraffic(const Caller& caller,
                                                                   std::string_view port_id,
                                                                   absl::Time start,
                                                                   std::optional<absl::Time> end) {
  std::optional<store::ZenlayerPort> port;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(port, txn.GetZenlayerPort(caller.tenant_id, port_id));
    return absl::OkStatus();
  }));
  if (!port) {
    return internal::PortNotFound(port_id);
  }
  // A port carries several connects and idles more: a quarter of the wave.
  return Series(port->port_id, PortCapacityBps(*port), 0.25, port->created_at_ms, kNoEndMs, start,
                end);
}

absl::Status SdnUsageService::CheckDataCenters(const Caller& caller,
                                               const std::vector<std::string>& dc_ids) {
  std::set<std::string, std::less<>> known;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    known.clear();
    ASSIGN_OR_RETURN(std::vector<store::ZenlayerPort> ports,
                     txn.ListZenlayerPorts(caller.tenant_id));
    for (const store::ZenlayerPort& port : ports) {
      known.insert(port.dc_id);
    }
    ASSIGN_OR_RETURN(std::vector<store::ZenlayerDatacenter> catalog,
                     txn.ListZenlayerDatacenters());
    for (const store::ZenlayerDatacenter& datacenter : catalog) {
      known.insert(datacenter.dc_id);
    }
    for (std::string_view cloud_type : {kCloudTypeAws, kCloudTypeGoogle, kCloudTypeTencent}) {
      ASSIGN_OR_RETURN(std::vector<store::ZenlayerCloudRegion> regions,
                       txn.ListZenlayerCloudRegions(cloud_type));
      for (const store::ZenlayerCloudRegion& region : regions) {
        known.insert(region.dc_id);
      }
    }
    return absl::OkStatus();
  }));
  for (const std::string& dc_id : dc_ids) {
    if (!known.contains(dc_id)) {
      return common::NotFound(
          kReasonDatacenterNotFound,
          common::StrCat("The data center `", common::QuoteUntrusted(dc_id), "` is not found."));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<PriceQuote> SdnUsageService::QuoteBandwidth(const Caller& caller,
                                                           std::string_view source_dc_id,
                                                           std::string_view destination_dc_id,
                                                           int64_t bandwidth_mbps) {
  RETURN_IF_ERROR(internal::ValidateBandwidth(bandwidth_mbps));
  RETURN_IF_ERROR(
      CheckDataCenters(caller, {std::string(source_dc_id), std::string(destination_dc_id)}));
  const double rate = source_dc_id == destination_dc_id ? kBandwidthPricePerMbpsSameDc
                                                        : kBandwidthPricePerMbpsInterDc;
  return PriceQuote{rate * static_cast<double>(bandwidth_mbps), false};
}

absl::StatusOr<PriceQuote> SdnUsageService::QuoteNewPrivateConnect(
    const Caller& caller, std::string_view port_a_id, const std::optional<std::string>& dc_a_id,
    std::string_view port_z_id, const std::optional<std::string>& dc_z_id, int64_t bandwidth_mbps) {
  RETURN_IF_ERROR(internal::ValidateBandwidth(bandwidth_mbps));
  if (port_a_id == port_z_id) {
    return common::InvalidArgument(kReasonEndpointConflict,
                                   "endpointA and endpointZ must be on different ports.");
  }
  std::string dc_a;
  std::string dc_z;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    for (auto [port_id, dc_id, side, out] : {std::tuple{port_a_id, &dc_a_id, "endpointA", &dc_a},
                                             std::tuple{port_z_id, &dc_z_id, "endpointZ", &dc_z}}) {
      ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> port,
                       txn.GetZenlayerPort(caller.tenant_id, port_id));
      if (!port) {
        return internal::PortNotFound(port_id);
      }
      if (*dc_id && **dc_id != port->dc_id) {
        return common::InvalidArgument(
            kReasonEndpointParameter,
            common::StrCat(side, ".dcId `", common::QuoteUntrusted(**dc_id),
                           "` is not the data center of port `", port->port_id, "`."));
      }
      *out = port->dc_id;
    }
    return absl::OkStatus();
  }));
  const double rate = dc_a == dc_z ? kBandwidthPricePerMbpsSameDc : kBandwidthPricePerMbpsInterDc;
  return PriceQuote{rate * static_cast<double>(bandwidth_mbps), false};
}

absl::StatusOr<std::vector<PortPriceQuote>> SdnUsageService::QuotePorts(
    const Caller& caller, const std::vector<std::string>& dc_ids, std::string_view port_type,
    bool assisted_cross_connect) {
  if (dc_ids.empty() || dc_ids.size() > kMaxIdsPerRequest) {
    return common::InvalidArgument(
        kReasonPcInvalidParameter,
        common::StrCat("Between 1 and ", kMaxIdsPerRequest, " data centers can be quoted."));
  }
  const PortTypeRate* rate = FindPortType(port_type);
  if (rate == nullptr) {
    return common::InvalidArgument(kReasonPortType,
                                   common::StrCat("portType `", common::QuoteUntrusted(port_type),
                                                  "` is not one of 1G, 10G, 100G."));
  }
  RETURN_IF_ERROR(CheckDataCenters(caller, dc_ids));
  std::vector<PortPriceQuote> quotes;
  for (const std::string& dc_id : dc_ids) {
    PortPriceQuote quote;
    quote.dc_id = dc_id;
    quote.port_type = std::string(rate->port_type);
    quote.price = {rate->monthly_price, false};
    if (assisted_cross_connect) {
      quote.cross_connect = PriceQuote{kCrossConnectMonthlyPrice, false};
      quote.cross_connect_construction = PriceQuote{kCrossConnectConstructionPrice, true};
    }
    quotes.push_back(std::move(quote));
  }
  return quotes;
}

absl::StatusOr<std::vector<PortPriceQuote>> SdnUsageService::DescribeDataCenterPortPrices(
    const Caller& caller, std::string_view dc_id) {
  RETURN_IF_ERROR(CheckDataCenters(caller, {std::string(dc_id)}));
  std::vector<PortPriceQuote> quotes;
  for (const PortTypeRate& rate : kPortTypes) {
    PortPriceQuote quote;
    quote.dc_id = std::string(dc_id);
    quote.port_type = std::string(rate.port_type);
    quote.price = {rate.monthly_price, false};
    quotes.push_back(std::move(quote));
  }
  return quotes;
}

}  // namespace connectplane::service
