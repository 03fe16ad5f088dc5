// Job handlers that finish Smart Connect enable/disable: the second half of the
// state machine in kafka_service.h. Stateless; safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

namespace connectplane::service {

// EXTENDING -> RUNNING with the connector enabled (connector_id, node count and
// flavor from the job params). On failure: RUNNING with the connector still off.
class EnableConnectorJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
};

// CONNECTOR_DELETING -> RUNNING with the connector and its tasks removed. On failure: RUNNING
// with the connector still enabled.
class DisableConnectorJob final : public jobs::JobHandler {
 public:
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
};

// Registers both handlers (static instances) with `runner`, and the instance
// lifecycle and connector task handlers (RegisterConnectorTaskJobs).
void RegisterSmartConnectJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
