#include "api/dms/dms_errors.h"

#include "api/stages/request_stages.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/connector_task_service.h"
#include "service/idempotency.h"
#include "service/kafka_config_service.h"
#include "service/kafka_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"

#include "boost/json.hpp"
#include "spdlog/spdlog.h"
#include <optional>
#include <utility>

namespace connectplane::api::dms {
namespace {

struct ReasonMapping {
  std::string_view reason;
  int http_status;
  std::string_view error_code;
};

// Codes from the DMS and APIG error tables (docs/reference/huawei-dms-kafka-api.md).
// CONNECTOR_ALREADY_ENABLED / NOT_ENABLED have no public code; we answer the
// generic "invalid request parameter" so clients do not retry them as busy.
constexpr ReasonMapping kMappings[] = {
    {service::kReasonInstanceNotFound, 404, "DMS.00404022"},
    {service::kReasonInvalidInstanceId, 400, "DMS.00400030"},
    {service::kReasonInstanceBusy, 400, "DMS.00400026"},
    {service::kReasonConnectorAlreadyEnabled, 400, "DMS.00400062"},
    {service::kReasonConnectorNotEnabled, 400, "DMS.00400062"},
    {service::kReasonInvalidNodeCount, 400, "DMS.00400062"},
    {service::kReasonInvalidSpecification, 400, "DMS.00400062"},
    {service::kReasonInvalidSpecCode, 400, "DMS.00400125"},
    {service::kReasonTaskNotFound, 404, "DMS.00404022"},
    // "This DMS instance job task is still running." (OTC error code table).
    {service::kReasonTaskRunning, 400, "DMS.00400017"},
    // Instance lifecycle and Smart Connect tasks. No public source
    // names codes for the task rules; see docs/reference/huawei-dms-kafka-api.md §6.
    {service::kReasonInvalidInstanceField, 400, "DMS.00400062"},
    {service::kReasonInvalidProductId, 400, "DMS.00400009"},
    // "This instance name already exists." (OTC error code table).
    {service::kReasonInstanceNameTaken, 400, "DMS.00400060"},
    // "Offset parameter is invalid.": the code is named in the huaweicloud
    // provider's ListInstances pager; its HTTP status is not (400 assumed).
    {service::kReasonOffsetPastEnd, 400, "DMS.40050010"},
    {service::kReasonConnectorTaskNotFound, 404, "DMS.00404022"},
    {service::kReasonInvalidTaskConfig, 400, "DMS.00400062"},
    {service::kReasonTaskNameTaken, 400, "DMS.00400062"},
    {service::kReasonTaskQuotaReached, 400, "DMS.00400039"},
    {service::kReasonTaskBusy, 400, "DMS.00400026"},
    {service::kReasonTaskStatusConflict, 400, "DMS.00400062"},
    {service::kReasonPeerUnreachable, 400, "DMS.00400062"},
    {common::kReasonMalformedJson, 400, "DMS.00400005"},
    {"MALFORMED_QUERY", 400, "DMS.00400062"},
    {kReasonEmptyBody, 400, "DMS.00400004"},
    {kReasonInvalidParameter, 400, "DMS.00400062"},
    {kReasonUnknownApi, 404, "APIGW.0101"},
    {service::kReasonIdempotencyKeyReused, 400, "DMS.00400062"},
    {stages::kReasonIdempotencyKeyTooLong, 400, "DMS.00400062"},
    {service::kReasonIdempotencyInProgress, 409, "DMS.00400026"},
    {kReasonBodyTooLarge, 413, "APIGW.0201"},
    {kReasonHeadersTooLarge, 431, "APIGW.0201"},
    // The legacy sink-task API's unknown connector id: no source names a
    // code; the instance-not-found one.
    {service::kReasonConnectorNotFound, 404, "DMS.00404022"},
    // Instance tags: the OTC error code table's tag codes.
    {service::kReasonInvalidTagKey, 400, "DMS.10240035"},
    {service::kReasonInvalidTagKeyCharacters, 400, "DMS.10240036"},
    {service::kReasonTagValueTooLong, 400, "DMS.10240038"},
    {service::kReasonInvalidTagValueCharacters, 400, "DMS.10240039"},
    {service::kReasonInvalidTagAction, 400, "DMS.10240040"},
    {service::kReasonTagLimitReached, 400, "DMS.10240044"},
    {service::kReasonDuplicateTagKey, 400, "DMS.10240045"},
    // Kafka parameters: "Invalid configuration parameter {0}." (OTC table).
    {service::kReasonInvalidConfigParameter, 400, "DMS.00400063"},
    {service::kReasonNoConfigChange, 400, "DMS.00400062"},
    // Topics: the OTC table's topic codes. No source names codes for a
    // duplicate name or a topic field outside those rules: the generic one.
    {service::kReasonInvalidTopicName, 400, "DMS.00400101"},
    {service::kReasonInvalidPartitionCount, 400, "DMS.00400102"},
    {service::kReasonInvalidReplicationFactor, 400, "DMS.00400103"},
    {service::kReasonReplicationOverBrokers, 400, "DMS.00400861"},
    {service::kReasonInvalidRetentionTime, 400, "DMS.00400105"},
    {service::kReasonInvalidTopicConfig, 400, "DMS.00400063"},
    {service::kReasonInvalidTopicField, 400, "DMS.00400062"},
    {service::kReasonTopicExists, 400, "DMS.00400062"},
    {service::kReasonTopicNotFound, 400, "DMS.00400975"},
    {service::kReasonPartitionQuotaReached, 400, "DMS.00400039"},
};

}  // namespace

DmsError ToDmsError(const absl::Status& status) {
  if (std::optional<common::InjectedFault> fault = common::InjectedFaultOf(status)) {
    return {fault->http_status, std::move(fault->error_code), std::move(fault->error_message)};
  }
  const std::string reason = common::ReasonOf(status);
  // Only a status with a reason was written for clients (a domain rule, the
  // dialect, the signer); any other comes from the store or an internal
  // error and its message (SQL, driver or file-system text) is for the log:
  // it gets the fixed message of its code.
  const bool client_message = !reason.empty();
  std::string message(client_message ? common::ToStd(status.message()) : "");
  for (const ReasonMapping& mapping : kMappings) {
    if (mapping.reason == reason) {
      return {mapping.http_status, std::string(mapping.error_code), std::move(message)};
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
      // APIG answers every AK/SK failure with APIGW.0301 and a detail suffix.
      return {401, "APIGW.0301",
              client_message ? common::StrCat("Incorrect IAM authentication information: ", message)
                             : "Incorrect IAM authentication information."};
    case absl::StatusCode::kPermissionDenied:
      return {403, "APIGW.0306", "API access denied."};
    case absl::StatusCode::kInvalidArgument:
      return {400, "DMS.00400062", client_message ? message : "Invalid request parameter."};
    case absl::StatusCode::kNotFound:
      return {404, "DMS.00404022", client_message ? message : "The resource does not exist."};
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return {400, "DMS.00400026", "The instance is busy, please try again later."};
    case absl::StatusCode::kUnavailable:
      return {503, "DMS.00500000", "Service temporarily unavailable, please retry."};
    default:
      return {500, "DMS.00500000", "Internal service error."};
  }
}

common::HttpResponse ErrorResponse(const absl::Status& status, const std::string& request_id) {
  DmsError error = ToDmsError(status);
  if (!common::InjectedFaultOf(status)) {
    // What the client was not told, for the operator: under the request id
    // the client got.
    if (error.http_status >= 500) {
      spdlog::error("request {}: {}", request_id, status.ToString());
    } else if (common::ReasonOf(status).empty()) {
      spdlog::warn("request {}: {}", request_id, status.ToString());
    }
  }
  boost::json::object body;
  body["error_code"] = error.error_code;
  body["error_msg"] = error.error_msg;
  body["request_id"] = request_id;
  common::HttpResponse response;
  response.status = error.http_status;
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("X-Request-Id", request_id);
  response.body = boost::json::serialize(body);
  response.access.error_code = std::move(error.error_code);
  return response;
}

absl::Status TransportRejection(const common::HttpRequest& request) {
  if (request.transport_rejection == 413) {
    return common::InvalidArgument(kReasonBodyTooLarge, "Request entity too large.");
  }
  if (request.transport_rejection != 0) {
    return common::InvalidArgument(kReasonHeadersTooLarge, "Request header too large.");
  }
  return absl::OkStatus();
}

}  // namespace connectplane::api::dms
