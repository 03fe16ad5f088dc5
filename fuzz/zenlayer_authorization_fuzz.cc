// The ZC2-HMAC-SHA256 signature header: fuzzed Authorization values and
// Content-Type/Host/X-ZC-Timestamp/X-ZC-Signature-Method/body through
// ParseZenlayerAuthorization and VerifyZenlayerRequest. Oracles:
//  - a parsed header re-serializes (ZenlayerAuthorizationHeader) to the same value;
//  - a request signed with SignZenlayerRequest verifies whenever its timestamp
//    is valid and within the skew and the signature method is absent or right,
//    and never verifies under another password.
// Input fields are FuzzedDataProvider strings (backslash-terminated).
#include "auth/zenlayer_signer.h"
#include "common/http_message.h"
#include "common/strings.h"

#include "absl/time/time.h"
#include "fuzz_common.h"
#include <cstddef>
#include <cstdint>
#include <fuzzer/FuzzedDataProvider.h>
#include <string>

namespace {

namespace auth = connectplane::auth;
namespace common = connectplane::common;
namespace fz = connectplane::fuzz;

constexpr char kKeyId[] = "ZLKEYID000000001";
constexpr char kPassword[] = "ZenlayerExamplePassword000000000";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider provider(data, size);
  const std::string authorization = provider.ConsumeRandomLengthString();
  const std::string content_type = provider.ConsumeRandomLengthString();
  const std::string host = provider.ConsumeRandomLengthString();
  const std::string timestamp = provider.ConsumeRandomLengthString();
  const std::string body = provider.ConsumeRandomLengthString();
  const std::string method_header = provider.ConsumeRandomLengthString();
  const bool send_method_header = provider.ConsumeBool();
  const absl::Time now = absl::FromUnixSeconds(1795000000);

  common::HttpRequest request;
  request.method = "POST";
  request.target = "/api/v2/sdn";
  request.body = body;
  request.headers = {{"Content-Type", content_type},
                     {"Host", host},
                     {std::string(auth::kZenlayerTimestampHeader), timestamp}};
  if (send_method_header) {
    request.headers.emplace_back(std::string(auth::kZenlayerSignatureMethodHeader), method_header);
  }

  auto parsed = auth::ParseZenlayerAuthorization(authorization);
  if (parsed.ok()) {
    if (parsed->access_key_id.empty() || parsed->signature.size() != 64) {
      fz::OracleFailed("parsed Zenlayer authorization breaks its contract");
    }
    auto again = auth::ParseZenlayerAuthorization(
        auth::ZenlayerAuthorizationHeader(parsed->access_key_id, parsed->signature));
    if (!again.ok() || again->access_key_id != parsed->access_key_id ||
        again->signature != parsed->signature) {
      fz::OracleFailed("Zenlayer authorization does not survive a re-serialization");
    }
    (void)auth::VerifyZenlayerRequest(request, *parsed, kPassword, now);
  }

  const std::string header = auth::SignZenlayerRequest(request, kKeyId, kPassword);
  auto own = auth::ParseZenlayerAuthorization(header);
  if (!own.ok()) {
    fz::OracleFailed("our own Zenlayer Authorization does not parse: " + header);
  }
  auto signed_at = auth::ParseZenlayerTimestamp(timestamp);
  const bool should_verify = signed_at.ok() &&
                             absl::AbsDuration(now - *signed_at) <= auth::kZenlayerMaxClockSkew &&
                             (!send_method_header || method_header == auth::kZenlayerAlgorithm);
  absl::Status verified = auth::VerifyZenlayerRequest(request, *own, kPassword, now);
  if (verified.ok() != should_verify) {
    fz::OracleFailed("Zenlayer verification disagrees with the oracle: " + verified.ToString());
  }
  if (auth::VerifyZenlayerRequest(request, *own, "another-password", now).ok()) {
    fz::OracleFailed("Zenlayer signature verified under the wrong password");
  }
  return 0;
}
