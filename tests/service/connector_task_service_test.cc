// Smart Connect task rules and the instance lifecycle with a fake
// clock and an in-memory store: every state transition, the refusals, tenant
// isolation, and that disabling Smart Connect / deleting the instance removes
// the tasks.
#include "service/connector_task_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "jobs/job_runner.h"
#include "service/kafka_service.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"

namespace connectplane::service {
namespace {

constexpr char kInstanceId[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kOtherTenantInstance[] = "c3d4e5f6-0000-1111-2222-333344445555";
constexpr char kUuid[] = "11111111-2222-3333-4444-555555555555";

class ConnectorTaskServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_
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

  void AdvanceAndRun(absl::Duration delta = absl::Seconds(2)) {
    clock_.Advance(delta);
    ASSERT_TRUE(runner_->RunDueJobs().ok());
  }

  void EnableConnector(std::string_view instance_id = kInstanceId) {
    ASSERT_TRUE(kafka_->EnableSmartConnect(kCaller, instance_id, {}).ok());
    AdvanceAndRun();
  }

  static CreateConnectorTaskRequest ObsTask(std::string name) {
    CreateConnectorTaskRequest request;
    request.task_name = std::move(name);
    request.topics = "orders";
    request.sink_type = "OBS_SINK";
    boost::json::object sink;
    sink["consumer_strategy"] = "latest";
    sink["destination_file_type"] = "TEXT";
    sink["deliver_time_interval"] = 300;
    sink["access_key"] = "AK";
    sink["secret_key"] = "SK";
    sink["obs_bucket_name"] = "bucket";
    request.sink_task = std::move(sink);
    return request;
  }

  static CreateConnectorTaskRequest ReplicatorTask(std::string name) {
    CreateConnectorTaskRequest request;
    request.task_name = std::move(name);
    request.topics_regex = "orders-.*";
    request.source_type = "KAFKA_REPLICATOR_SOURCE";
    boost::json::object source;
    source["current_cluster_name"] = "A";
    source["cluster_name"] = "B";
    source["bootstrap_servers"] = "10.0.0.1:9092";
    source["direction"] = "pull";
    source["security_protocol"] = "SASL_SSL";
    source["user_name"] = "peer";
    source["password"] = "secret";
    source["task_num"] = 2;
    request.source_task = std::move(source);
    return request;
  }

  std::string TaskStatus(std::string_view task_id) {
    auto task = Tasks().GetTask(kCaller, kInstanceId, task_id);
    EXPECT_TRUE(task.ok()) << task.status();
    return task.ok() ? task->status : "";
  }

  ConnectorTaskService& Tasks() { return services_.tasks; }

  static CreateInstanceRequest ValidInstance() {
    CreateInstanceRequest request;
    request.name = "my-kafka";
    request.engine = "kafka";
    request.engine_version = "3.x";
    request.broker_num = 3;
    request.storage_space = 300;
    request.vpc_id = kUuid;
    request.security_group_id = kUuid;
    request.subnet_id = kUuid;
    request.available_zones = std::vector<std::string>{"eu-de-01"};
    request.product_id = "c6.2u4g.cluster";
    request.storage_spec_code = "dms.physical.storage.ultra.v2";
    return request;
  }

  static inline const Caller kCaller{"p1", "demo", "u1", "", ""};
  static inline const Caller kOtherCaller{"p2", "other", "u2", "", ""};
  testing::ServiceFixture services_{absl::Seconds(2)};
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  JobTimings& timings_ = services_.timings;
  jobs::JobRunner* const runner_ = &services_.runner;
  KafkaService* const kafka_ = &services_.kafka;
};

TEST_F(ConnectorTaskServiceTest, CreateGoesThroughCreatingToRunning) {
  EnableConnector();
  auto task = Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump"));
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->status, kTaskCreating);
  EXPECT_EQ(task->config_json.find("\"SK\""), std::string::npos) << "secrets are not stored";
  AdvanceAndRun(absl::Seconds(1));
  EXPECT_EQ(TaskStatus(task->task_id), kTaskCreating);
  AdvanceAndRun(absl::Seconds(1));
  EXPECT_EQ(TaskStatus(task->task_id), kTaskRunning);
}

// --instant-jobs inline: the create answer carries the state the finished job
// left (RUNNING, or WAITING for start_later), as the next read shows it.
TEST_F(ConnectorTaskServiceTest, InlineCreateAnswersWithTheFinishedState) {
  EnableConnector();
  services_.jobs.CompleteInstantJobsWith(runner_);
  timings_.Set(std::string(kJobCreateConnectorTask), absl::ZeroDuration());
  auto task = Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump"));
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->status, kTaskRunning);
  EXPECT_EQ(TaskStatus(task->task_id), kTaskRunning);

  CreateConnectorTaskRequest later = ReplicatorTask("later");
  later.start_later = true;
  auto waiting = Tasks().CreateTask(kCaller, kInstanceId, later);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->status, kTaskWaiting);
}

TEST_F(ConnectorTaskServiceTest, StartLaterEndsWaitingAndRestartStartsIt) {
  EnableConnector();
  CreateConnectorTaskRequest request = ReplicatorTask("later");
  request.start_later = true;
  auto task = Tasks().CreateTask(kCaller, kInstanceId, request);
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->config_json.find("secret"), std::string::npos) << "password not stored";
  AdvanceAndRun();
  EXPECT_EQ(TaskStatus(task->task_id), kTaskWaiting);
  ASSERT_TRUE(Tasks().RestartTask(kCaller, kInstanceId, task->task_id).ok());
  EXPECT_EQ(TaskStatus(task->task_id), kTaskWaiting);  // "start": WAITING until it runs
  AdvanceAndRun();
  EXPECT_EQ(TaskStatus(task->task_id), kTaskRunning);
}

TEST_F(ConnectorTaskServiceTest, PauseResumeRestartTransitions) {
  EnableConnector();
  auto task = Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump"));
  ASSERT_TRUE(task.ok());
  const std::string id = task->task_id;
  // Busy while the create job is in flight.
  EXPECT_EQ(common::ReasonOf(Tasks().PauseTask(kCaller, kInstanceId, id)), kReasonTaskBusy);
  AdvanceAndRun();

  ASSERT_TRUE(Tasks().PauseTask(kCaller, kInstanceId, id).ok());
  EXPECT_EQ(TaskStatus(id), kTaskRunning);  // until the job is done
  EXPECT_EQ(common::ReasonOf(Tasks().ResumeTask(kCaller, kInstanceId, id)), kReasonTaskBusy);
  AdvanceAndRun();
  EXPECT_EQ(TaskStatus(id), kTaskPaused);
  EXPECT_EQ(common::ReasonOf(Tasks().PauseTask(kCaller, kInstanceId, id)),
            kReasonTaskStatusConflict);

  ASSERT_TRUE(Tasks().ResumeTask(kCaller, kInstanceId, id).ok());
  EXPECT_EQ(TaskStatus(id), kTaskPaused);
  AdvanceAndRun();
  EXPECT_EQ(TaskStatus(id), kTaskRunning);
  EXPECT_EQ(common::ReasonOf(Tasks().ResumeTask(kCaller, kInstanceId, id)),
            kReasonTaskStatusConflict);

  ASSERT_TRUE(Tasks().RestartTask(kCaller, kInstanceId, id).ok());
  EXPECT_EQ(TaskStatus(id), kTaskRestarting);
  AdvanceAndRun();
  EXPECT_EQ(TaskStatus(id), kTaskRunning);
}

TEST_F(ConnectorTaskServiceTest, RefusedWhileSmartConnectIsNotEnabledOrInstanceBusy) {
  // Reads too: an empty list would hide that there is no connector.
  auto every_call_refused_with = [&](std::string_view reason) {
    EXPECT_EQ(common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump")).status()),
              reason);
    EXPECT_EQ(common::ReasonOf(Tasks().ListTasks(kCaller, kInstanceId, {0, 10}).status()),
              kReasonConnectorNotEnabled);
    EXPECT_EQ(common::ReasonOf(Tasks().GetTask(kCaller, kInstanceId, kUuid).status()),
              kReasonConnectorNotEnabled);
    EXPECT_EQ(common::ReasonOf(Tasks().DeleteTask(kCaller, kInstanceId, kUuid)),
              kReasonConnectorNotEnabled);
  };
  every_call_refused_with(kReasonConnectorNotEnabled);
  ASSERT_TRUE(kafka_->EnableSmartConnect(kCaller, kInstanceId, {}).ok());
  every_call_refused_with(kReasonInstanceBusy);  // enabling: not there yet
  AdvanceAndRun();
  auto listed = Tasks().ListTasks(kCaller, kInstanceId, {0, 10});
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->total, 0);
}

TEST_F(ConnectorTaskServiceTest, ValidationRefusesBadRequestsAndWritesNothing) {
  EnableConnector();
  auto reason = [&](CreateConnectorTaskRequest request) {
    return common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, request).status());
  };
  CreateConnectorTaskRequest no_name = ObsTask("dump");
  no_name.task_name.reset();
  EXPECT_EQ(reason(no_name), kReasonInvalidTaskConfig);
  EXPECT_EQ(reason(ObsTask("1abc")), kReasonInvalidTaskConfig);
  EXPECT_EQ(reason(ObsTask(std::string(65, 'a'))), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest both = ObsTask("both");
  both.source_type = "KAFKA_REPLICATOR_SOURCE";
  EXPECT_EQ(reason(both), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest neither = ObsTask("neither");
  neither.sink_type = "NONE";
  EXPECT_EQ(reason(neither), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest bad_type = ObsTask("badtype");
  bad_type.sink_type = "S3_SINK";
  EXPECT_EQ(reason(bad_type), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest no_topics = ObsTask("notopics");
  no_topics.topics.reset();
  EXPECT_EQ(reason(no_topics), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest no_bucket = ObsTask("nobucket");
  no_bucket.sink_task->erase("obs_bucket_name");
  EXPECT_EQ(reason(no_bucket), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest bad_interval = ObsTask("interval");
  (*bad_interval.sink_task)["deliver_time_interval"] = 10;
  EXPECT_EQ(reason(bad_interval), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest unknown_key = ObsTask("unknown");
  (*unknown_key.sink_task)["surprise"] = 1;
  EXPECT_EQ(reason(unknown_key), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest no_peer = ReplicatorTask("nopeer");
  no_peer.source_task->erase("bootstrap_servers");
  EXPECT_EQ(reason(no_peer), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest sasl_no_password = ReplicatorTask("nopass");
  sasl_no_password.source_task->erase("password");
  EXPECT_EQ(reason(sasl_no_password), kReasonInvalidTaskConfig);
  auto listed = Tasks().ListTasks(kCaller, kInstanceId, {0, 10});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 0);
}

// The Terraform providers' replication examples send no instance aliases; what
// the request leaves out of the peer's protocol members is shown with the API
// reference's values, what it sets is kept.
TEST_F(ConnectorTaskServiceTest, ReplicationAliasesAreOptionalAndDefaultsAreShown) {
  EnableConnector();
  CreateConnectorTaskRequest request = ReplicatorTask("noalias");
  request.source_task->erase("current_cluster_name");
  request.source_task->erase("cluster_name");
  request.source_task->erase("security_protocol");
  request.source_task->erase("user_name");
  request.source_task->erase("password");
  (*request.source_task)["compression_type"] = "zstd";
  auto task = Tasks().CreateTask(kCaller, kInstanceId, request);
  ASSERT_TRUE(task.ok()) << task.status();
  auto config = common::ParseJsonObject(task->config_json);
  ASSERT_TRUE(config.ok());
  const boost::json::object& source = config->at("source_task").as_object();
  EXPECT_FALSE(source.contains("current_cluster_name"));
  EXPECT_FALSE(source.contains("cluster_name"));
  EXPECT_EQ(source.at("security_protocol").as_string(), "PLAINTEXT");
  EXPECT_EQ(source.at("sasl_mechanism").as_string(), "PLAIN");
  EXPECT_EQ(source.at("compression_type").as_string(), "zstd");
  EXPECT_FALSE(source.at("rename_topic_enabled").as_bool());
  EXPECT_FALSE(source.contains("replication_factor")) << "not computed by the providers";

  // The aliases keep their length limit; direction stays required.
  CreateConnectorTaskRequest long_alias = ReplicatorTask("longalias");
  (*long_alias.source_task)["cluster_name"] = std::string(65, 'a');
  EXPECT_EQ(common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, long_alias).status()),
            kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest no_direction = ReplicatorTask("nodirection");
  no_direction.source_task->erase("direction");
  EXPECT_EQ(common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, no_direction).status()),
            kReasonInvalidTaskConfig);
}

// OTC's Redis replication (OTC-DMS example "Creating a Redis data replication
// task"): source and sink come together; passwords are not stored.
TEST_F(ConnectorTaskServiceTest, RedisReplicationNeedsBothRedisSides) {
  EnableConnector();
  CreateConnectorTaskRequest request;
  request.task_name = "smart-connect-3";
  request.topics = "topic-sc-3";
  request.source_type = "REDIS_REPLICATOR_SOURCE";
  request.sink_type = "REDIS_REPLICATOR_SINK";
  boost::json::object source;
  source["redis_address"] = "192.168.99.249:6379,192.168.120.127:6379";
  source["redis_type"] = "cluster";
  source["redis_password"] = "RedisSecret";
  source["sync_mode"] = "RDB_ONLY";
  source["full_sync_max_retry"] = 10;
  source["full_sync_wait_ms"] = 10000;
  source["ratelimit"] = 10;
  boost::json::object sink;
  sink["redis_address"] = "192.168.119.51:6379";
  sink["redis_type"] = "standalone";
  sink["redis_password"] = "RedisSecret";
  request.source_task = source;
  request.sink_task = sink;
  auto task = Tasks().CreateTask(kCaller, kInstanceId, request);
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->config_json.find("RedisSecret"), std::string::npos);
  auto config = common::ParseJsonObject(task->config_json);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->at("sink_task").at("target_db").as_int64(), -1);
  EXPECT_EQ(config->at("source_task").at("sync_mode").as_string(), "RDB_ONLY");

  auto reason = [&](CreateConnectorTaskRequest changed, std::string name) {
    changed.task_name = std::move(name);
    return common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, changed).status());
  };
  CreateConnectorTaskRequest source_only = request;
  source_only.sink_type = "NONE";
  source_only.sink_task.reset();
  EXPECT_EQ(reason(source_only, "sourceonly"), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest obs_sink = request;
  obs_sink.sink_type = "OBS_SINK";
  EXPECT_EQ(reason(obs_sink, "obssink"), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest bad_mode = request;
  (*bad_mode.source_task)["sync_mode"] = "SOMETIMES";
  EXPECT_EQ(reason(bad_mode, "badmode"), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest no_address = request;
  no_address.sink_task->erase("redis_address");
  EXPECT_EQ(reason(no_address, "noaddress"), kReasonInvalidTaskConfig);
  CreateConnectorTaskRequest kafka_member = request;
  (*kafka_member.source_task)["direction"] = "push";
  EXPECT_EQ(reason(kafka_member, "kafkamember"), kReasonInvalidTaskConfig);
}

TEST_F(ConnectorTaskServiceTest, NamesAreUniquePerInstanceAndQuotaIsEnforced) {
  EnableConnector();
  ASSERT_TRUE(Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump")).ok());
  EXPECT_EQ(common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump")).status()),
            kReasonTaskNameTaken);
  for (int64_t idx = 1; idx < kMaxConnectorTasks; ++idx) {
    ASSERT_TRUE(
        Tasks().CreateTask(kCaller, kInstanceId, ObsTask(common::StrCat("dump", idx))).ok());
  }
  EXPECT_EQ(
      common::ReasonOf(Tasks().CreateTask(kCaller, kInstanceId, ObsTask("one-more")).status()),
      kReasonTaskQuotaReached);
  auto page = Tasks().ListTasks(kCaller, kInstanceId, {5, 3});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, kMaxConnectorTasks);
  ASSERT_EQ(page->items.size(), 3u);
}

TEST_F(ConnectorTaskServiceTest, DeleteIsImmediateAndPendingJobBecomesNoOp) {
  EnableConnector();
  auto task = Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump"));
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(Tasks().DeleteTask(kCaller, kInstanceId, task->task_id).ok());
  EXPECT_EQ(common::ReasonOf(Tasks().GetTask(kCaller, kInstanceId, task->task_id).status()),
            kReasonConnectorTaskNotFound);
  EXPECT_EQ(common::ReasonOf(Tasks().DeleteTask(kCaller, kInstanceId, task->task_id)),
            kReasonConnectorTaskNotFound);
  AdvanceAndRun();  // the create job finds no task and succeeds without effect
  auto job = kafka_->ListTasks(kCaller, kInstanceId, {}, {0, 10});
  ASSERT_TRUE(job.ok());
  // A deleted task's name can be used again.
  EXPECT_TRUE(Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump")).ok());
}

TEST_F(ConnectorTaskServiceTest, AnotherTenantsIdsAreNotFound) {
  ASSERT_TRUE(kafka_->EnableSmartConnect(kOtherCaller, kOtherTenantInstance, {}).ok());
  EnableConnector();
  auto task = Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump"));
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(common::ReasonOf(Tasks().GetTask(kOtherCaller, kInstanceId, task->task_id).status()),
            kReasonInstanceNotFound);
  EXPECT_EQ(
      common::ReasonOf(Tasks().GetTask(kOtherCaller, kOtherTenantInstance, task->task_id).status()),
      kReasonConnectorTaskNotFound);
  EXPECT_EQ(common::ReasonOf(Tasks().DeleteTask(kOtherCaller, kInstanceId, task->task_id)),
            kReasonInstanceNotFound);
  EXPECT_EQ(common::ReasonOf(Tasks().PauseTask(kOtherCaller, kInstanceId, task->task_id)),
            kReasonInstanceNotFound);
  EXPECT_EQ(common::ReasonOf(kafka_->DeleteInstance(kOtherCaller, kInstanceId)),
            kReasonInstanceNotFound);
  EXPECT_EQ(TaskStatus(task->task_id), kTaskCreating);
}

TEST_F(ConnectorTaskServiceTest, DisablingSmartConnectRemovesTheTasks) {
  EnableConnector();
  ASSERT_TRUE(Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump")).ok());
  ASSERT_TRUE(Tasks().CreateTask(kCaller, kInstanceId, ReplicatorTask("copy")).ok());
  AdvanceAndRun();
  ASSERT_TRUE(kafka_->DisableSmartConnect(kCaller, kInstanceId).ok());
  auto during = Tasks().ListTasks(kCaller, kInstanceId, {0, 10});
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(during->total, 2);  // removed by the job, with the connector
  AdvanceAndRun();
  EXPECT_EQ(common::ReasonOf(Tasks().ListTasks(kCaller, kInstanceId, {0, 10}).status()),
            kReasonConnectorNotEnabled);
  EnableConnector();  // a new connector starts with no tasks
  auto after = Tasks().ListTasks(kCaller, kInstanceId, {0, 10});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->total, 0);
}

TEST_F(ConnectorTaskServiceTest, FailedTaskJobsLeaveDocumentedStates) {
  EnableConnector();
  auto task = Tasks().CreateTask(kCaller, kInstanceId, ObsTask("dump"));
  ASSERT_TRUE(task.ok());
  AdvanceAndRun();
  // The pause job fails (an injected failure takes the runner's failure path):
  // its OnFailed restores the status.
  ASSERT_TRUE(
      services_.controls.AddJobFault({.job_type = std::string(kJobPauseConnectorTask)}).ok());
  ASSERT_TRUE(Tasks().PauseTask(kCaller, kInstanceId, task->task_id).ok());
  AdvanceAndRun();
  ASSERT_TRUE(store_
                  ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                    auto pause = txn.ListJobsForResource("p1", task->task_id, {}, {0, 1});
                    RETURN_IF_ERROR(pause.status());
                    EXPECT_EQ(pause->items.at(0).status, store::JobStatus::kFailed);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(TaskStatus(task->task_id), kTaskRunning);
  // Operations are accepted again.
  EXPECT_TRUE(Tasks().PauseTask(kCaller, kInstanceId, task->task_id).ok());
}

TEST_F(ConnectorTaskServiceTest, InstanceCreateGoesCreatingToRunningAndDeleteRemovesIt) {
  auto instance_id = kafka_->CreateInstance(kCaller, ValidInstance());
  ASSERT_TRUE(instance_id.ok()) << instance_id.status();
  auto created = kafka_->GetInstance(kCaller, *instance_id);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->status, kStatusCreating);
  EXPECT_EQ(created->name, "my-kafka");
  EXPECT_EQ(created->engine_version, "3.x");
  AdvanceAndRun();
  EXPECT_EQ(kafka_->GetInstance(kCaller, *instance_id)->status, kStatusRunning);

  // Not deletable while a Smart Connect job runs.
  ASSERT_TRUE(kafka_->EnableSmartConnect(kCaller, *instance_id, {}).ok());
  EXPECT_EQ(common::ReasonOf(kafka_->DeleteInstance(kCaller, *instance_id)), kReasonInstanceBusy);
  AdvanceAndRun();
  ASSERT_TRUE(Tasks().CreateTask(kCaller, *instance_id, ObsTask("dump")).ok());

  ASSERT_TRUE(kafka_->DeleteInstance(kCaller, *instance_id).ok());
  EXPECT_EQ(kafka_->GetInstance(kCaller, *instance_id)->status, kStatusDeleting);
  EXPECT_EQ(common::ReasonOf(kafka_->DeleteInstance(kCaller, *instance_id)), kReasonInstanceBusy);
  AdvanceAndRun();
  EXPECT_EQ(common::ReasonOf(kafka_->GetInstance(kCaller, *instance_id).status()),
            kReasonInstanceNotFound);
  // Its tasks went with it.
  ASSERT_TRUE(
      store_
          ->Read([&](store::StoreTransaction& txn) -> absl::Status {
            ASSIGN_OR_RETURN(auto page, txn.ListConnectorTasks("p1", *instance_id, {0, 10}));
            EXPECT_EQ(page.total, 0);
            return absl::OkStatus();
          })
          .ok());
}

TEST_F(ConnectorTaskServiceTest, InstanceCreateConnectorEnableAndFailure) {
  CreateInstanceRequest request = ValidInstance();
  request.connector_enable = true;
  auto instance_id = kafka_->CreateInstance(kCaller, request);
  ASSERT_TRUE(instance_id.ok());
  AdvanceAndRun();
  auto instance = kafka_->GetInstance(kCaller, *instance_id);
  ASSERT_TRUE(instance.ok());
  EXPECT_TRUE(instance->connector_enabled);
  EXPECT_FALSE(instance->connector_id.empty());

  // The create job fails (an injected failure takes the runner's failure path).
  ASSERT_TRUE(services_.controls.AddJobFault({.job_type = std::string(kJobCreateInstance)}).ok());
  CreateInstanceRequest doomed = ValidInstance();
  doomed.name = "doomed-kafka";
  auto failing = kafka_->CreateInstance(kCaller, doomed);
  ASSERT_TRUE(failing.ok());
  AdvanceAndRun();
  EXPECT_EQ(kafka_->GetInstance(kCaller, *failing)->status, kStatusCreateFailed);
  store::KafkaInstanceFilter without_failed;
  without_failed.include_failure = false;
  auto listed = kafka_->ListInstances(kCaller, without_failed, {0, 50});
  ASSERT_TRUE(listed.ok());
  for (const auto& entry : listed->items) EXPECT_NE(entry.instance_id, *failing);
  // A failed instance can be deleted.
  EXPECT_TRUE(kafka_->DeleteInstance(kCaller, *failing).ok());
}

TEST_F(ConnectorTaskServiceTest, InstanceCreateValidation) {
  auto reason = [&](CreateInstanceRequest request) {
    return common::ReasonOf(kafka_->CreateInstance(kCaller, request).status());
  };
  CreateInstanceRequest request = ValidInstance();
  request.name.reset();
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.name = "9lives";
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.engine = "rabbitmq";
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.engine_version = "0.9";
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.broker_num = 0;
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.storage_space = 99;
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.vpc_id = "vpc-1";
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.available_zones = std::vector<std::string>{};
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  request = ValidInstance();
  request.product_id = "bad product";
  EXPECT_EQ(reason(request), kReasonInvalidProductId);
  request = ValidInstance();
  request.storage_spec_code = "ssd";
  EXPECT_EQ(reason(request), kReasonInvalidInstanceField);
  auto listed = kafka_->ListInstances(kCaller, {}, {0, 50});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 1);  // nothing was written
}

}  // namespace
}  // namespace connectplane::service
