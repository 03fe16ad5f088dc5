// The job handler that finishes CreatePort (port_service.h): CREATING ->
// RUNNING, or, when the job fails for good, the port row is removed (as a
// failed private connect create disappears). A compare-and-swap on the port's
// version inside the runner's write transaction. Stateless; safe for
// concurrent use.
#pragma once

#include "jobs/job_runner.h"

namespace connectplane::service {

// Registers the zenlayer.create_port handler with `runner` (before runner.Start()).
void RegisterPortJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
