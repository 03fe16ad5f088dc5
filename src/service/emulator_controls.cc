#include "service/emulator_controls.h"

#include "common/status.h"
#include "common/strings.h"
#include "service/job_types.h"

#include <algorithm>

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
  rules_.api.push_back({id, std::move(rule), 0});
  return id;
}

absl::StatusOr<std::string> EmulatorControls::AddJobFault(JobFaultRule rule) {
  RETURN_IF_ERROR(CheckCountAndProbability(rule.count, rule.probability));
  if (rule.job_type != "*") {
    RETURN_IF_ERROR(CheckJobType(rule.job_type));
  }
  absl::MutexLock lock(&mu_);
  std::string id = common::StrCat("fault-", next_id_++);
  rules_.job.push_back({id, std::move(rule), 0});
  return id;
}

bool EmulatorControls::RemoveFault(std::string_view id) {
  absl::MutexLock lock(&mu_);
  size_t before = rules_.api.size() + rules_.job.size();
  std::erase_if(rules_.api, [&](const FaultRules::Api& stored) { return stored.id == id; });
  std::erase_if(rules_.job, [&](const FaultRules::Job& stored) { return stored.id == id; });
  return rules_.api.size() + rules_.job.size() != before;
}

void EmulatorControls::ClearFaults() {
  absl::MutexLock lock(&mu_);
  rules_.api.clear();
  rules_.job.clear();
}

std::optional<ApiFault> EmulatorControls::TakeApiFault(std::string_view dialect,
                                                       std::string_view operation) {
  absl::MutexLock lock(&mu_);
  std::optional<ApiFault> fault;
  for (FaultRules::Api& stored : rules_.api) {
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
  std::erase_if(rules_.api, [](const FaultRules::Api& stored) {
    return stored.rule.count > 0 && stored.hits >= stored.rule.count;
  });
  return fault;
}

std::optional<std::string> EmulatorControls::TakeJobFault(std::string_view job_type) {
  absl::MutexLock lock(&mu_);
  for (auto it = rules_.job.begin(); it != rules_.job.end(); ++it) {
    if (!Matches(it->rule.job_type, job_type) || !Roll(it->rule.probability)) {
      continue;
    }
    std::string message = it->rule.error_message;
    if (it->rule.count > 0 && ++it->hits >= it->rule.count) {
      rules_.job.erase(it);
    }
    return message;
  }
  return std::nullopt;
}

FaultRules EmulatorControls::Rules() const {
  absl::MutexLock lock(&mu_);
  return rules_;
}

}  // namespace connectplane::service
