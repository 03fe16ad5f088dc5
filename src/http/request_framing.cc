#include "http/request_framing.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <array>
#include <cstddef>

namespace connectplane::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// RFC 3986 unreserved / sub-delims / '%' (pct-encoded): the bytes of a
// reg-name. A table, since every request's Host goes through it.
constexpr std::array<bool, 256> kRegNameChars = [] {
  std::array<bool, 256> table{};
  for (char c = '0'; c <= '9'; ++c) {
    table[static_cast<unsigned char>(c)] = true;
  }
  for (char c = 'a'; c <= 'z'; ++c) {
    table[static_cast<unsigned char>(c)] = true;
    table[static_cast<unsigned char>(c - 'a' + 'A')] = true;
  }
  for (char c : std::string_view("-._~%!$&'()*+,;=")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}();

bool IsRegNameChar(char c) { return kRegNameChars[static_cast<unsigned char>(c)]; }

bool IsHexOrColonOrDot(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsValidHostValue(std::string_view value) {
  std::string_view host = value;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    // IP-literal: "[" IPv6address "]" (IPvFuture is not worth accepting).
    const size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) {
      return false;
    }
    for (char c : host.substr(1, close - 1)) {
      if (!IsHexOrColonOrDot(c)) {
        return false;
      }
    }
    std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return false;
      }
      port = rest.substr(1);
    }
  } else {
    const size_t colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      // "host:" with an empty port is allowed by the grammar; "a:b:c" is not.
      if (host.empty() || host.find(':') != std::string_view::npos) {
        return false;
      }
    }
    for (char c : host) {
      if (!IsRegNameChar(c)) {
        return false;
      }
    }
  }
  return port.size() <= 5 && AllDigits(port);
}

FramingVerdict JudgeRequestFraming(const bhttp::request_header<bhttp::fields>& header,
                                   bool chunked) {
  // One pass over the fields in wire order (a request has a handful),
  // comparing the parsed field enum: cheaper than fields::count, which
  // compares names as strings, on the path of every request.
  int host_count = 0;
  beast::string_view host;
  bool has_transfer_encoding = false;
  bool only_chunked = true;
  for (const auto& field : header) {
    if (field.name() == bhttp::field::host) {
      ++host_count;
      host = field.value();
    } else if (field.name() == bhttp::field::transfer_encoding) {
      has_transfer_encoding = true;
      for (beast::string_view coding : bhttp::token_list(field.value())) {
        only_chunked = only_chunked && beast::iequals(coding, "chunked");
      }
    }
  }
  if (host_count > 1 || (host_count == 0 && header.version() >= 11)) {
    return FramingVerdict::kBadRequest;
  }
  if (host_count == 1 && !IsValidHostValue(host)) {
    return FramingVerdict::kBadRequest;
  }
  if (!has_transfer_encoding) {
    return FramingVerdict::kAcceptable;
  }
  // Beast already framed the body by Content-Length (or as empty) when the
  // final coding is not chunked: answering would let the rest of the body be
  // read as the next request.
  if (header.version() < 11 || !chunked) {
    return FramingVerdict::kBadRequest;
  }
  return only_chunked ? FramingVerdict::kAcceptable : FramingVerdict::kUnsupportedTransferCoding;
}

}  // namespace connectplane::http
