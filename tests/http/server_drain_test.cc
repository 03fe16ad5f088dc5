// Server::Drain, the first half of a clean shutdown: idle keep-alive
// connections close at once, a request in progress is answered (with
// Connection: close), and the deadline bounds a request that never ends.
#include "common/http_message.h"
#include "http/server.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "fakes/raw_http_client.h"
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace connectplane::http {
namespace {

using testing::RawClient;

// Answers "done <target>"; a request for /slow waits until Release().
class GateHandler {
 public:
  RequestHandler Handler() {
    return [this](common::HttpRequest& request) {
      if (request.target == "/slow") {
        std::unique_lock<std::mutex> lock(mu_);
        entered_ = true;
        changed_.notify_all();
        changed_.wait_for(lock, std::chrono::seconds(10), [this] { return released_; });
      }
      common::HttpResponse response;
      response.status = 200;
      response.headers.emplace_back("Content-Type", "text/plain");
      response.body = "done " + request.target;
      return response;
    };
  }
  bool WaitEntered() {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [this] { return entered_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool released_ = false;
};

constexpr std::string_view kFast = "GET /fast HTTP/1.1\r\nHost: test\r\n\r\n";
constexpr std::string_view kSlow = "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n";

TEST(ServerDrainTest, AnswersTheRequestInProgressAndClosesIdleConnections) {
  GateHandler gate;
  Server server(ServerOptions{}, gate.Handler());
  ASSERT_TRUE(server.Start().ok());
  RawClient idle(server.port());
  ASSERT_TRUE(idle.Exchange(kFast).has_value());  // now idle between requests
  RawClient busy(server.port());
  ASSERT_TRUE(busy.Send(kSlow));
  ASSERT_TRUE(gate.WaitEntered());

  int left_open = -1;
  std::thread drainer([&] { left_open = server.Drain(absl::Seconds(10)); });
  EXPECT_TRUE(idle.ClosedWithin(std::chrono::seconds(5)));
  gate.Release();
  std::optional<RawClient::Response> answer = busy.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->body(), "done /slow");
  EXPECT_EQ(answer->at(boost::beast::http::field::connection), "close");
  EXPECT_TRUE(busy.ClosedWithin(std::chrono::seconds(5)));
  drainer.join();
  EXPECT_EQ(left_open, 0);
  server.Stop();
}

TEST(ServerDrainTest, DeadlineBoundsARequestThatDoesNotFinish) {
  GateHandler gate;
  Server server(ServerOptions{}, gate.Handler());
  ASSERT_TRUE(server.Start().ok());
  RawClient busy(server.port());
  ASSERT_TRUE(busy.Send(kSlow));
  ASSERT_TRUE(gate.WaitEntered());
  EXPECT_EQ(server.Drain(absl::Milliseconds(200)), 1);
  gate.Release();
  server.Stop();
}

TEST(ServerDrainTest, DrainBeforeStartOrAfterStopIsANoOp) {
  GateHandler gate;
  Server server(ServerOptions{}, gate.Handler());
  EXPECT_EQ(server.Drain(absl::Seconds(1)), 0);
  ASSERT_TRUE(server.Start().ok());
  server.Stop();
  EXPECT_EQ(server.Drain(absl::Seconds(1)), 0);
}

}  // namespace
}  // namespace connectplane::http
