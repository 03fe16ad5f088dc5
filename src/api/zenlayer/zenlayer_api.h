// The Zenlayer Cloud API 2.0 SDN dialect: POST /api/v2/sdn with the action in
// X-ZC-Action and a JSON body; verifies ZC2-HMAC-SHA256 signatures against the
// seeded credentials, scopes every call to the credential's account, parses
// bodies strictly (zenlayer_requests.h), calls the service and renders
// Zenlayer-shaped answers: {"requestId", "response": {"requestId", ...}} on
// success, the flat error envelope otherwise (zenlayer_errors.h). Every answer
// carries X-Request-Id (= requestId). Safe for concurrent use.
//
// Actions: CreatePrivateConnect, DescribePrivateConnects,
// ModifyPrivateConnectsAttribute, ModifyPrivateConnectBandwidth,
// DeletePrivateConnect (alias TerminatePrivateConnect), RenewPrivateConnect
// (alias RecoverPrivateConnect), DestroyPrivateConnect, DescribePorts. The
// aliases come from an early draft of this emulator; the real API only has
// the first names.
#pragma once

#include "auth/zenlayer_signer.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "service/caller.h"
#include "service/credential_service.h"
#include "service/private_connect_service.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/json/object.hpp"
#include <string>
#include <string_view>

namespace connectplane::api::zenlayer {

struct ZenlayerApiOptions {
  absl::Duration max_clock_skew = auth::kZenlayerMaxClockSkew;
};

class ZenlayerApi {
 public:
  ZenlayerApi(service::PrivateConnectService& connects, service::CredentialService& credentials,
              const common::Clock& clock, ZenlayerApiOptions options = {});

  // True when `path` belongs to this dialect ("/api/v2" or below).
  static bool Owns(std::string_view path);

  common::HttpResponse Handle(const common::HttpRequest& request);

  // "T" + upper-case UUID, the shape of the docs' requestId example.
  static std::string NewRequestId();

 private:
  absl::StatusOr<service::Caller> Authenticate(const common::HttpRequest& request);
  // An action's `response` object (without requestId). A Describe page's
  // dataSet is written straight to JSON text (see PrivateConnectArrayWriter)
  // and spliced into the serialized answer as its last member.
  struct ActionResult {
    ActionResult(boost::json::object response_fields)  // NOLINT: implicit on purpose
        : fields(std::move(response_fields)) {}
    boost::json::object fields;
    std::string data_set_json;  // empty: no dataSet member
  };
  // Runs `action`.
  absl::StatusOr<ActionResult> Dispatch(std::string_view action,
                                               const boost::json::object& body,
                                               const service::Caller& caller);

  service::PrivateConnectService& connects_;
  service::CredentialService& credentials_;
  const common::Clock& clock_;
  const ZenlayerApiOptions options_;
};

}  // namespace connectplane::api::zenlayer
