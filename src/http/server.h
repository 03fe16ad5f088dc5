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
  // never closed under the SDK while it reuses it.
  absl::Duration keep_alive_idle = absl::Seconds(75);
  // Time allowed to receive one whole request once its first byte arrived.
  absl::Duration request_read_timeout = absl::Seconds(30);
  int max_connections = 4096;
};

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the I/O threads. Errors: Unavailable when the address
  // cannot be bound (message names the address), InvalidArgument on a bad host.
  absl::Status Start();
  // The bound port (meaningful after Start()).
  uint16_t port() const;
  // Stops accepting, closes connections and joins the threads. Idempotent.
  void Stop();
  // Blocks until Stop() is called from another thread or a signal handler.
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace connectplane::http
