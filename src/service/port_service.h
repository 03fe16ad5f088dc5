// Zenlayer SDN ports and the data center catalog. A port's lifecycle
// (docs/reference/zenlayer-sdn-api.md section 3.5a); every change of status
// but ModifyPortAttribute is a durable job, so timing modes and job faults
// apply to each:
//
//   CreatePort ---------> CREATING   --zenlayer.create_port-->    RUNNING   (fails: row removed)
//   RUNNING  --terminate-> DELETING   --zenlayer.terminate_port->  RECYCLED  (fails: RUNNING)
//   RECYCLED --renew-----> RECOVERING --zenlayer.renew_port-->     RUNNING   (fails: RECYCLED)
//   RECYCLED --destroy---> DESTROYING --zenlayer.destroy_port-->   gone      (fails: RECYCLED)
//
// The transitional names are the Terraform provider's "operating" statuses
// (TF-EXT), the ones it polls through. Terminate is refused while a private
// connect has an endpoint on the port (PORT_IN_USE). A Terminate on a port
// already past Terminate (DELETING, RECYCLED, DESTROYING) answers
// PORT_RECYCLED, the code Terraform treats as "already terminated", so a
// resumed `terraform destroy` goes on to poll; every other (status,
// operation) pair is refused with PORT_STATUS. Every lookup is scoped by the
// caller's account: another account's ports behave exactly like unknown ones.
// Every change is a compare-and-swap on the port's version in one write
// transaction with its audit entry (and job). Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/caller.h"
#include "service/job_queue.h"
#include "service/private_connect_service.h"
#include "service/resource_tags.h"
#include "service/sdn_offerings.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Port statuses: Zenlayer's SDN strings (TF-EXT), as the docs' examples and
// the Terraform provider's port resource use them.
inline constexpr std::string_view kPortCreating = "CREATING";
inline constexpr std::string_view kPortRecycled = "RECYCLED";
inline constexpr std::string_view kPortDeleting = "DELETING";
inline constexpr std::string_view kPortRecovering = "RECOVERING";
inline constexpr std::string_view kPortDestroying = "DESTROYING";
// (kPortRunning, the status that accepts private connects, is in
// private_connect_service.h.)

// Domain error reasons (common::ReasonOf) the dialect maps to wire codes.
inline constexpr std::string_view kReasonPortRecycled = "PORT_RECYCLED";
inline constexpr std::string_view kReasonPortInUse = "PORT_IN_USE";
inline constexpr std::string_view kReasonPortInvalidParameter = "PORT_INVALID_PARAMETER";

// Limits (DOC-PORT createport / describeports).
inline constexpr size_t kMaxPortNameLength = 255;
inline constexpr size_t kMaxPortRemarksLength = 255;
inline constexpr size_t kMaxCityNameLength = 64;

struct CreatePortRequest {
  std::string dc_id;
  std::string port_name;
  std::optional<std::string> port_remarks;
  std::string port_type;
  std::string business_entity_name;
  std::vector<ResourceTag> tags;  // API version 2026-04-01 only
};

struct PortQuery {
  std::vector<std::string> port_ids;  // empty = any; at most 100
  std::optional<std::string> dc_id;   // exact
  // Fuzzy (substring) and case-insensitive, as DOC-PORT describeports says.
  std::optional<std::string> port_name;
  std::optional<std::string> port_remarks;
  std::optional<std::string> city_name;
  ResourceFilter resource_filter;  // tags and resource group (2026-04-01)
  int64_t page_num = 1;
  int64_t page_size = kDefaultPageSize;
};

struct ModifyPortRequest {
  std::string port_id;
  std::optional<std::string> port_name;
  std::optional<std::string> port_remarks;
  std::optional<std::string> business_entity_name;
};

struct DatacenterQuery {
  std::vector<std::string> dc_ids;     // empty = any
  std::optional<bool> port_available;  // absent = any
};

// The DatacenterInfo object of a catalog entry (dcId, dcName, dcAddress,
// cityName, countryName, areaName, then its attributes: latitude, longitude
// ...), without isPortAvailable (DescribeDatacenters adds it). It is what a
// port's dataCenter answer shows when its dcId is in the catalog.
boost::json::object DatacenterInfoOf(const store::ZenlayerDatacenter& datacenter);

class PortService {
 public:
  // Jobs go through `jobs`; all must outlive the service.
  PortService(store::Store& store, const common::Clock& clock, JobQueue& jobs);

  // Validates, then inserts a CREATING port (dataCenter from the catalog,
  // POSTPAID, LOA not uploaded) and its create job; returns the new id.
  // Errors (nothing written): InvalidArgument PORT_INVALID_PARAMETER (name or
  // remarks length, unknown portType); NotFound DATACENTER_NOT_FOUND (dcId not
  // in the catalog, or not accepting ports); store errors.
  absl::StatusOr<std::string> CreatePort(const Caller& caller, const CreatePortRequest& request);

  // The account's ports, filtered then paged by port_id; each port of the page
  // in a transitional status counts as one read of its job (timing "after N
  // reads"). Errors:
  // InvalidArgument PORT_INVALID_PARAMETER (page bounds, > 100 ids, filter
  // lengths); store errors.
  absl::StatusOr<store::Page<store::ZenlayerPort>> DescribePorts(const Caller& caller,
                                                                 const PortQuery& query);

  // Changes the given attributes. Errors: InvalidArgument PORT_INVALID_PARAMETER
  // (lengths); NotFound PORT_NOT_FOUND; FailedPrecondition PORT_STATUS (not
  // RUNNING), PORT_RECYCLED (in the recycle bin); store errors.
  absl::Status ModifyPortAttribute(const Caller& caller, const ModifyPortRequest& request);

  // RUNNING -> DELETING and a zenlayer.terminate_port job (-> RECYCLED).
  // Errors (nothing written): NotFound PORT_NOT_FOUND; FailedPrecondition
  // PORT_RECYCLED (DELETING, RECYCLED or DESTROYING: already terminated),
  // PORT_STATUS (CREATING, RECOVERING), PORT_IN_USE (a private connect has an
  // endpoint on it); store errors.
  absl::Status TerminatePort(const Caller& caller, std::string_view port_id);
  // RECYCLED -> RECOVERING and a zenlayer.renew_port job (-> RUNNING). Errors
  // (nothing written): NotFound PORT_NOT_FOUND; FailedPrecondition PORT_STATUS
  // (not RECYCLED); store errors.
  absl::Status RenewPort(const Caller& caller, std::string_view port_id);
  // RECYCLED -> DESTROYING and a zenlayer.destroy_port job that removes the
  // row (later calls: PORT_NOT_FOUND). Errors as RenewPort.
  absl::Status DestroyPort(const Caller& caller, std::string_view port_id);

  // The catalog, ordered by dcId, filtered. Errors: InvalidArgument
  // PORT_INVALID_PARAMETER (> 100 ids); store errors.
  absl::StatusOr<std::vector<store::ZenlayerDatacenter>> DescribeDatacenters(
      const Caller& caller, const DatacenterQuery& query);

 private:
  // Moves the tenant's port from `required_status` to `transitional_status`
  // and queues `job_type`, in one write transaction. With `refuse_in_use`, a
  // port a private connect uses is refused (PORT_IN_USE). Errors: as
  // TerminatePort / RenewPort.
  absl::Status StartTransition(const Caller& caller, std::string_view port_id,
                               std::string_view required_status,
                               std::string_view transitional_status, std::string_view job_type,
                               std::string_view job_name, bool refuse_in_use);

  store::Store& store_;
  const common::Clock& clock_;
  JobQueue& jobs_;
};

}  // namespace connectplane::service
