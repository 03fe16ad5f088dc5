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
  if (api::dms::DmsApi::Owns(path)) {
    return dms_.Handle(request);
  }
  return Json(request.transport_rejection != 0 ? request.transport_rejection : 404,
              R"({"error_code":"APIGW.0101","error_msg":"The API does not exist."})");
}

}  // namespace connectplane::http
