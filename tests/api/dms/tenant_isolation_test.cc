// Tenant isolation for every DMS endpoint (issue 7). Tenant A holds a valid
// credential and sends it, through DmsApi::Handle, against tenant B's resource
// IDs. Contract checked for every endpoint:
//  - A gets exactly the answer a made-up ID of the same shape gets (same HTTP
//    status, same error_code, same message once the ID is masked): the answer
//    does not reveal that B's resource exists;
//  - nothing of B's (name, IDs of related resources) appears in the body;
//  - no stored row changes (full table dump compared before and after).
// Naming B's project in the path with A's credential is refused the same way
// for an existing and a made-up project.
#include "api/dms/dms_api.h"
#include "auth/huawei_signer.h"
#include "common/status.h"
#include "common/strings.h"
#include "jobs/job_runner.h"
#include "service/seed.h"
#include "service/smart_connect_jobs.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include "fakes/store_dump.h"
#include <memory>
#include <string>
#include <vector>

namespace connectplane::api::dms {
namespace {

struct Tenant {
  std::string access_key;
  std::string secret_key;
  std::string project_id;
};

const Tenant kTenantA{"HPUAEXAMPLEAK0000001", "ExampleSecretKey0000000000000000000000000",
                      "0123456789abcdef0123456789abcdef"};
const Tenant kTenantB{"HPUAEXAMPLEAK0000002", "OtherTenantSecret000000000000000000000000",
                      "fedcba9876543210fedcba9876543210"};
constexpr char kInstanceA[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kInstanceB[] = "c3d4e5f6-0000-1111-2222-333344445555";
// Same shape as kInstanceB, stored nowhere.
constexpr char kMadeUpInstance[] = "c3d4e5f6-9999-1111-2222-333344445555";
constexpr char kMadeUpProject[] = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
constexpr char kTenantBInstanceName[] = "tenant-b-private-name";

constexpr char kSeed[] = R"({
  "huawei": {
    "credentials": [
      {"access_key": "HPUAEXAMPLEAK0000001", "secret_key": "ExampleSecretKey0000000000000000000000000",
       "project_id": "0123456789abcdef0123456789abcdef", "user_name": "a", "user_id": "ua"},
      {"access_key": "HPUAEXAMPLEAK0000002", "secret_key": "OtherTenantSecret000000000000000000000000",
       "project_id": "fedcba9876543210fedcba9876543210", "user_name": "b", "user_id": "ub"}
    ],
    "kafka_instances": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "tenant-a-instance"},
      {"project_id": "fedcba9876543210fedcba9876543210",
       "instance_id": "c3d4e5f6-0000-1111-2222-333344445555", "name": "tenant-b-private-name"}
    ]
  }
})";

constexpr char kTenantBTaskBody[] = R"({
  "task_name": "tenant-b-secret-task", "topics": "orders", "source_type": "NONE",
  "sink_type": "OBS_SINK",
  "sink_task": {"consumer_strategy": "latest", "destination_file_type": "TEXT",
                "deliver_time_interval": 300, "access_key": "AK", "secret_key": "SK",
                "obs_bucket_name": "bucket", "obs_path": "dump"}
})";

struct Answer {
  int status = 0;
  std::string body;
  std::string error_code;
  std::string error_msg;
};

class DmsTenantIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::SqliteStore::Open(":memory:"));
    ASSERT_TRUE(service::ApplySeed(*store_, kSeed, clock_, &timings_).ok());
    timings_.SetDefault(absl::Seconds(2));
    runner_ = std::make_unique<jobs::JobRunner>(*store_, clock_);
    service::RegisterSmartConnectJobs(*runner_);
    credentials_ = std::make_unique<service::CredentialService>(*store_);
    kafka_ = std::make_unique<service::KafkaService>(*store_, clock_, timings_, nullptr);
    api_ = std::make_unique<DmsApi>(*kafka_, *credentials_, clock_);

    // B enables Smart Connect: B now owns an enabled connector and a task.
    Answer enabled = Call(kTenantB, "POST", InstancePath(kTenantB, kInstanceB) + "/connector",
                          R"({"node_cnt":2})");
    ASSERT_EQ(enabled.status, 200) << enabled.body;
    boost::json::object enabled_body = boost::json::parse(enabled.body).as_object();
    task_b_ = std::string(enabled_body.at("job_id").as_string());
    connector_b_ = std::string(enabled_body.at("connector_id").as_string());
    clock_.Advance(absl::Seconds(3));
    ASSERT_TRUE(runner_->RunDueJobs().ok());
    ASSERT_EQ(Call(kTenantB, "GET", InstancePath(kTenantB, kInstanceB)).status, 200);
    // ... and a running connector task on it.
    Answer task = Call(kTenantB, "POST", InstancePath(kTenantB, kInstanceB) + "/connector/tasks",
                       kTenantBTaskBody);
    ASSERT_EQ(task.status, 200) << task.body;
    connector_task_b_ =
        std::string(boost::json::parse(task.body).as_object().at("id").as_string());
    clock_.Advance(absl::Seconds(3));
    ASSERT_TRUE(runner_->RunDueJobs().ok());
  }

  common::HttpRequest Signed(const Tenant& tenant, std::string method, std::string target,
                             std::string body) {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers = {
        {"Content-Type", "application/json"},
        {"X-Project-Id", tenant.project_id},
        {"X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", clock_.Now(), absl::UTCTimeZone())},
        {"host", "127.0.0.1:18080"},
    };
    auto authorization =
        auth::SignHuaweiRequest(request, tenant.access_key, tenant.secret_key,
                                {"content-type", "host", "x-project-id", "x-sdk-date"});
    EXPECT_TRUE(authorization.ok()) << authorization.status();
    request.headers.emplace_back("Authorization", authorization.value_or(""));
    return request;
  }

  Answer Call(const Tenant& tenant, std::string method, std::string target,
              std::string body = "") {
    common::HttpResponse response =
        api_->Handle(Signed(tenant, std::move(method), std::move(target), std::move(body)));
    Answer answer{response.status, response.body, "", ""};
    boost::json::error_code error;
    boost::json::value parsed = boost::json::parse(response.body, error);
    EXPECT_FALSE(error) << response.body;
    if (parsed.is_object()) {
      if (const auto* code = parsed.as_object().if_contains("error_code")) {
        answer.error_code = std::string(code->as_string());
      }
      if (const auto* message = parsed.as_object().if_contains("error_msg")) {
        answer.error_msg = std::string(message->as_string());
      }
    }
    return answer;
  }

  static std::string InstancePath(const Tenant& tenant, std::string_view instance) {
    return common::StrCat("/v2/", tenant.project_id, "/instances/", instance);
  }

  std::string DumpEverything() { return connectplane::testing::DumpAllRows(*store_); }

  static std::string Mask(std::string text, std::string_view secret_id,
                          std::string_view made_up_id) {
    for (std::string_view id : {secret_id, made_up_id}) {
      for (size_t pos = text.find(id); pos != std::string::npos; pos = text.find(id, pos)) {
        text.replace(pos, id.size(), "<id>");
      }
    }
    return text;
  }

  testing::FakeClock clock_{absl::FromUnixSeconds(1795000000)};
  service::JobTimings timings_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<service::CredentialService> credentials_;
  std::unique_ptr<service::KafkaService> kafka_;
  std::unique_ptr<DmsApi> api_;
  std::string task_b_;
  std::string connector_b_;
  std::string connector_task_b_;
};

// One endpoint as tenant A calls it: `{id}` in target/body is replaced once
// by B's real ID and once by a made-up ID of the same shape.
struct Probe {
  std::string endpoint;
  std::string method;
  std::string target;
  std::string body;
  std::string real_id;
  std::string made_up_id;
};

TEST_F(DmsTenantIsolationTest, EveryEndpointAnswersForeignIdsLikeMadeUpOnes) {
  const std::string a_base = common::StrCat("/v2/", kTenantA.project_id);
  std::string made_up_task = task_b_;
  made_up_task.replace(0, 8, "ffffffff");
  std::string made_up_connector_task = connector_task_b_;
  made_up_connector_task.replace(0, 8, "ffffffff");
  const std::string b_tasks = common::StrCat(a_base, "/instances/", kInstanceB, "/connector/tasks/");
  const std::vector<Probe> probes = {
      {"ShowInstance", "GET", a_base + "/instances/{id}", "", kInstanceB, kMadeUpInstance},
      {"EnableConnector", "POST", a_base + "/instances/{id}/connector", R"({"node_cnt":2})",
       kInstanceB, kMadeUpInstance},
      {"EnableConnector (string node_cnt)", "POST", a_base + "/instances/{id}/connector",
       R"({"node_cnt":"3","specification":"100MB"})", kInstanceB,
       kMadeUpInstance},
      {"ShowConnector", "GET", a_base + "/instances/{id}/connector", "", kInstanceB,
       kMadeUpInstance},
      {"DisableConnector", "POST", a_base + "/kafka/instances/{id}/delete-connector", "",
       kInstanceB, kMadeUpInstance},
      {"DisableConnector (body names the instance)", "POST",
       a_base + "/kafka/instances/{id}/delete-connector", R"({"instance_id":"{id}"})", kInstanceB,
       kMadeUpInstance},
      {"ListTasks", "GET", a_base + "/instances/{id}/tasks", "", kInstanceB, kMadeUpInstance},
      {"ListTasks (filtered)", "GET", a_base + "/instances/{id}/tasks?start=1&limit=10", "",
       kInstanceB, kMadeUpInstance},
      {"ShowTask (B's instance)", "GET",
       common::StrCat(a_base, "/instances/{id}/tasks/", task_b_), "", kInstanceB,
       kMadeUpInstance},
      {"ShowTask (A's instance, B's task)", "GET",
       common::StrCat(a_base, "/instances/", kInstanceA, "/tasks/{id}"), "", task_b_,
       made_up_task},
      {"ListInstances by id", "GET", a_base + "/instances?instance_id={id}", "", kInstanceB,
       kMadeUpInstance},
      {"ListInstances by name", "GET", a_base + "/instances?name={id}", "", kTenantBInstanceName,
       "tenant-x-private-name"},
      {"DeleteInstance", "DELETE", a_base + "/instances/{id}", "", kInstanceB, kMadeUpInstance},
      {"CreateConnectorTask", "POST", a_base + "/instances/{id}/connector/tasks",
       kTenantBTaskBody, kInstanceB, kMadeUpInstance},
      {"ListConnectorTasks", "GET", a_base + "/instances/{id}/connector/tasks", "", kInstanceB,
       kMadeUpInstance},
      {"ShowConnectorTask (B's instance)", "GET",
       common::StrCat(a_base, "/instances/{id}/connector/tasks/", connector_task_b_), "",
       kInstanceB, kMadeUpInstance},
      {"ShowConnectorTask (B's task id)", "GET", b_tasks + "{id}", "", connector_task_b_,
       made_up_connector_task},
      {"DeleteConnectorTask", "DELETE", b_tasks + "{id}", "", connector_task_b_,
       made_up_connector_task},
      {"PauseConnectorTask", "PUT", b_tasks + "{id}/pause", "", connector_task_b_,
       made_up_connector_task},
      {"ResumeConnectorTask", "PUT", b_tasks + "{id}/resume", "", connector_task_b_,
       made_up_connector_task},
      {"RestartConnectorTask", "PUT", b_tasks + "{id}/restart", "", connector_task_b_,
       made_up_connector_task},
      {"RestartSmartConnectorTask (kafka path)", "PUT",
       common::StrCat(a_base, "/kafka/instances/{id}/connector/tasks/", connector_task_b_,
                      "/restart"),
       "", kInstanceB, kMadeUpInstance},
  };
  const std::string before = DumpEverything();
  for (const Probe& probe : probes) {
    SCOPED_TRACE(probe.endpoint);
    auto fill = [](std::string text, const std::string& id) {
      for (size_t pos = text.find("{id}"); pos != std::string::npos; pos = text.find("{id}")) {
        text.replace(pos, 4, id);
      }
      return text;
    };
    Answer foreign = Call(kTenantA, probe.method, fill(probe.target, probe.real_id),
                          fill(probe.body, probe.real_id));
    Answer made_up = Call(kTenantA, probe.method, fill(probe.target, probe.made_up_id),
                          fill(probe.body, probe.made_up_id));
    EXPECT_EQ(foreign.status, made_up.status) << foreign.body << "\nvs\n" << made_up.body;
    EXPECT_EQ(foreign.error_code, made_up.error_code);
    EXPECT_EQ(Mask(foreign.error_msg, probe.real_id, probe.made_up_id),
              Mask(made_up.error_msg, probe.real_id, probe.made_up_id));
    if (foreign.status != 200) {
      EXPECT_EQ(foreign.status, 404) << foreign.body;
      EXPECT_EQ(foreign.error_code, "DMS.00404022");
    }
    for (std::string_view secret :
         {std::string_view(kTenantBInstanceName), std::string_view(connector_b_),
          std::string_view(task_b_), std::string_view(connector_task_b_),
          std::string_view("tenant-b-secret-task"), std::string_view(kTenantB.project_id)}) {
      if (secret == probe.real_id) continue;
      EXPECT_EQ(foreign.body.find(secret), std::string::npos) << secret << " leaked";
    }
  }
  EXPECT_EQ(DumpEverything(), before) << "a foreign-ID request changed stored state";
}

TEST_F(DmsTenantIsolationTest, ForeignProjectInPathIsRefusedLikeAMadeUpOne) {
  const std::string before = DumpEverything();
  for (const auto& [method, suffix, body] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/instances", ""},
           {"GET", common::StrCat("/instances/", kInstanceB), ""},
           {"POST", common::StrCat("/instances/", kInstanceB, "/connector"), R"({"node_cnt":2})"},
           {"POST", common::StrCat("/kafka/instances/", kInstanceB, "/delete-connector"), ""},
           {"GET", common::StrCat("/instances/", kInstanceB, "/tasks"), ""},
           {"DELETE", common::StrCat("/instances/", kInstanceB), ""},
           {"GET", common::StrCat("/instances/", kInstanceB, "/connector/tasks"), ""},
           {"POST", "/kafka/instances", "{}"},
       }) {
    SCOPED_TRACE(method + " " + suffix);
    Answer foreign =
        Call(kTenantA, method, common::StrCat("/v2/", kTenantB.project_id, suffix), body);
    Answer made_up = Call(kTenantA, method, common::StrCat("/v2/", kMadeUpProject, suffix), body);
    EXPECT_EQ(foreign.status, 403);
    EXPECT_EQ(foreign.error_code, "APIGW.0306");
    EXPECT_EQ(foreign.status, made_up.status);
    EXPECT_EQ(foreign.error_code, made_up.error_code);
    EXPECT_EQ(foreign.body.find(kTenantBInstanceName), std::string::npos);
  }
  EXPECT_EQ(DumpEverything(), before);
}

TEST_F(DmsTenantIsolationTest, ListingsNeverShowTheOtherTenant) {
  Answer listed = Call(kTenantA, "GET", common::StrCat("/v2/", kTenantA.project_id, "/instances"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(kInstanceA), std::string::npos);
  EXPECT_EQ(listed.body.find(kInstanceB), std::string::npos);
  EXPECT_EQ(listed.body.find(kTenantBInstanceName), std::string::npos);
  // B still sees its own enabled connector, untouched by everything above.
  Answer own = Call(kTenantB, "GET", InstancePath(kTenantB, kInstanceB));
  ASSERT_EQ(own.status, 200);
  EXPECT_NE(own.body.find(connector_b_), std::string::npos);
}

}  // namespace
}  // namespace connectplane::api::dms
