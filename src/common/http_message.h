// Transport-neutral HTTP request/response values handed from the http module to
// the dialects. Plain values: callers serialize access.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectplane::common {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;   // upper-case, e.g. "POST"
  std::string target;   // raw request-target as received: path plus optional "?query"
  HeaderList headers;   // in wire order, names as sent
  std::string body;     // raw bytes
  std::string remote_address;
  // Non-zero when the transport refused the request before reading it whole
  // (413 body too large, 431 headers too large). The body is then empty and the
  // handler answers in its dialect's error shape with this status.
  int transport_rejection = 0;

  // Case-insensitive lookup of the first header named `name`.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Raw (still percent-encoded) path, without the query.
  std::string_view Path() const;
  // Raw query string after '?', or "" when absent.
  std::string_view RawQuery() const;
};

// What a dialect reports about the request it answered, for the access log
// and the request metrics (never sent to the client). Never put secrets here.
struct AccessInfo {
  std::string dialect;     // dms, zenlayer, admin, server
  std::string operation;   // DMS operation (ShowInstance), Zenlayer X-ZC-Action, admin route
  std::string tenant;      // project id / account id, "" before authentication
  std::string request_id;  // the X-Request-Id sent back
  std::string error_code;  // the cloud's error code, "" on success
  // The caller's signature was verified. The transport keeps connection slots
  // for addresses that authenticate and gives such connections the long
  // keep-alive (http::ServerOptions).
  bool authenticated = false;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  AccessInfo access;
  // Time the transport waits, on a timer, before it writes this answer: an
  // injected latency fault. The request has been handled already; only the
  // answer is late. Zero: send at once.
  std::chrono::milliseconds send_delay{0};

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Percent-decodes `in`. '+' stays a literal plus (Huawei's signer treats it so).
// Returns nullopt on a malformed escape ("%G1", truncated "%4").
std::optional<std::string> PercentDecode(std::string_view in);

// Splits a raw query into decoded (key, value) pairs in wire order. Empty
// segments are skipped; a key without '=' gets "". Returns nullopt on a bad escape.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view raw);

// Splits a raw path on '/', dropping the leading empty segment; segments stay encoded.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace connectplane::common
