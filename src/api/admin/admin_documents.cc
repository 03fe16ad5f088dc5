#include "api/admin/admin_documents.h"

#include "common/http_message.h"
#include "common/json_reader.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::api::admin {
namespace {

// The admin API's wording: "unknown key 'x'", "'x' must be ...".
absl::Status DocumentError(const common::JsonFieldError& error) {
  switch (error.problem) {
    case common::JsonProblem::kUnknownKey:
      return absl::InvalidArgumentError(
          common::StrCat("unknown key '", common::QuoteUntrusted(error.path), "'"));
    case common::JsonProblem::kMissing:
      return absl::InvalidArgumentError(
          common::StrCat("'", error.path, "' is required (", error.expected, ")"));
    case common::JsonProblem::kWrongType:
    case common::JsonProblem::kOutOfRange:
    case common::JsonProblem::kNotAllowed:
    case common::JsonProblem::kTooLong:
      return absl::InvalidArgumentError(
          common::StrCat("'", error.path, "' must be ", error.expected));
  }
  return absl::InvalidArgumentError("invalid document");
}

common::JsonReader Reader(const boost::json::object& document) {
  return common::JsonReader(document, "", &DocumentError);
}

// count and probability, shared by both kinds of fault. The ranges are
// EmulatorControls'; these bounds only keep the numbers representable.
absl::Status ReadCountAndProbability(const common::JsonReader& document, double default_count,
                                     int32_t& count, double& probability) {
  ASSIGN_OR_RETURN(std::optional<double> count_value, document.Number("count", -1e9, 1e9));
  ASSIGN_OR_RETURN(std::optional<double> probability_value,
                   document.Number("probability", -1e9, 1e9));
  count = static_cast<int32_t>(count_value.value_or(default_count));
  probability = probability_value.value_or(1.0);
  return absl::OkStatus();
}

boost::json::object TimingJson(const service::JobTiming& timing) {
  boost::json::object out;
  if (timing.reads > 0) {
    out["mode"] = "reads";
    out["reads"] = timing.reads;
  } else if (timing.delay == absl::ZeroDuration()) {
    out["mode"] = "instant";
  } else {
    out["mode"] = "seconds";
    double seconds = absl::ToDoubleSeconds(timing.delay);
    if (seconds == static_cast<double>(static_cast<int64_t>(seconds))) {
      out["seconds"] = static_cast<int64_t>(seconds);
    } else {
      out["seconds"] = seconds;
    }
  }
  return out;
}

boost::json::array FaultList(const service::FaultRules& rules) {
  boost::json::array faults;
  for (const service::FaultRules::Api& stored : rules.api) {
    boost::json::object out;
    out["id"] = stored.id;
    out["kind"] = "api";
    out["dialect"] = stored.rule.dialect;
    out["operation"] = stored.rule.operation;
    out["count"] = stored.rule.count;
    out["probability"] = stored.rule.probability;
    out["http_status"] = stored.rule.http_status;
    out["error_code"] = stored.rule.error_code;
    out["message"] = stored.rule.error_message;
    out["latency_ms"] = absl::ToInt64Milliseconds(stored.rule.latency);
    out["hits"] = stored.hits;
    faults.push_back(std::move(out));
  }
  for (const service::FaultRules::Job& stored : rules.job) {
    boost::json::object out;
    out["id"] = stored.id;
    out["kind"] = "job";
    out["job_type"] = stored.rule.job_type;
    out["count"] = stored.rule.count;
    out["probability"] = stored.rule.probability;
    out["message"] = stored.rule.error_message;
    out["hits"] = stored.hits;
    faults.push_back(std::move(out));
  }
  return faults;
}

std::string JoinNames(std::span<const std::string> names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

bool Contains(std::span<const std::string> names, std::string_view name) {
  return std::any_of(names.begin(), names.end(), [name](const std::string& candidate) {
    return common::EqualsIgnoreCase(candidate, name);
  });
}

// A rule naming a dialect or operation that no route serves would be stored
// and never fire.
absl::Status CheckApiFaultTarget(const service::ApiFaultRule& rule,
                                 std::span<const DialectOperations> dialects) {
  std::vector<const DialectOperations*> candidates;
  std::vector<std::string> dialect_names;
  for (const DialectOperations& dialect : dialects) {
    dialect_names.push_back(dialect.dialect);
    if (rule.dialect == "*" || common::EqualsIgnoreCase(rule.dialect, dialect.dialect)) {
      candidates.push_back(&dialect);
    }
  }
  if (candidates.empty()) {
    dialect_names.emplace_back("*");
    return absl::InvalidArgumentError(common::StrCat("unknown dialect '",
                                                     common::QuoteUntrusted(rule.dialect),
                                                     "' (known: ", JoinNames(dialect_names), ")"));
  }
  if (rule.operation == "*") return absl::OkStatus();
  std::string known;
  for (const DialectOperations* dialect : candidates) {
    if (Contains(dialect->operations, rule.operation)) return absl::OkStatus();
    if (!known.empty()) known += "; ";
    known += common::StrCat(dialect->dialect, ": ", JoinNames(dialect->operations));
  }
  return absl::InvalidArgumentError(common::StrCat(
      "unknown operation '", common::QuoteUntrusted(rule.operation), "' for dialect '",
      common::QuoteUntrusted(rule.dialect), "' (known: ", known, "; or *)"));
}

}  // namespace

absl::StatusOr<FaultRule> ParseFaultRule(const boost::json::object& document,
                                         std::span<const DialectOperations> dialects) {
  const common::JsonReader reader = Reader(document);
  ASSIGN_OR_RETURN(std::optional<std::string> kind, reader.Enum("kind", {"api", "job"}));
  if (!kind) {
    return reader.Error(common::JsonProblem::kMissing, "kind", "\"api\" or \"job\"");
  }
  if (*kind == "job") {
    RETURN_IF_ERROR(reader.CheckKnown({"kind", "job_type", "count", "probability", "message"}));
    service::JobFaultRule rule;
    RETURN_IF_ERROR(ReadCountAndProbability(reader, 1, rule.count, rule.probability));
    ASSIGN_OR_RETURN(std::optional<std::string> job_type, reader.String("job_type"));
    ASSIGN_OR_RETURN(std::optional<std::string> message, reader.String("message"));
    rule.job_type = job_type.value_or("*");
    if (message) rule.error_message = *message;
    return FaultRule(std::move(rule));
  }
  RETURN_IF_ERROR(reader.CheckKnown({"kind", "dialect", "operation", "count", "probability",
                                     "http_status", "error_code", "message", "latency_ms"}));
  service::ApiFaultRule rule;
  RETURN_IF_ERROR(ReadCountAndProbability(reader, -1, rule.count, rule.probability));
  ASSIGN_OR_RETURN(std::optional<std::string> dialect, reader.String("dialect"));
  ASSIGN_OR_RETURN(std::optional<std::string> operation, reader.String("operation"));
  ASSIGN_OR_RETURN(std::optional<std::string> error_code, reader.String("error_code"));
  ASSIGN_OR_RETURN(std::optional<std::string> message, reader.String("message"));
  ASSIGN_OR_RETURN(std::optional<double> http_status, reader.Number("http_status", 0, 999));
  ASSIGN_OR_RETURN(std::optional<double> latency_ms, reader.Number("latency_ms", -1e9, 1e9));
  rule.dialect = dialect.value_or("*");
  rule.operation = operation.value_or("*");
  rule.http_status = static_cast<int>(http_status.value_or(0));
  rule.error_code = error_code.value_or("");
  if (message) rule.error_message = *message;
  rule.latency = absl::Milliseconds(latency_ms.value_or(0));
  RETURN_IF_ERROR(CheckApiFaultTarget(rule, dialects));
  return FaultRule(std::move(rule));
}

absl::StatusOr<std::string> ParseTimingDocument(const boost::json::object& document) {
  const common::JsonReader reader = Reader(document);
  RETURN_IF_ERROR(reader.CheckKnown({"job_type", "mode", "seconds", "reads"}));
  ASSIGN_OR_RETURN(std::optional<std::string> job_type,
                   reader.String("job_type", {.allow_empty = false}));
  ASSIGN_OR_RETURN(std::optional<std::string> mode,
                   reader.Enum("mode", {"instant", "seconds", "reads"}));
  if (!mode) {
    return reader.Error(common::JsonProblem::kMissing, "mode", "instant, seconds or reads");
  }
  std::string setting;
  if (*mode == "instant") {
    setting = "0";
  } else if (*mode == "seconds") {
    ASSIGN_OR_RETURN(std::optional<double> seconds, reader.Number("seconds", 0, 86400));
    if (!seconds) {
      return reader.Error(common::JsonProblem::kMissing, "seconds", "mode 'seconds' needs it");
    }
    setting = common::StrCat(*seconds);
  } else {
    if (!job_type) {
      return reader.Error(common::JsonProblem::kMissing, "job_type", "mode 'reads' needs it");
    }
    ASSIGN_OR_RETURN(int64_t reads, reader.RequiredInt("reads", 1, 1000000));
    setting = common::StrCat("reads:", reads);
  }
  return job_type ? common::StrCat(*job_type, "=", setting) : setting;
}

absl::StatusOr<std::optional<std::string>> ParseResetDocument(const boost::json::object& document) {
  const common::JsonReader reader = Reader(document);
  RETURN_IF_ERROR(reader.CheckKnown({"tenant"}));
  return reader.String("tenant", {.allow_empty = false});
}

absl::StatusOr<std::optional<uint64_t>> ParseIdSeedDocument(const boost::json::object& document) {
  const common::JsonReader reader = Reader(document);
  RETURN_IF_ERROR(reader.CheckKnown({"seed"}));
  if (!document.contains("seed")) {
    return absl::InvalidArgumentError("seed: required (a number, or null for random ids)");
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> seed, reader.Int("seed", 0));
  if (!seed) return std::nullopt;
  return static_cast<uint64_t>(*seed);
}

absl::StatusOr<bool> ParseExportQuery(std::string_view raw_query) {
  auto query = common::ParseQuery(raw_query);
  if (!query) return absl::InvalidArgumentError("malformed query string");
  std::optional<bool> include_secrets;
  for (const auto& [key, value] : *query) {
    if (key != "include_secrets") {
      return absl::InvalidArgumentError(common::StrCat(
          "unknown parameter '", common::QuoteUntrusted(key), "' (include_secrets)"));
    }
    if (include_secrets) {
      return absl::InvalidArgumentError("'include_secrets' given more than once");
    }
    if (value != "true" && value != "false") {
      return absl::InvalidArgumentError("'include_secrets' must be true or false");
    }
    include_secrets = value == "true";
  }
  return include_secrets.value_or(false);
}

boost::json::object TimingsJson(const service::JobTimingSettings& settings) {
  boost::json::object out;
  out["default"] = TimingJson(settings.default_timing);
  boost::json::object types;
  for (const auto& [job_type, timing] : settings.per_type) {
    types[job_type] = TimingJson(timing);
  }
  out["types"] = std::move(types);
  return out;
}

boost::json::object FaultsJson(const service::FaultRules& rules) {
  boost::json::object root;
  root["faults"] = FaultList(rules);
  return root;
}

boost::json::object StateJson(const service::EmulatorState& state,
                              const service::JobTimingSettings& timings,
                              const service::FaultRules& faults) {
  boost::json::object tables;
  for (const store::TableDump& dump : state.tables) {
    boost::json::array rows;
    for (const auto& row : dump.rows) {
      boost::json::object object;
      for (size_t col = 0; col < dump.columns.size(); ++col) {
        if (row[col]) {
          object[dump.columns[col]] = *row[col];
        } else {
          object[dump.columns[col]] = nullptr;
        }
      }
      rows.push_back(std::move(object));
    }
    tables[dump.table] = std::move(rows);
  }
  boost::json::object root;
  root["tables"] = std::move(tables);
  root["timing"] = TimingsJson(timings);
  root["faults"] = FaultList(faults);
  root["now_ms"] = state.now_ms;
  return root;
}

}  // namespace connectplane::api::admin
