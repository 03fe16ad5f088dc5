#include "service/port_jobs.h"

#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/job_types.h"
#include "service/port_service.h"

#include <optional>
#include <string>
#include <string_view>

namespace connectplane::service {
namespace {

// One transition: the port must be in `transitional_status`; Complete() moves
// it to `final_status` (or deletes the row when `final_status` is empty),
// OnFailed() moves it to `failed_status` (or deletes it when empty). Entering
// RECYCLED sets recycled_at unless it is set already (a failed renew or
// destroy leaves the port in the bin since the time it went in); entering
// RUNNING clears it.
class PortTransitionJob final : public jobs::JobHandler {
 public:
  PortTransitionJob(std::string_view transitional_status, std::string_view final_status,
                    std::string_view failed_status)
      : transitional_status_(transitional_status),
        final_status_(final_status),
        failed_status_(failed_status) {}

  // Errors: NotFound when the port is gone, FailedPrecondition when it is no
  // longer in the transitional status (both permanent: the job is FAILED);
  // Aborted on a lost compare-and-swap (retried); store errors.
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    return MoveTo(txn, job, now, final_status_, /*strict=*/true);
  }
  // Leaves the port in `failed_status` when it is still transitional; a no-op
  // otherwise.
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    return MoveTo(txn, job, now, failed_status_, /*strict=*/false);
  }

 private:
  absl::Status MoveTo(store::StoreTransaction& txn, const store::Job& job, absl::Time now,
                      std::string_view target_status, bool strict) const;

  const std::string_view transitional_status_;
  const std::string_view final_status_;
  const std::string_view failed_status_;
};

absl::Status PortTransitionJob::MoveTo(store::StoreTransaction& txn, const store::Job& job,
                                       absl::Time now, std::string_view target_status,
                                       bool strict) const {
  ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> port,
                   txn.GetZenlayerPort(job.tenant_id, job.resource_id));
  if (!port || port->port_status != transitional_status_) {
    if (!strict) {
      return absl::OkStatus();  // someone else already moved it; nothing to undo
    }
    if (!port) {
      return absl::NotFoundError(common::StrCat("port ", job.resource_id, " no longer exists"));
    }
    return absl::FailedPreconditionError(common::StrCat(
        "port ", job.resource_id, " is ", port->port_status, ", expected ", transitional_status_));
  }
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(txn, store::kAuditZenlayerPort,
                                                         job.resource_id, job.job_type,
                                                         port->port_status, target_status));
  if (target_status.empty()) {
    return txn.DeleteZenlayerPort(port->account_id, port->port_id, port->version);
  }
  const int64_t now_ms = common::ToUnixMillis(now);
  if (target_status == kPortRecycled) {
    port->recycled_at_ms = port->recycled_at_ms != 0 ? port->recycled_at_ms : now_ms;
  } else if (target_status == kPortRunning) {
    port->recycled_at_ms = 0;
  }
  port->port_status = std::string(target_status);
  port->updated_at_ms = now_ms;
  return txn.UpdateZenlayerPort(*port);
}

}  // namespace

void RegisterPortJobs(jobs::JobRunner& runner) {
  // Stateless handlers: function-local statics that are never destroyed.
  static auto* const create_job =
      new PortTransitionJob(kPortCreating, kPortRunning, /*failed: record disappears*/ "");
  static auto* const terminate_job =
      new PortTransitionJob(kPortDeleting, kPortRecycled, kPortRunning);
  static auto* const renew_job =
      new PortTransitionJob(kPortRecovering, kPortRunning, kPortRecycled);
  static auto* const destroy_job =
      new PortTransitionJob(kPortDestroying, /*final: row removed*/ "", kPortRecycled);
  runner.RegisterHandler(std::string(kJobCreatePort), create_job);
  runner.RegisterHandler(std::string(kJobTerminatePort), terminate_job);
  runner.RegisterHandler(std::string(kJobRenewPort), renew_job);
  runner.RegisterHandler(std::string(kJobDestroyPort), destroy_job);
}

}  // namespace connectplane::service
