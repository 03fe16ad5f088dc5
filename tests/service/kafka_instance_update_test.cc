#include "common/status.h"
#include "service/job_types.h"
#include "service/kafka_service.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <string>

namespace connectplane::service {
namespace {

class KafkaInstanceUpdateTest : public ::testing::Test {
 protected:
  CreateInstanceRequest Request(std::string name) {
    CreateInstanceRequest request;
    request.name = std::move(name);
    request.engine = "kafka";
    request.engine_version = "2.7";
    request.broker_num = 3;
    request.storage_space = 600;
    request.vpc_id = "11111111-2222-3333-4444-555555555555";
    request.subnet_id = "21111111-2222-3333-4444-555555555555";
    request.security_group_id = "31111111-2222-3333-4444-555555555555";
    request.available_zones = std::vector<std::string>{"eu-de-01"};
    request.product_id = "c6.2u4g.cluster";
    request.storage_spec_code = "dms.physical.storage.high.v2";
    return request;
  }

  std::string Create(std::string name) {
    auto id = services_.kafka.CreateInstance(kCaller, Request(std::move(name)));
    EXPECT_TRUE(id.ok()) << id.status();
    return *id;
  }

  static inline const Caller kCaller{"p1", "demo", "u1", "", ""};
  testing::ServiceFixture services_{absl::Seconds(2)};
};

TEST_F(KafkaInstanceUpdateTest, RefusedWhileCreatingAndAppliedOnceRunning) {
  const std::string id = Create("update-me");
  UpdateInstanceRequest rename;
  rename.name = "renamed";
  EXPECT_EQ(common::ReasonOf(services_.kafka.UpdateInstance(kCaller, id, rename)),
            kReasonInstanceBusy);
  services_.RunJobsAfter(absl::Seconds(2));
  const store::KafkaInstance before = *services_.kafka.GetInstance(kCaller, id);
  ASSERT_EQ(before.status, kStatusRunning);
  ASSERT_TRUE(services_.kafka.UpdateInstance(kCaller, id, rename).ok());
  const store::KafkaInstance after = *services_.kafka.GetInstance(kCaller, id);
  EXPECT_EQ(after.name, "renamed");
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_EQ(after.product_id, before.product_id);
  EXPECT_EQ(after.available_zones_json, before.available_zones_json);
}

TEST_F(KafkaInstanceUpdateTest, NameTakenAndBadValuesChangeNothing) {
  const std::string first = Create("first-kafka");
  Create("second-kafka");
  services_.RunJobsAfter(absl::Seconds(2));
  const store::KafkaInstance before = *services_.kafka.GetInstance(kCaller, first);
  UpdateInstanceRequest taken;
  taken.name = "second-kafka";
  EXPECT_EQ(common::ReasonOf(services_.kafka.UpdateInstance(kCaller, first, taken)),
            kReasonInstanceNameTaken);
  UpdateInstanceRequest bad_window;
  bad_window.maintain_begin = "2:00";
  bad_window.maintain_end = "06:00:00";
  EXPECT_EQ(common::ReasonOf(services_.kafka.UpdateInstance(kCaller, first, bad_window)),
            kReasonInvalidInstanceField);
  UpdateInstanceRequest same_name;
  same_name.name = "first-kafka";  // its own name is not "taken"
  EXPECT_TRUE(services_.kafka.UpdateInstance(kCaller, first, same_name).ok());
  const store::KafkaInstance after = *services_.kafka.GetInstance(kCaller, first);
  EXPECT_EQ(after.attributes_json, before.attributes_json);
  // Another tenant's caller cannot touch it.
  const Caller other{"p2", "other", "u2", "", ""};
  EXPECT_EQ(common::ReasonOf(services_.kafka.UpdateInstance(other, first, same_name)),
            kReasonInstanceNotFound);
}

}  // namespace
}  // namespace connectplane::service

namespace connectplane::service {
namespace {

class KafkaResizeTest : public KafkaInstanceUpdateTest {
 protected:
  std::string Running() {
    const std::string id = Create("resize-me");
    services_.RunJobsAfter(absl::Seconds(2));
    return id;
  }
  static ResizeInstanceRequest Oper(std::string oper_type) {
    ResizeInstanceRequest request;
    request.oper_type = std::move(oper_type);
    return request;
  }
};

TEST_F(KafkaResizeTest, EachOperTypeGoesThroughExtendingAndAppliesWhenTheJobIsDone) {
  const std::string id = Running();
  ResizeInstanceRequest brokers = Oper("horizontal");
  brokers.new_broker_num = 5;
  auto job = services_.kafka.ResizeInstance(kCaller, id, brokers);
  ASSERT_TRUE(job.ok()) << job.status();
  store::KafkaInstance extending = *services_.kafka.GetInstance(kCaller, id);
  EXPECT_EQ(extending.status, kStatusExtending);
  EXPECT_EQ(extending.broker_num, 3);  // not before the job is done
  EXPECT_EQ(common::ReasonOf(services_.kafka.ResizeInstance(kCaller, id, brokers).status()),
            kReasonInstanceBusy);
  services_.RunJobsAfter(absl::Seconds(2));
  store::KafkaInstance grown = *services_.kafka.GetInstance(kCaller, id);
  EXPECT_EQ(grown.status, kStatusRunning);
  EXPECT_EQ(grown.broker_num, 5);
  EXPECT_EQ(grown.storage_space, 1000);  // 200 GB per broker kept
  EXPECT_NE(grown.attributes_json.find(R"("partition_num":"1250")"), std::string::npos);
  EXPECT_NE(grown.attributes_json.find("192.168.0.15:9092"), std::string::npos);
  EXPECT_NE(grown.attributes_json.find(R"("extend_times":1)"), std::string::npos);
  EXPECT_EQ(services_.kafka.GetTask(kCaller, id, *job)->status, store::JobStatus::kSucceeded);

  ResizeInstanceRequest storage = Oper("storage");
  storage.new_storage_space = 1500;
  ASSERT_TRUE(services_.kafka.ResizeInstance(kCaller, id, storage).ok());
  services_.RunJobsAfter(absl::Seconds(2));
  EXPECT_EQ(services_.kafka.GetInstance(kCaller, id)->storage_space, 1500);

  ResizeInstanceRequest flavor = Oper("vertical");
  flavor.new_product_id = "c6.4u8g.cluster";
  ASSERT_TRUE(services_.kafka.ResizeInstance(kCaller, id, flavor).ok());
  services_.RunJobsAfter(absl::Seconds(2));
  store::KafkaInstance bigger = *services_.kafka.GetInstance(kCaller, id);
  EXPECT_EQ(bigger.product_id, "c6.4u8g.cluster");
  EXPECT_NE(bigger.attributes_json.find(R"("partition_num":"2500")"), std::string::npos);
  EXPECT_NE(bigger.attributes_json.find(R"("extend_times":3)"), std::string::npos);
}

TEST_F(KafkaResizeTest, RefusedResizesWriteNothing) {
  const std::string id = Running();
  const store::KafkaInstance before = *services_.kafka.GetInstance(kCaller, id);
  std::vector<ResizeInstanceRequest> refused;
  refused.push_back(ResizeInstanceRequest{});  // no oper_type (golangsdk's legacy body)
  refused.push_back(Oper("diagonal"));
  refused.push_back(Oper("storage"));  // no new_storage_space
  ResizeInstanceRequest too_little = Oper("storage");
  too_little.new_storage_space = 800;  // +200 GB for 3 brokers: under 100 GB each
  refused.push_back(too_little);
  ResizeInstanceRequest fewer = Oper("horizontal");
  fewer.new_broker_num = 3;
  refused.push_back(fewer);
  ResizeInstanceRequest too_many = Oper("horizontal");
  too_many.new_broker_num = 31;
  refused.push_back(too_many);
  ResizeInstanceRequest wrong_storage = Oper("horizontal");
  wrong_storage.new_broker_num = 4;
  wrong_storage.new_storage_space = 900;
  refused.push_back(wrong_storage);
  ResizeInstanceRequest smaller = Oper("vertical");
  smaller.new_product_id = "c6.2u4g.cluster";
  refused.push_back(smaller);
  ResizeInstanceRequest single = Oper("vertical");
  single.new_product_id = "c6.2u4g.single";
  refused.push_back(single);
  for (const ResizeInstanceRequest& request : refused) {
    EXPECT_EQ(common::ReasonOf(services_.kafka.ResizeInstance(kCaller, id, request).status()),
              kReasonInvalidInstanceField)
        << request.oper_type.value_or("(none)");
  }
  ResizeInstanceRequest unknown = Oper("vertical");
  unknown.new_product_id = "c9.99u99g.cluster";
  EXPECT_EQ(common::ReasonOf(services_.kafka.ResizeInstance(kCaller, id, unknown).status()),
            kReasonInvalidProductId);
  const store::KafkaInstance after = *services_.kafka.GetInstance(kCaller, id);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.status, kStatusRunning);
  EXPECT_EQ(services_.kafka.ListTasks(kCaller, id, {}, {0, 10})->total, 1);  // the create only
}

TEST_F(KafkaResizeTest, AFailedResizeJobLeavesTheInstanceRunningAndUnchanged) {
  const std::string id = Running();
  ASSERT_TRUE(services_.controls
                  .AddJobFault({.job_type = std::string(kJobExtendInstance), .count = 1})
                  .ok());
  ResizeInstanceRequest brokers = Oper("horizontal");
  brokers.new_broker_num = 4;
  auto job = services_.kafka.ResizeInstance(kCaller, id, brokers);
  ASSERT_TRUE(job.ok());
  services_.RunJobsAfter(absl::Seconds(2));
  store::KafkaInstance after = *services_.kafka.GetInstance(kCaller, id);
  EXPECT_EQ(after.status, kStatusRunning);
  EXPECT_EQ(after.broker_num, 3);
  EXPECT_EQ(services_.kafka.GetTask(kCaller, id, *job)->status, store::JobStatus::kFailed);
}

}  // namespace
}  // namespace connectplane::service
