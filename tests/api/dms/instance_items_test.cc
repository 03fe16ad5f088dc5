// Tags, Kafka parameters, topics and the cluster view of DMS instances through
// DmsApi::Handle, in the order the huaweicloud Terraform provider calls them
// (resource_huaweicloud_dms_kafka_topic.go; the instance read's tags, configs
// and manage/cluster calls). No network.
#include "api/dms/dms_api.h"

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
using connectplane::testing::kCredential;
using connectplane::testing::kDmsSeed;
using connectplane::testing::kInstance;
using connectplane::testing::kOtherCredential;
using connectplane::testing::kOtherInstance;
using connectplane::testing::kOtherProject;
using connectplane::testing::kProject;

class InstanceItemsTest : public ::testing::Test {
 protected:
  DmsAnswer Call(std::string method, std::string target, std::string body = "") {
    return harness_.Call(kCredential, std::move(method), std::move(target), std::move(body));
  }

  void ExpectError(const DmsAnswer& answer, int status, std::string_view code) {
    EXPECT_EQ(answer.status, status) << answer.raw_body;
    ASSERT_TRUE(answer.body.is_object()) << answer.raw_body;
    EXPECT_EQ(answer.body.at("error_code").as_string(), code) << answer.raw_body;
  }

  static std::string TagsPath(std::string_view instance = kInstance,
                              std::string_view project = kProject) {
    return common::StrCat("/v2/", project, "/kafka/", instance, "/tags");
  }

  // The provider's GetTopicByName: every page of 200, then the named topic.
  boost::json::value FindTopic(std::string_view name) {
    DmsAnswer listed = Call("GET", InstancePath() + "/topics?limit=200&offset=0");
    EXPECT_EQ(listed.status, 200) << listed.raw_body;
    for (const boost::json::value& topic : listed.body.at("topics").as_array()) {
      if (topic.at("name").as_string() == name) return topic;
    }
    return nullptr;
  }

  DmsHarness harness_{kDmsSeed};
};

TEST_F(InstanceItemsTest, TopicLifecycleAsTheTerraformProviderDrivesIt) {
  DmsAnswer created = Call("POST", InstancePath() + "/topics", R"({
    "id": "orders", "partition": 6, "replication": 3, "retention_time": 48,
    "sync_replication": true, "sync_message_flush": false, "topic_desc": "order events",
    "topic_other_configs": [{"name": "message.timestamp.type", "value": "CreateTime"}]})");
  ASSERT_EQ(created.status, 200) << created.raw_body;
  EXPECT_EQ(created.body.at("name").as_string(), "orders");

  // Read twice (the create wait, then Read): the same topic each time.
  for (int read = 0; read < 2; ++read) {
    boost::json::value topic = FindTopic("orders");
    ASSERT_TRUE(topic.is_object());
    EXPECT_EQ(topic.at("partition").as_int64(), 6);
    EXPECT_EQ(topic.at("replication").as_int64(), 3);
    EXPECT_EQ(topic.at("retention_time").as_int64(), 48);
    EXPECT_TRUE(topic.at("sync_replication").as_bool());
    EXPECT_FALSE(topic.at("sync_message_flush").as_bool());
    EXPECT_EQ(topic.at("topic_desc").as_string(), "order events");
    EXPECT_EQ(topic.at("topic_type").as_int64(), 0);
    EXPECT_FALSE(topic.at("policiesOnly").as_bool());
    EXPECT_GT(topic.at("created_at").as_int64(), 0);
    const boost::json::array& configs = topic.at("topic_other_configs").as_array();
    ASSERT_EQ(configs.size(), 2u);
    EXPECT_EQ(configs[1].at("name").as_string(), "message.timestamp.type");
    EXPECT_EQ(configs[1].at("value").as_string(), "CreateTime");
    EXPECT_EQ(configs[1].at("config_type").as_string(), "dynamic");
  }
  DmsAnswer listed = Call("GET", InstancePath() + "/topics");
  EXPECT_EQ(listed.body.at("total").as_int64(), 1);
  // The seeded instance's partition_num (its flavor's partitions per broker
  // times its brokers).
  EXPECT_EQ(listed.body.at("max_partitions").as_int64(), 750);
  EXPECT_EQ(listed.body.at("remain_partitions").as_int64(), 744);
  EXPECT_EQ(listed.body.at("topic_max_partitions").as_int64(), 200);

  DmsAnswer updated = Call("PUT", InstancePath() + "/topics", R"({"topics": [{
    "id": "orders", "new_partition_numbers": 8, "new_partition_brokers": [1, 2],
    "retention_time": 72, "topic_desc": ""}]})");
  EXPECT_EQ(updated.status, 204) << updated.raw_body;
  EXPECT_TRUE(updated.raw_body.empty());
  boost::json::value topic = FindTopic("orders");
  EXPECT_EQ(topic.at("partition").as_int64(), 8);
  EXPECT_EQ(topic.at("retention_time").as_int64(), 72);
  EXPECT_EQ(topic.at("topic_desc").as_string(), "");
  EXPECT_TRUE(topic.at("sync_replication").as_bool());  // not named: unchanged

  DmsAnswer deleted = Call("POST", InstancePath() + "/topics/delete", R"({"topics":["orders"]})");
  ASSERT_EQ(deleted.status, 200) << deleted.raw_body;
  EXPECT_EQ(boost::json::serialize(deleted.body), R"({"topics":[{"id":"orders","success":true}]})");
  EXPECT_TRUE(FindTopic("orders").is_null());
  DmsAnswer again = Call("POST", InstancePath() + "/topics/delete", R"({"topics":["orders"]})");
  EXPECT_EQ(boost::json::serialize(again.body), R"({"topics":[{"id":"orders","success":false}]})");
}

TEST_F(InstanceItemsTest, TopicRulesAnswerTheirOwnCodes) {
  ASSERT_EQ(Call("POST", InstancePath() + "/topics", R"({"id":"orders"})").status, 200);
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"orders"})"), 400, "DMS.00400062");
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"1bad"})"), 400, "DMS.00400101");
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"ok-name","partition":201})"), 400,
              "DMS.00400102");
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"ok-name","replication":4})"), 400,
              "DMS.00400103");
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"ok-name","retention_time":0})"),
              400, "DMS.00400105");
  ExpectError(Call("POST", InstancePath() + "/topics",
                   R"({"id":"ok-name","topic_other_configs":[{"name":"x","value":"1"}]})"),
              400, "DMS.00400063");
  ExpectError(Call("PUT", InstancePath() + "/topics", R"({"topics":[{"id":"missing"}]})"), 400,
              "DMS.00400975");
  ExpectError(Call("PUT", InstancePath() + "/topics",
                   R"({"topics":[{"id":"orders","new_partition_numbers":1}]})"),
              400, "DMS.00400102");
  // The partition quota (the seeded instance's partition_num, 750):
  // 3 * 200 + 147 + 3 fit, one more does not.
  for (const char* name : {"big-1", "big-2", "big-3"}) {
    ASSERT_EQ(Call("POST", InstancePath() + "/topics",
                   common::StrCat(R"({"id":")", name, R"(","partition":200})"))
                  .status,
              200);
  }
  ASSERT_EQ(Call("POST", InstancePath() + "/topics", R"({"id":"more","partition":147})").status, 200);
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"last","partition":1})"), 400,
              "DMS.00400039");
  EXPECT_EQ(Call("GET", InstancePath() + "/topics").body.at("remain_partitions").as_int64(), 0);
}

TEST_F(InstanceItemsTest, TagsAreCreatedListedAndDeleted) {
  DmsAnswer empty = Call("GET", TagsPath());
  ASSERT_EQ(empty.status, 200) << empty.raw_body;
  EXPECT_EQ(boost::json::serialize(empty.body), R"({"tags":[]})");
  DmsAnswer created = Call("POST", TagsPath() + "/action",
                           R"({"action":"create","tags":[{"key":"env","value":"test"},
                               {"key":"owner","value":"team a@x"}]})");
  EXPECT_EQ(created.status, 204) << created.raw_body;
  EXPECT_EQ(boost::json::serialize(Call("GET", TagsPath()).body),
            R"({"tags":[{"key":"env","value":"test"},{"key":"owner","value":"team a@x"}]})");
  EXPECT_EQ(Call("POST", TagsPath() + "/action",
                 R"({"action":"delete","tags":[{"key":"env","value":"test"},{"key":"gone"}]})")
                .status,
            204);
  EXPECT_EQ(boost::json::serialize(Call("GET", TagsPath()).body),
            R"({"tags":[{"key":"owner","value":"team a@x"}]})");
  ExpectError(Call("POST", TagsPath() + "/action", R"({"action":"update","tags":[{"key":"a"}]})"),
              400, "DMS.10240040");
  ExpectError(Call("POST", TagsPath() + "/action",
                   R"({"action":"create","tags":[{"key":"_sys_x","value":"v"}]})"),
              400, "DMS.10240035");
  ExpectError(Call("POST", TagsPath() + "/action",
                   R"({"action":"create","tags":[{"key":"a/b","value":"v"}]})"),
              400, "DMS.10240036");
  ExpectError(Call("POST", TagsPath() + "/action",
                   R"({"action":"create","tags":[{"key":"a","value":"v#"}]})"),
              400, "DMS.10240039");
  ExpectError(Call("POST", TagsPath() + "/action",
                   R"({"action":"create","tags":[{"key":"a","value":"1"},{"key":"a","value":"2"}]})"),
              400, "DMS.10240045");
  std::string many = R"({"action":"create","tags":[)";
  for (int tag_idx = 0; tag_idx < 20; ++tag_idx) {
    many += common::StrCat(tag_idx == 0 ? "" : ",", R"({"key":"k)", tag_idx, R"(","value":"v"})");
  }
  many += "]}";
  // 20 new keys plus "owner": one too many.
  ExpectError(Call("POST", TagsPath() + "/action", many), 400, "DMS.10240044");
}

TEST_F(InstanceItemsTest, ConfigChangeIsABackgroundTaskThenShows) {
  DmsAnswer configs = Call("GET", InstancePath() + "/configs");
  ASSERT_EQ(configs.status, 200) << configs.raw_body;
  const boost::json::array& listed = configs.body.at("kafka_configs").as_array();
  ASSERT_EQ(listed.size(), 13u);
  EXPECT_EQ(boost::json::serialize(listed[0]),
            R"({"name":"min.insync.replicas","valid_values":"1~3","default_value":"1",)"
            R"("config_type":"dynamic","value":"1","value_type":"integer"})");

  DmsAnswer modified = Call("PUT", InstancePath() + "/configs", R"({"kafka_configs":[
      {"name":"connections.max.idle.ms","value":"500000"},
      {"name":"log.retention.hours","value":"66"},
      {"name":"max.connections.per.ip","value":"2000"}]})");
  ASSERT_EQ(modified.status, 200) << modified.raw_body;
  EXPECT_EQ(modified.body.at("static_config").as_int64(), 2);
  EXPECT_EQ(modified.body.at("dynamic_config").as_int64(), 1);
  const std::string task_path =
      InstancePath() + "/tasks/" + std::string(modified.body.at("job_id").as_string());
  EXPECT_EQ(Call("GET", task_path).body.at("tasks").as_array()[0].at("status").as_string(),
            "EXECUTING");
  harness_.services.RunJobsAfter(absl::Seconds(3));
  EXPECT_EQ(Call("GET", task_path).body.at("tasks").as_array()[0].at("status").as_string(),
            "SUCCESS");
  DmsAnswer changed = Call("GET", InstancePath() + "/configs");
  for (const boost::json::value& config : changed.body.at("kafka_configs").as_array()) {
    if (config.at("name").as_string() == "log.retention.hours") {
      EXPECT_EQ(config.at("value").as_string(), "66");
      EXPECT_EQ(config.at("default_value").as_string(), "72");
    }
  }
  ExpectError(Call("PUT", InstancePath() + "/configs",
                   R"({"kafka_configs":[{"name":"log.retention.hours","value":"169"}]})"),
              400, "DMS.00400063");
  ExpectError(Call("PUT", InstancePath() + "/configs",
                   R"({"kafka_configs":[{"name":"no.such.parameter","value":"1"}]})"),
              400, "DMS.00400063");
}

TEST_F(InstanceItemsTest, ClusterViewsDescribeTheBrokersAndTopics) {
  ASSERT_EQ(Call("POST", InstancePath() + "/topics", R"({"id":"orders","partition":4})").status,
            200);
  DmsAnswer manage = Call("GET", InstancePath() + "/manage/cluster");
  ASSERT_EQ(manage.status, 200) << manage.raw_body;
  const boost::json::array& brokers = manage.body.at("cluster").at("brokers").as_array();
  ASSERT_EQ(brokers.size(), 3u);
  EXPECT_EQ(boost::json::serialize(brokers[0]),
            R"({"health":true,"host":"192.168.0.11","port":9092,"broker_id":"0"})");
  DmsAnswer management = Call("GET", InstancePath() + "/management/cluster");
  ASSERT_EQ(management.status, 200) << management.raw_body;
  const boost::json::object& cluster = management.body.at("cluster").as_object();
  EXPECT_EQ(cluster.at("controller").as_string(), "0");
  EXPECT_EQ(cluster.at("topics_count").as_int64(), 1);
  EXPECT_EQ(cluster.at("partitions_count").as_int64(), 4);
  EXPECT_EQ(cluster.at("replicas_count").as_int64(), 12);
  EXPECT_TRUE(cluster.at("brokers").as_array()[0].at("is_controller").as_bool());
}

// Another project's instance answers as an unknown one on every new route,
// whether the caller names it under its own project or under the other's.
TEST_F(InstanceItemsTest, OtherProjectsInstancesAnswerLikeUnknownOnes) {
  const std::string foreign = InstancePath(kOtherInstance);
  for (const auto& [method, target, body] : {
           std::tuple<std::string, std::string, std::string>{"GET", TagsPath(kOtherInstance), ""},
           {"POST", TagsPath(kOtherInstance) + "/action",
            R"({"action":"create","tags":[{"key":"a","value":"b"}]})"},
           {"GET", foreign + "/configs", ""},
           {"PUT", foreign + "/configs", R"({"kafka_configs":[{"name":"num.partitions","value":"3"}]})"},
           {"GET", foreign + "/manage/cluster", ""},
           {"GET", foreign + "/management/cluster", ""},
           {"POST", foreign + "/topics", R"({"id":"orders"})"},
           {"GET", foreign + "/topics", ""},
           {"PUT", foreign + "/topics", R"({"topics":[{"id":"orders"}]})"},
           {"POST", foreign + "/topics/delete", R"({"topics":["orders"]})"},
       }) {
    SCOPED_TRACE(method + " " + target);
    ExpectError(Call(method, target, body), 404, "DMS.00404022");
  }
  // Tenant B still sees its instance without tags or topics.
  DmsAnswer own = harness_.Call(kOtherCredential, "GET", TagsPath(kOtherInstance, kOtherProject));
  EXPECT_EQ(boost::json::serialize(own.body), R"({"tags":[]})");
}

TEST_F(InstanceItemsTest, DeletingTheInstanceRemovesItsItems) {
  ASSERT_EQ(Call("POST", InstancePath() + "/topics", R"({"id":"orders"})").status, 200);
  ASSERT_EQ(Call("POST", TagsPath() + "/action",
                 R"({"action":"create","tags":[{"key":"env","value":"x"}]})")
                .status,
            204);
  ASSERT_EQ(Call("DELETE", InstancePath()).status, 204);
  // Topics change only on a running instance.
  ExpectError(Call("POST", InstancePath() + "/topics", R"({"id":"late"})"), 400, "DMS.00400026");
  harness_.services.RunJobsAfter(absl::Seconds(3));
  ExpectError(Call("GET", InstancePath() + "/topics"), 404, "DMS.00404022");
  harness_.services.store->Read([](store::StoreTransaction& txn) -> absl::Status {
    EXPECT_TRUE(txn.ListKafkaInstanceItems(kProject, kInstance, store::kKafkaItemTopic)->empty());
    EXPECT_TRUE(txn.ListKafkaInstanceItems(kProject, kInstance, store::kKafkaItemTag)->empty());
    return absl::OkStatus();
  }).IgnoreError();
}

}  // namespace
}  // namespace connectplane::api::dms
