// Every Zenlayer SDN action through ZenlayerApi::Handle with a correctly
// signed request (ZC2-HMAC-SHA256), so the fuzzed body reaches the strict
// request parsing and the private connect service. Input: byte 0 picks the
// X-ZC-Action (one of the known names, or with the last choice a fuzzed name
// "<name>\0" taken from the front of the payload); the rest is the JSON body.
// Oracles: no 5xx, a JSON answer ({"requestId","response"} on success,
// {"requestId","code","message"} on error), a signed request is never
// refused as unauthenticated, and a refused request changes no state.
#include "api/stages/request_stages.h"
#include "api/zenlayer/zenlayer_api.h"
#include "auth/zenlayer_signer.h"
#include "common/strings.h"
#include "service/credential_service.h"
#include "service/emulator_controls.h"
#include "service/idempotency.h"
#include "service/job_queue.h"
#include "service/job_timings.h"
#include "service/private_connect_service.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fuzz_common.h"
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

namespace fz = connectplane::fuzz;
namespace store = connectplane::store;
using connectplane::common::StrCat;

constexpr char kKeyId[] = "ZLKEYID000000001";
constexpr char kPassword[] = "ZenlayerExamplePassword000000000";

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "ZLKEYID000000001", "access_key_password": "ZenlayerExamplePassword000000000",
       "account_id": "acct-1"},
      {"access_key_id": "ZLKEYID000000002", "access_key_password": "other", "account_id": "acct-2"}
    ],
    "ports": [
      {"account_id": "acct-1", "portId": "port-a", "portName": "A", "dcId": "SIN1"},
      {"account_id": "acct-1", "portId": "port-b", "portName": "B", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "port-e", "portName": "E", "dcId": "FRA1"},
      {"account_id": "acct-2", "portId": "port-c", "portName": "C", "dcId": "SIN1"},
      {"account_id": "acct-2", "portId": "port-d", "portName": "D", "dcId": "HKG1"}
    ],
    "private_connects": [
      {"account_id": "acct-1", "privateConnectId": "pc-running", "bandwidthMbps": 10,
       "endpointA": {"portId": "port-a", "vlanId": 100}, "endpointZ": {"portId": "port-b", "vlanId": 100}},
      {"account_id": "acct-1", "privateConnectId": "pc-recycled", "privateConnectStatus": "RECYCLED",
       "endpointA": {"portId": "port-a", "vlanId": 200}, "endpointZ": {"portId": "port-e", "vlanId": 200}},
      {"account_id": "acct-2", "privateConnectId": "pc-other",
       "endpointA": {"portId": "port-c", "vlanId": 100}, "endpointZ": {"portId": "port-d", "vlanId": 100}}
    ]
  }
})";

constexpr std::string_view kActions[] = {
    "CreatePrivateConnect",          "DescribePrivateConnects", "ModifyPrivateConnectsAttribute",
    "ModifyPrivateConnectBandwidth", "DeletePrivateConnect",    "RenewPrivateConnect",
    "DestroyPrivateConnect",         "DescribePorts",
};
constexpr size_t kActionChoices = std::size(kActions) + 1;

std::string Snapshot(store::Store& state) {
  std::string out;
  absl::Status status = state.Read([&](store::StoreTransaction& txn) -> absl::Status {
    for (const char* account : {"acct-1", "acct-2"}) {
      // Every connect, newest first: the limit is far above what one input creates.
      auto connects = txn.QueryPrivateConnects(account, {}, {0, 1000000});
      if (!connects.ok()) return connects.status();
      for (const store::PrivateConnect& row : connects->items) {
        out += StrCat(row.account_id, "|", row.private_connect_id, "|", row.name, "|", row.status,
                      "|", row.bandwidth_mbps, "|", row.endpoint_a.port_id, "|",
                      row.endpoint_a.vlan_id, "|", row.endpoint_z.port_id, "|",
                      row.endpoint_z.vlan_id, "|", row.recycled_at_ms, "|", row.version, "\n");
      }
      auto ports = txn.ListZenlayerPorts(account);
      if (!ports.ok()) return ports.status();
      for (const store::ZenlayerPort& port : *ports) {
        out += StrCat(port.port_id, "|", port.port_status, "|", port.attributes_json, "\n");
      }
    }
    auto due = txn.ListDueJobs(INT64_MAX, 10000);
    if (!due.ok()) return due.status();
    out += StrCat("pending jobs ", due->size(), "\n");
    return absl::OkStatus();
  });
  if (!status.ok()) {
    fz::OracleFailed("cannot read the store: " + status.ToString());
  }
  return out;
}

// This target found that the Zenlayer dialect copied the X-ZC-Action header
// (any bytes HTTP allows) into its error message, making the JSON answer
// invalid UTF-8; it now quotes client input with common::QuoteUntrusted and
// answers must be strict UTF-8 JSON (docs/security.md, "Findings").
constexpr bool kRequireUtf8Answers = true;

void CheckAnswer(const connectplane::common::HttpResponse& response) {
  if (response.status < 200 || response.status >= 500) {
    fz::OracleFailed(StrCat("status ", response.status, ": ", response.body));
  }
  boost::json::parse_options options;
  options.allow_invalid_utf8 = !kRequireUtf8Answers;
  boost::json::error_code error;
  boost::json::value body = boost::json::parse(response.body, error, {}, options);
  if (error || !body.is_object() || !body.as_object().contains("requestId")) {
    fz::OracleFailed("answer is not a Zenlayer JSON envelope: " + response.body);
  }
  const boost::json::object& object = body.as_object();
  if (response.status == 200 ? !object.contains("response")
                             : !object.contains("code") || !object.contains("message")) {
    fz::OracleFailed("answer lacks its envelope fields: " + response.body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  const size_t choice = data[0] % kActionChoices;
  std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string action;
  if (choice < std::size(kActions)) {
    action = std::string(kActions[choice]);
  } else {
    const size_t split = payload.find('\0');
    action = std::string(payload.substr(0, split));
    payload = split == std::string_view::npos ? std::string_view() : payload.substr(split + 1);
  }

  // One store and service stack for the run (opening a store costs ~10 ms
  // under ASan); every row is deleted and the seed re-applied per input.
  static const fz::FixedClock clock;  // trivially destructible
  static auto& timings = *new connectplane::service::JobTimings();
  static store::SqliteStore* const state = [] {
    auto opened = store::SqliteStore::Open(":memory:");
    if (!opened.ok()) {
      fz::OracleFailed("cannot open in-memory store");
    }
    return opened->release();
  }();
  static auto* const jobs = new connectplane::service::JobQueue(*state, clock, timings, nullptr);
  static auto* const connects =
      new connectplane::service::PrivateConnectService(*state, clock, *jobs);
  static auto* const credentials = new connectplane::service::CredentialService(*state);
  static auto* const controls = new connectplane::service::EmulatorControls(7);
  static auto* const idempotency = new connectplane::service::IdempotencyService(*state, clock);
  static auto* const stages = new connectplane::api::stages::RequestStages(*controls, *idempotency);
  static auto* const api =
      new connectplane::api::zenlayer::ZenlayerApi(*connects, *credentials, *stages, clock);
  if (!state->Write([](store::StoreTransaction& txn) { return txn.DeleteAllData(); }).ok() ||
      !connectplane::service::ApplySeed(*state, kSeed, clock, &timings).ok()) {
    fz::OracleFailed("cannot reset the Zenlayer seed");
  }

  connectplane::common::HttpRequest request;
  request.method = "POST";
  request.target = "/api/v2/sdn";
  request.body = std::string(payload);
  request.headers = {
      {"Content-Type", "application/json; charset=utf-8"},
      {"Host", "127.0.0.1:18081"},
      {std::string(connectplane::auth::kZenlayerTimestampHeader),
       StrCat(absl::ToUnixSeconds(clock.Now()))},
      {"X-ZC-Action", action},
      {std::string(connectplane::auth::kZenlayerSignatureMethodHeader),
       std::string(connectplane::auth::kZenlayerAlgorithm)},
  };
  request.headers.emplace_back("Authorization",
                               connectplane::auth::SignZenlayerRequest(request, kKeyId, kPassword));

  const std::string before = Snapshot(*state);
  connectplane::common::HttpResponse response = api->Handle(request);
  CheckAnswer(response);
  if (response.status == 401) {
    fz::OracleFailed("correctly signed Zenlayer request refused: " + response.body);
  }
  if (response.status != 200 && Snapshot(*state) != before) {
    fz::OracleFailed(
        StrCat("refused request (", response.status, ") changed state: ", response.body));
  }
  return 0;
}
