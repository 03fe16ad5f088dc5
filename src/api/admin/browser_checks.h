// The checks that keep web pages out of the admin API. A browser lets any page
// it shows send "simple" cross-site requests (a text/plain or form POST) from
// the user's machine, and DNS rebinding points a foreign name at 127.0.0.1 so
// that page can even read the answers. What such a page cannot do is choose the
// Host header (it is the page's own name), hide or forge its Origin, or send a
// JSON content type without a CORS preflight, which the admin API never grants.
// So every admin call must name a trusted host, and a call carrying an Origin
// must come from the server's own origin; calls that change state must declare
// a JSON body. Pure functions; thread-safe.
#pragma once

#include "common/http_message.h"

#include "absl/status/status.h"
#include <span>
#include <string>
#include <string_view>

namespace connectplane::api::admin {

// The host part of an authority ("name", "name:port", "[v6]:port"), lower-cased:
// "localhost", "127.0.0.1", "[::1]". Empty when it is malformed (empty, an
// unbracketed IPv6 address, an unterminated bracket, a port that is not digits).
std::string HostOfAuthority(std::string_view authority);

// OK when the request's Host header names localhost, 127.0.0.1, [::1] or one of
// `allowed_hosts` (compared by host part, any port). Error: PermissionDenied
// naming the Host (and the flag that allows more names) when it is absent,
// malformed or another name.
absl::Status CheckHost(const common::HttpRequest& request,
                       std::span<const std::string> allowed_hosts);

// OK when the request has no Origin header, or its Origin is the request's own
// origin: an http or https origin whose host and port are the Host header's (a
// missing port is the scheme's default). Error: PermissionDenied quoting the
// Origin ("null" included: a sandboxed frame or a file:// page).
absl::Status CheckOrigin(const common::HttpRequest& request);

// Whether the request must declare Content-Type: application/json: every method
// but GET and HEAD, except a DELETE without a body.
bool NeedsJsonContentType(const common::HttpRequest& request);
// Whether Content-Type is application/json (any case, parameters allowed).
bool HasJsonContentType(const common::HttpRequest& request);

// True for the host part of a loopback listen address: "localhost", 127.0.0.0/8,
// "::1" (bracketed or not).
bool IsLoopbackHost(std::string_view host);

}  // namespace connectplane::api::admin
