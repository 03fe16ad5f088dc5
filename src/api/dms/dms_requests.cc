#include "api/dms/dms_requests.h"

#include "api/dms/dms_errors.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "boost/json.hpp"
#include <string>
#include <utility>
#include <vector>

namespace connectplane::api::dms {
namespace {

constexpr size_t kMaxString = 1024;

absl::Status InvalidParameter(std::string_view message) {
  return common::InvalidArgument(kReasonInvalidParameter, message);
}

enum class Kind { kString, kInt, kBool, kStringArray, kObject, kObjectArray };

struct FieldSpec {
  std::string_view name;
  Kind kind;
  // Copied into the instance's attributes (returned by ShowInstance as given).
  bool shown;
};

// CreateInstanceByEngineReq fields (SDK model), plus the older
// specification / partition_num of CreatePostPaidInstanceReq.
constexpr FieldSpec kInstanceFields[] = {
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
    {"port_protocol", Kind::kObject, false},
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
};

const FieldSpec* FindField(std::string_view key) {
  for (const FieldSpec& spec : kInstanceFields) {
    if (spec.name == key) return &spec;
  }
  return nullptr;
}

absl::Status WrongType(std::string_view key, std::string_view what) {
  return InvalidParameter(
      common::StrCat("Invalid request parameter: ", key, " must be ", what, "."));
}

// Checks one present, non-null value against its kind.
absl::Status CheckKind(std::string_view key, const boost::json::value& value, Kind kind) {
  switch (kind) {
    case Kind::kString:
      if (!value.is_string()) return WrongType(key, "a string");
      if (value.as_string().size() > kMaxString) {
        return InvalidParameter(
            common::StrCat("Invalid request parameter: ", key, " is too long."));
      }
      return absl::OkStatus();
    case Kind::kInt:
      if (!value.is_int64()) return WrongType(key, "an integer");
      return absl::OkStatus();
    case Kind::kBool:
      if (!value.is_bool()) return WrongType(key, "a boolean");
      return absl::OkStatus();
    case Kind::kObject:
      if (!value.is_object()) return WrongType(key, "an object");
      return absl::OkStatus();
    case Kind::kStringArray:
    case Kind::kObjectArray: {
      if (!value.is_array() || value.as_array().size() > 64) {
        return WrongType(key, "an array of at most 64 entries");
      }
      for (const boost::json::value& entry : value.as_array()) {
        bool ok = kind == Kind::kStringArray
                      ? entry.is_string() && entry.as_string().size() <= kMaxString
                      : entry.is_object();
        if (!ok) return WrongType(key, "an array of the documented entries");
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<boost::json::object> ParseBody(std::string_view body) {
  if (body.empty()) {
    return common::InvalidArgument(kReasonEmptyBody, "The request body is empty.");
  }
  return common::ParseJsonObject(body);
}

std::optional<std::string> StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<int64_t> IntField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_int64()) return std::nullopt;
  return value->as_int64();
}

absl::Status UnknownField(std::string_view key) {
  return InvalidParameter(common::StrCat("Invalid request parameter: unknown field '",
                                         common::QuoteUntrusted(key), "'."));
}

}  // namespace

absl::StatusOr<service::CreateInstanceRequest> ParseCreateInstanceBody(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  boost::json::object shown;
  for (const auto& entry : object) {
    std::string_view key(entry.key().data(), entry.key().size());
    const FieldSpec* spec = FindField(key);
    if (spec == nullptr) return UnknownField(key);
    if (entry.value().is_null()) continue;
    RETURN_IF_ERROR(CheckKind(key, entry.value(), spec->kind));
    if (spec->shown) shown[entry.key()] = entry.value();
  }
  service::CreateInstanceRequest request;
  request.name = StringField(object, "name");
  request.engine = StringField(object, "engine");
  request.engine_version = StringField(object, "engine_version");
  request.broker_num = IntField(object, "broker_num");
  request.storage_space = IntField(object, "storage_space");
  request.vpc_id = StringField(object, "vpc_id");
  request.security_group_id = StringField(object, "security_group_id");
  request.subnet_id = StringField(object, "subnet_id");
  request.product_id = StringField(object, "product_id");
  request.storage_spec_code = StringField(object, "storage_spec_code");
  if (const boost::json::value* zones = object.if_contains("available_zones");
      zones != nullptr && zones->is_array()) {
    std::vector<std::string> list;
    for (const boost::json::value& zone : zones->as_array()) {
      list.emplace_back(zone.as_string());
    }
    request.available_zones = std::move(list);
  }
  if (const boost::json::value* enable = object.if_contains("connector_enable");
      enable != nullptr && enable->is_bool()) {
    request.connector_enable = enable->as_bool();
  }
  if (const boost::json::value* encrypted = object.if_contains("disk_encrypted_enable");
      encrypted != nullptr && encrypted->is_bool()) {
    shown["disk_encrypted"] = encrypted->as_bool();
  }
  request.extra_attributes_json = common::ToJson(shown);
  return request;
}

absl::StatusOr<service::CreateConnectorTaskRequest> ParseCreateConnectorTaskBody(
    std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::object object, ParseBody(body));
  service::CreateConnectorTaskRequest request;
  for (const auto& entry : object) {
    std::string_view key(entry.key().data(), entry.key().size());
    const boost::json::value& value = entry.value();
    if (key == "task_name" || key == "topics" || key == "topics_regex" || key == "source_type" ||
        key == "sink_type") {
      if (value.is_null()) continue;
      RETURN_IF_ERROR(CheckKind(key, value, Kind::kString));
      std::string text(value.as_string());
      std::optional<std::string>& field = key == "task_name"      ? request.task_name
                                          : key == "topics"       ? request.topics
                                          : key == "topics_regex" ? request.topics_regex
                                          : key == "source_type"  ? request.source_type
                                                                  : request.sink_type;
      // Terraform leaves out empty values; an empty string means "not set".
      if (!text.empty()) field = std::move(text);
    } else if (key == "start_later") {
      if (value.is_null()) continue;
      RETURN_IF_ERROR(CheckKind(key, value, Kind::kBool));
      request.start_later = value.as_bool();
    } else if (key == "source_task" || key == "sink_task") {
      if (value.is_null()) continue;
      RETURN_IF_ERROR(CheckKind(key, value, Kind::kObject));
      (key == "source_task" ? request.source_task : request.sink_task) = value.as_object();
    } else {
      return UnknownField(key);
    }
  }
  return request;
}

}  // namespace connectplane::api::dms
