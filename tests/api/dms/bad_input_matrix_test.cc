// Bad-input matrix for every DMS endpoint: malformed JSON, wrong
// types, missing and empty bodies, out-of-range values, unicode and very long
// strings, duplicated keys, deep nesting and non-UTF-8 bytes, each sent as a
// correctly signed request through DmsApi::Handle. Every case checks the DMS
// error code, that no state changed (instances and task counts), and the API
// keeps answering good requests.
#include "bad_input_matrix_fixture.h"

#include <string>
#include <vector>

namespace connectplane::api::dms {
namespace {

using namespace connectplane::api::dms::bad_input_matrix;  // NOLINT: the matrix's fixture and helpers
using connectplane::testing::DmsAnswer;
using connectplane::testing::InstancePath;
using connectplane::testing::kCredential;
using connectplane::testing::kInstance;
using connectplane::testing::kOtherInstance;
using connectplane::testing::kOtherProject;
using connectplane::testing::kProject;

TEST_F(BadInputMatrixTest, EnableConnectorRefusesEveryBadBody) {
  const std::string path = InstancePath() + "/connector";
  std::vector<BadCase> cases = {
      {"missing body", "POST", path, "", 400, "DMS.00400004"},
      {"node_cnt bool", "POST", path, R"({"node_cnt":true})", 400, "DMS.00400062"},
      {"node_cnt array", "POST", path, R"({"node_cnt":[2]})", 400, "DMS.00400062"},
      {"node_cnt object", "POST", path, R"({"node_cnt":{"v":2}})", 400, "DMS.00400062"},
      {"node_cnt float", "POST", path, R"({"node_cnt":2.5})", 400, "DMS.00400062"},
      {"node_cnt exponent", "POST", path, R"({"node_cnt":2e0})", 400, "DMS.00400062"},
      {"node_cnt too small", "POST", path, R"({"node_cnt":1})", 400, "DMS.00400062"},
      {"node_cnt too large", "POST", path, R"({"node_cnt":17})", 400, "DMS.00400062"},
      {"node_cnt negative", "POST", path, R"({"node_cnt":-2})", 400, "DMS.00400062"},
      {"node_cnt int64 max", "POST", path, R"({"node_cnt":9223372036854775807})", 400,
       "DMS.00400062"},
      {"node_cnt uint64 max", "POST", path, R"({"node_cnt":18446744073709551615})", 400,
       "DMS.00400062"},
      {"node_cnt beyond uint64", "POST", path, R"({"node_cnt":99999999999999999999999})", 400,
       "DMS.00400062"},
      {"node_cnt string beyond int32", "POST", path, R"({"node_cnt":"2147483648"})", 400,
       "DMS.00400062"},
      {"node_cnt string padded", "POST", path, R"({"node_cnt":" 2"})", 400, "DMS.00400062"},
      {"node_cnt string empty", "POST", path, R"({"node_cnt":""})", 400, "DMS.00400062"},
      {"node_cnt fullwidth digit", "POST", path, R"({"node_cnt":"２"})", 400, "DMS.00400062"},
      {"specification number", "POST", path, R"({"specification":100})", 400, "DMS.00400062"},
      {"specification unknown", "POST", path, R"({"specification":"999MB"})", 400, "DMS.00400062"},
      {"specification unicode", "POST", path, R"({"specification":"１００MB"})", 400,
       "DMS.00400062"},
      {"specification 100 KB", "POST", path,
       common::StrCat(R"({"specification":")", Repeat("x", kLongSize), R"("})"), 400,
       "DMS.00400062"},
      {"spec_code array", "POST", path, R"({"spec_code":[]})", 400, "DMS.00400062"},
      {"spec_code malformed", "POST", path, R"({"spec_code":"BAD CODE"})", 400, "DMS.00400125"},
      {"spec_code embedded NUL", "POST", path, R"({"spec_code":"connector.4u8g.cluster\u0000"})",
       400, "DMS.00400125"},
      {"spec_code 100 KB", "POST", path,
       common::StrCat(R"({"spec_code":")", Repeat("c", kLongSize), R"("})"), 400, "DMS.00400125"},
      {"unknown field", "POST", path, R"({"nodes":2})", 400, "DMS.00400062"},
      {"unknown field 100 KB name", "POST", path,
       common::StrCat(R"({")", Repeat("k", kLongSize), R"(":1})"), 400, "DMS.00400062"},
      {"duplicated key, last invalid", "POST", path, R"({"node_cnt":2,"node_cnt":99})", 400,
       "DMS.00400062"},
      {"duplicated key, first invalid", "POST", path, R"({"node_cnt":99,"node_cnt":"x"})", 400,
       "DMS.00400062"},
      {"already enabled", "POST", InstancePath(kEnabledInstance) + "/connector", "{}", 400,
       "DMS.00400062"},
      {"another tenant's instance", "POST", InstancePath(kOtherInstance) + "/connector", "{}", 404,
       "DMS.00404022"},
      {"100 KB instance id", "POST", InstancePath(Repeat("a", kLongSize)) + "/connector", "{}", 400,
       "DMS.00400030"},
      {"unicode instance id", "POST", InstancePath(EncodeAll("インスタンス")) + "/connector", "{}",
       400, "DMS.00400030"},
      {"non-UTF-8 instance id", "POST", InstancePath("%FF%FE") + "/connector", "{}", 400,
       "DMS.00400030"},
      {"bad escape in instance id", "POST", InstancePath("%zz") + "/connector", "{}", 404,
       "APIGW.0101"},
  };
  for (const auto& [name, body] : MalformedBodies()) {
    cases.push_back({"malformed: " + name, "POST", path, body, 400, "DMS.00400005"});
  }
  RunMatrix(cases);
  // The same endpoint still accepts a good body.
  EXPECT_EQ(Call("POST", path, R"({"node_cnt":"3"})").status, 200);
}

TEST_F(BadInputMatrixTest, DisableConnectorRefusesEveryBadBody) {
  const std::string path = DisablePath();
  std::vector<BadCase> cases = {
      {"instance_id number", "POST", path, R"({"instance_id":5})", 400, "DMS.00400062"},
      {"instance_id null object", "POST", path, R"({"instance_id":{}})", 400, "DMS.00400062"},
      {"instance_id mismatch", "POST", path, R"({"instance_id":"someone-else"})", 400,
       "DMS.00400062"},
      {"instance_id 100 KB", "POST", path,
       common::StrCat(R"({"instance_id":")", Repeat("i", kLongSize), R"("})"), 400, "DMS.00400062"},
      {"instance_id unicode", "POST", path, R"({"instance_id":"インスタンス"})", 400,
       "DMS.00400062"},
      {"unknown field", "POST", path, R"({"force":true})", 400, "DMS.00400062"},
      {"duplicated key, last wrong", "POST", path,
       common::StrCat(R"({"instance_id":")", kEnabledInstance, R"(","instance_id":"x"})"), 400,
       "DMS.00400062"},
      {"not enabled", "POST", DisablePath(kInstance), "", 400, "DMS.00400062"},
      {"another tenant's instance", "POST", DisablePath(kOtherInstance), "", 404, "DMS.00404022"},
      {"100 KB instance id", "POST", DisablePath(Repeat("b", kLongSize)), "", 400, "DMS.00400030"},
      {"non-UTF-8 instance id", "POST", DisablePath("%C3%28"), "", 400, "DMS.00400030"},
  };
  for (const auto& [name, body] : MalformedBodies()) {
    cases.push_back({"malformed: " + name, "POST", path, body, 400, "DMS.00400005"});
  }
  RunMatrix(cases);
  EXPECT_EQ(Call("POST", path).status, 200);
}

// ---- Instance lifecycle and Smart Connect tasks ----
constexpr char kGoodInstanceBody[] =
    R"({"name":"new-kafka","engine":"kafka","engine_version":"3.x",)"
    R"("broker_num":3,"storage_space":300,"vpc_id":"11111111-2222-3333-4444-555555555555",)"
    R"("subnet_id":"21111111-2222-3333-4444-555555555555",)"
    R"("security_group_id":"31111111-2222-3333-4444-555555555555","available_zones":["eu-de-01"],)"
    R"("product_id":"c6.2u4g.cluster","storage_spec_code":"dms.physical.storage.ultra.v2"})";

// kGoodInstanceBody with one field replaced ("" value removes it).
std::string InstanceBodyWith(std::string_view key, std::string_view raw_value) {
  boost::json::object body = boost::json::parse(kGoodInstanceBody).as_object();
  if (raw_value.empty()) {
    body.erase(key);
  } else {
    body[key] = boost::json::parse(raw_value);
  }
  return boost::json::serialize(body);
}

constexpr char kGoodTaskBody[] =
    R"({"task_name":"obs-dump","topics":"orders",)"
    R"("sink_type":"OBS_SINK","sink_task":{"consumer_strategy":"latest",)"
    R"("destination_file_type":"TEXT","deliver_time_interval":300,"access_key":"AK",)"
    R"("secret_key":"SK","obs_bucket_name":"bucket"}})";

// kGoodTaskBody with one top-level or sink_task field replaced ("" removes it).
std::string TaskBodyWith(std::string_view key, std::string_view raw_value, bool in_sink = false) {
  boost::json::object body = boost::json::parse(kGoodTaskBody).as_object();
  boost::json::object& target = in_sink ? body["sink_task"].as_object() : body;
  if (raw_value.empty()) {
    target.erase(key);
  } else {
    target[key] = boost::json::parse(raw_value);
  }
  return boost::json::serialize(body);
}

TEST_F(BadInputMatrixTest, CreateInstanceRefusesEveryBadBody) {
  const std::string path = common::StrCat(Base(), "/kafka/instances");
  const std::string long_string = common::StrCat("\"", Repeat("n", kLongSize), "\"");
  std::vector<BadCase> cases = {
      {"missing body", "POST", path, "", 400, "DMS.00400004"},
      {"empty object", "POST", path, "{}", 400, "DMS.00400062"},
      {"unknown field", "POST", path, InstanceBodyWith("flavor", "\"x\""), 400, "DMS.00400062"},
      {"name number", "POST", path, InstanceBodyWith("name", "5"), 400, "DMS.00400062"},
      {"name too short", "POST", path, InstanceBodyWith("name", "\"abc\""), 400, "DMS.00400062"},
      {"name 100 KB", "POST", path, InstanceBodyWith("name", long_string), 400, "DMS.00400062"},
      {"name unicode", "POST", path, InstanceBodyWith("name", "\"カフカカフカ\""), 400,
       "DMS.00400062"},
      {"description 100 KB", "POST", path, InstanceBodyWith("description", long_string), 400,
       "DMS.00400062"},
      {"broker_num string", "POST", path, InstanceBodyWith("broker_num", "\"3\""), 400,
       "DMS.00400062"},
      {"broker_num float", "POST", path, InstanceBodyWith("broker_num", "3.5"), 400,
       "DMS.00400062"},
      {"broker_num zero", "POST", path, InstanceBodyWith("broker_num", "0"), 400, "DMS.00400062"},
      {"broker_num 51", "POST", path, InstanceBodyWith("broker_num", "51"), 400, "DMS.00400062"},
      {"broker_num uint64", "POST", path, InstanceBodyWith("broker_num", "18446744073709551615"),
       400, "DMS.00400062"},
      {"storage_space too small", "POST", path, InstanceBodyWith("storage_space", "99"), 400,
       "DMS.00400062"},
      {"storage_space int64 max", "POST", path,
       InstanceBodyWith("storage_space", "9223372036854775807"), 400, "DMS.00400062"},
      {"available_zones string", "POST", path, InstanceBodyWith("available_zones", "\"az1\""), 400,
       "DMS.00400062"},
      {"available_zones numbers", "POST", path, InstanceBodyWith("available_zones", "[1]"), 400,
       "DMS.00400062"},
      {"available_zones empty", "POST", path, InstanceBodyWith("available_zones", "[]"), 400,
       "DMS.00400062"},
      {"available_zones unknown zone", "POST", path,
       InstanceBodyWith("available_zones", "[\"az1\"]"), 400, "DMS.00400062"},
      {"available_zones two zones", "POST", path,
       InstanceBodyWith("available_zones", "[\"eu-de-01\",\"eu-de-02\"]"), 400, "DMS.00400062"},
      {"available_zones one zone twice", "POST", path,
       InstanceBodyWith("available_zones",
                        "[\"eu-de-01\",\"eu-de-02\",\"bf84aba586ce4e948da0b97d9a7d62fb\"]"),
       400, "DMS.00400062"},
      {"broker_num below the flavor's minimum", "POST", path, InstanceBodyWith("broker_num", "2"),
       400, "DMS.00400062"},
      {"broker_num above the flavor's maximum", "POST", path, InstanceBodyWith("broker_num", "31"),
       400, "DMS.00400062"},
      {"storage_space above the flavor's maximum", "POST", path,
       InstanceBodyWith("storage_space", "300001"), 400, "DMS.00400062"},
      {"storage_spec_code of the legacy flavors", "POST", path,
       InstanceBodyWith("storage_spec_code", "\"dms.physical.storage.ultra\""), 400,
       "DMS.00400062"},
      {"vpc_id not a uuid", "POST", path, InstanceBodyWith("vpc_id", "\"vpc-1\""), 400,
       "DMS.00400062"},
      {"engine_version unknown", "POST", path, InstanceBodyWith("engine_version", "\"9.9\""), 400,
       "DMS.00400062"},
      {"engine not kafka", "POST", path, InstanceBodyWith("engine", "\"rabbitmq\""), 400,
       "DMS.00400062"},
      {"storage_spec_code unknown", "POST", path, InstanceBodyWith("storage_spec_code", "\"ssd\""),
       400, "DMS.00400062"},
      {"product_id malformed", "POST", path, InstanceBodyWith("product_id", "\"no product\""), 400,
       "DMS.00400009"},
      {"tags not objects", "POST", path, InstanceBodyWith("tags", "[\"a\"]"), 400, "DMS.00400062"},
      {"connector_enable string", "POST", path, InstanceBodyWith("connector_enable", "\"true\""),
       400, "DMS.00400062"},
      {"by engine: engine mismatch", "POST", common::StrCat("/v2/kafka/", kProject, "/instances"),
       InstanceBodyWith("engine", "\"rocketmq\""), 400, "DMS.00400062"},
  };
  for (std::string_view required :
       {"name", "engine_version", "broker_num", "storage_space", "vpc_id", "security_group_id",
        "subnet_id", "available_zones", "product_id", "storage_spec_code"}) {
    cases.push_back({common::StrCat("missing ", required), "POST", path,
                     InstanceBodyWith(required, ""), 400, "DMS.00400062"});
  }
  for (const auto& [name, body] : MalformedBodies()) {
    cases.push_back({"malformed: " + name, "POST", path, body, 400, "DMS.00400005"});
  }
  RunMatrix(cases);
  EXPECT_EQ(Call("POST", path, kGoodInstanceBody).status, 200);
}

TEST_F(BadInputMatrixTest, DeleteInstanceRefusesBadIdsAndOtherTenants) {
  std::vector<BadCase> cases = {
      {"another tenant's instance", "DELETE", InstancePath(kOtherInstance), "", 404,
       "DMS.00404022"},
      {"unknown instance", "DELETE", InstancePath("ffffffff-0000-1111-2222-333344445555"), "", 404,
       "DMS.00404022"},
      {"100 KB instance id", "DELETE", InstancePath(Repeat("a", kLongSize)), "", 400,
       "DMS.00400030"},
      {"unicode instance id", "DELETE", InstancePath(EncodeAll("インスタンス")), "", 400,
       "DMS.00400030"},
  };
  RunMatrix(cases);
}

TEST_F(BadInputMatrixTest, ConnectorTaskEndpointsRefuseEveryBadInput) {
  const std::string tasks = InstancePath(kEnabledInstance) + "/connector/tasks";
  // One existing task, so the name check and the task routes have state.
  DmsAnswer created = Call("POST", tasks, kGoodTaskBody);
  ASSERT_EQ(created.status, 200) << boost::json::serialize(created.body);
  const std::string task_id(created.body.at("id").as_string());
  RunJobsAfter(absl::Seconds(5));
  const std::string task_path = tasks + "/" + task_id;
  const std::string long_string = common::StrCat("\"", Repeat("t", kLongSize), "\"");
  const std::string renamed = TaskBodyWith("task_name", "\"other-name\"");
  auto named = [&](std::string_view key, std::string_view value, bool in_sink = false) {
    boost::json::object body = boost::json::parse(TaskBodyWith(key, value, in_sink)).as_object();
    body["task_name"] = "other-name";
    return boost::json::serialize(body);
  };
  std::vector<BadCase> cases = {
      {"missing body", "POST", tasks, "", 400, "DMS.00400004"},
      {"name taken", "POST", tasks, kGoodTaskBody, 400, "DMS.00400062"},
      {"missing task_name", "POST", tasks, TaskBodyWith("task_name", ""), 400, "DMS.00400062"},
      {"task_name number", "POST", tasks, TaskBodyWith("task_name", "7"), 400, "DMS.00400062"},
      {"task_name 100 KB", "POST", tasks, TaskBodyWith("task_name", long_string), 400,
       "DMS.00400062"},
      {"task_name unicode", "POST", tasks, TaskBodyWith("task_name", "\"タスクタスク\""), 400,
       "DMS.00400062"},
      {"unknown top-level field", "POST", tasks, named("surprise", "1"), 400, "DMS.00400062"},
      {"start_later string", "POST", tasks, named("start_later", "\"yes\""), 400, "DMS.00400062"},
      {"topics array", "POST", tasks, named("topics", "[\"a\"]"), 400, "DMS.00400062"},
      {"topics 100 KB", "POST", tasks, named("topics", long_string), 400, "DMS.00400062"},
      {"no topics", "POST", tasks, named("topics", ""), 400, "DMS.00400062"},
      {"sink_type unknown", "POST", tasks, named("sink_type", "\"S3_SINK\""), 400, "DMS.00400062"},
      {"Redis source without a Redis sink", "POST", tasks,
       R"({"task_name":"redis-copy","topics":"t","source_type":"REDIS_REPLICATOR_SOURCE",)"
       R"("source_task":{"redis_address":"10.0.0.1:6379","redis_type":"cluster"}})",
       400, "DMS.00400062"},
      {"Redis sink with a Kafka member", "POST", tasks,
       R"({"task_name":"redis-copy","topics":"t","source_type":"REDIS_REPLICATOR_SOURCE",)"
       R"("source_task":{"redis_address":"10.0.0.1:6379","redis_type":"cluster"},)"
       R"("sink_type":"REDIS_REPLICATOR_SINK","sink_task":{"redis_address":"10.0.0.2:6379",)"
       R"("redis_type":"standalone","obs_bucket_name":"b"}})",
       400, "DMS.00400062"},
      {"Redis address not host:port", "POST", tasks,
       R"({"task_name":"redis-copy","topics":"t","source_type":"REDIS_REPLICATOR_SOURCE",)"
       R"("source_task":{"redis_address":"redis","redis_type":"cluster"},)"
       R"("sink_type":"REDIS_REPLICATOR_SINK","sink_task":{"redis_address":"10.0.0.2:6379",)"
       R"("redis_type":"standalone"}})",
       400, "DMS.00400062"},
      {"source and sink both set", "POST", tasks,
       named("source_type", "\"KAFKA_REPLICATOR_SOURCE\""), 400, "DMS.00400062"},
      {"sink_task string", "POST", tasks, named("sink_task", "\"x\""), 400, "DMS.00400062"},
      {"sink_task missing", "POST", tasks, named("sink_task", ""), 400, "DMS.00400062"},
      {"bucket missing", "POST", tasks, named("obs_bucket_name", "", true), 400, "DMS.00400062"},
      {"interval string", "POST", tasks, named("deliver_time_interval", "\"300\"", true), 400,
       "DMS.00400062"},
      {"interval too small", "POST", tasks, named("deliver_time_interval", "29", true), 400,
       "DMS.00400062"},
      {"interval too large", "POST", tasks, named("deliver_time_interval", "901", true), 400,
       "DMS.00400062"},
      {"obs_path 100 KB", "POST", tasks, named("obs_path", long_string, true), 400, "DMS.00400062"},
      {"unknown sink field", "POST", tasks, named("surprise", "1", true), 400, "DMS.00400062"},
      {"replicator without source_task", "POST", tasks,
       [&] {
         boost::json::object body = boost::json::parse(renamed).as_object();
         body["source_type"] = "KAFKA_REPLICATOR_SOURCE";
         body["sink_type"] = "NONE";
         body.erase("sink_task");
         return boost::json::serialize(body);
       }(),
       400, "DMS.00400062"},
      {"Smart Connect not enabled", "POST", InstancePath() + "/connector/tasks", kGoodTaskBody, 400,
       "DMS.00400062"},
      {"another tenant's instance", "POST", InstancePath(kOtherInstance) + "/connector/tasks",
       kGoodTaskBody, 404, "DMS.00404022"},
      {"list limit 0", "GET", tasks + "?limit=0", "", 400, "DMS.00400062"},
      {"list limit 51", "GET", tasks + "?limit=51", "", 400, "DMS.00400062"},
      {"list offset negative", "GET", tasks + "?offset=-1", "", 400, "DMS.00400062"},
      {"list offset text", "GET", tasks + "?offset=x", "", 400, "DMS.00400062"},
      {"list other tenant", "GET", InstancePath(kOtherInstance) + "/connector/tasks", "", 404,
       "DMS.00404022"},
      {"show unknown task", "GET", tasks + "/ffffffff-0000-1111-2222-333344445555", "", 404,
       "DMS.00404022"},
      {"show 100 KB task id", "GET", tasks + "/" + Repeat("t", kLongSize), "", 404, "DMS.00404022"},
      {"show unicode task id", "GET", tasks + "/" + EncodeAll("タスク"), "", 404, "DMS.00404022"},
      {"show task under another tenant's instance", "GET",
       InstancePath(kOtherInstance) + "/connector/tasks/" + task_id, "", 404, "DMS.00404022"},
      {"delete unknown task", "DELETE", tasks + "/nope", "", 404, "DMS.00404022"},
      {"pause unknown task", "PUT", tasks + "/nope/pause", "", 404, "DMS.00404022"},
      {"resume a running task", "PUT", task_path + "/resume", "", 400, "DMS.00400062"},
      {"pause under another tenant's instance", "PUT",
       InstancePath(kOtherInstance) + "/connector/tasks/" + task_id + "/pause", "", 404,
       "DMS.00404022"},
      {"unknown task action", "PUT", task_path + "/stop", "", 404, "APIGW.0101"},
      {"modify: no body", "PUT", task_path, "", 400, "DMS.00400004"},
      {"modify: task_name 100 KB", "PUT", task_path,
       common::StrCat(R"({"task_name":)", long_string, "}"), 400, "DMS.00400062"},
      {"modify: topics unicode", "PUT", task_path, R"({"topics":"タスク"})", 400, "DMS.00400062"},
      {"modify: sink_task array", "PUT", task_path, R"({"sink_task":[1]})", 400, "DMS.00400062"},
      {"modify: create_time 2^64", "PUT", task_path, R"({"create_time":18446744073709551616})", 400,
       "DMS.00400062"},
      {"modify: another tenant's instance", "PUT",
       InstancePath(kOtherInstance) + "/connector/tasks/" + task_id, R"({"topics":"t"})", 404,
       "DMS.00404022"},
      {"validate: no body", "POST", InstancePath(kEnabledInstance) + "/connector/validate", "", 400,
       "DMS.00400004"},
      {"validate: type number", "POST", InstancePath(kEnabledInstance) + "/connector/validate",
       R"({"type":1})", 400, "DMS.00400062"},
      {"validate: bootstrap 100 KB", "POST", InstancePath(kEnabledInstance) + "/connector/validate",
       common::StrCat(R"({"task":{"bootstrap_servers":)", long_string, "}}"), 400, "DMS.00400062"},
      {"validate: another tenant's instance", "POST",
       InstancePath(kOtherInstance) + "/connector/validate",
       R"({"task":{"bootstrap_servers":"h:1"}})", 404, "DMS.00404022"},
  };
  for (const auto& [name, body] : MalformedBodies()) {
    cases.push_back({"malformed: " + name, "POST", tasks, body, 400, "DMS.00400005"});
    cases.push_back({"modify malformed: " + name, "PUT", task_path, body, 400, "DMS.00400005"});
    cases.push_back({"validate malformed: " + name, "POST",
                     InstancePath(kEnabledInstance) + "/connector/validate", body, 400,
                     "DMS.00400005"});
  }
  RunMatrix(cases);
  EXPECT_EQ(Call("POST", tasks, renamed).status, 200);
}

TEST_F(BadInputMatrixTest, ListInstancesRefusesBadQueries) {
  const std::string path = Base() + "/instances";
  std::vector<BadCase> cases = {
      {"limit 0", "GET", path + "?limit=0", "", 400, "DMS.00400062"},
      {"limit 51", "GET", path + "?limit=51", "", 400, "DMS.00400062"},
      {"limit negative", "GET", path + "?limit=-1", "", 400, "DMS.00400062"},
      {"limit text", "GET", path + "?limit=ten", "", 400, "DMS.00400062"},
      {"limit beyond int64", "GET", path + "?limit=99999999999999999999", "", 400, "DMS.00400062"},
      {"limit empty", "GET", path + "?limit=", "", 400, "DMS.00400062"},
      {"offset negative", "GET", path + "?offset=-1", "", 400, "DMS.00400062"},
      {"offset beyond int32", "GET", path + "?offset=2147483648", "", 400, "DMS.00400062"},
      {"offset 100 KB", "GET", path + "?offset=" + Repeat("9", kLongSize), "", 400, "DMS.00400062"},
      {"exact_match_name not bool", "GET", path + "?exact_match_name=yes", "", 400, "DMS.00400062"},
      {"engine rabbitmq", "GET", path + "?engine=rabbitmq", "", 400, "DMS.00400062"},
      {"bad escape", "GET", path + "?name=%zz", "", 400, "DMS.00400062"},
      {"truncated escape", "GET", path + "?name=%4", "", 400, "DMS.00400062"},
      {"duplicated limit, last bad", "GET", path + "?limit=1&limit=0", "", 400, "DMS.00400062"},
      {"duplicated limit, first bad", "GET", path + "?limit=0&limit=1", "", 400, "DMS.00400062"},
      // Well-formed filters that match nothing: an empty page, not an error.
      {"name 100 KB", "GET", path + "?name=" + Repeat("n", kLongSize), "", 200, ""},
      {"instance_id 100 KB", "GET", path + "?instance_id=" + Repeat("i", kLongSize), "", 200, ""},
      {"unicode name", "GET", path + "?name=" + EncodeAll("カフカ"), "", 200, ""},
      {"non-UTF-8 name", "GET", path + "?name=%FF%FE&exact_match_name=true", "", 200, ""},
      {"10k unknown params", "GET", path + "?" + Repeat("x=1&", 10000), "", 200, ""},
      {"body on a GET is ignored", "GET", path, Repeat("[", kDeepNesting), 200, ""},
  };
  RunMatrix(cases);
  DmsAnswer long_name = Call("GET", path + "?name=" + Repeat("n", kLongSize));
  EXPECT_EQ(long_name.body.at("instance_num").as_int64(), 0);
  // Another tenant's instance id as a filter finds nothing (no existence leak).
  DmsAnswer foreign = Call("GET", common::StrCat(path, "?instance_id=", kOtherInstance));
  ASSERT_EQ(foreign.status, 200);
  EXPECT_EQ(foreign.body.at("instance_num").as_int64(), 0);
  DmsAnswer other_name =
      Call("GET", common::StrCat(path, "?name=", kOtherInstanceName, "&exact_match_name=true"));
  EXPECT_EQ(other_name.body.at("instance_num").as_int64(), 0);
}

TEST_F(BadInputMatrixTest, ShowInstanceAndConnectorRefuseBadIds) {
  for (std::string suffix : {"", "/connector"}) {
    SCOPED_TRACE("suffix '" + suffix + "'");
    std::vector<BadCase> cases = {
        {"100 KB id", "GET", InstancePath(Repeat("a", kLongSize)) + suffix, "", 400,
         "DMS.00400030"},
        {"unicode id", "GET", InstancePath(EncodeAll("インスタンス")) + suffix, "", 400,
         "DMS.00400030"},
        {"non-UTF-8 id", "GET", InstancePath("%FF") + suffix, "", 400, "DMS.00400030"},
        {"upper-case junk id", "GET", InstancePath("ZZZZZZZZ-0000-1111-2222-333344445555") + suffix,
         "", 400, "DMS.00400030"},
        {"NUL in id", "GET", InstancePath("a1b2c3d4-0000-1111-2222-33334444555%00") + suffix, "",
         400, "DMS.00400030"},
        {"bad escape", "GET", InstancePath("%zz") + suffix, "", 404, "APIGW.0101"},
        {"unknown id", "GET", InstancePath("ffffffff-0000-1111-2222-333344445555") + suffix, "",
         404, "DMS.00404022"},
        {"another tenant's id", "GET", InstancePath(kOtherInstance) + suffix, "", 404,
         "DMS.00404022"},
        {"garbage body on a GET is ignored", "GET", InstancePath() + suffix, "{bad", 200, ""},
    };
    RunMatrix(cases);
  }
}

TEST_F(BadInputMatrixTest, ListTasksRefusesBadQueries) {
  const std::string path = InstancePath(kEnabledInstance) + "/tasks";
  std::vector<BadCase> cases = {
      {"start 0", "GET", path + "?start=0", "", 400, "DMS.00400062"},
      {"start negative", "GET", path + "?start=-1", "", 400, "DMS.00400062"},
      {"start text", "GET", path + "?start=first", "", 400, "DMS.00400062"},
      {"start 100 KB", "GET", path + "?start=" + Repeat("1", kLongSize), "", 400, "DMS.00400062"},
      {"limit 0", "GET", path + "?limit=0", "", 400, "DMS.00400062"},
      {"limit 101", "GET", path + "?limit=101", "", 400, "DMS.00400062"},
      {"begin_time short", "GET", path + "?begin_time=2026", "", 400, "DMS.00400062"},
      {"begin_time month 13", "GET", path + "?begin_time=20261301000000", "", 400, "DMS.00400062"},
      {"end_time text", "GET", path + "?end_time=yesterday0000", "", 400, "DMS.00400062"},
      {"end_time unicode digits", "GET", path + "?end_time=" + EncodeAll("２０２６０１０１"), "",
       400, "DMS.00400062"},
      {"end_time 100 KB", "GET", path + "?end_time=" + Repeat("2", kLongSize), "", 400,
       "DMS.00400062"},
      {"bad escape", "GET", path + "?start=%G1", "", 400, "DMS.00400062"},
      {"100 KB instance id", "GET", InstancePath(Repeat("c", kLongSize)) + "/tasks", "", 400,
       "DMS.00400030"},
      {"another tenant's instance", "GET", InstancePath(kOtherInstance) + "/tasks", "", 404,
       "DMS.00404022"},
      {"unknown params are ignored", "GET", path + "?" + Repeat("z=", 1000), "", 200, ""},
  };
  RunMatrix(cases);
  DmsAnswer tasks = Call("GET", path);
  ASSERT_EQ(tasks.status, 200);
  EXPECT_EQ(tasks.body.at("task_count").as_string(), "1");
}

TEST_F(BadInputMatrixTest, ShowTaskRefusesBadIds) {
  const std::string path = InstancePath(kEnabledInstance) + "/tasks/";
  std::vector<BadCase> cases = {
      {"100 KB task id", "GET", path + Repeat("t", kLongSize), "", 404, "DMS.00404022"},
      {"unicode task id", "GET", path + EncodeAll("タスク"), "", 404, "DMS.00404022"},
      {"non-UTF-8 task id", "GET", path + "%FF%00", "", 404, "DMS.00404022"},
      {"bad escape", "GET", path + "%zz", "", 404, "APIGW.0101"},
      {"SQL-looking id", "GET", path + EncodeAll("' OR '1'='1"), "", 404, "DMS.00404022"},
      {"task of another instance", "GET", InstancePath() + "/tasks/" + task_id_, "", 404,
       "DMS.00404022"},
      {"another tenant's instance", "GET", InstancePath(kOtherInstance) + "/tasks/" + task_id_, "",
       404, "DMS.00404022"},
  };
  RunMatrix(cases);
  EXPECT_EQ(Call("GET", path + task_id_).status, 200);
}

TEST_F(BadInputMatrixTest, DeleteTaskRefusesBadIdsAndOtherTenantsTasks) {
  const std::string path = InstancePath(kEnabledInstance) + "/tasks/";
  std::vector<BadCase> cases = {
      {"100 KB task id", "DELETE", path + Repeat("t", kLongSize), "", 404, "DMS.00404022"},
      {"unicode task id", "DELETE", path + EncodeAll("タスク"), "", 404, "DMS.00404022"},
      {"bad escape", "DELETE", path + "%zz", "", 404, "APIGW.0101"},
      {"SQL-looking id", "DELETE", path + EncodeAll("' OR '1'='1"), "", 404, "DMS.00404022"},
      {"task of another instance", "DELETE", InstancePath() + "/tasks/" + task_id_, "", 404,
       "DMS.00404022"},
      {"another tenant's instance", "DELETE", InstancePath(kOtherInstance) + "/tasks/" + task_id_,
       "", 404, "DMS.00404022"},
      {"100 KB instance id", "DELETE", InstancePath(Repeat("c", kLongSize)) + "/tasks/" + task_id_,
       "", 400, "DMS.00400030"},
  };
  RunMatrix(cases);
  EXPECT_EQ(Call("DELETE", path + task_id_).status, 204);
}

// The legacy dump-task API (/v2/{project_id}/connectors/{connector_id}/sink-tasks).
TEST_F(BadInputMatrixTest, DuplicatedKeysLastOneWins) {
  DmsAnswer answer =
      Call("POST", DisablePath(),
           common::StrCat(R"({"instance_id":"x","instance_id":")", kEnabledInstance, R"("})"));
  EXPECT_EQ(answer.status, 200) << boost::json::serialize(answer.body);
  answer = Call("POST", InstancePath() + "/connector", R"({"node_cnt":99,"node_cnt":3})");
  ASSERT_EQ(answer.status, 200) << boost::json::serialize(answer.body);
  RunJobsAfter(absl::Seconds(2));
  EXPECT_EQ(Call("GET", InstancePath()).body.at("connector_node_num").as_int64(), 3);
}

// Secrets never reach the logs: every line the DMS path, the service and the
// job runner log while serving good, forged and malformed requests is captured
// and searched for the secret keys and for the Authorization values sent.
TEST_F(BadInputMatrixTest, SecretsAndAuthorizationValuesNeverReachTheLogs) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);

  std::vector<std::string> authorization_values;
  auto send = [&](common::HttpRequest request) {
    if (auto value = request.Header("Authorization")) {
      authorization_values.emplace_back(*value);
    }
    return Call(request).status;
  };
  EXPECT_EQ(send(Signed("GET", InstancePath())), 200);
  EXPECT_EQ(send(Signed("POST", InstancePath() + "/connector", R"({"node_cnt":2})")), 200);
  common::HttpRequest tampered = Signed("POST", DisablePath(), "");
  tampered.body = R"({"instance_id":"x"})";
  EXPECT_EQ(send(tampered), 401);
  common::HttpRequest wrong_key = Signed("GET", InstancePath());
  wrong_key.headers.back().second =
      auth::SignHuaweiRequest(wrong_key, kAk, "OtherSecret", {"host", "x-sdk-date"}).value();
  EXPECT_EQ(send(wrong_key), 401);
  common::HttpRequest secret_in_header = Signed("GET", InstancePath());
  secret_in_header.headers.back().second =
      common::StrCat("SDK-HMAC-SHA256 Access=", kAk, ", ", kSk);
  EXPECT_EQ(send(secret_in_header), 401);
  RunJobsAfter(absl::Seconds(2));
  spdlog::set_default_logger(previous);

  const std::string logs = captured.str();
  // The access line is written by the dispatcher (tests/http/access_log_test.cc
  // checks it for secrets); here the service's and job runner's lines must be clean.
  EXPECT_NE(logs.find("to=PENDING"), std::string::npos) << "no job-queued event line";
  EXPECT_NE(logs.find("to=SUCCEEDED"), std::string::npos) << "no job-finished event line";
  EXPECT_EQ(logs.find(kSk), std::string::npos) << logs;
  EXPECT_EQ(logs.find("OtherSecret"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("Signature="), std::string::npos) << logs;
  for (const std::string& value : authorization_values) {
    const std::string signature = value.substr(value.rfind('=') + 1);
    EXPECT_EQ(logs.find(signature), std::string::npos) << signature;
  }
}

}  // namespace
}  // namespace connectplane::api::dms
