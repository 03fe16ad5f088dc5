// The config file format of --config: a subset of TOML. Each line is blank, a
// comment (#...), a section header ([serve]) or `key = value`, where value is
// a "double-quoted string" (escapes \" \\ \n \t), a bare word (a number,
// true/false) or an array of those ([ "a", "b" ], on one line). A '#' outside
// quotes starts a comment. Stateless functions: safe for concurrent use.
#pragma once

#include "absl/status/statusor.h"
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::cli {

struct ConfigEntry {
  std::string section;  // "" at the top level
  std::string key;
  std::vector<std::string> values;  // one per array element; one for a scalar
  int line = 0;                     // 1-based, for messages
};

// Parses a whole file's text. Errors: InvalidArgument "line N: <problem>".
absl::StatusOr<std::vector<ConfigEntry>> ParseConfigText(std::string_view text);

// Reads and parses the file at `path`. Errors: InvalidArgument naming the file
// (and the line) for unreadable files and syntax errors.
absl::StatusOr<std::vector<ConfigEntry>> ReadConfigFile(const std::string& path);

// A value as the file format writes it: bare when it is a number or
// true/false, else double-quoted with escapes.
std::string QuoteConfigValue(std::string_view value);

}  // namespace connectplane::cli
