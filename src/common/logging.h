// Process-wide logging set-up over spdlog, in two formats: human-readable text
// (default) or one JSON object per line (--log-format json). Structured events
// (access log, job transitions) go through LogEvent so that both formats carry
// the same named fields. Call InitLogging once from main before threads start;
// logging itself is thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "spdlog/logger.h"
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace connectplane::common {

enum class LogFormat { kText, kJson };

// "text" or "json"; InvalidArgument otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name);

// `level` is one of trace, debug, info, warn, error, off. Logs go to stderr, one
// line per event, so stdout stays free for the bound address banner.
void InitLogging(std::string_view level, LogFormat format = LogFormat::kText);

// Makes `logger` (e.g. one writing to a test's ostream sink) the default logger
// and sets its formatter for `format`. For tests and InitLogging.
void InstallLogger(std::shared_ptr<spdlog::logger> logger, LogFormat format);

// The format of the installed default logger.
LogFormat CurrentLogFormat();

using LogValue = std::variant<std::string_view, int64_t, double, bool>;
using LogField = std::pair<std::string_view, LogValue>;

// Logs one structured event: in JSON, {"ts","level","event":event, fields...};
// in text, "event key=value ..." (values with spaces or quotes are quoted).
// Never pass secrets (secret keys, signatures, Authorization headers).
void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const std::vector<LogField>& fields);

// JSON string escaping (quotes, backslash, control characters), without the quotes.
std::string JsonEscape(std::string_view text);
// The same, appended to `out` (no temporary string; for writers of JSON text).
void AppendJsonEscaped(std::string& out, std::string_view text);

}  // namespace connectplane::common
