#include "http/dispatcher.h"

#include "common/ids.h"

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
  std::string_view path = request.Path();
  if (path == "/healthz") {
    return Json(200, R"({"status":"ok"})");
  }
  if (admin_ != nullptr && api::admin::AdminApi::Owns(path)) {
    return admin_->Handle(request);
  }
  // Zenlayer SDN (issue 3): /api/v2/* (DMS owns /v1/ and /v2/, no overlap).
  if (zenlayer_ != nullptr && api::zenlayer::ZenlayerApi::Owns(path)) {
    return zenlayer_->Handle(request);
  }
  if (api::dms::DmsApi::Owns(path)) {
    return dms_.Handle(request);
  }
  return Json(request.transport_rejection != 0 ? request.transport_rejection : 404,
              R"({"error_code":"APIGW.0101","error_msg":"The API does not exist."})");
}

}  // namespace connectplane::http
