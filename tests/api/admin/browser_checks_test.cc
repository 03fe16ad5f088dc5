#include "api/admin/browser_checks.h"

#include "common/http_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace connectplane::api::admin {
namespace {

common::HttpRequest Request(std::string method, common::HeaderList headers, std::string body = "") {
  common::HttpRequest request;
  request.method = std::move(method);
  request.target = "/_connectplane/state";
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

TEST(BrowserChecksTest, HostOfAuthority) {
  struct Case {
    const char* authority;
    const char* host;  // "" = malformed
  } cases[] = {
      {"localhost", "localhost"},
      {"LocalHost:8080", "localhost"},
      {"127.0.0.1:80", "127.0.0.1"},
      {"[::1]:8080", "[::1]"},
      {"[::1]", "[::1]"},
      {"cp.internal:", "cp.internal"},
      {"", ""},
      {":8080", ""},
      {"::1", ""},
      {"[::1", ""},
      {"[::1]x", ""},
      {"host:80x", ""},
      {"host:80:90", ""},
      {"evil.example/x", ""},
      {"user@host", ""},
      {"[]:1", ""},
  };
  for (const Case& test_case : cases) {
    EXPECT_EQ(HostOfAuthority(test_case.authority), test_case.host) << test_case.authority;
  }
}

TEST(BrowserChecksTest, HostMustBeLoopbackOrAllowed) {
  const std::vector<std::string> allowed = {"cp.internal", "[fd00::5]:1"};
  struct Case {
    const char* host;  // nullptr = no Host header
    bool ok;
  } cases[] = {
      {"localhost", true},
      {"localhost:8080", true},
      {"127.0.0.1:1", true},
      {"[::1]:8080", true},
      {"cp.internal:8080", true},
      {"[FD00::5]", true},
      {nullptr, false},
      {"", false},
      {"127.0.0.2", false},
      {"evil.example", false},
      {"cp.internal.evil", false},
      {"localhost.", false},
      {"0.0.0.0:8080", false},
  };
  for (const Case& test_case : cases) {
    common::HeaderList headers;
    if (test_case.host != nullptr) headers.emplace_back("host", test_case.host);
    absl::Status status = CheckHost(Request("GET", headers), allowed);
    EXPECT_EQ(status.ok(), test_case.ok)
        << (test_case.host ? test_case.host : "(none)") << ": " << status;
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
      EXPECT_NE(status.message().find("--admin-allowed-host"), absl::string_view::npos);
    }
  }
}

TEST(BrowserChecksTest, OriginMustBeTheRequestsOwn) {
  struct Case {
    const char* host;
    const char* origin;  // nullptr = none
    bool ok;
  } cases[] = {
      {"127.0.0.1:8080", nullptr, true},
      {"127.0.0.1:8080", "http://127.0.0.1:8080", true},
      {"LOCALHOST:8080", "http://localhost:8080", true},
      {"localhost", "http://localhost:80", true},
      {"localhost:443", "https://localhost", true},
      {"cp.example", "https://cp.example", true},  // behind a TLS proxy
      {"127.0.0.1:8080", "http://127.0.0.1:8081", false},
      {"127.0.0.1:8080", "http://localhost:8080", false},
      // The scheme is not compared: behind a TLS proxy this server cannot tell
      // its own, and no other server can hold its host and port.
      {"127.0.0.1:8080", "https://127.0.0.1:8080", true},
      {"127.0.0.1:8080", "http://evil.example", false},
      {"127.0.0.1:8080", "null", false},
      {"127.0.0.1:8080", "", false},
      {"127.0.0.1:8080", "ftp://127.0.0.1:8080", false},
      {"127.0.0.1:8080", "http://127.0.0.1:8080/", false},
      {"evil.example", "http://evil.example", true},  // the Host check refuses this one
  };
  for (const Case& test_case : cases) {
    common::HeaderList headers = {{"Host", test_case.host}};
    if (test_case.origin != nullptr) headers.emplace_back("origin", test_case.origin);
    absl::Status status = CheckOrigin(Request("POST", headers));
    EXPECT_EQ(status.ok(), test_case.ok)
        << test_case.host << " / " << (test_case.origin ? test_case.origin : "(none)");
  }
}

TEST(BrowserChecksTest, JsonContentType) {
  EXPECT_FALSE(NeedsJsonContentType(Request("GET", {})));
  EXPECT_FALSE(NeedsJsonContentType(Request("HEAD", {})));
  EXPECT_FALSE(NeedsJsonContentType(Request("DELETE", {})));
  EXPECT_TRUE(NeedsJsonContentType(Request("DELETE", {}, "{}")));
  EXPECT_TRUE(NeedsJsonContentType(Request("POST", {})));
  EXPECT_TRUE(NeedsJsonContentType(Request("PUT", {})));
  EXPECT_TRUE(NeedsJsonContentType(Request("PATCH", {})));
  for (const char* type : {"application/json", "APPLICATION/Json", "application/json;charset=utf-8",
                           "\tapplication/json ; x=y"}) {
    EXPECT_TRUE(HasJsonContentType(Request("POST", {{"content-type", type}}))) << type;
  }
  for (const char* type :
       {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json5", "text/json", "application/ json"}) {
    EXPECT_FALSE(HasJsonContentType(Request("POST", {{"Content-Type", type}}))) << type;
  }
  EXPECT_FALSE(HasJsonContentType(Request("POST", {})));
}

TEST(BrowserChecksTest, LoopbackListenHosts) {
  for (const char* host : {"localhost", "127.0.0.1", "127.255.0.9", "::1", "[::1]",
                           "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "[::]", "10.1.2.3", "128.0.0.1", "::ffff:10.0.0.1",
                           "127.evil.example", "", "localhost.example"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace connectplane::api::admin
