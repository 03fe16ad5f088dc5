// UpdateInstance (PUT /v2/{project_id}/instances/{instance_id}) through
// DmsApi::Handle, with the bodies golangsdk / gophertelekomcloud UpdateOpts send.
#include "api/dms/dms_api.h"

#include "common/strings.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include <string>

namespace connectplane::api::dms {
namespace {

using connectplane::testing::DmsAnswer;
using connectplane::testing::DmsHarness;
using connectplane::testing::InstancePath;
using connectplane::testing::kCredential;
using connectplane::testing::kDmsSeed;
using connectplane::testing::kInstance;
using connectplane::testing::kOtherCredential;
using connectplane::testing::kOtherInstance;
using connectplane::testing::kOtherProject;

class DmsInstanceUpdateTest : public ::testing::Test {
 protected:
  DmsAnswer Call(std::string method, std::string target, std::string body = "") {
    return harness_.Call(kCredential, std::move(method), std::move(target), std::move(body));
  }
  DmsHarness harness_{kDmsSeed};
};

TEST_F(DmsInstanceUpdateTest, ChangesTheGivenMembersOnlyAndAnswers204) {
  DmsAnswer before = Call("GET", InstancePath());
  DmsAnswer updated = Call("PUT", InstancePath(),
                           R"({"name":"renamed-kafka","description":"kafka description",)"
                           R"("maintain_begin":"22:00:00","maintain_end":"02:00:00",)"
                           R"("retention_policy":"time_base"})");
  ASSERT_EQ(updated.status, 204) << updated.raw_body;
  EXPECT_TRUE(updated.raw_body.empty());
  DmsAnswer after = Call("GET", InstancePath());
  EXPECT_EQ(after.body.at("name").as_string(), "renamed-kafka");
  EXPECT_EQ(after.body.at("description").as_string(), "kafka description");
  EXPECT_EQ(after.body.at("maintain_begin").as_string(), "22:00:00");
  EXPECT_EQ(after.body.at("maintain_end").as_string(), "02:00:00");
  EXPECT_EQ(after.body.at("retention_policy").as_string(), "time_base");
  EXPECT_EQ(after.body.at("status").as_string(), "RUNNING");
  EXPECT_EQ(after.body.at("cross_vpc_info"), before.body.at("cross_vpc_info"));

  // HH:mm is read as HH:mm:00; an empty description clears it (TF sends a pointer).
  ASSERT_EQ(Call("PUT", InstancePath(),
                 R"({"description":"","maintain_begin":"01:30","maintain_end":"05:30"})")
                .status,
            204);
  after = Call("GET", InstancePath());
  EXPECT_EQ(after.body.at("description").as_string(), "");
  EXPECT_EQ(after.body.at("maintain_begin").as_string(), "01:30:00");
  EXPECT_EQ(after.body.at("name").as_string(), "renamed-kafka");
}

TEST_F(DmsInstanceUpdateTest, AnotherProjectsInstanceAnswersLikeAnUnknownOne) {
  DmsAnswer foreign = Call("PUT", InstancePath(kOtherInstance), R"({"name":"stolen-name"})");
  DmsAnswer unknown =
      Call("PUT", InstancePath("ffffffff-0000-1111-2222-333344445555"), R"({"name":"stolen"})");
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(foreign.error_code, "DMS.00404022");
  EXPECT_EQ(unknown.error_code, foreign.error_code);
  DmsAnswer theirs = harness_.Call(kOtherCredential, "GET",
                                  InstancePath(kOtherInstance, kOtherProject));
  EXPECT_EQ(theirs.body.at("name").as_string(), "tenant-b-private-name");
}

TEST_F(DmsInstanceUpdateTest, ResizeThroughBothPathsIsAJobTheInstanceShows) {
  // Terraform (golangsdk ExtendInstance): horizontal, new_broker_num only.
  const std::string golangsdk_path =
      common::StrCat("/v2/", connectplane::testing::kProject, "/kafka/instances/", kInstance,
                     "/extend");
  DmsAnswer resized =
      Call("POST", golangsdk_path, R"({"oper_type":"horizontal","new_broker_num":4})");
  ASSERT_EQ(resized.status, 200) << resized.raw_body;
  const std::string job_id(resized.body.at("job_id").as_string());
  EXPECT_EQ(resized.body.as_object().size(), 1u);
  EXPECT_EQ(Call("GET", InstancePath()).body.at("status").as_string(), "EXTENDING");
  DmsAnswer busy = Call("DELETE", InstancePath());
  EXPECT_EQ(busy.error_code, "DMS.00400026");
  harness_.services.RunJobsAfter(absl::Seconds(2));
  DmsAnswer grown = Call("GET", InstancePath());
  EXPECT_EQ(grown.body.at("status").as_string(), "RUNNING");
  EXPECT_EQ(grown.body.at("broker_num").as_int64(), 4);
  EXPECT_EQ(grown.body.at("total_storage_space").as_int64(), 800);
  EXPECT_EQ(boost::json::parse(grown.body.at("cross_vpc_info").as_string()).as_object().size(),
            4u);
  DmsAnswer task = Call("GET", InstancePath() + "/tasks/" + job_id);
  EXPECT_EQ(task.body.at("tasks").as_array()[0].at("status").as_string(), "SUCCESS");

  // The API reference's path (gophertelekomcloud IncreaseSpec): storage.
  const std::string reference_path = common::StrCat(
      "/v2/kafka/", connectplane::testing::kProject, "/instances/", kInstance, "/extend");
  ASSERT_EQ(Call("POST", reference_path, R"({"oper_type":"storage","new_storage_space":1200})")
                .status,
            200);
  harness_.services.RunJobsAfter(absl::Seconds(2));
  EXPECT_EQ(Call("GET", InstancePath()).body.at("total_storage_space").as_int64(), 1200);

  DmsAnswer foreign = Call("POST", common::StrCat("/v2/", connectplane::testing::kProject,
                                                  "/kafka/instances/", kOtherInstance, "/extend"),
                           R"({"oper_type":"storage","new_storage_space":1200})");
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(foreign.error_code, "DMS.00404022");
}

TEST_F(DmsInstanceUpdateTest, CrossVpcModifyChangesTheNamedListenersOnly) {
  DmsAnswer modified =
      Call("POST", InstancePath() + "/crossvpc/modify",
           R"({"advertised_ip_contents":{"192.168.0.12":"kafka-2.example.com",)"
           R"("192.168.0.11":"10.1.0.11"}})");
  ASSERT_EQ(modified.status, 200) << modified.raw_body;
  EXPECT_TRUE(modified.body.at("success").as_bool());
  EXPECT_EQ(boost::json::serialize(modified.body.at("results")),
            R"([{"advertised_ip":"10.1.0.11","success":true,"ip":"192.168.0.11"},)"
            R"({"advertised_ip":"kafka-2.example.com","success":true,"ip":"192.168.0.12"}])");
  DmsAnswer shown = Call("GET", InstancePath());
  boost::json::value listeners = boost::json::parse(shown.body.at("cross_vpc_info").as_string());
  EXPECT_EQ(listeners.at("192.168.0.11").at("advertised_ip").as_string(), "10.1.0.11");
  EXPECT_EQ(listeners.at("192.168.0.12").at("advertised_ip").as_string(), "kafka-2.example.com");
  EXPECT_EQ(listeners.at("192.168.0.13").at("advertised_ip").as_string(), "192.168.0.13");
  EXPECT_EQ(listeners.at("192.168.0.13").at("port").as_int64(), 9011);
}

TEST_F(DmsInstanceUpdateTest, BatchRestartReportsEachInstanceAndRestartsTheRunningOnes) {
  const std::string action_path =
      common::StrCat("/v2/", connectplane::testing::kProject, "/instances/action");
  DmsAnswer restarted =
      Call("POST", action_path,
           common::StrCat(R"({"action":"restart","instances":[")", kInstance, R"(",")",
                          kOtherInstance, R"("]})"));
  ASSERT_EQ(restarted.status, 200) << restarted.raw_body;
  EXPECT_EQ(boost::json::serialize(restarted.body),
            common::StrCat(R"({"results":[{"result":"success","instance":")", kInstance,
                           R"("},{"result":"failed","instance":")", kOtherInstance, R"("}]})"));
  EXPECT_EQ(Call("GET", InstancePath()).body.at("status").as_string(), "RESTARTING");
  harness_.services.RunJobsAfter(absl::Seconds(2));
  EXPECT_EQ(Call("GET", InstancePath()).body.at("status").as_string(), "RUNNING");
  DmsAnswer theirs = harness_.Call(kOtherCredential, "GET",
                                  InstancePath(kOtherInstance, kOtherProject));
  EXPECT_EQ(theirs.body.at("status").as_string(), "RUNNING");

  DmsAnswer deleted = Call("POST", action_path,
                           common::StrCat(R"({"action":"delete","instances":[")", kInstance,
                                          R"("]})"));
  EXPECT_EQ(deleted.body.at("results").as_array()[0].at("result").as_string(), "success");
  EXPECT_EQ(Call("GET", InstancePath()).body.at("status").as_string(), "DELETING");
  EXPECT_EQ(Call("POST", action_path, R"({"action":"delete","all_failure":"kafka"})").status,
            204);
}

TEST_F(DmsInstanceUpdateTest, LegacyCreatePathTakesTheEngineFromTheBody) {
  const std::string path = common::StrCat("/v2/", connectplane::testing::kProject, "/instances");
  const std::string body =
      R"({"name":"legacy-kafka","engine":"kafka","engine_version":"2.7","broker_num":3,)"
      R"("storage_space":600,"vpc_id":"11111111-2222-3333-4444-555555555555",)"
      R"("subnet_id":"21111111-2222-3333-4444-555555555555",)"
      R"("security_group_id":"31111111-2222-3333-4444-555555555555",)"
      R"("available_zones":["eu-de-01"],"product_id":"c6.2u4g.cluster",)"
      R"("storage_spec_code":"dms.physical.storage.ultra.v2","specification":"100MB"})";
  DmsAnswer created = Call("POST", path, body);
  ASSERT_EQ(created.status, 200) << created.raw_body;
  DmsAnswer shown =
      Call("GET", InstancePath(std::string(created.body.at("instance_id").as_string())));
  EXPECT_EQ(shown.body.at("product_id").as_string(), "c6.2u4g.cluster");
  std::string no_engine = body;
  no_engine.erase(no_engine.find(R"("engine":"kafka",)"), 17);
  DmsAnswer refused = Call("POST", path, no_engine);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error_code, "DMS.00400062");
}

}  // namespace
}  // namespace connectplane::api::dms
