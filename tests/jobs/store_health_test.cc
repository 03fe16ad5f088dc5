#include "jobs/store_health.h"

#include "common/status.h"

#include <gtest/gtest.h>

#include "metrics/metrics.h"

namespace connectplane::jobs {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1795000000);

TEST(StoreHealthTest, TellsStoreFailuresFromDomainRefusals) {
  struct Case {
    absl::Status status;
    bool store_failure;
  } cases[] = {
      {absl::UnavailableError("database or disk is full (rc=13)"), true},
      {absl::InternalError("database disk image is malformed (rc=11)"), true},
      {absl::DataLossError("damaged"), true},
      {absl::UnknownError("?"), true},
      {absl::NotFoundError("no such instance"), false},
      {absl::FailedPreconditionError("instance busy"), false},
      {absl::AbortedError("changed concurrently"), false},
      {absl::AlreadyExistsError("taken"), false},
      {absl::InvalidArgumentError("bad"), false},
      {common::InjectedFaultError({503, "DMS.00500000", "Injected fault"}), false},
  };
  for (const Case& test_case : cases) {
    EXPECT_EQ(StoreHealth::IsStoreFailure(test_case.status), test_case.store_failure)
        << test_case.status;
  }
}

TEST(StoreHealthTest, FailsAtAStoreFailureAndRecoversAtTheNextWriteThatWrote) {
  StoreHealth health;
  const uint64_t counted = metrics::StoreWriteFailures().WithLabels({"request"}).Value();
  EXPECT_FALSE(health.Get().writes_failing);

  health.Record(kWriterRequest, absl::NotFoundError("no such instance"), true, kStart);
  EXPECT_FALSE(health.writes_failing());  // a refusal says nothing about the store

  health.Record(kWriterRequest, absl::UnavailableError("disk full"), true, kStart);
  health.Record(kWriterRequest, absl::UnavailableError("still full"), true,
                kStart + absl::Seconds(5));
  StoreHealth::State state = health.Get();
  EXPECT_TRUE(state.writes_failing);
  EXPECT_EQ(state.failing_since, kStart);
  EXPECT_EQ(state.failed_writes, 2);
  EXPECT_EQ(state.last_error, "UNAVAILABLE: still full");
  EXPECT_EQ(metrics::StoreWritesFailing().Value(), 1);
  EXPECT_EQ(metrics::StoreWriteFailures().WithLabels({"request"}).Value(), counted + 2);

  health.Record(kWriterRequest, absl::OkStatus(), /*wrote=*/false, kStart);
  EXPECT_TRUE(health.writes_failing());  // nothing written: no evidence
  health.Record(kWriterRequest, absl::OkStatus(), /*wrote=*/true, kStart);
  EXPECT_FALSE(health.writes_failing());
  EXPECT_EQ(health.Get().failed_writes, 0);
  EXPECT_EQ(metrics::StoreWritesFailing().Value(), 0);
}

}  // namespace
}  // namespace connectplane::jobs
