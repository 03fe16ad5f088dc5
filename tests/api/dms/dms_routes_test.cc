// The DMS route table and its matcher: every row is well formed and reachable
// (no earlier row shadows it), operation names are unique, placeholders are
// captured, and what does not match is an unknown API.
#include "api/dms/dms_routes.h"

#include "api/dms/dms_api.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

namespace connectplane::api::dms {
namespace {

constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
constexpr char kInstance[] = "a1b2c3d4-0000-1111-2222-333344445555";
constexpr char kTask[] = "b2c3d4e5-0000-1111-2222-333344445555";
constexpr char kConnector[] = "c3d4e5f6-0000-1111-2222-333344445555";

// A request path for `pattern` with sample ids in its placeholders.
std::string SamplePath(std::string_view pattern) {
  std::string path(pattern);
  for (const auto& [placeholder, value] : {std::pair{"{project_id}", kProject},
                                           {"{instance_id}", kInstance},
                                           {"{task_id}", kTask},
                                           {"{connector_id}", kConnector}}) {
    for (size_t at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder)) {
      path.replace(at, std::string_view(placeholder).size(), value);
    }
  }
  return path;
}

TEST(DmsRoutesTest, EveryRowIsWellFormedReachableAndNamedOnce) {
  std::set<std::string> operations;
  std::set<std::string> method_patterns;
  for (const DmsApi::Route& route : DmsApi::Routes()) {
    SCOPED_TRACE(common::StrCat(route.method, " ", route.pattern));
    EXPECT_TRUE(PathPattern(route.pattern).IsValid());
    EXPECT_TRUE(route.method == "GET" || route.method == "POST" || route.method == "PUT" ||
                route.method == "DELETE");
    EXPECT_NE(route.handler, nullptr);
    EXPECT_TRUE(operations.insert(std::string(route.operation)).second) << "operation twice";
    EXPECT_TRUE(method_patterns.insert(common::StrCat(route.method, route.pattern)).second);
    // Reads never change state: only mutations get idempotency keys.
    EXPECT_EQ(route.mutating, route.method != "GET");
    // The first match for a sample path of this row is this row.
    EXPECT_EQ(DmsApi::FindRoute(route.method, SamplePath(route.pattern)), &route);
  }
}

// The SDKs' names (Node SDK KafkaClient.js, Go SDK kafka_meta.go) for the two
// restart routes, easily swapped: fault rules, metrics, logs and the audit
// trail name operations by them.
TEST(DmsRoutesTest, RestartRoutesCarryTheSdkOperationNames) {
  const std::string task =
      common::StrCat(kProject, "/instances/", kInstance, "/connector/tasks/", kTask, "/restart");
  const DmsApi::Route* smart = DmsApi::FindRoute("PUT", common::StrCat("/v2/", task));
  const DmsApi::Route* kafka =
      DmsApi::FindRoute("PUT", common::StrCat("/v2/", kProject, "/kafka/instances/", kInstance,
                                              "/connector/tasks/", kTask, "/restart"));
  ASSERT_NE(smart, nullptr);
  ASSERT_NE(kafka, nullptr);
  EXPECT_EQ(smart->operation, "RestartSmartConnectorTask");
  EXPECT_EQ(kafka->operation, "RestartConnectorTask");
}

// The legacy dump-task API: the Go SDK's (up to 0.1.84) names, the connector
// id captured.
TEST(DmsRoutesTest, LegacySinkTaskRoutesCaptureTheConnectorId) {
  const std::string tasks =
      common::StrCat("/v2/", kProject, "/connectors/", kConnector, "/sink-tasks");
  const std::string task = common::StrCat(tasks, "/", kTask);
  for (const auto& [method, path, operation] : {std::tuple{"POST", tasks, "CreateSinkTask"},
                                                {"GET", tasks, "ListSinkTasks"},
                                                {"GET", task, "ShowSinkTaskDetail"},
                                                {"DELETE", task, "DeleteSinkTask"}}) {
    const DmsApi::Route* route = DmsApi::FindRoute(method, path);
    ASSERT_NE(route, nullptr) << method << " " << path;
    EXPECT_EQ(route->operation, operation);
  }
  EXPECT_EQ(DmsApi::FindRoute("PUT", task), nullptr);
  PathParams params;
  ASSERT_TRUE(PathPattern("/v2/{project_id}/connectors/{connector_id}/sink-tasks/{task_id}")
                  .Match(*DecodePathSegments(task), params));
  EXPECT_EQ(params.connector_id, kConnector);
  EXPECT_EQ(params.task_id, kTask);
}

TEST(DmsRoutesTest, MatchCapturesPlaceholdersAndDecodesSegments) {
  PathPattern pattern("/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/pause");
  PathParams params;
  std::vector<std::string> segments = *DecodePathSegments(
      common::StrCat("/v2/", kProject, "/instances/", kInstance, "/connector/tasks/a%2Fb/pause"));
  ASSERT_TRUE(pattern.Match(segments, params));
  EXPECT_EQ(params.project_id, kProject);
  EXPECT_EQ(params.instance_id, kInstance);
  EXPECT_EQ(params.task_id, "a/b");  // decoded, and still one segment
  EXPECT_FALSE(pattern.Match(*DecodePathSegments("/v2/p/instances/i/connector/tasks/t"), params));
  EXPECT_FALSE(PathPattern("/v2/{nonsense}/instances").IsValid());
}

TEST(DmsRoutesTest, UnknownPathsMethodsAndEscapesFindNoRoute) {
  const std::string instance = common::StrCat("/v2/", kProject, "/instances/", kInstance);
  EXPECT_EQ(DmsApi::FindRoute("PATCH", instance), nullptr);
  EXPECT_EQ(DmsApi::FindRoute("GET", instance + "/nothing-here"), nullptr);
  EXPECT_EQ(DmsApi::FindRoute("DELETE", instance + "/connector"), nullptr);
  EXPECT_EQ(DmsApi::FindRoute("GET", "/v3/x"), nullptr);
  EXPECT_EQ(DmsApi::FindRoute("GET", instance + "%zz"), nullptr);
  EXPECT_FALSE(DecodePathSegments("/v2/%zz").ok());
  ASSERT_NE(DmsApi::FindRoute("GET", instance), nullptr);
  EXPECT_EQ(DmsApi::FindRoute("GET", instance)->operation, "ShowInstance");
  // "kafka" is a literal segment of CreateInstanceByEngine, never a project id.
  EXPECT_EQ(
      DmsApi::FindRoute("POST", common::StrCat("/v2/kafka/", kProject, "/instances"))->operation,
      "CreateInstanceByEngine");
}

}  // namespace
}  // namespace connectplane::api::dms
