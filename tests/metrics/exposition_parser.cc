#include "metrics/exposition_parser.h"

#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>

namespace connectplane::metrics::testing {
namespace {

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool IsNameChar(char c) { return IsNameStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

bool ValidName(const std::string& name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

std::string FamilyOf(const std::string& sample, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      std::string base = sample.substr(0, sample.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return sample;
}

}  // namespace

Exposition ParseExposition(const std::string& text) {
  Exposition out;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  if (!text.empty() && text.back() != '\n') out.errors.push_back("no trailing newline");
  while (std::getline(lines, line)) {
    ++number;
    auto fail = [&](const std::string& why) {
      out.errors.push_back("line " + std::to_string(number) + ": " + why + ": " + line);
    };
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      std::string rest = line.substr(7);
      size_t space = rest.find(' ');
      std::string name = rest.substr(0, space);
      if (!ValidName(name)) fail("bad metric name");
      std::string value = space == std::string::npos ? "" : rest.substr(space + 1);
      if (line[2] == 'H') {
        if (out.help.count(name)) fail("duplicate HELP");
        out.help[name] = value;
      } else {
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(value)) fail("bad TYPE");
        if (out.types.count(name)) fail("duplicate TYPE");
        out.types[name] = value;
      }
      continue;
    }
    if (line[0] == '#') continue;
    Sample sample;
    size_t pos = 0;
    while (pos < line.size() && IsNameChar(line[pos])) ++pos;
    sample.name = line.substr(0, pos);
    if (!ValidName(sample.name)) fail("bad sample name");
    if (pos < line.size() && line[pos] == '{') {
      ++pos;
      while (pos < line.size() && line[pos] != '}') {
        size_t start = pos;
        while (pos < line.size() && IsNameChar(line[pos])) ++pos;
        std::string label = line.substr(start, pos - start);
        if (!ValidName(label)) fail("bad label name");
        if (pos + 1 >= line.size() || line[pos] != '=' || line[pos + 1] != '"') {
          fail("expected =\"");
          break;
        }
        pos += 2;
        std::string value;
        bool closed = false;
        while (pos < line.size()) {
          char c = line[pos++];
          if (c == '\\') {
            if (pos >= line.size()) break;
            char escaped = line[pos++];
            if (escaped == 'n')
              value += '\n';
            else if (escaped == '\\')
              value += '\\';
            else if (escaped == '"')
              value += '"';
            else
              fail("bad escape");
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            value += c;
          }
        }
        if (!closed) fail("unterminated label value");
        if (sample.labels.count(label)) fail("duplicate label");
        sample.labels[label] = value;
        if (pos < line.size() && line[pos] == ',') ++pos;
      }
      if (pos >= line.size()) {
        fail("unterminated label set");
        continue;
      }
      ++pos;  // '}'
    }
    if (pos >= line.size() || line[pos] != ' ') {
      fail("expected a space before the value");
      continue;
    }
    std::string value = line.substr(pos + 1);
    if (value == "+Inf") {
      sample.value = 1e308 * 10;
    } else if (value == "-Inf") {
      sample.value = -1e308 * 10;
    } else {
      char* end = nullptr;
      sample.value = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') fail("bad value");
    }
    std::string family = FamilyOf(sample.name, out.types);
    if (!out.types.count(family)) fail("sample before its TYPE line");
    if (!out.help.count(family)) fail("sample without HELP");
    out.samples.push_back(std::move(sample));
  }
  // Histograms: per series, buckets cumulative (monotonic in le), ending with
  // +Inf, and _count equal to the +Inf bucket.
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;
  std::map<std::string, double> counts;
  for (const Sample& sample : out.samples) {
    std::string family = FamilyOf(sample.name, out.types);
    if (family == sample.name || out.types[family] != "histogram") continue;
    std::map<std::string, std::string> base = sample.labels;
    std::string le = base.count("le") ? base["le"] : "";
    base.erase("le");
    std::string key = family;
    for (const auto& [k, v] : base) key += "|" + k + "=" + v;
    if (sample.name == family + "_bucket") {
      if (le.empty()) out.errors.push_back(key + ": bucket without le");
      double bound = le == "+Inf" ? 1e308 * 10 : std::strtod(le.c_str(), nullptr);
      buckets[key].push_back({bound, sample.value});
    } else if (sample.name == family + "_count") {
      counts[key] = sample.value;
    }
  }
  for (const auto& [key, series] : buckets) {
    for (size_t idx = 1; idx < series.size(); ++idx) {
      if (series[idx].first <= series[idx - 1].first)
        out.errors.push_back(key + ": le not ascending");
      if (series[idx].second < series[idx - 1].second)
        out.errors.push_back(key + ": buckets not cumulative");
    }
    if (series.empty() || series.back().first < 1e308) {
      out.errors.push_back(key + ": no +Inf bucket");
    } else if (!counts.count(key) || counts[key] != series.back().second) {
      out.errors.push_back(key + ": _count differs from the +Inf bucket");
    }
  }
  return out;
}

}  // namespace connectplane::metrics::testing
