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
#include "service/kafka_service.h"

namespace connectplane::api::dms {

struct DmsApiOptions {
  // Maximum difference between X-Sdk-Date and our clock (APIG uses 15 minutes).
  absl::Duration max_clock_skew = absl::Minutes(15);
};

class DmsApi {
 public:
  DmsApi(service::KafkaService& kafka, service::CredentialService& credentials,
         const common::Clock& clock, DmsApiOptions options = {});

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
  };
  struct Route {
    Operation operation;
    std::string project_id;
    std::string instance_id;
    std::string task_id;
  };

  absl::StatusOr<Route> Match(const common::HttpRequest& request) const;
  absl::StatusOr<service::Caller> Authenticate(const common::HttpRequest& request,
                                               const Route& route);
  absl::StatusOr<std::string> Dispatch(const common::HttpRequest& request, const Route& route,
                                       const service::Caller& caller);

  service::KafkaService& kafka_;
  service::CredentialService& credentials_;
  const common::Clock& clock_;
  const DmsApiOptions options_;
};

}  // namespace connectplane::api::dms
