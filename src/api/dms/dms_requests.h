// Strict parsers for what DMS clients send: request bodies (JSON syntax, member
// types, unknown members, with the SDK models' member names) and query strings.
// Range and cross-member rules are the services'. Pure functions; every error
// carries one of the dialect's reasons (dms_errors.h), so it maps to a DMS code.
#pragma once

#include "service/connector_task_service.h"
#include "service/kafka_config_service.h"
#include "service/kafka_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::dms {

// ---- Bodies. Errors: EMPTY_BODY (where a body is required), MALFORMED_JSON,
// INVALID_PARAMETER (unknown member, wrong type, over-long string).

// CreateConnectorReq: specification, node_cnt (an integer or, as the Python SDK
// and Terraform send it, a numeric string), spec_code.
absl::StatusOr<service::EnableSmartConnectRequest> ParseEnableConnectorBody(std::string_view body);

// DeleteConnector: the SDK sends no body; Terraform sends {"instance_id": "<the
// path's id>"}. Any other id is INVALID_PARAMETER.
absl::Status ValidateDisableConnectorBody(std::string_view body, std::string_view instance_id);

// CreateInstanceByEngineReq (also the CreatePostPaidKafkaInstance body).
absl::StatusOr<service::CreateInstanceRequest> ParseCreateInstanceBody(std::string_view body);

// CreateSmartConnectTaskReq. The nested source_task / sink_task objects are
// passed on as given: ConnectorTaskService checks them.
absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateConnectorTaskBody(
    std::string_view body);

// ModifyConnectorTask: SmartConnectTaskEntity, every member optional (the SDK
// model's ten: task_name, topics, topics_regex, source_type, source_task,
// sink_type, sink_task, id, status, create_time).
absl::StatusOr<service::ModifyConnectorTaskRequest> ParseModifyConnectorTaskBody(
    std::string_view body);

// ValidateConnectorConnectivity: SmartConnectValidateEntity {type?, task?}.
absl::StatusOr<service::ValidateConnectivityRequest> ParseValidateConnectivityBody(
    std::string_view body);

// ---- Query strings. Unknown parameters are ignored (the SDKs send more than we
// filter on); a malformed query or value is INVALID_PARAMETER.

// ListInstances: engine (kafka), name, exact_match_name, instance_id, status,
// include_failure, offset (>= 0), limit (1-50, default 10).
struct ListInstancesQuery {
  store::KafkaInstanceFilter filter;
  store::PageRequest page{0, 10};
};
absl::StatusOr<ListInstancesQuery> ParseListInstancesQuery(std::string_view raw_query);

// ListBackgroundTasks: start (1-based, default 1) or offset (0-based), limit
// (1-100, default 10), begin_time / end_time (YYYYMMDDHHmmss, UTC; end_time
// takes in its whole second).
struct BackgroundTaskQuery {
  store::JobFilter filter;
  store::PageRequest page{0, 10};
};
absl::StatusOr<BackgroundTaskQuery> ParseBackgroundTaskQuery(std::string_view raw_query);

// ListConnectorTasks: offset (>= 0), limit (1-50, default 10).
absl::StatusOr<store::PageRequest> ParseConnectorTaskQuery(std::string_view raw_query);

// ---- Instance tags, parameters and topics (bodies as above; the services
// check ranges and names, so that each rule gets its own DMS code).

// BatchCreateOrDeleteTagReq: action ("create" | "delete", lower case; anything
// else, or none, is INVALID_TAG_ACTION) and tags [{key, value}].
struct TagActionBody {
  service::TagAction action = service::TagAction::kCreate;
  std::vector<service::InstanceTag> tags;
};
absl::StatusOr<TagActionBody> ParseTagActionBody(std::string_view body);

// ModifyInstanceConfigsReq: kafka_configs [{name, value}] (value a string or,
// as some clients send it, a number).
absl::StatusOr<std::vector<service::ConfigChange>> ParseModifyConfigsBody(std::string_view body);

// CreateInstanceTopicReq: id (required), partition, replication,
// retention_time, sync_replication, sync_message_flush (booleans, or "true" /
// "false" as the API reference's example sends them), topic_other_configs
// [{name, value}], topic_desc.
absl::StatusOr<service::CreateTopicRequest> ParseCreateTopicBody(std::string_view body);

// UpdateInstanceTopicReq: topics [{id (required), retention_time,
// sync_replication, sync_message_flush, new_partition_numbers,
// new_partition_brokers, topic_other_configs, topic_desc}], at least one.
absl::StatusOr<std::vector<service::UpdateTopicRequest>> ParseUpdateTopicsBody(
    std::string_view body);

// BatchDeleteInstanceTopicReq: topics, 1 or more names.
absl::StatusOr<std::vector<std::string>> ParseDeleteTopicsBody(std::string_view body);

// ListInstanceTopics: offset (>= 0), limit (1-200, default 50).
absl::StatusOr<store::PageRequest> ParseTopicListQuery(std::string_view raw_query);

}  // namespace connectplane::api::dms
