// The authenticated principal a request acts for. Dialects build it after
// verifying the signature; the service scopes every lookup by its tenant.
#pragma once

#include <string>

namespace connectplane::service {

struct Caller {
  // The tenant: a Huawei project id or a Zenlayer account id. Every resource
  // lookup is scoped by it.
  std::string tenant_id;
  std::string user_name;
  std::string user_id;
  // Who signed the request (Huawei AK / Zenlayer access key id; never a secret),
  // recorded as the actor of audit entries.
  std::string access_key_id;
  // The request's X-Request-Id, recorded in audit entries.
  std::string request_id;
  // The API version the request named (Zenlayer X-ZC-Version, resolved by the
  // dialect); empty where a dialect has one version.
  std::string api_version = "";
};

}  // namespace connectplane::service
