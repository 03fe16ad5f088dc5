// The emulator's admin API under the reserved prefix /_connectplane/, off the
// cloud dialects: health/readiness, reset, seed, state dump, timing and faults.
// Guard: with a token configured, callers must send "Authorization: Bearer
// <token>"; without one, only loopback peers are served (so a server exposed on
// a public address never exposes its controls by accident). Errors are
// {"error": {"code", "message"}}. Safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/http_message.h"
#include "metrics/metrics.h"
#include "service/emulator_service.h"

namespace connectplane::api::admin {

inline constexpr std::string_view kAdminPrefix = "/_connectplane/";

struct AdminApiOptions {
  std::string token;  // empty: loopback callers only
  // Rendered by GET /metrics; nullptr = metrics::DefaultRegistry().
  metrics::Registry* registry = nullptr;
};

class AdminApi {
 public:
  AdminApi(service::EmulatorService& emulator, AdminApiOptions options);

  static bool Owns(std::string_view path);
  common::HttpResponse Handle(const common::HttpRequest& request);
  // GET /metrics: the registry plus job gauges read from the store, in the
  // Prometheus text format, behind the same guard as the admin API.
  common::HttpResponse HandleMetrics(const common::HttpRequest& request);

  // True for 127.0.0.0/8, ::1 and ::ffff:127.x peers ("ip:port" or "[ip]:port").
  static bool IsLoopbackPeer(std::string_view remote_address);

 private:
  // The guard: nullopt when the caller may proceed, else the error answer.
  std::optional<common::HttpResponse> Guard(const common::HttpRequest& request) const;
  common::HttpResponse Route(const common::HttpRequest& request, std::string_view route);
  common::HttpResponse Audit(const common::HttpRequest& request);

  service::EmulatorService& emulator_;
  const AdminApiOptions options_;
};

}  // namespace connectplane::api::admin
