// The request stages every dialect's requests pass through: an API fault rule
// answers instead of the handler (in the dialect's shape, via the Status it
// carries), and a mutation's idempotency key replays the first answer.
#include "api/stages/request_stages.h"

#include "common/status.h"
#include "service/emulator_controls.h"
#include "service/idempotency.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include <chrono>
#include <string>

namespace connectplane::api::stages {
namespace {

constexpr Operation kCreate{"zenlayer", "CreatePrivateConnect", "acct-1", /*mutating=*/true};
constexpr Operation kDescribe{"zenlayer", "DescribePrivateConnects", "acct-1", false};

class RequestStagesTest : public ::testing::Test {
 protected:
  common::HttpRequest Request(std::string body, std::string key = "") {
    common::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v2/sdn";
    request.body = std::move(body);
    if (!key.empty()) {
      request.headers.emplace_back("Idempotency-Key", std::move(key));
    }
    return request;
  }

  // Runs `operation` with a handler that counts its calls and answers with it.
  absl::StatusOr<Reply> Run(const Operation& operation, const common::HttpRequest& request) {
    return stages_.Run(
        operation, request,
        [&]() -> absl::StatusOr<Reply> {
          ++handled_;
          return Reply{200, "answer " + std::to_string(handled_)};
        },
        &send_delay_);
  }

  testing::FakeClock clock_;
  std::unique_ptr<store::SqliteStore> store_ = store::SqliteStore::Open(":memory:").value();
  service::EmulatorControls faults_{7};
  service::IdempotencyService idempotency_{*store_, clock_};
  RequestStages stages_{faults_, idempotency_};
  int handled_ = 0;
  std::chrono::milliseconds send_delay_{-1};
};

TEST_F(RequestStagesTest, AFaultRuleAnswersInsteadOfTheHandler) {
  service::ApiFaultRule rule;
  rule.dialect = "zenlayer";
  rule.operation = "CreatePrivateConnect";
  rule.http_status = 503;
  rule.error_code = "SERVICE_TEMPORARY_UNAVAILABLE";
  rule.error_message = "try later";
  rule.count = 1;
  ASSERT_TRUE(faults_.AddApiFault(rule).ok());
  EXPECT_TRUE(Run(kDescribe, Request("{}")).ok()) << "another operation is served";
  absl::StatusOr<Reply> faulted = Run(kCreate, Request("{}"));
  ASSERT_FALSE(faulted.ok());
  std::optional<common::InjectedFault> fault = common::InjectedFaultOf(faulted.status());
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->http_status, 503);
  EXPECT_EQ(fault->error_code, "SERVICE_TEMPORARY_UNAVAILABLE");
  EXPECT_EQ(fault->error_message, "try later");
  EXPECT_EQ(handled_, 1);
  EXPECT_TRUE(Run(kCreate, Request("{}")).ok()) << "the rule's one hit is used";
  // A rule of another dialect never fires here.
  rule.dialect = "dms";
  rule.count = -1;
  ASSERT_TRUE(faults_.AddApiFault(rule).ok());
  EXPECT_TRUE(Run(kCreate, Request("{}")).ok());
  EXPECT_FALSE(common::InjectedFaultOf(absl::InternalError("x")).has_value());
}

TEST_F(RequestStagesTest, AnIdempotencyKeyReplaysTheFirstAnswerOfAMutation) {
  absl::StatusOr<Reply> first = Run(kCreate, Request(R"({"a":1})", "k1"));
  absl::StatusOr<Reply> retry = Run(kCreate, Request(R"({"a":1})", "k1"));
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(retry->body, first->body);
  EXPECT_EQ(handled_, 1);
  // The same key with another request is refused; another key runs.
  EXPECT_EQ(common::ReasonOf(Run(kCreate, Request(R"({"a":2})", "k1")).status()),
            service::kReasonIdempotencyKeyReused);
  EXPECT_TRUE(Run(kCreate, Request(R"({"a":2})", "k2")).ok());
  EXPECT_EQ(handled_, 2);
  // The key is scoped by the operation too: another action on the same path
  // with the same body is another request.
  const Operation other_action{"zenlayer", "DeletePrivateConnect", "acct-1", true};
  EXPECT_EQ(common::ReasonOf(Run(other_action, Request(R"({"a":1})", "k1")).status()),
            service::kReasonIdempotencyKeyReused);
}

TEST_F(RequestStagesTest, ReadsAndRequestsWithoutAKeyAlwaysRun) {
  EXPECT_TRUE(Run(kDescribe, Request("{}", "k1")).ok());
  EXPECT_TRUE(Run(kDescribe, Request("{}", "k1")).ok());
  EXPECT_TRUE(Run(kCreate, Request("{}")).ok());
  EXPECT_TRUE(Run(kCreate, Request("{}")).ok());
  EXPECT_EQ(handled_, 4);
}

TEST_F(RequestStagesTest, AFailedMutationReleasesItsKeyAndAnOverlongKeyIsRefused) {
  absl::StatusOr<Reply> failed =
      stages_.Run(kCreate, Request("{}", "k1"),
                  []() -> absl::StatusOr<Reply> { return absl::InvalidArgumentError("bad"); },
                  &send_delay_);
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(Run(kCreate, Request("{}", "k1")).ok()) << "a corrected retry runs";
  EXPECT_EQ(handled_, 1);
  EXPECT_EQ(common::ReasonOf(Run(kCreate, Request("{}", std::string(129, 'k'))).status()),
            kReasonIdempotencyKeyTooLong);
  EXPECT_EQ(handled_, 1);
}

TEST_F(RequestStagesTest, ALatencyRuleIsHandedToTheTransportNotSlept) {
  service::ApiFaultRule rule;
  rule.dialect = "zenlayer";
  rule.operation = "DescribePrivateConnects";
  rule.latency = absl::Seconds(30);
  rule.count = 1;
  ASSERT_TRUE(faults_.AddApiFault(rule).ok());
  // A stage that slept would hold this call for 30 s (and, in the server, an
  // I/O thread with it); the delay comes back as a value instead.
  absl::StatusOr<Reply> slow = Run(kDescribe, Request("{}"));
  ASSERT_TRUE(slow.ok()) << slow.status();
  EXPECT_EQ(handled_, 1) << "latency only: the handler answers";
  EXPECT_EQ(send_delay_, std::chrono::seconds(30));
  ASSERT_TRUE(Run(kDescribe, Request("{}")).ok());
  EXPECT_EQ(send_delay_, std::chrono::milliseconds(0)) << "the rule's one hit is used";
}

}  // namespace
}  // namespace connectplane::api::stages
