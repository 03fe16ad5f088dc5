// The job types the service's handlers complete: the names that job timings
// (--job-seconds, the seed's "job_durations_seconds", PUT /_connectplane/timing)
// and job fault rules may use. A name outside this list would be stored and
// never match a job, so those entry points refuse it. Pure; thread-safe.
#pragma once

#include "absl/status/status.h"
#include <span>
#include <string_view>

namespace connectplane::service {

// DMS (Kafka instances, Smart Connect and its tasks).
inline constexpr std::string_view kJobEnableConnector = "kafka.enable_connector";
inline constexpr std::string_view kJobDisableConnector = "kafka.disable_connector";
inline constexpr std::string_view kJobCreateInstance = "kafka.create_instance";
inline constexpr std::string_view kJobDeleteInstance = "kafka.delete_instance";
inline constexpr std::string_view kJobCreateConnectorTask = "kafka.create_connector_task";
inline constexpr std::string_view kJobPauseConnectorTask = "kafka.pause_connector_task";
inline constexpr std::string_view kJobResumeConnectorTask = "kafka.resume_connector_task";
inline constexpr std::string_view kJobRestartConnectorTask = "kafka.restart_connector_task";
inline constexpr std::string_view kJobExtendInstance = "kafka.extend_instance";
inline constexpr std::string_view kJobRestartInstance = "kafka.restart_instance";
inline constexpr std::string_view kJobModifyConfigs = "kafka.modify_configs";
// Zenlayer private connects.
inline constexpr std::string_view kJobCreatePrivateConnect = "zenlayer.create_private_connect";
inline constexpr std::string_view kJobModifyPrivateConnectBandwidth =
    "zenlayer.modify_private_connect_bandwidth";
inline constexpr std::string_view kJobDeletePrivateConnect = "zenlayer.delete_private_connect";
inline constexpr std::string_view kJobRenewPrivateConnect = "zenlayer.renew_private_connect";
inline constexpr std::string_view kJobDestroyPrivateConnect = "zenlayer.destroy_private_connect";
// Zenlayer ports.
inline constexpr std::string_view kJobCreatePort = "zenlayer.create_port";
inline constexpr std::string_view kJobTerminatePort = "zenlayer.terminate_port";
inline constexpr std::string_view kJobRenewPort = "zenlayer.renew_port";
inline constexpr std::string_view kJobDestroyPort = "zenlayer.destroy_port";

// Every job type above, in this order. The Register…Jobs functions register a
// handler for each of them and for nothing else (checked by a test).
std::span<const std::string_view> JobTypes();

// OK when `job_type` is one of JobTypes() (exactly: job types are matched
// exactly). Error: InvalidArgument UNKNOWN_JOB_TYPE, "unknown job type 'x'
// (known: kafka.enable_connector, …)".
absl::Status CheckJobType(std::string_view job_type);

inline constexpr std::string_view kReasonUnknownJobType = "UNKNOWN_JOB_TYPE";

}  // namespace connectplane::service
