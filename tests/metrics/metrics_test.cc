#include "metrics/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "metrics/exposition_parser.h"
#include <thread>
#include <vector>

namespace connectplane::metrics {
namespace {

using ::testing::HasSubstr;
using testing::ParseExposition;

TEST(RegistryTest, RendersCountersWithHelpTypeAndEscapedLabels) {
  Registry registry;
  CounterFamily& requests =
      registry.AddCounter("app_requests_total", "Requests.\nSecond \\ line", {"path", "status"});
  requests.WithLabels({"/a\"b\\c\nd", "200"}).Increment(3);
  requests.WithLabels({"/plain", "404"}).Increment();
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP app_requests_total Requests.\\nSecond \\\\ line\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE app_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("app_requests_total{path=\"/a\\\"b\\\\c\\nd\",status=\"200\"} 3\n"));
  auto parsed = ParseExposition(text);
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
  ASSERT_EQ(parsed.samples.size(), 2u);
  bool found = false;
  for (const auto& sample : parsed.samples) {
    if (sample.labels.at("status") == "200") {
      EXPECT_EQ(sample.labels.at("path"), "/a\"b\\c\nd");  // round-trips
      EXPECT_EQ(sample.value, 3);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(RegistryTest, HistogramBucketsAreCumulativeAndCountMatchesInf) {
  Registry registry;
  HistogramFamily& latency =
      registry.AddHistogram("app_latency_seconds", "Latency.", {"op"}, {0.1, 0.5, 1});
  Histogram& show = latency.WithLabels({"Show"});
  for (double value : {0.05, 0.1, 0.2, 0.7, 3.0, 4.0}) show.Observe(value);
  latency.WithLabels({"Enable"}).Observe(0.3);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("app_latency_seconds_bucket{op=\"Show\",le=\"0.1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("app_latency_seconds_bucket{op=\"Show\",le=\"0.5\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("app_latency_seconds_bucket{op=\"Show\",le=\"1\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("app_latency_seconds_bucket{op=\"Show\",le=\"+Inf\"} 6\n"));
  EXPECT_THAT(text, HasSubstr("app_latency_seconds_count{op=\"Show\"} 6\n"));
  auto parsed = ParseExposition(text);
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
  bool has_sum = false;
  for (const auto& sample : parsed.samples) {
    if (sample.name == "app_latency_seconds_sum" && sample.labels.at("op") == "Show") {
      EXPECT_NEAR(sample.value, 8.05, 1e-9);
      has_sum = true;
    }
  }
  EXPECT_TRUE(has_sum);
  EXPECT_EQ(parsed.types["app_latency_seconds"], "histogram");
}

TEST(RegistryTest, CollectorsAddGaugesAtScrapeTime) {
  Registry registry;
  int scrapes = 0;
  registry.AddCollector([&scrapes] {
    ++scrapes;
    return std::vector<GaugeFamily>{{"app_queue_depth", "Pending.", {}, {{{}, 7}}},
                                    {"app_jobs",
                                     "Jobs.",
                                     {"type", "status"},
                                     {{{"a.b", "PENDING"}, 2}, {{"a.b", "FAILED"}, 1}}}};
  });
  const std::string text = registry.Render();
  EXPECT_EQ(scrapes, 1);
  EXPECT_THAT(text, HasSubstr("# TYPE app_queue_depth gauge\napp_queue_depth 7\n"));
  EXPECT_THAT(text, HasSubstr("app_jobs{type=\"a.b\",status=\"FAILED\"} 1\n"));
  auto parsed = ParseExposition(text);
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
}

TEST(RegistryTest, GaugesRenderTheirLatestValue) {
  Registry registry;
  Gauge& failing = registry.AddGauge("app_writes_failing", "1 while writes fail.");
  EXPECT_EQ(&failing, &registry.AddGauge("app_writes_failing", "1 while writes fail."));
  EXPECT_THAT(registry.Render(),
              HasSubstr("# TYPE app_writes_failing gauge\napp_writes_failing 0\n"));
  failing.Set(1);
  EXPECT_THAT(registry.Render(), HasSubstr("app_writes_failing 1\n"));
  failing.Set(0);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("app_writes_failing 0\n"));
  auto parsed = ParseExposition(text);
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
  EXPECT_EQ(parsed.types["app_writes_failing"], "gauge");
}

TEST(RegistryTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  CounterFamily& family = registry.AddCounter("app_hits_total", "Hits.", {"worker"});
  HistogramFamily& histogram = registry.AddHistogram("app_h", "H.", {}, {1});
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int i = 0; i < 10000; ++i) {
        family.WithLabels({thread_idx % 2 == 0 ? "even" : "odd"}).Increment();
        histogram.WithLabels({}).Observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(family.WithLabels({"even"}).Value() + family.WithLabels({"odd"}).Value(), 40000u);
  EXPECT_EQ(histogram.WithLabels({}).Count(), 40000u);
  EXPECT_DOUBLE_EQ(histogram.WithLabels({}).Sum(), 20000.0);
}

TEST(RegistryTest, RegisteringANameTwiceReturnsTheSameFamily) {
  Registry registry;
  CounterFamily& first = registry.AddCounter("app_x_total", "X.", {"a"});
  CounterFamily& second = registry.AddCounter("app_x_total", "X.", {"a"});
  EXPECT_EQ(&first, &second);
  EXPECT_TRUE(ParseExposition(registry.Render()).errors.empty());
}

TEST(ExpositionParserTest, RejectsMalformedText) {
  EXPECT_FALSE(ParseExposition("x 1\n").errors.empty());  // no TYPE
  EXPECT_FALSE(ParseExposition("# HELP x X.\n# TYPE x counter\nx{a=\"b} 1\n").errors.empty());
  EXPECT_FALSE(ParseExposition("# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 3\n"
                               "h_bucket{le=\"+Inf\"} 2\nh_count 2\n")
                   .errors.empty());  // not cumulative
}

TEST(DefaultFamiliesTest, ProjectMetricsRenderValidly) {
  HttpRequests().WithLabels({"dms", "ShowInstance", "200"}).Increment();
  HttpRequestDuration().WithLabels({"dms", "ShowInstance"}).Observe(0.002);
  JobDuration().WithLabels({"kafka.enable_connector", "succeeded"}).Observe(3.1);
  StoreErrors().WithLabels({"sqlite", "UNAVAILABLE"}).Increment();
  StoreWriteFailures().WithLabels({"job_runner"}).Increment();
  StoreWritesFailing().Set(0);
  auto parsed = ParseExposition(DefaultRegistry().Render());
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
  EXPECT_EQ(parsed.types["connectplane_http_requests_total"], "counter");
  EXPECT_EQ(parsed.types["connectplane_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(parsed.types["connectplane_job_duration_seconds"], "histogram");
  EXPECT_EQ(parsed.types["connectplane_store_errors_total"], "counter");
  EXPECT_EQ(parsed.types["connectplane_store_write_failures_total"], "counter");
  EXPECT_EQ(parsed.types["connectplane_store_writes_failing"], "gauge");
}

TEST(RegistryTest, BuildInfoIsOneGaugeWithVersionCommitAndBuildType) {
  Registry registry;
  RegisterBuildInfo(registry, "1.2.3", "abc123", "Release");
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE connectplane_build_info gauge\n"));
  EXPECT_THAT(text, HasSubstr("connectplane_build_info{version=\"1.2.3\",commit=\"abc123\","
                              "build_type=\"Release\"} 1\n"));
  auto parsed = ParseExposition(text);
  EXPECT_TRUE(parsed.errors.empty()) << ::testing::PrintToString(parsed.errors);
}

}  // namespace
}  // namespace connectplane::metrics
