#include "cli/option_layers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "CLI/CLI.hpp"
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace connectplane::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A command like `connectplane serve` with a few kinds of options.
struct Command {
  CLI::App app{"test"};
  CLI::App* serve = nullptr;
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string sync = "full";
  std::vector<std::string> job_seconds;
  std::string token;

  Command() {
    serve = app.add_subcommand("serve");
    serve->add_option("--listen", listen)->capture_default_str();
    serve->add_option("--threads", threads)->check(CLI::Range(1, 64))->capture_default_str();
    serve->add_option("--sync", sync)
        ->check(CLI::IsMember({"full", "normal"}))
        ->capture_default_str();
    serve->add_option("--job-seconds", job_seconds);
    serve->add_option("--admin-token", token);
    AddConfigOptions(*serve);
  }

  absl::StatusOr<OptionSources> Run(std::vector<std::string> args,
                                    std::map<std::string, std::string> environment) {
    args.insert(args.begin(), "serve");
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    app.parse(args);
    return ApplyEnvironmentAndConfigFile(*serve, [environment](const char* name) -> const char* {
      auto found = environment.find(name);
      return found == environment.end() ? nullptr : found->second.c_str();
    });
  }
};

class OptionLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("option_layers_test_" + std::to_string(::getpid()) + ".toml"))
                .string();
  }
  void TearDown() override { std::remove(path_.c_str()); }
  void WriteConfig(const std::string& text) { std::ofstream(path_) << text; }
  std::string path_;
};

TEST(EnvironmentVariableForTest, UpperCasesAndReplacesDashes) {
  EXPECT_EQ(EnvironmentVariableFor("job-seconds"), "CONNECTPLANE_JOB_SECONDS");
  EXPECT_EQ(EnvironmentVariableFor("db"), "CONNECTPLANE_DB");
}

TEST_F(OptionLayersTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  WriteConfig("listen = \"file:1\"\nthreads = 3\n[serve]\nsync = \"normal\"\n[other]\nx = 1\n");
  Command command;
  absl::StatusOr<OptionSources> sources =
      command.Run({"--config", path_, "--listen", "flag:1"},
                  {{"CONNECTPLANE_LISTEN", "env:1"}, {"CONNECTPLANE_THREADS", "5"}});
  ASSERT_TRUE(sources.ok()) << sources.status();
  EXPECT_EQ(command.listen, "flag:1");
  EXPECT_EQ(command.threads, 5);
  EXPECT_EQ(command.sync, "normal");
  EXPECT_TRUE(command.job_seconds.empty());
  EXPECT_EQ(sources->at("listen"), OptionSource::kFlag);
  EXPECT_EQ(sources->at("threads"), OptionSource::kEnvironment);
  EXPECT_EQ(sources->at("sync"), OptionSource::kConfigFile);
  EXPECT_EQ(sources->at("job-seconds"), OptionSource::kDefault);
}

TEST_F(OptionLayersTest, MultiValueOptionsTakeArraysAndWhitespaceLists) {
  WriteConfig("job_seconds = [\"1\", \"a=2\"]\n");
  Command from_file;
  ASSERT_TRUE(from_file.Run({"--config", path_}, {}).ok());
  EXPECT_THAT(from_file.job_seconds, ElementsAre("1", "a=2"));
  Command from_environment;
  ASSERT_TRUE(from_environment.Run({}, {{"CONNECTPLANE_JOB_SECONDS", " 0  b=3 "}}).ok());
  EXPECT_THAT(from_environment.job_seconds, ElementsAre("0", "b=3"));
}

TEST_F(OptionLayersTest, ConfigFileFromTheEnvironment) {
  WriteConfig("threads = 7\n");
  Command command;
  ASSERT_TRUE(command.Run({}, {{"CONNECTPLANE_CONFIG", path_}}).ok());
  EXPECT_EQ(command.threads, 7);
}

TEST_F(OptionLayersTest, RefusalsNameTheirOrigin) {
  WriteConfig("threads = 99\n");
  Command out_of_range;
  absl::StatusOr<OptionSources> refused = out_of_range.Run({"--config", path_}, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("line 1"));

  Command bad_environment;
  refused = bad_environment.Run({}, {{"CONNECTPLANE_SYNC", "sometimes"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("CONNECTPLANE_SYNC"));

  WriteConfig("listen = \"x\"\nnope = 1\n");
  Command unknown;
  refused = unknown.Run({"--config", path_}, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("line 2: unknown key 'nope'"));
}

TEST_F(OptionLayersTest, RenderShowsSourcesRedactsAndReadsBack) {
  Command command;
  absl::StatusOr<OptionSources> sources =
      command.Run({"--threads", "4", "--job-seconds", "0", "--job-seconds", "x=1"},
                  {{"CONNECTPLANE_ADMIN_TOKEN", "secret#1"}});
  ASSERT_TRUE(sources.ok());
  const std::string text = RenderEffectiveConfig(
      *command.serve, *sources, [](const std::string& name, const std::string& value) {
        return name == "admin-token" ? std::string("<redacted>") : value;
      });
  EXPECT_THAT(text, HasSubstr("listen = \"127.0.0.1:8080\"  # default\n"));
  EXPECT_THAT(text, HasSubstr("threads = 4  # flag\n"));
  EXPECT_THAT(text, HasSubstr("job-seconds = [0, \"x=1\"]  # flag\n"));
  EXPECT_THAT(text,
              HasSubstr("admin-token = \"<redacted>\"  # environment CONNECTPLANE_ADMIN_TOKEN\n"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("secret")));

  WriteConfig(text);
  Command again;
  ASSERT_TRUE(again.Run({"--config", path_}, {}).ok());
  EXPECT_EQ(again.threads, 4);
  EXPECT_THAT(again.job_seconds, ElementsAre("0", "x=1"));
  EXPECT_EQ(again.token, "<redacted>");
}

}  // namespace
}  // namespace connectplane::cli
