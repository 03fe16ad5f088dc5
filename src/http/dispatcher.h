// Front door: picks the dialect that owns a request's path and answers the
// server's own endpoints (/healthz; /metrics through the admin API's guard).
// Every request gets one access-log line (common::LogEvent "access") and is
// counted in the request metrics, from what the dialect reported in
// HttpResponse::access. Safe for concurrent use.
#pragma once

#include "api/admin/admin_api.h"
#include "api/dms/dms_api.h"
#include "api/zenlayer/zenlayer_api.h"
#include "common/http_message.h"

namespace connectplane::http {

class Dispatcher {
 public:
  explicit Dispatcher(api::dms::DmsApi& dms) : dms_(dms) {}

  common::HttpResponse Handle(const common::HttpRequest& request);
  // Handle() without the access log line and metrics.
  common::HttpResponse Route(const common::HttpRequest& request);
  // Serves /_connectplane/ with `admin` (must outlive the dispatcher). Without
  // it, the prefix answers 404 like any unknown path.
  void SetAdmin(api::admin::AdminApi* admin) { admin_ = admin; }
  // Zenlayer SDN: serves /api/v2/ with `zenlayer` (must outlive the
  // dispatcher). Without it, the prefix answers 404 like any unknown path.
  void SetZenlayer(api::zenlayer::ZenlayerApi* zenlayer) { zenlayer_ = zenlayer; }

 private:
  api::dms::DmsApi& dms_;
  api::admin::AdminApi* admin_ = nullptr;
  api::zenlayer::ZenlayerApi* zenlayer_ = nullptr;
};

}  // namespace connectplane::http
