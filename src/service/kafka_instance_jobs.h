// Job handlers that finish the Kafka instance transitions KafkaService starts
// (the second half of the state machine in kafka_service.h):
//
//   kafka.create_instance     CREATING -> RUNNING (Smart Connect on when asked at
//                             creation); failed: CREATEFAILED
//   kafka.delete_instance     DELETING -> removed with its Smart Connect tasks;
//                             failed: RUNNING
//   kafka.enable_connector    EXTENDING -> RUNNING, connector on; failed: RUNNING
//   kafka.disable_connector   CONNECTOR_DELETING -> RUNNING, connector off and its
//                             tasks removed; failed: RUNNING, connector still on
//   kafka.extend_instance     EXTENDING -> RUNNING with the new flavor, brokers or
//                             storage; failed: RUNNING, unchanged
//   kafka.restart_instance    RESTARTING -> RUNNING (batch restart); failed: RUNNING
//
// Each completion is a compare-and-swap on the instance's version inside the
// runner's write transaction. Stateless handlers; safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

namespace connectplane::service {

// Registers the six handlers with `runner` (before runner.Start()).
void RegisterKafkaInstanceJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
