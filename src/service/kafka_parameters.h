// The Kafka parameters a DMS instance exposes (ShowInstanceConfigs,
// ModifyInstanceConfigs) and those a topic takes in topic_other_configs,
// defined once: name, valid values, default, static (takes effect after a
// restart) or dynamic, value type. Facts from the OTC API reference
// (ShowInstanceConfigs and ListInstanceTopics examples). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace connectplane::service {

struct KafkaParameter {
  std::string_view name;
  std::string_view valid_values;  // as the API shows it: "1~3", "true,false"
  std::string_view default_value;
  bool is_static;                 // config_type "static" (else "dynamic")
  std::string_view value_type;    // as the API shows it: "integer", "enum", "int", "string"
  // Integer parameters: the range. Others: `choices`, comma-separated.
  int64_t min = 0;
  int64_t max = 0;
  std::string_view choices = {};
};

// The instance-level parameters, in the order the API lists them.
std::span<const KafkaParameter> InstanceParameters();
// The topic-level parameters (topic_other_configs).
std::span<const KafkaParameter> TopicParameters();

// The parameter named `name` in `table`; nullptr when there is none.
const KafkaParameter* FindParameter(std::span<const KafkaParameter> table, std::string_view name);

// True when `value` is allowed for `parameter`: a decimal integer in its range,
// or one of its choices.
bool IsAllowedValue(const KafkaParameter& parameter, std::string_view value);

}  // namespace connectplane::service
