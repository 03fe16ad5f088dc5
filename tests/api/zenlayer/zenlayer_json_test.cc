// The streaming PrivateConnect writer must produce exactly the values of the
// JSON-tree renderer (RenderPrivateConnect), for every shape a connect takes:
// strings needing escapes, non-ASCII names, a missing port row, seeded
// dataCenter attributes (valid or not), RECYCLED connects, empty pages.
#include "api/zenlayer/zenlayer_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "common/clock.h"

namespace connectplane::api::zenlayer {
namespace {

store::ZenlayerPort Port(std::string id, std::string dc, std::string attributes) {
  store::ZenlayerPort port;
  port.account_id = "acct";
  port.port_id = std::move(id);
  port.port_name = "name of " + port.port_id;
  port.dc_id = std::move(dc);
  port.port_status = "RUNNING";
  port.attributes_json = std::move(attributes);
  port.created_at_ms = 1795000000000;
  return port;
}

service::PrivateConnectDetails Connect(int idx, std::string name, std::string status) {
  service::PrivateConnectDetails details;
  store::PrivateConnect& connect = details.connect;
  connect.account_id = "acct";
  connect.private_connect_id = std::to_string(100000000000000000LL + idx);
  connect.name = std::move(name);
  connect.status = std::move(status);
  connect.bandwidth_mbps = 100 + idx;
  connect.endpoint_a = {"port-a", "end \"A\"", "port-a", 100 + idx};
  connect.endpoint_z = {"port-z", "end\\Z\n", "port-z", 4000};
  connect.created_at_ms = 1795000000000 + idx * 1000;
  return details;
}

std::vector<service::PrivateConnectDetails> Page() {
  const store::ZenlayerPort with_dc = Port(
      "port-a", "SIN1",
      R"({"portType":"10G","dataCenter":{"dcName":"Singapore \"1\"","cityName":"Singapore",)"
      R"("areaName":"Asia Pacific","dcId":"overridden"}})");
  const store::ZenlayerPort plain = Port("port-z", "FRA1", R"({"portType":"10G"})");
  const store::ZenlayerPort broken = Port("port-broken", "AMS1", "{not json");
  std::vector<service::PrivateConnectDetails> page;
  page.push_back(Connect(0, "plain", "RUNNING"));
  page.push_back(Connect(1, "quote\" backslash\\ slash/ tab\t bell\x07 del\x7f", "CREATING"));
  page.push_back(Connect(2, "日本語の名前 – ✓", "RECYCLED"));
  page.back().connect.recycled_at_ms = 1795000500000;
  page.push_back(Connect(3, "", "DELETING"));
  for (size_t idx = 0; idx < page.size(); ++idx) {
    page[idx].port_a = with_dc;
    page[idx].port_z = idx % 2 == 0 ? plain : broken;
  }
  page[3].port_z.reset();  // a port row missing: dataCenter {"dcId": ""}
  return page;
}

TEST(PrivateConnectArrayWriterTest, WritesTheSameValuesAsTheTreeRenderer) {
  const std::vector<service::PrivateConnectDetails> page = Page();
  std::string written;
  PrivateConnectArrayWriter writer(written);
  boost::json::array expected;
  for (const service::PrivateConnectDetails& details : page) {
    writer.Add(details);
    expected.push_back(RenderPrivateConnect(details));
  }
  writer.Finish();
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(written, ec);
  ASSERT_FALSE(ec) << ec.message() << "\n" << written;
  EXPECT_EQ(parsed, boost::json::value(expected)) << written;
  // Spot checks that the comparison covers what matters.
  const boost::json::object& recycled = parsed.as_array()[2].as_object();
  EXPECT_EQ(recycled.at("privateConnectName").as_string(), "日本語の名前 – ✓");
  EXPECT_TRUE(recycled.contains("recycledTime"));
  EXPECT_EQ(parsed.as_array()[0].at("endpointA").at("dataCenter").at("dcId").as_string(), "SIN1");
  EXPECT_EQ(parsed.as_array()[3].at("endpointZ").at("dataCenter"),
            boost::json::value(boost::json::object{{"dcId", ""}}));
}

// Version 2026-04-01 adds source, tags and each endpoint's sharedChannelId:
// both renderers add the same members.
TEST(PrivateConnectArrayWriterTest, WritesTheSameValuesAsTheTreeRendererIn20260401) {
  const std::vector<service::PrivateConnectDetails> page = Page();
  std::string written;
  PrivateConnectArrayWriter writer(written, SdnVersion::k20260401);
  boost::json::array expected;
  for (const service::PrivateConnectDetails& details : page) {
    writer.Add(details);
    expected.push_back(RenderPrivateConnect(details, SdnVersion::k20260401));
  }
  writer.Finish();
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(written, ec);
  ASSERT_FALSE(ec) << ec.message() << "\n" << written;
  EXPECT_EQ(parsed, boost::json::value(expected)) << written;
  EXPECT_EQ(parsed.as_array()[0].at("endpointA").at("sharedChannelId").as_string(), "");
  EXPECT_EQ(parsed.as_array()[0].at("source").as_string(), "API");
}

// IsoSeconds formats by hand; absl::FormatTime is the reference, across
// day, month, leap-day and year boundaries and before 1970.
TEST(IsoSecondsTest, MatchesAbslFormatting) {
  const int64_t kSamples[] = {0,
                              -1,
                              -86'400'000,
                              951'782'399'999,    // 2000-02-28T23:59:59.999
                              951'868'800'000,    // 2000-03-01
                              1'709'164'800'000,  // 2024-02-29
                              1'735'689'599'000,  // 2024-12-31T23:59:59
                              1'735'689'600'000,  // 2025-01-01
                              1'795'000'123'456,
                              253'402'300'799'000};  // 9999-12-31T23:59:59
  for (int64_t unix_ms : kSamples) {
    EXPECT_EQ(IsoSeconds(unix_ms),
              absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", common::FromUnixMillis(unix_ms),
                               absl::UTCTimeZone()))
        << unix_ms;
  }
  for (int64_t unix_ms = 1'600'000'000'000; unix_ms < 1'600'000'000'000 + 400LL * 86'400'000;
       unix_ms += 3'600'007) {
    ASSERT_EQ(IsoSeconds(unix_ms),
              absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", common::FromUnixMillis(unix_ms),
                               absl::UTCTimeZone()))
        << unix_ms;
  }
}

TEST(PrivateConnectArrayWriterTest, EmptyPageIsAnEmptyArray) {
  std::string written = "prefix:";
  PrivateConnectArrayWriter writer(written);
  writer.Finish();
  EXPECT_EQ(written, "prefix:[]");
}

}  // namespace
}  // namespace connectplane::api::zenlayer
