#include "http/request_framing.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <cstddef>

namespace connectplane::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// RFC 3986 unreserved / sub-delims / '%' (pct-encoded): the bytes of a reg-name.
bool IsRegNameChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    return true;
  }
  return std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
}

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
  const size_t host_count = header.count(bhttp::field::host);
  if (host_count > 1 || (host_count == 0 && header.version() >= 11)) {
    return FramingVerdict::kBadRequest;
  }
  if (host_count == 1 && !IsValidHostValue(header.at(bhttp::field::host))) {
    return FramingVerdict::kBadRequest;
  }
  if (header.count(bhttp::field::transfer_encoding) == 0) {
    return FramingVerdict::kAcceptable;
  }
  // Beast already framed the body by Content-Length (or as empty) when the
  // final coding is not chunked: answering would let the rest of the body be
  // read as the next request.
  if (header.version() < 11 || !chunked) {
    return FramingVerdict::kBadRequest;
  }
  // Fields iterate in wire order; a request has only a handful.
  for (const auto& field : header) {
    if (field.name() != bhttp::field::transfer_encoding) {
      continue;
    }
    for (beast::string_view coding : bhttp::token_list(field.value())) {
      if (!beast::iequals(coding, "chunked")) {
        return FramingVerdict::kUnsupportedTransferCoding;
      }
    }
  }
  return FramingVerdict::kAcceptable;
}

}  // namespace connectplane::http
