#include "http/server.h"

#include "common/clock.h"
#include "http/body_budget.h"
#include "http/connection_limits.h"
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

// Bytes asked of the socket per read while a request header is incomplete.
constexpr size_t kReadChunkBytes = 8 * 1024;
// After a response that closes the connection we half-close and keep reading
// (discarding) for at most this long, so unread request bytes (e.g. the rest of
// a rejected oversized body) do not make the kernel answer with RST, which can
// destroy our response before the client has read it.
constexpr std::chrono::seconds kLingerTimeout{2};
// How often the accept thread checks whether connections have closed in bulk,
// and how many must have closed before it returns freed memory to the system.
constexpr std::chrono::seconds kMemoryReleaseInterval{1};
constexpr int kMemoryReleaseAfterClosedConnections = 256;
// Refused connections are reported at most this often.
constexpr std::chrono::seconds kRefusalLogInterval{10};
// Back-off after a failed accept (e.g. EMFILE) so the loop does not spin.
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

// Formats an endpoint as "ip:port" ("[ip]:port" for IPv6).
std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const asio::ip::address& address = endpoint.address();
  if (address.is_v6()) {
    return absl::StrCat("[", address.to_string(), "]:", endpoint.port());
  }
  return absl::StrCat(address.to_string(), ":", endpoint.port());
}

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

// State shared by the server and its sessions; owned by Server::Impl, which
// outlives every session (sessions die with the io_context, see Impl::Stop).
struct SessionContext {
  const ServerOptions& options;
  const RequestHandler& handler;
  // The body budget of the I/O thread the session runs on.
  BodyBudget& body_budget;
};

// One TCP connection. All of its work runs on one I/O thread, and at most one
// asynchronous operation is outstanding at any time, so members need no lock.
// The session keeps itself alive through shared_from_this() in its handlers.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(const SessionContext& context, tcp::socket socket, std::string remote_address,
          ConnectionLimits::Lease lease)
      : context_(context),
        stream_(std::move(socket)),
        remote_address_(std::move(remote_address)),
        lease_(std::move(lease)) {}
  // Runs on the session's I/O thread (or after they all stopped), the only
  // user of its body budget.
  ~Session() {
    if (budget_ticket_) {
      context_.body_budget.Cancel(*budget_ticket_);
    }
    ReleaseBodyBudget();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::BeginRequest, shared_from_this()));
  }

 private:
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
      stream_.expires_never();
      return;
    }
    stream_.expires_at(deadline);
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

  void ReadHeaderBytes() {
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            beast::bind_front_handler(&Session::OnHeaderBytes, shared_from_this()));
  }

  void OnHeaderBytes(beast::error_code ec, size_t bytes_read) {
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
      asio::post(stream_.get_executor(),
                 beast::bind_front_handler(&Session::OnBodyBudgetGranted, shared_from_this()));
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
        beast::bind_front_handler(&Session::OnBodyBudgetTimeout, shared_from_this()));
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
      asio::async_write(stream_, asio::buffer(kContinueLine.data(), kContinueLine.size()),
                        beast::bind_front_handler(&Session::OnContinueWritten, shared_from_this()));
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
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            beast::bind_front_handler(&Session::OnBodyBytes, shared_from_this()));
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
    bool keep = keep_alive;
    if (!BuildResponse(response, version, head, keep)) {
      spdlog::error("http: handler returned an unsendable response (status {})", response.status);
      common::HttpResponse internal = InternalErrorResponse();
      keep = keep_alive;
      BuildResponse(internal, version, head, keep);
    }
    if (response.send_delay > std::chrono::milliseconds(0)) {
      // An injected latency: wait on a timer, never on the I/O thread, so the
      // thread's other connections are served meanwhile. Nothing is read from
      // this connection until the answer is written.
      stream_.expires_never();
      send_timer_.expires_after(response.send_delay);
      send_timer_.async_wait(
          [self = shared_from_this(), close_after = !keep](beast::error_code ec) {
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
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
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
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    buffer_.clear();
    Drain();
  }

  void Drain() {
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            beast::bind_front_handler(&Session::OnDrained, shared_from_this()));
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
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  SessionContext context_;
  beast::tcp_stream stream_;
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
};

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
      std::make_shared<Session>(
          SessionContext{options_, handler_, *body_budgets_[accept_target_idx_]}, std::move(socket),
          FormatEndpoint(remote), std::move(lease))
          ->Start();
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

  std::mutex stop_mu_;  // serializes Start and Stop
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  bool stopped_ = false;  // guarded by wait_mu_

  // Created by Start. The limits and budgets outlive the io_contexts, whose
  // destruction destroys the sessions that hold leases and reservations.
  std::unique_ptr<ConnectionLimits> limits_;
  std::vector<std::unique_ptr<BodyBudget>> body_budgets_;  // one per session io_context
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

void Server::Stop() { impl_->Stop(); }

void Server::Wait() { impl_->Wait(); }

}  // namespace connectplane::http
