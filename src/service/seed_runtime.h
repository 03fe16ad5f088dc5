// The seed sections that carry run-time state, as GET /_connectplane/export
// writes them (seed_export.h) and ApplySeed reads them back:
//   huawei.connector_tasks:      [{project_id, instance_id, task_id, task_name, status, config?,
//                                  pending_job_id?, created_at_ms?}]
//   huawei.kafka_instance_items: [{project_id, instance_id, kind (tag | config | topic), name,
//                                  body?, created_at_ms?, updated_at_ms?}]
//   jobs_in_flight:              [{job_id, tenant_id, resource_id, job_type, name?, params?,
//                                  user_name?, user_id?, created_at_ms?, attempts?,
//                                  remaining_seconds | remaining_reads}]
//   job_timing:                  {default_seconds?, types?: {"<job type>": {seconds | reads}}}
// Tasks and items must name an instance of the same document; a job must name
// a resource of the same document (instance, task, port or private connect of
// its tenant). Parsing is pure and writes nothing. Stateless.
#pragma once

#include "common/json_reader.h"
#include "service/job_timings.h"
#include "store/models.h"
#include "store/store.h"

#include "absl/status/statusor.h"
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace connectplane::service {

// (tenant id, resource id) pairs: Huawei (project_id, instance_id or task_id),
// Zenlayer (account_id, port or private connect id).
using SeedResourceKeys = std::set<std::pair<std::string, std::string>>;

// A job to resume: `due_at_ms` and `reads_remaining` still count from the
// moment of import (ApplySeed adds the clock's now to a time-gated job).
struct SeedJob {
  store::Job job;
  int64_t remaining_ms = 0;  // when job.reads_remaining == 0
};

struct RuntimeSeed {
  std::vector<store::ConnectorTask> connector_tasks;
  std::vector<store::KafkaInstanceItem> instance_items;
  std::vector<SeedJob> jobs;
  // JobTimings::ApplySetting strings, applied in order (a bare default first,
  // which clears every per-type setting); empty without "job_timing".
  std::vector<std::string> timing_settings;
};

// "huawei.connector_tasks" and "huawei.kafka_instance_items". `instances` are
// the (project_id, instance_id) of the document's instances. Adds each task's
// (project_id, task_id) to `resources`. Errors: InvalidArgument naming the path.
absl::Status ParseHuaweiRuntime(const common::JsonReader& huawei, const SeedResourceKeys& instances,
                                int64_t now_ms, SeedResourceKeys& resources, RuntimeSeed& seed);

// "jobs_in_flight" and "job_timing" of the document root. A job's pending
// task (pending_job_id) must name one of these jobs. Errors: InvalidArgument
// naming the path.
absl::Status ParseJobsRuntime(const common::JsonReader& root, const SeedResourceKeys& resources,
                              int64_t now_ms, RuntimeSeed& seed);

// Inside the seed's transaction, after the resources: inserts the tasks and
// items of the instances in `created` (a re-seed on restart leaves an existing
// instance's live children alone), then the jobs whose resource is in
// `created` (tasks included) and whose id is free; a time-gated job is due
// `remaining_ms` after `now_ms`. Counts into the three counters. Errors: the store's.
absl::Status ApplyRuntimeSeed(store::StoreTransaction& txn, const RuntimeSeed& seed,
                              SeedResourceKeys& created, int64_t now_ms, int& tasks_created,
                              int& items_created, int& jobs_created);

// Renders a timing as the ApplySetting string for `job_type` ("" = default).
std::string TimingSetting(std::string_view job_type, const JobTiming& timing);

}  // namespace connectplane::service
