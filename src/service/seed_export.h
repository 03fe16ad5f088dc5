// The seed writer: a snapshot of everything clients observe, as a seed
// document that ApplySeed (seed.h) reads back to the same observable state on
// an empty server. GET /_connectplane/export serves it. Stateless; safe for
// concurrent use (it reads in one read transaction).
//
// Exported: Huawei credentials (access key, project, user; secret_key only
// with include_secrets), IAM domains, projects and users (password_hash only
// with include_secrets), Kafka instances (every column and stored member,
// Smart Connect state included), their Smart Connect tasks, tags, parameter
// values and topics, Zenlayer credentials (access_key_password only with
// include_secrets), bearer tokens (as their SHA-256, only with
// include_secrets), data centers, ports, private connects and cloud regions,
// the job timing settings, and every job still in flight with what it has
// left (remaining_seconds from the export's instant, or remaining_reads).
// Not exported: finished jobs, the audit trail, idempotency records, IAM
// tokens, fault rules and the id generator's seed.
//
// Deterministic: every list is sorted by its key, members come in a fixed
// order, so two exports of one state are byte-identical (remaining_seconds
// counts down between them while a job is time-gated).
#pragma once

#include "common/clock.h"
#include "service/job_timings.h"
#include "service/kafka_catalog.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <string>

namespace connectplane::service {

struct ExportOptions {
  // Also write secret keys, passwords, password hashes and token hashes.
  bool include_secrets = false;
  // The availability zones the server offers (its start-up seed's, or the
  // built-in ones), written as "huawei.availability_zones" so that the
  // instances' zone ids are checked against them on import; nullptr: left out.
  const KafkaCatalog* catalog = nullptr;
};

// The snapshot as a JSON document (one line and a newline). A job whose
// resource is gone is left out, so that the document always re-imports.
// Errors: the store's.
absl::StatusOr<std::string> ExportSeed(store::Store& store, const common::Clock& clock,
                                       const JobTimingSettings& timings,
                                       const ExportOptions& options);

}  // namespace connectplane::service
