// DMS for Kafka domain rules: instances and their Smart Connect state machine.
//
//   RUNNING (connector off) --enable--> EXTENDING --job done--> RUNNING (connector on)
//   RUNNING (connector on) --disable--> CONNECTOR_DELETING --job done--> RUNNING (off)
//   a failed job puts the instance back to RUNNING with the connector as before.
//
// Every mutation writes the instance change and its job row in one transaction
// (compare-and-swap on the instance version), so an acknowledged request is
// durable and no two jobs can run for one instance. Safe for concurrent use.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "service/caller.h"
#include "service/job_timings.h"
#include "store/store.h"

namespace connectplane::service {

// Instance statuses the state machine uses (DMS's own strings).
inline constexpr std::string_view kStatusRunning = "RUNNING";
inline constexpr std::string_view kStatusExtending = "EXTENDING";
inline constexpr std::string_view kStatusConnectorDeleting = "CONNECTOR_DELETING";

// Domain error reasons (common::ReasonOf) the dialects map to cloud codes.
inline constexpr std::string_view kReasonInstanceNotFound = "INSTANCE_NOT_FOUND";
inline constexpr std::string_view kReasonInvalidInstanceId = "INVALID_INSTANCE_ID";
inline constexpr std::string_view kReasonInstanceBusy = "INSTANCE_BUSY";
inline constexpr std::string_view kReasonConnectorAlreadyEnabled = "CONNECTOR_ALREADY_ENABLED";
inline constexpr std::string_view kReasonConnectorNotEnabled = "CONNECTOR_NOT_ENABLED";
inline constexpr std::string_view kReasonInvalidNodeCount = "INVALID_NODE_CNT";
inline constexpr std::string_view kReasonInvalidSpecification = "INVALID_SPECIFICATION";
inline constexpr std::string_view kReasonInvalidSpecCode = "INVALID_SPEC_CODE";
inline constexpr std::string_view kReasonTaskNotFound = "TASK_NOT_FOUND";

inline constexpr int32_t kMinConnectorNodes = 2;
inline constexpr int32_t kMaxConnectorNodes = 16;
inline constexpr int32_t kDefaultConnectorNodes = 2;

struct EnableSmartConnectRequest {
  std::optional<std::string> specification;  // 100MB | 300MB | 600MB | 1200MB
  std::optional<int64_t> node_cnt;           // [2, 16], default 2
  std::optional<std::string> spec_code;      // e.g. connector.4u8g.cluster
};

struct EnableSmartConnectResult {
  std::string job_id;
  std::string connector_id;
};

class KafkaService {
 public:
  // `on_job_enqueued` is called after a commit that added a job (wakes the runner).
  KafkaService(store::Store& store, const common::Clock& clock, const JobTimings& timings,
               std::function<void()> on_job_enqueued);

  // Errors: InvalidArgument INVALID_INSTANCE_ID, NotFound INSTANCE_NOT_FOUND
  // (also for another tenant's instance: existence never leaks), store errors.
  absl::StatusOr<store::KafkaInstance> GetInstance(const Caller& caller,
                                                   std::string_view instance_id);

  absl::StatusOr<store::Page<store::KafkaInstance>> ListInstances(
      const Caller& caller, const store::KafkaInstanceFilter& filter,
      const store::PageRequest& page);

  // Starts enabling Smart Connect. Errors: InvalidArgument (INVALID_NODE_CNT,
  // INVALID_SPECIFICATION, INVALID_SPEC_CODE, INVALID_INSTANCE_ID), NotFound
  // INSTANCE_NOT_FOUND, FailedPrecondition INSTANCE_BUSY (not RUNNING) or
  // CONNECTOR_ALREADY_ENABLED. On error nothing is written.
  absl::StatusOr<EnableSmartConnectResult> EnableSmartConnect(
      const Caller& caller, std::string_view instance_id, const EnableSmartConnectRequest& request);

  // Starts disabling Smart Connect; returns the job id. Errors as above, with
  // CONNECTOR_NOT_ENABLED instead of already-enabled.
  absl::StatusOr<std::string> DisableSmartConnect(const Caller& caller,
                                                  std::string_view instance_id);

  // Jobs ("background tasks") of one instance, newest first. Errors: as GetInstance.
  absl::StatusOr<store::Page<store::Job>> ListTasks(const Caller& caller,
                                                    std::string_view instance_id,
                                                    const store::JobFilter& filter,
                                                    const store::PageRequest& page);
  // Errors: as GetInstance, plus NotFound TASK_NOT_FOUND.
  absl::StatusOr<store::Job> GetTask(const Caller& caller, std::string_view instance_id,
                                     std::string_view task_id);

  // True when `id` has the canonical 8-4-4-4-12 hex UUID shape DMS requires.
  static bool IsWellFormedId(std::string_view id);

 private:
  // Counts a client read for "after N reads" job timing.
  absl::Status CountRead(const Caller& caller, std::string_view instance_id);
  absl::Status LoadInstance(store::StoreTransaction& txn, const Caller& caller,
                            std::string_view instance_id, store::KafkaInstance& instance);

  store::Store& store_;
  const common::Clock& clock_;
  const JobTimings& timings_;
  std::function<void()> on_job_enqueued_;
};

}  // namespace connectplane::service
