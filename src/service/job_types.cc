#include "service/job_types.h"

#include "common/status.h"
#include "common/strings.h"

#include <algorithm>
#include <string>

namespace connectplane::service {
namespace {

constexpr std::string_view kJobTypes[] = {
    kJobCreateInstance,        kJobDeleteInstance,
    kJobEnableConnector,       kJobDisableConnector,
    kJobCreateConnectorTask,   kJobPauseConnectorTask,
    kJobResumeConnectorTask,   kJobRestartConnectorTask,
    kJobCreatePrivateConnect,  kJobModifyPrivateConnectBandwidth,
    kJobDeletePrivateConnect,  kJobRenewPrivateConnect,
    kJobDestroyPrivateConnect, kJobCreatePort,
    kJobTerminatePort,         kJobRenewPort,
    kJobDestroyPort,           kJobExtendInstance,
    kJobRestartInstance,       kJobModifyConfigs,
};

}  // namespace

std::span<const std::string_view> JobTypes() { return kJobTypes; }

absl::Status CheckJobType(std::string_view job_type) {
  if (std::find(std::begin(kJobTypes), std::end(kJobTypes), job_type) != std::end(kJobTypes)) {
    return absl::OkStatus();
  }
  std::string known;
  for (std::string_view name : kJobTypes) {
    if (!known.empty()) known += ", ";
    known += name;
  }
  return common::InvalidArgument(
      kReasonUnknownJobType, common::StrCat("unknown job type '", common::QuoteUntrusted(job_type),
                                            "' (known: ", known, ")"));
}

}  // namespace connectplane::service
