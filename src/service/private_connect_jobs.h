// Job handlers that finish the Zenlayer private connect transitions
// PrivateConnectService starts (the second half of the state machine in
// private_connect_service.h). Each completion is a compare-and-swap on the
// row's version inside the runner's write transaction. Stateless handlers;
// safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

namespace connectplane::service {

// Registers the five zenlayer.* handlers with `runner` (before runner.Start()).
void RegisterPrivateConnectJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
