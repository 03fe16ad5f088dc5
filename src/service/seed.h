// Seed files: JSON that declares tenants (credentials) and fixtures (Kafka
// instances) plus emulator settings. Format documented in README.md; example in
// examples/demo-seed.json. Applying is idempotent: credentials are upserted,
// instances are inserted only when absent, so re-seeding on restart never
// clobbers state that jobs have changed.
#pragma once

#include "common/clock.h"
#include "service/job_timings.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <string_view>

namespace connectplane::service {

struct SeedSummary {
  int credentials = 0;
  int instances_created = 0;
  int instances_existing = 0;
  // ---- Zenlayer SDN: the "zenlayer" section ----
  int zenlayer_credentials = 0;
  int zenlayer_datacenters = 0;
  int zenlayer_tokens = 0;
  int zenlayer_ports_created = 0;
  int zenlayer_private_connects_created = 0;
  int zenlayer_cloud_regions = 0;  // upserted
  // ---- end Zenlayer SDN ----
  // ---- Identity: the "huawei.iam" member (upserted) ----
  int iam_domains = 0;
  int iam_projects = 0;
  int iam_users = 0;
  // ---- Run-time state of an export: inserted with a newly created parent ----
  int connector_tasks_created = 0;
  int instance_items_created = 0;
  int jobs_created = 0;
};

// Validates the whole document before writing anything, then applies it in one
// transaction. Errors: InvalidArgument naming the offending path (e.g.
// "huawei.kafka_instances[1].instance_id") for malformed JSON, unknown keys,
// missing or mistyped fields, and for a credential without its secret whose
// access key is not stored yet (then nothing is written either); store errors
// otherwise. `timings` (may be null) receives "job_timing" and
// "job_durations_seconds". The run-time sections (seed_runtime.h) follow the
// same rule as instances: a task, item or job is written only with its newly
// created parent resource, so re-seeding never resurrects finished work.
absl::StatusOr<SeedSummary> ApplySeed(store::Store& store, std::string_view seed_json,
                                      const common::Clock& clock, JobTimings* timings);

}  // namespace connectplane::service
