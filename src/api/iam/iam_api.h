// The Huawei Cloud / Open Telekom Cloud identity dialect (Keystone v3 under
// /v3/...): what the huaweicloud and opentelekomcloud Terraform providers call
// before their first service call. Matches requests against its route table
// (Routes()), authenticates them (AK/SK signature in either Huawei form, or
// X-Auth-Token; POST /v3/auth/tokens authenticates by its body), runs the
// handler behind the request stages every cloud dialect shares (fault
// injection; api/stages), calls service::IamService and renders Keystone-shaped
// answers (errors via iam_errors.h). Every answer carries X-Request-Id. Endpoint URLs in catalogs
// point at this server: `public_base_url` when set, else host_url_scheme + the
// request's Host header. Safe for concurrent use.
#pragma once

#include "api/stages/request_stages.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "service/credential_service.h"
#include "service/iam_service.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/json.hpp"
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::api::iam {

struct IamApiOptions {
  // Maximum difference between X-Sdk-Date and our clock, as for DMS.
  absl::Duration max_clock_skew = absl::Minutes(15);
  // "http(s)://host:port" that catalog URLs start with; empty: derived from
  // the request's Host header.
  std::string public_base_url;
  // The scheme of URLs derived from the Host header: "https" when the server
  // listens with TLS, so catalogs never send clients to a plain-HTTP URL.
  std::string host_url_scheme = "http";
};

class IamApi {
 public:
  // Everything must outlive the API.
  IamApi(service::IamService& iam, service::CredentialService& credentials,
         stages::RequestStages& stages, const common::Clock& clock, IamApiOptions options = {});

  // The dialect's name in logs and metrics.
  static constexpr std::string_view kDialect = "iam";

  // True when `path` belongs to this dialect (/v3 or /v3/...).
  static bool Owns(std::string_view path);

  common::HttpResponse Handle(const common::HttpRequest& request);

  // One matched call, as a handler sees it. `scope` is the authenticated
  // caller's (empty domain id for POST /v3/auth/tokens, which authenticates
  // by its body).
  struct Call {
    const common::HttpRequest& request;
    const service::IamScope& scope;
    const std::string& base_url;
  };
  struct Reply {
    int status = 200;
    boost::json::object body;
    std::string subject_token;  // X-Subject-Token, for token issuance only
  };
  using Handler = absl::StatusOr<Reply> (IamApi::*)(const Call& call);

  // One operation: method, exact path, the Huawei IAM SDK's name for it,
  // whether the caller must be authenticated by signature or token, handler.
  struct Route {
    std::string_view method;
    std::string_view path;
    std::string_view operation;
    bool authenticated;
    Handler handler;
  };
  static std::span<const Route> Routes();
  // Every route's operation name once (what fault rules may name).
  static std::vector<std::string> OperationNames();

 private:
  static const Route kRoutes[];

  absl::StatusOr<service::IamScope> Authenticate(const common::HttpRequest& request);
  absl::StatusOr<std::string> BaseUrl(const common::HttpRequest& request) const;

  // iam_handlers.cc
  absl::StatusOr<Reply> ShowCatalog(const Call& call);
  absl::StatusOr<Reply> ListProjects(const Call& call);
  absl::StatusOr<Reply> ListAuthDomains(const Call& call);
  absl::StatusOr<Reply> CreateToken(const Call& call);
  absl::StatusOr<Reply> ShowToken(const Call& call);
  absl::StatusOr<Reply> ListUsers(const Call& call);

  service::IamService& iam_;
  service::CredentialService& credentials_;
  stages::RequestStages& stages_;
  const common::Clock& clock_;
  const IamApiOptions options_;
};

}  // namespace connectplane::api::iam
