// The dispatcher as main wires it (DMS, Zenlayer and admin APIs) over the DMS
// harness's services and request stages, with no start-up seed to reset to
// and nothing to wake on a change. No network. Header-only, like the other
// fakes.
#pragma once

#include "api/admin/admin_api.h"
#include "api/zenlayer/zenlayer_api.h"
#include "http/dispatcher.h"
#include "service/emulator_service.h"

#include "fakes/admin_client.h"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"

namespace connectplane::testing {

struct DispatcherHarness {
  DmsHarness dms{kDmsSeed};
  api::zenlayer::ZenlayerApi zenlayer{dms.services.connects, dms.services.ports,
                                      dms.services.credentials, dms.stages, dms.services.clock};
  service::EmulatorService emulator{*dms.services.store,
                                    dms.services.clock,
                                    dms.services.timings,
                                    dms.services.controls,
                                    "",
                                    nullptr};
  api::admin::AdminApi admin{emulator, AdminClient::Options()};
  http::Dispatcher dispatcher{dms.api, zenlayer, admin};
};

}  // namespace connectplane::testing
