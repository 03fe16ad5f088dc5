// Zenlayer SDN domain rules: the private connect state machine (ports are
// PortService's, port_service.h) (docs/reference/zenlayer-sdn-api.md section 3.4):
//
//   Create ----------> CREATING   --job--> RUNNING      (job fails: row removed)
//   RUNNING  --bandwidth--> UPDATING   --job--> RUNNING (new bandwidth)
//   RUNNING  --delete-----> DELETING   --job--> RECYCLED (recycled_at set)
//   RECYCLED --renew------> RECOVERING --job--> RUNNING
//   RECYCLED --destroy----> DESTROYING --job--> gone (row hard-deleted)
//
// Every other (status, operation) pair is refused with PRIVATE_CONNECT_STATUS.
// Each mutation writes the row change (compare-and-swap on its version) and its
// job row in one transaction, so an acknowledged request is durable and no two
// jobs run for one connect. Every lookup is scoped by the caller's account
// (Caller::tenant_id): another account's ids behave exactly like unknown ids.
// Describe counts a read of every connect it shows in a transitional status,
// for jobs timed "after N reads". Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "service/job_queue.h"
#include "service/job_types.h"
#include "service/resource_tags.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Private connect statuses (Zenlayer's own strings, as Terraform knows them).
inline constexpr std::string_view kPrivateConnectCreating = "CREATING";
inline constexpr std::string_view kPrivateConnectRunning = "RUNNING";
inline constexpr std::string_view kPrivateConnectUpdating = "UPDATING";
inline constexpr std::string_view kPrivateConnectDeleting = "DELETING";
inline constexpr std::string_view kPrivateConnectRecycled = "RECYCLED";
inline constexpr std::string_view kPrivateConnectRecovering = "RECOVERING";
inline constexpr std::string_view kPrivateConnectDestroying = "DESTROYING";

// A port accepts new private connects only in this status. [unconfirmed: the
// PortStatus enum is not in any stored source; "RUNNING" is our choice.]
inline constexpr std::string_view kPortRunning = "RUNNING";

// Domain error reasons (common::ReasonOf) the dialect maps to wire codes.
inline constexpr std::string_view kReasonPrivateConnectNotFound = "PRIVATE_CONNECT_NOT_FOUND";
inline constexpr std::string_view kReasonPrivateConnectStatus = "PRIVATE_CONNECT_STATUS";
inline constexpr std::string_view kReasonPortNotFound = "PORT_NOT_FOUND";
inline constexpr std::string_view kReasonPortStatus = "PORT_STATUS";
inline constexpr std::string_view kReasonEndpointParameter = "ENDPOINT_PARAMETER";
inline constexpr std::string_view kReasonEndpointConflict = "ENDPOINT_CONFLICT";
inline constexpr std::string_view kReasonBandwidthOutOfRange = "BANDWIDTH_OUT_OF_RANGE";
inline constexpr std::string_view kReasonVlanInUse = "VLAN_IN_USE";
inline constexpr std::string_view kReasonPcInvalidParameter = "PC_INVALID_PARAMETER";

// Limits (fact sheet section 3.6).
inline constexpr int64_t kMinBandwidthMbps = 1;
inline constexpr int64_t kMaxBandwidthMbps = 500;
inline constexpr int64_t kDefaultBandwidthMbps = 1;
inline constexpr int64_t kMinVlanId = 1;
inline constexpr int64_t kMaxVlanId = 4096;
inline constexpr size_t kMaxNameLength = 255;
inline constexpr size_t kMaxIdsPerRequest = 100;
inline constexpr int64_t kDefaultPageSize = 20;
inline constexpr int64_t kMaxPageSize = 1000;

struct PortEndpointRequest {
  std::string port_id;
  int64_t vlan_id = 0;
  std::optional<std::string> dc_id;          // when given, must be the port's data center
  std::optional<std::string> endpoint_name;  // default: the port's name
};

struct CreatePrivateConnectRequest {
  std::optional<std::string> name;  // default "private-connect-<yyyyMMddHHmmss>"
  PortEndpointRequest endpoint_a;
  PortEndpointRequest endpoint_z;
  std::optional<int64_t> bandwidth_mbps;  // default 1
  std::vector<ResourceTag> tags;          // API version 2026-04-01 only
};

struct PrivateConnectQuery {
  std::vector<std::string> ids;             // empty = any; at most 100
  std::optional<std::string> name;          // substring match
  std::optional<std::string> status;        // exact privateConnectStatus
  std::optional<std::string> connectivity;  // ACTIVE (= RUNNING) or DOWN (anything else)
  std::vector<std::string> endpoint_types;  // empty = any; only PORT endpoints exist here
  ResourceFilter resource_filter;           // tags and resource group (2026-04-01)
  int64_t page_num = 1;
  int64_t page_size = kDefaultPageSize;
};

// A private connect with the ports its endpoints sit on (nullopt if a port row
// is missing), so the dialect can render data-center details.
struct PrivateConnectDetails {
  store::PrivateConnect connect;
  std::optional<store::ZenlayerPort> port_a;
  std::optional<store::ZenlayerPort> port_z;
};

class PrivateConnectService {
 public:
  // Jobs go through `jobs`; both must outlive the service.
  PrivateConnectService(store::Store& store, const common::Clock& clock, JobQueue& jobs);

  // Validates, then inserts a CREATING connect and its create job; returns the
  // new id. Errors (nothing written): InvalidArgument BANDWIDTH_OUT_OF_RANGE,
  // PC_INVALID_PARAMETER (VLAN outside 1..4096, name length, tags), ENDPOINT_PARAMETER
  // (dcId not the port's), ENDPOINT_CONFLICT (A and Z on one port), PORT_STATUS
  // (port not RUNNING), VLAN_IN_USE; NotFound PORT_NOT_FOUND (unknown port or
  // another account's); store errors.
  absl::StatusOr<std::string> CreatePrivateConnect(const Caller& caller,
                                                   const CreatePrivateConnectRequest& request);

  // Filtered then paged, newest first; unknown ids simply match nothing.
  // Errors: InvalidArgument PC_INVALID_PARAMETER (page bounds, > 100 ids); store errors.
  absl::StatusOr<store::Page<PrivateConnectDetails>> DescribePrivateConnects(
      const Caller& caller, const PrivateConnectQuery& query);

  // Renames every listed connect, all or nothing. Errors: InvalidArgument
  // PC_INVALID_PARAMETER (no ids, > 100 ids, name length); NotFound
  // PRIVATE_CONNECT_NOT_FOUND (any id unknown); FailedPrecondition
  // PRIVATE_CONNECT_STATUS (any connect not RUNNING); store errors.
  absl::Status ModifyPrivateConnectsAttribute(const Caller& caller,
                                              const std::vector<std::string>& ids,
                                              std::string_view name);

  // RUNNING -> UPDATING + job applying `bandwidth_mbps`. Errors: InvalidArgument
  // BANDWIDTH_OUT_OF_RANGE; NotFound PRIVATE_CONNECT_NOT_FOUND; FailedPrecondition
  // PRIVATE_CONNECT_STATUS; store errors. Nothing written on error.
  absl::Status ModifyPrivateConnectBandwidth(const Caller& caller, std::string_view id,
                                             int64_t bandwidth_mbps);

  // RUNNING -> DELETING + job (-> RECYCLED). Errors as ModifyPrivateConnectBandwidth,
  // except that a connect already DELETING, RECYCLED or DESTROYING answers
  // NotFound PRIVATE_CONNECT_NOT_FOUND (nothing written), so a re-run delete
  // is tolerated as Terraform tolerates a deleted connect.
  absl::Status DeletePrivateConnect(const Caller& caller, std::string_view id);
  // RECYCLED -> RECOVERING + job (-> RUNNING). Errors as above.
  absl::Status RenewPrivateConnect(const Caller& caller, std::string_view id);
  // RECYCLED -> DESTROYING + job (-> row removed). Errors as above; a second
  // Destroy while DESTROYING gets PRIVATE_CONNECT_STATUS, after the job
  // PRIVATE_CONNECT_NOT_FOUND. Concurrent calls: exactly one succeeds.
  absl::Status DestroyPrivateConnect(const Caller& caller, std::string_view id);

 private:
  // Moves connect `id` from `required_status` to `transitional_status` and
  // enqueues `job_type` with `params_json`, in one write transaction (errors as
  // DeletePrivateConnect).
  absl::Status StartTransition(const Caller& caller, std::string_view id,
                               std::string_view required_status,
                               std::string_view transitional_status, std::string_view job_type,
                               std::string_view job_name, std::string params_json);

  store::Store& store_;
  const common::Clock& clock_;
  JobQueue& jobs_;
};

}  // namespace connectplane::service
