// The Huawei Cloud / Open Telekom Cloud DMS for Kafka dialect: routes requests
// under /v2/{project_id}/..., verifies SDK-HMAC-SHA256 signatures, scopes every
// call to the credential's project, parses bodies with DMS's validation rules,
// calls the service and renders DMS-shaped answers (errors via dms_errors.h).
// Every answer carries X-Request-Id. Safe for concurrent use.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "service/caller.h"
#include "service/credential_service.h"
#include "service/emulator_controls.h"
#include "service/idempotency.h"
#include "service/kafka_service.h"

namespace connectplane::api::dms {

struct DmsApiOptions {
  // Maximum difference between X-Sdk-Date and our clock (APIG uses 15 minutes).
  absl::Duration max_clock_skew = absl::Minutes(15);
};

class DmsApi {
 public:
  // `controls` (may be null) injects emulator faults; `idempotency` (may be
  // null) remembers answers of mutations sent with an idempotency key
  // ("X-Client-Token" or "Idempotency-Key"). Both must outlive the API.
  DmsApi(service::KafkaService& kafka, service::CredentialService& credentials,
         const common::Clock& clock, DmsApiOptions options = {},
         service::EmulatorControls* controls = nullptr,
         service::IdempotencyService* idempotency = nullptr);

  // The SDK's name for an operation ("CreateConnector"), used by fault rules.
  static std::string_view OperationName(std::string_view method, std::string_view path);

  // True when `path` belongs to this dialect (starts with /v1/ or /v2/).
  static bool Owns(std::string_view path);

  common::HttpResponse Handle(const common::HttpRequest& request);

 private:
  enum class Operation {
    kListInstances,
    kShowInstance,
    kEnableConnector,
    kDisableConnector,
    kShowConnectorResourceInfo,
    kListTasks,
    kShowTask,
    // Instance lifecycle and Smart Connect tasks.
    kCreateInstanceByEngine,
    kCreatePostPaidInstance,
    kDeleteInstance,
    kCreateConnectorTask,
    kListConnectorTasks,
    kShowConnectorTask,
    kDeleteConnectorTask,
    kPauseConnectorTask,
    kResumeConnectorTask,
    kRestartConnectorTask,
    kRestartSmartConnectorTask,
  };
  // A successful answer: 200 with a JSON body, or 204 with none.
  struct Reply {
    int status = 200;
    std::string body;
  };
  struct Route {
    Operation operation;
    std::string project_id;
    std::string instance_id;
    std::string task_id;
    std::string engine;  // CreateInstanceByEngine's {engine} segment
  };

  static std::string_view NameOf(Operation operation);
  static absl::StatusOr<Route> Match(std::string_view method, std::string_view path);
  absl::StatusOr<service::Caller> Authenticate(const common::HttpRequest& request,
                                               const Route& route);
  absl::StatusOr<Reply> Dispatch(const common::HttpRequest& request, const Route& route,
                                 const service::Caller& caller);
  absl::StatusOr<Reply> DispatchConnectorTask(const common::HttpRequest& request,
                                              const Route& route, const service::Caller& caller);
  static bool IsMutating(Operation operation);

  service::KafkaService& kafka_;
  service::CredentialService& credentials_;
  const common::Clock& clock_;
  const DmsApiOptions options_;
  service::EmulatorControls* controls_;
  service::IdempotencyService* idempotency_;
};

}  // namespace connectplane::api::dms
