// The emulator's admin API (/_connectplane/...) over a ServiceFixture, called
// the way a user's curl would: method, path, JSON body, from loopback. No
// network. Header-only so each test binary compiles it with its own flags.
#pragma once

#include "api/admin/admin_api.h"
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
        admin_(emulator_, api::admin::AdminApiOptions{}) {}

  common::HttpResponse Send(std::string method, std::string target, std::string body) {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.remote_address = "127.0.0.1:40000";
    return admin_.Handle(request);
  }

 private:
  service::EmulatorService emulator_;
  api::admin::AdminApi admin_;
};

}  // namespace connectplane::testing
