// The fixture of the DMS bad-input matrix (bad_input_matrix_*_test.cc): a
// DmsHarness on the DMS test seed with Smart Connect enabled on tenant A's
// second instance, signed calls, and RunMatrix, which checks each case's DMS
// error code, that no state changed (instances, their items and task counts),
// and that the API keeps answering good requests.
#pragma once

#include "api/dms/dms_api.h"
#include "auth/huawei_signer.h"
#include "common/http_message.h"
#include "common/status.h"
#include "common/strings.h"
#include "store/store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace connectplane::api::dms::bad_input_matrix {

using connectplane::testing::DmsAnswer;
using connectplane::testing::DmsHarness;
using connectplane::testing::InstancePath;
using connectplane::testing::kAk;
using connectplane::testing::kCredential;
using connectplane::testing::kDmsSeed;
using connectplane::testing::kInstance;
using connectplane::testing::kOtherInstance;
using connectplane::testing::kOtherInstanceName;
using connectplane::testing::kOtherProject;
using connectplane::testing::kProject;
using connectplane::testing::kSecondInstance;
using connectplane::testing::kSk;

// SetUp enables Smart Connect on tenant A's second instance.
constexpr const char* kEnabledInstance = kSecondInstance;

constexpr size_t kLongSize = 100 * 1024;
// Far past the JSON depth limit (common::JsonLimits, 32).
constexpr size_t kDeepNesting = 10000;
// No error message may echo a long input back: it stays below this size.
constexpr size_t kMaxErrorMessageBytes = 512;

struct BadCase {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  int status;
  std::string code;  // DMS error_code; "" for a 200 answer
};

inline std::string Repeat(std::string_view piece, size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (size_t idx = 0; idx < count; ++idx) {
    out.append(piece);
  }
  return out;
}

// Percent-encodes every byte (valid in any path segment or query value).
inline std::string EncodeAll(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

class BadInputMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One instance with Smart Connect enabled and a finished task, so the
    // disable and task endpoints have real state to (not) change.
    DmsAnswer enabled =
        Call("POST", InstancePath(kEnabledInstance) + "/connector", R"({"node_cnt":2})");
    ASSERT_EQ(enabled.status, 200);
    task_id_ = std::string(enabled.body.at("job_id").as_string());
    RunJobsAfter(absl::Seconds(2));
  }

  DmsAnswer Call(const common::HttpRequest& request) { return harness_.Send(request); }

  // Signed with tenant A's credential.
  DmsAnswer Call(std::string method, std::string target, std::string body = "") {
    return harness_.Call(kCredential, std::move(method), std::move(target), std::move(body));
  }

  common::HttpRequest Signed(std::string method, std::string target, std::string body = "") {
    return harness_.Signed(kCredential, std::move(method), std::move(target), std::move(body));
  }

  void RunJobsAfter(absl::Duration delta) { harness_.services.RunJobsAfter(delta); }

  static std::string Base() { return common::StrCat("/v2/", kProject); }
  static std::string DisablePath(std::string_view instance = kEnabledInstance) {
    return common::StrCat(Base(), "/kafka/instances/", instance, "/delete-connector");
  }

  // Every stored instance (all columns, including version) and its task count.
  std::string Snapshot() {
    std::string out;
    store::Store& store = *harness_.services.store;
    absl::Status status = store.Read([&](store::StoreTransaction& txn) -> absl::Status {
      for (const auto& [project, instance_id] :
           {std::pair{kProject, kInstance}, std::pair{kProject, kEnabledInstance},
            std::pair{kOtherProject, kOtherInstance}}) {
        auto instance = txn.GetKafkaInstance(project, instance_id);
        if (!instance.ok()) return instance.status();
        if (!instance->has_value()) return absl::NotFoundError(instance_id);
        const store::KafkaInstance& row = **instance;
        auto jobs = txn.ListJobsForResource(project, instance_id, {}, {0, 1000});
        if (!jobs.ok()) return jobs.status();
        out += common::StrCat(row.instance_id, "|", row.name, "|", row.status, "|",
                              row.specification, "|", row.connector_enabled, "|", row.connector_id,
                              "|", row.connector_node_num, "|", row.connector_spec_code, "|",
                              row.attributes_json, "|", row.version, "|", row.product_id, "|",
                              row.engine_version, "|", row.broker_num, "|", row.storage_space, "|",
                              row.storage_spec_code, "|", row.available_zones_json,
                              "|tasks=", jobs->total, "\n");
        // Its tags, parameter values and topics.
        for (std::string_view kind :
             {store::kKafkaItemTag, store::kKafkaItemConfig, store::kKafkaItemTopic}) {
          auto items = txn.ListKafkaInstanceItems(project, instance_id, kind);
          if (!items.ok()) return items.status();
          for (const store::KafkaInstanceItem& item : *items) {
            out += common::StrCat("  ", kind, " ", item.name, "|", item.body_json, "\n");
          }
        }
        // Smart Connect tasks with their versions and jobs.
        auto connector_tasks = txn.ListConnectorTasks(project, instance_id, {0, 1000});
        if (!connector_tasks.ok()) return connector_tasks.status();
        for (const store::ConnectorTask& task : connector_tasks->items) {
          auto task_jobs = txn.ListJobsForResource(project, task.task_id, {}, {0, 1000});
          if (!task_jobs.ok()) return task_jobs.status();
          out +=
              common::StrCat("  task ", task.task_id, "|", task.task_name, "|", task.status, "|",
                             task.config_json, "|", task.version, "|jobs=", task_jobs->total, "\n");
        }
      }
      // Every instance of both tenants (a refused create must add none).
      for (const char* project : {kProject, kOtherProject}) {
        auto all = txn.ListKafkaInstances(project, {}, {0, 1000});
        if (!all.ok()) return all.status();
        out += common::StrCat(project, " instances=", all->total, "\n");
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  void ExpectAnswer(const BadCase& test_case) {
    SCOPED_TRACE(test_case.name);
    const std::string before = Snapshot();
    DmsAnswer answer = Call(test_case.method, test_case.target, test_case.body);
    EXPECT_EQ(answer.status, test_case.status)
        << boost::json::serialize(answer.body).substr(0, 300);
    EXPECT_FALSE(answer.request_id.empty());
    ASSERT_TRUE(answer.body.is_object());
    if (!test_case.code.empty()) {
      const boost::json::value* code = answer.body.as_object().if_contains("error_code");
      ASSERT_NE(code, nullptr) << boost::json::serialize(answer.body).substr(0, 300);
      EXPECT_EQ(code->as_string(), test_case.code);
      const boost::json::value* message = answer.body.as_object().if_contains("error_msg");
      ASSERT_NE(message, nullptr);
      EXPECT_FALSE(message->as_string().empty());
      EXPECT_LT(message->as_string().size(), kMaxErrorMessageBytes);
    }
    EXPECT_EQ(Snapshot(), before) << "state changed";
    // The API still serves a good request afterwards.
    EXPECT_EQ(Call("GET", InstancePath()).status, 200);
  }

  void RunMatrix(const std::vector<BadCase>& cases) {
    for (const BadCase& test_case : cases) {
      ExpectAnswer(test_case);
    }
  }

  // Malformed bodies every JSON-taking endpoint must refuse with DMS.00400005.
  static std::vector<std::pair<std::string, std::string>> MalformedBodies() {
    return {
        {"whitespace only", "   "},
        {"truncated object", R"({"node_cnt":)"},
        {"unquoted key", "{bad json"},
        {"trailing comma", R"({"instance_id":"x",})"},
        {"trailing garbage", "{} x"},
        {"two documents", "{}{}"},
        {"array", "[1,2]"},
        {"string", R"("text")"},
        {"number", "2"},
        {"null", "null"},
        {"single quotes", "{'node_cnt':2}"},
        {"NaN", R"({"node_cnt":NaN})"},
        {"comment", R"({"node_cnt":2 /* c */})"},
        {"NUL byte", std::string("{\0}", 3)},
        {"10k nested arrays", Repeat("[", kDeepNesting)},
        {"10k nested closed arrays", Repeat("[", kDeepNesting) + Repeat("]", kDeepNesting)},
        {"deep objects", Repeat(R"({"a":)", 40) + "1" + Repeat("}", 40)},
        {"non-UTF-8 string", "{\"specification\":\"\xff\xfe\"}"},
        {"non-UTF-8 key", "{\"\xc3\x28\":1}"},
        {"overlong UTF-8", "{\"specification\":\"\xc0\xaf\"}"},
        {"lone surrogate escape", R"({"specification":"\ud800"})"},
        {"bad escape", R"({"specification":"\q"})"},
        {"raw control char", "{\"specification\":\"a\x01\"}"},
        {"unterminated string", "{\"specification\":\"" + Repeat("a", kLongSize)},
    };
  }

  DmsHarness harness_{kDmsSeed};
  std::string task_id_;
};

}  // namespace connectplane::api::dms::bad_input_matrix
