#include "http/server.h"

#include "common/clock.h"
#include "http/body_budget.h"
#include "http/connection_limits.h"
#include "http/session.h"
#include "http/tls_context.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <future>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace connectplane::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using WireRequest = bhttp::request<bhttp::string_body>;

// How often the accept thread checks whether connections have closed in bulk,
// and how many must have closed before it returns freed memory to the system.
constexpr std::chrono::seconds kMemoryReleaseInterval{1};
constexpr int kMemoryReleaseAfterClosedConnections = 256;
// Refused connections are reported at most this often.
constexpr std::chrono::seconds kRefusalLogInterval{10};
// Back-off after a failed accept (e.g. EMFILE) so the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};


// Formats an endpoint as "ip:port" ("[ip]:port" for IPv6).
std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const asio::ip::address& address = endpoint.address();
  if (address.is_v6()) {
    return absl::StrCat("[", address.to_string(), "]:", endpoint.port());
  }
  return absl::StrCat(address.to_string(), ":", endpoint.port());
}

}  // namespace


// Owns the io_context, acceptor and I/O threads. Member order matters: the
// options, handler and session counter are declared before (so destroyed
// after) the io_context, whose destruction destroys the remaining sessions.
class Server::Impl {
 public:
  Impl(ServerOptions options, RequestHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  ~Impl() { Stop(); }

  absl::Status Start() {
    std::lock_guard<std::mutex> stop_lock(stop_mu_);
    if (!iocs_.empty() || IsStopped()) {
      return absl::FailedPreconditionError("http server already started or stopped");
    }
    if (options_.threads < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("http server needs at least one thread, got ", options_.threads));
    }
    absl::StatusOr<ConnectionLimitOptions> limit_options = ResolveConnectionLimits();
    if (!limit_options.ok()) {
      return limit_options.status();
    }
    absl::StatusOr<tcp::endpoint> endpoint = ResolveListenEndpoint();
    if (!endpoint.ok()) {
      return endpoint.status();
    }
    if (options_.tls_certificate_file.empty() != options_.tls_private_key_file.empty()) {
      return absl::InvalidArgumentError("TLS needs both a certificate and a private key file");
    }
    if (!options_.tls_certificate_file.empty()) {
      absl::StatusOr<std::shared_ptr<asio::ssl::context>> tls =
          LoadTlsContext(options_.tls_certificate_file, options_.tls_private_key_file);
      if (!tls.ok()) {
        return tls.status();
      }
      tls_context_ = *std::move(tls);
    }
    // One io_context per I/O thread (no cross-thread wake-ups inside Asio's
    // scheduler, whose locking showed in read profiles); accepted connections are dealt out
    // round-robin and stay on their thread, so a session needs no strand. Accepting has its own
    // io_context and thread (the last one), so a handler that blocks (a durable commit) delays only
    // the connections of its own thread, never new connections.
    std::vector<std::unique_ptr<asio::io_context>> iocs;
    for (int thread_idx = 0; thread_idx <= options_.threads; ++thread_idx) {
      iocs.push_back(std::make_unique<asio::io_context>(1));
    }
    auto acceptor = std::make_unique<tcp::acceptor>(*iocs.back());
    const std::string address_text = FormatEndpoint(*endpoint);
    boost::system::error_code ec;
    acceptor->open(endpoint->protocol(), ec);
    if (!ec) {
      acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
      acceptor->bind(*endpoint, ec);
    }
    if (!ec) {
      acceptor->listen(asio::socket_base::max_listen_connections, ec);
    }
    tcp::endpoint bound;
    if (!ec) {
      bound = acceptor->local_endpoint(ec);
    }
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", address_text, ": ", ec.message()));
    }
    port_.store(bound.port(), std::memory_order_relaxed);

    limits_ = std::make_unique<ConnectionLimits>(*limit_options, common::SystemClock());
    // Each I/O thread's share of the body budget; at least one largest body.
    const size_t budget_share =
        std::max(options_.max_body_bytes,
                 options_.body_budget_bytes / static_cast<size_t>(options_.threads));
    for (int thread_idx = 0; thread_idx < options_.threads; ++thread_idx) {
      body_budgets_.push_back(std::make_unique<BodyBudget>(budget_share));
      session_lists_.push_back(std::make_unique<SessionList>());
    }
    iocs_ = std::move(iocs);
    acceptor_ = std::move(acceptor);
    accept_retry_timer_ = std::make_unique<asio::steady_timer>(*iocs_.back());
    memory_release_timer_ = std::make_unique<asio::steady_timer>(*iocs_.back());
    ScheduleMemoryRelease();
    for (auto& ioc : iocs_) {
      work_.emplace_back(ioc->get_executor());
    }
    DoAccept();
    threads_.reserve(iocs_.size());
    for (size_t thread_idx = 0; thread_idx < iocs_.size(); ++thread_idx) {
      try {
        threads_.emplace_back([this, thread_idx] { RunIoThread(*iocs_[thread_idx]); });
      } catch (const std::system_error& e) {
        // Failing to start a thread is unrecoverable.
        spdlog::critical("http: cannot start I/O thread: {}", e.what());
        std::abort();
      }
    }
    return absl::OkStatus();
  }

  uint16_t port() const { return port_.load(std::memory_order_relaxed); }

  int Drain(absl::Duration grace) {
    const auto deadline = std::chrono::steady_clock::now() +
                          absl::ToChronoNanoseconds(std::max(grace, absl::ZeroDuration()));
    {
      std::lock_guard<std::mutex> stop_lock(stop_mu_);
      if (iocs_.empty() || IsStopped()) {
        return 0;
      }
      draining_.store(true, std::memory_order_relaxed);
      // The acceptor and its retry timer belong to the accept thread.
      std::promise<void> acceptor_closed;
      asio::post(*iocs_.back(), [this, &acceptor_closed] {
        boost::system::error_code ignored;
        acceptor_->close(ignored);
        accept_retry_timer_->cancel();
        acceptor_closed.set_value();
      });
      acceptor_closed.get_future().wait();
      for (size_t thread_idx = 0; thread_idx + 1 < iocs_.size(); ++thread_idx) {
        asio::post(*iocs_[thread_idx],
                   [list = session_lists_[thread_idx].get()] { list->DrainAll(); });
      }
    }
    // Sessions end on their own threads; a short poll keeps this free of any
    // coupling to them (this runs once, at shutdown).
    while (limits_->live_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return limits_->live_connections();
  }

  // Precondition: not called from an I/O thread (i.e. not from the handler),
  // since it joins them.
  void Stop() {
    std::lock_guard<std::mutex> stop_lock(stop_mu_);
    if (IsStopped()) {
      return;
    }
    if (!iocs_.empty()) {
      work_.clear();
      for (auto& ioc : iocs_) {
        ioc->stop();
      }
      for (std::thread& thread : threads_) {
        thread.join();
      }
      threads_.clear();
      // Sessions released while their io_contexts are destroyed below must not
      // hand the budget to (and post to) other sessions.
      for (auto& budget : body_budgets_) {
        budget->Close();
      }
      // No thread runs the io_context any more, so touching the acceptor and
      // timer from here is race-free.
      boost::system::error_code ignored;
      acceptor_->close(ignored);
      acceptor_.reset();
      accept_retry_timer_.reset();
      memory_release_timer_.reset();
      // Destroying the io_contexts destroys every pending handler, which drops
      // the last reference to each session and closes its socket. The accept
      // io_context goes first: its pending accept holds a socket that belongs
      // to one of the session io_contexts.
      while (!iocs_.empty()) {
        iocs_.pop_back();
      }
    }
    {
      std::lock_guard<std::mutex> lock(wait_mu_);
      stopped_ = true;
    }
    wait_cv_.notify_all();
  }

  void Wait() {
    std::unique_lock<std::mutex> lock(wait_mu_);
    wait_cv_.wait(lock, [this] { return stopped_; });
  }

 private:
  bool IsStopped() {
    std::lock_guard<std::mutex> lock(wait_mu_);
    return stopped_;
  }

  // The admission limits with their defaults filled in. InvalidArgument when
  // they cannot all hold (a reserve as large as the cap would refuse every
  // address that has not authenticated yet, i.e. every new client).
  absl::StatusOr<ConnectionLimitOptions> ResolveConnectionLimits() const {
    ConnectionLimitOptions limits;
    limits.max_connections = options_.max_connections;
    limits.max_per_address =
        options_.max_connections_per_address.value_or(std::max(1, options_.max_connections / 10));
    limits.reserved_for_known_addresses =
        options_.reserved_connections.value_or(options_.max_connections / 10);
    limits.known_address_memory = options_.known_address_memory;
    if (limits.max_connections < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("max_connections must be at least 1, got ", limits.max_connections));
    }
    if (limits.max_per_address < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "max_connections_per_address must be at least 1, got ", limits.max_per_address));
    }
    if (limits.reserved_for_known_addresses < 0 ||
        limits.reserved_for_known_addresses >= limits.max_connections) {
      return absl::InvalidArgumentError(
          absl::StrCat("reserved_connections must be between 0 and max_connections - 1 (",
                       limits.max_connections - 1, "), got ", limits.reserved_for_known_addresses));
    }
    return limits;
  }

  // Accepts an IP literal or "localhost" (IPv4 loopback). Names are not
  // resolved: a listen address should not depend on DNS at start-up.
  absl::StatusOr<tcp::endpoint> ResolveListenEndpoint() const {
    if (options_.host == "localhost") {
      return tcp::endpoint(asio::ip::address_v4::loopback(), options_.port);
    }
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(options_.host, ec);
    if (ec) {
      return absl::InvalidArgumentError(absl::StrCat("invalid listen host \"", options_.host,
                                                     "\": expected an IP address or localhost"));
    }
    return tcp::endpoint(address, options_.port);
  }

  void RunIoThread(asio::io_context& ioc) {
    // run() only returns normally once stop() is called; an exception escaping
    // a completion handler (e.g. bad_alloc) drops that handler's session and
    // we keep serving the others.
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: unhandled exception on I/O thread: {}", e.what());
      } catch (...) {
        spdlog::error("http: unhandled non-exception on I/O thread");
      }
    }
  }

  // Only one accept is outstanding at a time, so the acceptor and the retry
  // timer are used by one handler at a time.
  void DoAccept() {
    // iocs_.back() only accepts; sessions go to the others in turn.
    accept_target_idx_ = next_ioc_++ % (iocs_.size() - 1);
    asio::io_context& target = *iocs_[accept_target_idx_];
    acceptor_->async_accept(target.get_executor(),
                            [this](boost::system::error_code ec, tcp::socket socket) {
                              OnAccept(ec, std::move(socket));
                            });
  }

  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_->is_open()) {
        return;
      }
      spdlog::debug("http: accept failed: {}", ec.message());
      accept_retry_timer_->expires_after(kAcceptRetryDelay);
      accept_retry_timer_->async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec) {
          DoAccept();
        }
      });
      return;
    }
    boost::system::error_code endpoint_ec;
    const tcp::endpoint remote = socket.remote_endpoint(endpoint_ec);
    ConnectionLimits::Lease lease;
    if (endpoint_ec) {
      // The peer already went away.
      boost::system::error_code ignored;
      socket.close(ignored);
    } else if (const ConnectionLimits::Verdict verdict =
                   limits_->Admit(ConnectionLimits::AddressKey(remote.address()), lease);
               verdict != ConnectionLimits::Verdict::kAdmitted) {
      // Over a limit: close at once rather than spend a file descriptor and a
      // write on a 503. The client sees EOF/reset and may retry.
      boost::system::error_code ignored;
      socket.close(ignored);
      NoteRefusal(verdict, remote);
    } else {
      boost::system::error_code option_ec;
      socket.set_option(tcp::no_delay(true), option_ec);
      StartSession(SessionContext{options_, handler_, *body_budgets_[accept_target_idx_], draining_,
                                  *session_lists_[accept_target_idx_], tls_context_.get()},
                   std::move(socket), FormatEndpoint(remote), std::move(lease));
    }
    DoAccept();
  }

  // Once a second, on the accept thread: when many connections have closed
  // since the last release (counted from the highest number open since then,
  // so both a burst and a slow drain are seen), hands the memory they used
  // back to the system. Their
  // buffers and parsers are small blocks in glibc's arenas, which glibc only
  // returns from the top of a heap, so after a burst of connections (an
  // attack, a load test) the process would otherwise keep its peak size.
  void ScheduleMemoryRelease() {
    memory_release_timer_->expires_after(kMemoryReleaseInterval);
    memory_release_timer_->async_wait([this](boost::system::error_code ec) {
      if (ec) {
        return;
      }
      const int live = limits_->live_connections();
      connections_high_water_ = std::max(connections_high_water_, limits_->TakePeakConnections());
      if (connections_high_water_ - live >= kMemoryReleaseAfterClosedConnections) {
#if defined(__GLIBC__)
        malloc_trim(0);
#endif
        connections_high_water_ = live;
      }
      ScheduleMemoryRelease();
    });
  }

  // Counts refused connections and logs them at most every
  // kRefusalLogInterval, so a flood neither goes unnoticed nor floods the log.
  void NoteRefusal(ConnectionLimits::Verdict verdict, const tcp::endpoint& remote) {
    switch (verdict) {
      case ConnectionLimits::Verdict::kServerFull:
        ++refused_server_full_;
        break;
      case ConnectionLimits::Verdict::kAddressFull:
        ++refused_address_full_;
        break;
      case ConnectionLimits::Verdict::kReservedForKnown:
        ++refused_reserved_;
        break;
      case ConnectionLimits::Verdict::kAdmitted:
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_refusal_log_ < kRefusalLogInterval) {
      return;
    }
    spdlog::warn(
        "http: refused new connections: {} at the per-address limit, {} kept out of the slots "
        "reserved for authenticated clients, {} at max_connections (latest from {})",
        refused_address_full_, refused_reserved_, refused_server_full_, FormatEndpoint(remote));
    refused_address_full_ = refused_reserved_ = refused_server_full_ = 0;
    last_refusal_log_ = now;
  }

  const ServerOptions options_;
  const RequestHandler handler_;
  std::atomic<uint16_t> port_{0};
  // Set by Start when serving HTTPS; outlives the sessions (see above).
  std::shared_ptr<asio::ssl::context> tls_context_;

  std::mutex stop_mu_;  // serializes Start and Stop
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  bool stopped_ = false;  // guarded by wait_mu_

  // Created by Start. The limits and budgets outlive the io_contexts, whose
  // destruction destroys the sessions that hold leases and reservations.
  std::unique_ptr<ConnectionLimits> limits_;
  std::vector<std::unique_ptr<BodyBudget>> body_budgets_;  // one per session io_context
  std::vector<std::unique_ptr<SessionList>> session_lists_;  // one per session io_context
  std::atomic<bool> draining_{false};
  // Created by Start, torn down by Stop in reverse order.
  std::vector<std::unique_ptr<asio::io_context>> iocs_;
  // Used by the one outstanding accept handler only.
  size_t next_ioc_ = 0;
  size_t accept_target_idx_ = 0;  // the io_context (and budget) of the pending accept
  size_t refused_server_full_ = 0;
  size_t refused_address_full_ = 0;
  size_t refused_reserved_ = 0;
  std::chrono::steady_clock::time_point last_refusal_log_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> accept_retry_timer_;
  // Accept thread only: see ScheduleMemoryRelease.
  std::unique_ptr<asio::steady_timer> memory_release_timer_;
  int connections_high_water_ = 0;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

absl::Status Server::Start() { return impl_->Start(); }

uint16_t Server::port() const { return impl_->port(); }

int Server::Drain(absl::Duration grace) { return impl_->Drain(grace); }

void Server::Stop() { impl_->Stop(); }

void Server::Wait() { impl_->Wait(); }

}  // namespace connectplane::http
