#include "auth/huawei_scoped_signer.h"

#include "auth/digest.h"
#include "common/status.h"
#include "common/strings.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include <algorithm>
#include <optional>
#include <utility>

namespace connectplane::auth {
namespace {

constexpr std::string_view kScopeTerminator = "sdk_request";
constexpr std::string_view kContentSha256Header = "X-Sdk-Content-Sha256";
constexpr std::string_view kSdkDateHeader = "X-Sdk-Date";

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// gophertelekomcloud's urlEncode: unreserved bytes stay, '/' stays in a path,
// everything else becomes %XX (upper-case hex).
std::string GoUrlEncode(std::string_view in, bool keep_slash) {
  static constexpr char kUpperHexDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char raw : in) {
    const auto c = static_cast<unsigned char>(raw);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(raw);
    } else {
      out.push_back('%');
      out.push_back(kUpperHexDigits[c >> 4]);
      out.push_back(kUpperHexDigits[c & 0x0f]);
    }
  }
  return out;
}

// Go's url.QueryEscape: as above, but a space becomes '+'.
std::string GoQueryEscape(std::string_view in) {
  std::string out;
  for (char raw : in) {
    if (raw == ' ') {
      out.push_back('+');
    } else {
      out += GoUrlEncode(std::string_view(&raw, 1), false);
    }
  }
  return out;
}

std::string AsciiToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

// Go's regexp \s is [\t\n\f\r ]; each run becomes one space, nothing is trimmed.
std::string FoldWhitespace(std::string_view value) {
  std::string out;
  bool in_run = false;
  for (char c : value) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    if (space) {
      if (!in_run) {
        out.push_back(' ');
      }
      in_run = true;
    } else {
      out.push_back(c);
      in_run = false;
    }
  }
  return out;
}

// Go's url.Values from a raw query ('+' is a space), keys in first-seen order
// with every value. Errors: InvalidArgument "MALFORMED_QUERY".
absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>> GoQueryValues(
    std::string_view raw_query) {
  std::string spaced(raw_query);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  std::optional<std::vector<std::pair<std::string, std::string>>> pairs =
      common::ParseQuery(spaced);
  if (!pairs) {
    return common::InvalidArgument("MALFORMED_QUERY",
                                   "query string has a malformed percent-escape");
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> values;
  for (auto& pair : *pairs) {
    const std::string& key = pair.first;
    auto found = std::find_if(values.begin(), values.end(),
                              [&](const auto& entry) { return entry.first == key; });
    if (found == values.end()) {
      values.emplace_back(std::move(pair.first), std::vector<std::string>{std::move(pair.second)});
    } else {
      found->second.push_back(std::move(pair.second));
    }
  }
  return values;
}

// encodeQueryString: encoded keys sorted case-insensitively, each with its
// first value only.
std::string CanonicalQuery(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& values) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [key, key_values] : values) {
    encoded.emplace_back(GoUrlEncode(key, false), GoUrlEncode(key_values.front(), false));
  }
  std::stable_sort(encoded.begin(), encoded.end(), [](const auto& a, const auto& b) {
    return AsciiToLower(a.first) < AsciiToLower(b.first);
  });
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += key;
    out.push_back('=');
    out += value;
  }
  return out;
}

// Go's url.Values.Encode(): keys sorted bytewise, every value, QueryEscape'd.
std::string GoValuesEncode(std::vector<std::pair<std::string, std::vector<std::string>>> values) {
  std::sort(values.begin(), values.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, key_values] : values) {
    for (const std::string& value : key_values) {
      if (!out.empty()) {
        out.push_back('&');
      }
      out += GoQueryEscape(key);
      out.push_back('=');
      out += GoQueryEscape(value);
    }
  }
  return out;
}

}  // namespace

std::string ScopedHuaweiScopeString(const HuaweiCredentialScope& scope) {
  return common::StrCat(scope.date, "/", scope.region, "/", scope.service, "/", kScopeTerminator);
}

absl::StatusOr<std::string> ScopedHuaweiCanonicalRequest(
    const common::HttpRequest& request, const std::vector<std::string>& signed_headers,
    ScopedPayloadForm payload_form) {
  // getCanonicalizedResourcePath: the decoded path (Go's URL.Path decodes
  // the whole path, %2F included), '/' added at both ends, then encoded with
  // '/' kept.
  std::optional<std::string> path = common::PercentDecode(request.Path());
  if (!path) {
    return common::InvalidArgument("MALFORMED_PATH", "path has a malformed percent-escape");
  }
  if (!path->starts_with('/')) {
    path->insert(path->begin(), '/');
  }
  if (!path->ends_with('/')) {
    path->push_back('/');
  }

  ASSIGN_OR_RETURN(auto query_values, GoQueryValues(request.RawQuery()));
  std::string canonical_query;
  std::string payload_hash;
  std::optional<std::string_view> content_sha256 = request.Header(kContentSha256Header);
  if (payload_form == ScopedPayloadForm::kQueryAsPayload) {
    payload_hash = Sha256Hex(GoValuesEncode(query_values));
  } else {
    canonical_query = CanonicalQuery(query_values);
    payload_hash = Sha256Hex(request.body);
  }
  // A present X-Sdk-Content-Sha256 is used verbatim, even when empty.
  if (content_sha256) {
    payload_hash = std::string(*content_sha256);
  }

  std::string canonical_headers;
  std::string joined_names;
  for (const std::string& name : signed_headers) {
    canonical_headers += name;
    canonical_headers.push_back(':');
    if (std::optional<std::string_view> value = request.Header(name)) {
      canonical_headers += FoldWhitespace(*value);
    }
    canonical_headers.push_back('\n');
    if (!joined_names.empty()) {
      joined_names.push_back(';');
    }
    joined_names += name;
  }
  return common::StrCat(request.method, "\n", GoUrlEncode(*path, true), "\n", canonical_query, "\n",
                        canonical_headers, "\n", joined_names, "\n", payload_hash);
}

std::string ScopedHuaweiSigningKey(std::string_view secret_key,
                                   const HuaweiCredentialScope& scope) {
  const std::string date_key = HmacSha256(common::StrCat("SDK", secret_key), scope.date);
  const std::string region_key = HmacSha256(date_key, scope.region);
  const std::string service_key = HmacSha256(region_key, scope.service);
  return HmacSha256(service_key, kScopeTerminator);
}

namespace {

std::string ScopedSignature(std::string_view canonical_request, std::string_view sdk_date,
                            std::string_view secret_key, const HuaweiCredentialScope& scope) {
  const std::string string_to_sign =
      common::StrCat(kHuaweiAlgorithm, "\n", sdk_date, "\n", ScopedHuaweiScopeString(scope), "\n",
                     Sha256Hex(canonical_request));
  return HmacSha256Hex(ScopedHuaweiSigningKey(secret_key, scope), string_to_sign);
}

}  // namespace

absl::StatusOr<bool> ScopedHuaweiSignatureMatches(const common::HttpRequest& request,
                                                  const HuaweiAuthorization& authorization,
                                                  std::string_view secret_key,
                                                  std::string_view sdk_date) {
  if (!authorization.scope) {
    return false;
  }
  const std::string given = AsciiToLower(authorization.signature);
  std::vector<ScopedPayloadForm> forms = {ScopedPayloadForm::kBody};
  if (request.method == "POST" && request.body.empty()) {
    forms.push_back(ScopedPayloadForm::kQueryAsPayload);
  }
  for (ScopedPayloadForm form : forms) {
    ASSIGN_OR_RETURN(std::string canonical_request,
                     ScopedHuaweiCanonicalRequest(request, authorization.signed_headers, form));
    const std::string expected =
        ScopedSignature(canonical_request, sdk_date, secret_key, *authorization.scope);
    if (given.size() == expected.size() &&
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::string> SignScopedHuaweiRequest(
    const common::HttpRequest& request, std::string_view access_key, std::string_view secret_key,
    std::string_view region, std::string_view service,
    const std::vector<std::string>& signed_headers) {
  std::optional<std::string_view> sdk_date = request.Header(kSdkDateHeader);
  if (!sdk_date || sdk_date->size() < 8) {
    return common::InvalidArgument("AUTH_BAD_DATE", "request to sign has no X-Sdk-Date header");
  }
  const HuaweiCredentialScope scope{std::string(sdk_date->substr(0, 8)), std::string(region),
                                    std::string(service)};
  ASSIGN_OR_RETURN(std::string canonical_request,
                   ScopedHuaweiCanonicalRequest(request, signed_headers));
  std::string joined_names;
  for (const std::string& name : signed_headers) {
    if (!joined_names.empty()) {
      joined_names.push_back(';');
    }
    joined_names += name;
  }
  return common::StrCat(
      kHuaweiAlgorithm, " Credential=", access_key, "/", ScopedHuaweiScopeString(scope),
      ", SignedHeaders=", joined_names,
      ", Signature=", ScopedSignature(canonical_request, *sdk_date, secret_key, scope));
}

}  // namespace connectplane::auth
