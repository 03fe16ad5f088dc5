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

// RFC 9110 5.6.1 list syntax for Transfer-Encoding: elements separated by
// commas with optional spaces or tabs, each a token (empty elements allowed).
// Beast's token_list stops silently at the first element that is not one
// ("chunked,:gzip" iterates as just "chunked", and Beast's own parser then
// frames the body as chunked), so the whole value is checked here.
bool IsTokenList(std::string_view value) {
  static constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  for (char c : value) {
    const bool token = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                       (c >= 'A' && c <= 'Z') ||
                       kTokenPunctuation.find(c) != std::string_view::npos;
    if (!token && c != ',' && c != ' ' && c != '\t') {
      return false;
    }
  }
  // A space or tab may only stand next to a comma or at either end.
  for (size_t i = 0; i + 2 < value.size(); ++i) {
    const bool inner_gap = value[i] != ',' && value[i] != ' ' && value[i] != '\t' &&
                           (value[i + 1] == ' ' || value[i + 1] == '\t');
    if (inner_gap) {
      size_t j = i + 1;
      while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
      if (j < value.size() && value[j] != ',') return false;
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
      if (!IsTokenList(field.value())) {
        return FramingVerdict::kBadRequest;
      }
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
