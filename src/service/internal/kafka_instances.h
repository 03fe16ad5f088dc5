// Rules shared by the Kafka instance and Smart Connect task services and their
// job handlers; internal to the service module. Stateless functions.
#pragma once

#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <string_view>

namespace connectplane::service::internal {

// DMS names of instances and Smart Connect tasks: 4-64 characters, a letter
// first, then letters, digits, '-' and '_'.
bool IsValidDmsName(std::string_view name);

// The tenant's instance. Errors: InvalidArgument INVALID_INSTANCE_ID (not the
// UUID shape DMS requires), NotFound INSTANCE_NOT_FOUND (also for another
// tenant's instance: existence never leaks), the store's.
absl::StatusOr<store::KafkaInstance> LoadInstance(store::StoreTransaction& txn,
                                                  std::string_view tenant_id,
                                                  std::string_view instance_id);

// FailedPrecondition INSTANCE_BUSY: the instance is not in a status the
// operation accepts.
absl::Status InstanceBusy(const store::KafkaInstance& instance);

// Removes every Smart Connect task of `instance_id` (the job's tenant) inside
// `txn`, with one audit entry per task as the job runner (<status> -> "",
// action = the job's type). For the jobs that take the tasks with the
// connector or the instance.
absl::Status RemoveConnectorTasksOfInstance(store::StoreTransaction& txn, const store::Job& job,
                                            std::string_view instance_id, absl::Time now);

}  // namespace connectplane::service::internal
