#include "service/port_jobs.h"

#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/job_types.h"
#include "service/port_service.h"

#include <optional>
#include <string>

namespace connectplane::service {
namespace {

class CreatePortJob final : public jobs::JobHandler {
 public:
  // Errors: NotFound when the port is gone, FailedPrecondition when it is no
  // longer CREATING (both permanent: the job is FAILED); Aborted on a lost
  // compare-and-swap (retried); store errors.
  absl::Status Complete(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> port,
                     txn.GetZenlayerPort(job.tenant_id, job.resource_id));
    if (!port) {
      return absl::NotFoundError(common::StrCat("port ", job.resource_id, " no longer exists"));
    }
    if (port->port_status != kPortCreating) {
      return absl::FailedPreconditionError(common::StrCat(
          "port ", job.resource_id, " is ", port->port_status, ", expected ", kPortCreating));
    }
    RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(txn, store::kAuditZenlayerPort,
                                                           job.resource_id, job.job_type,
                                                           port->port_status, kPortRunning));
    port->port_status = std::string(kPortRunning);
    port->updated_at_ms = common::ToUnixMillis(now);
    return txn.UpdateZenlayerPort(*port);
  }

  // Removes the port while it is still CREATING; a no-op otherwise.
  absl::Status OnFailed(store::StoreTransaction& txn, const store::Job& job,
                        absl::Time now) override {
    ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> port,
                     txn.GetZenlayerPort(job.tenant_id, job.resource_id));
    if (!port || port->port_status != kPortCreating) {
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
        txn, store::kAuditZenlayerPort, job.resource_id, job.job_type, port->port_status, ""));
    return txn.DeleteZenlayerPort(port->account_id, port->port_id, port->version);
  }
};

}  // namespace

void RegisterPortJobs(jobs::JobRunner& runner) {
  // Stateless handler: a function-local static that is never destroyed.
  static auto* const create_job = new CreatePortJob();
  runner.RegisterHandler(std::string(kJobCreatePort), create_job);
}

}  // namespace connectplane::service
