// The Zenlayer Cloud API 2.0 SDN dialect: POST /api/v2/sdn with the action in
// X-ZC-Action and a JSON body; verifies ZC2-HMAC-SHA256 signatures against the
// seeded credentials, scopes every call to the credential's account, runs the
// shared request stages (api/stages: faults, idempotency), parses bodies
// strictly (zenlayer_requests.h), calls the service and renders Zenlayer-shaped
// answers: {"requestId", "response": {"requestId", ...}} on success, the flat
// error envelope otherwise (zenlayer_errors.h). Every answer carries
// X-Request-Id (= requestId).
//
// Actions are declared in one table (Actions()); adding one = one row, one
// handler member and one test. A request authenticates either by signature or
// with "Authorization: Bearer <token>" (a seeded token, the SDKs' token mode);
// its X-ZC-Version picks the SDN API version (zenlayer_versions.h), carried to
// handlers in Caller::api_version. Safe for concurrent use.
#pragma once

#include "api/stages/request_stages.h"
#include "auth/zenlayer_signer.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "service/caller.h"
#include "service/credential_service.h"
#include "service/port_service.h"
#include "service/private_connect_service.h"
#include "service/sdn_catalog_service.h"
#include "service/sdn_usage_service.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/json/object.hpp"
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::zenlayer {

struct ZenlayerApiOptions {
  absl::Duration max_clock_skew = auth::kZenlayerMaxClockSkew;
};

class ZenlayerApi {
 public:
  // Everything must outlive the API.
  ZenlayerApi(service::PrivateConnectService& connects, service::PortService& ports,
              service::SdnCatalogService& catalog, service::SdnUsageService& usage,
              service::CredentialService& credentials, stages::RequestStages& stages,
              const common::Clock& clock, ZenlayerApiOptions options = {});

  // The dialect's name in fault rules, idempotency scopes, logs and metrics.
  static constexpr std::string_view kDialect = "zenlayer";

  // True when `path` belongs to this dialect ("/api/v2" or below).
  static bool Owns(std::string_view path);

  common::HttpResponse Handle(const common::HttpRequest& request);

  // "T" + upper-case UUID, the shape of the docs' requestId example.
  static std::string NewRequestId();

  // An action's `response` object (without requestId). A Describe page's
  // dataSet is written straight to JSON text (see PrivateConnectArrayWriter)
  // and spliced into the serialized answer as its last member.
  struct ActionResult {
    ActionResult(boost::json::object response_fields)  // NOLINT: implicit on purpose
        : fields(std::move(response_fields)) {}
    boost::json::object fields;
    std::string data_set_json;  // empty: no dataSet member
  };
  using Handler = absl::StatusOr<ActionResult> (ZenlayerApi::*)(const boost::json::object& body,
                                                                const service::Caller& caller);

  // One action: its X-ZC-Action name (matched exactly, as the SDKs send it),
  // whether it changes state (idempotency keys apply to those), and the member
  // that handles it.
  struct Action {
    std::string_view name;
    bool mutating;
    Handler handler;
  };
  static std::span<const Action> Actions();
  // The actions' names in table order (what API fault rules may name).
  static std::vector<std::string> ActionNames();
  // nullptr for an unknown name.
  static const Action* FindAction(std::string_view name);

 private:
  // The action table (zenlayer_api.cc); a member so that it may name private handlers.
  static const Action kActions[];

  absl::StatusOr<service::Caller> Authenticate(const common::HttpRequest& request);
  // The account of a seeded bearer token. Errors: Unauthenticated
  // ZC_AUTH_UNKNOWN_TOKEN (401 AUTH_FAILED, as an unknown access key);
  // the store's.
  absl::StatusOr<service::Caller> AuthenticateToken(std::string_view token);

  absl::StatusOr<ActionResult> CreatePrivateConnect(const boost::json::object& body,
                                                    const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribePrivateConnects(const boost::json::object& body,
                                                       const service::Caller& caller);
  absl::StatusOr<ActionResult> ModifyPrivateConnectsAttribute(const boost::json::object& body,
                                                              const service::Caller& caller);
  absl::StatusOr<ActionResult> ModifyPrivateConnectBandwidth(const boost::json::object& body,
                                                             const service::Caller& caller);
  absl::StatusOr<ActionResult> DeletePrivateConnect(const boost::json::object& body,
                                                    const service::Caller& caller);
  absl::StatusOr<ActionResult> RenewPrivateConnect(const boost::json::object& body,
                                                   const service::Caller& caller);
  absl::StatusOr<ActionResult> DestroyPrivateConnect(const boost::json::object& body,
                                                     const service::Caller& caller);
  // Ports and the data center catalog (zenlayer_port_handlers.cc).
  absl::StatusOr<ActionResult> DescribePorts(const boost::json::object& body,
                                             const service::Caller& caller);
  absl::StatusOr<ActionResult> CreatePort(const boost::json::object& body,
                                          const service::Caller& caller);
  absl::StatusOr<ActionResult> ModifyPortAttribute(const boost::json::object& body,
                                                   const service::Caller& caller);
  absl::StatusOr<ActionResult> TerminatePort(const boost::json::object& body,
                                             const service::Caller& caller);
  absl::StatusOr<ActionResult> RenewPort(const boost::json::object& body,
                                         const service::Caller& caller);
  absl::StatusOr<ActionResult> DestroyPort(const boost::json::object& body,
                                           const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribeDatacenters(const boost::json::object& body,
                                                   const service::Caller& caller);

  // Lookups, traffic and price queries (zenlayer_catalog_handlers.cc).
  absl::StatusOr<ActionResult> DescribePrivateConnectAvailablePorts(const boost::json::object& body,
                                                                    const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribePortUsableVlan(const boost::json::object& body,
                                                      const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribeAWSRegions(const boost::json::object& body,
                                                  const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribeGoogleRegions(const boost::json::object& body,
                                                     const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribeTencentRegions(const boost::json::object& body,
                                                      const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribePrivateConnectTraffic(const boost::json::object& body,
                                                             const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribePortTraffic(const boost::json::object& body,
                                                   const service::Caller& caller);
  absl::StatusOr<ActionResult> InquiryCreatePrivateConnectPrice(const boost::json::object& body,
                                                                const service::Caller& caller);
  absl::StatusOr<ActionResult> QueryPrivateConnectBandwidthPrice(const boost::json::object& body,
                                                                 const service::Caller& caller);
  absl::StatusOr<ActionResult> QueryPrivateConnectPrice(const boost::json::object& body,
                                                        const service::Caller& caller);
  absl::StatusOr<ActionResult> QueryDataCenterPortPrice(const boost::json::object& body,
                                                        const service::Caller& caller);
  absl::StatusOr<ActionResult> QueryDataCenterPortPrices(const boost::json::object& body,
                                                         const service::Caller& caller);
  absl::StatusOr<ActionResult> DescribeDataCenterPortPrice(const boost::json::object& body,
                                                           const service::Caller& caller);

  service::PrivateConnectService& connects_;
  service::PortService& ports_;
  service::SdnCatalogService& catalog_;
  service::SdnUsageService& usage_;
  service::CredentialService& credentials_;
  stages::RequestStages& stages_;
  const common::Clock& clock_;
  const ZenlayerApiOptions options_;
};

}  // namespace connectplane::api::zenlayer
