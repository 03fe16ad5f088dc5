// Database internals in client answers, found by the hostile-input probe: a
// PostgreSQL deadlock surfaced through the Zenlayer dialect as 409
// OPERATION_DENIED whose message was the store's error text (the SQL, backend
// process ids, lock ids). Every dialect now answers a status that carries no
// reason (the store's, an internal error) with the fixed message of its code,
// keeping the code, and logs the internal text under the request id.
//
// For every canonical code the store could return, the services' store fails
// with a message made of SQL, driver and file-system text; a mutation and a
// read are sent through each dialect; the answer keeps the code's HTTP status
// and error code, carries the fixed message and none of that text.
#include "common/strings.h"

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "boost/json.hpp"
#include "fakes/dms_harness.h"
#include "fakes/dms_seed.h"
#include "fakes/zenlayer_harness.h"
#include "fakes/zenlayer_seed.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::regress {
namespace {

using connectplane::testing::kCreateBetweenTwoPorts;
using connectplane::testing::kCredential;
using connectplane::testing::kDmsSeed;
using connectplane::testing::kTwoPortAccountKey;
using connectplane::testing::kTwoPortAccountSeed;

// What a PostgreSQL deadlock and a SQLite I/O error look like in a store
// error's message.
constexpr std::string_view kInternalText =
    "postgres: SELECT pg_advisory_xact_lock(hashtextextended($1, 0)): ERROR:  deadlock "
    "detected\nDETAIL:  Process 123 waits for ShareLock on transaction 456; blocked by process "
    "789.\nHINT:  See server log for query details. (SQLSTATE 40P01); executing SQL: "
    "SELECT * FROM zenlayer_ports: disk I/O error (rc=10) /var/lib/connectplane/state.db";
// Pieces of it, none of which may appear in an answer.
constexpr std::string_view kInternalFragments[] = {
    "SELECT", "pg_advisory", "deadlock", "Process 123", "ShareLock", "SQLSTATE",
    "40P01",  "rc=10",       "/var/lib", "state.db",    "postgres",  "zenlayer_ports"};

struct Expected {
  absl::StatusCode code;
  int dms_status;
  std::string_view dms_code;
  std::string_view dms_message;
  int zenlayer_status;
  std::string_view zenlayer_code;
  std::string_view zenlayer_message;
};

constexpr std::string_view kDmsInternal = "Internal service error.";
constexpr std::string_view kZenlayerInternal = "Internal server error.";
constexpr std::string_view kRetry = "Service temporarily unavailable, please retry.";

// Every canonical code but OK; the HTTP statuses and error codes are those the
// dialects answered before (only the messages changed).
constexpr Expected kCases[] = {
    {absl::StatusCode::kCancelled, 500, "DMS.00500000", kDmsInternal, 500, "INTERNAL_SERVER_ERROR",
     kZenlayerInternal},
    {absl::StatusCode::kUnknown, 500, "DMS.00500000", kDmsInternal, 500, "INTERNAL_SERVER_ERROR",
     kZenlayerInternal},
    {absl::StatusCode::kInvalidArgument, 400, "DMS.00400062", "Invalid request parameter.", 400,
     "INVALID_PARAMETER", "The request parameters are invalid."},
    {absl::StatusCode::kDeadlineExceeded, 500, "DMS.00500000", kDmsInternal, 500,
     "INTERNAL_SERVER_ERROR", kZenlayerInternal},
    {absl::StatusCode::kNotFound, 404, "DMS.00404022", "The resource does not exist.", 404,
     "INVALID_RESOURCE_NOT_FOUND", "The resource is not found."},
    {absl::StatusCode::kAlreadyExists, 500, "DMS.00500000", kDmsInternal, 500,
     "INTERNAL_SERVER_ERROR", kZenlayerInternal},
    {absl::StatusCode::kPermissionDenied, 403, "APIGW.0306", "API access denied.", 403,
     "OPERATION_DENIED", "The operation is not permitted."},
    {absl::StatusCode::kResourceExhausted, 500, "DMS.00500000", kDmsInternal, 500,
     "INTERNAL_SERVER_ERROR", kZenlayerInternal},
    {absl::StatusCode::kFailedPrecondition, 400, "DMS.00400026",
     "The instance is busy, please try again later.", 409, "OPERATION_DENIED",
     "The operation conflicts with a concurrent change; please retry."},
    {absl::StatusCode::kAborted, 400, "DMS.00400026",
     "The instance is busy, please try again later.", 409, "OPERATION_DENIED",
     "The operation conflicts with a concurrent change; please retry."},
    {absl::StatusCode::kOutOfRange, 500, "DMS.00500000", kDmsInternal, 500, "INTERNAL_SERVER_ERROR",
     kZenlayerInternal},
    {absl::StatusCode::kUnimplemented, 500, "DMS.00500000", kDmsInternal, 500,
     "INTERNAL_SERVER_ERROR", kZenlayerInternal},
    {absl::StatusCode::kInternal, 500, "DMS.00500000", kDmsInternal, 500, "INTERNAL_SERVER_ERROR",
     kZenlayerInternal},
    {absl::StatusCode::kUnavailable, 503, "DMS.00500000", kRetry, 503,
     "SERVICE_TEMPORARY_UNAVAILABLE", kRetry},
    {absl::StatusCode::kDataLoss, 500, "DMS.00500000", kDmsInternal, 500, "INTERNAL_SERVER_ERROR",
     kZenlayerInternal},
    {absl::StatusCode::kUnauthenticated, 401, "APIGW.0301",
     "Incorrect IAM authentication information.", 401, "AUTH_FAILED", "Authentication failed."},
};

absl::Status StoreError(absl::StatusCode code) {
  return absl::Status(code, common::ToAbsl(kInternalText));
}

void ExpectNoInternalText(std::string_view body) {
  for (std::string_view fragment : kInternalFragments) {
    EXPECT_EQ(body.find(fragment), std::string_view::npos) << fragment << " in " << body;
  }
}

// Captures every log line while alive.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string Text() const { return lines_.str(); }

 private:
  std::ostringstream lines_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(StoreErrorTextInClientAnswerTest, DmsAnswersFixedMessagesForEveryStoreErrorClass) {
  testing::DmsHarness dms{kDmsSeed};
  const std::string show = testing::InstancePath();
  const std::string enable = show + "/connector";
  for (const Expected& expected : kCases) {
    SCOPED_TRACE(absl::StatusCodeToString(expected.code));
    for (bool mutation : {true, false}) {
      SCOPED_TRACE(mutation ? "EnableConnector (write)" : "ShowInstance (read)");
      if (mutation) {
        dms.services.service_store.FailWrites(StoreError(expected.code));
      } else {
        dms.services.service_store.FailReads(StoreError(expected.code));
      }
      LogCapture log;
      testing::DmsAnswer answer = mutation
                                      ? dms.Call(kCredential, "POST", enable, R"({"node_cnt":2})")
                                      : dms.Call(kCredential, "GET", show);
      dms.services.service_store.Heal();
      EXPECT_EQ(answer.status, expected.dms_status);
      EXPECT_EQ(answer.error_code, expected.dms_code);
      EXPECT_EQ(answer.error_msg, expected.dms_message);
      ExpectNoInternalText(answer.raw_body);
      // The operator still learns what happened, under the client's request id.
      const std::string logged = log.Text();
      EXPECT_NE(logged.find(answer.request_id), std::string::npos) << logged;
      EXPECT_NE(logged.find("Process 123 waits for ShareLock"), std::string::npos) << logged;
    }
  }
}

TEST(StoreErrorTextInClientAnswerTest, ZenlayerAnswersFixedMessagesForEveryStoreErrorClass) {
  testing::ZenlayerHarness zenlayer;
  zenlayer.Start(kTwoPortAccountSeed);
  for (const Expected& expected : kCases) {
    SCOPED_TRACE(absl::StatusCodeToString(expected.code));
    for (bool mutation : {true, false}) {
      SCOPED_TRACE(mutation ? "CreatePrivateConnect (write)" : "DescribePrivateConnects (read)");
      if (mutation) {
        zenlayer.services().service_store.FailWrites(StoreError(expected.code));
      } else {
        zenlayer.services().service_store.FailReads(StoreError(expected.code));
      }
      LogCapture log;
      testing::ZenlayerAnswer answer =
          mutation
              ? zenlayer.Call(kTwoPortAccountKey, "CreatePrivateConnect", kCreateBetweenTwoPorts)
              : zenlayer.Call(kTwoPortAccountKey, "DescribePrivateConnects", "{}");
      zenlayer.services().service_store.Heal();
      EXPECT_EQ(answer.status, expected.zenlayer_status);
      EXPECT_EQ(answer.code, expected.zenlayer_code);
      const auto* message = answer.json.if_contains("message");
      ASSERT_TRUE(message != nullptr && message->is_string()) << answer.body;
      EXPECT_EQ(message->as_string(), expected.zenlayer_message);
      ExpectNoInternalText(answer.body);
      const auto* request_id = answer.json.if_contains("requestId");
      ASSERT_TRUE(request_id != nullptr && request_id->is_string()) << answer.body;
      const std::string logged = log.Text();
      EXPECT_NE(logged.find(std::string(request_id->as_string())), std::string::npos) << logged;
      EXPECT_NE(logged.find("Process 123 waits for ShareLock"), std::string::npos) << logged;
    }
  }
}

// A domain refusal keeps its own message: only statuses without a reason are
// replaced.
TEST(StoreErrorTextInClientAnswerTest, DomainRefusalsKeepTheirMessages) {
  testing::ZenlayerHarness zenlayer;
  zenlayer.Start(kTwoPortAccountSeed);
  testing::ZenlayerAnswer answer = zenlayer.Call(kTwoPortAccountKey, "DeletePrivateConnect",
                                                 R"({"privateConnectId":"123456789"})");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(answer.code, "INVALID_PRIVATE_CONNECT_NOT_FOUND");
  EXPECT_EQ(answer.json.at("message").as_string(), "The private connect `123456789` is not found.");
}

}  // namespace
}  // namespace connectplane::regress
