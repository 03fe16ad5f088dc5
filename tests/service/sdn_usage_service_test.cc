// Emulated traffic and price figures of Zenlayer SDN resources: the window
// rules, the deterministic series and their statistics, and the rate table.
// In-memory SQLite, fake clock.
#include "service/sdn_usage_service.h"

#include "common/status.h"
#include "service/private_connect_service.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

// The fixture's clock starts at 2026-11-18T11:06:40Z; seeded rows are created then.
constexpr char kSeed[] = R"({
  "zenlayer": {
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dcId": "SIN1",
       "portType": "10G"},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "lax", "dcId": "LAX1"},
      {"account_id": "acct-2", "portId": "p-nyc", "portName": "nyc", "dcId": "NYC1"}
    ],
    "private_connects": [
      {"account_id": "acct-1", "privateConnectId": "100", "bandwidthMbps": 200,
       "endpointA": {"portId": "p-sin", "vlanId": 10}, "endpointZ": {"portId": "p-hkg", "vlanId": 10}},
      {"account_id": "acct-2", "privateConnectId": "900",
       "endpointA": {"portId": "p-lax", "vlanId": 7}, "endpointZ": {"portId": "p-nyc", "vlanId": 7}}
    ],
    "cloud_regions": [
      {"cloudType": "GOOGLE", "cloudRegionId": "europe-west3", "dataCenter": {"dcId": "FRA1"}}
    ]
  }
})";

const Caller kAccount1{"acct-1", "AK1", "acct-1", "", ""};

absl::Time At(const std::string& text) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &time, &error)) << error;
  return time;
}

class SdnUsageServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { services_.Seed(kSeed); }
  testing::ServiceFixture services_{absl::Seconds(2)};
  SdnUsageService& usage_ = services_.sdn_usage;
};

TEST_F(SdnUsageServiceTest, ConnectTrafficIsZeroBeforeCreationAndWithinBandwidthAfter) {
  services_.clock.Advance(absl::Hours(3));  // now 14:06:40
  auto report = usage_.DescribePrivateConnectTraffic(kAccount1, "100", At("2026-11-18T10:00:00Z"),
                                                     std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  // 10:00 .. 14:05 every 5 minutes (the sample after now is left out).
  ASSERT_EQ(report->points.size(), 50u);
  EXPECT_EQ(report->points.front().at_ms, absl::ToUnixMillis(At("2026-11-18T10:00:00Z")));
  EXPECT_EQ(report->points.back().at_ms, absl::ToUnixMillis(At("2026-11-18T14:05:00Z")));
  for (const TrafficPoint& point : report->points) {
    if (point.at_ms < absl::ToUnixMillis(At("2026-11-18T11:06:40Z"))) {
      EXPECT_EQ(point.in_bps, 0);
      EXPECT_EQ(point.out_bps, 0);
    } else {
      EXPECT_GT(point.in_bps, 200'000'000 / 20);
      EXPECT_LE(point.in_bps, 200'000'000);
      EXPECT_GT(point.out_bps, 0);
      EXPECT_LT(point.out_bps, point.in_bps);
    }
  }
  EXPECT_EQ(report->in_min, 0);
  EXPECT_GE(report->in_max, report->in95);
  EXPECT_GE(report->in95, report->in_avg);
  int64_t total = 0;
  for (const TrafficPoint& point : report->points) total += point.in_bps * 300 / 8;
  EXPECT_EQ(report->in_total, total);
}

TEST_F(SdnUsageServiceTest, SeriesAreDeterministicAndFollowTheClock) {
  auto first = usage_.DescribePrivateConnectTraffic(kAccount1, "100", At("2026-11-18T11:00:00Z"),
                                                    At("2026-11-18T11:06:00Z"));
  services_.clock.Advance(absl::Hours(1));
  auto again = usage_.DescribePrivateConnectTraffic(kAccount1, "100", At("2026-11-18T11:00:00Z"),
                                                    At("2026-11-18T11:06:00Z"));
  ASSERT_TRUE(first.ok() && again.ok());
  ASSERT_EQ(first->points.size(), 2u);  // 11:00 (before creation), 11:05
  ASSERT_EQ(again->points.size(), 2u);
  EXPECT_EQ(first->points[1].in_bps, again->points[1].in_bps);
  EXPECT_EQ(first->points[1].out_bps, again->points[1].out_bps);
}

TEST_F(SdnUsageServiceTest, RecycledConnectCarriesNoTrafficAfterRecycling) {
  ASSERT_TRUE(services_.connects.DeletePrivateConnect(kAccount1, "100").ok());
  services_.RunJobsAfter(absl::Minutes(30));  // recycled at 11:36:40
  services_.clock.Advance(absl::Hours(1));
  auto report = usage_.DescribePrivateConnectTraffic(kAccount1, "100", At("2026-11-18T11:10:00Z"),
                                                     std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  for (const TrafficPoint& point : report->points) {
    if (point.at_ms >= absl::ToUnixMillis(At("2026-11-18T11:40:00Z"))) {
      EXPECT_EQ(point.in_bps, 0);
    }
  }
  EXPECT_GT(report->in_max, 0);
}

TEST_F(SdnUsageServiceTest, PortTrafficScalesWithThePortType) {
  services_.clock.Advance(absl::Hours(2));
  auto ten_g = usage_.DescribePortTraffic(kAccount1, "p-sin", At("2026-11-18T12:00:00Z"),
                                          At("2026-11-18T13:00:00Z"));
  auto one_g = usage_.DescribePortTraffic(kAccount1, "p-hkg", At("2026-11-18T12:00:00Z"),
                                          At("2026-11-18T13:00:00Z"));
  ASSERT_TRUE(ten_g.ok() && one_g.ok());
  ASSERT_EQ(ten_g->points.size(), 13u);
  EXPECT_LE(ten_g->in_max, 10'000'000'000);
  EXPECT_LE(one_g->in_max, 1'000'000'000);
  EXPECT_GT(ten_g->in_avg, 3 * one_g->in_avg);
}

TEST_F(SdnUsageServiceTest, WindowRulesAndUnknownIds) {
  const absl::Time now = services_.clock.Now();
  auto reason = [](const absl::StatusOr<TrafficReport>& report) {
    return common::ReasonOf(report.status());
  };
  EXPECT_EQ(reason(usage_.DescribePrivateConnectTraffic(kAccount1, "100", now, now)),
            kReasonTrafficTimeRange);
  EXPECT_EQ(
      reason(usage_.DescribePrivateConnectTraffic(kAccount1, "100", now, now - absl::Hours(1))),
      kReasonTrafficTimeRange);
  EXPECT_EQ(reason(usage_.DescribePortTraffic(kAccount1, "p-sin", now - absl::Hours(25),
                                              now - absl::Seconds(1))),
            kReasonTrafficTimeRange);
  EXPECT_TRUE(usage_.DescribePortTraffic(kAccount1, "p-sin", now - absl::Hours(24), now).ok());
  EXPECT_EQ(reason(usage_.DescribePortTraffic(kAccount1, "p-sin", now - absl::Hours(24 * 31),
                                              now - absl::Hours(24 * 30 + 12))),
            kReasonTrafficTimeRange);
  EXPECT_EQ(reason(usage_.DescribePrivateConnectTraffic(kAccount1, "900", now - absl::Hours(1),
                                                        std::nullopt)),
            kReasonPrivateConnectNotFound);
  EXPECT_EQ(reason(usage_.DescribePortTraffic(kAccount1, "p-lax", now - absl::Hours(1), now)),
            kReasonPortNotFound);
}

TEST_F(SdnUsageServiceTest, PricesFollowTheRateTable) {
  auto inter = usage_.QuoteBandwidth(kAccount1, "SIN1", "HKG1", 100);
  ASSERT_TRUE(inter.ok()) << inter.status();
  EXPECT_DOUBLE_EQ(inter->amount, 100 * kBandwidthPricePerMbpsInterDc);
  auto same = usage_.QuoteBandwidth(kAccount1, "SIN1", "SIN1", 100);
  ASSERT_TRUE(same.ok());
  EXPECT_DOUBLE_EQ(same->amount, 100 * kBandwidthPricePerMbpsSameDc);
  // FRA1 is known through a cloud access point; LAX1 only to account 2.
  EXPECT_TRUE(usage_.QuoteBandwidth(kAccount1, "SIN1", "FRA1", 1).ok());
  EXPECT_EQ(common::ReasonOf(usage_.QuoteBandwidth(kAccount1, "SIN1", "LAX1", 1).status()),
            kReasonDatacenterNotFound);
  EXPECT_EQ(common::ReasonOf(usage_.QuoteBandwidth(kAccount1, "SIN1", "HKG1", 501).status()),
            kReasonBandwidthOutOfRange);

  auto new_connect =
      usage_.QuoteNewPrivateConnect(kAccount1, "p-sin", std::nullopt, "p-hkg", "HKG1", 50);
  ASSERT_TRUE(new_connect.ok()) << new_connect.status();
  EXPECT_DOUBLE_EQ(new_connect->amount, 50 * kBandwidthPricePerMbpsInterDc);
  EXPECT_EQ(
      common::ReasonOf(
          usage_.QuoteNewPrivateConnect(kAccount1, "p-sin", std::nullopt, "p-lax", std::nullopt, 50)
              .status()),
      kReasonPortNotFound);
  EXPECT_EQ(common::ReasonOf(
                usage_.QuoteNewPrivateConnect(kAccount1, "p-sin", "HKG1", "p-hkg", std::nullopt, 50)
                    .status()),
            kReasonEndpointParameter);

  auto ports = usage_.QuotePorts(kAccount1, {"HKG1", "SIN1"}, "10G", true);
  ASSERT_TRUE(ports.ok()) << ports.status();
  ASSERT_EQ(ports->size(), 2u);
  EXPECT_EQ((*ports)[0].dc_id, "HKG1");
  EXPECT_DOUBLE_EQ((*ports)[0].price.amount, 800.0);
  ASSERT_TRUE((*ports)[0].cross_connect_construction.has_value());
  EXPECT_TRUE((*ports)[0].cross_connect_construction->one_time);
  EXPECT_EQ(common::ReasonOf(usage_.QuotePorts(kAccount1, {"SIN1"}, "25G", false).status()),
            kReasonPortType);
  auto table = usage_.DescribeDataCenterPortPrices(kAccount1, "SIN1");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->size(), std::size(kPortTypes));
  EXPECT_FALSE((*table)[0].cross_connect.has_value());
}

}  // namespace
}  // namespace connectplane::service
