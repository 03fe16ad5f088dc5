// One HTTP/1.1 connection of http::Server: reading a request under the
// server's limits (framing, header and body size, timeouts, the body budget),
// handing it to the RequestHandler and writing the answer, keep-alive and
// lingering close. Internal to the http module; Server::Impl accepts and
// admits connections, a session serves one.
#pragma once

#include "http/body_budget.h"
#include "http/connection_limits.h"
#include "http/server.h"

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace connectplane::http {

// The live sessions of one I/O thread, so that a drain (Server::Drain) can
// reach the ones waiting between requests. Used on that thread only (and by
// Server::Impl::Stop once no thread runs).
class SessionList {
 public:
  // `on_drain` runs on the session's thread when the server starts draining.
  // Returns the entry's id for Remove.
  uint64_t Add(std::function<void()> on_drain) {
    const uint64_t id = next_id_++;
    on_drain_.emplace(id, std::move(on_drain));
    return id;
  }
  void Remove(uint64_t id) { on_drain_.erase(id); }
  // Tells every session the server drains: a session between requests closes
  // at once, the others close after their current response.
  void DrainAll() {
    // A callback may close its session and so remove entries: iterate a copy.
    std::map<uint64_t, std::function<void()>> callbacks = on_drain_;
    for (auto& [id, callback] : callbacks) callback();
  }

 private:
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::function<void()>> on_drain_;
};

// State shared by the server and its sessions; owned by Server::Impl, which
// outlives every session (sessions die with the io_context, see Impl::Stop).
struct SessionContext {
  const ServerOptions& options;
  const RequestHandler& handler;
  // The body budget of the I/O thread the session runs on.
  BodyBudget& body_budget;
  // Set once the server drains: answers carry Connection: close.
  const std::atomic<bool>& draining;
  // The sessions of the I/O thread the session runs on.
  SessionList& sessions;
  // Set: connections speak TLS (handshake first); null: plain HTTP.
  boost::asio::ssl::context* tls_context = nullptr;
};

// Starts serving `socket` (over TLS when context.tls_context is set) on its
// executor's thread; the session owns itself
// (and `lease`, released when the connection ends) from then on.
void StartSession(const SessionContext& context, boost::asio::ip::tcp::socket socket,
                  std::string remote_address, ConnectionLimits::Lease lease);

}  // namespace connectplane::http
