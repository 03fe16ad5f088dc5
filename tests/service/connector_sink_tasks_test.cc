// ConnectorTaskService's legacy dump-task calls (connector_sink_tasks.cc): the
// connector id names the instance, only OBS_SINK tasks are visible, and the
// tasks are the same rows the new API shows. Fake clock, in-memory store.
#include "common/status.h"
#include "service/connector_task_service.h"
#include "service/kafka_service.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"

namespace connectplane::service {
namespace {

constexpr char kInstanceId[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kOtherTenantInstance[] = "c3d4e5f6-0000-1111-2222-333344445555";

class ConnectorSinkTasksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(services_.store
                    ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                      RETURN_IF_ERROR(txn.InsertKafkaInstance(Instance("p1", kInstanceId)));
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
    instance.specification = "100MB";
    return instance;
  }

  // Enables Smart Connect and returns the connector id.
  std::string EnableConnector(const Caller& caller, std::string_view instance_id) {
    auto enabled = services_.kafka.EnableSmartConnect(caller, instance_id, {});
    EXPECT_TRUE(enabled.ok()) << enabled.status();
    services_.RunJobsAfter(absl::Seconds(2));
    return enabled.ok() ? enabled->connector_id : "";
  }

  static CreateConnectorTaskRequest Dump(std::string name) {
    CreateConnectorTaskRequest request;
    request.task_name = std::move(name);
    request.topics = "orders";
    request.source_type = "NONE";
    request.sink_type = "OBS_SINK";
    boost::json::object sink;
    sink["consumer_strategy"] = "latest";
    sink["destination_file_type"] = "TEXT";
    sink["deliver_time_interval"] = 300;
    sink["access_key"] = "AK";
    sink["secret_key"] = "SK";
    sink["obs_bucket_name"] = "bucket";
    sink["partition_format"] = "yyyy/MM/dd";
    request.sink_task = std::move(sink);
    return request;
  }

  ConnectorTaskService& Tasks() { return services_.tasks; }

  static inline const Caller kCaller{"p1", "demo", "u1", "", ""};
  static inline const Caller kOtherCaller{"p2", "other", "u2", "", ""};
  testing::ServiceFixture services_{absl::Seconds(2)};
};

TEST_F(ConnectorSinkTasksTest, CreateThroughTheConnectorIsTheInstancesTask) {
  const std::string connector = EnableConnector(kCaller, kInstanceId);
  auto created = Tasks().CreateSinkTask(kCaller, connector, Dump("dump"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->instance_id, kInstanceId);
  EXPECT_EQ(created->status, kTaskCreating);
  services_.RunJobsAfter(absl::Seconds(2));
  auto shown = Tasks().GetSinkTask(kCaller, connector, created->task_id);
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(shown->status, kTaskRunning);
  auto same = Tasks().GetTask(kCaller, kInstanceId, created->task_id);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->config_json, shown->config_json);
  EXPECT_TRUE(Tasks().DeleteSinkTask(kCaller, connector, created->task_id).ok());
  EXPECT_TRUE(absl::IsNotFound(Tasks().GetTask(kCaller, kInstanceId, created->task_id).status()));
}

TEST_F(ConnectorSinkTasksTest, OnlyDumpTasksAreVisible) {
  const std::string connector = EnableConnector(kCaller, kInstanceId);
  ASSERT_TRUE(Tasks().CreateSinkTask(kCaller, connector, Dump("dump")).ok());
  CreateConnectorTaskRequest replication;
  replication.task_name = "copy";
  replication.topics = "orders";
  replication.source_type = "KAFKA_REPLICATOR_SOURCE";
  boost::json::object source;
  source["bootstrap_servers"] = "10.0.0.1:9092";
  source["direction"] = "pull";
  replication.source_task = std::move(source);
  auto copy = Tasks().CreateTask(kCaller, kInstanceId, replication);
  ASSERT_TRUE(copy.ok()) << copy.status();

  auto listed = Tasks().ListSinkTasks(kCaller, connector);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].task_name, "dump");
  EXPECT_EQ(common::ReasonOf(Tasks().GetSinkTask(kCaller, connector, copy->task_id).status()),
            kReasonConnectorTaskNotFound);
  EXPECT_EQ(common::ReasonOf(Tasks().DeleteSinkTask(kCaller, connector, copy->task_id)),
            kReasonConnectorTaskNotFound);
  EXPECT_TRUE(Tasks().GetTask(kCaller, kInstanceId, copy->task_id).ok()) << "not deleted";
  // The legacy create makes dump tasks only.
  EXPECT_EQ(common::ReasonOf(Tasks().CreateSinkTask(kCaller, connector, replication).status()),
            kReasonInvalidTaskConfig);
}

TEST_F(ConnectorSinkTasksTest, UnknownForeignAndRetiredConnectorsAreNotFound) {
  const std::string connector = EnableConnector(kCaller, kInstanceId);
  const std::string other_connector = EnableConnector(kOtherCaller, kOtherTenantInstance);
  auto reason_of_list = [&](const Caller& caller, std::string_view connector_id) {
    return common::ReasonOf(Tasks().ListSinkTasks(caller, connector_id).status());
  };
  EXPECT_EQ(reason_of_list(kCaller, "no-such-connector"), kReasonConnectorNotFound);
  EXPECT_EQ(reason_of_list(kCaller, ""), kReasonConnectorNotFound);
  EXPECT_EQ(reason_of_list(kCaller, other_connector), kReasonConnectorNotFound);
  EXPECT_EQ(reason_of_list(kOtherCaller, connector), kReasonConnectorNotFound);
  EXPECT_EQ(common::ReasonOf(Tasks().CreateSinkTask(kOtherCaller, connector, Dump("x")).status()),
            kReasonConnectorNotFound);
  EXPECT_EQ(common::ReasonOf(Tasks().DeleteSinkTask(kOtherCaller, connector, "t")),
            kReasonConnectorNotFound);

  ASSERT_TRUE(services_.kafka.DisableSmartConnect(kCaller, kInstanceId).ok());
  services_.RunJobsAfter(absl::Seconds(2));
  EXPECT_EQ(reason_of_list(kCaller, connector), kReasonConnectorNotFound);
}

}  // namespace
}  // namespace connectplane::service
