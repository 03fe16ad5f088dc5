// A Store that forwards every call to another one until a test makes it fail:
// then Write()/WriteEach() (FailWrites) or Read() (FailReads) return the chosen
// status without running the callback, as a database error surfaces to the
// services. For tests of what clients see of store errors. Safe for
// concurrent use.
#pragma once

#include "store/store.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include <span>
#include <vector>

namespace connectplane::testing {

class FailingStore final : public store::Store {
 public:
  explicit FailingStore(store::Store& store) : store_(store) {}

  // Every later write (read) fails with `status` until Heal().
  void FailWrites(absl::Status status) {
    absl::MutexLock lock(&mu_);
    write_failure_ = std::move(status);
  }
  void FailReads(absl::Status status) {
    absl::MutexLock lock(&mu_);
    read_failure_ = std::move(status);
  }
  void Heal() {
    absl::MutexLock lock(&mu_);
    write_failure_ = absl::OkStatus();
    read_failure_ = absl::OkStatus();
  }

  absl::Status Write(store::TransactionFn fn) override {
    absl::Status failure = WriteFailure();
    return failure.ok() ? store_.Write(fn) : failure;
  }
  absl::Status Read(store::TransactionFn fn) override {
    absl::Status failure = ReadFailure();
    return failure.ok() ? store_.Read(fn) : failure;
  }
  std::vector<absl::Status> WriteEach(std::span<const store::TransactionFn> fns) override {
    absl::Status failure = WriteFailure();
    if (failure.ok()) {
      return store_.WriteEach(fns);
    }
    return std::vector<absl::Status>(fns.size(), failure);
  }

 private:
  absl::Status WriteFailure() {
    absl::MutexLock lock(&mu_);
    return write_failure_;
  }
  absl::Status ReadFailure() {
    absl::MutexLock lock(&mu_);
    return read_failure_;
  }

  store::Store& store_;
  absl::Mutex mu_;
  absl::Status write_failure_ ABSL_GUARDED_BY(mu_);
  absl::Status read_failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace connectplane::testing
