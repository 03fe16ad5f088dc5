#include "healthcheck.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <netdb.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace connectplane {
namespace {

using SteadyClock = std::chrono::steady_clock;

int Unhealthy(const std::string& target, const std::string& why) {
  std::cerr << "connectplane healthcheck: " << target << ": " << why << "\n";
  return 1;
}

// Milliseconds left until `deadline`, at least 0.
int MillisecondsLeft(SteadyClock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits until `fd` is ready for `events` or the deadline passes; false on time-out.
bool WaitFor(int fd, short events, SteadyClock::time_point deadline) {
  pollfd entry{.fd = fd, .events = events, .revents = 0};
  for (;;) {
    int ready = poll(&entry, 1, MillisecondsLeft(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

// A connected socket to `address`, or -1 with `error` set.
int Connect(const addrinfo& address, SteadyClock::time_point deadline, std::string& error) {
  int fd = socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  address.ai_protocol);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  if (connect(fd, address.ai_addr, address.ai_addrlen) != 0 && errno != EINPROGRESS) {
    error = std::strerror(errno);
    close(fd);
    return -1;
  }
  if (!WaitFor(fd, POLLOUT, deadline)) {
    error = "connect timed out";
    close(fd);
    return -1;
  }
  int socket_error = 0;
  socklen_t length = sizeof(socket_error);
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &socket_error, &length);
  if (socket_error != 0) {
    error = std::strerror(socket_error);
    close(fd);
    return -1;
  }
  return fd;
}

// The response's status line (without CRLF), or "" with `error` set.
std::string ExchangeStatusLine(int fd, const std::string& request, SteadyClock::time_point deadline,
                               std::string& error) {
  size_t sent = 0;
  while (sent < request.size()) {
    if (!WaitFor(fd, POLLOUT, deadline)) {
      error = "timed out sending the request";
      return "";
    }
    ssize_t written = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (written < 0 && errno != EAGAIN && errno != EINTR) {
      error = std::strerror(errno);
      return "";
    }
    if (written > 0) sent += static_cast<size_t>(written);
  }
  std::string received;
  while (received.find("\r\n") == std::string::npos && received.size() < 4096) {
    if (!WaitFor(fd, POLLIN, deadline)) {
      error = "timed out waiting for the answer";
      return "";
    }
    char buffer[1024];
    ssize_t read = recv(fd, buffer, sizeof(buffer), 0);
    if (read == 0) break;
    if (read < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      error = std::strerror(errno);
      return "";
    }
    received.append(buffer, static_cast<size_t>(read));
  }
  size_t line_end = received.find("\r\n");
  if (line_end == std::string::npos) {
    error = "connection closed before a status line";
    return "";
  }
  return received.substr(0, line_end);
}

}  // namespace

int RunHealthcheck(const std::string& host, uint16_t port, double timeout_seconds) {
  // The server's --listen value is what callers pass; a wildcard address
  // accepts loopback connections of its family.
  std::string probe_host = host;
  if (probe_host.empty() || probe_host == "0.0.0.0") probe_host = "127.0.0.1";
  if (probe_host == "::") probe_host = "::1";
  const std::string host_header =
      probe_host.find(':') != std::string::npos ? "[" + probe_host + "]" : probe_host;
  const std::string target = "http://" + host_header + ":" + std::to_string(port) + "/healthz";
  const auto deadline =
      SteadyClock::now() + std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  if (int resolved =
          getaddrinfo(probe_host.c_str(), std::to_string(port).c_str(), &hints, &addresses);
      resolved != 0) {
    return Unhealthy(target, gai_strerror(resolved));
  }
  std::string error = "no address";
  int fd = -1;
  for (addrinfo* address = addresses; address != nullptr && fd < 0; address = address->ai_next) {
    fd = Connect(*address, deadline, error);
  }
  freeaddrinfo(addresses);
  if (fd < 0) return Unhealthy(target, error);

  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: " + host_header + ":" + std::to_string(port) +
      "\r\nUser-Agent: connectplane-healthcheck\r\nConnection: close\r\n\r\n";
  std::string status_line = ExchangeStatusLine(fd, request, deadline, error);
  close(fd);
  if (status_line.empty()) return Unhealthy(target, error);
  // "HTTP/1.1 200 OK"
  size_t space = status_line.find(' ');
  if (space == std::string::npos || status_line.compare(space + 1, 3, "200") != 0) {
    return Unhealthy(target, "answered '" + status_line + "'");
  }
  std::cout << "connectplane healthcheck: " << target << ": " << status_line << "\n";
  return 0;
}

}  // namespace connectplane
