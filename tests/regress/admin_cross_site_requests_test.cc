// A hostile-input probe drove the admin API (no --admin-token, the default)
// the way any web page can make the user's browser do it: "simple" cross-site
// POSTs (text/plain, form-encoded, no content type) with Origin
// http://evil.example were executed (a fault injected, a new access key added to
// a tenant, a tenant's secret replaced, everything reset), and a GET with Host
// evil.example (DNS rebinding) got the state dump. The console could be framed
// by any site. Each of those requests is sent here through the dispatcher, as
// the server receives it, and must be refused with nothing changed; the
// console's own same-origin JSON calls keep working.
#include "common/http_message.h"
#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "boost/json.hpp"
#include "fakes/dispatcher_harness.h"
#include "fakes/dms_seed.h"
#include <string>

namespace connectplane::regress {
namespace {

constexpr char kEvilOrigin[] = "http://evil.example";

class AdminCrossSiteRequestsTest : public ::testing::Test {
 protected:
  // A request as a browser on the user's machine sends it to the server at
  // 127.0.0.1:8080 from a page of `origin` ("" = none).
  common::HttpResponse Browser(std::string method, std::string route, std::string body,
                               std::string content_type, std::string origin = kEvilOrigin,
                               std::string host = "127.0.0.1:8080") {
    common::HttpRequest request;
    request.method = std::move(method);
    request.target = "/_connectplane/" + std::move(route);
    request.body = std::move(body);
    request.remote_address = "127.0.0.1:51000";
    request.headers.emplace_back("Host", std::move(host));
    if (!origin.empty()) {
      request.headers.emplace_back("Origin", origin);
      request.headers.emplace_back("Referer", origin + "/x");
    }
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    return wired_.dispatcher.Handle(request);
  }

  std::string Faults() { return Browser("GET", "faults", "", "", /*origin=*/"").body; }

  // A signed ListInstances of the demo project, after the credential cache
  // has expired (so a replaced secret would show).
  int ListInstancesAs(const char* access_key, const char* secret_key) {
    wired_.dms.services.clock.Advance(absl::Seconds(10));
    testing::DmsCredential key{access_key, secret_key, testing::kProject};
    return wired_.dms.Call(key, "GET", std::string("/v2/") + testing::kProject + "/instances")
        .status;
  }

  testing::DispatcherHarness wired_;
};

TEST_F(AdminCrossSiteRequestsTest, TextPlainFaultFromAForeignPageIsRefused) {
  const std::string before = Faults();
  common::HttpResponse response =
      Browser("POST", "faults",
              R"({"kind":"api","dialect":"dms","operation":"ShowInstance","count":1000,
                  "http_status":503,"error_code":"DMS.00500000"})",
              "text/plain");
  EXPECT_EQ(response.status, 403) << response.body;
  EXPECT_NE(response.body.find("cross-origin"), std::string::npos) << response.body;
  EXPECT_EQ(Faults(), before);
  EXPECT_EQ(ListInstancesAs(testing::kAk, testing::kSk), 200);
}

TEST_F(AdminCrossSiteRequestsTest, SeedFromAForeignPageAddsNoKeyAndReplacesNoSecret) {
  const std::string before = wired_.dms.DumpEverything();
  common::HttpResponse added =
      Browser("POST", "seed",
              std::string(R"({"huawei":{"credentials":[{"access_key":"EVILAK00000000000001",
                      "secret_key":"evilsecret","project_id":")") +
                  testing::kProject + R"("}]}})",
              "text/plain");
  EXPECT_EQ(added.status, 403) << added.body;
  common::HttpResponse replaced =
      Browser("POST", "seed",
              std::string(R"({"huawei":{"credentials":[{"access_key":")") + testing::kAk +
                  R"(","secret_key":"hijacked","project_id":")" + testing::kProject + R"("}]}})",
              "application/x-www-form-urlencoded");
  EXPECT_EQ(replaced.status, 403) << replaced.body;
  EXPECT_EQ(wired_.dms.DumpEverything(), before);
  EXPECT_EQ(ListInstancesAs("EVILAK00000000000001", "evilsecret"), 401);
  EXPECT_EQ(ListInstancesAs(testing::kAk, "hijacked"), 401);
  EXPECT_EQ(ListInstancesAs(testing::kAk, testing::kSk), 200);
}

TEST_F(AdminCrossSiteRequestsTest, ResetWithoutAContentTypeResetsNothing) {
  ASSERT_EQ(Browser("POST", "faults", R"({"kind":"job","job_type":"kafka.enable_connector"})",
                    "application/json", /*origin=*/"")
                .status,
            201);
  const std::string rows_before = wired_.dms.DumpEverything();
  const std::string faults_before = Faults();
  // From a foreign page, then with no Origin at all (what an old browser or a
  // script sends): the first is cross-origin, neither declares JSON.
  EXPECT_EQ(Browser("POST", "reset", "{}", "").status, 403);
  common::HttpResponse bare = Browser("POST", "reset", "{}", "", /*origin=*/"");
  EXPECT_EQ(bare.status, 415) << bare.body;
  EXPECT_NE(bare.body.find("Content-Type: application/json"), std::string::npos) << bare.body;
  EXPECT_EQ(wired_.dms.DumpEverything(), rows_before);
  EXPECT_EQ(Faults(), faults_before);
}

TEST_F(AdminCrossSiteRequestsTest, DnsRebindingCannotReadTheState) {
  // After rebinding, evil.example resolves to 127.0.0.1: the page's own GET
  // is same-origin for the browser (no Origin header), but its Host is the
  // page's name.
  for (const char* route : {"state", "audit", "faults", "timing", "console/"}) {
    SCOPED_TRACE(route);
    common::HttpResponse response =
        Browser("GET", route, "", "", /*origin=*/"", /*host=*/"evil.example:8080");
    EXPECT_EQ(response.status, 403) << response.body;
    EXPECT_EQ(response.body.find("kafka_instances"), std::string::npos);
  }
  EXPECT_EQ(Browser("GET", "state", "", "", "", "localhost:8080").status, 200);
}

TEST_F(AdminCrossSiteRequestsTest, TheConsoleCannotBeFramed) {
  common::HttpResponse page = Browser("GET", "console/", "", "", /*origin=*/"");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("X-Frame-Options").value_or(""), "DENY");
  EXPECT_NE(std::string(page.Header("Content-Security-Policy").value_or(""))
                .find("frame-ancestors 'none'"),
            std::string::npos);
}

TEST_F(AdminCrossSiteRequestsTest, TheConsolesOwnCallsStillWork) {
  // What the console page sends: same-origin, JSON, with its Origin.
  const std::string own_origin = "http://127.0.0.1:8080";
  common::HttpResponse timing =
      Browser("PUT", "timing", R"({"job_type":"kafka.disable_connector","mode":"seconds",
                                   "seconds":7})",
              "application/json", own_origin);
  EXPECT_EQ(timing.status, 200) << timing.body;
  common::HttpResponse fault =
      Browser("POST", "faults", R"({"kind":"job","count":1})", "application/json", own_origin);
  ASSERT_EQ(fault.status, 201) << fault.body;
  const std::string id(boost::json::parse(fault.body).at("id").as_string());
  EXPECT_EQ(Browser("DELETE", "faults/" + id, "", "", own_origin).status, 200);
  EXPECT_EQ(Browser("POST", "reset", "{}", "application/json", own_origin).status, 200);
}

}  // namespace
}  // namespace connectplane::regress
