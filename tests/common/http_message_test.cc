#include "common/http_message.h"

#include "common/ids.h"
#include "common/json_util.h"
#include "common/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace connectplane::common {
namespace {

TEST(HttpRequestTest, SplitsPathAndQueryAndFindsHeadersCaseInsensitively) {
  HttpRequest request;
  request.target = "/v2/p/instances?limit=10&name=a%20b";
  request.headers = {{"X-Sdk-Date", "20261122T180918Z"}, {"host", "h:1"}};
  EXPECT_EQ(request.Path(), "/v2/p/instances");
  EXPECT_EQ(request.RawQuery(), "limit=10&name=a%20b");
  EXPECT_EQ(request.Header("x-sdk-date"), "20261122T180918Z");
  EXPECT_EQ(request.Header("HOST"), "h:1");
  EXPECT_FALSE(request.Header("authorization").has_value());
}

TEST(PercentDecodeTest, DecodesEscapesAndKeepsPlusLiteral) {
  struct Case {
    const char* in;
    std::optional<std::string> out;
  } cases[] = {
      {"abc", "abc"},        {"a%20b", "a b"},
      {"a+b", "a+b"},        {"%C3%A4", "\xC3\xA4"},
      {"%2f", "/"},          {"%", std::nullopt},
      {"%4", std::nullopt},  {"%G1", std::nullopt},
      {"ok%", std::nullopt}, {"", ""},
  };
  for (const Case& test_case : cases) {
    EXPECT_EQ(PercentDecode(test_case.in), test_case.out) << test_case.in;
  }
}

TEST(ParseQueryTest, KeepsWireOrderAndDecodes) {
  auto params = ParseQuery("b=2&a=x%2Ay&&flag&c=");
  ASSERT_TRUE(params.has_value());
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ((*params)[1], (std::pair<std::string, std::string>{"a", "x*y"}));
  EXPECT_EQ((*params)[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ((*params)[3], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_FALSE(ParseQuery("a=%zz").has_value());
}

TEST(SplitPathTest, DropsLeadingEmptySegmentOnly) {
  EXPECT_EQ(SplitPath("/v2/p/x/"), (std::vector<std::string_view>{"v2", "p", "x", ""}));
  EXPECT_EQ(SplitPath("/"), (std::vector<std::string_view>{""}));
}

TEST(IdsTest, UuidHasVersion4Shape) {
  std::string uuid = NewUuid();
  ASSERT_EQ(uuid.size(), 36u);
  EXPECT_EQ(uuid[14], '4');
  EXPECT_NE(NewUuid(), uuid);
  EXPECT_EQ(NewRequestId().size(), 32u);
}

// Request ids come from per-thread generators: each thread's stream must be
// seeded on its own (no two threads drawing the same ids) and well formed.
TEST(IdsTest, RequestIdsAreDistinctAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&drawn, thread_idx] {
      for (int idx = 0; idx < kPerThread; ++idx) {
        drawn[thread_idx].push_back(idx % 2 == 0 ? NewRequestId() : NewRequestUuid());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& ids : drawn) {
    for (const std::string& id : ids) {
      unique.insert(id);
      if (id.size() == 36) {
        EXPECT_EQ(id[14], '4') << id;
        EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id;
      } else {
        EXPECT_EQ(id.size(), 32u) << id;
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
      }
    }
  }
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(StatusTest, ReasonSurvivesAnnotate) {
  absl::Status status = NotFound("INSTANCE_NOT_FOUND", "gone");
  absl::Status annotated = Annotate(status, "loading");
  EXPECT_EQ(ReasonOf(annotated), "INSTANCE_NOT_FOUND");
  EXPECT_EQ(annotated.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(annotated.message()), "loading: gone");
  EXPECT_EQ(ReasonOf(absl::OkStatus()), "");
}

TEST(JsonUtilTest, RejectsMalformedAndDeepDocuments) {
  EXPECT_EQ(ReasonOf(ParseJsonObject("{bad").status()), "MALFORMED_JSON");
  EXPECT_EQ(ReasonOf(ParseJsonObject("[1]").status()), "MALFORMED_JSON");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(ParseJson(deep).ok());
  EXPECT_TRUE(ParseJsonObject(R"({"a":1})").ok());
}

}  // namespace
}  // namespace connectplane::common
