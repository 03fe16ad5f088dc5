#include "service/private_connect_jobs.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/private_connect_service.h"

#include "boost/json.hpp"
#include <optional>
#include <string>

namespace connectplane::service {

absl::Status PrivateConnectTransitionJob::Complete(store::StoreTransaction& txn,
                                                   const store::Job& job, absl::Time now) {
  return MoveTo(txn, job, now, final_status_, /*apply_params=*/true, /*strict=*/true);
}

absl::Status PrivateConnectTransitionJob::OnFailed(store::StoreTransaction& txn,
                                                   const store::Job& job, absl::Time now) {
  return MoveTo(txn, job, now, failed_status_, /*apply_params=*/false, /*strict=*/false);
}

absl::Status PrivateConnectTransitionJob::MoveTo(store::StoreTransaction& txn,
                                                 const store::Job& job, absl::Time now,
                                                 std::string_view target_status, bool apply_params,
                                                 bool strict) {
  ASSIGN_OR_RETURN(std::optional<store::PrivateConnect> connect,
                   txn.GetPrivateConnect(job.tenant_id, job.resource_id));
  if (!connect || connect->status != transitional_status_) {
    if (!strict) {
      return absl::OkStatus();  // someone else already moved it; nothing to undo
    }
    if (!connect) {
      return absl::NotFoundError(
          common::StrCat("private connect ", job.resource_id, " no longer exists"));
    }
    return absl::FailedPreconditionError(common::StrCat("private connect ", job.resource_id, " is ",
                                                        connect->status, ", expected ",
                                                        transitional_status_));
  }
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(
      txn, kAuditPrivateConnect, job.resource_id, job.job_type, connect->status, target_status));
  if (target_status.empty()) {
    return txn.DeletePrivateConnect(connect->account_id, connect->private_connect_id,
                                    connect->version);
  }
  const int64_t now_ms = common::ToUnixMillis(now);
  if (apply_params && job.job_type == kJobModifyPrivateConnectBandwidth) {
    ASSIGN_OR_RETURN(boost::json::object params, common::ParseJsonObject(job.params_json));
    ASSIGN_OR_RETURN(std::optional<int64_t> bandwidth,
                     common::GetOptionalInt(params, "bandwidthMbps"));
    if (!bandwidth) {
      return absl::InvalidArgumentError("bandwidth job without bandwidthMbps");
    }
    connect->bandwidth_mbps = *bandwidth;
  }
  connect->status = std::string(target_status);
  connect->recycled_at_ms = target_status == kPrivateConnectRecycled ? now_ms : 0;
  connect->updated_at_ms = now_ms;
  return txn.UpdatePrivateConnect(*connect);
}

void RegisterPrivateConnectJobs(jobs::JobRunner& runner) {
  // Stateless handlers: function-local statics that are never destroyed.
  static auto* const create_job = new PrivateConnectTransitionJob(
      kPrivateConnectCreating, kPrivateConnectRunning, /*failed: record disappears*/ "");
  static auto* const bandwidth_job = new PrivateConnectTransitionJob(
      kPrivateConnectUpdating, kPrivateConnectRunning, kPrivateConnectRunning);
  static auto* const delete_job = new PrivateConnectTransitionJob(
      kPrivateConnectDeleting, kPrivateConnectRecycled, kPrivateConnectRunning);
  static auto* const renew_job = new PrivateConnectTransitionJob(
      kPrivateConnectRecovering, kPrivateConnectRunning, kPrivateConnectRecycled);
  static auto* const destroy_job = new PrivateConnectTransitionJob(
      kPrivateConnectDestroying, /*final: row removed*/ "", kPrivateConnectRecycled);
  runner.RegisterHandler(std::string(kJobCreatePrivateConnect), create_job);
  runner.RegisterHandler(std::string(kJobModifyPrivateConnectBandwidth), bandwidth_job);
  runner.RegisterHandler(std::string(kJobDeletePrivateConnect), delete_job);
  runner.RegisterHandler(std::string(kJobRenewPrivateConnect), renew_job);
  runner.RegisterHandler(std::string(kJobDestroyPrivateConnect), destroy_job);
}

}  // namespace connectplane::service
