#include "service/private_connect_jobs.h"

#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/job_params.h"
#include "service/private_connect_service.h"

#include <optional>
#include <string>
#include <string_view>

namespace connectplane::service {
namespace {

// What a job changes on the connect besides its status (Complete only).
using ApplyFn = absl::Status (*)(const store::Job& job, store::PrivateConnect& connect);

// ModifyPrivateConnectBandwidth: the new bandwidth from the job's params.
absl::Status ApplyBandwidth(const store::Job& job, store::PrivateConnect& connect) {
  ASSIGN_OR_RETURN(internal::JobParams params, internal::JobParams::Parse(job));
  ASSIGN_OR_RETURN(
      connect.bandwidth_mbps,
      params.reader().RequiredInt("bandwidthMbps", kMinBandwidthMbps, kMaxBandwidthMbps));
  return absl::OkStatus();
}

// One transition: the connect must be in `transitional_status`; Complete()
// moves it to `final_status` (or deletes the row when `final_status` is empty),
// OnFailed() moves it to `failed_status` (or deletes it when empty). Complete()
// also runs `apply` when given. Entering RECYCLED sets recycled_at; leaving it
// clears it.
class PrivateConnectTransitionJob final : public jobs::JobHandler {
 public:
  PrivateConnectTransitionJob(std::string_view transitional_status, std::string_view final_status,
                              std::string_view failed_status, ApplyFn apply = nullptr)
      : transitional_status_(transitional_status),
        final_status_(final_status),
        failed_status_(failed_status),
        apply_(apply) {}

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
                      std::string_view target_status, ApplyFn apply, bool strict);

  const std::string_view transitional_status_;
  const std::string_view final_status_;
  const std::string_view failed_status_;
  const ApplyFn apply_;
};

absl::Status PrivateConnectTransitionJob::Complete(store::StoreTransaction& txn,
                                                   const store::Job& job, absl::Time now) {
  return MoveTo(txn, job, now, final_status_, apply_, /*strict=*/true);
}

absl::Status PrivateConnectTransitionJob::OnFailed(store::StoreTransaction& txn,
                                                   const store::Job& job, absl::Time now) {
  return MoveTo(txn, job, now, failed_status_, /*apply=*/nullptr, /*strict=*/false);
}

absl::Status PrivateConnectTransitionJob::MoveTo(store::StoreTransaction& txn,
                                                 const store::Job& job, absl::Time now,
                                                 std::string_view target_status, ApplyFn apply,
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
  RETURN_IF_ERROR(AuditRecorder::ForJob(job, now).Record(txn, store::kAuditPrivateConnect,
                                                         job.resource_id, job.job_type,
                                                         connect->status, target_status));
  if (target_status.empty()) {
    return txn.DeletePrivateConnect(connect->account_id, connect->private_connect_id,
                                    connect->version);
  }
  const int64_t now_ms = common::ToUnixMillis(now);
  if (apply != nullptr) {
    RETURN_IF_ERROR(apply(job, *connect));
  }
  connect->status = std::string(target_status);
  connect->recycled_at_ms = target_status == kPrivateConnectRecycled ? now_ms : 0;
  connect->updated_at_ms = now_ms;
  return txn.UpdatePrivateConnect(*connect);
}

}  // namespace

void RegisterPrivateConnectJobs(jobs::JobRunner& runner) {
  // Stateless handlers: function-local statics that are never destroyed.
  static auto* const create_job = new PrivateConnectTransitionJob(
      kPrivateConnectCreating, kPrivateConnectRunning, /*failed: record disappears*/ "");
  static auto* const bandwidth_job = new PrivateConnectTransitionJob(
      kPrivateConnectUpdating, kPrivateConnectRunning, kPrivateConnectRunning, &ApplyBandwidth);
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
