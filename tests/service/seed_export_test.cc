#include "service/seed_export.h"

#include "auth/digest.h"
#include "common/status.h"
#include "service/kafka_service.h"
#include "service/private_connect_service.h"
#include "service/seed.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <string>
#include <string_view>

namespace connectplane::service {
namespace {

constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
constexpr char kInstance[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kSecondInstance[] = "b2c3d4e5-0000-1111-2222-333344445555";
constexpr char kSecretKey[] = "SeededSecretKey00000000000000000000000000";
constexpr char kZenlayerPassword[] = "zenlayer-pw-that-is-secret";
constexpr char kBearerToken[] = "bearer-token-that-is-secret";
constexpr char kIamPassword[] = "iam-password-that-is-secret";

// What a user seeds before using the emulator: the secrets, the catalog, and
// a first instance with Smart Connect on, one task and one topic.
constexpr char kBaseSeed[] = R"({
  "huawei": {
    "credentials": [{"access_key": "HPUAEXPORTAK00000001",
                     "secret_key": "SeededSecretKey00000000000000000000000000",
                     "project_id": "0123456789abcdef0123456789abcdef",
                     "user_name": "demo", "user_id": "u1"}],
    "iam": {"domains": [{"domain_id": "d1", "name": "demo-domain"}],
            "projects": [{"project_id": "0123456789abcdef0123456789abcdef", "name": "eu-de",
                          "domain_id": "d1", "region": "eu-de"}],
            "users": [{"user_id": "iu1", "name": "alice", "domain_id": "d1",
                       "password": "iam-password-that-is-secret"}]},
    "kafka_instances": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "demo-kafka",
       "connector_enable": true, "connector_id": "conn-1", "connector_node_num": 2,
       "cross_vpc_info": "{}"},
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "b2c3d4e5-0000-1111-2222-333344445555", "name": "second"}],
    "connector_tasks": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "task_id": "task-1",
       "task_name": "copy-orders", "status": "RUNNING",
       "config": {"topics": "orders", "source_type": "NONE", "sink_type": "OBS_SINK"}}],
    "kafka_instance_items": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "kind": "topic", "name": "orders",
       "body": {"partition": 3, "replication": 3}}]
  },
  "zenlayer": {
    "credentials": [{"access_key_id": "ZAK1", "access_key_password": "zenlayer-pw-that-is-secret",
                     "account_id": "acct-1"}],
    "tokens": [{"token": "bearer-token-that-is-secret", "account_id": "acct-1"}],
    "datacenters": [{"dcId": "SIN1", "dcName": "AP-Singapore1", "cityName": "Singapore",
                     "countryName": "Singapore", "areaName": "Asia Pacific", "latitude": 1.35},
                    {"dcId": "HKG1", "dcName": "AP-HongKong1", "cityName": "Hong Kong",
                     "countryName": "China", "areaName": "Asia Pacific"}],
    "ports": [{"account_id": "acct-1", "portId": "port-a", "portName": "A", "dcId": "SIN1",
               "tags": [{"key": "env", "value": "test"}]},
              {"account_id": "acct-1", "portId": "port-b", "portName": "B", "dcId": "HKG1"}],
    "cloud_regions": [{"cloudType": "AWS", "cloudRegionId": "ap-southeast-1",
                       "dataCenter": {"dcId": "SIN1"}}]
  },
  "job_durations_seconds": {"kafka.enable_connector": 20}
})";

const Caller kKafkaCaller{kProject, "demo", "u1", "HPUAEXPORTAK00000001", "req-1"};
const Caller kZenlayerCaller{"acct-1", "acct-1", "acct-1", "ZAK1", "req-2"};

class SeedExportTest : public ::testing::Test {
 protected:
  // The base seed, then two jobs left in flight: Smart Connect being enabled
  // on the second instance (20 s) and a private connect being created (3 s).
  void BuildState(testing::ServiceFixture& fixture) {
    fixture.Seed(kBaseSeed);
    ASSERT_TRUE(fixture.timings.ApplySetting("zenlayer.destroy_port=reads:2").ok());
    auto enabled = fixture.kafka.EnableSmartConnect(kKafkaCaller, kSecondInstance, {});
    ASSERT_TRUE(enabled.ok()) << enabled.status();
    CreatePrivateConnectRequest request;
    request.name = "pc-1";
    request.bandwidth_mbps = 10;
    request.endpoint_a = {"port-a", 100, std::nullopt, std::nullopt};
    request.endpoint_z = {"port-b", 200, std::nullopt, std::nullopt};
    auto connect = fixture.connects.CreatePrivateConnect(kZenlayerCaller, request);
    ASSERT_TRUE(connect.ok()) << connect.status();
    connect_id_ = *connect;
    fixture.clock.Advance(absl::Seconds(1));  // the connect has 2 s left, the connector 19 s
  }

  static std::string Export(testing::ServiceFixture& fixture, bool include_secrets) {
    auto document = ExportSeed(*fixture.store, fixture.clock, fixture.timings.Settings(),
                               ExportOptions{.include_secrets = include_secrets});
    EXPECT_TRUE(document.ok()) << document.status();
    return document.ok() ? *document : "";
  }

  static std::optional<store::PrivateConnect> Connect(testing::ServiceFixture& fixture,
                                                      const std::string& id) {
    std::optional<store::PrivateConnect> connect;
    EXPECT_TRUE(fixture.store
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(connect, txn.GetPrivateConnect("acct-1", id));
                      return absl::OkStatus();
                    })
                    .ok());
    return connect;
  }

  static std::optional<store::KafkaInstance> Instance(testing::ServiceFixture& fixture,
                                                      std::string_view id) {
    std::optional<store::KafkaInstance> instance;
    EXPECT_TRUE(fixture.store
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(instance, txn.GetKafkaInstance(kProject, id));
                      return absl::OkStatus();
                    })
                    .ok());
    return instance;
  }

  std::string connect_id_;
};

TEST_F(SeedExportTest, ReimportOnAnEmptyStoreExportsTheSameDocumentAndResumesJobs) {
  testing::ServiceFixture source;
  BuildState(source);
  const std::string exported = Export(source, /*include_secrets=*/true);
  ASSERT_NE(exported.find("\"jobs_in_flight\":[{"), std::string::npos) << exported;

  testing::ServiceFixture target;
  target.clock.Advance(source.clock.Now() - target.clock.Now());
  auto summary = ApplySeed(*target.store, exported, target.clock, &target.timings);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->instances_created, 2);
  EXPECT_EQ(summary->connector_tasks_created, 1);
  EXPECT_EQ(summary->instance_items_created, 1);
  EXPECT_EQ(summary->jobs_created, 2);
  // Everything exported came back: the target's export is the same document.
  EXPECT_EQ(Export(target, true), exported);
  EXPECT_EQ(target.timings.GetTiming("zenlayer.destroy_port").reads, 2);
  EXPECT_EQ(target.timings.GetTiming("kafka.enable_connector").delay, absl::Seconds(20));

  // The jobs resume where they were: the connect has 2 s left, the connector 19 s.
  EXPECT_EQ(Connect(target, connect_id_)->status, kPrivateConnectCreating);
  target.RunJobsAfter(absl::Milliseconds(1900));
  EXPECT_EQ(Connect(target, connect_id_)->status, kPrivateConnectCreating);
  target.RunJobsAfter(absl::Milliseconds(100));
  EXPECT_EQ(Connect(target, connect_id_)->status, kPrivateConnectRunning);
  EXPECT_FALSE(Instance(target, kSecondInstance)->connector_enabled);
  target.RunJobsAfter(absl::Seconds(17));
  EXPECT_TRUE(Instance(target, kSecondInstance)->connector_enabled);
  EXPECT_EQ(Instance(target, kSecondInstance)->status, kStatusRunning);

  // The secrets work on the target: the Huawei SK and the Zenlayer bearer token.
  auto credential = target.credentials.FindHuaweiCredential("HPUAEXPORTAK00000001");
  ASSERT_TRUE(credential.ok() && credential->has_value());
  EXPECT_EQ((*credential)->secret_key, kSecretKey);
  auto token = target.credentials.FindZenlayerToken(kBearerToken);
  ASSERT_TRUE(token.ok() && token->has_value());
  EXPECT_EQ((*token)->account_id, "acct-1");
}

TEST_F(SeedExportTest, TwoExportsOfOneStateAreByteIdenticalAndReimportIsIdempotent) {
  testing::ServiceFixture source;
  BuildState(source);
  const std::string first = Export(source, false);
  EXPECT_EQ(Export(source, false), first);
  // Applied to the state it came from, the export creates nothing.
  auto summary = ApplySeed(*source.store, Export(source, true), source.clock, nullptr);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->instances_created, 0);
  EXPECT_EQ(summary->zenlayer_private_connects_created, 0);
  EXPECT_EQ(summary->connector_tasks_created, 0);
  EXPECT_EQ(summary->jobs_created, 0);
  EXPECT_EQ(Export(source, false), first);
}

TEST_F(SeedExportTest, WithoutSecretsNoSecretLeavesAndImportNeedsTheStoredCredentials) {
  testing::ServiceFixture source;
  BuildState(source);
  const std::string exported = Export(source, false);
  for (std::string_view secret :
       {std::string_view(kSecretKey), std::string_view(kZenlayerPassword),
        std::string_view(kBearerToken), std::string_view(kIamPassword), std::string_view("pbkdf2"),
        std::string_view("secret_key"), std::string_view("access_key_password"),
        std::string_view("password_hash"), std::string_view("token_sha256")}) {
    EXPECT_EQ(exported.find(secret), std::string::npos) << secret;
  }
  const std::string token_hash = auth::Sha256Hex(kBearerToken);
  EXPECT_EQ(exported.find(token_hash), std::string::npos);

  // An empty server has no secret to keep: refused, naming the entry, nothing written.
  testing::ServiceFixture empty;
  auto refused = ApplySeed(*empty.store, exported, empty.clock, nullptr);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(refused.status().message()).find("huawei.credentials[0]"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(Instance(empty, kInstance), std::nullopt);

  // A server started with the same secrets takes it and keeps them.
  testing::ServiceFixture seeded;
  seeded.Seed(R"({"huawei": {"credentials": [{"access_key": "HPUAEXPORTAK00000001",
      "secret_key": "SeededSecretKey00000000000000000000000000",
      "project_id": "0123456789abcdef0123456789abcdef"}],
    "iam": {"domains": [{"domain_id": "d1", "name": "demo-domain"}],
            "users": [{"user_id": "iu1", "name": "alice", "domain_id": "d1",
                       "password": "iam-password-that-is-secret"}]}},
    "zenlayer": {"credentials": [{"access_key_id": "ZAK1",
                                  "access_key_password": "zenlayer-pw-that-is-secret",
                                  "account_id": "acct-1"}]}})");
  auto applied = ApplySeed(*seeded.store, exported, seeded.clock, nullptr);
  ASSERT_TRUE(applied.ok()) << applied.status();
  auto credential = seeded.credentials.FindHuaweiCredential("HPUAEXPORTAK00000001");
  ASSERT_TRUE(credential.ok() && credential->has_value());
  EXPECT_EQ((*credential)->secret_key, kSecretKey);
  EXPECT_EQ((*credential)->user_name, "demo");
  EXPECT_TRUE(Connect(seeded, connect_id_).has_value());
}

TEST_F(SeedExportTest, RuntimeSectionsAreValidatedBeforeAnythingIsWritten) {
  constexpr char kInstanceJson[] =
      R"({"project_id": "0123456789abcdef0123456789abcdef",
          "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "demo-kafka"})";
  const std::string huawei_credential =
      R"("credentials": [{"access_key": "AK", "secret_key": "SK",
                          "project_id": "0123456789abcdef0123456789abcdef"}])";
  struct Case {
    std::string seed;
    std::string_view expected;
  } cases[] = {
      {R"({"jobs_in_flight": [{"job_id": "j1", "tenant_id": "t", "resource_id": "r",
           "job_type": "kafka.enable_connector", "remaining_seconds": 1}]})",
       "jobs_in_flight[0]: 'resource_id' names no"},
      {R"({"huawei": {)" + huawei_credential + R"(, "kafka_instances": [)" + kInstanceJson +
           R"(]}, "jobs_in_flight": [{"job_id": "j1",
           "tenant_id": "0123456789abcdef0123456789abcdef",
           "resource_id": "a1b2c3d4-0000-1111-2222-333344445555",
           "job_type": "kafka.enable_connector", "remaining_seconds": 1, "remaining_reads": 2}]})",
       "exactly one of 'remaining_seconds' and 'remaining_reads'"},
      {R"({"huawei": {)" + huawei_credential + R"(, "kafka_instances": [)" + kInstanceJson +
           R"(]}, "jobs_in_flight": [{"job_id": "j1",
           "tenant_id": "0123456789abcdef0123456789abcdef",
           "resource_id": "a1b2c3d4-0000-1111-2222-333344445555",
           "job_type": "kafka.no_such_job", "remaining_seconds": 1}]})",
       "jobs_in_flight[0].job_type"},
      {R"({"jobs_in_flight": [{"job_id": "j1", "colour": "red"}]})",
       "jobs_in_flight[0]: unknown key 'colour'"},
      {R"({"huawei": {"connector_tasks": [{"project_id": "p", "instance_id": "i",
           "task_id": "t", "task_name": "n", "status": "RUNNING"}]}})",
       "huawei.connector_tasks[0]: 'instance_id' names no Kafka instance"},
      {R"({"huawei": {)" + huawei_credential + R"(, "kafka_instances": [)" + kInstanceJson +
           R"(], "connector_tasks": [{"project_id": "0123456789abcdef0123456789abcdef",
           "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "task_id": "t",
           "task_name": "n", "status": "RUNNING", "pending_job_id": "j9"}]}})",
       "huawei.connector_tasks[0]: 'pending_job_id' names no job"},
      {R"({"huawei": {)" + huawei_credential + R"(, "kafka_instances": [)" + kInstanceJson +
           R"(], "kafka_instance_items": [{"project_id": "0123456789abcdef0123456789abcdef",
           "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "kind": "acl",
           "name": "n"}]}})",
       "huawei.kafka_instance_items[0]"},
      {R"({"zenlayer": {"ports": [
           {"account_id": "a", "portId": "p1", "portName": "A", "dcId": "SIN1"},
           {"account_id": "a", "portId": "p2", "portName": "B", "dcId": "SIN1"}],
         "private_connects": [{"account_id": "a", "privateConnectId": "pc",
           "privateConnectStatus": "CREATING", "endpointA": {"portId": "p1", "vlanId": 1},
           "endpointZ": {"portId": "p2", "vlanId": 1}}]}})",
       "zenlayer.private_connects[0]: a 'privateConnectStatus' other than RUNNING"},
      {R"({"job_timing": {"types": {"kafka.enable_connector": {"seconds": 1, "reads": 2}}}})",
       "job_timing.types.kafka.enable_connector: exactly one"},
      {R"({"job_timing": {"types": {"kafka.nope": {"seconds": 1}}}})", "job_timing.types"},
      {R"({"zenlayer": {"tokens": [{"token_sha256": "ABC", "account_id": "a"}]}})",
       "zenlayer.tokens[0]: 'token_sha256' must be 64 lower-case hex digits"},
      {R"({"zenlayer": {"credentials": [{"access_key_id": "new", "account_id": "a"}]}})",
       "zenlayer.credentials[0]: 'access_key_password' is required"},
      {R"({"huawei": {"iam": {"domains": [{"domain_id": "d", "name": "n"}],
           "users": [{"user_id": "u", "name": "n", "domain_id": "d"}]}}})",
       "huawei.iam.users[0]"},
  };
  for (const Case& test_case : cases) {
    testing::ServiceFixture fixture;
    JobTimings timings;
    auto applied = ApplySeed(*fixture.store, test_case.seed, fixture.clock, &timings);
    ASSERT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument) << test_case.seed;
    EXPECT_NE(std::string(applied.status().message()).find(test_case.expected), std::string::npos)
        << applied.status();
    EXPECT_EQ(Instance(fixture, kInstance), std::nullopt) << test_case.seed;
    EXPECT_TRUE(timings.Settings().per_type.empty());
  }
}

}  // namespace
}  // namespace connectplane::service
