// Regression tests for what a hostile-input probe found in http::Server, over
// raw sockets: mis-framed requests (RFC 9112) were answered and the bytes after
// them read as a new request; one address holding idle connections locked
// every other client out; half-sent large bodies were buffered whole, so
// memory grew with the number of connections. Only ServerOptions defaults and
// long-standing fields are used, so the tests also run against the old server.
#include "common/http_message.h"
#include "http/server.h"

#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "fakes/raw_http_client.h"
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::http {
namespace {

namespace bhttp = boost::beast::http;
using testing::RawClient;

// Answers 200 "<method> <target> <body size>".
RequestHandler CountingHandler(std::atomic<int>& calls) {
  return [&calls](common::HttpRequest& request) {
    calls.fetch_add(1);
    common::HttpResponse response;
    response.body =
        request.method + " " + request.target + " " + std::to_string(request.body.size());
    return response;
  };
}

class HostileClientsTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    server_ = std::make_unique<Server>(std::move(options), CountingHandler(handler_calls_));
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  std::unique_ptr<Server> server_;
  std::atomic<int> handler_calls_{0};
};

// Everything the server sends before it closes: the first status line and
// how many responses there were.
struct Answer {
  bool closed = false;
  std::string first_status_line;
  int responses = 0;
};

Answer SendAndReadToClose(uint16_t port, std::string_view raw) {
  RawClient client(port);
  client.Send(raw);
  std::optional<std::string> all = client.ReadToClose();
  Answer answer;
  if (!all) {
    return answer;
  }
  answer.closed = true;
  answer.first_status_line = all->substr(0, all->find("\r\n"));
  for (size_t at = all->find("HTTP/1."); at != std::string::npos;
       at = all->find("HTTP/1.", at + 1)) {
    ++answer.responses;
  }
  return answer;
}

TEST_F(HostileClientsTest, TransferEncodingNotEndingInChunkedGets400AndTheRestIsNoRequest) {
  StartServer();
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string requests[] = {
      "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n" + smuggled,
      "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\nContent-Length: 3\r\n\r\nabc" +
          smuggled,
      "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n" + smuggled,
  };
  for (const std::string& raw : requests) {
    SCOPED_TRACE(raw);

    Answer answer = SendAndReadToClose(server_->port(), raw);

    EXPECT_TRUE(answer.closed);
    EXPECT_EQ(answer.first_status_line, "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(answer.responses, 1);
  }
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_F(HostileClientsTest, ContentLengthTogetherWithChunkedGets400) {
  StartServer();

  Answer answer = SendAndReadToClose(
      server_->port(),
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_TRUE(answer.closed);
  EXPECT_EQ(answer.first_status_line, "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(answer.responses, 1);
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_F(HostileClientsTest, Http11WithoutHostOrWithTwoGets400AndClose) {
  StartServer();
  const std::string_view requests[] = {
      "GET /healthz HTTP/1.1\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
  };
  for (std::string_view raw : requests) {
    SCOPED_TRACE(raw);
    RawClient client(server_->port());

    std::optional<RawClient::Response> response = client.Exchange(raw);

    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result_int(), 400);
    EXPECT_EQ((*response)[bhttp::field::connection], "close");
    EXPECT_TRUE(client.ClosedWithin(std::chrono::seconds(10)));
  }
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_F(HostileClientsTest, OneAddressHoldingConnectionsDoesNotLockOutAnother) {
  ServerOptions options;
  options.max_connections = 20;  // by default one address may hold a tenth: 2
  StartServer(options);
  // The attacker opens as many keep-alive connections as the cap and proves
  // each one it holds with a served request; the others are closed at accept.
  std::vector<std::unique_ptr<RawClient>> attacker;
  int held = 0;
  for (int conn_idx = 0; conn_idx < options.max_connections; ++conn_idx) {
    attacker.push_back(std::make_unique<RawClient>(server_->port(), "127.0.0.1"));
    if (attacker.back()->Exchange("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")) {
      ++held;
    }
  }

  RawClient other(server_->port(), "127.0.0.2");
  std::optional<RawClient::Response> response =
      other.Exchange("GET /v2/project/instances HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(held, 2);
  ASSERT_TRUE(response.has_value()) << "a second address was locked out";
  EXPECT_EQ(response->result_int(), 200);
}

TEST_F(HostileClientsTest, HalfSentLargeBodiesBeyondTheBudgetWaitUnreadWhileSmallRequestsPass) {
  ServerOptions options;
  options.threads = 1;  // one body budget: 32 MiB by default, 32 bodies of 1 MiB
  StartServer(options);
  const std::string large_header =
      "POST /upload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " +
      std::to_string(options.max_body_bytes) + "\r\n\r\n";
  // Each attacker's "100 Continue" proves the server has set its body's
  // memory aside; then it sends half of the body and stops.
  std::vector<std::unique_ptr<RawClient>> attackers;
  for (int conn_idx = 0; conn_idx < 32; ++conn_idx) {
    attackers.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(attackers.back()->Send(large_header));
    std::optional<RawClient::Response> interim = attackers.back()->Read();
    ASSERT_TRUE(interim.has_value());
    ASSERT_EQ(interim->result_int(), 100);
    ASSERT_TRUE(attackers.back()->Send(std::string(options.max_body_bytes / 2, 'a')));
  }

  RawClient victim(server_->port());
  ASSERT_TRUE(victim.Send(large_header));
  // The budget is spent until an attacker goes away, so no interim answer
  // can come (the old server sent it at once).
  EXPECT_FALSE(victim.Read(std::chrono::milliseconds(300)).has_value());
  RawClient small(server_->port());
  std::optional<RawClient::Response> small_answer =
      small.Exchange("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(small_answer.has_value());
  EXPECT_EQ(small_answer->body(), "POST /small 5");

  attackers.front().reset();  // its reservation returns when the server sees the close
  std::optional<RawClient::Response> interim = victim.Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->result_int(), 100);
  ASSERT_TRUE(victim.Send(std::string(options.max_body_bytes, 'v')));
  std::optional<RawClient::Response> answer = victim.Read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->body(), "POST /upload " + std::to_string(options.max_body_bytes));
}

}  // namespace
}  // namespace connectplane::http
