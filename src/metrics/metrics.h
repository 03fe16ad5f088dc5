// Process metrics in the Prometheus text exposition format (version 0.0.4):
// counters and fixed-bucket histograms with labels, plus scrape-time gauges
// produced by collectors (e.g. job counts read from the store).
//
// Thread-safety: everything is safe for concurrent use. Families are created
// once (at start-up); a series is looked up under a reader lock (created under
// the writer lock the first time), and increments/observations are lock-free
// atomics, so callers may keep the returned Counter&/Histogram& and hit them
// from any thread. Families and series live as long as their Registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::metrics {

class Counter {
 public:
  void Increment(uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value set by its owner (e.g. 1 while store writes fail, else 0).
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds` are the upper bounds (le) in ascending order, without +Inf.
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double value);
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  // Non-cumulative count of bucket `index` (index == bounds.size() is +Inf).
  uint64_t BucketCount(size_t index) const {
    return buckets_[index].load(std::memory_order_relaxed);
  }

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// A family of series sharing a name and label names. `T` is Counter or Histogram.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {})
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}

  // The series for these label values (one per label name, in order); created
  // on first use. A wrong number of values is a programmer error: missing
  // values are empty, extra ones ignored.
  T& WithLabels(std::initializer_list<std::string_view> values);
  T& WithLabels(const std::vector<std::string>& values);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }
  // Calls fn(label_values, series) for every series, ordered by label values.
  void ForEach(const std::function<void(const std::vector<std::string>&, const T&)>& fn) const;

 private:
  T& FindOrCreate(std::vector<std::string> key);

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  // std:: locks rather than absl::Mutex here: they are contended on every
  // request, and ThreadSanitizer only sees the synchronization of locks whose
  // pthread calls it intercepts (Debian's Abseil is not TSan-instrumented).
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> series_;  // guarded by mu_
};

using CounterFamily = Family<Counter>;
using HistogramFamily = Family<Histogram>;

// What a collector reports at scrape time: one gauge family with its samples.
struct GaugeSample {
  std::vector<std::string> label_values;
  double value = 0;
};
struct GaugeFamily {
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<GaugeSample> samples;
};
// Returns the gauge families to expose, or an empty list when it cannot (the
// collector logs/counts its own failure). Runs on the scraping thread.
using Collector = std::function<std::vector<GaugeFamily>()>;

class Registry {
 public:
  // Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; registering a name twice returns
  // the existing family.
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> label_names);
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<std::string> label_names, std::vector<double> bounds);
  // A gauge without labels whose owner sets it as things change (a gauge read
  // from elsewhere at scrape time is a collector instead).
  Gauge& AddGauge(std::string name, std::string help);
  void AddCollector(Collector collector);

  // The whole registry in the text exposition format, counters, histograms and
  // gauges in registration order, then collectors' gauges.
  std::string Render() const;

 private:
  struct NamedGauge {
    std::string name;
    std::string help;
    Gauge gauge;
  };
  // Guards the five members below (std::mutex for the reason given above).
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<CounterFamily>> counters_;
  std::vector<std::unique_ptr<HistogramFamily>> histograms_;
  std::vector<std::unique_ptr<NamedGauge>> gauges_;
  std::vector<std::string> order_;  // family names, registration order
  std::vector<Collector> collectors_;
};

// Gauge families in the text exposition format (what Render does for collectors).
std::string RenderGauges(const std::vector<GaugeFamily>& families);

// The process-wide registry (never destroyed). Production code records into
// it; tests may build their own Registry.
Registry& DefaultRegistry();

// Label value escaping of the exposition format: backslash, double quote and
// line feed become \\, \" and \n.
std::string EscapeLabelValue(std::string_view value);
// HELP text escaping: backslash and line feed.
std::string EscapeHelp(std::string_view help);

// Bucket bounds (seconds) for request latencies and for job durations.
const std::vector<double>& LatencyBuckets();
const std::vector<double>& JobDurationBuckets();

// ---- The project's metric families in the default registry ----
// connectplane_http_requests_total{dialect, operation, status}
CounterFamily& HttpRequests();
// connectplane_http_request_duration_seconds{dialect, operation}
HistogramFamily& HttpRequestDuration();
// connectplane_job_duration_seconds{type, outcome}: from job creation to its final status.
HistogramFamily& JobDuration();
// connectplane_store_errors_total{backend, code}
CounterFamily& StoreErrors();
// connectplane_store_transaction_retries_total{backend, sqlstate}: transactions
// the database aborted (deadlock victim, serialization failure) and the store
// ran again.
CounterFamily& StoreTransactionRetries();
// connectplane_store_write_failures_total{writer}: writes that failed for a store
// reason (disk full, I/O error, corruption, lost connection), by the writer that
// saw it (job_runner, request).
CounterFamily& StoreWriteFailures();
// connectplane_store_writes_failing: 1 while the last write reported to the
// store health signal (jobs::StoreHealth) failed, 0 once one succeeded again.
Gauge& StoreWritesFailing();

// connectplane_build_info{version, commit, build_type} 1: what the running
// binary was built from (the usual Prometheus *_info idiom: join on it).
// Registers a collector; call once at start-up.
void RegisterBuildInfo(Registry& registry, std::string version, std::string commit,
                       std::string build_type);

}  // namespace connectplane::metrics
