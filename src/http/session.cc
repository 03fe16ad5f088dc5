#include "http/session.h"

#include "common/clock.h"
#include "http/request_framing.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <spdlog/spdlog.h>
#if defined(__GLIBC__)
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
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace connectplane::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using WireRequest = bhttp::request<bhttp::string_body>;

// Bytes asked of the socket per read while a request header is incomplete.
constexpr size_t kReadChunkBytes = 8 * 1024;
// After a response that closes the connection we half-close and keep reading
// (discarding) for at most this long, so unread request bytes (e.g. the rest of
// a rejected oversized body) do not make the kernel answer with RST, which can
// destroy our response before the client has read it.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// Timers longer than this are treated as "never" (avoids steady_clock overflow).
constexpr absl::Duration kMaxTimer = absl::Hours(24 * 365);

constexpr std::string_view kServerName = "connectplane";
constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kContinueLine = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kInternalErrorBody =
    R"({"error_code":"INTERNAL","error_msg":"internal error"})";
constexpr std::string_view kBadRequestBody =
    R"({"error_code":"BAD_REQUEST","error_msg":"malformed HTTP request"})";
constexpr std::string_view kHeaderTooLargeBody = "request header fields too large";
constexpr std::string_view kUnsupportedTransferCodingBody =
    R"({"error_code":"NOT_IMPLEMENTED","error_msg":"unsupported transfer coding"})";

// RFC 9110 token characters, the only ones allowed in a field name.
bool IsTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidFieldName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsTokenChar);
}

// Rejects bytes that would let a value end the header line early (injection).
bool IsValidFieldValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

common::HttpResponse InternalErrorResponse() {
  common::HttpResponse response;
  response.status = 500;
  response.headers.emplace_back("Content-Type", std::string(kJsonType));
  response.body = std::string(kInternalErrorBody);
  return response;
}

// Copies a parsed wire request into the transport-neutral form. The body is
// passed separately so a rejected request can carry an empty one.
common::HttpRequest ToHttpRequest(const WireRequest& message, std::string body,
                                  const std::string& remote_address) {
  common::HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  // beast::http::fields iterates in insertion (= wire) order and keeps the
  // name spelling it was given.
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(body);
  request.remote_address = remote_address;
  return request;
}

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One TCP connection, plain (PlainStream) or TLS (TlsStream): the HTTP logic,
// limits and timeouts are the same code for both; only the start (a TLS
// handshake first) differs. Timers and the socket live on the lowest layer,
// the TCP stream. All of its work runs on one I/O thread, and at most one
// asynchronous operation is outstanding at any time, so members need no lock.
// The session keeps itself alive through shared_from_this() in its handlers.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Session(const SessionContext& context, tcp::socket socket, std::string remote_address,
          ConnectionLimits::Lease lease)
      : context_(context),
        stream_(MakeStream(std::move(socket), context)),
        remote_address_(std::move(remote_address)),
        lease_(std::move(lease)) {}
  // Runs on the session's I/O thread (or after they all stopped), the only
  // user of its body budget.
  ~Session() {
    if (drain_entry_ != 0) {
      context_.sessions.Remove(drain_entry_);
    }
    if (budget_ticket_) {
      context_.body_budget.Cancel(*budget_ticket_);
    }
    ReleaseBodyBudget();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    if constexpr (kTls) {
      asio::dispatch(stream_.get_executor(),
                     beast::bind_front_handler(&Session::BeginHandshake, this->shared_from_this()));
    } else {
      asio::dispatch(stream_.get_executor(),
                     beast::bind_front_handler(&Session::BeginRequest, this->shared_from_this()));
    }
  }

 private:
  static Stream MakeStream(tcp::socket socket, const SessionContext& context) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *context.tls_context);
    } else {
      (void)context;
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  // TLS only: the handshake must complete within tls_handshake_timeout of
  // accept; a client that speaks plain HTTP (or nothing) is closed without an
  // answer when its bytes are not a ClientHello.
  void BeginHandshake() {
    ArmTimer(context_.options.tls_handshake_timeout);
    if constexpr (kTls) {
      stream_.async_handshake(
          asio::ssl::stream_base::server,
          beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
    }
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      spdlog::debug("http: TLS handshake with {} failed: {}", remote_address_, ec.message());
      CloseNow();
      return;
    }
    BeginRequest();
  }
  using SteadyTime = std::chrono::steady_clock::time_point;

  static SteadyTime DeadlineAfter(SteadyTime start, absl::Duration timeout) {
    if (timeout >= kMaxTimer) {
      return SteadyTime::max();
    }
    return start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       absl::ToChronoNanoseconds(std::max(timeout, absl::ZeroDuration())));
  }

  // Sets the deadline of the stream operations started from now on.
  void ArmTimerAt(SteadyTime deadline) {
    if (deadline == SteadyTime::max()) {
      Tcp().expires_never();
      return;
    }
    Tcp().expires_at(deadline);
  }

  void ArmTimer(absl::Duration timeout) {
    ArmTimerAt(DeadlineAfter(std::chrono::steady_clock::now(), timeout));
  }

  // Timeout policy: a fresh connection gets request_read_timeout from accept
  // until its first request is read whole. On a reused connection with nothing
  // buffered, keep_alive_idle runs until the first byte of the next request
  // arrives, then request_read_timeout covers the rest of that request (header
  // and body). Pipelined bytes already buffered skip the idle phase. Until the
  // connection has carried an authenticated request, its header must also be
  // complete within unauthenticated_timeout of accept or of the previous
  // response, so a socket held idle by a stranger frees its slot quickly.
  void BeginRequest() {
    if (drain_entry_ == 0) {
      drain_entry_ = context_.sessions.Add([weak = this->weak_from_this()] {
        if (std::shared_ptr<Session> self = weak.lock()) self->OnDrain();
      });
    }
    if (reused_ && buffer_.size() == 0 && context_.draining.load(std::memory_order_relaxed)) {
      CloseNow();  // draining: no further request on this connection
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<size_t>(
        context_.options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(static_cast<std::uint64_t>(context_.options.max_body_bytes));
    header_bytes_consumed_ = 0;
    body_bytes_parsed_ = 0;
    body_length_.reset();
    body_started_ = false;
    const SteadyTime now = std::chrono::steady_clock::now();
    header_deadline_ = lease_.authenticated()
                           ? SteadyTime::max()
                           : DeadlineAfter(now, context_.options.unauthenticated_timeout);
    if (reused_ && buffer_.size() == 0) {
      idle_ = true;
      ArmTimerAt(std::min(DeadlineAfter(now, context_.options.keep_alive_idle), header_deadline_));
      ReadHeaderBytes();
      return;
    }
    idle_ = false;
    StartRequestClock(now);
    ParseBufferedHeader();
  }

  void StartRequestClock(SteadyTime now) {
    request_deadline_ = DeadlineAfter(now, context_.options.request_read_timeout);
    ArmTimerAt(std::min(request_deadline_, header_deadline_));
  }

  // The server drains: a connection with no byte of a request yet closes now
  // (its client sees the close before sending, so nothing was applied); one
  // in the middle of a request finishes it and closes after the answer.
  void OnDrain() {
    if (reading_header_ && header_bytes_consumed_ == 0 && buffer_.size() == 0) {
      CloseNow();
    }
  }

  void ReadHeaderBytes() {
    reading_header_ = true;
    stream_.async_read_some(
        buffer_.prepare(kReadChunkBytes),
        beast::bind_front_handler(&Session::OnHeaderBytes, this->shared_from_this()));
  }

  void OnHeaderBytes(beast::error_code ec, size_t bytes_read) {
    reading_header_ = false;
    if (ec) {
      // EOF between requests is the normal end of a keep-alive connection; EOF
      // inside a header, a reset, or a timeout are all closed without a reply.
      CloseNow();
      return;
    }
    buffer_.commit(bytes_read);
    if (idle_) {
      idle_ = false;
      StartRequestClock(std::chrono::steady_clock::now());
    }
    ParseBufferedHeader();
  }

  // Feeds buffered bytes to the parser until the header is complete. We run
  // this loop instead of http::async_read_header for two reasons: it lets the
  // first byte switch the timer from keep_alive_idle to request_read_timeout,
  // and it holds the whole header to max_header_bytes. Beast (1.81) checks
  // header_limit only against unconsumed bytes and consumes the request line
  // on its own, so request line + fields could otherwise reach twice the limit.
  void ParseBufferedHeader() {
    const size_t limit = context_.options.max_header_bytes;
    while (buffer_.size() > 0) {
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      header_bytes_consumed_ += used;
      if (ec == bhttp::error::need_more) {
        break;
      }
      if (!ec && header_bytes_consumed_ > limit) {
        ec = bhttp::error::header_limit;
      }
      if (ec) {
        OnParseError(ec);
        return;
      }
      if (parser_->is_header_done()) {
        OnHeaderComplete();
        return;
      }
      if (used == 0) {
        break;
      }
    }
    // The header is incomplete, so everything buffered belongs to it.
    if (header_bytes_consumed_ + buffer_.size() > limit) {
      OnParseError(bhttp::error::header_limit);
      return;
    }
    ReadHeaderBytes();
  }

  void OnHeaderComplete() {
    // The header deadline is met; request_read_timeout keeps running: one
    // budget covers the whole request.
    ArmTimerAt(request_deadline_);
    switch (JudgeRequestFraming(parser_->get().base(), parser_->chunked())) {
      case FramingVerdict::kAcceptable:
        break;
      case FramingVerdict::kBadRequest:
        SendFixedResponse(bhttp::status::bad_request, kJsonType, kBadRequestBody);
        return;
      case FramingVerdict::kUnsupportedTransferCoding:
        SendFixedResponse(bhttp::status::not_implemented, kJsonType,
                          kUnsupportedTransferCodingBody);
        return;
    }
    if (parser_->is_done()) {
      DispatchRequest();
      return;
    }
    // Beast's content_length() counts down as the body is parsed.
    if (const boost::optional<std::uint64_t> length = parser_->content_length()) {
      body_length_ = *length;
    }
    if (NeedsBodyBudget() && !TryReserveBodyBudget()) {
      WaitForBodyBudget();
      return;
    }
    StartBody();
  }

  // A body larger than body_bytes_without_budget holds a reservation of its
  // whole size (Content-Length, or max_body_bytes when chunked) before more of
  // it is parsed or read. Reserving the whole size up front means a connection
  // never waits while holding part of the budget, so waiters cannot deadlock.
  bool NeedsBodyBudget() const {
    if (body_reserved_bytes_ > 0) {
      return false;
    }
    const size_t allowance = context_.options.body_bytes_without_budget;
    if (body_length_) {
      return *body_length_ > allowance;
    }
    // Chunked: once the bytes parsed so far (chunk framing included) reach
    // the allowance; until then it holds at most that plus one read.
    return body_bytes_parsed_ >= allowance;
  }

  size_t BodyBudgetRequest() const {
    const uint64_t wanted = body_length_ ? *body_length_ : context_.options.max_body_bytes;
    return static_cast<size_t>(std::min<uint64_t>(wanted, context_.body_budget.capacity_bytes()));
  }

  bool TryReserveBodyBudget() {
    const size_t bytes = BodyBudgetRequest();
    if (!context_.body_budget.TryReserve(bytes)) {
      return false;
    }
    body_reserved_bytes_ = bytes;
    return true;
  }

  // Reads nothing until the budget grants the reservation; the client's bytes
  // stay in the kernel. Gives up (closing, like any request that is not read
  // in time) at the request's deadline, or after unauthenticated_timeout on a
  // connection that has not authenticated: a waiting session cannot tell
  // that its client has gone (it reads nothing), so after an attack ends its
  // sessions would otherwise linger, with their buffers, for the full timeout.
  void WaitForBodyBudget() {
    const size_t bytes = BodyBudgetRequest();
    waiting_for_budget_ = true;
    // Runs inside BodyBudget::Release/Cancel on this thread; the session is
    // alive (its destructor withdraws the ticket), so `this` is safe here.
    budget_ticket_ = context_.body_budget.Enqueue(bytes, [this, bytes] {
      budget_ticket_.reset();
      body_reserved_bytes_ = bytes;
      asio::post(stream_.get_executor(), beast::bind_front_handler(&Session::OnBodyBudgetGranted,
                                                                   this->shared_from_this()));
    });
    if (!budget_timer_) {
      budget_timer_.emplace(stream_.get_executor());
    }
    SteadyTime give_up = request_deadline_;
    if (!lease_.authenticated()) {
      give_up = std::min(give_up, DeadlineAfter(std::chrono::steady_clock::now(),
                                                context_.options.unauthenticated_timeout));
    }
    budget_timer_->expires_at(give_up);
    budget_timer_->async_wait(
        beast::bind_front_handler(&Session::OnBodyBudgetTimeout, this->shared_from_this()));
  }

  void OnBodyBudgetGranted() {
    if (!waiting_for_budget_) {
      return;  // timed out meanwhile; the destructor returns the bytes
    }
    waiting_for_budget_ = false;
    budget_timer_->cancel();
    if (body_started_) {
      ParseBufferedBody();
    } else {
      StartBody();
    }
  }

  void OnBodyBudgetTimeout(beast::error_code ec) {
    if (ec || !waiting_for_budget_) {
      return;  // cancelled: the grant came first
    }
    waiting_for_budget_ = false;
    if (budget_ticket_) {
      context_.body_budget.Cancel(*std::exchange(budget_ticket_, std::nullopt));
    }
    CloseNow();
  }

  void StartBody() {
    body_started_ = true;
    const WireRequest& message = parser_->get();
    auto expect = message.find(bhttp::field::expect);
    if (message.version() >= 11 && expect != message.end() &&
        beast::iequals(expect->value(), "100-continue")) {
      // The client waits for this interim answer before sending the body; it
      // goes out only once the body may be read.
      asio::async_write(
          stream_, asio::buffer(kContinueLine.data(), kContinueLine.size()),
          beast::bind_front_handler(&Session::OnContinueWritten, this->shared_from_this()));
      return;
    }
    ParseBufferedBody();
  }

  void OnContinueWritten(beast::error_code ec, size_t /*bytes_written*/) {
    if (ec) {
      CloseNow();
      return;
    }
    ParseBufferedBody();
  }

  // Feeds buffered body bytes to the parser (bytes that came with the header
  // first), then reads more in kReadChunkBytes pieces. Reading through our own
  // small buffer (not http::async_read, which grows the buffer to 64 KiB per
  // connection) keeps a connection's memory at its body plus one chunk.
  void ParseBufferedBody() {
    for (;;) {
      if (NeedsBodyBudget() && !TryReserveBodyBudget()) {
        WaitForBodyBudget();
        return;
      }
      if (buffer_.size() == 0) {
        break;
      }
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      body_bytes_parsed_ += used;
      if (ec == bhttp::error::need_more) {
        break;
      }
      if (ec) {
        OnParseError(ec);
        return;
      }
      if (parser_->is_done()) {
        DispatchRequest();
        return;
      }
      if (used == 0) {
        break;
      }
    }
    stream_.async_read_some(
        buffer_.prepare(kReadChunkBytes),
        beast::bind_front_handler(&Session::OnBodyBytes, this->shared_from_this()));
  }

  void OnBodyBytes(beast::error_code ec, size_t bytes_read) {
    if (ec) {
      CloseNow();  // EOF inside the body, timeout, reset, cancelled
      return;
    }
    buffer_.commit(bytes_read);
    ParseBufferedBody();
  }

  void ReleaseBodyBudget() {
    if (body_reserved_bytes_ > 0) {
      context_.body_budget.Release(std::exchange(body_reserved_bytes_, 0));
    }
  }

  // Answers a request the parser refused. Oversized requests still reach the
  // handler (with transport_rejection set) so the client gets an error in its
  // dialect's shape; everything else gets a fixed reply. Always closes.
  void OnParseError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      RejectThroughHandler(413);
      return;
    }
    if (ec == bhttp::error::header_limit) {
      // method_string() is empty until the request line has been parsed.
      if (!parser_->get().method_string().empty()) {
        RejectThroughHandler(431);
      } else {
        SendFixedResponse(bhttp::status::request_header_fields_too_large, "text/plain",
                          kHeaderTooLargeBody);
      }
      return;
    }
    SendFixedResponse(bhttp::status::bad_request, kJsonType, kBadRequestBody);
  }

  void DispatchRequest() {
    WireRequest message = parser_->release();
    const unsigned version = message.version();
    const bool keep_alive = message.keep_alive();
    const bool head = message.method() == bhttp::verb::head;
    common::HttpResponse response = [&] {
      common::HttpRequest request =
          ToHttpRequest(message, std::move(message.body()), remote_address_);
      return InvokeHandler(request);
    }();
    // The body is gone: its reservation goes to the next waiting connection.
    ReleaseBodyBudget();
    SendHandlerResponse(std::move(response), version, keep_alive, head);
  }

  // The request carries the header as parsed so far (for 431 possibly only
  // some of the fields) and an empty body.
  void RejectThroughHandler(int status) {
    const WireRequest& message = parser_->get();
    common::HttpRequest request = ToHttpRequest(message, std::string(), remote_address_);
    request.transport_rejection = status;
    const bool head = message.method() == bhttp::verb::head;
    SendHandlerResponse(InvokeHandler(request), message.version(), /*keep_alive=*/false, head);
  }

  common::HttpResponse InvokeHandler(common::HttpRequest& request) {
    try {
      return context_.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("http: handler threw for {} {}: {}", request.method, request.target, e.what());
    } catch (...) {
      spdlog::error("http: handler threw a non-exception for {} {}", request.method,
                    request.target);
    }
    return InternalErrorResponse();
  }

  // Serializes the handler's answer into response_head_/response_body_.
  // Framing headers are ours: Content-Length/Transfer-Encoding from the handler
  // are dropped, Connection is only read for "close", Server is overwritten.
  // Returns false (buffers unspecified) when the answer cannot be sent as is: a
  // status outside 200-599 or a header that is not a valid field.
  //
  // The head is written as text rather than through beast::http::response and
  // its serializer: that path allocated a node per field and walked a
  // buffers_cat_view per write, about 5 % of a ShowInstance (docs/performance.md).
  bool BuildResponse(common::HttpResponse& response, unsigned version, bool head,
                     bool& keep_alive) {
    if (response.status < 200 || response.status > 599) {
      return false;
    }
    response_head_.clear();
    AppendStatusLine(version, static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) {
      if (!IsValidFieldName(name) || !IsValidFieldValue(value)) {
        return false;
      }
      const bhttp::field field = bhttp::string_to_field(name);
      if (field == bhttp::field::content_length || field == bhttp::field::transfer_encoding ||
          field == bhttp::field::server) {
        continue;
      }
      if (field == bhttp::field::connection) {
        if (bhttp::token_list(value).exists("close")) {
          keep_alive = false;
        }
        continue;
      }
      AppendField(name, value);
    }
    AppendField("Server", kServerName);
    response_body_.clear();
    const bool bodiless = response.status == 204 || response.status == 304;
    if (!bodiless) {
      AppendField("Content-Length", std::to_string(response.body.size()));
      // A HEAD answer announces the length a GET would have but sends no body.
      if (!head) {
        response_body_ = std::move(response.body);
      }
    }
    if (!keep_alive) {
      AppendField("Connection", "close");
    } else if (version < 11) {
      AppendField("Connection", "keep-alive");
    }
    response_head_.append("\r\n");
    return true;
  }

  // "HTTP/1.1 200 OK\r\n"; the reason phrase is Beast's for the code (as its
  // serializer wrote before), "<unknown-status>" for codes it does not name.
  void AppendStatusLine(unsigned version, unsigned status) {
    response_head_.append(version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ");
    response_head_.append(std::to_string(status));
    response_head_.push_back(' ');
    const beast::string_view reason = bhttp::obsolete_reason(bhttp::int_to_status(status));
    response_head_.append(reason.data(), reason.size());
    response_head_.append("\r\n");
  }

  void AppendField(std::string_view name, std::string_view value) {
    response_head_.append(name);
    response_head_.append(": ");
    response_head_.append(value);
    response_head_.append("\r\n");
  }

  void SendHandlerResponse(common::HttpResponse response, unsigned version, bool keep_alive,
                           bool head) {
    if (response.access.authenticated) {
      lease_.MarkAuthenticated();
    }
    // A draining server ends each connection after its current answer.
    const bool keep_open = keep_alive && !context_.draining.load(std::memory_order_relaxed);
    bool keep = keep_open;
    if (!BuildResponse(response, version, head, keep)) {
      spdlog::error("http: handler returned an unsendable response (status {})", response.status);
      common::HttpResponse internal = InternalErrorResponse();
      keep = keep_open;
      BuildResponse(internal, version, head, keep);
    }
    if (response.send_delay > std::chrono::milliseconds(0)) {
      // An injected latency: wait on a timer, never on the I/O thread, so the
      // thread's other connections are served meanwhile. Nothing is read from
      // this connection until the answer is written.
      Tcp().expires_never();
      send_timer_.expires_after(response.send_delay);
      send_timer_.async_wait(
          [self = this->shared_from_this(), close_after = !keep](beast::error_code ec) {
            if (ec) {
              self->CloseNow();  // the server is stopping
              return;
            }
            self->WriteResponse(close_after);
          });
      return;
    }
    WriteResponse(/*close_after=*/!keep);
  }

  // A reply the transport writes without consulting the handler; always
  // HTTP/1.1 and always followed by a close.
  void SendFixedResponse(bhttp::status status, std::string_view content_type,
                         std::string_view body) {
    response_head_.clear();
    AppendStatusLine(11, static_cast<unsigned>(status));
    AppendField("Server", kServerName);
    AppendField("Content-Type", content_type);
    AppendField("Connection", "close");
    AppendField("Content-Length", std::to_string(body.size()));
    response_head_.append("\r\n");
    response_body_.assign(body.data(), body.size());
    WriteResponse(/*close_after=*/true);
  }

  // Writing shares the request_read_timeout budget value (a fresh timer) so a
  // client that stops reading cannot pin the connection.
  void WriteResponse(bool close_after) {
    close_after_write_ = close_after;
    ArmTimer(context_.options.request_read_timeout);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(response_head_),
                                                    asio::buffer(response_body_)};
    asio::async_write(stream_, buffers,
                      beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t /*bytes_written*/) {
    if (ec) {
      CloseNow();
      return;
    }
    response_body_.clear();
    if (close_after_write_) {
      LingeringClose();
      return;
    }
    reused_ = true;
    BeginRequest();
  }

  void LingeringClose() {
    // A refused request's partial body is not needed for the drain.
    parser_.reset();
    ReleaseBodyBudget();
    beast::error_code ignored;
    // For TLS this ends the TCP stream without a close_notify: the response
    // is framed by Content-Length, so the client has it whole either way.
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().expires_after(kLingerTimeout);
    buffer_.clear();
    Drain();
  }

  void Drain() {
    stream_.async_read_some(
        buffer_.prepare(kReadChunkBytes),
        beast::bind_front_handler(&Session::OnDrained, this->shared_from_this()));
  }

  void OnDrained(beast::error_code ec, size_t /*bytes_read*/) {
    if (ec) {
      CloseNow();  // EOF from the client, linger timeout, or reset
      return;
    }
    // Discard without committing: the bytes belong to a request we refused.
    Drain();
  }

  void CloseNow() {
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Tcp().close();
  }

  SessionContext context_;
  Stream stream_;
  asio::steady_timer send_timer_{stream_.get_executor()};
  const std::string remote_address_;
  ConnectionLimits::Lease lease_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  SteadyTime header_deadline_ = SteadyTime::max();
  SteadyTime request_deadline_ = SteadyTime::max();
  // Body state of the current request (see NeedsBodyBudget).
  std::optional<uint64_t> body_length_;  // Content-Length; nullopt when chunked
  size_t body_bytes_parsed_ = 0;
  size_t body_reserved_bytes_ = 0;  // held from context_.body_budget
  std::optional<BodyBudget::Ticket> budget_ticket_;
  std::optional<asio::steady_timer> budget_timer_;  // made on first wait
  bool waiting_for_budget_ = false;
  bool body_started_ = false;  // StartBody ran (100 Continue sent if asked)
  // The response being written: status line and fields (its capacity is
  // reused by the next request of the connection), then the body.
  std::string response_head_;
  std::string response_body_;
  size_t header_bytes_consumed_ = 0;
  bool reused_ = false;  // a response has already been sent on this connection
  bool idle_ = false;    // waiting for the first byte under keep_alive_idle
  bool close_after_write_ = false;
  bool reading_header_ = false;  // a read for header bytes is outstanding
  uint64_t drain_entry_ = 0;     // in context_.sessions; 0 until registered
};

}  // namespace

void StartSession(const SessionContext& context, boost::asio::ip::tcp::socket socket,
                  std::string remote_address, ConnectionLimits::Lease lease) {
  if (context.tls_context != nullptr) {
    std::make_shared<Session<TlsStream>>(context, std::move(socket), std::move(remote_address),
                                         std::move(lease))
        ->Start();
    return;
  }
  std::make_shared<Session<PlainStream>>(context, std::move(socket), std::move(remote_address),
                                         std::move(lease))
      ->Start();
}

}  // namespace connectplane::http
