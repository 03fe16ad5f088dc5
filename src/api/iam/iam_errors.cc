#include "api/iam/iam_errors.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include "spdlog/spdlog.h"
#include <optional>

namespace connectplane::api::iam {
namespace {

// The HTTP reason phrases Keystone puts in "title".
struct Title {
  int http_status;
  std::string_view title;
};
constexpr Title kTitles[] = {
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {409, "Conflict"},
    {413, "Request Entity Too Large"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
};

std::string_view TitleOf(int http_status) {
  for (const Title& title : kTitles) {
    if (title.http_status == http_status) {
      return title.title;
    }
  }
  return http_status >= 500 ? "Server Error" : "Client Error";
}

}  // namespace

IamError ToIamError(const absl::Status& status) {
  if (std::optional<common::InjectedFault> fault = common::InjectedFaultOf(status)) {
    return {fault->http_status, std::string(TitleOf(fault->http_status)), fault->error_message};
  }
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
  const std::optional<common::InjectedFault> fault = common::InjectedFaultOf(status);
  const IamError error = ToIamError(status);
  if (!fault) {
    // What the client was not told, for the operator: under the request id
    // the client got (as the other dialects log it).
    if (error.http_status >= 500) {
      spdlog::error("request {}: {}", request_id, status.ToString());
    } else if (common::ReasonOf(status).empty()) {
      spdlog::warn("request {}: {}", request_id, status.ToString());
    }
  }
  boost::json::object body;
  body["error"] = boost::json::object{
      {"code", error.http_status}, {"message", error.message}, {"title", error.title}};
  common::HttpResponse response;
  response.status = error.http_status;
  response.SetHeader("Content-Type", "application/json;charset=UTF-8");
  response.SetHeader("X-Request-Id", request_id);
  response.body = common::ToJson(body);
  // An injected fault's error code goes to the access log (Keystone's
  // envelope has no member for it).
  response.access.error_code = fault ? fault->error_code : std::string(common::ReasonOf(status));
  response.access.request_id = request_id;
  return response;
}

}  // namespace connectplane::api::iam
