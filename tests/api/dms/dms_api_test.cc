// The DMS dialect through its public entry point, with requests signed the way
// the SDK signs them and a fake clock (fakes/dms_harness.h). No network.
#include "api/dms/dms_api.h"

#include "common/http_message.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include <string>
#include <string_view>

namespace connectplane::api::dms {
namespace {

using connectplane::testing::DmsAnswer;
using connectplane::testing::DmsHarness;
using connectplane::testing::InstancePath;
using connectplane::testing::kAk;
using connectplane::testing::kCredential;
using connectplane::testing::kDmsSeed;
using connectplane::testing::kInstance;
using connectplane::testing::kOtherCredential;
using connectplane::testing::kOtherInstance;
using connectplane::testing::kOtherProject;
using connectplane::testing::kProject;
using connectplane::testing::kSk;

class DmsApiTest : public ::testing::Test {
 protected:
  DmsAnswer Call(const common::HttpRequest& request) { return harness_.Send(request); }

  // Signed with tenant A's credential.
  DmsAnswer Call(std::string method, std::string target, std::string body = "") {
    return harness_.Call(kCredential, std::move(method), std::move(target), std::move(body));
  }

  void ExpectError(const DmsAnswer& answer, int status, std::string_view code) {
    EXPECT_EQ(answer.status, status) << boost::json::serialize(answer.body);
    ASSERT_TRUE(answer.body.is_object());
    EXPECT_EQ(answer.body.at("error_code").as_string(), code)
        << boost::json::serialize(answer.body);
    EXPECT_FALSE(answer.body.at("error_msg").as_string().empty());
    EXPECT_FALSE(answer.request_id.empty());
  }

  std::string InstanceStatus() {
    return std::string(Call("GET", InstancePath()).body.at("status").as_string());
  }

  void RunJobsAfter(absl::Duration delta) { harness_.services.RunJobsAfter(delta); }

  DmsHarness harness_{kDmsSeed};
};

// ---- Instance lifecycle and Smart Connect tasks ----
constexpr char kCreateInstanceBody[] = R"({
  "name": "new-kafka", "engine": "kafka", "engine_version": "3.x", "broker_num": 3,
  "storage_space": 300, "vpc_id": "11111111-2222-3333-4444-555555555555",
  "subnet_id": "21111111-2222-3333-4444-555555555555",
  "security_group_id": "31111111-2222-3333-4444-555555555555",
  "available_zones": ["eu-de-01"], "product_id": "c6.2u4g.cluster",
  "storage_spec_code": "dms.physical.storage.ultra.v2", "description": "made by a test",
  "password": "Secret#123", "tags": [{"key": "env", "value": "test"}]
})";

constexpr char kObsTaskBody[] = R"({
  "task_name": "obs-dump", "topics": "orders", "source_type": "NONE", "sink_type": "OBS_SINK",
  "sink_task": {"consumer_strategy": "latest", "destination_file_type": "TEXT",
                "deliver_time_interval": 300, "access_key": "AK", "secret_key": "SK",
                "obs_bucket_name": "bucket", "obs_path": "dump"}
})";

TEST_F(DmsApiTest, ResponseSaysWhetherTheCallerAuthenticated) {
  common::HttpRequest forged = harness_.Signed(kCredential, "GET", InstancePath());
  forged.headers.back().second.back() = forged.headers.back().second.back() == '0' ? '1' : '0';
  const std::string other_project_path = common::StrCat("/v2/", kOtherProject, "/instances");

  EXPECT_TRUE(harness_.api.Handle(harness_.Signed(kCredential, "GET", InstancePath()))
                  .access.authenticated);
  EXPECT_FALSE(harness_.api.Handle(forged).access.authenticated);
  // A valid signature for another project's path is refused (403) before the
  // caller counts as authenticated.
  EXPECT_FALSE(harness_.api.Handle(harness_.Signed(kCredential, "GET", other_project_path))
                   .access.authenticated);
}

TEST_F(DmsApiTest, CreateShowAndDeleteAnInstanceThroughBothCreateRoutes) {
  DmsAnswer created =
      Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), kCreateInstanceBody);
  ASSERT_EQ(created.status, 200) << boost::json::serialize(created.body);
  std::string instance_id(created.body.at("instance_id").as_string());
  EXPECT_EQ(created.body.as_object().size(), 1u);
  DmsAnswer shown = Call("GET", InstancePath(instance_id));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.at("status").as_string(), "CREATING");
  EXPECT_EQ(shown.body.at("description").as_string(), "made by a test");
  EXPECT_EQ(shown.body.at("broker_num").as_int64(), 3);
  EXPECT_FALSE(shown.body.as_object().contains("password"));
  RunJobsAfter(absl::Seconds(3));
  EXPECT_EQ(Call("GET", InstancePath(instance_id)).body.at("status").as_string(), "RUNNING");
  DmsAnswer history = Call("GET", InstancePath(instance_id) + "/tasks");
  EXPECT_EQ(history.body.at("tasks").as_array()[0].at("name").as_string(), "createInstance");

  // Names are unique in a project: the same body again is refused.
  const std::string by_engine_path = common::StrCat("/v2/kafka/", kProject, "/instances");
  ExpectError(Call("POST", by_engine_path, kCreateInstanceBody), 400, "DMS.00400060");
  std::string renamed = kCreateInstanceBody;
  renamed.replace(renamed.find("new-kafka"), 9, "new-kafka-2");
  DmsAnswer by_engine = Call("POST", by_engine_path, renamed);
  ASSERT_EQ(by_engine.status, 200) << boost::json::serialize(by_engine.body);
  DmsAnswer listed = Call("GET", common::StrCat("/v2/", kProject, "/instances?name=new-kafka"));
  EXPECT_EQ(listed.body.at("instance_num").as_int64(), 2);

  DmsAnswer deleted = Call("DELETE", InstancePath(instance_id));
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(Call("GET", InstancePath(instance_id)).body.at("status").as_string(), "DELETING");
  ExpectError(Call("DELETE", InstancePath(instance_id)), 400, "DMS.00400026");
  RunJobsAfter(absl::Seconds(3));
  ExpectError(Call("GET", InstancePath(instance_id)), 404, "DMS.00404022");
  ExpectError(Call("DELETE", InstancePath(instance_id)), 404, "DMS.00404022");
}

TEST_F(DmsApiTest, CreateInstanceErrors) {
  const std::string path = common::StrCat("/v2/", kProject, "/kafka/instances");
  ExpectError(Call("POST", path, ""), 400, "DMS.00400004");
  ExpectError(Call("POST", path, "{"), 400, "DMS.00400005");
  ExpectError(Call("POST", path, R"({"name":"abcd"})"), 400, "DMS.00400062");
  ExpectError(Call("POST", path, R"({"name":"abcd","surprise":1})"), 400, "DMS.00400062");
  ExpectError(Call("POST", path, R"({"name":"abcd","broker_num":"3"})"), 400, "DMS.00400062");
  std::string bad_product(kCreateInstanceBody);
  bad_product.replace(bad_product.find("c6.2u4g.cluster"), 15, "no product!");
  ExpectError(Call("POST", path, bad_product), 400, "DMS.00400009");
  ExpectError(Call("POST", common::StrCat("/v2/kafka/", kProject, "/instances"),
                   R"({"engine":"rabbitmq"})"),
              400, "DMS.00400062");
  EXPECT_EQ(Call("GET", common::StrCat("/v2/", kProject, "/instances"))
                .body.at("instance_num")
                .as_int64(),
            2);
}

TEST_F(DmsApiTest, ConnectorTaskLifecycleWithWireShapes) {
  const std::string tasks = InstancePath() + "/connector/tasks";
  ExpectError(Call("POST", tasks, kObsTaskBody), 400, "DMS.00400062");  // not enabled
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  RunJobsAfter(absl::Seconds(2));

  DmsAnswer created = Call("POST", tasks, kObsTaskBody);
  ASSERT_EQ(created.status, 200) << boost::json::serialize(created.body);
  const boost::json::object& task = created.body.as_object();
  std::string task_id(task.at("id").as_string());
  EXPECT_EQ(task.at("status").as_string(), "CREATING");
  EXPECT_EQ(task.at("task_name").as_string(), "obs-dump");
  EXPECT_EQ(task.at("sink_type").as_string(), "OBS_SINK");
  EXPECT_EQ(task.at("source_type").as_string(), "NONE");
  EXPECT_TRUE(task.at("source_task").as_object().empty());
  EXPECT_TRUE(task.at("create_time").is_int64());
  EXPECT_FALSE(task.at("sink_task").as_object().contains("secret_key"));
  EXPECT_FALSE(task.at("sink_task").as_object().contains("access_key"));
  ExpectError(Call("POST", tasks, kObsTaskBody), 400, "DMS.00400062");  // name taken

  RunJobsAfter(absl::Seconds(3));
  DmsAnswer shown = Call("GET", tasks + "/" + task_id);
  EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");

  DmsAnswer paused = Call("PUT", tasks + "/" + task_id + "/pause");
  EXPECT_EQ(paused.status, 204);
  ExpectError(Call("PUT", tasks + "/" + task_id + "/resume"), 400, "DMS.00400026");  // busy
  RunJobsAfter(absl::Seconds(3));
  EXPECT_EQ(Call("GET", tasks + "/" + task_id).body.at("status").as_string(), "PAUSED");
  ExpectError(Call("PUT", tasks + "/" + task_id + "/pause"), 400, "DMS.00400062");
  EXPECT_EQ(Call("PUT", tasks + "/" + task_id + "/resume").status, 204);
  RunJobsAfter(absl::Seconds(3));
  EXPECT_EQ(Call("PUT", common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance,
                                       "/connector/tasks/", task_id, "/restart"))
                .status,
            204);
  EXPECT_EQ(Call("GET", tasks + "/" + task_id).body.at("status").as_string(), "RESTARTING");
  RunJobsAfter(absl::Seconds(3));
  EXPECT_EQ(Call("GET", tasks + "/" + task_id).body.at("status").as_string(), "RUNNING");

  DmsAnswer listed = Call("GET", tasks + "?offset=0&limit=10");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.at("total_number").as_int64(), 1);
  EXPECT_EQ(listed.body.at("max_tasks").as_int64(), 18);
  EXPECT_EQ(listed.body.at("quota_tasks").as_int64(), 18);
  EXPECT_EQ(listed.body.at("tasks").as_array().size(), 1u);
  ExpectError(Call("GET", tasks + "?limit=51"), 400, "DMS.00400062");

  EXPECT_EQ(Call("DELETE", tasks + "/" + task_id).status, 204);
  ExpectError(Call("GET", tasks + "/" + task_id), 404, "DMS.00404022");
  ExpectError(Call("PUT", tasks + "/" + task_id + "/pause"), 404, "DMS.00404022");
  ExpectError(Call("PATCH", tasks + "/" + task_id), 404, "APIGW.0101");
}

TEST_F(DmsApiTest, ConnectorTasksOfAnotherTenantAreNotFound) {
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  ASSERT_EQ(harness_
                .Call(kOtherCredential, "POST",
                      InstancePath(kOtherInstance, kOtherProject) + "/connector", "{}")
                .status,
            200);
  RunJobsAfter(absl::Seconds(2));
  DmsAnswer created = Call("POST", InstancePath() + "/connector/tasks", kObsTaskBody);
  ASSERT_EQ(created.status, 200);
  std::string task_id(created.body.at("id").as_string());
  auto other = [&](std::string method, std::string target) {
    return harness_.Call(kOtherCredential, std::move(method), std::move(target));
  };
  const std::string other_own = common::StrCat("/v2/", kOtherProject, "/instances/");
  // Our instance id under the other tenant's project: not found.
  ExpectError(other("GET", other_own + kInstance + "/connector/tasks"), 404, "DMS.00404022");
  ExpectError(other("GET", other_own + kInstance + "/connector/tasks/" + task_id), 404,
              "DMS.00404022");
  ExpectError(other("DELETE", other_own + kInstance + "/connector/tasks/" + task_id), 404,
              "DMS.00404022");
  ExpectError(other("DELETE", other_own + kInstance), 404, "DMS.00404022");
  // Our task id under the other tenant's own instance: not found.
  ExpectError(other("GET", other_own + kOtherInstance + "/connector/tasks/" + task_id), 404,
              "DMS.00404022");
  EXPECT_EQ(Call("GET", InstancePath() + "/connector/tasks/" + task_id).status, 200);
}

TEST_F(DmsApiTest, ShowInstanceHasSdkFieldsWithSdkTypes) {
  DmsAnswer answer = Call("GET", InstancePath());
  ASSERT_EQ(answer.status, 200);
  const boost::json::object& body = answer.body.as_object();
  EXPECT_EQ(body.at("instance_id").as_string(), kInstance);
  EXPECT_EQ(body.at("name").as_string(), "demo-kafka");
  EXPECT_EQ(body.at("status").as_string(), "RUNNING");
  EXPECT_TRUE(body.at("partition_num").is_string());
  EXPECT_TRUE(body.at("created_at").is_string());
  EXPECT_TRUE(body.at("storage_space").is_int64());
  EXPECT_EQ(body.at("connector_enable").as_bool(), false);
  EXPECT_EQ(body.at("connector_id").as_string(), "");
  EXPECT_EQ(body.at("engine").as_string(), "kafka");
  EXPECT_FALSE(answer.request_id.empty());
}

TEST_F(DmsApiTest, ListInstancesPagesAndFilters) {
  DmsAnswer all = Call("GET", common::StrCat("/v2/", kProject, "/instances?engine=kafka&limit=1"));
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body.at("instance_num").as_int64(), 2);  // only this tenant's
  EXPECT_EQ(all.body.at("instances").as_array().size(), 1u);
  DmsAnswer named = Call(
      "GET", common::StrCat("/v2/", kProject, "/instances?name=demo-kafka&exact_match_name=true"));
  EXPECT_EQ(named.body.at("instance_num").as_int64(), 1);
  ExpectError(Call("GET", common::StrCat("/v2/", kProject, "/instances?limit=0")), 400,
              "DMS.00400062");
  ExpectError(Call("GET", common::StrCat("/v2/", kProject, "/instances?offset=x")), 400,
              "DMS.00400062");
}

TEST_F(DmsApiTest, EnableThenDisableThroughTheStateMachine) {
  DmsAnswer enabled =
      Call("POST", InstancePath() + "/connector",
           R"({"specification":"100MB","node_cnt":"3","spec_code":"connector.4u8g.cluster"})");
  ASSERT_EQ(enabled.status, 200) << boost::json::serialize(enabled.body);
  std::string job_id(enabled.body.at("job_id").as_string());
  std::string connector_id(enabled.body.at("connector_id").as_string());
  EXPECT_EQ(InstanceStatus(), "EXTENDING");

  DmsAnswer task = Call("GET", InstancePath() + "/tasks/" + job_id);
  ASSERT_EQ(task.status, 200);
  EXPECT_EQ(task.body.at("task_count").as_string(), "1");
  EXPECT_EQ(task.body.at("tasks").as_array()[0].at("status").as_string(), "EXECUTING");

  RunJobsAfter(absl::Seconds(2));
  DmsAnswer shown = Call("GET", InstancePath());
  EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");
  EXPECT_EQ(shown.body.at("connector_enable").as_bool(), true);
  EXPECT_EQ(shown.body.at("connector_id").as_string(), connector_id);
  EXPECT_EQ(shown.body.at("connector_node_num").as_int64(), 3);
  task = Call("GET", InstancePath() + "/tasks/" + job_id);
  EXPECT_EQ(task.body.at("tasks").as_array()[0].at("status").as_string(), "SUCCESS");

  // Terraform sends {"instance_id": ...}; the SDK sends nothing.
  DmsAnswer disabled = Call(
      "POST", common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance, "/delete-connector"),
      common::StrCat(R"({"instance_id":")", kInstance, R"("})"));
  ASSERT_EQ(disabled.status, 200) << boost::json::serialize(disabled.body);
  EXPECT_EQ(InstanceStatus(), "CONNECTOR_DELETING");
  RunJobsAfter(absl::Seconds(2));
  shown = Call("GET", InstancePath());
  EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");
  EXPECT_EQ(shown.body.at("connector_enable").as_bool(), false);

  DmsAnswer tasks = Call("GET", InstancePath() + "/tasks?start=1&limit=10");
  ASSERT_EQ(tasks.status, 200);
  EXPECT_EQ(tasks.body.at("task_count").as_string(), "2");
  EXPECT_EQ(tasks.body.at("tasks").as_array()[0].at("name").as_string(), "deleteConnector");
  DmsAnswer second_page = Call("GET", InstancePath() + "/tasks?start=2&limit=1");
  EXPECT_EQ(second_page.body.at("tasks").as_array()[0].at("name").as_string(), "createConnector");
}

// DeleteBackgroundTask (DELETE .../tasks/{task_id}, 204): removes a finished
// task from the list; a running one is refused with "job task is still running".
TEST_F(DmsApiTest, DeleteBackgroundTaskRemovesFinishedTasksOnly) {
  DmsAnswer enabled = Call("POST", InstancePath() + "/connector", R"({"node_cnt":2})");
  ASSERT_EQ(enabled.status, 200) << boost::json::serialize(enabled.body);
  const std::string task_path =
      InstancePath() + "/tasks/" + std::string(enabled.body.at("job_id").as_string());
  ExpectError(Call("DELETE", task_path), 400, "DMS.00400017");  // still EXECUTING
  RunJobsAfter(absl::Seconds(2));
  const std::string before = harness_.DumpEverything();
  // Another tenant's credential on its own path: the task is not found there.
  ExpectError(harness_.Call(kOtherCredential, "DELETE",
                            InstancePath(kOtherInstance, kOtherProject) + "/tasks/" +
                                std::string(enabled.body.at("job_id").as_string())),
              404, "DMS.00404022");
  EXPECT_EQ(harness_.DumpEverything(), before);

  DmsAnswer deleted = Call("DELETE", task_path);
  EXPECT_EQ(deleted.status, 204) << deleted.raw_body;
  EXPECT_TRUE(deleted.raw_body.empty());
  EXPECT_FALSE(deleted.request_id.empty());
  ExpectError(Call("GET", task_path), 404, "DMS.00404022");
  ExpectError(Call("DELETE", task_path), 404, "DMS.00404022");
  DmsAnswer listed = Call("GET", InstancePath() + "/tasks");
  EXPECT_EQ(listed.body.at("task_count").as_string(), "0");
  // The instance itself is untouched.
  EXPECT_EQ(InstanceStatus(), "RUNNING");
}

// ---- What the official SDKs found wrong ----

// begin_time/end_time filter by creation time (YYYYMMDDHHmmss, UTC; end_time
// takes in its whole second); pages start at `start` (1-based, Node/Python
// SDKs) or `offset` (0-based, Go SDK), never both.
TEST_F(DmsApiTest, BackgroundTasksFilterByTimeAndPageByStartOrOffset) {
  // The fake clock starts at 2026-11-18 11:06:40 UTC.
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", R"({"node_cnt":2})").status, 200);
  RunJobsAfter(absl::Seconds(2));
  harness_.services.clock.Advance(absl::Hours(1));  // 12:06:42
  ASSERT_EQ(Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance,
                                        "/delete-connector"))
                .status,
            200);
  RunJobsAfter(absl::Seconds(2));
  auto names = [&](std::string query) {
    DmsAnswer answer = Call("GET", InstancePath() + "/tasks?" + query);
    EXPECT_EQ(answer.status, 200) << boost::json::serialize(answer.body);
    std::string listed;
    if (answer.status != 200) return listed;
    for (const auto& task : answer.body.at("tasks").as_array()) {
      listed += common::StrCat(listed.empty() ? "" : ",", task.at("name").as_string().c_str());
    }
    return listed;
  };
  EXPECT_EQ(names("begin_time=20000101000000"), "deleteConnector,createConnector");
  EXPECT_EQ(names("begin_time=20000101000000&end_time=20991231235959"),
            "deleteConnector,createConnector");
  EXPECT_EQ(names("begin_time=20261118120000"), "deleteConnector");
  EXPECT_EQ(names("end_time=20261118110640"), "createConnector");
  EXPECT_EQ(names("end_time=20261118110639"), "");
  EXPECT_EQ(names("begin_time=20261118130000"), "");

  EXPECT_EQ(names("offset=0&limit=1"), "deleteConnector");
  EXPECT_EQ(names("offset=1&limit=1"), "createConnector");
  EXPECT_EQ(names("start=2&limit=1"), "createConnector");
  EXPECT_EQ(names("offset=2"), "");
  ExpectError(Call("GET", InstancePath() + "/tasks?start=1&offset=0"), 400, "DMS.00400062");
  ExpectError(Call("GET", InstancePath() + "/tasks?offset=-1"), 400, "DMS.00400062");
}

// ShowBackgroundTaskProgress, emulated from the job's timing (2 s here):
// pre_check done at once, the job's own step in progress until it finishes.
TEST_F(DmsApiTest, BackgroundTaskProgressFollowsTheJob) {
  DmsAnswer enabled = Call("POST", InstancePath() + "/connector", R"({"node_cnt":2})");
  ASSERT_EQ(enabled.status, 200);
  const std::string progress_path =
      InstancePath() + "/tasks/" + std::string(enabled.body.at("job_id").as_string()) + "/progress";
  const int64_t accepted_ms = absl::ToUnixMillis(harness_.services.clock.Now());

  DmsAnswer started = Call("GET", progress_path);
  ASSERT_EQ(started.status, 200) << boost::json::serialize(started.body);
  EXPECT_EQ(boost::json::serialize(started.body),
            common::StrCat(R"({"progress_percentage":0,"remain_time":2,"step_list":[)",
                           R"({"name":"pre_check","statue":"COMPLETED","start_time":)", accepted_ms,
                           R"(,"end_time":)", accepted_ms, "},",
                           R"({"name":"createConnector","statue":"IN_PROGRESS","start_time":)",
                           accepted_ms, "}]}"));
  harness_.services.clock.Advance(absl::Milliseconds(1500));
  DmsAnswer halfway = Call("GET", progress_path);
  EXPECT_EQ(halfway.body.at("progress_percentage").as_int64(), 75);
  EXPECT_EQ(halfway.body.at("remain_time").as_int64(), 1);

  RunJobsAfter(absl::Milliseconds(500));
  DmsAnswer done = Call("GET", progress_path);
  EXPECT_EQ(done.body.at("progress_percentage").as_int64(), 100);
  EXPECT_EQ(done.body.at("remain_time").as_int64(), 0);
  const auto& steps = done.body.at("step_list").as_array();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].at("statue").as_string(), "COMPLETED");
  EXPECT_EQ(steps[1].at("end_time").as_int64(), accepted_ms + 2000);

  ExpectError(Call("GET", InstancePath() + "/tasks/00000000-0000-0000-0000-000000000000/progress"),
              404, "DMS.00404022");
  ExpectError(harness_.Call(kOtherCredential, "GET",
                            InstancePath(kOtherInstance, kOtherProject) + "/tasks/" +
                                std::string(enabled.body.at("job_id").as_string()) + "/progress"),
              404, "DMS.00404022");
}

TEST_F(DmsApiTest, ConnectorResourceInfoSaysSoldOutInCamelCase) {
  DmsAnswer answer = Call("GET", InstancePath() + "/connector");
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(boost::json::serialize(answer.body), R"({"soldOut":false})");
}

// Reads included: an empty list would say "no tasks" where the answer is "no
// Smart Connect".
TEST_F(DmsApiTest, TaskCallsWithoutSmartConnectAreRefused) {
  const std::string tasks = InstancePath() + "/connector/tasks";
  ExpectError(Call("GET", tasks), 400, "DMS.00400062");
  ExpectError(Call("POST", tasks, kObsTaskBody), 400, "DMS.00400062");
  ExpectError(Call("GET", tasks + "/b2c3d4e5-0000-1111-2222-333344445555"), 400, "DMS.00400062");
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  RunJobsAfter(absl::Seconds(2));
  DmsAnswer listed = Call("GET", tasks);
  ASSERT_EQ(listed.status, 200) << boost::json::serialize(listed.body);
  EXPECT_EQ(listed.body.at("total_number").as_int64(), 0);
}

TEST_F(DmsApiTest, ListInstancesRefusesAnOffsetPastTheEnd) {
  const std::string list = common::StrCat("/v2/", kProject, "/instances");
  DmsAnswer all = Call("GET", list);
  ASSERT_EQ(all.status, 200);
  const int64_t total = all.body.at("instance_num").as_int64();
  ASSERT_GT(total, 0);
  DmsAnswer last = Call("GET", common::StrCat(list, "?offset=", total - 1));
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(last.body.at("instances").as_array().size(), 1u);
  ExpectError(Call("GET", common::StrCat(list, "?offset=", total)), 400, "DMS.40050010");
  ExpectError(Call("GET", common::StrCat(list, "?offset=", total + 5, "&limit=1")), 400,
              "DMS.40050010");
  // An empty result at offset 0 is an empty page, not an error.
  DmsAnswer none = Call("GET", list + "?name=no-such-instance&exact_match_name=true");
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(none.body.at("instance_num").as_int64(), 0);
}

TEST_F(DmsApiTest, CreateInstanceRefusesMadeUpProductIds) {
  const std::string create = common::StrCat("/v2/", kProject, "/kafka/instances");
  const std::string before = harness_.DumpEverything();
  for (std::string product_id : {"c9.99u99g.cluster", "00300-30399-0--0", "C6.2U4G.CLUSTER"}) {
    SCOPED_TRACE(product_id);
    std::string body = kCreateInstanceBody;
    body.replace(body.find("c6.2u4g.cluster"), 15, product_id);
    ExpectError(Call("POST", create, body), 400, "DMS.00400009");
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
  std::string largest = kCreateInstanceBody;
  largest.replace(largest.find("c6.2u4g.cluster"), 15, "c6.16u32g.cluster");
  EXPECT_EQ(Call("POST", create, largest).status, 200);
}

// ---- ModifyConnectorTask and ValidateConnectorConnectivity ----

TEST_F(DmsApiTest, ModifyConnectorTaskChangesTheDefinitionWithTheCreateRules) {
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  RunJobsAfter(absl::Seconds(2));
  const std::string tasks = InstancePath() + "/connector/tasks/";
  DmsAnswer created = Call("POST", InstancePath() + "/connector/tasks", kObsTaskBody);
  ASSERT_EQ(created.status, 200);
  RunJobsAfter(absl::Seconds(2));
  const std::string id(created.body.at("id").as_string());
  const int64_t create_time = created.body.at("create_time").as_int64();

  DmsAnswer regex = Call("PUT", tasks + id, R"({"topics_regex":"orders-.*"})");
  ASSERT_EQ(regex.status, 200) << boost::json::serialize(regex.body);
  EXPECT_EQ(regex.body.at("topics").as_string(), "");
  EXPECT_EQ(regex.body.at("topics_regex").as_string(), "orders-.*");
  EXPECT_EQ(regex.body.at("status").as_string(), "RUNNING");

  // Nested members merge onto the stored definition; what a client read back
  // (id, status, types, create_time) may be sent unchanged.
  DmsAnswer renamed =
      Call("PUT", tasks + id,
           common::StrCat(R"({"task_name":"obs-renamed","id":")", id,
                          R"(","status":"RUNNING","source_type":"NONE","sink_type":"OBS_SINK",)",
                          R"("create_time":)", create_time,
                          R"(,"sink_task":{"deliver_time_interval":600,"obs_path":"moved"}})"));
  ASSERT_EQ(renamed.status, 200) << boost::json::serialize(renamed.body);
  const auto& sink = renamed.body.at("sink_task").as_object();
  EXPECT_EQ(sink.at("deliver_time_interval").as_int64(), 600);
  EXPECT_EQ(sink.at("obs_path").as_string(), "moved");
  EXPECT_EQ(sink.at("obs_bucket_name").as_string(), "bucket");
  EXPECT_FALSE(sink.contains("access_key"));
  DmsAnswer shown = Call("GET", tasks + id);
  EXPECT_EQ(boost::json::serialize(shown.body), boost::json::serialize(renamed.body));

  ASSERT_EQ(Call("POST", InstancePath() + "/connector/tasks",
                 R"({"task_name":"second-task","topics":"t","sink_type":"OBS_SINK",
                     "sink_task":{"consumer_strategy":"latest","destination_file_type":"TEXT",
                     "deliver_time_interval":300,"agency_name":"a","obs_bucket_name":"bucket"}})")
                .status,
            200);
  const std::string before = harness_.DumpEverything();
  struct Case {
    const char* body;
    int status;
    const char* code;
  } cases[] = {
      {R"({"sink_type":"NONE"})", 400, "DMS.00400062"},
      {R"({"status":"PAUSED"})", 400, "DMS.00400062"},
      {R"({"id":"another-id"})", 400, "DMS.00400062"},
      {R"({"create_time":1})", 400, "DMS.00400062"},
      {R"({"topics":"a","topics_regex":"b"})", 400, "DMS.00400062"},
      {R"({"topics":"bad topic!"})", 400, "DMS.00400062"},
      {R"({"task_name":"1x"})", 400, "DMS.00400062"},
      {R"({"task_name":"second-task"})", 400, "DMS.00400062"},  // taken
      {R"({"sink_task":{"deliver_time_interval":5}})", 400, "DMS.00400062"},
      {R"({"sink_task":{"surprise":1}})", 400, "DMS.00400062"},
      {R"({"source_task":{"cluster_name":"x"}})", 400, "DMS.00400062"},
      {R"({"create_time":"now"})", 400, "DMS.00400062"},
      {R"({"surprise":1})", 400, "DMS.00400062"},
      {R"({bad json)", 400, "DMS.00400005"},
      {"", 400, "DMS.00400004"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.body);
    ExpectError(Call("PUT", tasks + id, test_case.body), test_case.status, test_case.code);
  }
  ExpectError(Call("PUT", tasks + "00000000-0000-0000-0000-000000000000", "{}"), 404,
              "DMS.00404022");
  ExpectError(harness_.Call(kOtherCredential, "PUT",
                            InstancePath(kInstance, kOtherProject) + "/connector/tasks/" + id,
                            R"({"topics":"stolen"})"),
              404, "DMS.00404022");
  EXPECT_EQ(harness_.DumpEverything(), before);

  // While an operation runs on the task, it is busy.
  ASSERT_EQ(Call("PUT", tasks + id + "/pause").status, 204);
  ExpectError(Call("PUT", tasks + id, R"({"topics":"later"})"), 400, "DMS.00400026");
}

TEST_F(DmsApiTest, ValidateConnectorConnectivityChecksThePeerAndWritesNothing) {
  const std::string validate = InstancePath() + "/connector/validate";
  const std::string peer_self =
      common::StrCat(R"({"type":"KAFKA_REPLICATOR_SOURCE","task":{"instance_id":")", kInstance,
                     R"(","security_protocol":"SASL_SSL","user_name":"peer","password":"p"}})");
  ExpectError(Call("POST", validate, peer_self), 400, "DMS.00400062");  // no Smart Connect
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  RunJobsAfter(absl::Seconds(2));
  const std::string before = harness_.DumpEverything();

  for (const std::string& body :
       {peer_self, std::string(R"({"task":{"bootstrap_servers":"10.0.0.1:9092,kafka-b:9093"}})"),
        std::string(R"({"type":"OBS_SINK"})")}) {
    SCOPED_TRACE(body);
    DmsAnswer answer = Call("POST", validate, body);
    EXPECT_EQ(answer.status, 204) << answer.raw_body;
    EXPECT_TRUE(answer.raw_body.empty());
  }
  // A made-up peer and another tenant's instance are equally unreachable.
  for (std::string_view peer : {"ffffffff-0000-1111-2222-333344445555", kOtherInstance}) {
    SCOPED_TRACE(peer);
    DmsAnswer refused =
        Call("POST", validate, common::StrCat(R"({"task":{"instance_id":")", peer, R"("}})"));
    ExpectError(refused, 400, "DMS.00400062");
    EXPECT_NE(refused.body.at("error_msg").as_string().find("peer instance"), std::string::npos);
  }
  for (const char* body :
       {R"({"task":{}})", R"({"task":{"bootstrap_servers":"no-port"}})",
        R"({"task":{"bootstrap_servers":"h:70000"}})", R"({"task":{"instance_id":"not-a-uuid"}})",
        R"({"task":{"bootstrap_servers":"h:1","security_protocol":"SASL_SSL"}})",
        R"({"type":"S3_SINK"})", R"({"type":"OBS_SINK","task":{"bucket":"b"}})",
        R"({"task":"text"})", R"({"surprise":true})"}) {
    SCOPED_TRACE(body);
    ExpectError(Call("POST", validate, body), 400, "DMS.00400062");
  }
  EXPECT_EQ(harness_.DumpEverything(), before);
}

// Members that official clients' request models carry are accepted (and
// ignored where they have no effect here); others are refused.
TEST_F(DmsApiTest, MembersOfOlderOfficialModelsAreAcceptedAndIgnored) {
  std::string body = kCreateInstanceBody;
  body.replace(body.rfind('}'), 1,
               R"(, "kafka_manager_user": "manager", "kafka_manager_password": "Manager#123"})");
  DmsAnswer created = Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), body);
  ASSERT_EQ(created.status, 200) << boost::json::serialize(created.body);
  DmsAnswer shown =
      Call("GET", InstancePath(std::string(created.body.at("instance_id").as_string())));
  EXPECT_EQ(shown.raw_body.find("kafka_manager_user"), std::string::npos);
  EXPECT_EQ(shown.raw_body.find("Manager#123"), std::string::npos);
  body.replace(body.find("\"kafka_manager_user\""), 20, R"("kafka_manager_name")");
  ExpectError(Call("POST", common::StrCat("/v2/", kProject, "/kafka/instances"), body), 400,
              "DMS.00400062");

  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  RunJobsAfter(absl::Seconds(2));
  const std::string disable =
      common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance, "/delete-connector");
  ExpectError(Call("POST", disable, R"({"order_id":7})"), 400, "DMS.00400062");
  DmsAnswer disabled =
      Call("POST", disable, R"({"order_id":"o-1","csb_instance_product_id":"p-1"})");
  EXPECT_EQ(disabled.status, 200) << boost::json::serialize(disabled.body);
}

TEST_F(DmsApiTest, NodeCountAcceptsNumbersAndNumericStringsOnly) {
  struct Case {
    const char* body;
    int status;
    const char* code;
  } cases[] = {
      {R"({"node_cnt":1})", 400, "DMS.00400062"},
      {R"({"node_cnt":"17"})", 400, "DMS.00400062"},
      {R"({"node_cnt":"abc"})", 400, "DMS.00400062"},
      {R"({"node_cnt":"2 "})", 400, "DMS.00400062"},
      {R"({"node_cnt":2.5})", 400, "DMS.00400062"},
      {R"({"node_cnt":true})", 400, "DMS.00400062"},
      {R"({"node_cnt":[2]})", 400, "DMS.00400062"},
      {R"({"node_cnt":18446744073709551615})", 400, "DMS.00400062"},
      {R"({"specification":"999MB"})", 400, "DMS.00400062"},
      {R"({"specification":100})", 400, "DMS.00400062"},
      {R"({"spec_code":"BAD CODE"})", 400, "DMS.00400125"},
      {R"({"nodes":2})", 400, "DMS.00400062"},
      {R"({bad json)", 400, "DMS.00400005"},
      {R"([1,2])", 400, "DMS.00400005"},
      {"", 400, "DMS.00400004"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.body);
    ExpectError(Call("POST", InstancePath() + "/connector", test_case.body), test_case.status,
                test_case.code);
  }
  EXPECT_EQ(InstanceStatus(), "RUNNING");  // nothing changed
  EXPECT_EQ(Call("POST", InstancePath() + "/connector", R"({"node_cnt":2})").status, 200);
}

TEST_F(DmsApiTest, StateErrorsUseDmsCodes) {
  std::string disable =
      common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance, "/delete-connector");
  ExpectError(Call("POST", disable), 400, "DMS.00400062");  // not enabled
  ASSERT_EQ(Call("POST", InstancePath() + "/connector", "{}").status, 200);
  ExpectError(Call("POST", InstancePath() + "/connector", "{}"), 400, "DMS.00400026");  // busy
  ExpectError(Call("POST", disable), 400, "DMS.00400026");
  RunJobsAfter(absl::Seconds(2));
  ExpectError(Call("POST", InstancePath() + "/connector", "{}"), 400, "DMS.00400062");
  ExpectError(Call("POST", disable, R"({"instance_id":"someone-else"})"), 400, "DMS.00400062");
  ExpectError(Call("POST", disable, R"({"force":true})"), 400, "DMS.00400062");
}

TEST_F(DmsApiTest, UnknownForeignAndMalformedInstances) {
  ExpectError(Call("GET", InstancePath("ffffffff-0000-1111-2222-333344445555")), 404,
              "DMS.00404022");
  ExpectError(Call("GET", InstancePath(kOtherInstance)), 404, "DMS.00404022");
  ExpectError(Call("POST", InstancePath(kOtherInstance) + "/connector", "{}"), 404, "DMS.00404022");
  ExpectError(Call("GET", InstancePath("not-a-uuid")), 400, "DMS.00400030");
  ExpectError(Call("GET", InstancePath() + "/tasks/nope"), 404, "DMS.00404022");
}

TEST_F(DmsApiTest, AuthenticationFailuresAreApigErrors) {
  std::string path = InstancePath();
  ExpectError(Call(harness_.Signed({kAk, "wrong-secret", kProject}, "GET", path)), 401,
              "APIGW.0301");
  ExpectError(Call(harness_.Signed({"UNKNOWNAK", kSk, kProject}, "GET", path)), 401, "APIGW.0301");
  ExpectError(Call(harness_.Signed(kCredential, "GET", path, "", absl::Minutes(-16))), 401,
              "APIGW.0301");
  ExpectError(Call(harness_.Signed(kCredential, "GET", path, "", absl::Minutes(16))), 401,
              "APIGW.0301");
  EXPECT_EQ(Call(harness_.Signed(kCredential, "GET", path, "", absl::Minutes(-14))).status, 200);

  common::HttpRequest unsigned_request = harness_.Signed(kCredential, "GET", path);
  unsigned_request.headers.pop_back();
  ExpectError(Call(unsigned_request), 401, "APIGW.0301");

  common::HttpRequest tampered =
      harness_.Signed(kCredential, "POST", path + "/connector", R"({"node_cnt":2})");
  tampered.body = R"({"node_cnt":3})";
  ExpectError(Call(tampered), 401, "APIGW.0301");
  EXPECT_EQ(InstanceStatus(), "RUNNING");
}

TEST_F(DmsApiTest, CredentialOfOneProjectIsRefusedOnAnother) {
  // Same answer for an existing and a made-up project: nothing leaks.
  for (std::string project : {std::string(kOtherProject), std::string(32, 'e')}) {
    std::string path = common::StrCat("/v2/", project, "/instances/", kOtherInstance);
    ExpectError(Call(harness_.Signed({kAk, kSk, project}, "GET", path)), 403, "APIGW.0306");
    ExpectError(Call(harness_.Signed(kCredential, "GET", path)), 403, "APIGW.0306");
  }
}

TEST_F(DmsApiTest, UnknownRoutesAndTransportRejections) {
  ExpectError(Call("GET", InstancePath() + "/nothing-here"), 404, "APIGW.0101");
  ExpectError(Call("DELETE", InstancePath() + "/connector"), 404, "APIGW.0101");
  ExpectError(Call("GET", "/v3/x"), 404, "APIGW.0101");
  common::HttpRequest too_large =
      harness_.Signed(kCredential, "POST", InstancePath() + "/connector");
  too_large.transport_rejection = 413;
  ExpectError(Call(too_large), 413, "APIGW.0201");
}

}  // namespace
}  // namespace connectplane::api::dms
