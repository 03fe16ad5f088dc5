// The RFC 9112 framing and Host rules Beast's request parser leaves to its
// user. A request that breaks them is answered with an error and the
// connection closed, because a proxy in front of us may have framed the same
// bytes differently (request smuggling). Pure functions; thread-safe.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include <string_view>

namespace connectplane::http {

enum class FramingVerdict {
  kAcceptable,
  // 400: Transfer-Encoding whose final coding is not chunked (RFC 9112 6.3:
  // the length cannot be determined), Transfer-Encoding in an HTTP/1.0
  // request (6.1: faulty framing), an HTTP/1.1 request without Host, more
  // than one Host, or a Host that is not uri-host[:port] (3.2).
  kBadRequest,
  // 501: chunked preceded by a coding we do not decode, e.g. "gzip, chunked"
  // (6.1: "SHOULD respond with 501").
  kUnsupportedTransferCoding,
};

// Judges a complete request header. `chunked` is what the parser decided
// (basic_parser::chunked()): Beast frames by chunked only when it is the last
// coding of a single Transfer-Encoding field and otherwise silently ignores
// the field. Content-Length together with a chunked Transfer-Encoding is
// already refused by Beast (bad_transfer_encoding / bad_content_length).
FramingVerdict JudgeRequestFraming(
    const boost::beast::http::request_header<boost::beast::http::fields>& header, bool chunked);

// True for "host", "host:port", "[v6]:port", "127.0.0.1" and the empty value
// (allowed when the target has no authority); false for anything with bytes
// outside RFC 3986's uri-host and port (whitespace, '/', '@', '?', '#', ...).
bool IsValidHostValue(std::string_view value);

}  // namespace connectplane::http
