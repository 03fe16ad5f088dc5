// A hostile-input probe found that /healthz and the web console answered 200
// to a request the transport had refused as too large (header over the limit:
// 431; body over the limit: 413), while every other path answered the
// rejection. Every path answers it now, and closes (the server does that).
#include "common/http_message.h"
#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include "fakes/dispatcher_harness.h"
#include <string>

namespace connectplane::regress {
namespace {

class OversizeRequestTest : public ::testing::Test {
 protected:
  common::HttpResponse Rejected(std::string target, int status) {
    common::HttpRequest request;
    request.method = "GET";
    request.target = std::move(target);
    request.remote_address = "127.0.0.1:40000";
    request.transport_rejection = status;
    return dispatcher_.Handle(request);
  }

  testing::DispatcherHarness wired_;
  http::Dispatcher& dispatcher_ = wired_.dispatcher;
};

TEST_F(OversizeRequestTest, HealthAndConsoleAnswerTheRejectionLikeEveryOtherPath) {
  for (int status : {413, 431}) {
    for (const char* target : {"/healthz", "/_connectplane/console/", "/_connectplane/console",
                               "/_connectplane/console/index.html", "/_connectplane/state",
                               "/metrics", "/v2/x/instances", "/api/v2/sdn", "/nowhere"}) {
      SCOPED_TRACE(::testing::Message() << status << " " << target);
      common::HttpResponse response = Rejected(target, status);
      EXPECT_EQ(response.status, status) << response.body;
      EXPECT_EQ(response.body.find("\"ok\""), std::string::npos) << response.body;
    }
  }
  // Without a rejection both still serve.
  common::HttpRequest health;
  health.method = "GET";
  health.target = "/healthz";
  EXPECT_EQ(dispatcher_.Handle(health).status, 200);
}

}  // namespace
}  // namespace connectplane::regress
