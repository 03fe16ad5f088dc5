// Configuration layers for the command-line commands: every option of a
// command can also come from a CONNECTPLANE_<FLAG> environment variable or a
// config file (TOML subset: `flag-name = value`, keys are the long flag names)
// named by --config. Precedence: flag > environment > file > default. Works
// on whatever options a command declares, so a new flag gets both layers
// without code of its own. Not thread-safe: call from main, after parsing.
#pragma once

#include "absl/status/statusor.h"
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace CLI {
class App;
}  // namespace CLI

namespace connectplane::cli {

enum class OptionSource { kDefault, kConfigFile, kEnvironment, kFlag };

// Where each long option name of a command got its value.
using OptionSources = std::map<std::string, OptionSource>;

// Reads an environment variable; nullptr when unset. std::getenv by default,
// a map in tests.
using EnvironmentLookup = std::function<const char*(const char*)>;

// "job-seconds" -> "CONNECTPLANE_JOB_SECONDS".
std::string EnvironmentVariableFor(std::string_view long_name);

// Adds `--config FILE` and `--print-config` to `command`.
void AddConfigOptions(CLI::App& command);

// After `command` (and its parsed subcommands) was parsed from the command
// line: fills each option the command line left unset from its environment
// variable, else from the config file (--config, or CONNECTPLANE_CONFIG), and
// runs the option's checks and callback as a flag would. A config file's keys
// are long flag names ('_' may stand for '-'), at the top level or in a section
// named after the command ([serve]); sections of other commands are skipped.
// A multi-value option takes a TOML array in the file and a whitespace-separated
// list in the environment. Returns each option's source. Errors:
// InvalidArgument naming the variable or file key and the problem (unreadable
// or malformed file, unknown key, a value the option refuses); options applied
// before the error keep their values.
absl::StatusOr<OptionSources> ApplyEnvironmentAndConfigFile(
    CLI::App& command, const EnvironmentLookup& environment = nullptr);

// True when --print-config was given (or CONNECTPLANE_PRINT_CONFIG set).
bool PrintConfigRequested(const CLI::App& command);

// Returns what to show for an option's value (long name, value): the value,
// or a redacted form of a secret.
using Redactor = std::function<std::string(const std::string& name, const std::string& value)>;

// The effective configuration of `command` in the config file format (so it
// can be saved and passed to --config), one `key = value` line per option
// with its source as a comment; options with no value are listed commented
// out. Each value goes through `redact` first.
std::string RenderEffectiveConfig(const CLI::App& command, const OptionSources& sources,
                                  const Redactor& redact);

}  // namespace connectplane::cli
