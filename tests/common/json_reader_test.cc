#include "common/json_reader.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace connectplane::common {
namespace {

constexpr std::string_view kReasonTest = "TEST_FIELD";

// Records the problem in the message, so tests see exactly what the reader
// reported: "<problem> <path> [<object_path>|<key>] <expected>".
absl::Status RecordingErrors(const JsonFieldError& error) {
  constexpr std::string_view kNames[] = {"unknown", "type", "missing", "range", "allowed", "long"};
  return InvalidArgument(kReasonTest,
                         StrCat(kNames[static_cast<int>(error.problem)], " ", error.path, " [",
                                error.object_path, "|", error.key, "] ", error.expected));
}

class JsonReaderTest : public ::testing::Test {
 protected:
  JsonReader Read(std::string_view json) {
    auto parsed = ParseJsonObject(json);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    document_ = std::move(*parsed);
    return JsonReader(document_, "", &RecordingErrors);
  }
  static std::string Message(const absl::Status& status) { return std::string(status.message()); }

  boost::json::object document_;
};

TEST_F(JsonReaderTest, ReadsTypedMembersAndTreatsNullAsAbsent) {
  JsonReader reader = Read(R"({"s":"x","i":3,"b":true,"d":1.5,"n":null,"e":""})");
  EXPECT_EQ(*reader.String("s"), std::optional<std::string>("x"));
  EXPECT_EQ(*reader.Int("i"), std::optional<int64_t>(3));
  EXPECT_EQ(*reader.Bool("b"), std::optional<bool>(true));
  EXPECT_EQ(*reader.Number("d", 0, 2), std::optional<double>(1.5));
  EXPECT_EQ(*reader.Number("i", 0, 5), std::optional<double>(3));
  EXPECT_EQ(*reader.String("n"), std::nullopt);
  EXPECT_EQ(*reader.String("missing"), std::nullopt);
  EXPECT_FALSE(reader.Has("n"));
  EXPECT_TRUE(reader.Has("e"));
  EXPECT_EQ(*reader.String("e"), std::optional<std::string>(""));
  EXPECT_EQ(*reader.String("e", {.empty_is_absent = true}), std::nullopt);
}

TEST_F(JsonReaderTest, ReportsEachProblemWithThePathOfTheMember) {
  JsonReader reader = Read(
      R"({"s":"x","i":3,"big":18446744073709551615,"long":"abcdef","list":["a",""],
          "nested":{"deep":{"v":1}},"objects":[{"k":1},2]})");
  struct Case {
    absl::Status status;
    std::string expected;
  } cases[] = {
      {reader.Int("s").status(), "type s [|s] an integer"},
      {reader.String("i").status(), "type i [|i] a string"},
      {reader.Bool("s").status(), "type s [|s] a boolean"},
      {reader.Int("i", 4, 9).status(), "range i [|i] between 4 and 9"},
      {reader.Int("big").status(), "range big [|big] a 64-bit integer"},
      {reader.RequiredString("absent").status(), "missing absent [|absent] a string"},
      {reader.RequiredInt("absent").status(), "missing absent [|absent] an integer"},
      {reader.String("long", {.max_length = 3}).status(), "long long [|long] at most 3 characters"},
      {reader.Enum("s", {"y", "z"}).status(), "allowed s [|s] one of y, z"},
      {reader.StringList("list", {.allow_empty = false}).status(),
       "type list[1] [|list[1]] a non-empty string"},
      {reader.StringList("list", {}, 1).status(), "long list [|list] at most 1 entries"},
      {reader.ObjectList("objects").status(), "type objects[1] [|objects[1]] an object"},
      {reader.CheckKnown({"s", "i"}), "unknown big [|big] "},
  };
  for (const Case& test_case : cases) {
    EXPECT_EQ(ReasonOf(test_case.status), kReasonTest) << test_case.expected;
    EXPECT_EQ(Message(test_case.status), test_case.expected);
  }
  // Nested readers extend the path; the error names the nested member.
  auto nested = reader.RequiredObject("nested");
  ASSERT_TRUE(nested.ok());
  auto deep = nested->RequiredObject("deep");
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->path(), "nested.deep");
  EXPECT_EQ(Message(deep->String("v").status()), "type nested.deep.v [nested.deep|v] a string");
  EXPECT_EQ(Message(deep->CheckKnown({"w"})), "unknown nested.deep.v [nested.deep|v] ");
  auto objects = Read(R"({"objects":[{"k":1},{"k":"x"}]})").ObjectList("objects");
  ASSERT_TRUE(objects.ok());
  ASSERT_EQ(objects->size(), 2u);
  EXPECT_EQ(Message((*objects)[1].Int("k").status()),
            "type objects[1].k [objects[1]|k] an integer");
}

TEST_F(JsonReaderTest, StringListsDropOrRefuseEmptyEntries) {
  JsonReader reader = Read(R"({"list":["a","","b"],"not_list":"a"})");
  EXPECT_EQ(*reader.StringList("list"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(*reader.StringList("list", {.empty_is_absent = true}),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(reader.StringList("absent")->empty());
  EXPECT_EQ(Message(reader.StringList("not_list").status()),
            "type not_list [|not_list] an array of strings");
}

TEST_F(JsonReaderTest, CheckKnownAcceptsDocumentsWithOnlyKnownKeys) {
  JsonReader reader = Read(R"({"a":1,"b":2})");
  EXPECT_TRUE(reader.CheckKnown({"a", "b", "c"}).ok());
  EXPECT_TRUE(reader.CheckKnown(std::vector<std::string_view>{"a", "b"}).ok());
  EXPECT_FALSE(reader.CheckKnown(std::vector<std::string_view>{"a"}).ok());
}

}  // namespace
}  // namespace connectplane::common
