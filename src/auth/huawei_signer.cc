#include "auth/huawei_signer.h"

#include "auth/digest.h"
#include "auth/huawei_scoped_signer.h"
#include "common/status.h"
#include "common/strings.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <utility>

namespace connectplane::auth {
namespace {

constexpr std::string_view kReasonMalformed = "AUTH_MALFORMED";
constexpr std::string_view kReasonBadDate = "AUTH_BAD_DATE";
constexpr std::string_view kReasonExpired = "AUTH_EXPIRED";
constexpr std::string_view kReasonMismatch = "AUTH_SIGNATURE_MISMATCH";
constexpr std::string_view kReasonMalformedQuery = "MALFORMED_QUERY";
constexpr std::string_view kReasonMalformedPath = "MALFORMED_PATH";

constexpr std::string_view kSdkDateHeader = "X-Sdk-Date";
constexpr std::string_view kContentSha256Header = "X-Sdk-Content-Sha256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr size_t kSignatureHexLength = 64;
constexpr std::string_view kScopeTerminator = "sdk_request";

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// Appends `in` to `out`, percent-encoding every byte outside the unreserved set
// with upper-case hex (the SDK's urlEncode / Python quote(safe='')).
void AppendStrictEncoded(std::string_view in, std::string& out) {
  static constexpr char kUpperHexDigits[] = "0123456789ABCDEF";
  for (char raw : in) {
    const auto c = static_cast<unsigned char>(raw);
    if (IsUnreserved(c)) {
      out.push_back(raw);
    } else {
      out.push_back('%');
      out.push_back(kUpperHexDigits[c >> 4]);
      out.push_back(kUpperHexDigits[c & 0x0f]);
    }
  }
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

// Debian's Abseil has its own absl::string_view, so its string utilities do
// not take std::string_view; these few are written out instead.
bool ConsumePrefix(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) {
    return false;
  }
  text.remove_prefix(prefix.size());
  return true;
}

std::string AsciiToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

std::string AsciiToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = absl::ascii_toupper(static_cast<unsigned char>(c));
  }
  return out;
}

std::string_view StripAsciiWhitespace(std::string_view text) {
  while (!text.empty() && absl::ascii_isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && absl::ascii_isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string JoinSignedHeaders(const std::vector<std::string>& names) {
  std::string out;
  for (size_t name_idx = 0; name_idx < names.size(); ++name_idx) {
    if (name_idx > 0) {
      out.push_back(';');
    }
    out += names[name_idx];
  }
  return out;
}

std::string_view StripOws(std::string_view in) {
  while (!in.empty() && IsOws(in.front())) {
    in.remove_prefix(1);
  }
  while (!in.empty() && IsOws(in.back())) {
    in.remove_suffix(1);
  }
  return in;
}

bool ContainsWhitespaceOrComma(std::string_view in) {
  return std::any_of(in.begin(), in.end(), [](char c) {
    return c == ',' || absl::ascii_isspace(static_cast<unsigned char>(c));
  });
}

absl::Status Malformed(std::string_view message) {
  return common::Unauthenticated(kReasonMalformed, message);
}

// Consumes "<key><value>" from the front of `rest`, where the value runs up to
// the next ',' (or the end). When `last` is false the ',' and any spaces after
// it are consumed too. The value must be non-empty and free of whitespace.
absl::StatusOr<std::string_view> ConsumeField(std::string_view& rest, std::string_view key,
                                              bool last) {
  if (!ConsumePrefix(rest, key)) {
    return Malformed(common::StrCat("authorization: expected ", key));
  }
  const size_t comma = rest.find(',');
  if (last != (comma == std::string_view::npos)) {
    return Malformed(last ? "authorization: unexpected text after Signature"
                          : common::StrCat("authorization: no ',' after ", key));
  }
  std::string_view value = rest.substr(0, comma);
  if (value.empty() || ContainsWhitespaceOrComma(value)) {
    return Malformed(common::StrCat("authorization: bad value for ", key));
  }
  if (last) {
    rest = std::string_view();
  } else {
    rest.remove_prefix(comma + 1);
    while (!rest.empty() && IsOws(rest.front())) {
      rest.remove_prefix(1);
    }
  }
  return value;
}

// Parses a run of ASCII digits (callers pass at most 4); nullopt on any other byte.
std::optional<int> ParseDigits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// "<AK>/<yyyymmdd>/<region>/<service>/sdk_request" (gophertelekomcloud's
// buildAuthorizationHeader): an authorization with its scope set.
absl::StatusOr<HuaweiAuthorization> ParseCredentialScope(std::string_view credential) {
  const std::vector<std::string_view> parts = common::Split(credential, '/');
  if (parts.size() != 5 || parts[0].empty() || parts[4] != kScopeTerminator ||
      parts[1].size() != 8 || !ParseDigits(parts[1])) {
    return Malformed(
        "authorization: Credential is not <AK>/<yyyymmdd>/<region>/<service>/sdk_request");
  }
  HuaweiAuthorization authorization;
  authorization.access_key = std::string(parts[0]);
  authorization.scope =
      HuaweiCredentialScope{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  return authorization;
}

}  // namespace

absl::StatusOr<HuaweiAuthorization> ParseHuaweiAuthorization(std::string_view header_value) {
  std::string_view rest = StripOws(header_value);
  if (!ConsumePrefix(rest, kHuaweiAlgorithm)) {
    return Malformed("authorization: algorithm is not SDK-HMAC-SHA256");
  }
  // The algorithm must be a whole token: "SDK-HMAC-SHA256X" is another algorithm.
  if (rest.empty() || !IsOws(rest.front())) {
    return Malformed("authorization: algorithm is not SDK-HMAC-SHA256");
  }
  rest = StripOws(rest);

  HuaweiAuthorization authorization;
  if (rest.starts_with("Credential=")) {
    ASSIGN_OR_RETURN(std::string_view credential, ConsumeField(rest, "Credential=", false));
    ASSIGN_OR_RETURN(authorization, ParseCredentialScope(credential));
  } else {
    ASSIGN_OR_RETURN(std::string_view access_key, ConsumeField(rest, "Access=", false));
    authorization.access_key = std::string(access_key);
  }
  ASSIGN_OR_RETURN(std::string_view signed_headers, ConsumeField(rest, "SignedHeaders=", false));
  ASSIGN_OR_RETURN(std::string_view signature, ConsumeField(rest, "Signature=", true));

  for (std::string_view name : common::Split(signed_headers, ';')) {
    if (name.empty()) {
      return Malformed("authorization: empty name in SignedHeaders");
    }
    authorization.signed_headers.emplace_back(name);
  }
  if (signature.size() != kSignatureHexLength ||
      !std::all_of(signature.begin(), signature.end(),
                   [](char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); })) {
    return Malformed("authorization: Signature is not 64 hex characters");
  }
  authorization.signature = AsciiToLower(signature);
  return authorization;
}

std::string HuaweiCanonicalUri(std::string_view raw_path) {
  std::string out;
  out.reserve(raw_path.size() + 1);
  // Passing '/' through and encoding every other byte is the same as splitting
  // on '/', encoding each segment and re-joining. Segments are not decoded first.
  for (size_t slash = raw_path.find('/'); slash != std::string_view::npos;
       slash = raw_path.find('/')) {
    AppendStrictEncoded(raw_path.substr(0, slash), out);
    out.push_back('/');
    raw_path.remove_prefix(slash + 1);
  }
  AppendStrictEncoded(raw_path, out);
  if (out.empty() || out.back() != '/') {
    out.push_back('/');
  }
  return out;
}

namespace {

// CanonicalURI of the path with each segment percent-decoded before it is
// encoded, or nullopt on a bad escape. Decoding per segment (not the whole
// path, as the Python SDK does) keeps an escaped '/' inside its segment, so a
// signature never carries over to a path that routes differently; the cost is
// that a Python request whose path parameter contains '/' does not verify.
std::optional<std::string> DecodedCanonicalUri(std::string_view raw_path) {
  std::string out;
  out.reserve(raw_path.size() + 1);
  const std::vector<std::string_view> segments = common::Split(raw_path, '/');
  for (size_t segment_idx = 0; segment_idx < segments.size(); ++segment_idx) {
    std::optional<std::string> decoded = common::PercentDecode(segments[segment_idx]);
    if (!decoded) {
      return std::nullopt;
    }
    if (segment_idx > 0) {
      out.push_back('/');
    }
    AppendStrictEncoded(*decoded, out);
  }
  if (out.empty() || out.back() != '/') {
    out.push_back('/');
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> HuaweiCanonicalQuery(std::string_view raw_query) {
  std::optional<std::vector<std::pair<std::string, std::string>>> params =
      common::ParseQuery(raw_query);
  if (!params) {
    return common::InvalidArgument(kReasonMalformedQuery,
                                   "query string has a malformed percent-escape");
  }
  // The SDK sorts the unencoded keys (and values of a repeated key); byte order
  // of UTF-8 equals code point order, so sorting the decoded bytes matches.
  std::sort(params->begin(), params->end());
  std::string out;
  for (const auto& [key, value] : *params) {
    if (!out.empty()) {
      out.push_back('&');
    }
    AppendStrictEncoded(key, out);
    out.push_back('=');
    AppendStrictEncoded(value, out);
  }
  return out;
}

absl::StatusOr<std::string> HuaweiCanonicalRequest(const common::HttpRequest& request,
                                                   const std::vector<std::string>& signed_headers,
                                                   HuaweiPathForm path_form) {
  std::string canonical_uri;
  if (path_form == HuaweiPathForm::kDecoded) {
    std::optional<std::string> decoded_uri = DecodedCanonicalUri(request.Path());
    if (!decoded_uri) {
      return common::InvalidArgument(kReasonMalformedPath, "path has a malformed percent-escape");
    }
    canonical_uri = *std::move(decoded_uri);
  } else {
    canonical_uri = HuaweiCanonicalUri(request.Path());
  }
  ASSIGN_OR_RETURN(std::string canonical_query, HuaweiCanonicalQuery(request.RawQuery()));

  std::string canonical_headers;
  for (const std::string& name : signed_headers) {
    std::optional<std::string_view> value = request.Header(name);
    canonical_headers += name;
    canonical_headers.push_back(':');
    if (value) {
      canonical_headers += StripAsciiWhitespace(*value);
    }
    canonical_headers.push_back('\n');
  }

  std::optional<std::string_view> content_sha256 = request.Header(kContentSha256Header);
  std::string payload_hash = content_sha256 && !content_sha256->empty()
                                 ? std::string(*content_sha256)
                                 : Sha256Hex(request.body);

  return common::StrCat(AsciiToUpper(request.method), "\n", canonical_uri, "\n", canonical_query,
                        "\n", canonical_headers, "\n", JoinSignedHeaders(signed_headers), "\n",
                        payload_hash);
}

std::string HuaweiStringToSign(std::string_view canonical_request, std::string_view sdk_date) {
  return common::StrCat(kHuaweiAlgorithm, "\n", sdk_date, "\n", Sha256Hex(canonical_request));
}

std::string HuaweiSignature(std::string_view secret_key, std::string_view string_to_sign) {
  return HmacSha256Hex(secret_key, string_to_sign);
}

absl::StatusOr<absl::Time> ParseSdkDate(std::string_view sdk_date) {
  const auto bad_date = [] {
    return common::Unauthenticated(kReasonBadDate, "X-Sdk-Date is not YYYYMMDDTHHMMSSZ");
  };
  if (sdk_date.size() != 16 || sdk_date[8] != 'T' || sdk_date[15] != 'Z') {
    return bad_date();
  }
  std::optional<int> year = ParseDigits(sdk_date.substr(0, 4));
  std::optional<int> month = ParseDigits(sdk_date.substr(4, 2));
  std::optional<int> day = ParseDigits(sdk_date.substr(6, 2));
  std::optional<int> hour = ParseDigits(sdk_date.substr(9, 2));
  std::optional<int> minute = ParseDigits(sdk_date.substr(11, 2));
  std::optional<int> second = ParseDigits(sdk_date.substr(13, 2));
  if (!year || !month || !day || !hour || !minute || !second) {
    return bad_date();
  }
  const absl::CivilSecond civil(*year, *month, *day, *hour, *minute, *second);
  // CivilSecond normalises out-of-range fields (Feb 30 -> Mar 2); a date that
  // does not survive the round trip was not a real calendar time.
  if (civil.year() != *year || civil.month() != *month || civil.day() != *day ||
      civil.hour() != *hour || civil.minute() != *minute || civil.second() != *second) {
    return bad_date();
  }
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

absl::StatusOr<std::string> SignHuaweiRequest(const common::HttpRequest& request,
                                              std::string_view access_key,
                                              std::string_view secret_key,
                                              const std::vector<std::string>& signed_headers,
                                              HuaweiPathForm path_form) {
  std::optional<std::string_view> sdk_date = request.Header(kSdkDateHeader);
  if (!sdk_date) {
    return common::InvalidArgument(kReasonBadDate, "request to sign has no X-Sdk-Date header");
  }
  ASSIGN_OR_RETURN(std::string canonical_request,
                   HuaweiCanonicalRequest(request, signed_headers, path_form));
  const std::string signature =
      HuaweiSignature(secret_key, HuaweiStringToSign(canonical_request, *sdk_date));
  return common::StrCat(kHuaweiAlgorithm, " Access=", access_key,
                        ", SignedHeaders=", JoinSignedHeaders(signed_headers),
                        ", Signature=", signature);
}

absl::Status VerifyHuaweiRequest(const common::HttpRequest& request,
                                 const HuaweiAuthorization& authorization,
                                 std::string_view secret_key, absl::Time now,
                                 absl::Duration max_skew) {
  std::optional<std::string_view> sdk_date = request.Header(kSdkDateHeader);
  if (!sdk_date) {
    return common::Unauthenticated(kReasonBadDate, "missing X-Sdk-Date header");
  }
  ASSIGN_OR_RETURN(absl::Time signed_at, ParseSdkDate(*sdk_date));
  if (absl::AbsDuration(now - signed_at) > max_skew) {
    return common::Unauthenticated(kReasonExpired, "X-Sdk-Date is outside the allowed clock skew");
  }

  // Only x-sdk-date is required: the date bounds replay. Host is not, because
  // the official Go SDK (huaweicloud-sdk-go-v3) never signs it: it signs
  // user-agent;x-project-id;x-sdk-date.
  const bool date_signed =
      std::any_of(authorization.signed_headers.begin(), authorization.signed_headers.end(),
                  [](const std::string& signed_name) {
                    return common::EqualsIgnoreCase(signed_name, "x-sdk-date");
                  });
  if (!date_signed) {
    return common::Unauthenticated(kReasonMalformed, "SignedHeaders must include x-sdk-date");
  }

  // The canonical request carries X-Sdk-Content-Sha256 verbatim instead of the
  // body hash, so without this check anyone holding a signed request could add
  // that header with the original body's hash and swap the body. Only the
  // literal UNSIGNED-PAYLOAD opts out of body integrity (as the SDK intends).
  std::optional<std::string_view> content_sha256 = request.Header(kContentSha256Header);
  if (content_sha256 && !content_sha256->empty() && *content_sha256 != kUnsignedPayload &&
      !common::EqualsIgnoreCase(*content_sha256, Sha256Hex(request.body))) {
    return common::Unauthenticated(kReasonMismatch, "X-Sdk-Content-Sha256 does not match the body");
  }

  // Callers may build HuaweiAuthorization by hand; normalise rather than trust.
  const std::string given = AsciiToLower(authorization.signature);
  if (authorization.scope) {
    // The derived key is bound to the scope's day; a key derived for another
    // day must not sign today's requests.
    if (authorization.scope->date != sdk_date->substr(0, 8)) {
      return common::Unauthenticated(kReasonMalformed,
                                     "Credential scope date is not the X-Sdk-Date day");
    }
    ASSIGN_OR_RETURN(bool scoped_matches,
                     ScopedHuaweiSignatureMatches(request, authorization, secret_key, *sdk_date));
    if (!scoped_matches) {
      return common::Unauthenticated(kReasonMismatch, "signature does not match");
    }
    return absl::OkStatus();
  }
  const auto signature_matches = [&](HuaweiPathForm path_form) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(std::string canonical_request,
                     HuaweiCanonicalRequest(request, authorization.signed_headers, path_form));
    const std::string expected =
        HuaweiSignature(secret_key, HuaweiStringToSign(canonical_request, *sdk_date));
    // The length is public (always 64 for a parsed header); only the bytes are compared in
    // constant time.
    return given.size() == expected.size() &&
           CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
  };
  ASSIGN_OR_RETURN(bool matches, signature_matches(HuaweiPathForm::kAsSent));
  // The Python and Go SDKs sign the decoded path; both forms name the same
  // resource, since routing decodes the path too. A path that does not decode
  // cannot have been signed that way.
  if (!matches && request.Path().find('%') != std::string_view::npos &&
      common::PercentDecode(request.Path())) {
    ASSIGN_OR_RETURN(matches, signature_matches(HuaweiPathForm::kDecoded));
  }
  // Go signers (huaweicloud-sdk-go-v3, golangsdk) read the query with
  // url.Query(), where '+' is a space; the other SDKs keep it a literal '+'.
  // Both readings name the same query for the signer that chose it, so try
  // the space reading too (over the decoded path, as those signers use).
  if (!matches && request.RawQuery().find('+') != std::string_view::npos &&
      common::PercentDecode(request.Path())) {
    common::HttpRequest spaced = request;
    const size_t query_start = spaced.target.find('?');
    for (size_t pos = spaced.target.find('+', query_start); pos != std::string::npos;
         pos = spaced.target.find('+', pos)) {
      spaced.target.replace(pos, 1, "%20");
    }
    ASSIGN_OR_RETURN(
        std::string canonical_request,
        HuaweiCanonicalRequest(spaced, authorization.signed_headers, HuaweiPathForm::kDecoded));
    const std::string expected =
        HuaweiSignature(secret_key, HuaweiStringToSign(canonical_request, *sdk_date));
    matches = given.size() == expected.size() &&
              CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
  }
  if (!matches) {
    return common::Unauthenticated(kReasonMismatch, "signature does not match");
  }
  return absl::OkStatus();
}

}  // namespace connectplane::auth
