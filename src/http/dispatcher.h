// Front door: picks the dialect that owns a request's path and answers the
// server's own endpoints (/healthz; /metrics through the admin API's guard).
// Every request gets one access-log line (common::LogEvent "access") and is
// counted in the request metrics, from what the dialect reported in
// HttpResponse::access. Safe for concurrent use.
#pragma once

#include "api/admin/admin_api.h"
#include "api/dms/dms_api.h"
#include "api/iam/iam_api.h"
#include "api/zenlayer/zenlayer_api.h"
#include "common/http_message.h"

namespace connectplane::http {

class Dispatcher {
 public:
  // Serves /v1/ and /v2/ with `dms`, /api/v2/ with `zenlayer`, /_connectplane/
  // and /metrics with `admin`; every other path gets the cloud gateway's 404
  // (api::dms::DmsApi::UnknownPath). All must outlive the dispatcher.
  // `iam` (may be null: then /v3/ gets the gateway's 404) serves /v3 and /v3/.
  Dispatcher(api::dms::DmsApi& dms, api::zenlayer::ZenlayerApi& zenlayer,
             api::admin::AdminApi& admin, api::iam::IamApi* iam = nullptr)
      : dms_(dms), zenlayer_(zenlayer), admin_(admin), iam_(iam) {}

  common::HttpResponse Handle(const common::HttpRequest& request);
  // Handle() without the access log line and metrics.
  common::HttpResponse Route(const common::HttpRequest& request);

 private:
  api::dms::DmsApi& dms_;
  api::zenlayer::ZenlayerApi& zenlayer_;
  api::admin::AdminApi& admin_;
  api::iam::IamApi* iam_;
};

}  // namespace connectplane::http
