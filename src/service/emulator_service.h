// Domain side of the emulator controls the admin API exposes: reset (all, or
// one tenant) back to the start-up seed, seeding at run time, a dump of all
// state (secrets omitted), and access to timing and fault settings.
// Safe for concurrent use.
#pragma once

#include "common/clock.h"
#include "service/emulator_controls.h"
#include "service/job_timings.h"
#include "service/seed.h"
#include "service/seed_export.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// Every table's rows (secret columns omitted) at one instant.
struct EmulatorState {
  std::vector<store::TableDump> tables;
  int64_t now_ms = 0;
};

class EmulatorService {
 public:
  // `startup_seed` is the seed document applied at start-up ("" for none); reset
  // re-applies it. `on_change` runs after every reset or seed that committed
  // something, also when a reset's re-seed then fails (main wires it to wake
  // the job runner and to drop cached credentials).
  EmulatorService(store::Store& store, const common::Clock& clock, JobTimings& timings,
                  EmulatorControls& controls, std::string startup_seed,
                  std::function<void()> on_change);

  // Deletes all resources and jobs (or those of one tenant: a Huawei project id
  // or a Zenlayer account id), clears faults when resetting everything, then
  // re-applies the start-up seed. Errors: the store's.
  absl::StatusOr<SeedSummary> Reset(std::optional<std::string> tenant);
  // Applies a seed document (same format and rules as the --seed file).
  absl::StatusOr<SeedSummary> Seed(std::string_view seed_json);
  // Errors: the store's.
  absl::StatusOr<EmulatorState> DumpState();
  // The state as a seed document that Seed() takes back (seed_export.h).
  // Errors: the store's.
  absl::StatusOr<std::string> Export(bool include_secrets);
  // Number of pending jobs, for readiness.
  absl::StatusOr<int64_t> PendingJobs();
  // Audit trail entries, newest first (see store::AuditFilter). Errors: the store's.
  absl::StatusOr<std::vector<store::AuditEntry>> ListAudit(const store::AuditFilter& filter);
  // Jobs per (type, status), read at metrics scrape time. Errors: the store's.
  absl::StatusOr<std::vector<store::JobCount>> CountJobs();

  JobTimings& timings() { return timings_; }
  EmulatorControls& controls() { return controls_; }

 private:
  store::Store& store_;
  const common::Clock& clock_;
  JobTimings& timings_;
  EmulatorControls& controls_;
  const std::string startup_seed_;
  std::function<void()> on_change_;
};

}  // namespace connectplane::service
