// Seed files through service::ApplySeed into a fresh in-memory store. Oracles:
// applying an accepted seed again succeeds and is idempotent (same credential
// count, every instance already present, none created).
#include "common/strings.h"
#include "service/job_timings.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include "fuzz_common.h"
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace fz = connectplane::fuzz;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view seed(reinterpret_cast<const char*>(data), size);
  // One store for the run (opening one costs ~10 ms); emptied per input.
  static connectplane::store::SqliteStore* const store = [] {
    auto opened = connectplane::store::SqliteStore::Open(":memory:");
    if (!opened.ok()) {
      fz::OracleFailed("cannot open in-memory store");
    }
    return opened->release();
  }();
  if (!store->Write([](connectplane::store::StoreTransaction& txn) { return txn.DeleteAllData(); })
           .ok()) {
    fz::OracleFailed("cannot empty the store");
  }
  const fz::FixedClock clock;
  connectplane::service::JobTimings timings;
  auto first = connectplane::service::ApplySeed(*store, seed, clock, &timings);
  if (!first.ok()) {
    return 0;
  }
  auto second = connectplane::service::ApplySeed(*store, seed, clock, &timings);
  if (!second.ok()) {
    fz::OracleFailed("re-applying an accepted seed failed: " + second.status().ToString());
  }
  if (second->credentials != first->credentials || second->instances_created != 0 ||
      second->instances_existing != first->instances_created + first->instances_existing) {
    fz::OracleFailed(connectplane::common::StrCat(
        "seed is not idempotent: first ", first->instances_created, "/", first->instances_existing,
        " second ", second->instances_created, "/", second->instances_existing));
  }
  return 0;
}
