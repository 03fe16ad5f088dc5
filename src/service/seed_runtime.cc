#include "service/seed_runtime.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"
#include "service/audit_recorder.h"
#include "service/connector_task_service.h"
#include "service/job_types.h"

#include "boost/json.hpp"
#include <cstdio>
#include <map>
#include <optional>
#include <tuple>

namespace connectplane::service {
namespace {

absl::Status SeedError(std::string_view path, std::string_view problem) {
  return common::InvalidArgument("INVALID_SEED", common::StrCat("seed ", path, ": ", problem));
}

constexpr common::StringRules kRequired{.empty_is_absent = true};

// A stored instant; absent = the moment of import.
absl::StatusOr<int64_t> Millis(const common::JsonReader& object, std::string_view key,
                               int64_t now_ms) {
  ASSIGN_OR_RETURN(std::optional<int64_t> millis, object.Int(key, 0, store::kNeverDue));
  return millis.value_or(now_ms);
}

// An optional JSON object member, serialized as stored ("{}" when absent).
absl::StatusOr<std::string> ObjectText(const common::JsonReader& object, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> member, object.Object(key));
  return member ? common::ToJson(member->object()) : std::string("{}");
}

}  // namespace

std::string TimingSetting(std::string_view job_type, const JobTiming& timing) {
  std::string value;
  if (timing.reads > 0) {
    value = common::StrCat("reads:", timing.reads);
  } else {
    // Milliseconds are the finest step a job is scheduled in.
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.3f", absl::ToDoubleSeconds(timing.delay));
    value = seconds;
  }
  return job_type.empty() ? value : common::StrCat(job_type, "=", value);
}

absl::Status ParseHuaweiRuntime(const common::JsonReader& huawei, const SeedResourceKeys& instances,
                                int64_t now_ms, SeedResourceKeys& resources, RuntimeSeed& seed) {
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> tasks, huawei.ObjectList("connector_tasks"));
  std::set<std::tuple<std::string, std::string, std::string>> task_names;
  for (const common::JsonReader& object : tasks) {
    RETURN_IF_ERROR(object.CheckKnown({"project_id", "instance_id", "task_id", "task_name",
                                       "status", "config", "pending_job_id", "created_at_ms"}));
    store::ConnectorTask task;
    ASSIGN_OR_RETURN(task.project_id, object.RequiredString("project_id", kRequired));
    ASSIGN_OR_RETURN(task.instance_id, object.RequiredString("instance_id", kRequired));
    ASSIGN_OR_RETURN(task.task_id, object.RequiredString("task_id", kRequired));
    ASSIGN_OR_RETURN(task.task_name, object.RequiredString("task_name", kRequired));
    if (!instances.contains({task.project_id, task.instance_id})) {
      return SeedError(object.path(), "'instance_id' names no Kafka instance of this seed");
    }
    ASSIGN_OR_RETURN(std::optional<std::string> status,
                     object.Enum("status",
                                 {kTaskCreating, kTaskRunning, kTaskWaiting, kTaskPaused,
                                  kTaskRestarting, kTaskFailed},
                                 kRequired));
    if (!status) {
      return object.Error(common::JsonProblem::kMissing, "status",
                          "CREATING, RUNNING, WAITING, PAUSED, RESTARTING or FAILED");
    }
    task.status = std::move(*status);
    ASSIGN_OR_RETURN(task.config_json, ObjectText(object, "config"));
    ASSIGN_OR_RETURN(std::optional<std::string> pending, object.String("pending_job_id"));
    task.pending_job_id = pending.value_or("");
    ASSIGN_OR_RETURN(task.created_at_ms, Millis(object, "created_at_ms", now_ms));
    task.updated_at_ms = now_ms;
    if (!resources.insert({task.project_id, task.task_id}).second) {
      return SeedError(object.path(), "duplicate task_id");
    }
    if (!task_names.insert({task.project_id, task.instance_id, task.task_name}).second) {
      return SeedError(object.path(), "duplicate task_name in the instance");
    }
    seed.connector_tasks.push_back(std::move(task));
  }

  ASSIGN_OR_RETURN(std::vector<common::JsonReader> items,
                   huawei.ObjectList("kafka_instance_items"));
  std::set<std::tuple<std::string, std::string, std::string, std::string>> item_keys;
  for (const common::JsonReader& object : items) {
    RETURN_IF_ERROR(object.CheckKnown(
        {"project_id", "instance_id", "kind", "name", "body", "created_at_ms", "updated_at_ms"}));
    store::KafkaInstanceItem item;
    ASSIGN_OR_RETURN(item.project_id, object.RequiredString("project_id", kRequired));
    ASSIGN_OR_RETURN(item.instance_id, object.RequiredString("instance_id", kRequired));
    if (!instances.contains({item.project_id, item.instance_id})) {
      return SeedError(object.path(), "'instance_id' names no Kafka instance of this seed");
    }
    ASSIGN_OR_RETURN(
        std::optional<std::string> kind,
        object.Enum("kind", {store::kKafkaItemTag, store::kKafkaItemConfig, store::kKafkaItemTopic},
                    kRequired));
    if (!kind) {
      return object.Error(common::JsonProblem::kMissing, "kind", "tag, config or topic");
    }
    item.kind = std::move(*kind);
    ASSIGN_OR_RETURN(item.name, object.RequiredString("name", kRequired));
    ASSIGN_OR_RETURN(item.body_json, ObjectText(object, "body"));
    ASSIGN_OR_RETURN(item.created_at_ms, Millis(object, "created_at_ms", now_ms));
    ASSIGN_OR_RETURN(item.updated_at_ms, Millis(object, "updated_at_ms", item.created_at_ms));
    if (!item_keys.insert({item.project_id, item.instance_id, item.kind, item.name}).second) {
      return SeedError(object.path(), "duplicate (kind, name) in the instance");
    }
    seed.instance_items.push_back(std::move(item));
  }
  return absl::OkStatus();
}

absl::Status ParseJobsRuntime(const common::JsonReader& root, const SeedResourceKeys& resources,
                              int64_t now_ms, RuntimeSeed& seed) {
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> jobs, root.ObjectList("jobs_in_flight"));
  // job id -> (tenant, resource), to check the tasks that wait for one.
  std::map<std::string, std::pair<std::string, std::string>> job_resources;
  for (const common::JsonReader& object : jobs) {
    RETURN_IF_ERROR(object.CheckKnown({"job_id", "tenant_id", "resource_id", "job_type", "name",
                                       "params", "user_name", "user_id", "created_at_ms",
                                       "attempts", "remaining_seconds", "remaining_reads"}));
    SeedJob entry;
    store::Job& job = entry.job;
    ASSIGN_OR_RETURN(job.job_id, object.RequiredString("job_id", kRequired));
    ASSIGN_OR_RETURN(job.tenant_id, object.RequiredString("tenant_id", kRequired));
    ASSIGN_OR_RETURN(job.resource_id, object.RequiredString("resource_id", kRequired));
    ASSIGN_OR_RETURN(job.job_type, object.RequiredString("job_type", kRequired));
    // A misspelt type would be stored and never run.
    if (absl::Status known = CheckJobType(job.job_type); !known.ok()) {
      return SeedError(object.PathOf("job_type"), common::ToStd(known.message()));
    }
    if (!resources.contains({job.tenant_id, job.resource_id})) {
      return SeedError(object.path(),
                       "'resource_id' names no instance, task, port or private connect of the "
                       "tenant in this seed");
    }
    ASSIGN_OR_RETURN(std::optional<std::string> name, object.String("name"));
    job.name = name.value_or(job.job_type);
    ASSIGN_OR_RETURN(job.params_json, ObjectText(object, "params"));
    ASSIGN_OR_RETURN(std::optional<std::string> user_name, object.String("user_name"));
    ASSIGN_OR_RETURN(std::optional<std::string> user_id, object.String("user_id"));
    job.user_name = user_name.value_or("");
    job.user_id = user_id.value_or("");
    ASSIGN_OR_RETURN(job.created_at_ms, Millis(object, "created_at_ms", now_ms));
    ASSIGN_OR_RETURN(std::optional<int64_t> attempts, object.Int("attempts", 0, 1000000));
    job.attempts = static_cast<int32_t>(attempts.value_or(0));
    job.status = store::JobStatus::kPending;
    if (object.Has("remaining_seconds") == object.Has("remaining_reads")) {
      return SeedError(object.path(),
                       "exactly one of 'remaining_seconds' and 'remaining_reads' is required");
    }
    // At most a year: a snapshot resumes work, it does not schedule it.
    ASSIGN_OR_RETURN(std::optional<double> seconds,
                     object.Number("remaining_seconds", 0, 366.0 * 86400));
    ASSIGN_OR_RETURN(std::optional<int64_t> reads, object.Int("remaining_reads", 1, 1000000));
    if (reads) {
      job.reads_remaining = static_cast<int32_t>(*reads);
      job.due_at_ms = store::kNeverDue;
    } else {
      entry.remaining_ms = static_cast<int64_t>(*seconds * 1000.0 + 0.5);
    }
    if (!job_resources.emplace(job.job_id, std::pair{job.tenant_id, job.resource_id}).second) {
      return SeedError(object.path(), "duplicate job_id");
    }
    seed.jobs.push_back(std::move(entry));
  }
  for (size_t task_idx = 0; task_idx < seed.connector_tasks.size(); ++task_idx) {
    const store::ConnectorTask& task = seed.connector_tasks[task_idx];
    if (task.pending_job_id.empty()) {
      continue;
    }
    auto job = job_resources.find(task.pending_job_id);
    if (job == job_resources.end() || job->second != std::pair{task.project_id, task.task_id}) {
      return SeedError(common::StrCat("huawei.connector_tasks[", task_idx, "]"),
                       "'pending_job_id' names no job of jobs_in_flight for this task");
    }
  }

  ASSIGN_OR_RETURN(std::optional<common::JsonReader> timing, root.Object("job_timing"));
  if (!timing) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(timing->CheckKnown({"default_seconds", "types"}));
  ASSIGN_OR_RETURN(std::optional<double> default_seconds,
                   timing->Number("default_seconds", 0, 86400));
  if (default_seconds) {
    seed.timing_settings.push_back(
        TimingSetting("", JobTiming{absl::Seconds(*default_seconds), 0}));
  }
  ASSIGN_OR_RETURN(std::optional<common::JsonReader> types, timing->Object("types"));
  if (types) {
    for (const auto& member : types->object()) {
      const std::string_view job_type(member.key().data(), member.key().size());
      if (absl::Status known = CheckJobType(job_type); !known.ok()) {
        return SeedError(types->path(), common::ToStd(known.message()));
      }
      ASSIGN_OR_RETURN(common::JsonReader entry, types->RequiredObject(job_type));
      RETURN_IF_ERROR(entry.CheckKnown({"seconds", "reads"}));
      if (entry.Has("seconds") == entry.Has("reads")) {
        return SeedError(entry.path(), "exactly one of 'seconds' and 'reads' is required");
      }
      ASSIGN_OR_RETURN(std::optional<double> seconds, entry.Number("seconds", 0, 86400));
      ASSIGN_OR_RETURN(std::optional<int64_t> reads, entry.Int("reads", 1, 1000000));
      JobTiming parsed;
      if (reads) {
        parsed.reads = static_cast<int32_t>(*reads);
      } else {
        parsed.delay = absl::Seconds(*seconds);
      }
      seed.timing_settings.push_back(TimingSetting(job_type, parsed));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyRuntimeSeed(store::StoreTransaction& txn, const RuntimeSeed& seed,
                              SeedResourceKeys& created, int64_t now_ms, int& tasks_created,
                              int& items_created, int& jobs_created) {
  // Rows of instances this transaction inserted and jobs with new ids: no
  // other transaction can hold their keys, so taking them after the Zenlayer
  // rows cannot deadlock (store.h's lock order).
  const absl::Time now = common::FromUnixMillis(now_ms);
  for (const store::ConnectorTask& task : seed.connector_tasks) {
    if (!created.contains({task.project_id, task.instance_id})) {
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<store::ConnectorTask> existing,
                     txn.GetConnectorTask(task.project_id, task.instance_id, task.task_id));
    if (existing) {
      continue;
    }
    RETURN_IF_ERROR(txn.InsertConnectorTask(task));
    RETURN_IF_ERROR(
        AuditRecorder::ForAdmin(task.project_id, now)
            .Record(txn, store::kAuditConnectorTask, task.task_id, "seed", "", task.status));
    created.insert({task.project_id, task.task_id});
    ++tasks_created;
  }
  for (const store::KafkaInstanceItem& item : seed.instance_items) {
    if (created.contains({item.project_id, item.instance_id})) {
      RETURN_IF_ERROR(txn.PutKafkaInstanceItem(item));
      ++items_created;
    }
  }
  for (const SeedJob& entry : seed.jobs) {
    if (!created.contains({entry.job.tenant_id, entry.job.resource_id})) {
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<store::Job> existing, txn.GetJob(entry.job.job_id));
    if (existing) {
      continue;
    }
    store::Job job = entry.job;
    job.updated_at_ms = now_ms;
    if (job.reads_remaining == 0) {
      job.due_at_ms = now_ms + entry.remaining_ms;
    }
    RETURN_IF_ERROR(txn.InsertJob(job));
    ++jobs_created;
  }
  return absl::OkStatus();
}

}  // namespace connectplane::service
