// Job handlers that finish Smart Connect task operations (the second half of
// the state machine in connector_task_service.h):
//
//   kafka.create_connector_task    CREATING -> RUNNING (WAITING with start_later);
//                                  failed: FAILED
//   kafka.pause_connector_task     -> PAUSED
//   kafka.resume_connector_task    -> RUNNING
//   kafka.restart_connector_task   -> RUNNING
//
// A failed pause, resume or restart puts the task back in the status it had
// before the request. A handler applies its change only while the task still
// waits for its job; a task deleted meanwhile makes the job a no-op.
// Stateless handlers; safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

namespace connectplane::service {

// Registers the handlers with `runner` (before runner.Start()).
void RegisterConnectorTaskJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
