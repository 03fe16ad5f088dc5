// A hostile-input probe added fault rules for operation "NoSuchOp", dialect
// "zz" and job type "no.such", and a timing for job type "x.y": each was
// accepted (201/200), stored, listed, and never fired. A name that no route or
// job handler uses is now refused with the list of the valid ones, and nothing
// is stored.
#include "common/http_message.h"

#include <gtest/gtest.h>

#include "fakes/admin_client.h"
#include "fakes/service_fixture.h"
#include <string>

namespace connectplane::regress {
namespace {

class EmulatorControlsUnknownNamesTest : public ::testing::Test {
 protected:
  // Sends `body` and expects 400 with every one of `mentions` in the message.
  void ExpectRefused(const std::string& method, const std::string& route, const std::string& body,
                     std::initializer_list<const char*> mentions) {
    SCOPED_TRACE(body);
    common::HttpResponse response = admin_.Send(method, "/_connectplane/" + route, body);
    EXPECT_EQ(response.status, 400) << response.body;
    for (const char* mention : mentions) {
      EXPECT_NE(response.body.find(mention), std::string::npos)
          << "expected '" << mention << "' in " << response.body;
    }
  }

  testing::ServiceFixture services_;
  testing::AdminClient admin_{services_};
};

TEST_F(EmulatorControlsUnknownNamesTest, FaultRulesForUnknownNamesAreRefusedWithTheValidOnes) {
  const std::string faults_before = admin_.Send("GET", "/_connectplane/faults", "").body;
  ExpectRefused("POST", "faults",
                R"({"kind":"api","dialect":"dms","operation":"NoSuchOp","http_status":503})",
                {"unknown operation 'NoSuchOp'", "ShowInstance", "CreateConnector"});
  ExpectRefused("POST", "faults",
                R"({"kind":"api","dialect":"zz","operation":"ShowInstance","http_status":503})",
                {"unknown dialect 'zz'", "dms", "zenlayer"});
  // An operation of the other dialect is not one of this dialect's.
  ExpectRefused(
      "POST", "faults",
      R"({"kind":"api","dialect":"zenlayer","operation":"ShowInstance","http_status":503})",
      {"unknown operation 'ShowInstance'", "DescribePrivateConnects"});
  ExpectRefused("POST", "faults", R"({"kind":"api","operation":"NoSuchOp","http_status":503})",
                {"unknown operation 'NoSuchOp'", "ShowInstance", "DescribePorts"});
  ExpectRefused(
      "POST", "faults", R"({"kind":"job","job_type":"no.such"})",
      {"unknown job type 'no.such'", "kafka.enable_connector", "zenlayer.create_private_connect"});
  EXPECT_EQ(admin_.Send("GET", "/_connectplane/faults", "").body, faults_before);

  // The names the route tables and job handlers use are accepted, in any case
  // for operations (rules match them ignoring case), and "*" everywhere.
  for (const char* rule :
       {R"({"kind":"api","dialect":"dms","operation":"ShowInstance","http_status":503})",
        R"({"kind":"api","dialect":"DMS","operation":"showinstance","http_status":503})",
        R"({"kind":"api","dialect":"*","operation":"DestroyPrivateConnect","http_status":503})",
        R"({"kind":"api","dialect":"zenlayer","http_status":503})",
        R"({"kind":"job","job_type":"zenlayer.destroy_private_connect"})", R"({"kind":"job"})"}) {
    SCOPED_TRACE(rule);
    common::HttpResponse added = admin_.Send("POST", "/_connectplane/faults", rule);
    EXPECT_EQ(added.status, 201) << added.body;
  }
}

TEST_F(EmulatorControlsUnknownNamesTest, TimingForAnUnknownJobTypeIsRefusedWithTheValidOnes) {
  const std::string timing_before = admin_.Send("GET", "/_connectplane/timing", "").body;
  ExpectRefused(
      "PUT", "timing", R"({"job_type":"x.y","mode":"seconds","seconds":1})",
      {"unknown job type 'x.y'", "kafka.create_instance", "zenlayer.renew_private_connect"});
  ExpectRefused("PUT", "timing", R"({"job_type":"x.y","mode":"reads","reads":2})",
                {"unknown job type 'x.y'"});
  EXPECT_EQ(admin_.Send("GET", "/_connectplane/timing", "").body, timing_before);
  EXPECT_EQ(admin_
                .Send("PUT", "/_connectplane/timing",
                      R"({"job_type":"kafka.enable_connector","mode":"seconds","seconds":1})")
                .status,
            200);
}

TEST_F(EmulatorControlsUnknownNamesTest, SeedDurationForAnUnknownJobTypeIsRefused) {
  ExpectRefused("POST", "seed", R"({"job_durations_seconds":{"kafka.enable_connectr":1}})",
                {"unknown job type 'kafka.enable_connectr'", "kafka.enable_connector"});
}

}  // namespace
}  // namespace connectplane::regress
