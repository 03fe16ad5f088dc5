// The job handlers that finish the port transitions PortService starts (the
// second half of the state machine in port_service.h): create (CREATING ->
// RUNNING; a failed job removes the row, as a failed private connect create
// disappears), terminate (DELETING -> RECYCLED; fails back to RUNNING), renew
// (RECOVERING -> RUNNING; fails back to RECYCLED) and destroy (DESTROYING ->
// row removed; fails back to RECYCLED), as the private connect jobs do. Each
// completion is a compare-and-swap on the port's version inside the runner's
// write transaction. Stateless handlers; safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

namespace connectplane::service {

// Registers the four zenlayer.*_port handlers with `runner` (before runner.Start()).
void RegisterPortJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
