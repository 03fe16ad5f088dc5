// Signature verification cost per request, both dialects, as the server runs
// it: parse the Authorization header, rebuild the canonical request, HMAC,
// constant-time compare.
#include <benchmark/benchmark.h>

#include "absl/time/clock.h"
#include "auth/huawei_signer.h"
#include "auth/zenlayer_signer.h"
#include "common/http_message.h"

namespace connectplane::auth {
namespace {

common::HttpRequest HuaweiShowInstance(absl::Time now) {
  common::HttpRequest request;
  request.method = "GET";
  request.target = "/v2/0123456789abcdef0123456789abcdef/instances/a1b2c3d4-0000-1111-2222-333344445555";
  request.headers = {{"Host", "127.0.0.1:8080"},
                     {"Content-Type", "application/json"},
                     {"X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone())}};
  auto signature = SignHuaweiRequest(request, "HPUAEXAMPLEAK0000001",
                                     "ExampleSecretKey0000000000000000000000000",
                                     {"content-type", "host", "x-sdk-date"});
  request.headers.emplace_back("Authorization", *signature);
  return request;
}

void BM_HuaweiVerify(benchmark::State& state) {
  const absl::Time now = absl::Now();
  common::HttpRequest request = HuaweiShowInstance(now);
  for (auto _ : state) {
    auto parsed = ParseHuaweiAuthorization(*request.Header("Authorization"));
    absl::Status verified = VerifyHuaweiRequest(request, *parsed,
                                                "ExampleSecretKey0000000000000000000000000", now);
    benchmark::DoNotOptimize(verified);
    if (!verified.ok()) state.SkipWithError("verification failed");
  }
}
BENCHMARK(BM_HuaweiVerify);

void BM_ZenlayerVerify(benchmark::State& state) {
  const absl::Time now = absl::Now();
  common::HttpRequest request;
  request.method = "POST";
  request.target = "/api/v2/sdn";
  request.body = R"({"pageSize":50,"pageNum":1})";
  request.headers = {{"Host", "127.0.0.1:8080"},
                     {"Content-Type", "application/json"},
                     {"X-ZC-Action", "DescribePrivateConnects"},
                     {"X-ZC-Timestamp", std::to_string(absl::ToUnixSeconds(now))},
                     {"X-ZC-Signature-Method", "ZC2-HMAC-SHA256"}};
  request.headers.emplace_back("Authorization",
                               SignZenlayerRequest(request, "ZLKEY", "zenlayer-password"));
  for (auto _ : state) {
    auto parsed = ParseZenlayerAuthorization(*request.Header("Authorization"));
    absl::Status verified = VerifyZenlayerRequest(request, *parsed, "zenlayer-password", now);
    benchmark::DoNotOptimize(verified);
    if (!verified.ok()) state.SkipWithError("verification failed");
  }
}
BENCHMARK(BM_ZenlayerVerify);

}  // namespace
}  // namespace connectplane::auth
