#include "api/dms/dms_requests.h"

#include "api/dms/dms_errors.h"
#include "common/http_message.h"
#include "common/json_reader.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include <climits>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace connectplane::api::dms {
namespace {

constexpr size_t kMaxString = 1024;
constexpr size_t kMaxArrayEntries = 64;

absl::Status InvalidParameter(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidParameter, message);
}

// DMS's wording for a member problem: "Invalid request parameter: ...".
absl::Status FieldError(const common::JsonFieldError& error) {
  switch (error.problem) {
    case common::JsonProblem::kUnknownKey:
      return InvalidParameter(common::StrCat("Invalid request parameter: unknown field '",
                                             common::QuoteUntrusted(error.path), "'."));
    case common::JsonProblem::kWrongType:
    case common::JsonProblem::kOutOfRange:
      return InvalidParameter(common::StrCat("Invalid request parameter: ", error.path, " must be ",
                                             error.expected, "."));
    case common::JsonProblem::kMissing:
      return InvalidParameter(
          common::StrCat("Invalid request parameter: ", error.path, " is required."));
    case common::JsonProblem::kNotAllowed:
      return InvalidParameter(common::StrCat("Invalid request parameter: ", error.path, " must be ",
                                             error.expected, "."));
    case common::JsonProblem::kTooLong:
      return InvalidParameter(common::StrCat("Invalid request parameter: ", error.path,
                                             " is too long (", error.expected, ")."));
  }
  return InvalidParameter("Invalid request parameter.");
}

absl::StatusOr<boost::json::object> ParseBody(std::string_view body) {
  if (body.empty()) {
    return common::InvalidArgument(kReasonEmptyBody, "The request body is empty.");
  }
  return common::ParseJsonObject(body);
}

common::JsonReader TopLevel(const boost::json::object& object) {
  return common::JsonReader(object, "", &FieldError);
}

// Parses a decimal integer within [min, max]; nullopt otherwise.
std::optional<int64_t> ParseBoundedInt(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

// node_cnt arrives as a JSON integer (Node SDK) or a numeric string (Python SDK,
// Terraform). Anything else is a type error. 0 means "not specified", so the
// default applies: the opentelekomcloud provider sends "0" when node_count is
// left out (it formats the unset integer), while its documentation, the
// gophertelekomcloud EnableOpts comment and the API reference all say the
// count defaults to 2 when not specified.
absl::StatusOr<std::optional<int64_t>> ReadNodeCount(const common::JsonReader& body) {
  const boost::json::value* field = body.Find("node_cnt");
  std::optional<int64_t> count;
  if (field == nullptr || field->is_int64() || field->is_uint64()) {
    ASSIGN_OR_RETURN(count, body.Int("node_cnt", INT32_MIN, INT32_MAX));
  } else if (field->is_string()) {
    std::string_view text(field->as_string().data(), field->as_string().size());
    count = ParseBoundedInt(text, INT32_MIN, INT32_MAX);
    if (!count) {
      return body.Error(common::JsonProblem::kWrongType, "node_cnt",
                        "an integer or a numeric string");
    }
  } else {
    return body.Error(common::JsonProblem::kWrongType, "node_cnt",
                      "an integer or a numeric string");
  }
  if (count == 0) return std::nullopt;
  return count;
}

// ---- CreateInstanceByEngineReq

enum class Kind { kString, kInt, kBool, kStringArray, kObject, kObjectArray };

struct InstanceMember {
  std::string_view name;
  Kind kind;
  // Copied into the instance's attributes (returned by ShowInstance as given).
  bool shown;
};

// CreateInstanceByEngineReq members (SDK model), plus the older
// specification / partition_num of CreatePostPaidInstanceReq and the Kafka
// Manager login of older releases (golangsdk's CreateOps, which the
// huaweicloud Terraform provider sends for its deprecated manager_user /
// manager_password; older Go SDK models): accepted and ignored, as this
// emulator runs no Kafka Manager. Members no official client sends are refused.
constexpr InstanceMember kInstanceMembers[] = {
    {"name", Kind::kString, false},
    {"description", Kind::kString, true},
    {"engine", Kind::kString, false},
    {"engine_version", Kind::kString, false},
    {"broker_num", Kind::kInt, false},
    {"storage_space", Kind::kInt, false},
    {"access_user", Kind::kString, true},
    {"password", Kind::kString, false},
    {"vpc_id", Kind::kString, false},
    {"security_group_id", Kind::kString, false},
    {"subnet_id", Kind::kString, false},
    {"available_zones", Kind::kStringArray, false},
    {"product_id", Kind::kString, false},
    {"maintain_begin", Kind::kString, true},
    {"maintain_end", Kind::kString, true},
    {"enable_publicip", Kind::kBool, true},
    {"tenant_ips", Kind::kStringArray, false},
    {"publicip_id", Kind::kString, false},
    {"ssl_enable", Kind::kBool, true},
    {"kafka_security_protocol", Kind::kString, true},
    {"sasl_enabled_mechanisms", Kind::kStringArray, true},
    {"port_protocol", Kind::kObject, true},  // shown as port_protocols
    {"retention_policy", Kind::kString, true},
    {"ipv6_enable", Kind::kBool, true},
    {"disk_encrypted_enable", Kind::kBool, false},
    {"disk_encrypted_key", Kind::kString, false},
    {"connector_enable", Kind::kBool, false},
    {"enable_auto_topic", Kind::kBool, true},
    {"storage_spec_code", Kind::kString, false},
    {"enterprise_project_id", Kind::kString, true},
    {"tags", Kind::kObjectArray, true},
    {"arch_type", Kind::kString, true},
    {"vpc_client_plain", Kind::kBool, true},
    {"bss_param", Kind::kObject, false},
    {"specification", Kind::kString, false},
    {"partition_num", Kind::kInt, false},
    {"kafka_manager_user", Kind::kString, false},
    {"kafka_manager_password", Kind::kString, false},
};

// Checks one member against its kind (absent members pass).
absl::Status CheckMember(const common::JsonReader& body, const InstanceMember& member) {
  switch (member.kind) {
    case Kind::kString:
      return body.String(member.name, {.max_length = kMaxString}).status();
    case Kind::kInt:
      return body.Int(member.name).status();
    case Kind::kBool:
      return body.Bool(member.name).status();
    case Kind::kObject:
      return body.Object(member.name).status();
    case Kind::kStringArray:
      return body.StringList(member.name, {.max_length = kMaxString}, kMaxArrayEntries).status();
    case Kind::kObjectArray:
      return body.ObjectList(member.name, kMaxArrayEntries).status();
  }
  return absl::OkStatus();
}

// ---- Query strings

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseQueryPairs(
    std::string_view raw_query) {
  auto pairs = common::ParseQuery(raw_query);
  if (!pairs) {
    return InvalidParameter("Invalid query string.");
  }
  return std::move(*pairs);
}

// Reads "offset" (>= 0) and "limit" (1..max_limit) into `page`; false for any
// other key.
absl::StatusOr<bool> ReadOffsetLimit(std::string_view key, std::string_view value,
                                     int64_t max_limit, store::PageRequest& page) {
  if (key == "offset") {
    std::optional<int64_t> offset = ParseBoundedInt(value, 0, INT32_MAX);
    if (!offset) return InvalidParameter("offset must be a non-negative integer.");
    page.offset = *offset;
    return true;
  }
  if (key == "limit") {
    std::optional<int64_t> limit = ParseBoundedInt(value, 1, max_limit);
    if (!limit) {
      return InvalidParameter(
          common::StrCat("limit must be an integer from 1 to ", max_limit, "."));
    }
    page.limit = *limit;
    return true;
  }
  return false;
}

absl::StatusOr<bool> ParseBool(std::string_view key, std::string_view value) {
  if (value != "true" && value != "false") {
    return InvalidParameter(common::StrCat(key, " must be true or false."));
  }
  return value == "true";
}

// Accepts "YYYYMMDDHHmmss" (UTC), as the task list's begin_time/end_time.
// %E4Y, not %Y: absl's %Y takes every digit that follows, so it would read
// all fourteen as the year.
std::optional<int64_t> ParseCompactTime(std::string_view text) {
  if (text.size() != 14) return std::nullopt;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%E4Y%m%d%H%M%S", std::string(text), absl::UTCTimeZone(), &time, &error)) {
    return std::nullopt;
  }
  return common::ToUnixMillis(time);
}

}  // namespace

absl::StatusOr<service::EnableSmartConnectRequest> ParseEnableConnectorBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"specification", "node_cnt", "spec_code"}));
  service::EnableSmartConnectRequest request;
  ASSIGN_OR_RETURN(request.node_cnt, ReadNodeCount(reader));
  // No length limit here: the service refuses a bad flavor with its own code.
  ASSIGN_OR_RETURN(request.specification, reader.String("specification"));
  ASSIGN_OR_RETURN(request.spec_code, reader.String("spec_code"));
  return request;
}

absl::StatusOr<service::UpdateInstanceRequest> ParseUpdateInstanceBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"name", "description", "maintain_begin", "maintain_end",
                                     "security_group_id", "retention_policy",
                                     "enterprise_project_id"}));
  service::UpdateInstanceRequest request;
  // description: the service checks its 1024-character limit with its own code.
  ASSIGN_OR_RETURN(request.description, reader.String("description"));
  ASSIGN_OR_RETURN(request.name, reader.String("name", {kMaxString}));
  ASSIGN_OR_RETURN(request.maintain_begin, reader.String("maintain_begin", {kMaxString}));
  ASSIGN_OR_RETURN(request.maintain_end, reader.String("maintain_end", {kMaxString}));
  ASSIGN_OR_RETURN(request.security_group_id, reader.String("security_group_id", {kMaxString}));
  ASSIGN_OR_RETURN(request.retention_policy, reader.String("retention_policy", {kMaxString}));
  ASSIGN_OR_RETURN(request.enterprise_project_id,
                   reader.String("enterprise_project_id", {kMaxString}));
  return request;
}

absl::StatusOr<service::ResizeInstanceRequest> ParseResizeInstanceBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"oper_type", "new_storage_space", "new_broker_num",
                                     "new_product_id", "publicip_id", "tenant_ips",
                                     "second_tenant_subnet_id", "new_spec_code"}));
  service::ResizeInstanceRequest request;
  ASSIGN_OR_RETURN(request.oper_type, reader.String("oper_type", {kMaxString}));
  ASSIGN_OR_RETURN(request.new_storage_space, reader.Int("new_storage_space"));
  ASSIGN_OR_RETURN(request.new_broker_num, reader.Int("new_broker_num"));
  ASSIGN_OR_RETURN(request.new_product_id, reader.String("new_product_id", {kMaxString}));
  ASSIGN_OR_RETURN(request.tenant_ips,
                   reader.StringList("tenant_ips", {kMaxString}, kMaxArrayEntries));
  for (std::string_view ignored : {"publicip_id", "second_tenant_subnet_id", "new_spec_code"}) {
    RETURN_IF_ERROR(reader.String(ignored, {kMaxString}).status());
  }
  return request;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseCrossVpcModifyBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"advertised_ip_contents"}));
  ASSIGN_OR_RETURN(common::JsonReader contents, reader.RequiredObject("advertised_ip_contents"));
  std::vector<std::pair<std::string, std::string>> advertised_ips;
  if (contents.object().size() > kMaxArrayEntries) {
    return InvalidParameter("advertised_ip_contents lists too many listeners.");
  }
  for (const auto& entry : contents.object()) {
    const std::string_view key(entry.key().data(), entry.key().size());
    ASSIGN_OR_RETURN(std::optional<std::string> value, contents.String(key, {kMaxString}));
    if (!value) {
      return InvalidParameter(common::StrCat("Invalid request parameter: advertised_ip_contents.",
                                             common::QuoteUntrusted(key), " must be a string."));
    }
    advertised_ips.emplace_back(std::string(key), std::move(*value));
  }
  return advertised_ips;
}

absl::StatusOr<service::BatchInstanceActionRequest> ParseBatchInstanceActionBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"action", "instances", "all_failure"}));
  service::BatchInstanceActionRequest request;
  ASSIGN_OR_RETURN(request.action, reader.RequiredString("action", {kMaxString}));
  ASSIGN_OR_RETURN(request.instance_ids, reader.StringList("instances", {kMaxString}, 50));
  ASSIGN_OR_RETURN(request.all_failure, reader.String("all_failure", {kMaxString}));
  return request;
}

absl::Status ValidateDisableConnectorBody(std::string_view body, std::string_view instance_id) {
  if (body.empty()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(boost::json::object object, common::ParseJsonObject(body));
  const common::JsonReader reader = TopLevel(object);
  // instance_id: the huaweicloud Terraform provider. order_id and
  // csb_instance_product_id: the body of older Go SDK releases (0.1.65's
  // DeleteConnectorRequestBody); accepted and ignored (no billing here).
  RETURN_IF_ERROR(reader.CheckKnown({"instance_id", "order_id", "csb_instance_product_id"}));
  RETURN_IF_ERROR(reader.String("order_id", {kMaxString}).status());
  RETURN_IF_ERROR(reader.String("csb_instance_product_id", {kMaxString}).status());
  ASSIGN_OR_RETURN(std::optional<std::string> body_instance_id,
                   reader.String("instance_id", {kMaxString}));
  if (body_instance_id && *body_instance_id != instance_id) {
    return InvalidParameter("instance_id in the body does not match the path.");
  }
  return absl::OkStatus();
}

absl::StatusOr<service::CreateInstanceRequest> ParseCreateInstanceBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  std::vector<std::string_view> known;
  for (const InstanceMember& member : kInstanceMembers) {
    known.push_back(member.name);
  }
  RETURN_IF_ERROR(reader.CheckKnown(known));
  boost::json::object shown;
  for (const InstanceMember& member : kInstanceMembers) {
    RETURN_IF_ERROR(CheckMember(reader, member));
    if (member.shown && reader.Has(member.name)) {
      shown[member.name] = *reader.Find(member.name);
    }
  }
  // Every member's type is checked above: the reads below cannot fail.
  service::CreateInstanceRequest request;
  ASSIGN_OR_RETURN(request.name, reader.String("name"));
  ASSIGN_OR_RETURN(request.engine, reader.String("engine"));
  ASSIGN_OR_RETURN(request.engine_version, reader.String("engine_version"));
  ASSIGN_OR_RETURN(request.broker_num, reader.Int("broker_num"));
  ASSIGN_OR_RETURN(request.storage_space, reader.Int("storage_space"));
  ASSIGN_OR_RETURN(request.vpc_id, reader.String("vpc_id"));
  ASSIGN_OR_RETURN(request.security_group_id, reader.String("security_group_id"));
  ASSIGN_OR_RETURN(request.subnet_id, reader.String("subnet_id"));
  ASSIGN_OR_RETURN(request.product_id, reader.String("product_id"));
  ASSIGN_OR_RETURN(request.storage_spec_code, reader.String("storage_spec_code"));
  if (reader.Has("available_zones")) {
    ASSIGN_OR_RETURN(request.available_zones, reader.StringList("available_zones"));
  }
  ASSIGN_OR_RETURN(std::optional<bool> connector_enable, reader.Bool("connector_enable"));
  request.connector_enable = connector_enable.value_or(false);
  ASSIGN_OR_RETURN(std::optional<bool> encrypted, reader.Bool("disk_encrypted_enable"));
  if (encrypted) {
    shown["disk_encrypted"] = *encrypted;
  }
  request.extra_attributes_json = common::ToJson(shown);
  return request;
}

namespace {

// The members create and modify share (SmartConnectTaskEntity's definition).
// Terraform leaves out empty values; an empty string means "not set". The
// nested configurations are the service's to check.
absl::Status ReadTaskDefinition(const common::JsonReader& reader,
                                service::ConnectorTaskDefinition& definition) {
  constexpr common::StringRules kText{.max_length = kMaxString, .empty_is_absent = true};
  ASSIGN_OR_RETURN(definition.task_name, reader.String("task_name", kText));
  ASSIGN_OR_RETURN(definition.topics, reader.String("topics", kText));
  ASSIGN_OR_RETURN(definition.topics_regex, reader.String("topics_regex", kText));
  ASSIGN_OR_RETURN(definition.source_type, reader.String("source_type", kText));
  ASSIGN_OR_RETURN(definition.sink_type, reader.String("sink_type", kText));
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> source_task, reader.Object("source_task"));
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> sink_task, reader.Object("sink_task"));
  if (source_task) definition.source_task = source_task->object();
  if (sink_task) definition.sink_task = sink_task->object();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateConnectorTaskBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"task_name", "topics", "topics_regex", "source_type",
                                     "sink_type", "start_later", "source_task", "sink_task"}));
  service::CreateConnectorTaskRequest request;
  RETURN_IF_ERROR(ReadTaskDefinition(reader, request));
  ASSIGN_OR_RETURN(std::optional<bool> start_later, reader.Bool("start_later"));
  request.start_later = start_later.value_or(false);
  return request;
}

absl::StatusOr<service::ModifyConnectorTaskRequest> ParseModifyConnectorTaskBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(
      reader.CheckKnown({"task_name", "topics", "topics_regex", "source_type", "source_task",
                         "sink_type", "sink_task", "id", "status", "create_time"}));
  service::ModifyConnectorTaskRequest request;
  RETURN_IF_ERROR(ReadTaskDefinition(reader, request));
  constexpr common::StringRules kText{.max_length = kMaxString, .empty_is_absent = true};
  ASSIGN_OR_RETURN(request.id, reader.String("id", kText));
  ASSIGN_OR_RETURN(request.status, reader.String("status", kText));
  ASSIGN_OR_RETURN(request.create_time, reader.Int("create_time"));
  return request;
}

absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateSinkTaskBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown(
      {"source_type", "task_name", "destination_type", "obs_destination_descriptor"}));
  constexpr common::StringRules kText{.max_length = kMaxString, .empty_is_absent = true};
  // The SDK model's enums: BLOB and OBS are the only values.
  ASSIGN_OR_RETURN(std::optional<std::string> source_type,
                   reader.Enum("source_type", {"BLOB"}, kText));
  if (!source_type) return reader.Error(common::JsonProblem::kMissing, "source_type");
  ASSIGN_OR_RETURN(std::optional<std::string> destination_type,
                   reader.Enum("destination_type", {"OBS"}, kText));
  if (!destination_type) return reader.Error(common::JsonProblem::kMissing, "destination_type");
  service::CreateConnectorTaskRequest request;
  ASSIGN_OR_RETURN(request.task_name, reader.RequiredString("task_name", kText));
  ASSIGN_OR_RETURN(common::JsonReader descriptor,
                   reader.RequiredObject("obs_destination_descriptor"));
  RETURN_IF_ERROR(
      descriptor.CheckKnown({"topics", "topics_regex", "consumer_strategy", "destination_file_type",
                             "access_key", "secret_key", "obs_bucket_name", "obs_path",
                             "partition_format", "record_delimiter", "deliver_time_interval"}));
  ASSIGN_OR_RETURN(request.topics, descriptor.String("topics", kText));
  ASSIGN_OR_RETURN(request.topics_regex, descriptor.String("topics_regex", kText));
  // Required by the SDK model (and the provider's schema); the new API's sink
  // rules do not ask for it.
  RETURN_IF_ERROR(descriptor.RequiredString("partition_format", kText).status());
  boost::json::object sink = descriptor.object();
  sink.erase("topics");
  sink.erase("topics_regex");
  // The SDK model's defaults: consumer_strategy latest; TEXT is the only file
  // type. The huaweicloud provider sends "" for an unset file type.
  auto fill = [&sink](std::string_view member, std::string_view value) {
    const boost::json::value* given = sink.if_contains(member);
    if (given == nullptr || (given->is_string() && given->as_string().empty())) {
      sink[member] = value;
    }
  };
  fill("consumer_strategy", "latest");
  fill("destination_file_type", "TEXT");
  request.sink_type = "OBS_SINK";
  request.source_type = "NONE";
  request.sink_task = std::move(sink);
  return request;
}

absl::StatusOr<bool> ParseSinkTaskDetailQuery(std::string_view raw_query) {
  ASSIGN_OR_RETURN(auto pairs, ParseQueryPairs(raw_query));
  bool topic_info = false;
  for (const auto& [key, value] : pairs) {
    if (key != "topic-info") continue;
    if (value != "true" && value != "false") {
      return InvalidParameter("topic-info must be true or false.");
    }
    topic_info = value == "true";
  }
  return topic_info;
}

absl::StatusOr<service::ValidateConnectivityRequest> ParseValidateConnectivityBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  const common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"type", "task"}));
  service::ValidateConnectivityRequest request;
  ASSIGN_OR_RETURN(request.type,
                   reader.String("type", {.max_length = kMaxString, .empty_is_absent = true}));
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> task, reader.Object("task"));
  if (task) request.task = task->object();
  return request;
}

absl::StatusOr<ListInstancesQuery> ParseListInstancesQuery(std::string_view raw_query) {
  ASSIGN_OR_RETURN(auto pairs, ParseQueryPairs(raw_query));
  ListInstancesQuery query;
  for (const auto& [key, value] : pairs) {
    ASSIGN_OR_RETURN(bool paging, ReadOffsetLimit(key, value, 50, query.page));
    if (paging || value.empty()) {
      if (key == "include_failure" || key == "exact_match_name") {
        RETURN_IF_ERROR(ParseBool(key, value).status());  // "" is not a boolean
      }
      continue;
    }
    if (key == "engine" && value != "kafka") {
      return InvalidParameter("engine must be kafka.");
    } else if (key == "name") {
      query.filter.name = value;
    } else if (key == "instance_id") {
      query.filter.instance_id = value;
    } else if (key == "status") {
      query.filter.status = value;
    } else if (key == "include_failure") {
      ASSIGN_OR_RETURN(query.filter.include_failure, ParseBool(key, value));
    } else if (key == "exact_match_name") {
      ASSIGN_OR_RETURN(query.filter.exact_match_name, ParseBool(key, value));
    }
  }
  return query;
}

absl::StatusOr<ProductsQuery> ParseProductsQuery(std::string_view raw_query) {
  ASSIGN_OR_RETURN(auto pairs, ParseQueryPairs(raw_query));
  ProductsQuery query;
  for (const auto& [key, value] : pairs) {
    if (key == "product_id" && !value.empty()) {
      query.product_id = value;
    } else if (key == "engine" && value != "kafka") {
      return InvalidParameter("engine must be kafka.");
    }
  }
  return query;
}

absl::StatusOr<BackgroundTaskQuery> ParseBackgroundTaskQuery(std::string_view raw_query) {
  ASSIGN_OR_RETURN(auto pairs, ParseQueryPairs(raw_query));
  BackgroundTaskQuery query;
  // The page's first task: `start` counts from 1 (the Node and Python SDKs,
  // the Terraform provider); `offset` counts from 0 (the Go SDK and the
  // current API reference, which renamed it). One request names one of them.
  std::optional<int64_t> start;
  std::optional<int64_t> offset;
  for (const auto& [key, value] : pairs) {
    if (key == "start") {
      start = ParseBoundedInt(value, 1, INT32_MAX);
      if (!start) return InvalidParameter("start must be an integer >= 1.");
    } else if (key == "offset") {
      offset = ParseBoundedInt(value, 0, INT32_MAX);
      if (!offset) return InvalidParameter("offset must be an integer >= 0.");
    } else if (key == "limit") {
      RETURN_IF_ERROR(ReadOffsetLimit(key, value, 100, query.page).status());
    } else if (key == "begin_time" || key == "end_time") {
      std::optional<int64_t> parsed = ParseCompactTime(value);
      if (!parsed) return InvalidParameter(common::StrCat(key, " must be YYYYMMDDHHmmss."));
      // end_time names a whole second: a task created at 12:00:00.500 is in
      // a list that ends at "...120000".
      if (key == "begin_time") {
        query.filter.created_from_ms = *parsed;
      } else {
        query.filter.created_to_ms = *parsed + 999;
      }
    }
  }
  if (start && offset) {
    return InvalidParameter("start and offset are alternatives: send one of them.");
  }
  query.page.offset = start ? *start - 1 : offset.value_or(0);
  return query;
}

absl::StatusOr<store::PageRequest> ParseConnectorTaskQuery(std::string_view raw_query) {
  ASSIGN_OR_RETURN(auto pairs, ParseQueryPairs(raw_query));
  store::PageRequest page{0, 10};
  for (const auto& [key, value] : pairs) {
    RETURN_IF_ERROR(ReadOffsetLimit(key, value, 50, page).status());
  }
  return page;
}

// ---- Instance tags, parameters and topics

namespace {

// A boolean, or the strings "true" / "false" (the API reference's examples
// send both).
absl::StatusOr<std::optional<bool>> ReadFlag(const common::JsonReader& reader,
                                             std::string_view key) {
  const boost::json::value* field = reader.Find(key);
  if (field != nullptr && field->is_string()) {
    if (field->as_string() == "true") return true;
    if (field->as_string() == "false") return false;
    return reader.Error(common::JsonProblem::kWrongType, key, "a boolean");
  }
  return reader.Bool(key);
}

// A parameter value: a string, or an integer (sent as a number by the API
// reference's topic examples), as its decimal text.
absl::StatusOr<std::string> ReadParameterValue(const common::JsonReader& entry) {
  const boost::json::value* field = entry.Find("value");
  if (field != nullptr && (field->is_int64() || field->is_uint64())) {
    return boost::json::serialize(*field);
  }
  return entry.RequiredString("value", {.max_length = kMaxString});
}

// [{name, value}] entries of kafka_configs / topic_other_configs.
template <class Entry>
absl::StatusOr<std::vector<Entry>> ReadNameValues(const common::JsonReader& reader,
                                                  std::string_view key) {
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> entries,
                   reader.ObjectList(key, kMaxArrayEntries));
  std::vector<Entry> values;
  for (const common::JsonReader& entry : entries) {
    RETURN_IF_ERROR(entry.CheckKnown({"name", "value"}));
    Entry value;
    ASSIGN_OR_RETURN(value.name, entry.RequiredString("name", {.max_length = kMaxString}));
    ASSIGN_OR_RETURN(value.value, ReadParameterValue(entry));
    values.push_back(std::move(value));
  }
  return values;
}

absl::StatusOr<std::optional<int64_t>> ReadCount(const common::JsonReader& reader,
                                                 std::string_view key) {
  return reader.Int(key, INT32_MIN, INT32_MAX);
}

}  // namespace

absl::StatusOr<TagActionBody> ParseTagActionBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"action", "tags"}));
  TagActionBody parsed;
  ASSIGN_OR_RETURN(std::optional<std::string> action, reader.String("action"));
  if (action == "create") {
    parsed.action = service::TagAction::kCreate;
  } else if (action == "delete") {
    parsed.action = service::TagAction::kDelete;
  } else {
    return common::InvalidArgument(service::kReasonInvalidTagAction,
                                   "You can only create or delete tags.");
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> tags, reader.ObjectList("tags", kMaxArrayEntries));
  if (tags.empty()) {
    return InvalidParameter("Invalid request parameter: tags is required.");
  }
  for (const common::JsonReader& tag : tags) {
    RETURN_IF_ERROR(tag.CheckKnown({"key", "value"}));
    service::InstanceTag entry;
    ASSIGN_OR_RETURN(std::optional<std::string> key, tag.String("key", {.max_length = kMaxString}));
    ASSIGN_OR_RETURN(std::optional<std::string> value,
                     tag.String("value", {.max_length = kMaxString}));
    entry.key = key.value_or("");
    entry.value = value.value_or("");
    parsed.tags.push_back(std::move(entry));
  }
  return parsed;
}

absl::StatusOr<std::vector<service::ConfigChange>> ParseModifyConfigsBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"kafka_configs"}));
  return ReadNameValues<service::ConfigChange>(reader, "kafka_configs");
}

absl::StatusOr<service::CreateTopicRequest> ParseCreateTopicBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"id", "partition", "replication", "retention_time",
                                     "sync_replication", "sync_message_flush",
                                     "topic_other_configs", "topic_desc"}));
  service::CreateTopicRequest parsed;
  ASSIGN_OR_RETURN(parsed.name, reader.RequiredString("id", {.max_length = kMaxString}));
  ASSIGN_OR_RETURN(parsed.partition, ReadCount(reader, "partition"));
  ASSIGN_OR_RETURN(parsed.replication, ReadCount(reader, "replication"));
  ASSIGN_OR_RETURN(parsed.retention_time, ReadCount(reader, "retention_time"));
  ASSIGN_OR_RETURN(std::optional<bool> sync_replication, ReadFlag(reader, "sync_replication"));
  ASSIGN_OR_RETURN(std::optional<bool> sync_flush, ReadFlag(reader, "sync_message_flush"));
  parsed.sync_replication = sync_replication.value_or(false);
  parsed.sync_message_flush = sync_flush.value_or(false);
  ASSIGN_OR_RETURN(std::optional<std::string> description,
                   reader.String("topic_desc", {.max_length = kMaxString}));
  parsed.description = description.value_or("");
  ASSIGN_OR_RETURN(parsed.other_configs,
                   ReadNameValues<service::TopicConfigValue>(reader, "topic_other_configs"));
  return parsed;
}

absl::StatusOr<std::vector<service::UpdateTopicRequest>> ParseUpdateTopicsBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"topics"}));
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> entries,
                   reader.ObjectList("topics", kMaxArrayEntries));
  if (entries.empty()) {
    return InvalidParameter("Invalid request parameter: topics is required.");
  }
  std::vector<service::UpdateTopicRequest> updates;
  for (const common::JsonReader& entry : entries) {
    RETURN_IF_ERROR(entry.CheckKnown({"id", "retention_time", "sync_replication",
                                      "sync_message_flush", "new_partition_numbers",
                                      "new_partition_brokers", "topic_other_configs",
                                      "topic_desc"}));
    service::UpdateTopicRequest update;
    ASSIGN_OR_RETURN(update.name, entry.RequiredString("id", {.max_length = kMaxString}));
    ASSIGN_OR_RETURN(update.retention_time, ReadCount(entry, "retention_time"));
    ASSIGN_OR_RETURN(update.sync_replication, ReadFlag(entry, "sync_replication"));
    ASSIGN_OR_RETURN(update.sync_message_flush, ReadFlag(entry, "sync_message_flush"));
    ASSIGN_OR_RETURN(update.new_partition_numbers, ReadCount(entry, "new_partition_numbers"));
    if (const boost::json::value* brokers = entry.Find("new_partition_brokers")) {
      if (!brokers->is_array() || brokers->as_array().size() > kMaxArrayEntries) {
        return entry.Error(common::JsonProblem::kWrongType, "new_partition_brokers",
                           "an array of broker ids");
      }
      for (const boost::json::value& broker : brokers->as_array()) {
        if (!broker.is_int64()) {
          return entry.Error(common::JsonProblem::kWrongType, "new_partition_brokers",
                             "an array of broker ids");
        }
        update.new_partition_brokers.push_back(broker.as_int64());
      }
    }
    ASSIGN_OR_RETURN(update.description, entry.String("topic_desc", {.max_length = kMaxString}));
    if (entry.Has("topic_other_configs")) {
      ASSIGN_OR_RETURN(update.other_configs,
                       ReadNameValues<service::TopicConfigValue>(entry, "topic_other_configs"));
    }
    updates.push_back(std::move(update));
  }
  return updates;
}

absl::StatusOr<std::vector<std::string>> ParseDeleteTopicsBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  common::JsonReader reader = TopLevel(object);
  RETURN_IF_ERROR(reader.CheckKnown({"topics"}));
  ASSIGN_OR_RETURN(std::vector<std::string> names,
                   reader.StringList("topics", {.max_length = kMaxString, .allow_empty = false},
                                     kMaxArrayEntries));
  if (names.empty()) {
    return InvalidParameter("Invalid request parameter: topics is required.");
  }
  return names;
}

absl::StatusOr<store::PageRequest> ParseTopicListQuery(std::string_view raw_query) {
  ASSIGN_OR_RETURN(auto pairs, ParseQueryPairs(raw_query));
  store::PageRequest page{0, 50};
  for (const auto& [key, value] : pairs) {
    RETURN_IF_ERROR(ReadOffsetLimit(key, value, 200, page).status());
  }
  return page;
}

}  // namespace connectplane::api::dms
