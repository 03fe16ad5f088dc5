#include "service/emulator_controls.h"

#include <algorithm>

#include "boost/json.hpp"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

namespace connectplane::service {
namespace {

bool Matches(std::string_view pattern, std::string_view value) {
  return pattern == "*" || common::EqualsIgnoreCase(pattern, value);
}

absl::Status BadRule(std::string_view message) {
  return common::InvalidArgument("INVALID_FAULT", message);
}

absl::Status CheckCountAndProbability(int32_t count, double probability) {
  if (count == 0 || count < -1) {
    return BadRule("count must be a positive number of calls, or -1 for until cleared");
  }
  if (!(probability > 0 && probability <= 1)) {
    return BadRule("probability must be in (0, 1]");
  }
  return absl::OkStatus();
}

absl::StatusOr<double> GetNumber(const boost::json::object& object, std::string_view key,
                                 double fallback) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return fallback;
  if (!value->is_number()) return BadRule(common::StrCat("'", key, "' must be a number"));
  return value->to_number<double>();
}

}  // namespace

EmulatorControls::EmulatorControls(uint64_t random_seed) : random_(random_seed) {}

bool EmulatorControls::Roll(double probability) {
  if (probability >= 1) return true;
  return std::uniform_real_distribution<double>(0, 1)(random_) < probability;
}

absl::StatusOr<std::string> EmulatorControls::AddApiFault(ApiFaultRule rule) {
  RETURN_IF_ERROR(CheckCountAndProbability(rule.count, rule.probability));
  if (rule.http_status != 0 && (rule.http_status < 400 || rule.http_status > 599)) {
    return BadRule("http_status must be 400..599 (or 0 for latency only)");
  }
  if (rule.http_status == 0 && rule.latency <= absl::ZeroDuration()) {
    return BadRule("a rule needs an http_status, a latency, or both");
  }
  if (rule.latency < absl::ZeroDuration() || rule.latency > absl::Seconds(60)) {
    return BadRule("latency must be between 0 and 60 seconds");
  }
  if (rule.http_status != 0 && rule.error_code.empty()) {
    rule.error_code = rule.http_status >= 500 ? "INJECTED_SERVER_ERROR" : "INJECTED_CLIENT_ERROR";
  }
  absl::MutexLock lock(&mu_);
  std::string id = common::StrCat("fault-", next_id_++);
  api_rules_.push_back({id, std::move(rule), 0});
  return id;
}

absl::StatusOr<std::string> EmulatorControls::AddJobFault(JobFaultRule rule) {
  RETURN_IF_ERROR(CheckCountAndProbability(rule.count, rule.probability));
  absl::MutexLock lock(&mu_);
  std::string id = common::StrCat("fault-", next_id_++);
  job_rules_.push_back({id, std::move(rule), 0});
  return id;
}

absl::StatusOr<std::string> EmulatorControls::AddFaultFromJson(const boost::json::object& json) {
  ASSIGN_OR_RETURN(std::optional<std::string> kind, common::GetOptionalString(json, "kind"));
  ASSIGN_OR_RETURN(double count, GetNumber(json, "count", kind == "job" ? 1 : -1));
  ASSIGN_OR_RETURN(double probability, GetNumber(json, "probability", 1));
  ASSIGN_OR_RETURN(std::optional<std::string> message, common::GetOptionalString(json, "message"));
  if (kind == "job") {
    for (const auto& entry : json) {
      std::string_view key(entry.key().data(), entry.key().size());
      if (key != "kind" && key != "job_type" && key != "count" && key != "probability" &&
          key != "message") {
        return BadRule(common::StrCat("unknown key '", key, "' in a job fault"));
      }
    }
    JobFaultRule rule;
    ASSIGN_OR_RETURN(std::optional<std::string> job_type,
                     common::GetOptionalString(json, "job_type"));
    rule.job_type = job_type.value_or("*");
    rule.count = static_cast<int32_t>(count);
    rule.probability = probability;
    if (message) rule.error_message = *message;
    return AddJobFault(std::move(rule));
  }
  if (kind != "api") {
    return BadRule("'kind' must be \"api\" or \"job\"");
  }
  for (const auto& entry : json) {
    std::string_view key(entry.key().data(), entry.key().size());
    if (key != "kind" && key != "dialect" && key != "operation" && key != "count" &&
        key != "probability" && key != "http_status" && key != "error_code" &&
        key != "message" && key != "latency_ms") {
      return BadRule(common::StrCat("unknown key '", key, "' in an api fault"));
    }
  }
  ApiFaultRule rule;
  ASSIGN_OR_RETURN(std::optional<std::string> dialect, common::GetOptionalString(json, "dialect"));
  ASSIGN_OR_RETURN(std::optional<std::string> operation,
                   common::GetOptionalString(json, "operation"));
  ASSIGN_OR_RETURN(std::optional<std::string> error_code,
                   common::GetOptionalString(json, "error_code"));
  ASSIGN_OR_RETURN(double http_status, GetNumber(json, "http_status", 0));
  ASSIGN_OR_RETURN(double latency_ms, GetNumber(json, "latency_ms", 0));
  rule.dialect = dialect.value_or("*");
  rule.operation = operation.value_or("*");
  rule.count = static_cast<int32_t>(count);
  rule.probability = probability;
  rule.http_status = static_cast<int>(http_status);
  rule.error_code = error_code.value_or("");
  if (message) rule.error_message = *message;
  rule.latency = absl::Milliseconds(latency_ms);
  return AddApiFault(std::move(rule));
}

bool EmulatorControls::RemoveFault(std::string_view id) {
  absl::MutexLock lock(&mu_);
  size_t before = api_rules_.size() + job_rules_.size();
  std::erase_if(api_rules_, [&](const StoredApiRule& stored) { return stored.id == id; });
  std::erase_if(job_rules_, [&](const StoredJobRule& stored) { return stored.id == id; });
  return api_rules_.size() + job_rules_.size() != before;
}

void EmulatorControls::ClearFaults() {
  absl::MutexLock lock(&mu_);
  api_rules_.clear();
  job_rules_.clear();
}

std::optional<ApiFault> EmulatorControls::TakeApiFault(std::string_view dialect,
                                                       std::string_view operation) {
  absl::MutexLock lock(&mu_);
  std::optional<ApiFault> fault;
  for (StoredApiRule& stored : api_rules_) {
    const ApiFaultRule& rule = stored.rule;
    if (!Matches(rule.dialect, dialect) || !Matches(rule.operation, operation) ||
        !Roll(rule.probability)) {
      continue;
    }
    if (!fault) fault = ApiFault();
    fault->latency += rule.latency;
    if (rule.http_status != 0 && fault->http_status == 0) {
      fault->http_status = rule.http_status;
      fault->error_code = rule.error_code;
      fault->error_message = rule.error_message;
    }
    ++stored.hits;
  }
  std::erase_if(api_rules_, [](const StoredApiRule& stored) {
    return stored.rule.count > 0 && stored.hits >= stored.rule.count;
  });
  return fault;
}

std::optional<std::string> EmulatorControls::TakeJobFault(std::string_view job_type) {
  absl::MutexLock lock(&mu_);
  for (auto it = job_rules_.begin(); it != job_rules_.end(); ++it) {
    if (!Matches(it->rule.job_type, job_type) || !Roll(it->rule.probability)) {
      continue;
    }
    std::string message = it->rule.error_message;
    if (it->rule.count > 0 && ++it->hits >= it->rule.count) {
      job_rules_.erase(it);
    }
    return message;
  }
  return std::nullopt;
}

boost::json::object EmulatorControls::ToJson() const {
  absl::MutexLock lock(&mu_);
  boost::json::array faults;
  for (const StoredApiRule& stored : api_rules_) {
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
  for (const StoredJobRule& stored : job_rules_) {
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
  boost::json::object root;
  root["faults"] = std::move(faults);
  return root;
}

}  // namespace connectplane::service
