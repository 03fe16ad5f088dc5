// KafkaTagService, KafkaConfigService and KafkaTopicService over the service
// fixture (in-memory SQLite, fake clock, every job handler registered): the
// domain rules, tenant scoping, and that a refused change writes nothing.
#include "service/kafka_config_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"

#include "common/status.h"
#include "service/kafka_service.h"

#include <gtest/gtest.h>
#include "boost/json.hpp"

#include "fakes/service_fixture.h"
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kInstanceId[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kOtherTenantInstance[] = "c3d4e5f6-0000-1111-2222-333344445555";

class KafkaItemServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(services_.store
                    ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                      store::KafkaInstance instance = Instance("p1", kInstanceId);
                      instance.attributes_json =
                          R"({"broker_num":2,"connect_address":"10.0.0.5:9092,10.0.0.6:9092",)"
                          R"("port":9093,"partition_num":"10","engine_version":"3.x"})";
                      RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
                      return txn.InsertKafkaInstance(Instance("p2", kOtherTenantInstance));
                    })
                    .ok());
  }

  static store::KafkaInstance Instance(std::string project, std::string id) {
    store::KafkaInstance instance;
    instance.project_id = std::move(project);
    instance.instance_id = std::move(id);
    instance.name = "kafka";
    instance.status = std::string(kStatusRunning);
    instance.created_at_ms = 1234;
    return instance;
  }

  static inline const Caller kCaller{"p1", "demo", "u1", "", ""};
  testing::ServiceFixture services_;
};

TEST_F(KafkaItemServicesTest, TagsOfACreateBodyAreCheckedLikeTagActions) {
  auto parsed = KafkaTagService::TagsOfCreateBody(
      boost::json::parse(R"({"tags":[{"key":"env","value":"test"},{"key":"owner"}]})").as_object());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].value, "");
  EXPECT_TRUE(KafkaTagService::TagsOfCreateBody(boost::json::object{})->empty());
  for (const char* bad : {R"({"tags":"env"})", R"({"tags":[{"value":"x"}]})",
                          R"({"tags":[{"key":1}]})", R"({"tags":[{"key":"_sys_x"}]})",
                          R"({"tags":[{"key":"a"},{"key":"a"}]})"}) {
    EXPECT_FALSE(KafkaTagService::TagsOfCreateBody(boost::json::parse(bad).as_object()).ok())
        << bad;
  }
}

TEST_F(KafkaItemServicesTest, TagRulesAndLimits) {
  KafkaTagService& tags = services_.kafka_tags;
  EXPECT_TRUE(KafkaTagService::ValidateTags({{"环境", "测试 值"}, {"a.b:c=d+e-f@g_h", ""}}).ok());
  EXPECT_EQ(common::ReasonOf(KafkaTagService::ValidateTags({{std::string(129, 'k'), ""}})),
            kReasonInvalidTagKey);
  EXPECT_TRUE(KafkaTagService::ValidateTags({{std::string(128, 'k'), std::string(255, 'v')}}).ok());
  EXPECT_EQ(common::ReasonOf(KafkaTagService::ValidateTags({{"k", std::string(256, 'v')}})),
            kReasonTagValueTooLong);
  EXPECT_EQ(common::ReasonOf(KafkaTagService::ValidateTags({{" k", ""}})), kReasonInvalidTagKey);
  EXPECT_EQ(common::ReasonOf(KafkaTagService::ValidateTags({{"k*", ""}})),
            kReasonInvalidTagKeyCharacters);
  EXPECT_EQ(common::ReasonOf(KafkaTagService::ValidateTags({{"k", "v "}})),
            kReasonInvalidTagValueCharacters);

  ASSERT_TRUE(tags.ApplyTags(kCaller, kInstanceId, TagAction::kCreate, {{"a", "1"}, {"b", "2"}}).ok());
  ASSERT_TRUE(tags.ApplyTags(kCaller, kInstanceId, TagAction::kCreate, {{"a", "3"}}).ok());
  auto listed = tags.ListTags(kCaller, kInstanceId);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  std::vector<InstanceTag> many;
  for (size_t tag_idx = 0; tag_idx < kMaxInstanceTags - 1; ++tag_idx) {
    many.push_back({"k" + std::to_string(tag_idx), "v"});
  }
  // 19 new keys plus "a" and "b": over the limit, and nothing is written.
  EXPECT_EQ(common::ReasonOf(tags.ApplyTags(kCaller, kInstanceId, TagAction::kCreate, many)),
            kReasonTagLimitReached);
  EXPECT_EQ(tags.ListTags(kCaller, kInstanceId)->size(), 2u);
  ASSERT_TRUE(tags.ApplyTags(kCaller, kInstanceId, TagAction::kDelete, {{"a", ""}, {"zz", ""}}).ok());
  EXPECT_EQ(tags.ListTags(kCaller, kInstanceId)->size(), 1u);
  // ShowInstance's `tags` member follows the stored tags.
  auto instance = services_.kafka.GetInstance(kCaller, kInstanceId);
  ASSERT_TRUE(instance.ok()) << instance.status();
  EXPECT_NE(instance->attributes_json.find(R"("tags":[{"key":"b","value":"2"}])"), std::string::npos)
      << instance->attributes_json;
  // Another tenant's instance is unknown.
  EXPECT_EQ(common::ReasonOf(tags.ListTags(kCaller, kOtherTenantInstance).status()),
            kReasonInstanceNotFound);
  EXPECT_EQ(common::ReasonOf(
                tags.ApplyTags(kCaller, kOtherTenantInstance, TagAction::kCreate, {{"a", "1"}})),
            kReasonInstanceNotFound);
}

TEST_F(KafkaItemServicesTest, ConfigChangesApplyWhenTheirJobSucceeds) {
  KafkaConfigService& configs = services_.kafka_configs;
  auto result = configs.ModifyConfigs(kCaller, kInstanceId,
                                      {{"num.partitions", "5"},
                                       {"min.insync.replicas", "2"},
                                       {"num.partitions", "6"}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->static_count, 1);
  EXPECT_EQ(result->dynamic_count, 1);
  auto before = configs.ListConfigs(kCaller, kInstanceId);
  ASSERT_TRUE(before.ok());
  for (const InstanceConfigValue& config : *before) {
    EXPECT_EQ(config.value, config.parameter->default_value) << config.parameter->name;
  }
  EXPECT_EQ(services_.RunJobsAfter(absl::Seconds(3)), 1);
  auto changed = configs.ListConfigs(kCaller, kInstanceId);
  ASSERT_TRUE(changed.ok()) << changed.status();
  for (const InstanceConfigValue& config : *changed) {
    if (config.parameter->name == "num.partitions") EXPECT_EQ(config.value, "6");
    if (config.parameter->name == "min.insync.replicas") EXPECT_EQ(config.value, "2");
  }
  EXPECT_EQ(common::ReasonOf(configs.ModifyConfigs(kCaller, kInstanceId, {}).status()),
            kReasonNoConfigChange);
  EXPECT_EQ(common::ReasonOf(
                configs.ModifyConfigs(kCaller, kInstanceId, {{"num.partitions", "x"}}).status()),
            kReasonInvalidConfigParameter);
  EXPECT_EQ(common::ReasonOf(configs
                                 .ModifyConfigs(kCaller, kOtherTenantInstance,
                                                {{"num.partitions", "3"}})
                                 .status()),
            kReasonInstanceNotFound);
}

TEST_F(KafkaItemServicesTest, TopicsFollowTheInstanceShape) {
  KafkaTopicService& topics = services_.kafka_topics;
  CreateTopicRequest request;
  request.name = "orders";
  request.partition = 4;
  auto created = topics.CreateTopic(kCaller, kInstanceId, request);
  ASSERT_TRUE(created.ok()) << created.status();
  // Two brokers: three replicas do not fit, and the default is two.
  request.name = "three";
  request.replication = 3;
  EXPECT_EQ(common::ReasonOf(topics.CreateTopic(kCaller, kInstanceId, request).status()),
            kReasonReplicationOverBrokers);
  // partition_num "10": 4 used, 7 more do not fit.
  request.replication.reset();
  request.partition = 7;
  EXPECT_EQ(common::ReasonOf(topics.CreateTopic(kCaller, kInstanceId, request).status()),
            kReasonPartitionQuotaReached);
  auto page = topics.ListTopics(kCaller, kInstanceId, {0, 50});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->max_partitions, 10);
  EXPECT_EQ(page->remain_partitions, 6);
  EXPECT_EQ(page->topics[0].replication, 2);
  EXPECT_EQ(page->topics[0].retention_time, kDefaultRetentionHours);

  auto cluster = topics.GetCluster(kCaller, kInstanceId);
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  ASSERT_EQ(cluster->brokers.size(), 2u);
  EXPECT_EQ(cluster->brokers[1].host, "10.0.0.6");
  EXPECT_EQ(cluster->brokers[1].port, 9093);
  EXPECT_EQ(cluster->version, "3.x");
  EXPECT_EQ(cluster->register_time_ms, 1234);
  EXPECT_EQ(cluster->partitions_count, 4);
  EXPECT_EQ(cluster->replicas_count, 8);

  UpdateTopicRequest update;
  update.name = "orders";
  update.new_partition_numbers = 11;
  EXPECT_EQ(common::ReasonOf(topics.UpdateTopics(kCaller, kInstanceId, {update})),
            kReasonPartitionQuotaReached);
  auto deleted = topics.DeleteTopics(kCaller, kInstanceId, {"orders", "orders"});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE((*deleted)[0].deleted);
  EXPECT_FALSE((*deleted)[1].deleted);
  EXPECT_EQ(common::ReasonOf(topics.ListTopics(kCaller, kOtherTenantInstance, {0, 10}).status()),
            kReasonInstanceNotFound);
}

}  // namespace
}  // namespace connectplane::service
