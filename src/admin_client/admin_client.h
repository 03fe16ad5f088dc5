// A synchronous HTTP/1.1 client for the admin API of a running connectplane
// server (`connectplane admin ...`): one request per connection, bearer token
// when given. It knows the admin routes only as paths. Not for concurrent use.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <string>
#include <string_view>

namespace connectplane::admin_client {

// Where the server is and how to authenticate.
struct AdminEndpoint {
  std::string host;  // IP literal or name; IPv6 without brackets
  std::string port;
  std::string token;  // empty: no Authorization header
};

// "http://HOST:PORT", "HOST:PORT" or "http://[::1]:PORT" (a trailing "/" is
// ignored). Errors: InvalidArgument naming the expected forms (https is not
// spoken by this client).
absl::StatusOr<AdminEndpoint> ParseServerAddress(std::string_view server, std::string token);

// One answer: the HTTP status and the body as received.
struct AdminReply {
  int status = 0;
  std::string body;
};

class AdminClient {
 public:
  AdminClient(AdminEndpoint endpoint, absl::Duration timeout);

  // Sends `method` /_connectplane/`route` with `body` (Content-Type:
  // application/json when a method changes state) and returns the answer,
  // whatever its status. Errors: Unavailable when the server cannot be
  // reached or the connection fails (message names the address),
  // DeadlineExceeded after `timeout`.
  absl::StatusOr<AdminReply> Call(std::string_view method, std::string_view route,
                                  std::string_view body = "");

  // "host:port" as shown in messages.
  std::string Address() const;

 private:
  const AdminEndpoint endpoint_;
  const absl::Duration timeout_;
};

}  // namespace connectplane::admin_client
