#include "cli/config_file.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace connectplane::cli {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && absl::ascii_isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && absl::ascii_isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsKeyChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Reads one value (quoted string or bare word) at `pos`; advances `pos`.
absl::StatusOr<std::string> ReadScalar(std::string_view line, size_t& pos) {
  if (pos < line.size() && line[pos] == '"') {
    std::string value;
    for (++pos; pos < line.size(); ++pos) {
      const char c = line[pos];
      if (c == '"') {
        ++pos;
        return value;
      }
      if (c == '\\') {
        if (++pos == line.size()) {
          break;
        }
        switch (line[pos]) {
          case 'n':
            value.push_back('\n');
            break;
          case 't':
            value.push_back('\t');
            break;
          case '"':
          case '\\':
            value.push_back(line[pos]);
            break;
          default:
            return absl::InvalidArgumentError(
                absl::StrCat("unknown escape \\", std::string(1, line[pos])));
        }
        continue;
      }
      value.push_back(c);
    }
    return absl::InvalidArgumentError("unterminated string");
  }
  const size_t start = pos;
  while (pos < line.size() && line[pos] != ',' && line[pos] != ']' && line[pos] != '#' &&
         !absl::ascii_isspace(static_cast<unsigned char>(line[pos]))) {
    ++pos;
  }
  if (pos == start) {
    return absl::InvalidArgumentError("missing value");
  }
  return std::string(line.substr(start, pos - start));
}

void SkipSpace(std::string_view line, size_t& pos) {
  while (pos < line.size() && absl::ascii_isspace(static_cast<unsigned char>(line[pos]))) {
    ++pos;
  }
}

// `values` of the text after '='. Anything but a comment after the value is
// an error.
absl::Status ReadValues(std::string_view line, size_t pos, std::vector<std::string>& values) {
  SkipSpace(line, pos);
  if (pos < line.size() && line[pos] == '[') {
    ++pos;
    SkipSpace(line, pos);
    while (pos < line.size() && line[pos] != ']') {
      absl::StatusOr<std::string> value = ReadScalar(line, pos);
      if (!value.ok()) {
        return value.status();
      }
      values.push_back(*std::move(value));
      SkipSpace(line, pos);
      if (pos < line.size() && line[pos] == ',') {
        ++pos;
        SkipSpace(line, pos);
      } else if (pos < line.size() && line[pos] != ']') {
        return absl::InvalidArgumentError("expected ',' or ']' in array");
      }
    }
    if (pos == line.size()) {
      return absl::InvalidArgumentError("unterminated array (arrays are written on one line)");
    }
    ++pos;
  } else {
    absl::StatusOr<std::string> value = ReadScalar(line, pos);
    if (!value.ok()) {
      return value.status();
    }
    values.push_back(*std::move(value));
  }
  SkipSpace(line, pos);
  if (pos < line.size() && line[pos] != '#') {
    return absl::InvalidArgumentError("unexpected text after the value");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ConfigEntry>> ParseConfigText(std::string_view text) {
  std::vector<ConfigEntry> entries;
  std::string section;
  int line_no = 0;
  for (std::string_view rest = text; !rest.empty() || line_no == 0;) {
    ++line_no;
    const size_t end = rest.find('\n');
    std::string_view line = Trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.front() == '[') {
      const size_t close = line.find(']');
      std::string_view after = close == std::string_view::npos ? "" : line.substr(close + 1);
      after = Trim(after);
      if (close == std::string_view::npos || (!after.empty() && after.front() != '#')) {
        return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": bad section header"));
      }
      section = std::string(Trim(line.substr(1, close - 1)));
      continue;
    }
    size_t pos = 0;
    while (pos < line.size() && IsKeyChar(line[pos])) {
      ++pos;
    }
    ConfigEntry entry{section, std::string(line.substr(0, pos)), {}, line_no};
    SkipSpace(line, pos);
    if (entry.key.empty() || pos == line.size() || line[pos] != '=') {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": expected key = value"));
    }
    if (absl::Status status = ReadValues(line, pos + 1, entry.values); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": ", status.message()));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<ConfigEntry>> ReadConfigFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read config file ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<std::vector<ConfigEntry>> entries = ParseConfigText(text.str());
  if (!entries.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config file ", path, ", ", entries.status().message()));
  }
  return entries;
}

std::string QuoteConfigValue(std::string_view value) {
  double number = 0;
  if (value == "true" || value == "false" || absl::SimpleAtod(std::string(value), &number)) {
    if (!value.empty() && value.find_first_of(" #,[]\"") == std::string_view::npos) {
      return std::string(value);
    }
  }
  std::string quoted = "\"";
  for (const char c : value) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        quoted.push_back(c);
    }
  }
  quoted += '"';
  return quoted;
}

}  // namespace connectplane::cli
