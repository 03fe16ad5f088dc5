#include "service/private_connect_service.h"

#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/paging.h"
#include "service/internal/zenlayer_ids.h"
#include "service/internal/sdn_rules.h"

#include <climits>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <utility>

namespace connectplane::service {
namespace {

absl::Status InvalidParameter(std::string_view message) {
  return common::InvalidArgument(kReasonPcInvalidParameter, message);
}

absl::Status WrongStatus(const store::PrivateConnect& connect, std::string_view needed) {
  return common::FailedPrecondition(
      kReasonPrivateConnectStatus,
      common::StrCat("The private connect `", connect.private_connect_id, "` is ", connect.status,
                     "; the operation requires ", needed, "."));
}

// The tenant's connect `id`, which must be in `required_status`.
absl::StatusOr<store::PrivateConnect> LoadConnectIn(store::StoreTransaction& txn,
                                                    std::string_view tenant_id, std::string_view id,
                                                    std::string_view required_status) {
  ASSIGN_OR_RETURN(std::optional<store::PrivateConnect> connect,
                   txn.GetPrivateConnect(tenant_id, id));
  if (!connect) {
    return internal::PrivateConnectNotFound(id);
  }
  if (connect->status != required_status) {
    return WrongStatus(*connect, required_status);
  }
  return std::move(*connect);
}

// Writes `connect` back. The compare-and-swap is what keeps a second
// concurrent request from also changing it on a backend that does not
// serialize write transactions: a lost one is reported as a status conflict.
absl::Status SaveConnect(store::StoreTransaction& txn, const store::PrivateConnect& connect) {
  absl::Status updated = txn.UpdatePrivateConnect(connect);
  if (absl::IsAborted(updated)) {
    // The store's message is for logs; the client gets ours.
    return common::FailedPrecondition(
        kReasonPrivateConnectStatus,
        common::StrCat("The private connect `", connect.private_connect_id,
                       "` was changed by another request; read it again and retry."));
  }
  if (absl::IsNotFound(updated)) {
    return internal::PrivateConnectNotFound(connect.private_connect_id);
  }
  return updated;
}

absl::Status ValidateIdCount(size_t count, std::string_view field) {
  if (count > kMaxIdsPerRequest) {
    return InvalidParameter(common::StrCat(field, " accepts at most ", kMaxIdsPerRequest, " ids."));
  }
  return absl::OkStatus();
}

absl::Status ValidateName(std::string_view name, std::string_view field) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return InvalidParameter(
        common::StrCat(field, " must be 1 to ", kMaxNameLength, " characters long."));
  }
  return absl::OkStatus();
}

// Statuses past a successful DeletePrivateConnect.
bool IsAlreadyDeleted(std::string_view status) {
  return status == kPrivateConnectDeleting || status == kPrivateConnectRecycled ||
         status == kPrivateConnectDestroying;
}

// The statuses a connect shows while a job works on it.
bool IsTransitional(std::string_view status) {
  return status == kPrivateConnectCreating || status == kPrivateConnectUpdating ||
         status == kPrivateConnectDeleting || status == kPrivateConnectRecovering ||
         status == kPrivateConnectDestroying;
}

// The ports of both endpoints, read (and, in a write transaction, locked) in
// ascending port_id order, the canonical order of store.h: two creates naming
// the same ports in opposite order (A->Z and Z->A) would otherwise each hold
// one port and wait for the other. nullopt for a port that does not exist.
struct EndpointPorts {
  std::optional<store::ZenlayerPort> a;
  std::optional<store::ZenlayerPort> z;
};
absl::StatusOr<EndpointPorts> LockEndpointPorts(store::StoreTransaction& txn, const Caller& caller,
                                                const CreatePrivateConnectRequest& request) {
  const bool a_first = request.endpoint_a.port_id <= request.endpoint_z.port_id;
  const PortEndpointRequest& first = a_first ? request.endpoint_a : request.endpoint_z;
  const PortEndpointRequest& second = a_first ? request.endpoint_z : request.endpoint_a;
  ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> first_port,
                   txn.GetZenlayerPort(caller.tenant_id, first.port_id));
  ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> second_port,
                   txn.GetZenlayerPort(caller.tenant_id, second.port_id));
  if (a_first) {
    return EndpointPorts{std::move(first_port), std::move(second_port)};
  }
  return EndpointPorts{std::move(second_port), std::move(first_port)};
}

// Checks one endpoint against its port (already read by LockEndpointPorts)
// inside `txn`: the port exists, is in the data center asked for and RUNNING,
// and the VLAN is free on it.
absl::StatusOr<store::ZenlayerPort> CheckEndpointPort(store::StoreTransaction& txn,
                                                      const Caller& caller,
                                                      const PortEndpointRequest& endpoint,
                                                      std::optional<store::ZenlayerPort> port,
                                                      std::string_view side) {
  if (!port) {
    return internal::PortNotFound(endpoint.port_id);
  }
  if (endpoint.dc_id && *endpoint.dc_id != port->dc_id) {
    return common::InvalidArgument(
        kReasonEndpointParameter,
        common::StrCat(side, ".dcId `", common::QuoteUntrusted(*endpoint.dc_id),
                       "` is not the data center of port `", port->port_id, "`."));
  }
  if (port->port_status != kPortRunning) {
    return common::InvalidArgument(
        kReasonPortStatus, common::StrCat("The port `", port->port_id, "` is ", port->port_status,
                                          " and cannot be used."));
  }
  ASSIGN_OR_RETURN(
      std::optional<store::PrivateConnect> user,
      txn.FindPrivateConnectByPortVlan(caller.tenant_id, endpoint.port_id, endpoint.vlan_id));
  if (user) {
    return common::InvalidArgument(
        kReasonVlanInUse,
        common::StrCat("VLAN ", endpoint.vlan_id, " on port `",
                       common::QuoteUntrusted(endpoint.port_id),
                       "` is already used by private connect `", user->private_connect_id, "`."));
  }
  return std::move(*port);
}

}  // namespace

PrivateConnectService::PrivateConnectService(store::Store& store, const common::Clock& clock,
                                             JobQueue& jobs)
    : store_(store), clock_(clock), jobs_(jobs) {}

absl::StatusOr<std::string> PrivateConnectService::CreatePrivateConnect(
    const Caller& caller, const CreatePrivateConnectRequest& request) {
  const int64_t bandwidth = request.bandwidth_mbps.value_or(kDefaultBandwidthMbps);
  RETURN_IF_ERROR(internal::ValidateBandwidth(bandwidth));
  for (const PortEndpointRequest* endpoint : {&request.endpoint_a, &request.endpoint_z}) {
    if (endpoint->vlan_id < kMinVlanId || endpoint->vlan_id > kMaxVlanId) {
      return InvalidParameter(common::StrCat("vlanId must be between ", kMinVlanId, " and ",
                                             kMaxVlanId, ", got ", endpoint->vlan_id, "."));
    }
    if (endpoint->endpoint_name) {
      RETURN_IF_ERROR(ValidateName(*endpoint->endpoint_name, "endpointName"));
    }
  }
  if (request.name) {
    RETURN_IF_ERROR(ValidateName(*request.name, "privateConnectName"));
  }
  RETURN_IF_ERROR(ValidateResourceTags(request.tags));
  // [our reading of "endpoint A and Z identical"]: both ends on one port.
  if (request.endpoint_a.port_id == request.endpoint_z.port_id) {
    return common::InvalidArgument(kReasonEndpointConflict,
                                   "endpointA and endpointZ must be on different ports.");
  }
  store::PrivateConnect connect;
  connect.account_id = caller.tenant_id;
  connect.private_connect_id = internal::NewZenlayerResourceId();
  connect.status = std::string(kPrivateConnectCreating);
  connect.bandwidth_mbps = bandwidth;
  connect.tags_json = ResourceTagsToJson(request.tags);
  RETURN_IF_ERROR(
      jobs_
          .Submit(caller, "CreatePrivateConnect",
                  [&](store::StoreTransaction& txn,
                      const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                    ASSIGN_OR_RETURN(EndpointPorts ports, LockEndpointPorts(txn, caller, request));
                    ASSIGN_OR_RETURN(store::ZenlayerPort port_a,
                                     CheckEndpointPort(txn, caller, request.endpoint_a,
                                                       std::move(ports.a), "endpointA"));
                    ASSIGN_OR_RETURN(store::ZenlayerPort port_z,
                                     CheckEndpointPort(txn, caller, request.endpoint_z,
                                                       std::move(ports.z), "endpointZ"));
                    connect.name = request.name.value_or(common::StrCat(
                        "private-connect-",
                        absl::FormatTime("%Y%m%d%H%M%S", mutation.now, absl::UTCTimeZone())));
                    connect.endpoint_a = {
                        port_a.port_id, request.endpoint_a.endpoint_name.value_or(port_a.port_name),
                        port_a.port_id, request.endpoint_a.vlan_id};
                    connect.endpoint_z = {
                        port_z.port_id, request.endpoint_z.endpoint_name.value_or(port_z.port_name),
                        port_z.port_id, request.endpoint_z.vlan_id};
                    connect.created_at_ms = mutation.now_ms;
                    connect.updated_at_ms = mutation.now_ms;
                    RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
                    RETURN_IF_ERROR(mutation.audit.Record(
                        txn, store::kAuditPrivateConnect, connect.private_connect_id,
                        "CreatePrivateConnect", "", connect.status, mutation.job_id));
                    return JobRequest{kJobCreatePrivateConnect, "CreatePrivateConnect",
                                      connect.private_connect_id, "{}"};
                  })
          .status());
  return connect.private_connect_id;
}

absl::StatusOr<store::Page<PrivateConnectDetails>> PrivateConnectService::DescribePrivateConnects(
    const Caller& caller, const PrivateConnectQuery& query) {
  RETURN_IF_ERROR(internal::ValidatePageBounds(query.page_num, query.page_size));
  RETURN_IF_ERROR(ValidateIdCount(query.ids.size(), "privateConnectIds"));
  const std::set<std::string, std::less<>> wanted(query.ids.begin(), query.ids.end());
  const bool port_type_wanted = query.endpoint_types.empty() ||
                                std::find(query.endpoint_types.begin(), query.endpoint_types.end(),
                                          "PORT") != query.endpoint_types.end();
  store::Page<PrivateConnectDetails> result;
  if (!port_type_wanted) {
    return result;  // every endpoint here is a PORT endpoint
  }
  store::PrivateConnectFilter filter;
  filter.ids.assign(wanted.begin(), wanted.end());
  filter.name = query.name;
  filter.status = query.status;
  if (query.connectivity) {
    filter.running = *query.connectivity == "ACTIVE";
  }
  store::PageRequest page;
  page.limit = query.page_size;
  // Guard before multiplying: a huge pageNum must not overflow the offset;
  // past the end the store still reports the total.
  page.offset = query.page_num - 1 > INT64_MAX / query.page_size
                    ? INT64_MAX
                    : (query.page_num - 1) * query.page_size;
  // Tags are not pushed down to the store: with a tag or resource-group
  // filter the account's connects matching the other filters are read whole,
  // filtered here and paged in memory.
  const bool filter_here = !query.resource_filter.Empty();
  if (filter_here) {
    page = {.offset = 0, .limit = std::numeric_limits<int64_t>::max()};
  }
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Page<store::PrivateConnect> connects,
                     txn.QueryPrivateConnects(caller.tenant_id, filter, page));
    if (filter_here) {
      KeepMatching(connects.items, query.resource_filter);
      connects = internal::PageOf(std::move(connects.items), query.page_num, query.page_size);
    }
    result.total = connects.total;
    // Connects of one page mostly share a few ports: look each up once.
    std::map<std::string, std::optional<store::ZenlayerPort>, std::less<>> ports;
    auto port =
        [&](const std::string& port_id) -> absl::StatusOr<std::optional<store::ZenlayerPort>> {
      auto it = ports.find(port_id);
      if (it == ports.end()) {
        ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> loaded,
                         txn.GetZenlayerPort(caller.tenant_id, port_id));
        it = ports.emplace(port_id, std::move(loaded)).first;
      }
      return it->second;
    };
    for (store::PrivateConnect& connect : connects.items) {
      PrivateConnectDetails details;
      ASSIGN_OR_RETURN(details.port_a, port(connect.endpoint_a.port_id));
      ASSIGN_OR_RETURN(details.port_z, port(connect.endpoint_z.port_id));
      details.connect = std::move(connect);
      result.items.push_back(std::move(details));
    }
    return absl::OkStatus();
  }));
  // A connect in a transitional status has a job in flight. Counted after the
  // read: the Nth read still sees the job in progress.
  std::vector<std::string_view> in_progress;  // views into result
  for (const PrivateConnectDetails& details : result.items) {
    if (IsTransitional(details.connect.status)) {
      in_progress.push_back(details.connect.private_connect_id);
    }
  }
  RETURN_IF_ERROR(jobs_.CountReads(caller.tenant_id, in_progress));
  return result;
}

absl::Status PrivateConnectService::ModifyPrivateConnectsAttribute(
    const Caller& caller, const std::vector<std::string>& ids, std::string_view name) {
  if (ids.empty()) {
    return InvalidParameter("privateConnectIds must list at least one id.");
  }
  RETURN_IF_ERROR(ValidateIdCount(ids.size(), "privateConnectIds"));
  RETURN_IF_ERROR(ValidateName(name, "privateConnectName"));
  // Ascending: the connects are locked in the canonical order (store.h).
  const std::set<std::string, std::less<>> unique_ids(ids.begin(), ids.end());
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    for (const std::string& id : unique_ids) {
      // [unconfirmed] Docs forbid changes while creating/updating and on
      // recycled connects; we allow renaming only while RUNNING.
      ASSIGN_OR_RETURN(store::PrivateConnect connect,
                       LoadConnectIn(txn, caller.tenant_id, id, kPrivateConnectRunning));
      RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, common::FromUnixMillis(now_ms))
                          .Record(txn, store::kAuditPrivateConnect, id,
                                  "ModifyPrivateConnectsAttribute", connect.status,
                                  connect.status));
      connect.name = std::string(name);
      connect.updated_at_ms = now_ms;
      RETURN_IF_ERROR(SaveConnect(txn, connect));
    }
    return absl::OkStatus();
  });
}

absl::Status PrivateConnectService::StartTransition(const Caller& caller, std::string_view id,
                                                    std::string_view required_status,
                                                    std::string_view transitional_status,
                                                    std::string_view job_type,
                                                    std::string_view job_name,
                                                    std::string params_json) {
  return jobs_
      .Submit(caller, job_name,
              [&](store::StoreTransaction& txn,
                  const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                ASSIGN_OR_RETURN(store::PrivateConnect connect,
                                 LoadConnectIn(txn, caller.tenant_id, id, required_status));
                RETURN_IF_ERROR(mutation.audit.Record(
                    txn, store::kAuditPrivateConnect, connect.private_connect_id, job_name,
                    connect.status, transitional_status, mutation.job_id));
                connect.status = std::string(transitional_status);
                connect.updated_at_ms = mutation.now_ms;
                RETURN_IF_ERROR(SaveConnect(txn, connect));
                return JobRequest{job_type, std::string(job_name), connect.private_connect_id,
                                  std::move(params_json)};
              })
      .status();
}

absl::Status PrivateConnectService::ModifyPrivateConnectBandwidth(const Caller& caller,
                                                                  std::string_view id,
                                                                  int64_t bandwidth_mbps) {
  RETURN_IF_ERROR(internal::ValidateBandwidth(bandwidth_mbps));
  boost::json::object params;
  params["bandwidthMbps"] = bandwidth_mbps;
  return StartTransition(caller, id, kPrivateConnectRunning, kPrivateConnectUpdating,
                         kJobModifyPrivateConnectBandwidth, "ModifyPrivateConnectBandwidth",
                         common::ToJson(params));
}

absl::Status PrivateConnectService::DeletePrivateConnect(const Caller& caller,
                                                         std::string_view id) {
  absl::Status started =
      StartTransition(caller, id, kPrivateConnectRunning, kPrivateConnectDeleting,
                      kJobDeletePrivateConnect, "DeletePrivateConnect", "{}");
  if (common::ReasonOf(started) != kReasonPrivateConnectStatus) {
    return started;
  }
  // A connect already deleted (on its way to, or in, the recycle bin, or being
  // destroyed) answers "not found": the code Terraform's delete treats as
  // "already terminated" (TF-SVC DeletePrivateConnectById), so a resumed
  // `terraform destroy` goes on to wait for RECYCLED or absence.
  std::optional<store::PrivateConnect> connect;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(connect, txn.GetPrivateConnect(caller.tenant_id, id));
    return absl::OkStatus();
  }));
  if (connect && IsAlreadyDeleted(connect->status)) {
    return common::NotFound(kReasonPrivateConnectNotFound,
                            common::StrCat("The private connect `", common::QuoteUntrusted(id),
                                           "` is already deleted (", connect->status, ")."));
  }
  return started;
}

absl::Status PrivateConnectService::RenewPrivateConnect(const Caller& caller, std::string_view id) {
  return StartTransition(caller, id, kPrivateConnectRecycled, kPrivateConnectRecovering,
                         kJobRenewPrivateConnect, "RenewPrivateConnect", "{}");
}

absl::Status PrivateConnectService::DestroyPrivateConnect(const Caller& caller,
                                                          std::string_view id) {
  // [unconfirmed] Whether Destroy is accepted from RUNNING is not stated; the
  // docs and Terraform only ever Destroy after the connect reached RECYCLED.
  return StartTransition(caller, id, kPrivateConnectRecycled, kPrivateConnectDestroying,
                         kJobDestroyPrivateConnect, "DestroyPrivateConnect", "{}");
}

}  // namespace connectplane::service
