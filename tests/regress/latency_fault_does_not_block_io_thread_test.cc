// A hostile-input probe found that an API fault rule with a latency slept in
// the request stage, on the I/O thread that read the request: every other
// connection of that thread waited too (/healthz took 2.8-3.7 s). The latency
// is now a timer in the transport, so only the faulted answer is late.
#include "common/http_message.h"
#include "http/dispatcher.h"
#include "http/server.h"
#include "service/emulator_controls.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "fakes/dispatcher_harness.h"
#include "fakes/dms_seed.h"
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace connectplane::regress {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using WireResponse = bhttp::response<bhttp::string_body>;

// Deadline for anything the test waits on; generous because it only bounds a bug.
constexpr auto kTestDeadline = std::chrono::seconds(30);
constexpr auto kInjectedLatency = std::chrono::seconds(4);

// The wire form of a request built (and signed) by the harness.
std::string Serialize(const common::HttpRequest& request) {
  std::string raw = request.method + " " + request.target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request.headers) {
    raw += name + ": " + value + "\r\n";
  }
  raw += "Content-Length: " + std::to_string(request.body.size()) + "\r\n\r\n" + request.body;
  return raw;
}

class LatencyFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.threads = 1;  // every connection shares the one I/O thread
    server_ = std::make_unique<http::Server>(options, [this](common::HttpRequest& request) {
      handled_.fetch_add(1);
      return wired_.dispatcher.Handle(request);
    });
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override { server_->Stop(); }

  tcp::socket Connect() {
    tcp::socket socket(io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return socket;
  }

  testing::DispatcherHarness wired_;
  std::atomic<int> handled_{0};
  std::unique_ptr<http::Server> server_;
  asio::io_context io_;
};

TEST_F(LatencyFaultTest, OtherConnectionsOfTheThreadAreServedWhileTheAnswerWaits) {
  service::ApiFaultRule rule;
  rule.dialect = "dms";
  rule.operation = "ShowInstance";
  rule.latency = absl::FromChrono(kInjectedLatency);
  rule.count = 1;
  ASSERT_TRUE(wired_.dms.services.controls.AddApiFault(rule).ok());

  tcp::socket slow = Connect();
  const std::string show = Serialize(
      wired_.dms.Signed(testing::kCredential, "GET", testing::InstancePath()));
  const auto sent_at = std::chrono::steady_clock::now();
  asio::write(slow, asio::buffer(show));
  // Wait until the handler has the faulted request, so /healthz comes second.
  const auto deadline = sent_at + kTestDeadline;
  while (handled_.load() < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(handled_.load(), 1);

  tcp::socket health = Connect();
  const std::string probe = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  asio::write(health, asio::buffer(probe));
  beast::flat_buffer health_buffer;
  WireResponse health_answer;
  bhttp::read(health, health_buffer, health_answer);
  EXPECT_EQ(health_answer.result_int(), 200);
  // The faulted answer is still being held back: nothing to read yet. (A
  // stage that slept would have written it before /healthz was even read.)
  EXPECT_EQ(slow.available(), 0u) << "the delayed answer came before /healthz";

  beast::flat_buffer slow_buffer;
  WireResponse slow_answer;
  bhttp::read(slow, slow_buffer, slow_answer);
  EXPECT_EQ(slow_answer.result_int(), 200) << slow_answer.body();
  EXPECT_GE(std::chrono::steady_clock::now() - sent_at, kInjectedLatency);
  EXPECT_NE(slow_answer.body().find(testing::kInstance), std::string::npos);
}

}  // namespace
}  // namespace connectplane::regress
