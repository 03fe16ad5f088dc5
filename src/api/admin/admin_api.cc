#include "api/admin/admin_api.h"

#include "api/admin/admin_documents.h"
#include "api/admin/browser_checks.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include <openssl/crypto.h>

#include "boost/json.hpp"
#include "console/console_assets.h"
#include "spdlog/spdlog.h"
#include <charconv>
#include <optional>
#include <variant>
#include <vector>

namespace connectplane::api::admin {
namespace {

common::HttpResponse Json(int status, const boost::json::value& body) {
  common::HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("X-Request-Id", common::NewRequestId());
  response.body = boost::json::serialize(body);
  return response;
}

common::HttpResponse Error(int status, std::string_view code, std::string_view message) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = message;
  boost::json::object body;
  body["error"] = std::move(error);
  return Json(status, body);
}

common::HttpResponse FromStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return Error(400, "InvalidArgument", common::ToStd(status.message()));
    case absl::StatusCode::kNotFound:
      return Error(404, "NotFound", common::ToStd(status.message()));
    case absl::StatusCode::kUnavailable:
      return Error(503, "Unavailable", common::ToStd(status.message()));
    default:
      spdlog::error("admin api: {}", status.ToString());
      return Error(500, "Internal", "internal error");
  }
}

// {"seed": N} while ids are seeded, {"seed": null} otherwise.
boost::json::object IdSeedJson() {
  boost::json::object body;
  if (std::optional<uint64_t> seed = common::IdSeed()) {
    body["seed"] = *seed;
  } else {
    body["seed"] = nullptr;
  }
  return body;
}

// 503 {"ready": false, "reason", "pending_jobs" (when it could be read)}.
common::HttpResponse NotReady(std::string reason, const absl::StatusOr<int64_t>& pending) {
  boost::json::object body{{"ready", false}, {"reason", std::move(reason)}};
  if (pending.ok()) body["pending_jobs"] = *pending;
  return Json(503, body);
}

boost::json::object SummaryJson(const service::SeedSummary& summary) {
  boost::json::object out;
  out["credentials"] = summary.credentials;
  out["instances_created"] = summary.instances_created;
  out["instances_existing"] = summary.instances_existing;
  out["connector_tasks_created"] = summary.connector_tasks_created;
  out["instance_items_created"] = summary.instance_items_created;
  out["jobs_created"] = summary.jobs_created;
  return out;
}

constexpr std::string_view kConsoleContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'";

bool TokenMatches(std::string_view given, std::string_view expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

AdminApi::AdminApi(service::EmulatorService& emulator, AdminApiOptions options)
    : emulator_(emulator), options_(std::move(options)) {}

bool AdminApi::Owns(std::string_view path) {
  return path.rfind(kAdminPrefix, 0) == 0 || path == "/_connectplane";
}

bool AdminApi::IsLoopbackPeer(std::string_view remote_address) {
  std::string_view host = remote_address;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(
        1, host.find(']') == std::string_view::npos ? host.size() - 1 : host.find(']') - 1);
  } else if (size_t colon = host.rfind(':');
             colon != std::string_view::npos && host.find(':') == colon) {
    host = host.substr(0, colon);  // IPv4 "a.b.c.d:port"
  }
  return host.rfind("127.", 0) == 0 || host == "::1" || host.rfind("::ffff:127.", 0) == 0;
}

absl::Status AdminApi::CheckListenHost(std::string_view listen_host,
                                       const AdminApiOptions& options) {
  if (!options.token.empty() || IsLoopbackHost(listen_host)) return absl::OkStatus();
  return absl::FailedPreconditionError(common::StrCat(
      "listening on ", listen_host,
      ", a non-loopback address, needs --admin-token TOKEN (or CONNECTPLANE_ADMIN_TOKEN) to "
      "protect the admin API under /_connectplane/; or listen on 127.0.0.1"));
}

std::optional<common::HttpResponse> AdminApi::BrowserGuard(
    const common::HttpRequest& request) const {
  if (request.transport_rejection != 0) {
    return Error(request.transport_rejection, "RequestTooLarge", "request too large");
  }
  if (absl::Status host = CheckHost(request, options_.allowed_hosts); !host.ok()) {
    return Error(403, "Forbidden", common::ToStd(host.message()));
  }
  if (absl::Status origin = CheckOrigin(request); !origin.ok()) {
    return Error(403, "Forbidden", common::ToStd(origin.message()));
  }
  return std::nullopt;
}

std::optional<common::HttpResponse> AdminApi::Guard(const common::HttpRequest& request) const {
  if (std::optional<common::HttpResponse> refused = BrowserGuard(request)) {
    return refused;
  }
  if (!options_.token.empty()) {
    std::optional<std::string_view> authorization = request.Header("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization || authorization->rfind(kBearer, 0) != 0 ||
        !TokenMatches(authorization->substr(kBearer.size()), options_.token)) {
      return Error(401, "Unauthenticated", "admin token required (Authorization: Bearer ...)");
    }
  } else if (!IsLoopbackPeer(request.remote_address)) {
    return Error(403, "Forbidden",
                 "the admin API serves loopback callers only unless --admin-token is set");
  }
  // A page can send text/plain or form bodies cross-site without asking; a
  // JSON body needs a CORS preflight, which this API never answers.
  if (NeedsJsonContentType(request) && !HasJsonContentType(request)) {
    return Error(415, "UnsupportedMediaType",
                 common::StrCat(request.method,
                                " calls to the admin API need Content-Type: application/json"));
  }
  return std::nullopt;
}

common::HttpResponse AdminApi::Handle(const common::HttpRequest& request) {
  std::string_view path = request.Path();
  std::string_view route = path.substr(std::min(path.size(), kAdminPrefix.size()));
  common::HttpResponse response;
  // The console's static files carry no data (every call it makes goes through
  // the guard), so they are served without the token: a browser cannot attach
  // a bearer token to a page load.
  if (path == "/_connectplane/console" || route == "console" || route.starts_with("console/")) {
    std::string_view name = route.size() > 8 ? route.substr(8) : std::string_view("index.html");
    const console::Asset* asset = console::FindAsset(name);
    if (std::optional<common::HttpResponse> refused = BrowserGuard(request)) {
      response = std::move(*refused);
    } else if (asset == nullptr || (request.method != "GET" && request.method != "HEAD")) {
      response = Error(404, "NotFound", "unknown console file");
    } else {
      response.status = 200;
      response.SetHeader("Content-Type", std::string(asset->content_type));
      response.SetHeader("Cache-Control", "no-cache");
      response.body = std::string(asset->body);
    }
    // No other site may frame the console (clickjacking its reset and fault
    // buttons); its page loads nothing but its own files.
    response.SetHeader("X-Frame-Options", "DENY");
    response.SetHeader("Content-Security-Policy", std::string(kConsoleContentSecurityPolicy));
    response.SetHeader("X-Content-Type-Options", "nosniff");
    route = "console";
  } else if (std::optional<common::HttpResponse> refused = Guard(request)) {
    response = std::move(*refused);
  } else {
    response = Route(request, route);
  }
  response.access.dialect = "admin";
  std::string_view operation = route.substr(0, route.find('/'));
  // Known routes only, so callers cannot grow the metrics' label set.
  static constexpr std::string_view kRoutes[] = {"health", "ready",  "reset", "seed",    "state",
                                                 "timing", "faults", "audit", "console", "export"};
  bool known = false;
  for (std::string_view known_route : kRoutes) known = known || known_route == operation;
  known = known || operation == "seed-ids";
  response.access.operation = known ? std::string(operation) : "Unknown";
  if (std::optional<std::string_view> id = response.Header("X-Request-Id")) {
    response.access.request_id = std::string(*id);
  }
  return response;
}

common::HttpResponse AdminApi::HandleMetrics(const common::HttpRequest& request) {
  common::HttpResponse response;
  if (std::optional<common::HttpResponse> refused = Guard(request)) {
    response = std::move(*refused);
  } else if (request.method != "GET" && request.method != "HEAD") {
    response = Error(405, "MethodNotAllowed", "use GET /metrics");
  } else {
    metrics::Registry& registry =
        options_.registry != nullptr ? *options_.registry : metrics::DefaultRegistry();
    std::string body = registry.Render();
    // Job gauges are read from the store at scrape time (one aggregate query),
    // so they hold across restarts and replicas.
    absl::StatusOr<std::vector<store::JobCount>> counts = emulator_.CountJobs();
    if (counts.ok()) {
      metrics::GaugeFamily jobs{
          "connectplane_jobs", "Jobs in the database, by type and status.", {"type", "status"}, {}};
      double pending = 0;
      for (const store::JobCount& count : *counts) {
        jobs.samples.push_back({{count.job_type, std::string(store::JobStatusName(count.status))},
                                static_cast<double>(count.count)});
        if (count.status == store::JobStatus::kPending) pending += static_cast<double>(count.count);
      }
      metrics::GaugeFamily depth{"connectplane_job_queue_depth",
                                 "Jobs not yet finished (PENDING), all types.",
                                 {},
                                 {{{}, pending}}};
      body += metrics::RenderGauges({jobs, depth});
    } else {
      spdlog::warn("metrics: cannot read job counts: {}", counts.status().ToString());
    }
    response.status = 200;
    response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.SetHeader("X-Request-Id", common::NewRequestId());
    response.body = std::move(body);
  }
  response.access.dialect = "admin";
  response.access.operation = "metrics";
  if (std::optional<std::string_view> id = response.Header("X-Request-Id")) {
    response.access.request_id = std::string(*id);
  }
  return response;
}

common::HttpResponse AdminApi::Audit(const common::HttpRequest& request) {
  auto query = common::ParseQuery(request.RawQuery());
  if (!query) return Error(400, "InvalidArgument", "malformed query string");
  store::AuditFilter filter;
  for (const auto& [key, value] : *query) {
    if (key == "tenant") {
      filter.tenant = value;
    } else if (key == "resource_id") {
      filter.resource_id = value;
    } else if (key == "marker") {
      filter.before_audit_id = value;
    } else if (key == "limit") {
      int64_t limit = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (error != std::errc() || end != value.data() + value.size() || limit < 1 || limit > 1000) {
        return Error(400, "InvalidArgument", "'limit' must be an integer from 1 to 1000");
      }
      filter.limit = limit;
    } else {
      return Error(400, "InvalidArgument",
                   common::StrCat("unknown parameter '", common::QuoteUntrusted(key),
                                  "' (tenant, resource_id, limit, marker)"));
    }
  }
  // One extra row tells whether another page exists.
  const int64_t page_size = filter.limit;
  filter.limit = page_size + 1;
  absl::StatusOr<std::vector<store::AuditEntry>> entries = emulator_.ListAudit(filter);
  if (!entries.ok()) return FromStatus(entries.status());
  const bool more = static_cast<int64_t>(entries->size()) > page_size;
  if (more) entries->resize(static_cast<size_t>(page_size));
  boost::json::array rows;
  for (const store::AuditEntry& entry : *entries) {
    rows.push_back(boost::json::object{{"id", entry.audit_id},
                                       {"time_ms", entry.at_ms},
                                       {"tenant", entry.tenant},
                                       {"actor", entry.actor},
                                       {"resource_type", entry.resource_type},
                                       {"resource_id", entry.resource_id},
                                       {"action", entry.action},
                                       {"from_status", entry.from_status},
                                       {"to_status", entry.to_status},
                                       {"job_id", entry.job_id},
                                       {"request_id", entry.request_id}});
  }
  boost::json::object body{{"entries", std::move(rows)}};
  if (more && !entries->empty()) {
    body["next_marker"] = entries->back().audit_id;
  } else {
    body["next_marker"] = nullptr;
  }
  return Json(200, body);
}

common::HttpResponse AdminApi::Route(const common::HttpRequest& request, std::string_view route) {
  const std::string& method = request.method;
  auto parse_body = [&]() -> absl::StatusOr<boost::json::object> {
    if (request.body.empty()) return boost::json::object();
    return common::ParseJsonObject(request.body);
  };

  if (route == "health" && method == "GET") {
    return Json(200, boost::json::object{{"status", "ok"}});
  }
  if (route == "ready" && method == "GET") {
    absl::StatusOr<int64_t> pending = emulator_.PendingJobs();
    if (!pending.ok()) return NotReady(std::string(pending.status().message()), pending);
    jobs::StoreHealth::State health = options_.store_health != nullptr
                                          ? options_.store_health->Get()
                                          : jobs::StoreHealth::State{};
    if (health.writes_failing) {
      return NotReady(common::StrCat("store writes failing since ",
                                     absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", health.failing_since,
                                                      absl::UTCTimeZone()),
                                     " (", health.failed_writes, " failed): ", health.last_error),
                      pending);
    }
    return Json(200, boost::json::object{{"ready", true}, {"pending_jobs", *pending}});
  }
  if (route == "reset" && method == "POST") {
    absl::StatusOr<boost::json::object> body = parse_body();
    if (!body.ok()) return FromStatus(body.status());
    // A misspelt key ("tennant") must not widen the reset to every tenant.
    absl::StatusOr<std::optional<std::string>> tenant = ParseResetDocument(*body);
    if (!tenant.ok()) return FromStatus(tenant.status());
    absl::StatusOr<service::SeedSummary> summary = emulator_.Reset(*tenant);
    if (!summary.ok()) return FromStatus(summary.status());
    return Json(200, boost::json::object{{"reset", tenant->value_or("all")},
                                         {"seeded", SummaryJson(*summary)}});
  }
  if (route == "seed" && method == "POST") {
    absl::StatusOr<service::SeedSummary> summary = emulator_.Seed(request.body);
    if (!summary.ok()) return FromStatus(summary.status());
    return Json(200, SummaryJson(*summary));
  }
  if (route == "seed-ids" && method == "GET") {
    return Json(200, IdSeedJson());
  }
  if (route == "seed-ids" && method == "POST") {
    absl::StatusOr<boost::json::object> body = parse_body();
    if (!body.ok()) return FromStatus(body.status());
    absl::StatusOr<std::optional<uint64_t>> seed = ParseIdSeedDocument(*body);
    if (!seed.ok()) return FromStatus(seed.status());
    if (*seed) {
      common::SeedIds(**seed);
    } else {
      common::UnseedIds();
    }
    spdlog::info("admin: id generator {}",
                 *seed ? common::StrCat("seeded with ", **seed) : std::string("unseeded"));
    return Json(200, IdSeedJson());
  }
  if (route == "audit" && method == "GET") {
    return Audit(request);
  }
  if (route == "state" && method == "GET") {
    absl::StatusOr<service::EmulatorState> state = emulator_.DumpState();
    if (!state.ok()) return FromStatus(state.status());
    return Json(200,
                StateJson(*state, emulator_.timings().Settings(), emulator_.controls().Rules()));
  }
  if (route == "export" && method == "GET") {
    // Secrets leave only when asked for by name: include_secrets=true.
    absl::StatusOr<bool> include_secrets = ParseExportQuery(request.RawQuery());
    if (!include_secrets.ok()) return FromStatus(include_secrets.status());
    absl::StatusOr<std::string> document = emulator_.Export(*include_secrets);
    if (!document.ok()) return FromStatus(document.status());
    common::HttpResponse response;
    response.status = 200;
    response.SetHeader("Content-Type", "application/json");
    response.SetHeader("Cache-Control", "no-store");
    response.SetHeader("X-Request-Id", common::NewRequestId());
    response.body = std::move(*document);
    return response;
  }
  if (route == "timing" && method == "GET") {
    return Json(200, TimingsJson(emulator_.timings().Settings()));
  }
  if (route == "timing" && (method == "PUT" || method == "POST")) {
    absl::StatusOr<boost::json::object> body = parse_body();
    if (!body.ok()) return FromStatus(body.status());
    absl::StatusOr<std::string> setting = ParseTimingDocument(*body);
    absl::Status applied =
        setting.ok() ? emulator_.timings().ApplySetting(*setting) : setting.status();
    if (!applied.ok()) return Error(400, "InvalidArgument", common::ToStd(applied.message()));
    return Json(200, TimingsJson(emulator_.timings().Settings()));
  }
  if (route == "faults" && method == "GET") {
    return Json(200, FaultsJson(emulator_.controls().Rules()));
  }
  if (route == "faults" && method == "POST") {
    absl::StatusOr<boost::json::object> body = parse_body();
    if (!body.ok()) return FromStatus(body.status());
    absl::StatusOr<FaultRule> rule = ParseFaultRule(*body, options_.dialects);
    if (!rule.ok()) return FromStatus(rule.status());
    absl::StatusOr<std::string> id =
        std::holds_alternative<service::ApiFaultRule>(*rule)
            ? emulator_.controls().AddApiFault(std::get<service::ApiFaultRule>(std::move(*rule)))
            : emulator_.controls().AddJobFault(std::get<service::JobFaultRule>(std::move(*rule)));
    if (!id.ok()) return FromStatus(id.status());
    return Json(201, boost::json::object{{"id", *id}});
  }
  if (route == "faults" && method == "DELETE") {
    emulator_.controls().ClearFaults();
    return Json(200, boost::json::object{{"cleared", true}});
  }
  if (route.rfind("faults/", 0) == 0 && method == "DELETE") {
    if (!emulator_.controls().RemoveFault(route.substr(7))) {
      return Error(404, "NotFound", "no fault with that id");
    }
    return Json(200, boost::json::object{{"deleted", std::string(route.substr(7))}});
  }
  return Error(404, "NotFound", "unknown admin endpoint");
}

}  // namespace connectplane::api::admin
