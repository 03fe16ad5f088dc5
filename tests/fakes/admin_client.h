// The emulator's admin API (/_connectplane/...) over a ServiceFixture, called
// the way a user's curl would: method, path, JSON body (declared as JSON), from
// loopback with a loopback Host. Fault rules may name both dialects'
// operations, as main wires it. No network. Header-only so each test binary
// compiles it with its own flags; the binary links both dialects.
#pragma once

#include "api/admin/admin_api.h"
#include "api/dms/dms_api.h"
#include "api/zenlayer/zenlayer_api.h"
#include "common/http_message.h"
#include "service/emulator_service.h"

#include "fakes/service_fixture.h"
#include <string>

namespace connectplane::testing {

class AdminClient {
 public:
  // `seed_json` is what a reset restores (empty: the reset leaves no seed).
  explicit AdminClient(ServiceFixture& services, std::string seed_json = "")
      : emulator_(*services.store, services.clock, services.timings, services.controls,
                  std::move(seed_json), nullptr),
        admin_(emulator_, Options()) {}

  // The options main passes, without a token.
  static api::admin::AdminApiOptions Options() {
    api::admin::AdminApiOptions options;
    options.dialects = {
        {std::string(api::dms::DmsApi::kDialect), api::dms::DmsApi::OperationNames()},
        {std::string(api::zenlayer::ZenlayerApi::kDialect),
         api::zenlayer::ZenlayerApi::ActionNames()}};
    return options;
  }

  common::HttpResponse Send(std::string method, std::string target, std::string body) {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.remote_address = "127.0.0.1:40000";
    request.headers.emplace_back("Host", "127.0.0.1:8080");
    if (request.method != "GET") {
      request.headers.emplace_back("Content-Type", "application/json");
    }
    return admin_.Handle(request);
  }

 private:
  service::EmulatorService emulator_;
  api::admin::AdminApi admin_;
};

}  // namespace connectplane::testing
