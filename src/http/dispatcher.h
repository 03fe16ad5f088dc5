// Front door: picks the dialect that owns a request's path and answers the
// server's own endpoints (/healthz). Safe for concurrent use.
#pragma once

#include "api/dms/dms_api.h"
#include "common/http_message.h"

namespace connectplane::http {

class Dispatcher {
 public:
  explicit Dispatcher(api::dms::DmsApi& dms) : dms_(dms) {}

  common::HttpResponse Handle(const common::HttpRequest& request);

 private:
  api::dms::DmsApi& dms_;
};

}  // namespace connectplane::http
