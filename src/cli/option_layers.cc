#include "cli/option_layers.h"

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "cli/config_file.h"
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

namespace connectplane::cli {
namespace {

constexpr std::string_view kEnvironmentPrefix = "CONNECTPLANE_";
constexpr char kConfigOption[] = "config";
constexpr char kPrintConfigOption[] = "print-config";

// The option's first long name; "" for options without one (positionals).
std::string LongName(const CLI::Option& option) {
  return option.get_lnames().empty() ? "" : option.get_lnames().front();
}

// Options the layers fill: every named option but the built-in help and
// version flags (and --config, which names the file itself).
bool IsLayered(const CLI::Option& option) {
  const std::string name = LongName(option);
  return !name.empty() && name != "help" && name != "help-all" && name != "version" &&
         name != kConfigOption;
}

const char* LookUp(const EnvironmentLookup& environment, const std::string& name) {
  return environment ? environment(name.c_str()) : std::getenv(name.c_str());
}

// Hands `values` to the option as if they had been given as flags: the
// option's checks run and its variable is set. InvalidArgument (naming
// `origin`) when the option refuses them.
absl::Status Feed(CLI::Option& option, const std::vector<std::string>& values,
                  std::string_view origin) {
  try {
    for (const std::string& value : values) {
      option.add_result(value);
    }
    option.run_callback();
  } catch (const CLI::Error& error) {
    return absl::InvalidArgumentError(std::string(origin) + ": " + error.what());
  }
  return absl::OkStatus();
}

std::vector<std::string> SplitEnvironmentValue(const CLI::Option& option, std::string_view value) {
  if (option.get_items_expected_max() > 1) {
    return absl::StrSplit(std::string(value), absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
  }
  return {std::string(value)};
}

// The config file's path: --config, else CONNECTPLANE_CONFIG; "" for none.
std::string ConfigPath(const CLI::App& command, const EnvironmentLookup& environment,
                       OptionSources& sources) {
  const CLI::Option* config = command.get_option_no_throw(std::string("--") + kConfigOption);
  if (config == nullptr) {
    return "";
  }
  if (config->count() > 0) {
    sources[kConfigOption] = OptionSource::kFlag;
    return config->results().back();
  }
  if (const char* value = LookUp(environment, EnvironmentVariableFor(kConfigOption))) {
    sources[kConfigOption] = OptionSource::kEnvironment;
    return value;
  }
  sources[kConfigOption] = OptionSource::kDefault;
  return "";
}

// Long option name -> values from the file, for the keys that apply to
// `command`. InvalidArgument for a key no option of the command has.
absl::StatusOr<std::map<std::string, ConfigEntry>> EntriesFor(const CLI::App& command,
                                                              const std::string& path) {
  absl::StatusOr<std::vector<ConfigEntry>> entries = ReadConfigFile(path);
  if (!entries.ok()) {
    return entries.status();
  }
  std::map<std::string, ConfigEntry> by_name;
  for (ConfigEntry& entry : *entries) {
    if (!entry.section.empty() && entry.section != command.get_name()) {
      continue;  // another command's section
    }
    const std::string name = absl::StrReplaceAll(entry.key, {{"_", "-"}});
    const CLI::Option* option = command.get_option_no_throw("--" + name);
    if (option == nullptr || !IsLayered(*option)) {
      return absl::InvalidArgumentError(
          absl::StrCat("config file ", path, ", line ", entry.line, ": unknown key '", entry.key,
                       "' (keys are the flag names of `", command.get_name(), "`)"));
    }
    by_name[name] = std::move(entry);
  }
  return by_name;
}

absl::Status ApplyLayers(CLI::App& command, const EnvironmentLookup& environment,
                         OptionSources& sources) {
  const std::string config_path = ConfigPath(command, environment, sources);
  std::map<std::string, ConfigEntry> file_entries;
  if (!config_path.empty()) {
    absl::StatusOr<std::map<std::string, ConfigEntry>> entries = EntriesFor(command, config_path);
    if (!entries.ok()) {
      return entries.status();
    }
    file_entries = *std::move(entries);
  }
  for (CLI::Option* option : command.get_options()) {
    if (!IsLayered(*option)) {
      continue;
    }
    const std::string name = LongName(*option);
    if (option->count() > 0) {
      sources[name] = OptionSource::kFlag;
      continue;
    }
    const std::string variable = EnvironmentVariableFor(name);
    if (const char* value = LookUp(environment, variable)) {
      if (absl::Status fed = Feed(*option, SplitEnvironmentValue(*option, value), variable);
          !fed.ok()) {
        return fed;
      }
      sources[name] = OptionSource::kEnvironment;
      continue;
    }
    if (auto entry = file_entries.find(name); entry != file_entries.end()) {
      const std::string origin =
          absl::StrCat("config file ", config_path, ", line ", entry->second.line);
      if (absl::Status fed = Feed(*option, entry->second.values, origin); !fed.ok()) {
        return fed;
      }
      sources[name] = OptionSource::kConfigFile;
      continue;
    }
    sources[name] = OptionSource::kDefault;
  }
  return absl::OkStatus();
}

const char* SourceText(OptionSource source) {
  switch (source) {
    case OptionSource::kFlag:
      return "flag";
    case OptionSource::kEnvironment:
      return "environment";
    case OptionSource::kConfigFile:
      return "config file";
    case OptionSource::kDefault:
      break;
  }
  return "default";
}

}  // namespace

std::string EnvironmentVariableFor(std::string_view long_name) {
  std::string variable(kEnvironmentPrefix);
  for (const char c : long_name) {
    variable.push_back(c == '-' ? '_' : absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return variable;
}

void AddConfigOptions(CLI::App& command) {
  command.add_option(std::string("--") + kConfigOption,
                     "config file (TOML subset): one "
                     "`flag-name = value` line per flag; flags and CONNECTPLANE_<FLAG> "
                     "environment variables override it");
  command.add_flag(std::string("--") + kPrintConfigOption)
      ->description(
          "print the effective configuration (flag > environment > config file > default; "
          "secrets redacted) and exit");
}

absl::StatusOr<OptionSources> ApplyEnvironmentAndConfigFile(CLI::App& command,
                                                            const EnvironmentLookup& environment) {
  OptionSources sources;
  if (absl::Status status = ApplyLayers(command, environment, sources); !status.ok()) {
    return status;
  }
  for (CLI::App* subcommand : command.get_subcommands()) {
    absl::StatusOr<OptionSources> nested = ApplyEnvironmentAndConfigFile(*subcommand, environment);
    if (!nested.ok()) {
      return nested.status();
    }
  }
  return sources;
}

bool PrintConfigRequested(const CLI::App& command) {
  const CLI::Option* option = command.get_option_no_throw(std::string("--") + kPrintConfigOption);
  return option != nullptr && option->as<bool>();
}

std::string RenderEffectiveConfig(const CLI::App& command, const OptionSources& sources,
                                  const Redactor& redact) {
  std::string out = absl::StrCat("# connectplane ", command.get_name(),
                                 ": effective configuration (flag > environment > config file > "
                                 "default)\n");
  for (const CLI::Option* option : command.get_options()) {
    const std::string name = LongName(*option);
    if (!IsLayered(*option) || name == kPrintConfigOption) {
      continue;
    }
    auto source = sources.find(name);
    const OptionSource from = source == sources.end() ? OptionSource::kDefault : source->second;
    std::vector<std::string> values = option->results();
    if (values.empty() && !option->get_default_str().empty()) {
      values = {option->get_default_str()};
    }
    const std::string comment = absl::StrCat(
        "  # ", SourceText(from),
        from == OptionSource::kEnvironment ? absl::StrCat(" ", EnvironmentVariableFor(name)) : "");
    if (values.empty()) {
      absl::StrAppend(&out, "# ", name, " is unset", comment, "\n");
      continue;
    }
    std::vector<std::string> quoted;
    for (const std::string& value : values) {
      quoted.push_back(QuoteConfigValue(redact ? redact(name, value) : value));
    }
    const bool array = option->get_items_expected_max() > 1;
    absl::StrAppend(&out, name, " = ",
                    array ? absl::StrCat("[", absl::StrJoin(quoted, ", "), "]") : quoted.front(),
                    comment, "\n");
  }
  return out;
}

}  // namespace connectplane::cli
