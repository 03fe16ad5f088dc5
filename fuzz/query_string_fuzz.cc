// Query and path parsing: common::PercentDecode, ParseQuery, SplitPath, the
// Huawei canonical query/URI and the DMS router, on one raw string. Oracles:
//  - strict percent-encoding then PercentDecode gives the input back;
//  - ParseQuery succeeds exactly when HuaweiCanonicalQuery does;
//  - the canonical query is a fixed point (canonicalizing it again is a no-op)
//    and decodes to the same sorted pairs;
//  - the canonical URI ends in '/', keeps every '/', and holds only
//    unreserved characters and %XX escapes;
//  - SplitPath's segments re-join to the path (less its leading '/').
#include "api/dms/dms_api.h"
#include "auth/huawei_signer.h"
#include "common/http_message.h"

#include "fuzz_common.h"
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace common = connectplane::common;
namespace auth = connectplane::auth;
namespace fz = connectplane::fuzz;

bool IsUnreserved(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::string StrictEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char raw : in) {
    const auto c = static_cast<unsigned char>(raw);
    if (IsUnreserved(raw)) {
      out.push_back(raw);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto decoded = common::PercentDecode(StrictEncode(input));
  if (!decoded || *decoded != input) {
    fz::OracleFailed("PercentDecode(encode(x)) != x");
  }
  (void)common::PercentDecode(input);

  auto pairs = common::ParseQuery(input);
  auto canonical = auth::HuaweiCanonicalQuery(input);
  if (pairs.has_value() != canonical.ok()) {
    fz::OracleFailed("ParseQuery and HuaweiCanonicalQuery disagree on validity");
  }
  if (canonical.ok()) {
    auto again = auth::HuaweiCanonicalQuery(*canonical);
    if (!again.ok() || *again != *canonical) {
      fz::OracleFailed("canonical query is not a fixed point");
    }
    auto canonical_pairs = common::ParseQuery(*canonical);
    std::sort(pairs->begin(), pairs->end());
    if (!canonical_pairs || *canonical_pairs != *pairs) {
      fz::OracleFailed("canonical query lost or changed a parameter");
    }
  }

  const std::string uri = auth::HuaweiCanonicalUri(input);
  if (uri.empty() || uri.back() != '/') {
    fz::OracleFailed("canonical URI does not end in '/'");
  }
  const auto slashes = std::count(input.begin(), input.end(), '/');
  const auto uri_slashes = std::count(uri.begin(), uri.end(), '/');
  if (uri_slashes != slashes && uri_slashes != slashes + 1) {
    fz::OracleFailed("canonical URI changed the segment structure");
  }
  for (size_t pos = 0; pos < uri.size(); ++pos) {
    if (uri[pos] == '%') {
      if (pos + 2 >= uri.size() || !IsHex(uri[pos + 1]) || !IsHex(uri[pos + 2])) {
        fz::OracleFailed("canonical URI has a broken escape");
      }
      pos += 2;
    } else if (uri[pos] != '/' && !IsUnreserved(uri[pos])) {
      fz::OracleFailed("canonical URI has an unencoded byte");
    }
  }

  std::vector<std::string_view> segments = common::SplitPath(input);
  std::string joined;
  for (size_t idx = 0; idx < segments.size(); ++idx) {
    if (idx > 0) {
      joined.push_back('/');
    }
    joined.append(segments[idx]);
  }
  const std::string_view without_slash = input.starts_with('/') ? input.substr(1) : input;
  if (joined != without_slash) {
    fz::OracleFailed("SplitPath segments do not re-join to the path");
  }

  common::HttpRequest request;
  request.target = std::string(input);
  for (const char* method : {"GET", "POST"}) {
    (void)connectplane::api::dms::DmsApi::FindRoute(method, request.Path());
  }
  return 0;
}
