#include "service/kafka_parameters.h"

#include "common/strings.h"

#include <charconv>

namespace connectplane::service {
namespace {

// The OTC API reference's ShowInstanceConfigs example: every parameter with its
// valid values, default and type.
constexpr KafkaParameter kInstanceParameters[] = {
    {"min.insync.replicas", "1~3", "1", false, "integer", 1, 3},
    {"message.max.bytes", "0~10485760", "10485760", false, "integer", 0, 10485760},
    {"auto.create.groups.enable", "true,false", "true", false, "enum", 0, 0, "true,false"},
    {"connections.max.idle.ms", "5000~600000", "600000", true, "integer", 5000, 600000},
    {"log.retention.hours", "1~168", "72", true, "integer", 1, 168},
    {"max.connections.per.ip", "100~20000", "1000", false, "integer", 100, 20000},
    {"group.max.session.timeout.ms", "6000~1800000", "1800000", true, "integer", 6000, 1800000},
    {"unclean.leader.election.enable", "true,false", "false", false, "enum", 0, 0, "true,false"},
    {"default.replication.factor", "1~3", "3", true, "integer", 1, 3},
    {"offsets.retention.minutes", "1440~30240", "20160", false, "integer", 1440, 30240},
    {"num.partitions", "1~200", "3", true, "integer", 1, 200},
    {"group.min.session.timeout.ms", "6000~300000", "6000", true, "integer", 6000, 300000},
    {"allow.everyone.if.no.acl.found", "true,false", "true", true, "enum", 0, 0, "true,false"},
};

// The OTC API reference's ListInstanceTopics example (topic_other_configs).
constexpr KafkaParameter kTopicParameters[] = {
    {"max.message.bytes", "[0...10485760]", "10485760", false, "int", 0, 10485760},
    {"message.timestamp.type", "[CreateTime, LogAppendTime]", "LogAppendTime", false, "string", 0,
     0, "CreateTime,LogAppendTime"},
};

}  // namespace

std::span<const KafkaParameter> InstanceParameters() { return kInstanceParameters; }
std::span<const KafkaParameter> TopicParameters() { return kTopicParameters; }

const KafkaParameter* FindParameter(std::span<const KafkaParameter> table, std::string_view name) {
  for (const KafkaParameter& parameter : table) {
    if (parameter.name == name) return &parameter;
  }
  return nullptr;
}

bool IsAllowedValue(const KafkaParameter& parameter, std::string_view value) {
  if (!parameter.choices.empty()) {
    for (std::string_view choice : common::Split(parameter.choices, ',')) {
      if (choice == value) return true;
    }
    return false;
  }
  int64_t number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  return error == std::errc() && end == value.data() + value.size() && number >= parameter.min &&
         number <= parameter.max;
}

}  // namespace connectplane::service
