// Slow-client (slowloris) protection of http::Server: a client that keeps a
// request alive by trickling bytes must be cut off by request_read_timeout,
// which covers the whole request and is not re-armed by each byte. The other
// limits (413, 431, idle keep-alive, max connections) are in server_test.cc.
// These tests need real time: the attack is bytes spaced out in time, so the
// client side paces itself with a bounded number of short sleeps.
#include "common/http_message.h"
#include "http/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "absl/time/time.h"
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace connectplane::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kByteInterval = std::chrono::milliseconds(100);
constexpr absl::Duration kReadTimeout = absl::Milliseconds(400);
// The trickle would take 8 s to finish the header; the server must give up long before.
constexpr size_t kTrickleBytes = 80;
constexpr auto kMustCloseWithin = std::chrono::seconds(3);

class SlowClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.request_read_timeout = kReadTimeout;
    server_ = std::make_unique<Server>(options, [this](common::HttpRequest&) {
      handler_calls_.fetch_add(1);
      common::HttpResponse response;
      response.body = "ok";
      return response;
    });
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  // Sends `prefix` at once, then one byte of `trickle` every 100 ms until the
  // server closes the connection or the bytes run out. Returns how long after
  // the first byte the server closed, or nullopt if it never did.
  std::optional<Clock::duration> TrickleUntilClosed(std::string_view prefix,
                                                    std::string_view trickle) {
    tcp::socket socket(io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    const Clock::time_point start = Clock::now();
    std::atomic<bool> closed{false};
    std::atomic<int64_t> closed_after_ms{-1};  // stays -1 if we gave up first
    // The server sends nothing before closing, so a blocking read ends exactly
    // when it closes (EOF or reset).
    std::thread reader([&] {
      char byte;
      boost::system::error_code ec;
      socket.read_some(asio::buffer(&byte, 1), ec);
      closed_after_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
      closed = true;
    });
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(prefix.data(), prefix.size()), ec);
    for (size_t byte_idx = 0; byte_idx < trickle.size() && !closed && !ec; ++byte_idx) {
      std::this_thread::sleep_for(kByteInterval);
      asio::write(socket, asio::buffer(&trickle[byte_idx], 1), ec);
    }
    if (!closed) {
      // Out of bytes and still open: stop waiting (the test then fails).
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
    reader.join();
    const std::chrono::milliseconds closed_after(closed_after_ms.load());
    if (closed_after < std::chrono::milliseconds(0) || closed_after >= kMustCloseWithin) {
      return std::nullopt;
    }
    return closed_after;
  }

  asio::io_context io_;
  std::unique_ptr<Server> server_;
  std::atomic<int> handler_calls_{0};
};

TEST_F(SlowClientTest, HeaderSentOneBytePer100msIsClosedByReadTimeout) {
  const std::string trickle = "X-Slow: " + std::string(kTrickleBytes, 'a') + "\r\n\r\n";
  auto closed_after = TrickleUntilClosed("GET / HTTP/1.1\r\nHost: h\r\n", trickle);
  ASSERT_TRUE(closed_after.has_value()) << "server kept a trickling client open";
  EXPECT_GE(*closed_after,
            absl::ToChronoMilliseconds(kReadTimeout) - std::chrono::milliseconds(50));
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_F(SlowClientTest, FirstLineSentOneBytePer100msIsClosedByReadTimeout) {
  const std::string trickle = "GET /" + std::string(kTrickleBytes, 'p') + " HTTP/1.1\r\n\r\n";
  auto closed_after = TrickleUntilClosed("", trickle);
  ASSERT_TRUE(closed_after.has_value()) << "server kept a trickling client open";
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_F(SlowClientTest, BodySentOneBytePer100msIsClosedByReadTimeout) {
  const std::string header =
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(kTrickleBytes) + "\r\n\r\n";
  auto closed_after = TrickleUntilClosed(header, std::string(kTrickleBytes, 'b'));
  ASSERT_TRUE(closed_after.has_value()) << "server kept a trickling client open";
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_F(SlowClientTest, ServerStillServesOthersWhileATrickleIsCutOff) {
  std::thread attacker(
      [this] { (void)TrickleUntilClosed("GET / HTTP/1.1\r\n", std::string(kTrickleBytes, 'h')); });
  tcp::socket socket(io_);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  const std::string request = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  std::string answer;
  boost::system::error_code ec;
  char chunk[512];
  while (!ec) {
    const size_t got = socket.read_some(asio::buffer(chunk), ec);
    answer.append(chunk, got);
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  attacker.join();
}

}  // namespace
}  // namespace connectplane::http
