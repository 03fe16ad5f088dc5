#include "service/port_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/internal/paging.h"
#include "service/internal/sdn_rules.h"
#include "service/internal/zenlayer_ids.h"
#include "service/job_types.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <algorithm>
#include <set>
#include <utility>

namespace connectplane::service {
namespace {

absl::Status InvalidParameter(std::string_view message) {
  return common::InvalidArgument(kReasonPortInvalidParameter, message);
}

absl::Status CheckLength(std::string_view value, size_t min, size_t max, std::string_view field) {
  if (value.size() < min || value.size() > max) {
    return InvalidParameter(
        common::StrCat(field, " must be ", min, " to ", max, " characters long."));
  }
  return absl::OkStatus();
}

// Statuses past a successful TerminatePort: on the way to, in, or on the way
// out of the recycle bin.
bool IsTerminated(std::string_view status) {
  return status == kPortDeleting || status == kPortRecycled || status == kPortDestroying;
}

// The statuses a port shows while a job works on it.
bool IsTransitional(std::string_view status) {
  return status == kPortCreating || status == kPortDeleting || status == kPortRecovering ||
         status == kPortDestroying;
}

absl::Status WrongStatus(const store::ZenlayerPort& port, std::string_view needed) {
  if (needed == kPortRunning && IsTerminated(port.port_status)) {
    // TF-SVC DeletePortById treats this code from TerminatePort as "done", so
    // a resumed `terraform destroy` goes on to poll for RECYCLED or absence.
    return common::FailedPrecondition(
        kReasonPortRecycled, common::StrCat("The port `", port.port_id, "` is already terminated (",
                                            port.port_status, ")."));
  }
  return common::FailedPrecondition(
      kReasonPortStatus, common::StrCat("The port `", port.port_id, "` is ", port.port_status,
                                        "; the operation requires ", needed, "."));
}

// The tenant's port; PORT_NOT_FOUND when absent (or another account's).
absl::StatusOr<store::ZenlayerPort> LoadPort(store::StoreTransaction& txn,
                                             std::string_view tenant_id, std::string_view port_id) {
  ASSIGN_OR_RETURN(std::optional<store::ZenlayerPort> port,
                   txn.GetZenlayerPort(tenant_id, port_id));
  if (!port) {
    return internal::PortNotFound(port_id);
  }
  return std::move(*port);
}

// The tenant's port, which must be in `required_status`; WrongStatus otherwise.
absl::StatusOr<store::ZenlayerPort> LoadPortIn(store::StoreTransaction& txn,
                                               std::string_view tenant_id, std::string_view port_id,
                                               std::string_view required_status) {
  ASSIGN_OR_RETURN(store::ZenlayerPort port, LoadPort(txn, tenant_id, port_id));
  if (port.port_status != required_status) {
    return WrongStatus(port, required_status);
  }
  return port;
}

// Writes `port` back: a lost compare-and-swap (a concurrent change) is
// reported as a status conflict, a vanished row as not found.
absl::Status SavePort(store::StoreTransaction& txn, const store::ZenlayerPort& port) {
  absl::Status updated = txn.UpdateZenlayerPort(port);
  if (absl::IsAborted(updated)) {
    return common::FailedPrecondition(
        kReasonPortStatus, common::StrCat("The port `", port.port_id,
                                          "` was changed by another request; read it again."));
  }
  if (absl::IsNotFound(updated)) {
    return internal::PortNotFound(port.port_id);
  }
  return updated;
}

absl::StatusOr<boost::json::object> Attributes(const store::ZenlayerPort& port) {
  ASSIGN_OR_RETURN(boost::json::object attributes, common::ParseJsonObject(port.attributes_json));
  return attributes;
}

// A string attribute of the port, or of its dataCenter object; "" when absent.
std::string AttributeString(const boost::json::object& attributes, std::string_view key) {
  if (const boost::json::value* value = attributes.if_contains(key);
      value != nullptr && value->is_string()) {
    return std::string(value->as_string());
  }
  if (const boost::json::value* data_center = attributes.if_contains("dataCenter");
      data_center != nullptr && data_center->is_object()) {
    if (const boost::json::value* value = data_center->as_object().if_contains(key);
        value != nullptr && value->is_string()) {
      return std::string(value->as_string());
    }
  }
  return "";
}

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char left, char right) {
                       return absl::ascii_tolower(static_cast<unsigned char>(left)) ==
                              absl::ascii_tolower(static_cast<unsigned char>(right));
                     }) != haystack.end();
}

}  // namespace

boost::json::object DatacenterInfoOf(const store::ZenlayerDatacenter& datacenter) {
  boost::json::object out;
  out["dcId"] = datacenter.dc_id;
  out["dcName"] = datacenter.dc_name;
  out["dcAddress"] = datacenter.dc_address;
  out["cityName"] = datacenter.city_name;
  out["countryName"] = datacenter.country_name;
  out["areaName"] = datacenter.area_name;
  // Written by the seed (a JSON object); a damaged row just loses the extras.
  absl::StatusOr<boost::json::object> attributes =
      common::ParseJsonObject(datacenter.attributes_json);
  if (attributes.ok()) {
    for (auto& entry : *attributes) {
      out[entry.key()] = entry.value();
    }
  }
  return out;
}

PortService::PortService(store::Store& store, const common::Clock& clock, JobQueue& jobs)
    : store_(store), clock_(clock), jobs_(jobs) {}

absl::StatusOr<std::string> PortService::CreatePort(const Caller& caller,
                                                    const CreatePortRequest& request) {
  RETURN_IF_ERROR(CheckLength(request.port_name, 1, kMaxPortNameLength, "portName"));
  if (request.port_remarks) {
    RETURN_IF_ERROR(CheckLength(*request.port_remarks, 0, kMaxPortRemarksLength, "portRemarks"));
  }
  RETURN_IF_ERROR(
      CheckLength(request.business_entity_name, 1, kMaxPortNameLength, "businessEntityName"));
  RETURN_IF_ERROR(ValidateResourceTags(request.tags));
  if (FindPortType(request.port_type) == nullptr) {
    return InvalidParameter(common::StrCat("portType `", common::QuoteUntrusted(request.port_type),
                                           "` is not offered; use 1G, 10G, 40G or 100G."));
  }
  store::ZenlayerPort port;
  port.account_id = caller.tenant_id;
  port.port_id = internal::NewZenlayerResourceId();
  port.port_name = request.port_name;
  port.dc_id = request.dc_id;
  port.port_status = std::string(kPortCreating);
  port.tags_json = ResourceTagsToJson(request.tags);
  RETURN_IF_ERROR(
      jobs_
          .Submit(caller, "CreatePort",
                  [&](store::StoreTransaction& txn,
                      const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                    ASSIGN_OR_RETURN(std::optional<store::ZenlayerDatacenter> datacenter,
                                     txn.GetZenlayerDatacenter(request.dc_id));
                    if (!datacenter || !datacenter->port_available) {
                      return common::NotFound(
                          kReasonDatacenterNotFound,
                          common::StrCat(
                              "The data center `", common::QuoteUntrusted(request.dc_id),
                              datacenter ? "` does not offer ports." : "` is not found."));
                    }
                    boost::json::object attributes;
                    attributes["portType"] = request.port_type;
                    attributes["portRemarks"] = request.port_remarks.value_or("");
                    attributes["businessEntityName"] = request.business_entity_name;
                    attributes["portChargeType"] = "POSTPAID";
                    attributes["dataCenter"] = DatacenterInfoOf(*datacenter);
                    port.attributes_json = common::ToJson(attributes);
                    port.created_at_ms = mutation.now_ms;
                    port.updated_at_ms = mutation.now_ms;
                    RETURN_IF_ERROR(txn.InsertZenlayerPort(port));
                    RETURN_IF_ERROR(mutation.audit.Record(txn, store::kAuditZenlayerPort,
                                                          port.port_id, "CreatePort", "",
                                                          port.port_status, mutation.job_id));
                    return JobRequest{kJobCreatePort, "CreatePort", port.port_id, "{}"};
                  })
          .status());
  return port.port_id;
}

absl::StatusOr<store::Page<store::ZenlayerPort>> PortService::DescribePorts(
    const Caller& caller, const PortQuery& query) {
  RETURN_IF_ERROR(internal::ValidatePageBounds(query.page_num, query.page_size));
  if (query.port_ids.size() > kMaxIdsPerRequest) {
    return InvalidParameter(common::StrCat("portIds accepts at most ", kMaxIdsPerRequest, " ids."));
  }
  for (const auto& [filter, max, field] :
       {std::tuple{&query.port_name, kMaxPortNameLength, "portName"},
        std::tuple{&query.port_remarks, kMaxPortRemarksLength, "portRemarks"},
        std::tuple{&query.city_name, kMaxCityNameLength, "cityName"}}) {
    if (*filter) {
      RETURN_IF_ERROR(CheckLength(**filter, 0, max, field));
    }
  }
  std::vector<store::ZenlayerPort> ports;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(ports, txn.ListZenlayerPorts(caller.tenant_id));
    return absl::OkStatus();
  }));
  const std::set<std::string, std::less<>> wanted(query.port_ids.begin(), query.port_ids.end());
  const bool attribute_filters = query.port_remarks || query.city_name;
  std::erase_if(ports, [&](const store::ZenlayerPort& port) {
    if ((!wanted.empty() && !wanted.contains(port.port_id)) ||
        (query.dc_id && port.dc_id != *query.dc_id) ||
        (query.port_name && !ContainsIgnoringCase(port.port_name, *query.port_name))) {
      return true;
    }
    if (!attribute_filters) {
      return false;
    }
    // Seeded rows were validated as objects; a damaged one matches no filter.
    absl::StatusOr<boost::json::object> attributes = Attributes(port);
    if (!attributes.ok()) {
      return true;
    }
    return (query.port_remarks && !ContainsIgnoringCase(AttributeString(*attributes, "portRemarks"),
                                                        *query.port_remarks)) ||
           (query.city_name &&
            !ContainsIgnoringCase(AttributeString(*attributes, "cityName"), *query.city_name));
  });
  KeepMatching(ports, query.resource_filter);
  store::Page<store::ZenlayerPort> page =
      internal::PageOf(std::move(ports), query.page_num, query.page_size);
  // A port in a transitional status has a job in flight. Counted after the
  // read: the Nth read still sees the job in progress.
  std::vector<std::string_view> in_progress;  // views into page
  for (const store::ZenlayerPort& port : page.items) {
    if (IsTransitional(port.port_status)) {
      in_progress.push_back(port.port_id);
    }
  }
  RETURN_IF_ERROR(jobs_.CountReads(caller.tenant_id, in_progress));
  return page;
}

absl::Status PortService::ModifyPortAttribute(const Caller& caller,
                                              const ModifyPortRequest& request) {
  if (request.port_name) {
    RETURN_IF_ERROR(CheckLength(*request.port_name, 1, kMaxPortNameLength, "portName"));
  }
  if (request.port_remarks) {
    RETURN_IF_ERROR(CheckLength(*request.port_remarks, 0, kMaxPortRemarksLength, "portRemarks"));
  }
  if (request.business_entity_name) {
    RETURN_IF_ERROR(
        CheckLength(*request.business_entity_name, 1, kMaxPortNameLength, "businessEntityName"));
  }
  const absl::Time now = clock_.Now();
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    // DOC-PORT terminateport: no operations in the recycle bin or while creating.
    ASSIGN_OR_RETURN(store::ZenlayerPort port,
                     LoadPortIn(txn, caller.tenant_id, request.port_id, kPortRunning));
    ASSIGN_OR_RETURN(boost::json::object attributes, Attributes(port));
    if (request.port_name) {
      port.port_name = *request.port_name;
    }
    if (request.port_remarks) {
      attributes["portRemarks"] = *request.port_remarks;
    }
    if (request.business_entity_name) {
      attributes["businessEntityName"] = *request.business_entity_name;
    }
    port.attributes_json = common::ToJson(attributes);
    port.updated_at_ms = common::ToUnixMillis(now);
    RETURN_IF_ERROR(AuditRecorder::ForCaller(caller, now)
                        .Record(txn, store::kAuditZenlayerPort, port.port_id, "ModifyPortAttribute",
                                port.port_status, port.port_status));
    return SavePort(txn, port);
  });
}

absl::Status PortService::StartTransition(const Caller& caller, std::string_view port_id,
                                          std::string_view required_status,
                                          std::string_view transitional_status,
                                          std::string_view job_type, std::string_view job_name,
                                          bool refuse_in_use) {
  return jobs_
      .Submit(caller, job_name,
              [&](store::StoreTransaction& txn,
                  const Mutation& mutation) -> absl::StatusOr<JobRequest> {
                ASSIGN_OR_RETURN(store::ZenlayerPort port,
                                 LoadPortIn(txn, caller.tenant_id, port_id, required_status));
                if (refuse_in_use) {
                  // The port's key lock (GetZenlayerPort) keeps a concurrent
                  // CreatePrivateConnect on this port out until we commit; once
                  // the port is DELETING, CreatePrivateConnect refuses it.
                  ASSIGN_OR_RETURN(int64_t connects,
                                   txn.CountPrivateConnectsOnPort(caller.tenant_id, port_id));
                  if (connects > 0) {
                    return common::FailedPrecondition(
                        kReasonPortInUse,
                        common::StrCat("The port `", port.port_id, "` is used by ", connects,
                                       " private connect(s); destroy them first."));
                  }
                }
                RETURN_IF_ERROR(mutation.audit.Record(txn, store::kAuditZenlayerPort, port.port_id,
                                                      job_name, port.port_status,
                                                      transitional_status, mutation.job_id));
                port.port_status = std::string(transitional_status);
                port.updated_at_ms = mutation.now_ms;
                RETURN_IF_ERROR(SavePort(txn, port));
                return JobRequest{job_type, std::string(job_name), port.port_id, "{}"};
              })
      .status();
}

absl::Status PortService::TerminatePort(const Caller& caller, std::string_view port_id) {
  return StartTransition(caller, port_id, kPortRunning, kPortDeleting, kJobTerminatePort,
                         "TerminatePort", /*refuse_in_use=*/true);
}

absl::Status PortService::RenewPort(const Caller& caller, std::string_view port_id) {
  return StartTransition(caller, port_id, kPortRecycled, kPortRecovering, kJobRenewPort,
                         "RenewPort", /*refuse_in_use=*/false);
}

absl::Status PortService::DestroyPort(const Caller& caller, std::string_view port_id) {
  return StartTransition(caller, port_id, kPortRecycled, kPortDestroying, kJobDestroyPort,
                         "DestroyPort", /*refuse_in_use=*/false);
}

absl::StatusOr<std::vector<store::ZenlayerDatacenter>> PortService::DescribeDatacenters(
    const Caller& caller, const DatacenterQuery& query) {
  (void)caller;  // the catalog is the same for every account
  if (query.dc_ids.size() > kMaxIdsPerRequest) {
    return InvalidParameter(common::StrCat("dcIds accepts at most ", kMaxIdsPerRequest, " ids."));
  }
  std::vector<store::ZenlayerDatacenter> catalog;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(catalog, txn.ListZenlayerDatacenters());
    return absl::OkStatus();
  }));
  const std::set<std::string, std::less<>> wanted(query.dc_ids.begin(), query.dc_ids.end());
  std::erase_if(catalog, [&](const store::ZenlayerDatacenter& datacenter) {
    return (!wanted.empty() && !wanted.contains(datacenter.dc_id)) ||
           (query.port_available && datacenter.port_available != *query.port_available);
  });
  return catalog;
}

}  // namespace connectplane::service
