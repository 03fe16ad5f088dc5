#include "http/server.h"

#include "common/http_message.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "fakes/raw_http_client.h"
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace connectplane::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ::testing::ElementsAre;
using ::testing::Pair;
using WireResponse = bhttp::response<bhttp::string_body>;

// Deadline for anything the test waits on; generous because it only bounds a bug.
constexpr auto kTestDeadline = std::chrono::seconds(10);

// Thread-safe record of every request the handler saw.
class RequestLog {
 public:
  void Add(const common::HttpRequest& request) {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
  }
  std::vector<common::HttpRequest> Snapshot() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<common::HttpRequest> requests_;
};

common::HttpResponse MakeResponse(int status, std::string body) {
  common::HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain");
  response.body = std::move(body);
  return response;
}

// Logs the request and answers 200 with "<method> <target> <body>".
RequestHandler EchoHandler(RequestLog& log) {
  return [&log](common::HttpRequest& request) {
    log.Add(request);
    if (request.transport_rejection != 0) {
      common::HttpResponse rejection;
      rejection.status = request.transport_rejection;
      rejection.headers.emplace_back("Content-Type", "application/json");
      rejection.body = R"({"error_code":"DIALECT.REJECT"})";
      return rejection;
    }
    common::HttpResponse response =
        MakeResponse(200, request.method + " " + request.target + " " + request.body);
    response.headers.emplace_back("X-Handler", "yes");
    return response;
  };
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(RequestHandler handler, ServerOptions options = {}) {
    server_ = std::make_unique<Server>(std::move(options), std::move(handler));
    absl::Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status;
    ASSERT_NE(server_->port(), 0);
  }

  tcp::endpoint Endpoint() const {
    return tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port());
  }

  tcp::socket Connect() {
    tcp::socket socket(io_);
    socket.connect(Endpoint());
    return socket;
  }

  asio::io_context io_;
  std::unique_ptr<Server> server_;
};

// Writes `raw` and reads one response.
WireResponse Exchange(tcp::socket& socket, beast::flat_buffer& buffer, std::string_view raw) {
  asio::write(socket, asio::buffer(raw.data(), raw.size()));
  WireResponse response;
  bhttp::read(socket, buffer, response);
  return response;
}

// True when the server has closed the connection: nothing buffered and the
// next read ends in EOF (or a reset, which is also a close).
bool ServerClosed(tcp::socket& socket, beast::flat_buffer& buffer) {
  if (buffer.size() != 0) {
    return false;
  }
  char byte;
  boost::system::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

std::string Header(const WireResponse& response, bhttp::field field) {
  auto it = response.find(field);
  return it == response.end() ? std::string("<absent>") : std::string(it->value());
}

TEST_F(ServerTest, RoundTripPassesRequestAndResponseThrough) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response = Exchange(socket, buffer,
                                   "PUT /things/1?v=2 HTTP/1.1\r\n"
                                   "Host: localhost\r\n"
                                   "X-Custom-Case: one\r\n"
                                   "x-lower: two\r\n"
                                   "Content-Length: 5\r\n"
                                   "\r\n"
                                   "hello");

  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.version(), 11);
  EXPECT_EQ(response.body(), "PUT /things/1?v=2 hello");
  EXPECT_EQ(Header(response, bhttp::field::server), "connectplane");
  EXPECT_EQ(Header(response, bhttp::field::content_length), "23");
  EXPECT_EQ(Header(response, bhttp::field::content_type), "text/plain");
  EXPECT_EQ(response["X-Handler"], "yes");
  EXPECT_EQ(Header(response, bhttp::field::connection), "<absent>");

  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/things/1?v=2");
  EXPECT_EQ(requests[0].body, "hello");
  EXPECT_EQ(requests[0].transport_rejection, 0);
  EXPECT_THAT(requests[0].headers,
              ElementsAre(Pair("Host", "localhost"), Pair("X-Custom-Case", "one"),
                          Pair("x-lower", "two"), Pair("Content-Length", "5")));
  EXPECT_EQ(requests[0].remote_address,
            "127.0.0.1:" + std::to_string(socket.local_endpoint().port()));
}

TEST_F(ServerTest, PreservesRawTarget) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response =
      Exchange(socket, buffer, "GET /a%20b/c+d?x=%2A&y=1 HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(response.result_int(), 200);
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/a%20b/c+d?x=%2A&y=1");
  EXPECT_EQ(requests[0].Path(), "/a%20b/c+d");
  EXPECT_EQ(requests[0].RawQuery(), "x=%2A&y=1");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse first = Exchange(socket, buffer, "GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
  WireResponse second =
      Exchange(socket, buffer, "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");

  EXPECT_EQ(first.body(), "GET /one ");
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(second.body(), "POST /two abc");
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].remote_address, requests[1].remote_address);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;
  const std::string pipelined =
      "POST /first HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n1"
      "GET /second HTTP/1.1\r\nHost: h\r\n\r\n";

  asio::write(socket, asio::buffer(pipelined));
  WireResponse first;
  bhttp::read(socket, buffer, first);
  WireResponse second;
  bhttp::read(socket, buffer, second);

  EXPECT_EQ(first.body(), "POST /first 1");
  EXPECT_EQ(second.body(), "GET /second ");
}

TEST_F(ServerTest, HandlerRunsConcurrentlyOnTwoThreads) {
  std::mutex mu;
  std::condition_variable arrived_cv;
  int arrived = 0;
  // Each call waits until both have arrived: only possible if two I/O threads
  // run the handler at the same time.
  auto handler = [&](common::HttpRequest&) {
    std::unique_lock<std::mutex> lock(mu);
    ++arrived;
    arrived_cv.notify_all();
    const bool together = arrived_cv.wait_for(lock, kTestDeadline, [&] { return arrived >= 2; });
    return MakeResponse(200, together ? "together" : "alone");
  };
  ServerOptions options;
  options.threads = 2;
  StartServer(handler, options);

  std::string bodies[2];
  std::vector<std::thread> clients;
  for (int client_idx = 0; client_idx < 2; ++client_idx) {
    clients.emplace_back([&, client_idx] {
      asio::io_context io;
      tcp::socket socket(io);
      socket.connect(Endpoint());
      beast::flat_buffer buffer;
      bodies[client_idx] = Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n").body();
    });
  }
  for (std::thread& client : clients) {
    client.join();
  }

  EXPECT_EQ(bodies[0], "together");
  EXPECT_EQ(bodies[1], "together");
}

TEST_F(ServerTest, OversizedBodyReachesHandlerAs413ThenCloses) {
  RequestLog log;
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response = Exchange(
      socket, buffer,
      "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'x'));

  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(response.body(), R"({"error_code":"DIALECT.REJECT"})");
  EXPECT_EQ(Header(response, bhttp::field::connection), "close");
  EXPECT_TRUE(ServerClosed(socket, buffer));
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].transport_rejection, 413);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/upload");
  EXPECT_EQ(requests[0].body, "");
  EXPECT_EQ(requests[0].Header("content-length"), "4096");
}

TEST_F(ServerTest, OversizedChunkedBodyReachesHandlerAs413) {
  RequestLog log;
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response =
      Exchange(socket, buffer,
               "POST /chunks HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
                   std::string(0x800, 'y') + "\r\n0\r\n\r\n");

  EXPECT_EQ(response.result_int(), 413);
  EXPECT_TRUE(ServerClosed(socket, buffer));
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].transport_rejection, 413);
  EXPECT_EQ(requests[0].body, "");
}

TEST_F(ServerTest, OversizedHeaderReachesHandlerAs431) {
  RequestLog log;
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response =
      Exchange(socket, buffer,
               "GET /big HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");

  EXPECT_EQ(response.result_int(), 431);
  EXPECT_EQ(response.body(), R"({"error_code":"DIALECT.REJECT"})");
  EXPECT_TRUE(ServerClosed(socket, buffer));
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].transport_rejection, 431);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/big");
}

TEST_F(ServerTest, HeaderLimitCoversRequestLineAndFieldsTogether) {
  RequestLog log;
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  // Each part alone is under the limit; together they are over it.
  WireResponse response = Exchange(socket, buffer,
                                   "GET /" + std::string(600, 'p') +
                                       " HTTP/1.1\r\nX-Big: " + std::string(600, 'a') + "\r\n\r\n");

  EXPECT_EQ(response.result_int(), 431);
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].transport_rejection, 431);
  EXPECT_EQ(requests[0].target, "/" + std::string(600, 'p'));
}

TEST_F(ServerTest, OversizedRequestLineGetsPlain431WithoutHandler) {
  RequestLog log;
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response =
      Exchange(socket, buffer, "GET /" + std::string(2000, 'p') + " HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(response.result_int(), 431);
  EXPECT_EQ(Header(response, bhttp::field::connection), "close");
  EXPECT_TRUE(ServerClosed(socket, buffer));
  EXPECT_TRUE(log.Snapshot().empty());
}

TEST_F(ServerTest, MalformedRequestsGet400AndClose) {
  const std::string cases[] = {
      "GARBAGE\r\n\r\n",
      "\x01\x02\x03 / HTTP/1.1\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: h\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
  };
  RequestLog log;
  StartServer(EchoHandler(log));
  for (const std::string& raw : cases) {
    SCOPED_TRACE(raw);
    tcp::socket socket = Connect();
    beast::flat_buffer buffer;

    WireResponse response = Exchange(socket, buffer, raw);

    EXPECT_EQ(response.result_int(), 400);
    EXPECT_EQ(response.body(),
              R"({"error_code":"BAD_REQUEST","error_msg":"malformed HTTP request"})");
    EXPECT_EQ(Header(response, bhttp::field::content_type), "application/json");
    EXPECT_TRUE(ServerClosed(socket, buffer));
  }
  EXPECT_TRUE(log.Snapshot().empty());
}

TEST_F(ServerTest, StopIsIdempotentClosesConnectionsAndRefusesNewOnes) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;
  ASSERT_EQ(Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n").result_int(), 200);

  server_->Stop();
  server_->Stop();

  EXPECT_TRUE(ServerClosed(socket, buffer));
  tcp::socket late(io_);
  boost::system::error_code ec;
  late.connect(Endpoint(), ec);
  EXPECT_EQ(ec, asio::error::connection_refused);
}

TEST_F(ServerTest, WaitReturnsOnceStopIsCalled) {
  RequestLog log;
  StartServer(EchoHandler(log));
  std::thread waiter([this] { server_->Wait(); });

  server_->Stop();

  waiter.join();    // hangs (and the ctest timeout fires) if Wait misses Stop
  server_->Wait();  // already stopped: returns at once
}

TEST_F(ServerTest, ContentLengthZeroPostHasEmptyBody) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response =
      Exchange(socket, buffer, "POST /empty HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");

  EXPECT_EQ(response.result_int(), 200);
  std::vector<common::HttpRequest> requests = log.Snapshot();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, "");
}

TEST_F(ServerTest, Http10RequestClosesAfterResponse) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response = Exchange(socket, buffer, "GET /old HTTP/1.0\r\n\r\n");

  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.version(), 10);
  EXPECT_EQ(response.body(), "GET /old ");
  EXPECT_EQ(Header(response, bhttp::field::connection), "close");
  EXPECT_TRUE(ServerClosed(socket, buffer));
}

TEST_F(ServerTest, Http10KeepAliveIsHonoured) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse first =
      Exchange(socket, buffer, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  WireResponse second = Exchange(socket, buffer, "GET /b HTTP/1.0\r\n\r\n");

  EXPECT_EQ(Header(first, bhttp::field::connection), "keep-alive");
  EXPECT_EQ(second.body(), "GET /b ");
  EXPECT_TRUE(ServerClosed(socket, buffer));
}

TEST_F(ServerTest, ConnectionCloseRequestClosesAfterResponse) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response =
      Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(Header(response, bhttp::field::connection), "close");
  EXPECT_TRUE(ServerClosed(socket, buffer));
}

TEST_F(ServerTest, ThrowingHandlerGives500AndKeepsServing) {
  int calls = 0;
  StartServer([&calls](common::HttpRequest&) -> common::HttpResponse {
    if (++calls == 1) {
      throw std::runtime_error("boom");
    }
    return MakeResponse(200, "fine");
  });
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse failed = Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  WireResponse next = Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(failed.result_int(), 500);
  EXPECT_EQ(failed.body(), R"({"error_code":"INTERNAL","error_msg":"internal error"})");
  EXPECT_EQ(Header(failed, bhttp::field::content_type), "application/json");
  EXPECT_EQ(next.body(), "fine");
}

TEST_F(ServerTest, FramingHeadersFromHandlerAreReplaced) {
  StartServer([](common::HttpRequest&) {
    common::HttpResponse response = MakeResponse(201, "abc");
    response.headers.emplace_back("Content-Length", "999");
    response.headers.emplace_back("Server", "other");
    response.headers.emplace_back("x-Mixed-Case", "kept");
    return response;
  });
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response = Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(response.body(), "abc");
  EXPECT_EQ(Header(response, bhttp::field::content_length), "3");
  EXPECT_EQ(Header(response, bhttp::field::server), "connectplane");
  EXPECT_EQ(response["x-mixed-case"], "kept");
}

TEST_F(ServerTest, UnsendableHandlerResponseBecomes500) {
  StartServer([](common::HttpRequest&) {
    common::HttpResponse response = MakeResponse(200, "abc");
    response.headers.emplace_back("X-Evil", "a\r\nInjected: 1");
    return response;
  });
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  WireResponse response = Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(response.find("Injected"), response.end());
}

TEST_F(ServerTest, HeadResponseAnnouncesLengthWithoutBody) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  asio::write(socket, asio::buffer(std::string("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n")));
  bhttp::response_parser<bhttp::string_body> head_parser;
  head_parser.skip(true);
  bhttp::read(socket, buffer, head_parser);
  // A stray body would be read as the start of this second response.
  WireResponse next = Exchange(socket, buffer, "GET /n HTTP/1.1\r\nHost: h\r\n\r\n");

  EXPECT_EQ(head_parser.get().result_int(), 200);
  EXPECT_EQ(Header(head_parser.get(), bhttp::field::content_length), "8");  // "HEAD /h "
  EXPECT_EQ(next.body(), "GET /n ");
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  RequestLog log;
  StartServer(EchoHandler(log));
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  asio::write(socket,
              asio::buffer(std::string("PUT /c HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                                       "Content-Length: 4\r\n\r\n")));
  std::string interim;
  const size_t interim_size = asio::read_until(socket, asio::dynamic_buffer(interim), "\r\n\r\n");
  EXPECT_EQ(interim.substr(0, interim_size), "HTTP/1.1 100 Continue\r\n\r\n");
  asio::write(socket, asio::buffer(std::string("body")));
  WireResponse response;
  bhttp::read(socket, buffer, response);

  EXPECT_EQ(response.body(), "PUT /c body");
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  RequestLog log;
  ServerOptions options;
  options.keep_alive_idle = absl::Milliseconds(50);
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;
  ASSERT_EQ(Exchange(socket, buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n").result_int(), 200);

  EXPECT_TRUE(ServerClosed(socket, buffer));  // blocks until the idle timer fires
}

TEST_F(ServerTest, IncompleteRequestTimesOutWithoutHandler) {
  RequestLog log;
  ServerOptions options;
  options.request_read_timeout = absl::Milliseconds(50);
  StartServer(EchoHandler(log), options);
  tcp::socket socket = Connect();
  beast::flat_buffer buffer;

  asio::write(socket, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: h\r\n")));

  EXPECT_TRUE(ServerClosed(socket, buffer));
  EXPECT_TRUE(log.Snapshot().empty());
}

TEST_F(ServerTest, ConnectionsAboveLimitAreClosed) {
  RequestLog log;
  ServerOptions options;
  options.max_connections = 1;
  StartServer(EchoHandler(log), options);
  tcp::socket first = Connect();
  beast::flat_buffer first_buffer;
  // A completed exchange proves the first session is live and counted.
  ASSERT_EQ(Exchange(first, first_buffer, "GET / HTTP/1.1\r\nHost: h\r\n\r\n").result_int(), 200);

  tcp::socket second = Connect();
  beast::flat_buffer second_buffer;
  EXPECT_TRUE(ServerClosed(second, second_buffer));

  // Once the first connection is gone its slot frees up; the session ends
  // asynchronously, so poll with a deadline.
  first.close();
  const auto deadline = std::chrono::steady_clock::now() + kTestDeadline;
  bool served = false;
  while (!served && std::chrono::steady_clock::now() < deadline) {
    tcp::socket retry = Connect();
    const std::string request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    boost::system::error_code ec;
    asio::write(retry, asio::buffer(request), ec);
    beast::flat_buffer retry_buffer;
    WireResponse response;
    bhttp::read(retry, retry_buffer, response, ec);
    served = !ec && response.result_int() == 200;
  }
  EXPECT_TRUE(served);
}

TEST_F(ServerTest, StartReportsBadHostAndBusyPort) {
  RequestLog log;
  StartServer(EchoHandler(log));

  ServerOptions bad_host;
  bad_host.host = "not-an-ip.example";
  Server bad_host_server(bad_host, EchoHandler(log));
  EXPECT_EQ(bad_host_server.Start().code(), absl::StatusCode::kInvalidArgument);

  ServerOptions busy;
  busy.port = server_->port();
  Server busy_server(busy, EchoHandler(log));
  absl::Status status = busy_server.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("127.0.0.1:"));
}

TEST_F(ServerTest, StartTwiceFails) {
  RequestLog log;
  StartServer(EchoHandler(log));

  EXPECT_EQ(server_->Start().code(), absl::StatusCode::kFailedPrecondition);
}

// Marks the response authenticated when the request carries
// "Authorization: valid", as a dialect does after verifying a signature.
RequestHandler SigningHandler() {
  return [](common::HttpRequest& request) {
    common::HttpResponse response = MakeResponse(
        200, request.method + " " + request.target + " " + std::to_string(request.body.size()));
    response.access.authenticated = request.Header("Authorization") == "valid";
    return response;
  };
}

constexpr std::string_view kSignedRequest =
    "GET /signed HTTP/1.1\r\nHost: h\r\nAuthorization: valid\r\n\r\n";
constexpr std::string_view kUnsignedRequest = "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n";

TEST_F(ServerTest, UnauthenticatedIdleConnectionsCloseSoonAuthenticatedOnesStayAlive) {
  ServerOptions options;
  options.unauthenticated_timeout = absl::Milliseconds(200);
  options.keep_alive_idle = absl::Seconds(60);
  StartServer(SigningHandler(), options);
  testing::RawClient signed_client(server_->port());
  ASSERT_TRUE(signed_client.Exchange(kSignedRequest).has_value());
  testing::RawClient silent(server_->port());
  testing::RawClient unsigned_client(server_->port());
  ASSERT_TRUE(unsigned_client.Exchange(kUnsignedRequest).has_value());

  // Far below request_read_timeout (30 s) and keep_alive_idle (60 s).
  EXPECT_TRUE(silent.ClosedWithin(std::chrono::seconds(10)));
  EXPECT_TRUE(unsigned_client.ClosedWithin(std::chrono::seconds(10)));
  // Idle for longer than unauthenticated_timeout by now, and still served.
  std::optional<testing::RawClient::Response> again = signed_client.Exchange(kSignedRequest);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->result_int(), 200);
}

TEST_F(ServerTest, IncompleteHeaderIsClosedAfterTheUnauthenticatedTimeout) {
  ServerOptions options;
  options.unauthenticated_timeout = absl::Milliseconds(200);
  StartServer(SigningHandler(), options);
  testing::RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\n"));

  EXPECT_TRUE(client.ClosedWithin(std::chrono::seconds(10)));
}

TEST_F(ServerTest, ReservedSlotsAdmitAddressesThatAuthenticated) {
  ServerOptions options;
  options.max_connections = 6;
  options.max_connections_per_address = 3;
  options.reserved_connections = 2;
  options.unauthenticated_timeout = absl::Seconds(60);
  StartServer(SigningHandler(), options);
  {
    testing::RawClient earlier(server_->port(), "127.0.0.2");
    ASSERT_TRUE(earlier.Exchange(kSignedRequest).has_value());
  }
  // Strangers fill the unreserved share (6 - 2): each held connection is
  // proven by a served request.
  std::vector<std::unique_ptr<testing::RawClient>> strangers;
  for (const char* source : {"127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.3"}) {
    strangers.push_back(std::make_unique<testing::RawClient>(server_->port(), source));
    ASSERT_TRUE(strangers.back()->Exchange(kUnsignedRequest).has_value()) << source;
  }

  testing::RawClient another_stranger(server_->port(), "127.0.0.4");
  testing::RawClient known(server_->port(), "127.0.0.2");

  EXPECT_FALSE(another_stranger.Exchange(kUnsignedRequest).has_value());
  std::optional<testing::RawClient::Response> response = known.Exchange(kSignedRequest);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200);
}

TEST_F(ServerTest, StartRejectsInconsistentConnectionLimits) {
  ServerOptions whole_cap_reserved;
  whole_cap_reserved.max_connections = 10;
  whole_cap_reserved.reserved_connections = 10;
  ServerOptions no_connection_per_address;
  no_connection_per_address.max_connections_per_address = 0;

  EXPECT_EQ(Server(whole_cap_reserved, SigningHandler()).Start().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Server(no_connection_per_address, SigningHandler()).Start().code(),
            absl::StatusCode::kInvalidArgument);
}

// One I/O thread whose budget holds exactly one largest body.
ServerOptions TinyBodyBudget() {
  ServerOptions options;
  options.threads = 1;
  options.max_body_bytes = 64 * 1024;
  options.body_budget_bytes = 64 * 1024;
  options.body_bytes_without_budget = 1024;
  return options;
}

// Sends a header announcing the largest body with "Expect: 100-continue" and
// waits for the interim answer, which the server sends once the body's
// memory is reserved; the client then holds the reservation.
std::unique_ptr<testing::RawClient> HoldWholeBudget(uint16_t port, const ServerOptions& options) {
  auto holder = std::make_unique<testing::RawClient>(port);
  holder->Send("POST /hold HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " +
               std::to_string(options.max_body_bytes) + "\r\n\r\n");
  std::optional<testing::RawClient::Response> interim = holder->Read();
  EXPECT_TRUE(interim.has_value() && interim->result_int() == 100);
  return holder;
}

TEST_F(ServerTest, BodyWaitingForBudgetOnUnauthenticatedConnectionIsClosedAfterTheTimeout) {
  ServerOptions options = TinyBodyBudget();
  options.unauthenticated_timeout = absl::Milliseconds(200);
  StartServer(SigningHandler(), options);
  std::unique_ptr<testing::RawClient> holder = HoldWholeBudget(server_->port(), options);
  testing::RawClient waiting(server_->port());

  ASSERT_TRUE(waiting.Send("POST /w HTTP/1.1\r\nHost: h\r\nContent-Length: 2048\r\n\r\n" +
                           std::string(2048, 'w')));

  // Long before request_read_timeout (30 s).
  EXPECT_TRUE(waiting.ClosedWithin(std::chrono::seconds(10)));
}

TEST_F(ServerTest, ChunkedBodyWaitsForBudgetOnlyOnceItOutgrowsTheAllowance) {
  StartServer(SigningHandler(), TinyBodyBudget());
  std::unique_ptr<testing::RawClient> holder = HoldWholeBudget(server_->port(), TinyBodyBudget());
  const std::string chunked_header =
      "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  testing::RawClient small(server_->port());
  testing::RawClient large(server_->port());

  std::optional<testing::RawClient::Response> small_answer =
      small.Exchange(chunked_header + "200\r\n" + std::string(0x200, 's') + "\r\n0\r\n\r\n");
  ASSERT_TRUE(large.Send(chunked_header + "1000\r\n" + std::string(0x1000, 'l') + "\r\n0\r\n\r\n"));

  ASSERT_TRUE(small_answer.has_value());
  EXPECT_EQ(small_answer->body(), "POST /c 512");
  EXPECT_FALSE(large.Read(std::chrono::milliseconds(300)).has_value());
  holder.reset();
  std::optional<testing::RawClient::Response> large_answer = large.Read();
  ASSERT_TRUE(large_answer.has_value());
  EXPECT_EQ(large_answer->body(), "POST /c 4096");
}

}  // namespace
}  // namespace connectplane::http
