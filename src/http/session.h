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

#include <string>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace connectplane::http {

// State shared by the server and its sessions; owned by Server::Impl, which
// outlives every session (sessions die with the io_context, see Impl::Stop).
struct SessionContext {
  const ServerOptions& options;
  const RequestHandler& handler;
  // The body budget of the I/O thread the session runs on.
  BodyBudget& body_budget;
  // Set: connections speak TLS (handshake first); null: plain HTTP.
  boost::asio::ssl::context* tls_context = nullptr;
};

// Starts serving `socket` (over TLS when context.tls_context is set) on its
// executor's thread; the session owns itself
// (and `lease`, released when the connection ends) from then on.
void StartSession(const SessionContext& context, boost::asio::ip::tcp::socket socket,
                  std::string remote_address, ConnectionLimits::Lease lease);

}  // namespace connectplane::http
