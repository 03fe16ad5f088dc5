// A blocking raw-socket HTTP client for http::Server tests: sends bytes exactly
// as given, from a chosen loopback address (all of 127/8 is loopback on
// Linux), and reads answers with a deadline so a bug cannot hang a test.
// One RawClient per thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace connectplane::testing {

class RawClient {
 public:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  // Connects to 127.0.0.1:`port` from `source` (port chosen by the kernel).
  RawClient(uint16_t port, std::string_view source = "127.0.0.1") : socket_(io_) {
    namespace asio = boost::asio;
    socket_.open(asio::ip::tcp::v4());
    socket_.bind(asio::ip::tcp::endpoint(asio::ip::make_address(std::string(source)), 0));
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  // False when the server already closed the connection.
  bool Send(std::string_view raw) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(raw.data(), raw.size()), ec);
    return !ec;
  }

  // Reads one response; nullopt on EOF, reset, a malformed answer or when
  // nothing complete arrives within `within`.
  std::optional<Response> Read(std::chrono::milliseconds within = std::chrono::seconds(10)) {
    namespace bhttp = boost::beast::http;
    std::optional<Response> response;
    response.emplace();
    bool done = false;
    boost::system::error_code read_ec;
    bhttp::async_read(socket_, buffer_, *response, [&](boost::system::error_code ec, size_t) {
      read_ec = ec;
      done = true;
    });
    RunUntil(done, within);
    if (!done || read_ec) {
      return std::nullopt;
    }
    return response;
  }

  // Sends `raw` and reads one response.
  std::optional<Response> Exchange(std::string_view raw) {
    if (!Send(raw)) {
      return std::nullopt;
    }
    return Read();
  }

  // True when the server closes the connection (EOF or reset) within
  // `within` without sending anything more.
  bool ClosedWithin(std::chrono::milliseconds within) {
    if (buffer_.size() != 0) {
      return false;
    }
    char byte;
    bool done = false;
    boost::system::error_code read_ec;
    socket_.async_read_some(boost::asio::buffer(&byte, 1),
                            [&](boost::system::error_code ec, size_t) {
                              read_ec = ec;
                              done = true;
                            });
    RunUntil(done, within);
    return done &&
           (read_ec == boost::asio::error::eof || read_ec == boost::asio::error::connection_reset);
  }

  // Reads until the server closes; nullopt if it does not within `within`.
  std::optional<std::string> ReadToClose(
      std::chrono::milliseconds within = std::chrono::seconds(10)) {
    std::string all(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    bool done = false;
    boost::system::error_code read_ec;
    boost::asio::async_read(socket_, boost::asio::dynamic_buffer(all),
                            [&](boost::system::error_code ec, size_t) {
                              read_ec = ec;
                              done = true;
                            });
    RunUntil(done, within);
    if (read_ec != boost::asio::error::eof && read_ec != boost::asio::error::connection_reset) {
      return std::nullopt;  // still open (timed out)
    }
    return all;
  }

 private:
  // Runs the pending operation until it completes or `within` passes (then
  // it is cancelled and drained, so the socket stays usable).
  void RunUntil(const bool& done, std::chrono::milliseconds within) {
    io_.restart();
    io_.run_for(within);
    if (!done) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      io_.restart();
      io_.run();
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace connectplane::testing
