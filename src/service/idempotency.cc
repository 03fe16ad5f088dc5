#include "service/idempotency.h"

#include "auth/digest.h"
#include "common/status.h"

namespace connectplane::service {

std::string IdempotencyService::Hash(std::string_view text) { return auth::Sha256Hex(text); }

absl::StatusOr<std::optional<RememberedResponse>> IdempotencyService::Begin(
    std::string_view scope, std::string_view key, std::string_view request_hash) {
  const absl::Time now = clock_.Now();
  const int64_t now_ms = common::ToUnixMillis(now);
  std::optional<RememberedResponse> replay;
  absl::Status claimed = store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    replay.reset();  // the store may run this again after an aborted attempt
    ASSIGN_OR_RETURN(std::optional<store::IdempotencyRecord> existing,
                     txn.GetIdempotencyRecord(scope, key));
    if (existing) {
      if (existing->request_hash != request_hash) {
        return common::InvalidArgument(
            kReasonIdempotencyKeyReused,
            "The idempotency key was already used for a different request.");
      }
      if (existing->http_status != 0) {
        replay = RememberedResponse{existing->http_status, existing->response_body};
        return absl::OkStatus();
      }
      if (now_ms - existing->created_at_ms < absl::ToInt64Milliseconds(kInProgressTimeout)) {
        return common::WithReason(
            absl::AbortedError("A request with this idempotency key is still in progress."),
            kReasonIdempotencyInProgress);
      }
      // A claim older than the timeout belongs to a request that died; retake it.
    }
    return txn.PutIdempotencyRecord(store::IdempotencyRecord{
        std::string(scope), std::string(key), std::string(request_hash), 0, "", now_ms});
  });
  if (store_health_ != nullptr) {
    // A replay only read; a claim wrote its record.
    store_health_->Record(jobs::kWriterRequest, claimed, /*wrote=*/!replay.has_value(), now);
  }
  RETURN_IF_ERROR(claimed);
  return replay;
}

absl::Status IdempotencyService::Finish(std::string_view scope, std::string_view key,
                                        std::string_view request_hash,
                                        const RememberedResponse& response) {
  const int64_t now_ms = common::ToUnixMillis(clock_.Now());
  return store_.Write([&](store::StoreTransaction& txn) {
    return txn.PutIdempotencyRecord(
        store::IdempotencyRecord{std::string(scope), std::string(key), std::string(request_hash),
                                 response.http_status, response.body, now_ms});
  });
}

absl::Status IdempotencyService::Abandon(std::string_view scope, std::string_view key) {
  return store_.Write(
      [&](store::StoreTransaction& txn) { return txn.DeleteIdempotencyRecord(scope, key); });
}

}  // namespace connectplane::service
