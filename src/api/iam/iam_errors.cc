#include "api/iam/iam_errors.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"

namespace connectplane::api::iam {

IamError ToIamError(const absl::Status& status) {
  IamError error;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      error = {400, "Bad Request", "The request body or query is invalid."};
      break;
    case absl::StatusCode::kUnauthenticated:
      error = {401, "Unauthorized", "The request you have made requires authentication."};
      break;
    case absl::StatusCode::kPermissionDenied:
      error = {403, "Forbidden", "You are not authorized to perform the requested action."};
      break;
    case absl::StatusCode::kNotFound:
      error = {404, "Not Found", "The resource could not be found."};
      break;
    case absl::StatusCode::kUnavailable:
      error = {503, "Service Unavailable", "The service is temporarily unavailable."};
      break;
    default:
      error = {500, "Internal Server Error", "An unexpected error occurred."};
      break;
  }
  if (!common::ReasonOf(status).empty() && !status.message().empty()) {
    error.message = common::ToStd(status.message());
  }
  return error;
}

common::HttpResponse IamErrorResponse(const absl::Status& status, const std::string& request_id) {
  const IamError error = ToIamError(status);
  boost::json::object body;
  body["error"] = boost::json::object{
      {"code", error.http_status}, {"message", error.message}, {"title", error.title}};
  common::HttpResponse response;
  response.status = error.http_status;
  response.SetHeader("Content-Type", "application/json;charset=UTF-8");
  response.SetHeader("X-Request-Id", request_id);
  response.body = common::ToJson(body);
  response.access.error_code = std::string(common::ReasonOf(status));
  response.access.request_id = request_id;
  return response;
}

}  // namespace connectplane::api::iam
