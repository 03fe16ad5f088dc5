// The emulator's admin API under the reserved prefix /_connectplane/, off the
// cloud dialects: health/readiness, reset, seed, state dump, timing and faults.
// Guard: with a token configured, callers must send "Authorization: Bearer
// <token>"; without one, only loopback peers are served (so a server exposed on
// a public address never exposes its controls by accident). Every call, the
// console's files included, must also name a trusted Host and carry no foreign
// Origin, and calls that change state must send Content-Type: application/json,
// so that no web page can drive the API through the user's browser
// (browser_checks.h). Errors are {"error": {"code", "message"}}. Safe for
// concurrent use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/admin/admin_documents.h"
#include "common/http_message.h"
#include "jobs/store_health.h"
#include "metrics/metrics.h"
#include "service/emulator_service.h"

#include "absl/status/status.h"

namespace connectplane::api::admin {

inline constexpr std::string_view kAdminPrefix = "/_connectplane/";

struct AdminApiOptions {
  std::string token;  // empty: loopback callers only
  // Rendered by GET /metrics; nullptr = metrics::DefaultRegistry().
  metrics::Registry* registry = nullptr;
  // Host names callers may use besides localhost, 127.0.0.1 and [::1]
  // (--admin-allowed-host), compared without the port.
  std::vector<std::string> allowed_hosts;
  // What API fault rules may name: each dialect's operations, from its route
  // table (main passes them; the admin API knows no dialect).
  std::vector<DialectOperations> dialects;
  // GET /_connectplane/ready answers 503 while it says store writes fail;
  // nullptr = not consulted.
  const jobs::StoreHealth* store_health = nullptr;
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

  // Whether a server listening on `listen_host` (an IP address or "localhost")
  // may serve the admin API with `options`: a non-loopback address needs a
  // token, since the API is then one step from the network. Error:
  // FailedPrecondition naming --admin-token.
  static absl::Status CheckListenHost(std::string_view listen_host, const AdminApiOptions& options);

 private:
  // What every call passes, console files included: the transport's size
  // limits, a trusted Host, no foreign Origin. nullopt when the caller may
  // proceed, else the error answer.
  std::optional<common::HttpResponse> BrowserGuard(const common::HttpRequest& request) const;
  // The guard of every data call: BrowserGuard, then the token (or a loopback
  // peer), then a JSON content type on calls that change state.
  std::optional<common::HttpResponse> Guard(const common::HttpRequest& request) const;
  common::HttpResponse Route(const common::HttpRequest& request, std::string_view route);
  common::HttpResponse Audit(const common::HttpRequest& request);

  service::EmulatorService& emulator_;
  const AdminApiOptions options_;
};

}  // namespace connectplane::api::admin
