// Writes audit-trail entries (store::AuditEntry) for resource state
// transitions. Build one per change with the actor that makes it, then call
// Record() inside the SAME write transaction as the change, so the trail holds
// an entry iff the change committed:
//
//   AuditRecorder audit = AuditRecorder::ForCaller(caller, now);     // API request
//   AuditRecorder audit = AuditRecorder::ForJob(job, now);           // job handler
//   RETURN_IF_ERROR(audit.Record(txn, store::kAuditKafkaInstance, id, "CreateConnector",
//                                "RUNNING", "EXTENDING", job_id));
//   RETURN_IF_ERROR(audit.RecordJobCreated(txn, job));  // after txn.InsertJob(job),
//                                                        // which JobQueue::Submit does
//
// Plain value; safe to copy. Record's errors are the store's.
#pragma once

#include "service/caller.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include <string>
#include <string_view>

namespace connectplane::service {

class AuditRecorder {
 public:
  // A change requested by an authenticated API caller: actor = its access key
  // id, tenant = its project/account, request id from the caller.
  static AuditRecorder ForCaller(const Caller& caller, absl::Time now);
  // A change the job runner makes while completing or failing `job`: actor
  // "job-runner", tenant = the job's, job id = the job's.
  static AuditRecorder ForJob(const store::Job& job, absl::Time now);
  // A change made through the admin API (reset, seed): actor "admin".
  static AuditRecorder ForAdmin(std::string tenant, absl::Time now);

  // Appends one entry. `job_id` defaults to the recorder's (ForJob).
  absl::Status Record(store::StoreTransaction& txn, std::string_view resource_type,
                      std::string_view resource_id, std::string_view action,
                      std::string_view from_status, std::string_view to_status,
                      std::string_view job_id = {}) const;
  // The job row `job` was just inserted: "" -> PENDING, action = job.job_type.
  absl::Status RecordJobCreated(store::StoreTransaction& txn, const store::Job& job) const;

 private:
  AuditRecorder(std::string tenant, std::string actor, std::string request_id, std::string job_id,
                absl::Time now);

  std::string tenant_;
  std::string actor_;
  std::string request_id_;
  std::string job_id_;
  int64_t at_ms_;
};

}  // namespace connectplane::service
