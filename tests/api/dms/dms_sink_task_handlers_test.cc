// The legacy dump-task API (/v2/{project_id}/connectors/{connector_id}/sink-tasks)
// as the huaweicloud Terraform provider's huaweicloud_dms_kafka_smart_connect_task
// and its data source call it, plus the provider-shaped Smart Connect calls
// this branch accepts: replication tasks without instance aliases and
// node_cnt "0". Requests signed as the SDK signs them, fake clock, no network.
#include "api/dms/dms_api.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include "fakes/store_dump.h"
#include <string>
#include <string_view>

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
using connectplane::testing::kProject;
using connectplane::testing::kSecondInstance;

// The body buildCreateKafkaSmartConnectTaskBodyParams sends for the resource's
// documented example (the provider keeps empty strings, e.g. topics_regex).
constexpr char kLegacyDumpBody[] = R"({
  "source_type": "BLOB", "task_name": "task_test", "destination_type": "OBS",
  "obs_destination_descriptor": {
    "consumer_strategy": "latest", "destination_file_type": "TEXT", "access_key": "AK",
    "secret_key": "SK", "obs_bucket_name": "bucket-test", "obs_path": "path-test",
    "partition_format": "yyyy/MM/dd/HH/mm", "record_delimiter": "\n",
    "deliver_time_interval": 300, "topics": "topic-test", "topics_regex": ""
  }
})";

class DmsSinkTaskTest : public ::testing::Test {
 protected:
  DmsAnswer Call(std::string method, std::string target, std::string body = "") {
    return harness_.Call(kCredential, std::move(method), std::move(target), std::move(body));
  }

  void ExpectError(const DmsAnswer& answer, int status, std::string_view code) {
    EXPECT_EQ(answer.status, status) << answer.raw_body;
    ASSERT_TRUE(answer.body.is_object()) << answer.raw_body;
    EXPECT_EQ(answer.body.at("error_code").as_string(), code) << answer.raw_body;
    EXPECT_FALSE(answer.body.at("error_msg").as_string().empty());
  }

  void RunJobsAfter(absl::Duration delta) { harness_.services.RunJobsAfter(delta); }

  // Enables Smart Connect on `instance` and returns its connector id.
  std::string EnableConnector(std::string_view instance = kInstance) {
    DmsAnswer enabled = Call("POST", InstancePath(instance) + "/connector", R"({"node_cnt":2})");
    EXPECT_EQ(enabled.status, 200) << enabled.raw_body;
    RunJobsAfter(absl::Seconds(2));
    return enabled.status == 200 ? std::string(enabled.body.at("connector_id").as_string()) : "";
  }

  static std::string SinkTasks(std::string_view connector_id, std::string_view project = kProject) {
    return common::StrCat("/v2/", project, "/connectors/", connector_id, "/sink-tasks");
  }

  DmsHarness harness_{kDmsSeed};
};

TEST_F(DmsSinkTaskTest, ProviderCreatePollReadListAndDelete) {
  const std::string connector = EnableConnector();
  DmsAnswer created = Call("POST", SinkTasks(connector), kLegacyDumpBody);
  ASSERT_EQ(created.status, 200) << created.raw_body;
  ASSERT_EQ(created.body.as_object().size(), 1u) << created.raw_body;  // {task_id} only
  const std::string task_id(created.body.at("task_id").as_string());
  const std::string task = SinkTasks(connector) + "/" + task_id;

  // The provider polls CREATING until RUNNING.
  EXPECT_EQ(Call("GET", task).body.at("status").as_string(), "CREATING");
  RunJobsAfter(absl::Seconds(3));
  DmsAnswer shown = Call("GET", task);
  ASSERT_EQ(shown.status, 200) << shown.raw_body;
  const boost::json::object& detail = shown.body.as_object();
  EXPECT_EQ(detail.at("status").as_string(), "RUNNING");
  EXPECT_EQ(detail.at("task_name").as_string(), "task_test");
  EXPECT_EQ(detail.at("destination_type").as_string(), "OBS");
  EXPECT_EQ(detail.at("topics").as_string(), "topic-test");
  EXPECT_TRUE(detail.at("create_time").is_int64());
  EXPECT_FALSE(detail.contains("topics_info"));
  const boost::json::object& descriptor = detail.at("obs_destination_descriptor").as_object();
  EXPECT_EQ(descriptor.at("topics").as_string(), "topic-test");
  EXPECT_EQ(descriptor.at("topics_regex").as_string(), "");
  EXPECT_EQ(descriptor.at("consumer_strategy").as_string(), "latest");
  EXPECT_EQ(descriptor.at("destination_file_type").as_string(), "TEXT");
  EXPECT_EQ(descriptor.at("obs_bucket_name").as_string(), "bucket-test");
  EXPECT_EQ(descriptor.at("obs_path").as_string(), "path-test");
  EXPECT_EQ(descriptor.at("partition_format").as_string(), "yyyy/MM/dd/HH/mm");
  EXPECT_EQ(descriptor.at("record_delimiter").as_string(), "\n");
  EXPECT_EQ(descriptor.at("deliver_time_interval").as_int64(), 300);
  EXPECT_EQ(descriptor.at("obs_part_size").as_int64(), 5242880);
  EXPECT_FALSE(descriptor.contains("access_key"));
  EXPECT_FALSE(descriptor.contains("secret_key"));

  DmsAnswer with_topics = Call("GET", task + "?topic-info=true");
  ASSERT_EQ(with_topics.status, 200);
  const boost::json::array& topics_info = with_topics.body.at("topics_info").as_array();
  ASSERT_EQ(topics_info.size(), 1u);
  EXPECT_EQ(topics_info[0].at("topic").as_string(), "topic-test");

  // One model: the same task through the new API.
  DmsAnswer same = Call("GET", InstancePath() + "/connector/tasks/" + task_id);
  ASSERT_EQ(same.status, 200);
  EXPECT_EQ(same.body.at("sink_type").as_string(), "OBS_SINK");

  DmsAnswer listed = Call("GET", SinkTasks(connector));
  ASSERT_EQ(listed.status, 200) << listed.raw_body;
  EXPECT_EQ(listed.body.at("total_number").as_int64(), 1);
  EXPECT_EQ(listed.body.at("max_tasks").as_int64(), 18);
  EXPECT_EQ(listed.body.at("quota_tasks").as_int64(), 18);
  const boost::json::object& summary = listed.body.at("tasks").as_array().at(0).as_object();
  EXPECT_EQ(summary.at("task_id").as_string(), task_id);
  EXPECT_EQ(summary.at("task_name").as_string(), "task_test");
  EXPECT_EQ(summary.at("destination_type").as_string(), "OBS");
  EXPECT_EQ(summary.at("status").as_string(), "RUNNING");
  EXPECT_EQ(summary.at("topics").as_string(), "topic-test");

  DmsAnswer deleted = Call("DELETE", task);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.raw_body.empty());
  ExpectError(Call("GET", task), 404, "DMS.00404022");  // the provider's "deleted"
  ExpectError(Call("DELETE", task), 404, "DMS.00404022");
  EXPECT_EQ(Call("GET", SinkTasks(connector)).body.at("total_number").as_int64(), 0);
}

TEST_F(DmsSinkTaskTest, PatternTasksShowThePatternAsTopics) {
  const std::string connector = EnableConnector();
  std::string body(kLegacyDumpBody);
  body.replace(body.find(R"("topics": "topic-test", "topics_regex": "")"),
               std::string_view(R"("topics": "topic-test", "topics_regex": "")").size(),
               R"("topics_regex": "topic-.*")");
  DmsAnswer created = Call("POST", SinkTasks(connector), body);
  ASSERT_EQ(created.status, 200) << created.raw_body;
  DmsAnswer listed = Call("GET", SinkTasks(connector));
  EXPECT_EQ(listed.body.at("tasks").as_array().at(0).at("topics").as_string(), "topic-.*");
  DmsAnswer shown =
      Call("GET", SinkTasks(connector) + "/" + std::string(created.body.at("task_id").as_string()) +
                      "?topic-info=true");
  EXPECT_EQ(shown.body.at("obs_destination_descriptor").at("topics_regex").as_string(), "topic-.*");
  EXPECT_TRUE(shown.body.at("topics_info").as_array().empty());
}

// The legacy API describes dump tasks only: a replication task of the same
// instance is neither listed nor shown nor deleted through it.
TEST_F(DmsSinkTaskTest, ReplicationTasksAreInvisibleToTheLegacyApi) {
  const std::string connector = EnableConnector();
  DmsAnswer replication =
      Call("POST", InstancePath() + "/connector/tasks",
           common::StrCat(R"({"task_name":"copy","topics":"orders",)",
                          R"("source_type":"KAFKA_REPLICATOR_SOURCE","source_task":)",
                          R"({"instance_id":")", kSecondInstance, R"(","direction":"push"}})"));
  ASSERT_EQ(replication.status, 200) << replication.raw_body;
  const std::string task_id(replication.body.at("id").as_string());
  EXPECT_EQ(Call("GET", SinkTasks(connector)).body.at("total_number").as_int64(), 0);
  ExpectError(Call("GET", SinkTasks(connector) + "/" + task_id), 404, "DMS.00404022");
  ExpectError(Call("DELETE", SinkTasks(connector) + "/" + task_id), 404, "DMS.00404022");
  EXPECT_EQ(Call("GET", InstancePath() + "/connector/tasks/" + task_id).status, 200);
}

TEST_F(DmsSinkTaskTest, UnknownDisabledAndForeignConnectorsAreNotFound) {
  const std::string connector = EnableConnector();
  ASSERT_EQ(Call("POST", SinkTasks(connector), kLegacyDumpBody).status, 200);
  const std::string unknown = "99999999-9999-9999-9999-999999999999";
  ExpectError(Call("GET", SinkTasks(unknown)), 404, "DMS.00404022");
  ExpectError(Call("POST", SinkTasks(unknown), kLegacyDumpBody), 404, "DMS.00404022");
  ExpectError(Call("GET", SinkTasks("not-even-a-uuid")), 404, "DMS.00404022");

  // The other tenant's own connector, addressed by us, and ours by them:
  // answered like an unknown one.
  DmsAnswer other_enabled = harness_.Call(
      kOtherCredential, "POST", InstancePath(kOtherInstance, kOtherProject) + "/connector", "{}");
  ASSERT_EQ(other_enabled.status, 200);
  RunJobsAfter(absl::Seconds(2));
  const std::string other_connector(other_enabled.body.at("connector_id").as_string());
  ExpectError(Call("GET", SinkTasks(other_connector)), 404, "DMS.00404022");
  ExpectError(harness_.Call(kOtherCredential, "GET", SinkTasks(connector, kOtherProject)), 404,
              "DMS.00404022");
  ExpectError(
      harness_.Call(kOtherCredential, "POST", SinkTasks(connector, kOtherProject), kLegacyDumpBody),
      404, "DMS.00404022");
  // Our credential on the other project's path is refused before any lookup.
  EXPECT_EQ(Call("GET", SinkTasks(connector, kOtherProject)).status, 403);

  // Disabling Smart Connect retires the connector id with its tasks.
  ASSERT_EQ(
      Call("POST",
           common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance, "/delete-connector"),
           "")
          .status,
      200);
  RunJobsAfter(absl::Seconds(2));
  ExpectError(Call("GET", SinkTasks(connector)), 404, "DMS.00404022");
}

TEST_F(DmsSinkTaskTest, BadBodiesAndQueriesChangeNothing) {
  const std::string connector = EnableConnector();
  const std::string before = testing::DumpAllRows(*harness_.services.store);
  struct Case {
    const char* name;
    std::string body;
    int status;
    const char* code;
  };
  auto with = [](std::string_view from, std::string_view to) {
    std::string body(kLegacyDumpBody);
    body.replace(body.find(from), from.size(), to);
    return body;
  };
  const Case cases[] = {
      {"empty", "", 400, "DMS.00400004"},
      {"not json", "{bad", 400, "DMS.00400005"},
      {"array", "[]", 400, "DMS.00400005"},
      {"unknown member", with(R"("source_type")", R"("surprise": 1, "source_type")"), 400,
       "DMS.00400062"},
      {"source type", with(R"("BLOB")", R"("KAFKA")"), 400, "DMS.00400062"},
      {"no source type", with(R"("source_type": "BLOB",)", ""), 400, "DMS.00400062"},
      {"destination type", with(R"("OBS",)", R"("OBS_SINK",)"), 400, "DMS.00400062"},
      {"no task name", with(R"("task_name": "task_test",)", ""), 400, "DMS.00400062"},
      {"bad task name", with("task_test", "1x"), 400, "DMS.00400062"},
      {"descriptor not object",
       R"({"source_type":"BLOB","task_name":"abcd","destination_type":"OBS",)"
       R"("obs_destination_descriptor":"x"})",
       400, "DMS.00400062"},
      {"no descriptor", R"({"source_type":"BLOB","task_name":"abcd","destination_type":"OBS"})",
       400, "DMS.00400062"},
      {"descriptor unknown member", with(R"("obs_path")", R"("agency": "a", "obs_path")"), 400,
       "DMS.00400062"},
      {"no partition format", with(R"("partition_format": "yyyy/MM/dd/HH/mm",)", ""), 400,
       "DMS.00400062"},
      {"bad partition format", with("yyyy/MM/dd/HH/mm", "dd/MM"), 400, "DMS.00400062"},
      {"bad consumer strategy", with(R"("latest")", R"("newest")"), 400, "DMS.00400062"},
      {"bad file type", with(R"("TEXT")", R"("PARQUET")"), 400, "DMS.00400062"},
      {"interval too small", with("300", "29"), 400, "DMS.00400062"},
      {"interval a string", with("300", R"("300")"), 400, "DMS.00400062"},
      {"no secret key", with(R"("secret_key": "SK",)", ""), 400, "DMS.00400062"},
      {"bucket too short", with("bucket-test", "b"), 400, "DMS.00400062"},
      {"topics and regex", with(R"("topics_regex": "")", R"("topics_regex": "t.*")"), 400,
       "DMS.00400062"},
      {"no topics", with(R"("topics": "topic-test", )", ""), 400, "DMS.00400062"},
      {"bad topic", with("topic-test", "bad topic!"), 400, "DMS.00400062"},
      {"topics a number", with(R"("topic-test")", "7"), 400, "DMS.00400062"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    ExpectError(Call("POST", SinkTasks(connector), test_case.body), test_case.status,
                test_case.code);
  }
  ExpectError(Call("GET", SinkTasks(connector) + "/x?topic-info=yes"), 400, "DMS.00400062");
  ExpectError(Call("PUT", SinkTasks(connector) + "/x"), 404, "APIGW.0101");
  EXPECT_EQ(testing::DumpAllRows(*harness_.services.store), before);
}

// ---- Provider-shaped Smart Connect calls (new API) ----

// huaweicloud acceptance test kafkaToKafka / both providers' documented
// replication example: no current_cluster_name, no cluster_name.
TEST_F(DmsSinkTaskTest, ReplicationTaskWithoutAliasesAnswersTheDefaults) {
  EnableConnector();
  const std::string body = common::StrCat(
      R"({"task_name":"copy-task","topics":"topic-test",)",
      R"("source_type":"KAFKA_REPLICATOR_SOURCE","source_task":{"instance_id":")", kSecondInstance,
      R"(","direction":"push","replication_factor":3,"task_num":2,)",
      R"("rename_topic_enabled":true,"provenance_header_enabled":true,)",
      R"("sync_consumer_offsets_enabled":true,"consumer_strategy":"latest",)",
      R"("compression_type":"snappy"}})");
  DmsAnswer created = Call("POST", InstancePath() + "/connector/tasks", body);
  ASSERT_EQ(created.status, 200) << created.raw_body;
  RunJobsAfter(absl::Seconds(3));
  DmsAnswer shown = Call(
      "GET", InstancePath() + "/connector/tasks/" + std::string(created.body.at("id").as_string()));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");
  const boost::json::object& source = shown.body.at("source_task").as_object();
  EXPECT_FALSE(source.contains("current_cluster_name"));
  EXPECT_FALSE(source.contains("cluster_name"));
  EXPECT_EQ(source.at("instance_id").as_string(), kSecondInstance);
  EXPECT_EQ(source.at("compression_type").as_string(), "snappy");  // given wins
  EXPECT_EQ(source.at("security_protocol").as_string(), "PLAINTEXT");
  EXPECT_EQ(source.at("sasl_mechanism").as_string(), "PLAIN");
  EXPECT_EQ(source.at("replication_factor").as_int64(), 3);
  EXPECT_TRUE(source.at("rename_topic_enabled").as_bool());
}

// The API reference's "Kafka data replication task that starts later": no
// topics, the topics in topics_mapping.
TEST_F(DmsSinkTaskTest, ReplicationTaskMayNameItsTopicsByMappingOnly) {
  EnableConnector();
  const std::string body = common::StrCat(
      R"({"task_name":"smart-connect-2","start_later":true,)",
      R"("source_type":"KAFKA_REPLICATOR_SOURCE","source_task":{"current_cluster_name":"A",)",
      R"("cluster_name":"B","instance_id":")", kSecondInstance,
      R"(","direction":"two-way","topics_mapping":"topic-sc-1:topic-sc-3,topic-sc-2:topic-sc-4"}})");
  DmsAnswer created = Call("POST", InstancePath() + "/connector/tasks", body);
  ASSERT_EQ(created.status, 200) << created.raw_body;
  RunJobsAfter(absl::Seconds(3));
  EXPECT_EQ(Call("GET", InstancePath() + "/connector/tasks/" +
                            std::string(created.body.at("id").as_string()))
                .body.at("status")
                .as_string(),
            "WAITING");
  // Without a mapping the topics are still required.
  ExpectError(
      Call("POST", InstancePath() + "/connector/tasks",
           common::StrCat(R"({"task_name":"no-topics",)",
                          R"("source_type":"KAFKA_REPLICATOR_SOURCE","source_task":)",
                          R"({"instance_id":")", kSecondInstance, R"(","direction":"push"}})")),
      400, "DMS.00400062");
}

// opentelekomcloud_dms_smart_connect_v2 without node_count sends "0": the
// documented default of 2 applies.
TEST_F(DmsSinkTaskTest, NodeCountZeroMeansTheDefault) {
  for (const auto& [instance, body] : {std::pair{kInstance, R"({"node_cnt":"0"})"},
                                       std::pair{kSecondInstance, R"({"node_cnt":0})"}}) {
    SCOPED_TRACE(body);
    DmsAnswer enabled = Call("POST", InstancePath(instance) + "/connector", body);
    ASSERT_EQ(enabled.status, 200) << enabled.raw_body;
    RunJobsAfter(absl::Seconds(2));
    DmsAnswer shown = Call("GET", InstancePath(instance));
    EXPECT_EQ(shown.body.at("connector_node_num").as_int64(), 2);
    EXPECT_EQ(shown.body.at("status").as_string(), "RUNNING");
  }
}

}  // namespace
}  // namespace connectplane::api::dms
