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
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::api::dms {

// ---- Bodies. Errors: EMPTY_BODY (where a body is required), MALFORMED_JSON,
// INVALID_PARAMETER (unknown member, wrong type, over-long string).

// CreateConnectorReq: specification, node_cnt (an integer or, as the Python SDK
// and Terraform send it, a numeric string; 0 means not specified, as the
// opentelekomcloud provider sends it), spec_code.
absl::StatusOr<service::EnableSmartConnectRequest> ParseEnableConnectorBody(std::string_view body);

// DeleteConnector: the SDK sends no body; Terraform sends {"instance_id": "<the
// path's id>"}. Any other id is INVALID_PARAMETER.
absl::Status ValidateDisableConnectorBody(std::string_view body, std::string_view instance_id);

// CreateInstanceByEngineReq (also the CreatePostPaidKafkaInstance body).
absl::StatusOr<service::CreateInstanceRequest> ParseCreateInstanceBody(std::string_view body);

// UpdateInstanceReq: name, description, maintain_begin, maintain_end,
// security_group_id, retention_policy, enterprise_project_id (all optional
// strings). An empty body is EMPTY_BODY.
absl::StatusOr<service::UpdateInstanceRequest> ParseUpdateInstanceBody(std::string_view body);

// ResizeEngineInstanceReq: oper_type, new_storage_space, new_broker_num,
// new_product_id, tenant_ips; publicip_id, second_tenant_subnet_id and
// golangsdk's legacy new_spec_code are type-checked and ignored.
absl::StatusOr<service::ResizeInstanceRequest> ParseResizeInstanceBody(std::string_view body);

// UpdateInstanceCrossVpcIpReq: {"advertised_ip_contents": {"<listener ip>":
// "<advertised ip or domain>"}} (required; every value a string).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseCrossVpcModifyBody(
    std::string_view body);

// BatchRestartOrDeleteInstanceReq: action (string), instances (strings, at
// most 50), all_failure (string).
absl::StatusOr<service::BatchInstanceActionRequest> ParseBatchInstanceActionBody(
    std::string_view body);

// CreateSmartConnectTaskReq. The nested source_task / sink_task objects are
// passed on as given: ConnectorTaskService checks them.
absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateConnectorTaskBody(
    std::string_view body);

// ModifyConnectorTask: SmartConnectTaskEntity, every member optional (the SDK
// model's ten: task_name, topics, topics_regex, source_type, source_task,
// sink_type, sink_task, id, status, create_time).
absl::StatusOr<service::ModifyConnectorTaskRequest> ParseModifyConnectorTaskBody(
    std::string_view body);

// CreateSinkTask (the legacy dump-task API): CreateSinkTaskReq {source_type
// BLOB, task_name, destination_type OBS, obs_destination_descriptor}, as an
// OBS_SINK task definition (the descriptor's topics / topics_regex become the
// task's, the rest its sink_task, with the SDK model's defaults filled in).
absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateSinkTaskBody(std::string_view body);

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

// ShowSinkTaskDetail: topic-info (true / false, default false); true when
// the answer should carry topics_info.
absl::StatusOr<bool> ParseSinkTaskDetailQuery(std::string_view raw_query);

// ListConnectorTasks: offset (>= 0), limit (1-50, default 10).
absl::StatusOr<store::PageRequest> ParseConnectorTaskQuery(std::string_view raw_query);

// ListEngineProducts: product_id (a filter; unknown ids match nothing).
// ListProducts (legacy): engine, which must be "kafka" when given.
struct ProductsQuery {
  std::optional<std::string> product_id;
};
absl::StatusOr<ProductsQuery> ParseProductsQuery(std::string_view raw_query);

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
