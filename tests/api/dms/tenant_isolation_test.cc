// Tenant isolation for every DMS endpoint. Tenant A holds a valid
// credential and sends it, through DmsApi::Handle, against tenant B's resource
// IDs. Contract checked for every endpoint:
//  - A gets exactly the answer a made-up ID of the same shape gets (same HTTP
//    status, same error_code, same message once the ID is masked): the answer
//    does not reveal that B's resource exists;
//  - nothing of B's (name, IDs of related resources) appears in the body;
//  - no stored row changes (full table dump compared before and after).
// Naming B's project in the path with A's credential is refused the same way
// for an existing and a made-up project.
#include "common/strings.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace connectplane::api::dms {
namespace {

using connectplane::testing::DmsAnswer;
using connectplane::testing::DmsCredential;
using connectplane::testing::DmsHarness;
using connectplane::testing::InstancePath;

// The seed's two tenants and their instances (fakes/dms_seed.h).
constexpr DmsCredential kTenantA = connectplane::testing::kCredential;
constexpr DmsCredential kTenantB = connectplane::testing::kOtherCredential;
constexpr const char* kInstanceA = connectplane::testing::kInstance;
constexpr const char* kInstanceB = connectplane::testing::kOtherInstance;
constexpr const char* kTenantBInstanceName = connectplane::testing::kOtherInstanceName;
// Same shape as kInstanceB, stored nowhere.
constexpr char kMadeUpInstance[] = "c3d4e5f6-9999-1111-2222-333344445555";
constexpr char kMadeUpProject[] = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

constexpr char kTenantBTaskBody[] = R"({
  "task_name": "tenant-b-secret-task", "topics": "orders", "source_type": "NONE",
  "sink_type": "OBS_SINK",
  "sink_task": {"consumer_strategy": "latest", "destination_file_type": "TEXT",
                "deliver_time_interval": 300, "access_key": "AK", "secret_key": "SK",
                "obs_bucket_name": "bucket", "obs_path": "dump"}
})";

class DmsTenantIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // B enables Smart Connect: B now owns an enabled connector and a task.
    const std::string instance_b = InstancePath(kInstanceB, kTenantB.project_id);
    DmsAnswer enabled =
        harness_.Call(kTenantB, "POST", instance_b + "/connector", R"({"node_cnt":2})");
    ASSERT_EQ(enabled.status, 200) << enabled.raw_body;
    task_b_ = std::string(enabled.body.at("job_id").as_string());
    connector_b_ = std::string(enabled.body.at("connector_id").as_string());
    harness_.services.RunJobsAfter(absl::Seconds(3));
    ASSERT_EQ(harness_.Call(kTenantB, "GET", instance_b).status, 200);
    // ... and a running connector task on it.
    DmsAnswer task =
        harness_.Call(kTenantB, "POST", instance_b + "/connector/tasks", kTenantBTaskBody);
    ASSERT_EQ(task.status, 200) << task.raw_body;
    connector_task_b_ = std::string(task.body.at("id").as_string());
    harness_.services.RunJobsAfter(absl::Seconds(3));
  }

  static std::string Mask(std::string text, std::string_view secret_id,
                          std::string_view made_up_id) {
    for (std::string_view id : {secret_id, made_up_id}) {
      for (size_t pos = text.find(id); pos != std::string::npos; pos = text.find(id, pos)) {
        text.replace(pos, id.size(), "<id>");
      }
    }
    return text;
  }

  DmsHarness harness_{connectplane::testing::kDmsSeed};
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
  std::string made_up_connector = connector_b_;
  made_up_connector.replace(0, 8, "ffffffff");
  std::string made_up_connector_task = connector_task_b_;
  made_up_connector_task.replace(0, 8, "ffffffff");
  const std::string b_tasks =
      common::StrCat(a_base, "/instances/", kInstanceB, "/connector/tasks/");
  const std::vector<Probe> probes = {
      {"ShowInstance", "GET", a_base + "/instances/{id}", "", kInstanceB, kMadeUpInstance},
      {"EnableConnector", "POST", a_base + "/instances/{id}/connector", R"({"node_cnt":2})",
       kInstanceB, kMadeUpInstance},
      {"EnableConnector (string node_cnt)", "POST", a_base + "/instances/{id}/connector",
       R"({"node_cnt":"3","specification":"100MB"})", kInstanceB, kMadeUpInstance},
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
      {"ShowTask (B's instance)", "GET", common::StrCat(a_base, "/instances/{id}/tasks/", task_b_),
       "", kInstanceB, kMadeUpInstance},
      {"ShowTask (A's instance, B's task)", "GET",
       common::StrCat(a_base, "/instances/", kInstanceA, "/tasks/{id}"), "", task_b_, made_up_task},
      {"DeleteTask (B's instance)", "DELETE",
       common::StrCat(a_base, "/instances/{id}/tasks/", task_b_), "", kInstanceB, kMadeUpInstance},
      {"DeleteTask (A's instance, B's task)", "DELETE",
       common::StrCat(a_base, "/instances/", kInstanceA, "/tasks/{id}"), "", task_b_, made_up_task},
      {"ShowTaskProgress (B's instance)", "GET",
       common::StrCat(a_base, "/instances/{id}/tasks/", task_b_, "/progress"), "", kInstanceB,
       kMadeUpInstance},
      {"ShowTaskProgress (A's instance, B's task)", "GET",
       common::StrCat(a_base, "/instances/", kInstanceA, "/tasks/{id}/progress"), "", task_b_,
       made_up_task},
      {"ModifyConnectorTask (B's instance)", "PUT",
       common::StrCat(a_base, "/instances/{id}/connector/tasks/", connector_task_b_),
       R"({"topics":"stolen"})", kInstanceB, kMadeUpInstance},
      {"ModifyConnectorTask (B's task id)", "PUT", b_tasks + "{id}", R"({"topics":"stolen"})",
       connector_task_b_, made_up_connector_task},
      {"ValidateConnectorConnectivity", "POST", a_base + "/instances/{id}/connector/validate",
       R"({"task":{"bootstrap_servers":"kafka:9092"}})", kInstanceB, kMadeUpInstance},
      {"ListInstances by id", "GET", a_base + "/instances?instance_id={id}", "", kInstanceB,
       kMadeUpInstance},
      {"ListInstances by name", "GET", a_base + "/instances?name={id}", "", kTenantBInstanceName,
       "tenant-x-private-name"},
      {"DeleteInstance", "DELETE", a_base + "/instances/{id}", "", kInstanceB, kMadeUpInstance},
      {"CreateConnectorTask", "POST", a_base + "/instances/{id}/connector/tasks", kTenantBTaskBody,
       kInstanceB, kMadeUpInstance},
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
      {"UpdateInstance", "PUT", a_base + "/instances/{id}", R"({"name":"stolen-name"})",
       kInstanceB, kMadeUpInstance},
      {"ResizeKafkaInstance", "POST", a_base + "/kafka/instances/{id}/extend",
       R"({"oper_type":"storage","new_storage_space":2000})", kInstanceB, kMadeUpInstance},
      {"ResizeEngineInstance", "POST",
       common::StrCat("/v2/kafka/", kTenantA.project_id, "/instances/{id}/extend"),
       R"({"oper_type":"horizontal","new_broker_num":4})", kInstanceB, kMadeUpInstance},
      {"UpdateInstanceCrossVpcIp", "POST", a_base + "/instances/{id}/crossvpc/modify",
       R"({"advertised_ip_contents":{"192.168.0.11":"10.0.0.1"}})", kInstanceB, kMadeUpInstance},
      {"BatchRestartOrDeleteInstances (delete)", "POST", a_base + "/instances/action",
       R"({"action":"delete","instances":["{id}"]})", kInstanceB, kMadeUpInstance},
      {"BatchRestartOrDeleteInstances (restart)", "POST", a_base + "/instances/action",
       R"({"action":"restart","instances":["{id}"]})", kInstanceB, kMadeUpInstance},
      {"RestartSmartConnectorTask (kafka path)", "PUT",
       common::StrCat(a_base, "/kafka/instances/{id}/connector/tasks/", connector_task_b_,
                      "/restart"),
       "", kInstanceB, kMadeUpInstance},
      // The legacy dump-task API names B's instance by B's connector id.
      {"ListSinkTasks", "GET", a_base + "/connectors/{id}/sink-tasks", "", connector_b_,
       made_up_connector},
      {"CreateSinkTask", "POST", a_base + "/connectors/{id}/sink-tasks",
       R"({"source_type":"BLOB","task_name":"stolen","destination_type":"OBS",)"
       R"("obs_destination_descriptor":{"topics":"orders","access_key":"AK","secret_key":"SK",)"
       R"("obs_bucket_name":"bucket","partition_format":"yyyy","deliver_time_interval":300}})",
       connector_b_, made_up_connector},
      {"ShowSinkTaskDetail (B's connector)", "GET",
       common::StrCat(a_base, "/connectors/{id}/sink-tasks/", connector_task_b_), "", connector_b_,
       made_up_connector},
      {"DeleteSinkTask (B's connector)", "DELETE",
       common::StrCat(a_base, "/connectors/{id}/sink-tasks/", connector_task_b_), "", connector_b_,
       made_up_connector},
  };
  const std::string before = harness_.DumpEverything();
  for (const Probe& probe : probes) {
    SCOPED_TRACE(probe.endpoint);
    auto fill = [](std::string text, const std::string& id) {
      for (size_t pos = text.find("{id}"); pos != std::string::npos; pos = text.find("{id}")) {
        text.replace(pos, 4, id);
      }
      return text;
    };
    DmsAnswer foreign = harness_.Call(kTenantA, probe.method, fill(probe.target, probe.real_id),
                                      fill(probe.body, probe.real_id));
    DmsAnswer made_up = harness_.Call(kTenantA, probe.method, fill(probe.target, probe.made_up_id),
                                      fill(probe.body, probe.made_up_id));
    EXPECT_EQ(foreign.status, made_up.status) << foreign.raw_body << "\nvs\n" << made_up.raw_body;
    EXPECT_EQ(foreign.error_code, made_up.error_code);
    EXPECT_EQ(Mask(foreign.error_msg, probe.real_id, probe.made_up_id),
              Mask(made_up.error_msg, probe.real_id, probe.made_up_id));
    if (foreign.status != 200) {
      EXPECT_EQ(foreign.status, 404) << foreign.raw_body;
      EXPECT_EQ(foreign.error_code, "DMS.00404022");
    }
    for (std::string_view secret :
         {std::string_view(kTenantBInstanceName), std::string_view(connector_b_),
          std::string_view(task_b_), std::string_view(connector_task_b_),
          std::string_view("tenant-b-secret-task"), std::string_view(kTenantB.project_id)}) {
      if (secret == probe.real_id) continue;
      EXPECT_EQ(foreign.raw_body.find(secret), std::string::npos) << secret << " leaked";
    }
  }
  EXPECT_EQ(harness_.DumpEverything(), before) << "a foreign-ID request changed stored state";
}

TEST_F(DmsTenantIsolationTest, ForeignProjectInPathIsRefusedLikeAMadeUpOne) {
  const std::string before = harness_.DumpEverything();
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
    DmsAnswer foreign =
        harness_.Call(kTenantA, method, common::StrCat("/v2/", kTenantB.project_id, suffix), body);
    DmsAnswer made_up =
        harness_.Call(kTenantA, method, common::StrCat("/v2/", kMadeUpProject, suffix), body);
    EXPECT_EQ(foreign.status, 403);
    EXPECT_EQ(foreign.error_code, "APIGW.0306");
    EXPECT_EQ(foreign.status, made_up.status);
    EXPECT_EQ(foreign.error_code, made_up.error_code);
    EXPECT_EQ(foreign.raw_body.find(kTenantBInstanceName), std::string::npos);
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
}

TEST_F(DmsTenantIsolationTest, ListingsNeverShowTheOtherTenant) {
  DmsAnswer listed =
      harness_.Call(kTenantA, "GET", common::StrCat("/v2/", kTenantA.project_id, "/instances"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.raw_body.find(kInstanceA), std::string::npos);
  EXPECT_EQ(listed.raw_body.find(kInstanceB), std::string::npos);
  EXPECT_EQ(listed.raw_body.find(kTenantBInstanceName), std::string::npos);
  // B still sees its own enabled connector, untouched by everything above.
  DmsAnswer own = harness_.Call(kTenantB, "GET", InstancePath(kInstanceB, kTenantB.project_id));
  ASSERT_EQ(own.status, 200);
  EXPECT_NE(own.raw_body.find(connector_b_), std::string::npos);
}

}  // namespace
}  // namespace connectplane::api::dms
