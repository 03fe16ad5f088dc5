#include "metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

namespace connectplane::metrics {
namespace {

// Shortest round-trip text for a sample value; Prometheus spells infinities
// "+Inf"/"-Inf" and not-a-number "NaN".
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    return buffer;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  // Prefer a shorter spelling when it round-trips (0.005 rather than 0.0050000000000000001).
  for (int precision = 1; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) {
      return shorter;
    }
  }
  return buffer;
}

void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (size_t idx = 0; idx < names.size(); ++idx) {
    if (!first) out += ',';
    first = false;
    out += names[idx];
    out += "=\"";
    out += EscapeLabelValue(idx < values.size() ? values[idx] : std::string());
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += EscapeHelp(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t idx = 0; idx <= bounds.size(); ++idx) {
    buckets_[idx].store(0, std::memory_order_relaxed);
  }
}

void Histogram::Observe(double value) {
  size_t index = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                     bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
  count_.fetch_add(1, std::memory_order_relaxed);
}

template <typename T>
T& Family<T>::WithLabels(std::initializer_list<std::string_view> values) {
  std::vector<std::string> key;
  key.reserve(label_names_.size());
  for (std::string_view value : values) {
    if (key.size() == label_names_.size()) break;
    key.emplace_back(value);
  }
  key.resize(label_names_.size());
  return FindOrCreate(std::move(key));
}

template <typename T>
T& Family<T>::WithLabels(const std::vector<std::string>& values) {
  std::vector<std::string> key(values.begin(),
                               values.begin() + std::min(values.size(), label_names_.size()));
  key.resize(label_names_.size());
  return FindOrCreate(std::move(key));
}

template <typename T>
T& Family<T>::FindOrCreate(std::vector<std::string> key) {
  {
    std::shared_lock lock(mu_);
    auto found = series_.find(key);
    if (found != series_.end()) return *found->second;
  }
  std::unique_lock lock(mu_);
  auto& slot = series_[std::move(key)];
  if (!slot) {
    if constexpr (std::is_same_v<T, Histogram>) {
      slot = std::make_unique<Histogram>(bounds_);
    } else {
      slot = std::make_unique<T>();
    }
  }
  return *slot;
}

template <typename T>
void Family<T>::ForEach(
    const std::function<void(const std::vector<std::string>&, const T&)>& fn) const {
  std::shared_lock lock(mu_);
  for (const auto& [labels, series] : series_) {
    fn(labels, *series);
  }
}

template class Family<Counter>;
template class Family<Histogram>;

CounterFamily& Registry::AddCounter(std::string name, std::string help,
                                    std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& family : counters_) {
    if (family->name() == name) return *family;
  }
  order_.push_back(name);
  counters_.push_back(
      std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names)));
  return *counters_.back();
}

HistogramFamily& Registry::AddHistogram(std::string name, std::string help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& family : histograms_) {
    if (family->name() == name) return *family;
  }
  std::sort(bounds.begin(), bounds.end());
  order_.push_back(name);
  histograms_.push_back(std::make_unique<HistogramFamily>(
      std::move(name), std::move(help), std::move(label_names), std::move(bounds)));
  return *histograms_.back();
}

Gauge& Registry::AddGauge(std::string name, std::string help) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& named : gauges_) {
    if (named->name == name) return named->gauge;
  }
  order_.push_back(name);
  gauges_.push_back(std::make_unique<NamedGauge>());
  gauges_.back()->name = std::move(name);
  gauges_.back()->help = std::move(help);
  return gauges_.back()->gauge;
}

void Registry::AddCollector(Collector collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::Render() const {
  std::string out;
  std::vector<Collector> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    collectors = collectors_;
    for (const std::string& name : order_) {
      for (const auto& family : counters_) {
        if (family->name() != name) continue;
        AppendHeader(out, family->name(), family->help(), "counter");
        family->ForEach([&](const std::vector<std::string>& labels, const Counter& counter) {
          out += family->name();
          AppendLabels(out, family->label_names(), labels);
          out += ' ';
          out += FormatValue(static_cast<double>(counter.Value()));
          out += '\n';
        });
      }
      for (const auto& family : histograms_) {
        if (family->name() != name) continue;
        AppendHeader(out, family->name(), family->help(), "histogram");
        family->ForEach([&](const std::vector<std::string>& labels, const Histogram& histogram) {
          // Read the buckets once; the count is their sum, so the exposed
          // series stays consistent while other threads observe.
          uint64_t cumulative = 0;
          const std::vector<double>& bounds = family->bounds();
          for (size_t idx = 0; idx <= bounds.size(); ++idx) {
            cumulative += histogram.BucketCount(idx);
            out += family->name();
            out += "_bucket";
            AppendLabels(out, family->label_names(), labels, "le",
                         idx < bounds.size() ? FormatValue(bounds[idx]) : "+Inf");
            out += ' ';
            out += FormatValue(static_cast<double>(cumulative));
            out += '\n';
          }
          out += family->name();
          out += "_sum";
          AppendLabels(out, family->label_names(), labels);
          out += ' ';
          out += FormatValue(histogram.Sum());
          out += '\n';
          out += family->name();
          out += "_count";
          AppendLabels(out, family->label_names(), labels);
          out += ' ';
          out += FormatValue(static_cast<double>(cumulative));
          out += '\n';
        });
      }
      for (const auto& named : gauges_) {
        if (named->name != name) continue;
        AppendHeader(out, named->name, named->help, "gauge");
        out += named->name;
        out += ' ';
        out += FormatValue(named->gauge.Value());
        out += '\n';
      }
    }
  }
  for (const Collector& collector : collectors) {
    out += RenderGauges(collector());
  }
  return out;
}

std::string RenderGauges(const std::vector<GaugeFamily>& families) {
  std::string out;
  for (const GaugeFamily& family : families) {
    AppendHeader(out, family.name, family.help, "gauge");
    for (const GaugeSample& sample : family.samples) {
      out += family.name;
      AppendLabels(out, family.label_names, sample.label_values);
      out += ' ';
      out += FormatValue(sample.value);
      out += '\n';
    }
  }
  return out;
}

Registry& DefaultRegistry() {
  static Registry* const registry = new Registry();
  return *registry;
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double>* const buckets = new std::vector<double>{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

const std::vector<double>& JobDurationBuckets() {
  static const std::vector<double>* const buckets =
      new std::vector<double>{0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900};
  return *buckets;
}

CounterFamily& HttpRequests() {
  static CounterFamily* const family = &DefaultRegistry().AddCounter(
      "connectplane_http_requests_total",
      "HTTP requests answered, by dialect (dms, zenlayer, admin, server), operation and status.",
      {"dialect", "operation", "status"});
  return *family;
}

HistogramFamily& HttpRequestDuration() {
  static HistogramFamily* const family = &DefaultRegistry().AddHistogram(
      "connectplane_http_request_duration_seconds",
      "Time from a complete request to its answer, by dialect and operation.",
      {"dialect", "operation"}, LatencyBuckets());
  return *family;
}

HistogramFamily& JobDuration() {
  static HistogramFamily* const family = &DefaultRegistry().AddHistogram(
      "connectplane_job_duration_seconds",
      "Time from a job's creation to its final status, by job type and outcome (succeeded, "
      "failed).",
      {"type", "outcome"}, JobDurationBuckets());
  return *family;
}

CounterFamily& StoreErrors() {
  static CounterFamily* const family = &DefaultRegistry().AddCounter(
      "connectplane_store_errors_total",
      "Database errors (not domain refusals), by backend and canonical status code.",
      {"backend", "code"});
  return *family;
}

CounterFamily& StoreTransactionRetries() {
  static CounterFamily* const family = &DefaultRegistry().AddCounter(
      "connectplane_store_transaction_retries_total",
      "Transactions the database aborted as a deadlock victim or for a serialization failure, "
      "run again by the store, by backend and SQLSTATE.",
      {"backend", "sqlstate"});
  return *family;
}

CounterFamily& StoreWriteFailures() {
  static CounterFamily* const family = &DefaultRegistry().AddCounter(
      "connectplane_store_write_failures_total",
      "Writes that failed for a store reason (disk full, I/O error, corruption, lost "
      "connection), by the writer that saw the failure (job_runner, request).",
      {"writer"});
  return *family;
}

Gauge& StoreWritesFailing() {
  static Gauge* const gauge = &DefaultRegistry().AddGauge(
      "connectplane_store_writes_failing",
      "1 while store writes fail (the last write the job runner or a request reported failed), "
      "else 0. /_connectplane/ready answers 503 meanwhile.");
  return *gauge;
}

void RegisterBuildInfo(Registry& registry, std::string version, std::string commit,
                       std::string build_type) {
  registry.AddCollector([version = std::move(version), commit = std::move(commit),
                         build_type = std::move(build_type)] {
    return std::vector<GaugeFamily>{
        {"connectplane_build_info",
         "Always 1; the labels say what the running binary was built from (project version, git "
         "commit or \"unknown\", CMake build type).",
         {"version", "commit", "build_type"},
         {{{version, commit, build_type}, 1}}}};
  });
}

}  // namespace connectplane::metrics
