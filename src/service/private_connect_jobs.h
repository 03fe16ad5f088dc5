// Job handlers that finish the Zenlayer private connect transitions started by
// PrivateConnectService (the second half of the state machine in
// private_connect_service.h). Each completion is a compare-and-swap on the
// row's version inside the runner's write transaction. Stateless; safe for
// concurrent use.
#pragma once

#include "jobs/job_runner.h"

#include <string_view>

namespace connectplane::service {

// One transition: the connect must be in `transitional_status`; Complete()
// moves it to `final_status` (or deletes the row when `final_status` is empty),
// OnFailed() moves it to `failed_status` (or deletes it when empty).
// ModifyPrivateConnectBandwidth's job also applies params.bandwidthMbps, and
// the delete job sets recycled_at (the renew job clears it).
class PrivateConnectTransitionJob final : public jobs::JobHandler {
 public:
  PrivateConnectTransitionJob(std::string_view transitional_status, std::string_view final_status,
                              std::string_view failed_status)
      : transitional_status_(transitional_status),
        final_status_(final_status),
        failed_status_(failed_status) {}

  // Errors: NotFound when the connect is gone, FailedPrecondition when it is no
  // longer in the transitional status (both permanent: the job is FAILED);
  // Aborted on a lost compare-and-swap (retried); store errors.
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;
  // Leaves the connect in `failed_status` when it is still transitional; a
  // no-op otherwise.
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override;

 private:
  absl::Status MoveTo(store::StoreTransaction& txn, const store::Job& job, absl::Time now,
                      std::string_view target_status, bool apply_params, bool strict);

  const std::string_view transitional_status_;
  const std::string_view final_status_;
  const std::string_view failed_status_;
};

// Registers the five zenlayer.* handlers (static instances) with `runner`.
void RegisterPrivateConnectJobs(jobs::JobRunner& runner);

}  // namespace connectplane::service
