// HTTP/1.1 server on Boost.Beast/Asio: keep-alive, a small fixed pool of I/O
// threads, request size limits. It knows nothing about clouds: every complete
// request is handed to a RequestHandler, which runs on the I/O thread that read
// it and must be safe for concurrent use. Start/Stop are called by one thread.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace connectplane::http {

// Must be safe for concurrent use. Never throws.
using RequestHandler = std::function<common::HttpResponse(common::HttpRequest&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 binds an ephemeral port; see Server::port()
  // I/O threads. Each runs its own event loop; connections are dealt out to
  // them in turn and stay there, so a handler that blocks (a durable commit)
  // delays only the other connections of its thread. One more thread accepts.
  int threads = 2;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  // Above Node's 5 s client-side idle close, so a reused keep-alive socket is
  // never closed under the SDK while it reuses it. Applies to connections that
  // carried an authenticated request; see unauthenticated_timeout.
  absl::Duration keep_alive_idle = absl::Seconds(75);
  // Time allowed to receive one whole request once its first byte arrived.
  absl::Duration request_read_timeout = absl::Seconds(30);
  // Until a connection has carried an authenticated request (a response with
  // access.authenticated), each request header must be complete within this
  // long of the connection going idle (accept, or its previous response), and
  // a large body waits at most this long for the body budget (below). So
  // sockets that never send a request, idle after an unauthenticated one, or
  // park a half-sent body free their slot and memory quickly. Still above
  // Node's 5 s client-side idle close.
  absl::Duration unauthenticated_timeout = absl::Seconds(10);

  // Connection admission (ConnectionLimits). New connections beyond a limit
  // are closed at accept, with a rate-limited warning in the log.
  int max_connections = 4096;
  // Connections one source address may hold (an IPv6 /64 counts as one
  // address). nullopt: a tenth of max_connections (at least 1).
  std::optional<int> max_connections_per_address;
  // Slots that only addresses which made an authenticated request within
  // known_address_memory may take. nullopt: a tenth of max_connections.
  std::optional<int> reserved_connections;
  absl::Duration known_address_memory = absl::Minutes(10);

  // Request-body memory (BodyBudget). A body up to this size is read at once;
  // a larger one first reserves its size (Content-Length; max_body_bytes when
  // chunked) from its I/O thread's share of body_budget_bytes and, while the
  // budget is spent, waits unread (bounded by request_read_timeout, then the
  // connection is closed), so unauthenticated half-sent bodies cannot hold
  // unbounded memory. Typical signed API calls (a few KiB) never wait.
  size_t body_bytes_without_budget = 16 * 1024;
  // Split evenly between the I/O threads; each share is at least max_body_bytes.
  size_t body_budget_bytes = 32 * 1024 * 1024;

  // HTTPS: both set, the listener speaks TLS only (PEM files; see
  // LoadTlsContext) and every limit above applies to TLS connections alike.
  // Both empty: plain HTTP. One without the other: Start fails.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // A TLS connection's handshake must complete within this long of accept.
  absl::Duration tls_handshake_timeout = absl::Seconds(10);
};

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS files (if any), binds and starts the I/O threads. Errors:
  // Unavailable when the address cannot be bound (message names the address),
  // InvalidArgument on a bad host, unusable TLS files (nothing is bound then)
  // or inconsistent options (e.g. reserved_connections >= max_connections).
  absl::Status Start();
  // The bound port (meaningful after Start()).
  uint16_t port() const;
  // Graceful first half of a shutdown: stops accepting, closes the connections
  // that wait between requests, lets the requests in progress finish and
  // answers them with Connection: close, and waits until every connection
  // has closed or `grace` has passed. Returns the number of connections still
  // open then (Stop closes them; a request on them gets no answer). Call
  // Stop() afterwards. Not from an I/O thread.
  int Drain(absl::Duration grace);
  // Stops accepting, closes connections and joins the threads. Idempotent.
  void Stop();
  // Blocks until Stop() is called from another thread or a signal handler.
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace connectplane::http
