#include "service/emulator_service.h"

#include "common/status.h"
#include "service/audit_recorder.h"
#include "service/kafka_catalog.h"

#include "absl/cleanup/cleanup.h"
#include "spdlog/spdlog.h"

namespace connectplane::service {

EmulatorService::EmulatorService(store::Store& store, const common::Clock& clock,
                                 JobTimings& timings, EmulatorControls& controls,
                                 std::string startup_seed, std::function<void()> on_change)
    : store_(store),
      clock_(clock),
      timings_(timings),
      controls_(controls),
      startup_seed_(std::move(startup_seed)),
      on_change_(std::move(on_change)) {}

absl::StatusOr<SeedSummary> EmulatorService::Reset(std::optional<std::string> tenant) {
  RETURN_IF_ERROR(store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(tenant ? txn.DeleteTenantData(*tenant) : txn.DeleteAllData());
    // The reset itself opens the (cleared) trail of what it cleared.
    return AuditRecorder::ForAdmin(tenant.value_or(""), clock_.Now())
        .Record(txn, store::kAuditEmulator, tenant.value_or("all"), "reset", "", "");
  }));
  absl::Cleanup notify = [this] {
    if (on_change_) on_change_();
  };
  if (!tenant) {
    controls_.ClearFaults();
  }
  SeedSummary summary;
  if (!startup_seed_.empty()) {
    // Seeding is idempotent, so re-applying the whole seed restores exactly
    // what was deleted and leaves other tenants' live state alone. Timings set
    // at run time are kept: a reset is about state, not configuration.
    ASSIGN_OR_RETURN(summary, ApplySeed(store_, startup_seed_, clock_, nullptr));
  }
  spdlog::info("emulator reset ({}): {} instances re-seeded", tenant.value_or("all tenants"),
               summary.instances_created);
  return summary;
}

absl::StatusOr<SeedSummary> EmulatorService::Seed(std::string_view seed_json) {
  ASSIGN_OR_RETURN(SeedSummary summary, ApplySeed(store_, seed_json, clock_, &timings_));
  if (on_change_) on_change_();
  return summary;
}

absl::StatusOr<EmulatorState> EmulatorService::DumpState() {
  EmulatorState state;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(state.tables, txn.DumpTables());
    return absl::OkStatus();
  }));
  state.now_ms = common::ToUnixMillis(clock_.Now());
  return state;
}

absl::StatusOr<std::string> EmulatorService::Export(bool include_secrets) {
  // The zones the server answers with are its start-up seed's (checked at start-up).
  absl::StatusOr<KafkaCatalog> catalog = KafkaCatalog::FromSeed(startup_seed_);
  return ExportSeed(store_, clock_, timings_.Settings(),
                    ExportOptions{.include_secrets = include_secrets,
                                  .catalog = catalog.ok() ? &*catalog : &KafkaCatalog::Default()});
}

absl::StatusOr<int64_t> EmulatorService::PendingJobs() {
  int64_t pending = 0;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<store::Job> due, txn.ListDueJobs(store::kNeverDue, 100000));
    pending = static_cast<int64_t>(due.size());
    return absl::OkStatus();
  }));
  return pending;
}

absl::StatusOr<std::vector<store::AuditEntry>> EmulatorService::ListAudit(
    const store::AuditFilter& filter) {
  std::vector<store::AuditEntry> entries;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(entries, txn.ListAudit(filter));
    return absl::OkStatus();
  }));
  return entries;
}

absl::StatusOr<std::vector<store::JobCount>> EmulatorService::CountJobs() {
  std::vector<store::JobCount> counts;
  RETURN_IF_ERROR(store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(counts, txn.CountJobs());
    return absl::OkStatus();
  }));
  return counts;
}

}  // namespace connectplane::service
