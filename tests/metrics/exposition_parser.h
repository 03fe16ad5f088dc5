// A strict parser of the Prometheus text exposition format (0.0.4) for tests:
// checks HELP/TYPE lines precede their samples, metric and label names are
// valid, label values are properly escaped, and histograms are consistent.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace connectplane::metrics::testing {

struct Sample {
  std::string name;                           // e.g. x_bucket
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> types;  // family name -> counter|gauge|histogram
  std::map<std::string, std::string> help;
  std::vector<Sample> samples;
  std::vector<std::string> errors;  // empty when the text is valid
};

Exposition ParseExposition(const std::string& text);

}  // namespace connectplane::metrics::testing
