// Shared set-up for the libFuzzer targets: an in-memory SqliteStore with a
// fixed seed (two tenants, a running instance, one with Smart Connect enabled,
// one of another tenant), the services, the DMS dialect and the dispatcher,
// all on a fake clock. Single-threaded, as libFuzzer runs inputs one by one.
#pragma once

#include "api/admin/admin_api.h"
#include "api/dms/dms_api.h"
#include "api/stages/request_stages.h"
#include "api/zenlayer/zenlayer_api.h"
#include "auth/huawei_signer.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "http/dispatcher.h"
#include "service/connector_task_service.h"
#include "service/credential_service.h"
#include "service/emulator_controls.h"
#include "service/emulator_service.h"
#include "service/idempotency.h"
#include "service/job_queue.h"
#include "service/job_timings.h"
#include "service/kafka_config_service.h"
#include "service/kafka_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"
#include "service/port_service.h"
#include "service/private_connect_service.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fuzz_common.h"
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::fuzz {

inline constexpr char kSeed[] = R"({
  "huawei": {
    "credentials": [
      {"access_key": "HPUAEXAMPLEAK0000001", "secret_key": "ExampleSecretKey0000000000000000000000000",
       "project_id": "0123456789abcdef0123456789abcdef", "user_name": "demo", "user_id": "u1"},
      {"access_key": "HPUAEXAMPLEAK0000002", "secret_key": "OtherSecret",
       "project_id": "fedcba9876543210fedcba9876543210", "user_name": "other", "user_id": "u2"}
    ],
    "kafka_instances": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "demo-kafka",
       "specification": "100MB", "storage_space": 600},
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "b2c3d4e5-0000-1111-2222-333344445555", "name": "enabled",
       "connector_enable": true, "connector_id": "9f0e1d2c-0000-1111-2222-333344445555",
       "connector_node_num": 2},
      {"project_id": "fedcba9876543210fedcba9876543210",
       "instance_id": "c3d4e5f6-0000-1111-2222-333344445555", "name": "other"}
    ]
  },
  "job_durations_seconds": {"kafka.enable_connector": 2, "kafka.disable_connector": 2}
})";

// The services, both dialects, the admin API and the dispatcher, wired as
// main wires them, over a seeded in-memory store. Opening a store (migrations)
// costs ~10 ms under ASan, so targets keep one and call Reset() per input:
// every row is deleted and the fixed seed applied again, which keeps inputs
// independent and runs deterministic.
class DmsEnv {
 public:
  DmsEnv() {
    auto opened = store::SqliteStore::Open(":memory:");
    if (!opened.ok()) {
      OracleFailed("cannot open in-memory store");
    }
    store_ = std::move(*opened);
    if (!service::ApplySeed(*store_, kSeed, clock_, &timings_).ok()) {
      OracleFailed("fixed seed does not apply");
    }
    credentials_ = std::make_unique<service::CredentialService>(*store_);
    jobs_ = std::make_unique<service::JobQueue>(*store_, clock_, timings_, nullptr);
    kafka_ = std::make_unique<service::KafkaService>(*store_, clock_, *jobs_);
    tasks_ = std::make_unique<service::ConnectorTaskService>(*store_, clock_, *jobs_);
    connects_ = std::make_unique<service::PrivateConnectService>(*store_, clock_, *jobs_);
    idempotency_ = std::make_unique<service::IdempotencyService>(*store_, clock_);
    stages_ = std::make_unique<api::stages::RequestStages>(controls_, *idempotency_);
    kafka_tags_ = std::make_unique<service::KafkaTagService>(*store_, clock_);
    kafka_configs_ = std::make_unique<service::KafkaConfigService>(*store_, *jobs_);
    kafka_topics_ = std::make_unique<service::KafkaTopicService>(*store_, clock_);
    api_ = std::make_unique<api::dms::DmsApi>(
        *kafka_, *tasks_, *credentials_, *stages_, clock_,
        api::dms::KafkaItemServices{*kafka_tags_, *kafka_configs_, *kafka_topics_});
    ports_ = std::make_unique<service::PortService>(*store_, clock_, *jobs_);
    sdn_catalog_ = std::make_unique<service::SdnCatalogService>(*store_);
    sdn_usage_ = std::make_unique<service::SdnUsageService>(*store_, clock_);
    zenlayer_ = std::make_unique<api::zenlayer::ZenlayerApi>(
        *connects_, *ports_, *sdn_catalog_, *sdn_usage_, *credentials_, *stages_, clock_);
    emulator_ = std::make_unique<service::EmulatorService>(*store_, clock_, timings_, controls_,
                                                           kSeed, nullptr);
    admin_ = std::make_unique<api::admin::AdminApi>(*emulator_, api::admin::AdminApiOptions{});
    dispatcher_ = std::make_unique<http::Dispatcher>(*api_, *zenlayer_, *admin_);
  }

  // Back to the freshly seeded state.
  void Reset() {
    if (!store_->Write([](store::StoreTransaction& txn) { return txn.DeleteAllData(); }).ok() ||
        !service::ApplySeed(*store_, kSeed, clock_, &timings_).ok()) {
      OracleFailed("cannot reset the store");
    }
  }

  const common::Clock& clock() const { return clock_; }
  api::dms::DmsApi& api() { return *api_; }
  http::Dispatcher& dispatcher() { return *dispatcher_; }
  store::Store& store() { return *store_; }

  // Adds X-Sdk-Date (unless present) and an Authorization header signed with
  // the tenant's key over every header the request carries. Returns false when
  // the request cannot be signed (a malformed query).
  bool Sign(common::HttpRequest& request, std::string_view ak = kAk, std::string_view sk = kSk) {
    if (!request.Header("X-Sdk-Date")) {
      request.headers.emplace_back(
          "X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", clock_.Now(), absl::UTCTimeZone()));
    }
    if (!request.Header("host")) {
      request.headers.emplace_back("host", "127.0.0.1:18080");
    }
    std::vector<std::string> signed_headers = {"host", "x-sdk-date"};
    if (request.Header("content-type")) {
      signed_headers.push_back("content-type");
    }
    if (request.Header("x-project-id")) {
      signed_headers.push_back("x-project-id");
    }
    auto authorization = auth::SignHuaweiRequest(request, ak, sk, signed_headers);
    if (!authorization.ok()) {
      return false;
    }
    request.headers.emplace_back("Authorization", *authorization);
    return true;
  }

 private:
  FixedClock clock_;
  service::JobTimings timings_;
  service::EmulatorControls controls_{7};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<service::CredentialService> credentials_;
  std::unique_ptr<service::JobQueue> jobs_;
  std::unique_ptr<service::KafkaService> kafka_;
  std::unique_ptr<service::ConnectorTaskService> tasks_;
  std::unique_ptr<service::PrivateConnectService> connects_;
  std::unique_ptr<service::IdempotencyService> idempotency_;
  std::unique_ptr<api::stages::RequestStages> stages_;
  std::unique_ptr<service::KafkaTagService> kafka_tags_;
  std::unique_ptr<service::KafkaConfigService> kafka_configs_;
  std::unique_ptr<service::KafkaTopicService> kafka_topics_;
  std::unique_ptr<api::dms::DmsApi> api_;
  std::unique_ptr<service::PortService> ports_;
  std::unique_ptr<service::SdnCatalogService> sdn_catalog_;
  std::unique_ptr<service::SdnUsageService> sdn_usage_;
  std::unique_ptr<api::zenlayer::ZenlayerApi> zenlayer_;
  std::unique_ptr<service::EmulatorService> emulator_;
  std::unique_ptr<api::admin::AdminApi> admin_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
};

// Checks what every dialect answer must satisfy: a status the dialect uses,
// no 5xx (nothing in the request path may fail internally on bad input), and
// for errors a JSON body with error_code and error_msg.
inline void CheckDmsResponse(const common::HttpResponse& response) {
  if (response.status < 200 || response.status >= 500) {
    OracleFailed("status " + std::to_string(response.status) + ": " + response.body);
  }
  if (response.status == 204) {  // delete / pause / resume / restart: no body
    if (!response.body.empty()) OracleFailed("204 answer with a body: " + response.body);
    return;
  }
  boost::json::error_code error;
  boost::json::value body = boost::json::parse(response.body, error);
  if (error || !body.is_object()) {
    OracleFailed("answer is not a JSON object: " + response.body);
  }
  if (response.status >= 400) {
    const boost::json::object& object = body.as_object();
    const boost::json::value* code = object.if_contains("error_code");
    const boost::json::value* message = object.if_contains("error_msg");
    if (code == nullptr || !code->is_string() || message == nullptr || !message->is_string()) {
      OracleFailed("error answer without error_code/error_msg: " + response.body);
    }
  }
}

// What every answer of the dispatcher must satisfy, in the shape of the
// dialect that gave it: no 5xx, and for errors the dialect's error members
// (DMS and unknown paths: error_code/error_msg; Zenlayer: requestId/code/
// message; admin: {"error": {code, message}}). Admin successes may be pages,
// scripts or metrics text.
inline void CheckDispatcherResponse(const common::HttpResponse& response) {
  const std::string& dialect = response.access.dialect;
  if (dialect == "dms" || dialect == "server") {
    CheckDmsResponse(response);
    return;
  }
  if (response.status < 200 || response.status >= 500) {
    OracleFailed(dialect + " status " + std::to_string(response.status) + ": " + response.body);
  }
  if (response.status < 400 && dialect == "admin") {
    return;
  }
  boost::json::error_code error;
  boost::json::value body = boost::json::parse(response.body, error);
  if (error || !body.is_object()) {
    OracleFailed(dialect + " answer is not a JSON object: " + response.body);
  }
  const boost::json::object& object = body.as_object();
  if (dialect == "admin") {
    const boost::json::value* inner = object.if_contains("error");
    if (inner == nullptr || !inner->is_object() || !inner->as_object().contains("code") ||
        !inner->as_object().contains("message")) {
      OracleFailed("admin error answer without error.code/message: " + response.body);
    }
    return;
  }
  if (dialect == "zenlayer" && response.status >= 400 &&
      (!object.contains("requestId") || !object.contains("code") || !object.contains("message"))) {
    OracleFailed("zenlayer error answer without requestId/code/message: " + response.body);
  }
}

}  // namespace connectplane::fuzz
