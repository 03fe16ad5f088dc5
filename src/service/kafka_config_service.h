// Kafka parameter values of DMS instances (ShowInstanceConfigs,
// ModifyInstanceConfigs). Values that were changed are stored per instance as
// kafka_instance_items of kind "config" ({"value": ...}); the others show
// their documented default (kafka_parameters.h). A modification is a
// background task, as in the cloud: ModifyConfigs queues a
// kafka.modify_configs job (JobQueue) and its handler writes the values, so
// they show once the task has succeeded. The instance stays RUNNING meanwhile.
// Safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"
#include "service/caller.h"
#include "service/job_queue.h"
#include "service/kafka_parameters.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Domain error reasons (common::ReasonOf) the dialects map to cloud codes.
inline constexpr std::string_view kReasonInvalidConfigParameter = "INVALID_CONFIG_PARAMETER";
inline constexpr std::string_view kReasonNoConfigChange = "NO_CONFIG_CHANGE";

struct InstanceConfigValue {
  const KafkaParameter* parameter;  // from InstanceParameters()
  std::string value;
};

struct ConfigChange {
  std::string name;
  std::string value;
};

struct ModifyConfigsResult {
  std::string job_id;
  int32_t dynamic_count = 0;
  int32_t static_count = 0;
};

class KafkaConfigService {
 public:
  // `store` and `jobs` must outlive the service.
  KafkaConfigService(store::Store& store, JobQueue& jobs);

  // Every instance parameter with its current value, in InstanceParameters()
  // order. Errors: InvalidArgument INVALID_INSTANCE_ID, NotFound
  // INSTANCE_NOT_FOUND (also another project's instance), the store's.
  absl::StatusOr<std::vector<InstanceConfigValue>> ListConfigs(const Caller& caller,
                                                               std::string_view instance_id);

  // Queues the change of `changes` (each name once; a later entry for a name
  // wins) and answers the job id and how many dynamic and static parameters
  // it changes. Static ones take effect in the emulator like dynamic ones
  // (no restart is emulated). Errors: as ListConfigs; InvalidArgument
  // NO_CONFIG_CHANGE (empty list), INVALID_CONFIG_PARAMETER (unknown name or a
  // value outside its valid values; the message names it); FailedPrecondition
  // INSTANCE_BUSY when the instance is not RUNNING. Nothing is written on error.
  absl::StatusOr<ModifyConfigsResult> ModifyConfigs(const Caller& caller,
                                                    std::string_view instance_id,
                                                    const std::vector<ConfigChange>& changes);

 private:
  store::Store& store_;
  JobQueue& jobs_;
};

// Registers the kafka.modify_configs handler with `runner` (before
// runner.Start()): writes the values when the instance still exists (a
// deleted instance fails the job); a failed job leaves the values as they were.
void RegisterKafkaConfigJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
