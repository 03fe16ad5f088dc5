#include "admin_client/admin_client.h"

#include "common/strings.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

namespace connectplane::admin_client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// The admin API's answers (a state dump) stay well below this.
constexpr uint64_t kMaxReplyBytes = 256ull * 1024 * 1024;

bool ChangesState(std::string_view method) { return method != "GET" && method != "HEAD"; }

}  // namespace

absl::StatusOr<AdminEndpoint> ParseServerAddress(std::string_view server, std::string token) {
  std::string_view rest = server;
  if (rest.starts_with("https://")) {
    return absl::InvalidArgumentError(
        common::StrCat("--server ", server, ": `connectplane admin` speaks plain HTTP only"));
  }
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  while (rest.ends_with("/")) rest.remove_suffix(1);
  AdminEndpoint endpoint;
  endpoint.token = std::move(token);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= rest.size() || colon == 0) {
    return absl::InvalidArgumentError(
        common::StrCat("--server must be http://HOST:PORT or HOST:PORT, got '", server, "'"));
  }
  std::string_view host = rest.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  endpoint.host = std::string(host);
  endpoint.port = std::string(rest.substr(colon + 1));
  for (char c : endpoint.port) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(
          common::StrCat("--server ", server, ": port must be a number"));
    }
  }
  return endpoint;
}

AdminClient::AdminClient(AdminEndpoint endpoint, absl::Duration timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

std::string AdminClient::Address() const {
  const bool v6 = endpoint_.host.find(':') != std::string::npos;
  return v6 ? common::StrCat("[", endpoint_.host, "]:", endpoint_.port)
            : common::StrCat(endpoint_.host, ":", endpoint_.port);
}

absl::StatusOr<AdminReply> AdminClient::Call(std::string_view method, std::string_view route,
                                             std::string_view body) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(absl::ToChronoNanoseconds(timeout_));
  beast::error_code ec;
  asio::ip::tcp::resolver resolver(ioc);
  const auto endpoints = resolver.resolve(endpoint_.host, endpoint_.port, ec);
  if (ec) {
    return absl::UnavailableError(common::StrCat("cannot resolve ", Address(), ": ", ec.message()));
  }
  // The synchronous calls of a tcp_stream ignore its timer; the socket's own
  // connect and the bounded reply size keep a dead server from hanging us
  // (SO_RCVTIMEO below bounds the reads).
  stream.connect(endpoints, ec);
  if (ec) {
    return absl::UnavailableError(
        common::StrCat("cannot connect to ", Address(), ": ", ec.message()));
  }
  const auto timeout_ms = absl::ToInt64Milliseconds(timeout_);
  struct timeval receive_timeout {};
  receive_timeout.tv_sec = static_cast<time_t>(timeout_ms / 1000);
  receive_timeout.tv_usec = static_cast<suseconds_t>((timeout_ms % 1000) * 1000);
  setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &receive_timeout,
             sizeof(receive_timeout));

  bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(std::string(method)),
                                             common::StrCat("/_connectplane/", route), 11);
  request.set(bhttp::field::host, Address());
  request.set(bhttp::field::user_agent, "connectplane-admin");
  request.set(bhttp::field::accept, "application/json");
  if (!endpoint_.token.empty()) {
    request.set(bhttp::field::authorization, common::StrCat("Bearer ", endpoint_.token));
  }
  if (ChangesState(method)) {
    request.set(bhttp::field::content_type, "application/json");
  }
  request.body() = std::string(body);
  request.prepare_payload();
  request.keep_alive(false);
  bhttp::write(stream, request, ec);
  if (ec) {
    return absl::UnavailableError(
        common::StrCat("sending to ", Address(), " failed: ", ec.message()));
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxReplyBytes);
  bhttp::read(stream, buffer, parser, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again ||
      ec == asio::error::timed_out) {
    return absl::DeadlineExceededError(
        common::StrCat("no answer from ", Address(), " within ", absl::FormatDuration(timeout_)));
  }
  if (ec) {
    return absl::UnavailableError(
        common::StrCat("reading the answer of ", Address(), " failed: ", ec.message()));
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  AdminReply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  reply.body = std::move(parser.get().body());
  return reply;
}

}  // namespace connectplane::admin_client
