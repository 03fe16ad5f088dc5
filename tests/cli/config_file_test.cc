#include "cli/config_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace connectplane::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ConfigFileTest, ParsesScalarsArraysSectionsAndComments) {
  absl::StatusOr<std::vector<ConfigEntry>> entries = ParseConfigText(
      "# leading comment\n"
      "listen = \"127.0.0.1:9000\"   # trailing comment\n"
      "\n"
      "threads=4\n"
      "token = \"a#b \\\"q\\\" \\\\ end\"\n"
      "job-seconds = [\"0\", \"kafka.enable_connector=5\" ,bare]\n"
      "empty = []\n"
      "[serve]\n"
      "  sync = normal\n");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[0].key, "listen");
  EXPECT_THAT((*entries)[0].values, ElementsAre("127.0.0.1:9000"));
  EXPECT_EQ((*entries)[0].line, 2);
  EXPECT_THAT((*entries)[1].values, ElementsAre("4"));
  EXPECT_THAT((*entries)[2].values, ElementsAre("a#b \"q\" \\ end"));
  EXPECT_THAT((*entries)[3].values, ElementsAre("0", "kafka.enable_connector=5", "bare"));
  EXPECT_TRUE((*entries)[4].values.empty());
  EXPECT_EQ((*entries)[5].section, "serve");
  EXPECT_EQ((*entries)[5].key, "sync");
  EXPECT_EQ((*entries)[0].section, "");
}

TEST(ConfigFileTest, RefusesMalformedLinesNamingTheLine) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"listen\n", "line 1: expected key = value"},
      {"ok = 1\nlisten = \"open\n", "line 2: unterminated string"},
      {"a = [\"x\", \"y\"\n", "line 1: unterminated array"},
      {"a = \"x\" y\n", "line 1: unexpected text after the value"},
      {"a = \n", "line 1: missing value"},
      {"[serve\n", "line 1: bad section header"},
      {"a = \"\\q\"\n", "line 1: unknown escape"},
      {"= 1\n", "line 1: expected key = value"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<std::vector<ConfigEntry>> entries = ParseConfigText(c.text);
    ASSERT_FALSE(entries.ok()) << c.text;
    EXPECT_THAT(std::string(entries.status().message()), HasSubstr(c.message)) << c.text;
  }
}

TEST(ConfigFileTest, QuotesWhatWouldNotReadBackBare) {
  EXPECT_EQ(QuoteConfigValue("8080"), "8080");
  EXPECT_EQ(QuoteConfigValue("0.5"), "0.5");
  EXPECT_EQ(QuoteConfigValue("true"), "true");
  EXPECT_EQ(QuoteConfigValue("text"), "\"text\"");
  EXPECT_EQ(QuoteConfigValue(""), "\"\"");
  EXPECT_EQ(QuoteConfigValue("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  // Round trip through the parser.
  for (const std::string value : {"plain", "with # hash", "q\"uote", "back\\slash", "12"}) {
    absl::StatusOr<std::vector<ConfigEntry>> entries =
        ParseConfigText("k = " + QuoteConfigValue(value) + "\n");
    ASSERT_TRUE(entries.ok()) << value;
    EXPECT_THAT((*entries)[0].values, ElementsAre(value));
  }
}

TEST(ConfigFileTest, MissingFileIsNamed) {
  absl::StatusOr<std::vector<ConfigEntry>> entries = ReadConfigFile("/nonexistent/cp.toml");
  ASSERT_FALSE(entries.ok());
  EXPECT_THAT(std::string(entries.status().message()),
              HasSubstr("cannot read config file /nonexistent/cp.toml"));
}

}  // namespace
}  // namespace connectplane::cli
