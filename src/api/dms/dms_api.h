// The Huawei Cloud / Open Telekom Cloud DMS for Kafka dialect: matches requests
// under /v2/... against its route table (Routes()), verifies SDK-HMAC-SHA256
// signatures, scopes every call to the credential's project, runs the shared
// request stages (api/stages: faults, idempotency), parses bodies and queries
// with DMS's validation rules (dms_requests.h), calls the services and renders
// DMS-shaped answers (errors via dms_errors.h). Every answer carries
// X-Request-Id.
//
// Adding an operation = one row in Routes() (dms_api.cc), one handler member
// (dms_instance_handlers.cc, dms_connector_task_handlers.cc,
// dms_sink_task_handlers.cc) and one test.
// Safe for concurrent use.
#pragma once

#include "api/dms/dms_routes.h"
#include "api/stages/request_stages.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "service/caller.h"
#include "service/connector_task_service.h"
#include "service/credential_service.h"
#include "service/kafka_config_service.h"
#include "service/kafka_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::dms {

// The services of what an instance holds besides its own state.
struct KafkaItemServices {
  service::KafkaTagService& tags;
  service::KafkaConfigService& configs;
  service::KafkaTopicService& topics;
};

struct DmsApiOptions {
  // Maximum difference between X-Sdk-Date and our clock (APIG uses 15 minutes).
  absl::Duration max_clock_skew = absl::Minutes(15);
};

class DmsApi {
 public:
  // Everything must outlive the API.
  DmsApi(service::KafkaService& kafka, service::ConnectorTaskService& tasks,
         service::CredentialService& credentials, stages::RequestStages& stages,
         const common::Clock& clock, KafkaItemServices items, DmsApiOptions options = {});

  // The dialect's name in fault rules, idempotency scopes, logs and metrics.
  static constexpr std::string_view kDialect = "dms";

  // True when `path` belongs to this dialect (starts with /v1/, /v1.0/ or /v2/).
  static bool Owns(std::string_view path);

  common::HttpResponse Handle(const common::HttpRequest& request);

  // The answer to a path that no dialect owns, as the cloud's API gateway
  // gives it: 404 APIGW.0101 (or the transport's 413/431), DMS-shaped.
  static common::HttpResponse UnknownPath(const common::HttpRequest& request);

  // One matched, authenticated call, as a handler sees it.
  struct Call {
    const common::HttpRequest& request;
    const PathParams& path;
    const service::Caller& caller;
    std::string_view operation;  // the route's
  };
  using Handler = absl::StatusOr<stages::Reply> (DmsApi::*)(const Call& call);

  // One operation: method, path pattern, the official SDKs' name for it (fault
  // rules, metrics, logs and the audit trail use it), whether it changes state
  // (idempotency keys apply to those) and the member that handles it.
  struct Route {
    std::string_view method;
    std::string_view pattern;
    std::string_view operation;
    bool mutating;
    Handler handler;
  };
  // Every operation, matched in this order (the first match wins).
  static std::span<const Route> Routes();
  // The routes' operation names, each once, in table order (what API fault
  // rules may name).
  static std::vector<std::string> OperationNames();
  // The route for a request line; nullptr when none matches.
  static const Route* FindRoute(std::string_view method, std::string_view path);

 private:
  // The route for a request line with its placeholders. Error: NotFound
  // UNKNOWN_API (no route, or a malformed escape in the path).
  // The route table (dms_api.cc); a member so that it may name private handlers.
  static const Route kRoutes[];

  static absl::StatusOr<const Route*> Match(std::string_view method, std::string_view path,
                                            PathParams& params);
  absl::StatusOr<service::Caller> Authenticate(const common::HttpRequest& request,
                                               std::string_view project_id);
  // X-Auth-Token (issued by POST /v3/auth/tokens) instead of a signature.
  // Errors: Unauthenticated AUTH_TOKEN_INVALID, PermissionDenied PROJECT_MISMATCH.
  absl::StatusOr<service::Caller> AuthenticateToken(std::string_view token,
                                                    std::string_view project_id);

  // Instances, Smart Connect and background tasks (dms_instance_handlers.cc).
  absl::StatusOr<stages::Reply> ListInstances(const Call& call);
  absl::StatusOr<stages::Reply> ShowInstance(const Call& call);
  absl::StatusOr<stages::Reply> CreateInstanceByEngine(const Call& call);
  absl::StatusOr<stages::Reply> CreatePostPaidInstance(const Call& call);
  absl::StatusOr<stages::Reply> DeleteInstance(const Call& call);
  absl::StatusOr<stages::Reply> UpdateInstance(const Call& call);
  absl::StatusOr<stages::Reply> ResizeInstance(const Call& call);
  absl::StatusOr<stages::Reply> ModifyCrossVpc(const Call& call);
  absl::StatusOr<stages::Reply> BatchInstanceAction(const Call& call);
  absl::StatusOr<stages::Reply> CreateInstanceLegacy(const Call& call);
  absl::StatusOr<stages::Reply> EnableConnector(const Call& call);
  absl::StatusOr<stages::Reply> DisableConnector(const Call& call);
  absl::StatusOr<stages::Reply> ShowConnectorResourceInfo(const Call& call);
  absl::StatusOr<stages::Reply> ListBackgroundTasks(const Call& call);
  absl::StatusOr<stages::Reply> ShowBackgroundTask(const Call& call);
  absl::StatusOr<stages::Reply> DeleteBackgroundTask(const Call& call);
  absl::StatusOr<stages::Reply> ShowBackgroundTaskProgress(const Call& call);
  // Smart Connect tasks (dms_connector_task_handlers.cc).
  absl::StatusOr<stages::Reply> CreateConnectorTask(const Call& call);
  absl::StatusOr<stages::Reply> ListConnectorTasks(const Call& call);
  absl::StatusOr<stages::Reply> ShowConnectorTask(const Call& call);
  absl::StatusOr<stages::Reply> DeleteConnectorTask(const Call& call);
  absl::StatusOr<stages::Reply> ModifyConnectorTask(const Call& call);
  absl::StatusOr<stages::Reply> ValidateConnectorConnectivity(const Call& call);
  absl::StatusOr<stages::Reply> PauseConnectorTask(const Call& call);
  absl::StatusOr<stages::Reply> ResumeConnectorTask(const Call& call);
  absl::StatusOr<stages::Reply> RestartConnectorTask(const Call& call);
  // The legacy dump-task API (dms_sink_task_handlers.cc).
  absl::StatusOr<stages::Reply> CreateSinkTask(const Call& call);
  absl::StatusOr<stages::Reply> ListSinkTasks(const Call& call);
  absl::StatusOr<stages::Reply> ShowSinkTaskDetail(const Call& call);
  absl::StatusOr<stages::Reply> DeleteSinkTask(const Call& call);
  // Availability zones and flavors (dms_catalog_handlers.cc).
  absl::StatusOr<stages::Reply> ListAvailableZones(const Call& call);
  absl::StatusOr<stages::Reply> ListEngineProducts(const Call& call);
  absl::StatusOr<stages::Reply> ListProducts(const Call& call);
  // Tags, parameters, topics and the cluster view (dms_instance_item_handlers.cc).
  absl::StatusOr<stages::Reply> ShowKafkaTags(const Call& call);
  absl::StatusOr<stages::Reply> BatchCreateOrDeleteKafkaTag(const Call& call);
  absl::StatusOr<stages::Reply> ShowInstanceConfigs(const Call& call);
  absl::StatusOr<stages::Reply> ModifyInstanceConfigs(const Call& call);
  absl::StatusOr<stages::Reply> ShowKafkaCluster(const Call& call);
  absl::StatusOr<stages::Reply> ShowCluster(const Call& call);
  absl::StatusOr<stages::Reply> CreateInstanceTopic(const Call& call);
  absl::StatusOr<stages::Reply> ListInstanceTopics(const Call& call);
  absl::StatusOr<stages::Reply> UpdateInstanceTopic(const Call& call);
  absl::StatusOr<stages::Reply> BatchDeleteInstanceTopic(const Call& call);

  service::KafkaService& kafka_;
  service::ConnectorTaskService& tasks_;
  service::CredentialService& credentials_;
  stages::RequestStages& stages_;
  const common::Clock& clock_;
  const KafkaItemServices items_;
  const DmsApiOptions options_;
};

}  // namespace connectplane::api::dms
