// Job handlers that finish Smart Connect task operations and the instance
// lifecycle: the second half of the state machines in
// connector_task_service.h and kafka_service.h. Stateless; safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include <string_view>

namespace connectplane::service {

// Task CREATING -> RUNNING (WAITING with start_later). On failure: FAILED.
// A task deleted meanwhile makes the job a no-op (success).
class CreateConnectorTaskJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
};

// Pause (-> PAUSED), resume and restart (-> RUNNING). On failure the task keeps
// the status it had before the request and accepts operations again.
class ConnectorTaskActionJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
};

// Instance CREATING -> RUNNING (Smart Connect on when requested at creation).
// On failure: CREATEFAILED.
class CreateInstanceJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
};

// Instance DELETING -> removed with its Smart Connect tasks. On failure: RUNNING.
class DeleteInstanceJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
};

// Registers the four handlers (static instances) with `runner`. Called by
// RegisterSmartConnectJobs.
// Removes every Smart Connect task of `instance_id` (the job's tenant) in
// `txn`, with one audit entry per task as the job runner: <status> -> "",
// action = the job's type. For jobs that take the tasks with the connector.
absl::Status RemoveConnectorTasksOfInstance(store::StoreTransaction& txn, const store::Job& job,
                                            std::string_view instance_id, absl::Time now);

void RegisterConnectorTaskJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
