#include "service/audit_recorder.h"

#include "common/clock.h"

#include <utility>

namespace connectplane::service {

AuditRecorder::AuditRecorder(std::string tenant, std::string actor, std::string request_id,
                             std::string job_id, absl::Time now)
    : tenant_(std::move(tenant)),
      actor_(std::move(actor)),
      request_id_(std::move(request_id)),
      job_id_(std::move(job_id)),
      at_ms_(common::ToUnixMillis(now)) {}

AuditRecorder AuditRecorder::ForCaller(const Caller& caller, absl::Time now) {
  return AuditRecorder(caller.tenant_id,
                       caller.access_key_id.empty() ? caller.user_name : caller.access_key_id,
                       caller.request_id, "", now);
}

AuditRecorder AuditRecorder::ForJob(const store::Job& job, absl::Time now) {
  return AuditRecorder(job.tenant_id, std::string(store::kActorJobRunner), "", job.job_id, now);
}

AuditRecorder AuditRecorder::ForAdmin(std::string tenant, absl::Time now) {
  return AuditRecorder(std::move(tenant), std::string(store::kActorAdmin), "", "", now);
}

absl::Status AuditRecorder::Record(store::StoreTransaction& txn, std::string_view resource_type,
                                   std::string_view resource_id, std::string_view action,
                                   std::string_view from_status, std::string_view to_status,
                                   std::string_view job_id) const {
  store::AuditEntry entry;
  entry.at_ms = at_ms_;
  entry.tenant = tenant_;
  entry.actor = actor_;
  entry.resource_type = std::string(resource_type);
  entry.resource_id = std::string(resource_id);
  entry.action = std::string(action);
  entry.from_status = std::string(from_status);
  entry.to_status = std::string(to_status);
  entry.job_id = job_id.empty() ? job_id_ : std::string(job_id);
  entry.request_id = request_id_;
  return txn.AppendAudit(entry);
}

absl::Status AuditRecorder::RecordJobCreated(store::StoreTransaction& txn,
                                             const store::Job& job) const {
  return Record(txn, store::kAuditJob, job.job_id, job.job_type, "",
                store::JobStatusName(job.status), job.job_id);
}

}  // namespace connectplane::service
