// Strict parsers for the DMS request bodies of the instance lifecycle and the
// Smart Connect task API: JSON syntax, field types and unknown
// fields, with the SDK's field names. Range and required-field rules are the
// service's. Pure functions; errors carry the dialect's reasons.
#pragma once

#include "service/connector_task_service.h"
#include "service/kafka_service.h"

#include "absl/status/statusor.h"
#include <string_view>

namespace connectplane::api::dms {

// CreateInstanceByEngineReq (also the CreatePostPaidKafkaInstance body).
// Errors: EMPTY_BODY, MALFORMED_JSON, INVALID_PARAMETER (unknown field, wrong
// type, over-long string).
absl::StatusOr<service::CreateInstanceRequest> ParseCreateInstanceBody(std::string_view body);

// CreateSmartConnectTaskReq. Errors as above.
absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateConnectorTaskBody(
    std::string_view body);

}  // namespace connectplane::api::dms
