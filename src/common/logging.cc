#include "common/logging.h"

#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include <atomic>
#include <cstdio>
#include <string>

namespace connectplane::common {
namespace {

// Marks a message built by LogEvent in JSON mode: the payload is already a
// list of JSON members, not free text to be escaped.
constexpr char kStructuredMarker = '\x1e';

std::atomic<LogFormat> current_format{LogFormat::kText};

// One JSON object per line: ts (UTC, ms), level, then either the structured
// members of LogEvent or {"msg": "<escaped free text>"}.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char ts[40];
    std::snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis % 1000));
    std::string line = "{\"ts\":\"";
    line += ts;
    line += "\",\"level\":\"";
    auto level = spdlog::level::to_string_view(msg.level);
    line.append(level.data(), level.size());
    line += '"';
    std::string_view payload(msg.payload.data(), msg.payload.size());
    if (!payload.empty() && payload.front() == kStructuredMarker) {
      line += ',';
      line += payload.substr(1);
    } else {
      line += ",\"msg\":\"";
      line += JsonEscape(payload);
      line += '"';
    }
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

void AppendJsonValue(std::string& out, const LogValue& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    out += '"';
    out += JsonEscape(*text);
    out += '"';
  } else if (const auto* integer = std::get_if<int64_t>(&value)) {
    out += std::to_string(*integer);
  } else if (const auto* real = std::get_if<double>(&value)) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.3f", *real);
    out += buffer;
  } else {
    out += std::get<bool>(value) ? "true" : "false";
  }
}

void AppendTextValue(std::string& out, const LogValue& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    bool plain = !text->empty();
    for (char c : *text) {
      plain = plain && c > ' ' && c != '"' && c != '=' && c != 0x7f;
    }
    if (plain) {
      out += *text;
    } else {
      out += '"';
      out += JsonEscape(*text);
      out += '"';
    }
    return;
  }
  AppendJsonValue(out, value);
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError("--log-format must be text or json");
}

void InstallLogger(std::shared_ptr<spdlog::logger> logger, LogFormat format) {
  if (format == LogFormat::kJson) {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
  }
  current_format.store(format);
  spdlog::set_default_logger(std::move(logger));
}

void InitLogging(std::string_view level, LogFormat format) {
  auto logger = spdlog::stderr_color_mt("connectplane");
  logger->set_level(spdlog::level::from_str(std::string(level)));
  InstallLogger(std::move(logger), format);
}

LogFormat CurrentLogFormat() { return current_format.load(); }

void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const std::vector<LogField>& fields) {
  if (!spdlog::default_logger_raw()->should_log(level)) return;
  std::string message;
  if (CurrentLogFormat() == LogFormat::kJson) {
    message += kStructuredMarker;
    message += "\"event\":\"";
    message += JsonEscape(event);
    message += '"';
    for (const auto& [key, value] : fields) {
      message += ",\"";
      message += JsonEscape(key);
      message += "\":";
      AppendJsonValue(message, value);
    }
  } else {
    message += event;
    for (const auto& [key, value] : fields) {
      message += ' ';
      message += key;
      message += '=';
      AppendTextValue(message, value);
    }
  }
  spdlog::default_logger_raw()->log(level, spdlog::string_view_t(message.data(), message.size()));
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendJsonEscaped(out, text);
  return out;
}

void AppendJsonEscaped(std::string& out, std::string_view text) {
  size_t plain_from = 0;  // runs without escapes are appended in one piece
  for (size_t idx = 0; idx < text.size(); ++idx) {
    const auto c = static_cast<unsigned char>(text[idx]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain_from, idx - plain_from);
    plain_from = idx + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buffer[8];
        std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
        out += buffer;
      }
    }
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
}

}  // namespace connectplane::common
