#include "http/dispatcher.h"

#include "common/ids.h"
#include "common/logging.h"

#include "metrics/metrics.h"
#include "spdlog/spdlog.h"
#include <chrono>

namespace connectplane::http {
namespace {

common::HttpResponse Json(int status, std::string body) {
  common::HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("X-Request-Id", common::NewRequestId());
  response.body = std::move(body);
  return response;
}

}  // namespace

common::HttpResponse Dispatcher::Handle(const common::HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  common::HttpResponse response = Route(request);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  common::AccessInfo& access = response.access;
  if (access.dialect.empty()) access.dialect = "server";
  if (access.operation.empty()) access.operation = "Unknown";
  if (access.request_id.empty()) {
    if (std::optional<std::string_view> id = response.Header("X-Request-Id")) {
      access.request_id = std::string(*id);
    }
  }
  const std::string status = std::to_string(response.status);
  metrics::HttpRequests().WithLabels({access.dialect, access.operation, status}).Increment();
  metrics::HttpRequestDuration().WithLabels({access.dialect, access.operation}).Observe(seconds);
  // Only identifiers: never the Authorization header, a signature or a body.
  const spdlog::level::level_enum level =
      response.status >= 500 ? spdlog::level::warn : spdlog::level::info;
  if (!spdlog::default_logger_raw()->should_log(level)) return response;
  common::LogEvent(level, "access",
                   {{"request_id", access.request_id},
                    {"dialect", access.dialect},
                    {"operation", access.operation},
                    {"tenant", access.tenant},
                    {"method", request.method},
                    {"path", request.Path()},
                    {"status", int64_t{response.status}},
                    {"error_code", access.error_code},
                    {"duration_ms", seconds * 1000.0},
                    {"remote", request.remote_address}});
  return response;
}

common::HttpResponse Dispatcher::Route(const common::HttpRequest& request) {
  std::string_view path = request.Path();
  if (path == "/healthz") {
    // A request the transport refused (too large) is refused here too: the
    // dialects answer it in their shapes, this path in its own.
    common::HttpResponse response =
        request.transport_rejection != 0
            ? Json(request.transport_rejection,
                   R"({"status":"refused","error":"request too large"})")
            : Json(200, R"({"status":"ok"})");
    response.access.operation = "healthz";
    return response;
  }
  if (path == "/metrics") {
    return admin_.HandleMetrics(request);
  }
  if (api::admin::AdminApi::Owns(path)) {
    return admin_.Handle(request);
  }
  // /api/v2/* (DMS owns /v1/, /v1.0/ and /v2/, no overlap).
  if (api::zenlayer::ZenlayerApi::Owns(path)) {
    return zenlayer_.Handle(request);
  }
  if (api::dms::DmsApi::Owns(path)) {
    return dms_.Handle(request);
  }
  // /v3 and /v3/* (identity; DMS owns /v1/, /v1.0/ and /v2/ only).
  if (iam_ != nullptr && api::iam::IamApi::Owns(path)) {
    return iam_->Handle(request);
  }
  return api::dms::DmsApi::UnknownPath(request);
}

}  // namespace connectplane::http
