#include "api/admin/browser_checks.h"

#include "common/strings.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <netinet/in.h>
#include <optional>

namespace connectplane::api::admin {
namespace {

// Host names every admin call may use, whatever the flags say.
constexpr std::string_view kLoopbackNames[] = {"localhost", "127.0.0.1", "[::1]"};

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

// An authority split into its lower-cased host part and its port ("" when
// absent); nullopt when malformed.
struct Authority {
  std::string host;
  std::string port;
};

std::optional<Authority> SplitAuthority(std::string_view authority) {
  Authority out;
  std::string_view rest;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = Lower(authority.substr(0, close + 1));
    rest = authority.substr(close + 1);
  } else {
    size_t colon = authority.find(':');
    out.host = Lower(authority.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || !AllDigits(rest.substr(1))) return std::nullopt;
    out.port = std::string(rest.substr(1));
  }
  if (out.host.empty() || out.host == "[]") return std::nullopt;
  // Only the characters of a DNS name, an IPv4 address or a bracketed IPv6 one.
  for (unsigned char c : out.host) {
    if (std::isalnum(c) == 0 && c != '.' && c != '-' && c != '_' && c != '[' && c != ']' &&
        c != ':') {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::string HostOfAuthority(std::string_view authority) {
  std::optional<Authority> split = SplitAuthority(authority);
  return split ? split->host : std::string();
}

absl::Status CheckHost(const common::HttpRequest& request,
                       std::span<const std::string> allowed_hosts) {
  std::optional<std::string_view> host_header = request.Header("Host");
  const std::string host = host_header ? HostOfAuthority(*host_header) : std::string();
  if (!host.empty()) {
    for (std::string_view trusted : kLoopbackNames) {
      if (host == trusted) return absl::OkStatus();
    }
    for (const std::string& allowed : allowed_hosts) {
      if (host == HostOfAuthority(allowed)) return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(common::StrCat(
      host_header ? common::StrCat("Host '", common::QuoteUntrusted(*host_header), "'")
                  : std::string("a request without a Host header"),
      " is not allowed for the admin API (localhost, 127.0.0.1 and [::1] are; start the server "
      "with --admin-allowed-host NAME to allow another name)"));
}

absl::Status CheckOrigin(const common::HttpRequest& request) {
  std::optional<std::string_view> origin = request.Header("Origin");
  if (!origin) return absl::OkStatus();
  auto refused = [&origin]() {
    return absl::PermissionDeniedError(
        common::StrCat("cross-origin admin calls are refused (Origin '",
                       common::QuoteUntrusted(*origin), "' is not this server's own origin)"));
  };
  std::string_view authority = *origin;
  std::string_view default_port;
  if (authority.starts_with("http://")) {
    authority.remove_prefix(7);
    default_port = "80";
  } else if (authority.starts_with("https://")) {
    authority.remove_prefix(8);
    default_port = "443";
  } else {
    return refused();  // "null", or a scheme no page of this server has
  }
  std::optional<std::string_view> host_header = request.Header("Host");
  std::optional<Authority> from = SplitAuthority(authority);
  std::optional<Authority> to =
      host_header ? SplitAuthority(*host_header) : std::optional<Authority>();
  if (!from || !to) return refused();
  // Behind a TLS proxy the Host often has no port while the Origin is
  // https://name: a missing port on either side is the origin scheme's default.
  if (from->port.empty()) from->port = std::string(default_port);
  if (to->port.empty()) to->port = std::string(default_port);
  if (from->host != to->host || from->port != to->port) return refused();
  return absl::OkStatus();
}

bool NeedsJsonContentType(const common::HttpRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return false;
  return request.method != "DELETE" || !request.body.empty();
}

bool HasJsonContentType(const common::HttpRequest& request) {
  std::optional<std::string_view> content_type = request.Header("Content-Type");
  if (!content_type) return false;
  std::string_view media_type = content_type->substr(0, content_type->find(';'));
  while (!media_type.empty() && (media_type.back() == ' ' || media_type.back() == '\t')) {
    media_type.remove_suffix(1);
  }
  while (!media_type.empty() && (media_type.front() == ' ' || media_type.front() == '\t')) {
    media_type.remove_prefix(1);
  }
  return common::EqualsIgnoreCase(media_type, "application/json");
}

bool IsLoopbackHost(std::string_view host) {
  if (common::EqualsIgnoreCase(host, "localhost")) return true;
  std::string address(host);
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace connectplane::api::admin
