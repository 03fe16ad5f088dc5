// Run-time emulator knobs that are not timing: injected API faults (fail the
// next N calls of an operation with a chosen HTTP status and cloud error code,
// or with a probability, optionally adding latency) and injected job failures
// (the next N jobs of a type end FAILED). In-memory and per process: faults are
// a test-time tool, not state. Safe for concurrent use.
#pragma once

#include "jobs/job_runner.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

struct ApiFaultRule {
  std::string dialect = "*";    // "dms", "zenlayer" or "*"
  std::string operation = "*";  // e.g. "CreateConnector", "DestroyPrivateConnect" or "*"
  int32_t count = -1;           // how many calls it hits; -1 = until cleared
  double probability = 1.0;     // chance per matching call
  int http_status = 0;          // 0: no error, latency only
  std::string error_code;
  std::string error_message = "Injected fault";
  absl::Duration latency = absl::ZeroDuration();
};

struct JobFaultRule {
  std::string job_type = "*";
  int32_t count = 1;
  double probability = 1.0;
  std::string error_message = "Injected job failure";
};

// The rules in force, in the order they were added, with how often each hit.
struct FaultRules {
  struct Api {
    std::string id;
    ApiFaultRule rule;
    int64_t hits = 0;
  };
  struct Job {
    std::string id;
    JobFaultRule rule;
    int64_t hits = 0;
  };
  std::vector<Api> api;
  std::vector<Job> job;
};

// What a matching API fault asks the dialect to do for one call.
struct ApiFault {
  absl::Duration latency = absl::ZeroDuration();
  int http_status = 0;  // 0: answer normally after the latency
  std::string error_code;
  std::string error_message;
};

class EmulatorControls final : public jobs::JobFaultSource {
 public:
  explicit EmulatorControls(uint64_t random_seed = std::random_device{}());

  // Both return the new rule's id. Errors: InvalidArgument for an out-of-range
  // status (400..599, or 0 with a latency), probability or count, and for a job
  // type that is neither "*" nor one of JobTypes() (UNKNOWN_JOB_TYPE, listing
  // them). API rules' dialect and operation names belong to the dialects, above
  // this module: the admin API checks them against the route tables (a rule
  // added here with other names is kept and never fires).
  absl::StatusOr<std::string> AddApiFault(ApiFaultRule rule);
  absl::StatusOr<std::string> AddJobFault(JobFaultRule rule);
  // False when no rule has that id.
  bool RemoveFault(std::string_view id);
  void ClearFaults();

  // Consumes the first matching API rule (latency-only rules combine with it).
  std::optional<ApiFault> TakeApiFault(std::string_view dialect, std::string_view operation);
  std::optional<std::string> TakeJobFault(std::string_view job_type) override;

  // A copy of the rules in force.
  FaultRules Rules() const;

 private:
  bool Roll(double probability) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  FaultRules rules_ ABSL_GUARDED_BY(mu_);
};

}  // namespace connectplane::service
