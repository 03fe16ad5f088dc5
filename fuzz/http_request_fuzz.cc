// The request path as the server sees it: raw bytes go through a Beast
// request_parser with the server's limits and its header-size accounting
// (src/http/server.cc, ParseBufferedHeader) and its framing checks
// (JudgeRequestFraming), then the parsed request goes to
// the Dispatcher (healthz, both dialects, the admin API, unknown paths) over a
// seeded in-memory store. Input: byte 0 holds flags, the rest is the wire bytes.
//   bit 0     re-sign: drop Authorization/X-Sdk-Date and sign the parsed
//             request with the tenant's key, so fuzzed requests pass
//             authentication and reach routing, query and body parsing;
//   bits 1-2  chunk size the bytes arrive in (whole, 1, 7, 64 bytes).
#include "common/http_message.h"
#include "common/strings.h"
#include "http/request_framing.h"
#include "http/server.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "fuzz_env.h"
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using connectplane::common::HttpRequest;
using connectplane::common::HttpResponse;
using Parser = bhttp::request_parser<bhttp::string_body>;

bool IsTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Same copy as the server's ToHttpRequest.
HttpRequest ToHttpRequest(const Parser::value_type& message, std::string body) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(body);
  request.remote_address = "127.0.0.1:40000";
  return request;
}

// The server refuses to send a response whose header could inject a line.
void CheckSendable(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar) ||
        value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      connectplane::fuzz::OracleFailed("unsendable response header: " + name);
    }
  }
}

void Dispatch(HttpRequest& request, bool resign) {
  static connectplane::fuzz::DmsEnv* const shared_env = new connectplane::fuzz::DmsEnv();
  connectplane::fuzz::DmsEnv& env = *shared_env;
  env.Reset();
  if (resign && request.transport_rejection == 0) {
    std::erase_if(request.headers, [](const auto& header) {
      return connectplane::common::EqualsIgnoreCase(header.first, "Authorization") ||
             connectplane::common::EqualsIgnoreCase(header.first, "X-Sdk-Date");
    });
    env.Sign(request);
  }
  HttpResponse response = env.dispatcher().Handle(request);
  connectplane::fuzz::CheckDispatcherResponse(response);
  CheckSendable(response);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  connectplane::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const uint8_t flags = data[0];
  const bool resign = (flags & 1) != 0;
  constexpr size_t kChunkSizes[] = {std::numeric_limits<size_t>::max(), 1, 7, 64};
  const size_t chunk = kChunkSizes[(flags >> 1) & 3];
  std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);

  const connectplane::http::ServerOptions options;  // the limits main() uses
  Parser parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(static_cast<std::uint64_t>(options.max_body_bytes));

  // Bytes arrive `chunk` at a time into `buffered`; the parser consumes what it
  // can, exactly as the session loop does.
  std::string buffered;
  size_t header_bytes_consumed = 0;
  size_t delivered = 0;
  beast::error_code ec;
  while (!parser.is_done()) {
    if (delivered < wire.size()) {
      const size_t take = std::min(chunk, wire.size() - delivered);
      buffered.append(wire.substr(delivered, take));
      delivered += take;
    }
    bool progressed = false;
    while (!buffered.empty() && !parser.is_done()) {
      ec = {};
      const bool header_phase = !parser.is_header_done();
      const size_t used = parser.put(boost::asio::buffer(buffered.data(), buffered.size()), ec);
      buffered.erase(0, used);
      progressed = progressed || used > 0;
      if (header_phase) {
        header_bytes_consumed += used;
      }
      if (ec == bhttp::error::need_more) {
        ec = {};
        break;
      }
      if (!ec && header_phase && header_bytes_consumed > options.max_header_bytes) {
        ec = bhttp::error::header_limit;
      }
      if (!ec && header_phase && parser.is_header_done() &&
          connectplane::http::JudgeRequestFraming(parser.get().base(), parser.chunked()) !=
              connectplane::http::FramingVerdict::kAcceptable) {
        return 0;  // the server answers a fixed 400/501 without the handler
      }
      if (ec || used == 0) {
        break;
      }
    }
    if (!ec && !parser.is_header_done() &&
        header_bytes_consumed + buffered.size() > options.max_header_bytes) {
      ec = bhttp::error::header_limit;
    }
    if (ec) {
      break;
    }
    if (delivered == wire.size() && !progressed) {
      return 0;  // incomplete request: the server would time out and close
    }
  }

  if (ec == bhttp::error::body_limit ||
      (ec == bhttp::error::header_limit && !parser.get().method_string().empty())) {
    HttpRequest request = ToHttpRequest(parser.get(), std::string());
    request.transport_rejection = ec == bhttp::error::body_limit ? 413 : 431;
    Dispatch(request, resign);
    return 0;
  }
  if (ec) {
    return 0;  // the server answers a fixed 400/431 without the handler
  }
  Parser::value_type message = parser.release();
  std::string body = std::move(message.body());
  HttpRequest request = ToHttpRequest(message, std::move(body));
  Dispatch(request, resign);
  return 0;
}
