// The JSON documents of the admin API, in and out: fault rules, timing
// settings and reset requests read with the shared reader (unknown keys and
// wrong types are refused with the member's path), and the JSON forms of the
// timing settings, the fault rules and the state dump. Pure functions.
#pragma once

#include "service/emulator_controls.h"
#include "service/emulator_service.h"
#include "service/job_timings.h"

#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace connectplane::api::admin {

// The operations one cloud dialect serves, named as its route or action table
// names them (the names its API fault rules match).
struct DialectOperations {
  std::string dialect;                  // "dms", "zenlayer"
  std::vector<std::string> operations;  // "ShowInstance", "DestroyPrivateConnect", ...
};

// POST /faults: {"kind": "api", "dialect"?, "operation"?, "count"?, "probability"?,
// "http_status"?, "error_code"?, "message"?, "latency_ms"?} or {"kind": "job",
// "job_type"?, "count"?, "probability"?, "message"?}. An API rule's dialect
// must be "*" or one of `dialects`, and its operation "*" or one that dialect
// serves (any dialect's, with "*"); names compare as the rules match them,
// ignoring case. Range rules and job types are EmulatorControls'. Errors:
// InvalidArgument naming the member, or the unknown name with the valid ones.
using FaultRule = std::variant<service::ApiFaultRule, service::JobFaultRule>;
absl::StatusOr<FaultRule> ParseFaultRule(const boost::json::object& document,
                                         std::span<const DialectOperations> dialects);

// PUT /timing: {"job_type"?: T, "mode": "instant"|"seconds"|"reads", "seconds"?: N,
// "reads"?: N}, returned as the equivalent --job-seconds setting
// ("T=SECONDS", "SECONDS" for every type, "T=reads:N") for
// JobTimings::ApplySetting. Errors: InvalidArgument naming the member.
absl::StatusOr<std::string> ParseTimingDocument(const boost::json::object& document);

// POST /reset: {} (every tenant) or {"tenant": "<project or account id>"}.
// Errors: InvalidArgument naming the member.
absl::StatusOr<std::optional<std::string>> ParseResetDocument(const boost::json::object& document);

// POST /seed-ids: {"seed": N} (0 <= N < 2^63) seeds the id generator;
// {"seed": null} goes back to unpredictable ids. Returns the seed or nullopt.
// Errors: InvalidArgument naming the member (also when "seed" is absent).
absl::StatusOr<std::optional<uint64_t>> ParseIdSeedDocument(const boost::json::object& document);

// GET /export's query: "" or include_secrets=true|false (once). Returns
// whether secrets go out. Errors: InvalidArgument for any other parameter or
// value, a repeated one, or a malformed query string.
absl::StatusOr<bool> ParseExportQuery(std::string_view raw_query);

// {"default": {"mode": ...}, "types": {"<job type>": {"mode": "seconds", "seconds": 3}}}
boost::json::object TimingsJson(const service::JobTimingSettings& settings);
// {"faults": [{"id", "kind", ...rule members..., "hits"}]}
boost::json::object FaultsJson(const service::FaultRules& rules);
// {"tables": {"<table>": [{column: value}]}, "timing": ..., "faults": [...], "now_ms"}
boost::json::object StateJson(const service::EmulatorState& state,
                              const service::JobTimingSettings& timings,
                              const service::FaultRules& faults);

}  // namespace connectplane::api::admin
