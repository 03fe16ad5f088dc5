#include "jobs/job_runner.h"

#include "common/ids.h"
#include "common/logging.h"
#include "common/status.h"
#include "common/strings.h"

#include "metrics/metrics.h"
#include "spdlog/spdlog.h"
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <optional>
#include <signal.h>
#include <unistd.h>
#include <utility>

namespace connectplane::jobs {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

std::string NewOwnerId() {
  return common::StrCat(HostName(), "/", getpid(), "/", common::NewProcessNonce());
}

// The job's own status transition in the audit trail (actor "job-runner"),
// written in the transaction that makes it.
absl::Status AuditJobTransition(store::StoreTransaction& txn, const store::Job& job,
                                int64_t now_ms) {
  store::AuditEntry entry;
  entry.at_ms = now_ms;
  entry.tenant = job.tenant_id;
  entry.actor = std::string(store::kActorJobRunner);
  entry.resource_type = std::string(store::kAuditJob);
  entry.resource_id = job.job_id;
  entry.action = job.job_type;
  entry.from_status = std::string(store::JobStatusName(store::JobStatus::kPending));
  entry.to_status = std::string(store::JobStatusName(job.status));
  entry.job_id = job.job_id;
  return txn.AppendAudit(entry);
}

// After the commit: job-duration metric and one structured event log line.
void ReportFinished(const store::Job& job, int64_t now_ms) {
  const double seconds = static_cast<double>(now_ms - job.created_at_ms) / 1000.0;
  const bool succeeded = job.status == store::JobStatus::kSucceeded;
  metrics::JobDuration()
      .WithLabels({job.job_type, succeeded ? "succeeded" : "failed"})
      .Observe(seconds < 0 ? 0 : seconds);
  common::LogEvent(succeeded ? spdlog::level::info : spdlog::level::warn, "job",
                   {{"job_id", job.job_id},
                    {"type", job.job_type},
                    {"tenant", job.tenant_id},
                    {"resource_id", job.resource_id},
                    {"from", store::JobStatusName(store::JobStatus::kPending)},
                    {"to", store::JobStatusName(job.status)},
                    {"attempts", int64_t{job.attempts}},
                    {"duration_ms", now_ms - job.created_at_ms},
                    {"error", job.error}});
}

bool IsPermanentFailure(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) || absl::IsInvalidArgument(status) ||
         absl::IsNotFound(status) || absl::IsAlreadyExists(status);
}

}  // namespace

JobRunner::JobRunner(store::Store& store, const common::Clock& clock, JobRunnerOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      owner_id_(NewOwnerId()),
      failure_log_(options.store_failure_log_interval) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::RegisterHandler(std::string job_type, JobHandler* handler) {
  handlers_[std::move(job_type)] = handler;
}

std::vector<std::string> JobRunner::HandledJobTypes() const {
  std::vector<std::string> job_types;
  for (const auto& [job_type, handler] : handlers_) {
    job_types.push_back(job_type);
  }
  return job_types;
}

void JobRunner::Start() {
  absl::Status recovered = RecoverAbandonedLeases();
  if (!recovered.ok()) {
    spdlog::warn("job runner: start-up lease recovery failed: {}", recovered.ToString());
  }
  thread_ = std::thread([this] { Loop(); });
}

absl::Status JobRunner::RecoverAbandonedLeases() {
  const std::string host = HostName();
  return store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<std::string> owners, txn.ListLeaseOwners());
    for (const std::string& owner : owners) {
      std::vector<std::string_view> parts = common::Split(owner, '/');
      if (parts.size() != 3 || parts[0] != host) continue;
      long pid = std::strtol(std::string(parts[1]).c_str(), nullptr, 10);
      if (pid <= 0 || pid == getpid()) continue;
      if (kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH) {
        spdlog::info("job runner: releasing leases of dead runner {}", owner);
        RETURN_IF_ERROR(txn.ReleaseLeases(owner));
      }
    }
    return absl::OkStatus();
  });
}

void JobRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

absl::Status JobRunner::StopAndReleaseLeases() {
  Stop();
  return store_.Write(
      [&](store::StoreTransaction& txn) -> absl::Status { return txn.ReleaseLeases(owner_id_); });
}

void JobRunner::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
    retry_at_ = absl::InfinitePast();
  }
  wake_.notify_all();
}

absl::StatusOr<int> JobRunner::RunDueJobs() {
  Pass pass = RunPass();
  RETURN_IF_ERROR(pass.claim_status);
  return pass.finished;
}

JobRunner::Pass JobRunner::RunPass() {
  Pass pass;
  absl::Time now = clock_.Now();
  std::vector<store::Job> due;
  pass.claim_status = store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        due, txn.ClaimDueJobs(common::ToUnixMillis(now), owner_id_,
                              common::ToUnixMillis(now + options_.lease_ttl), options_.batch_size));
    return absl::OkStatus();
  });
  if (!pass.claim_status.ok()) {
    pass.store_status = pass.claim_status;
    return pass;
  }
  pass.claimed = static_cast<int>(due.size());
  // A store failure leaves the job pending; RunOnce logs it once for the turn
  // (not once per job) and backs off. Anything else is this job's own problem.
  auto not_completed = [&pass](const store::Job& job, const absl::Status& status) {
    if (StoreHealth::IsStoreFailure(status)) {
      if (pass.store_status.ok()) pass.store_status = status;
      ++pass.left_pending;
      return;
    }
    spdlog::warn("job {} ({}) not completed: {}", job.job_id, job.job_type, status.ToString());
  };
  // The whole claimed batch completes through WriteEach: each job in its own
  // (sub)transaction, so one job's failure never touches another's effects,
  // while SQLite shares one durable commit among them (group commit).
  std::vector<Outcome> outcomes(due.size());
  std::vector<std::function<absl::Status(store::StoreTransaction&)>> callbacks;
  callbacks.reserve(due.size());
  for (size_t job_idx = 0; job_idx < due.size(); ++job_idx) {
    callbacks.emplace_back([&, job_idx](store::StoreTransaction& txn) {
      return CompleteInTransaction(txn, due[job_idx], now, outcomes[job_idx]);
    });
  }
  std::vector<store::TransactionFn> fns(callbacks.begin(), callbacks.end());
  std::vector<absl::Status> write_statuses = store_.WriteEach(fns);
  absl::Time last_heartbeat = now;
  for (size_t job_idx = 0; job_idx < due.size(); ++job_idx) {
    const store::Job& job = due[job_idx];
    const absl::Status& write_status = write_statuses[job_idx];
    const Outcome& outcome = outcomes[job_idx];
    if (write_status.ok() || outcome.handler_status.ok()) {
      // Done, skipped (no longer ours), or a store error: the job stays
      // pending and is claimed again once its lease expires.
      if (!write_status.ok()) {
        not_completed(job, write_status);
      }
      if (write_status.ok() && outcome.completed) {
        ++pass.finished;
        // Only now is the outcome durable: metrics and the event line.
        ReportFinished(*outcome.completed, common::ToUnixMillis(now));
      }
      continue;
    }
    absl::Time failure_now = clock_.Now();
    if (failure_now - last_heartbeat > options_.lease_ttl / 3) {
      // Heartbeat: keep our claims while the failures are recorded one by one.
      absl::Status renewed = store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
        return txn.ExtendLeases(owner_id_, common::ToUnixMillis(failure_now + options_.lease_ttl))
            .status();
      });
      if (StoreHealth::IsStoreFailure(renewed)) {
        if (pass.store_status.ok()) pass.store_status = renewed;
      } else if (!renewed.ok()) {
        spdlog::warn("job runner: lease heartbeat failed: {}", renewed.ToString());
      }
      last_heartbeat = failure_now;
    }
    absl::StatusOr<bool> finished = RecordFailure(job, now, outcome.handler_status);
    if (!finished.ok()) {
      not_completed(job, finished.status());
    } else if (*finished) {
      ++pass.finished;
    }
  }
  return pass;
}

absl::Duration JobRunner::RunOnce() {
  const absl::Time now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (now < retry_at_) {
      return retry_at_ - now;  // backing off: the store is left alone
    }
  }
  Pass pass = RunPass();
  absl::Status failure = pass.store_status;
  // Claiming wrote lease updates; completions commit only after a claim.
  bool wrote = pass.claimed > 0;
  const bool writes_in_doubt =
      failed_turns_ > 0 || (health_ != nullptr && health_->writes_failing());
  if (failure.ok() && !wrote && writes_in_doubt) {
    // Nothing was due, so nothing was written: without a write of our own a
    // full disk would look healthy, or a recovered one stay failing forever.
    failure = ProbeWrite(store_, now);
    wrote = failure.ok();
  }
  if (!failure.ok()) {
    if (health_ != nullptr) health_->RecordFailure(kWriterJobRunner, failure, now);
    BackOff(failure, now, pass.left_pending);
    return store_backoff_;
  }
  if (health_ != nullptr && wrote) health_->RecordSuccess();
  if (failed_turns_ > 0) Recovered(now);

  absl::Duration wait = options_.max_idle_wait;
  absl::StatusOr<std::optional<int64_t>> next_due = std::optional<int64_t>();
  absl::Status read = store_.Read([&](store::StoreTransaction& txn) -> absl::Status {
    next_due = txn.NextDueAt();
    return next_due.status();
  });
  if (read.ok() && next_due->has_value()) {
    absl::Duration until_due = common::FromUnixMillis(**next_due) - clock_.Now();
    if (**next_due <= common::ToUnixMillis(now) && pass.claimed == 0) {
      // It was due when this turn claimed, and not claimed: another runner (or
      // this one, after a failed completion) holds its lease. Poll; waiting
      // "until due" would be no wait at all until the lease expires.
      until_due = options_.max_idle_wait;
    }
    wait = std::clamp(until_due, absl::ZeroDuration(), options_.max_idle_wait);
  }
  return wait;
}

void JobRunner::BackOff(const absl::Status& failure, absl::Time now, int left_pending) {
  store_backoff_ = store_backoff_ == absl::ZeroDuration()
                       ? options_.store_retry_initial
                       : std::min(store_backoff_ * 2, options_.store_retry_max);
  if (failed_turns_ == 0) failing_since_ = now;
  ++failed_turns_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    retry_at_ = now + store_backoff_;
  }
  int64_t held_back = 0;
  if (!failure_log_.Admit(now, held_back)) return;
  const std::string pending =
      left_pending > 0 ? common::StrCat(" (", left_pending, " claimed jobs left pending)") : "";
  if (failed_turns_ == 1) {
    spdlog::error("job runner: store write failed{}, retrying in {}: {}", pending,
                  absl::FormatDuration(store_backoff_), failure.ToString());
    return;
  }
  spdlog::error(
      "job runner: store writes still failing: {} failed attempts in {} ({} similar lines "
      "suppressed){}, retrying in {}: {}",
      failed_turns_, absl::FormatDuration(absl::Trunc(now - failing_since_, absl::Milliseconds(1))),
      held_back, pending, absl::FormatDuration(store_backoff_), failure.ToString());
}

void JobRunner::Recovered(absl::Time now) {
  const int64_t held_back = failure_log_.Reset();
  spdlog::info(
      "job runner: store writes succeed again after {} failed attempts in {} ({} similar lines "
      "suppressed)",
      failed_turns_, absl::FormatDuration(absl::Trunc(now - failing_since_, absl::Milliseconds(1))),
      held_back);
  failed_turns_ = 0;
  failing_since_ = absl::InfinitePast();
  store_backoff_ = absl::ZeroDuration();
}

absl::Status JobRunner::CompleteInTransaction(store::StoreTransaction& txn,
                                              const store::Job& listed, absl::Time now,
                                              Outcome& outcome) {
  // The store may run this again after rolling back an aborted attempt.
  outcome = Outcome();
  auto handler_it = handlers_.find(listed.job_type);
  const int64_t now_ms = common::ToUnixMillis(now);
  // Re-read inside the write transaction: another runner (or process) may
  // have completed it since we listed it.
  ASSIGN_OR_RETURN(std::optional<store::Job> current, txn.GetJob(listed.job_id));
  // Our lease must still hold: if it expired and another runner claimed the
  // job, that runner owns it now.
  if (!current || current->status != store::JobStatus::kPending || current->due_at_ms > now_ms ||
      current->lease_owner != owner_id_) {
    return absl::OkStatus();
  }
  store::Job job = std::move(*current);
  job.attempts += 1;
  job.updated_at_ms = now_ms;
  job.lease_owner.clear();
  job.lease_expires_at_ms = 0;
  outcome.handler_status =
      Attempt(txn, handler_it == handlers_.end() ? nullptr : handler_it->second, job, now);
  if (!outcome.handler_status.ok()) {
    // Roll back whatever the handler wrote; the outcome is recorded afterwards.
    return outcome.handler_status;
  }
  job.status = store::JobStatus::kSucceeded;
  RETURN_IF_ERROR(RecordFinal(txn, job, now_ms));
  outcome.completed = std::move(job);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<store::Job>> JobRunner::CompleteInline(store::StoreTransaction& txn,
                                                                    const store::Job& pending,
                                                                    absl::Time now) {
  auto handler_it = handlers_.find(pending.job_type);
  if (handler_it == handlers_.end()) {
    return std::optional<store::Job>();  // the runner fails it the usual way
  }
  JobHandler& handler = *handler_it->second;
  const int64_t now_ms = common::ToUnixMillis(now);
  store::Job job = pending;
  job.attempts += 1;
  job.updated_at_ms = now_ms;
  absl::Status handler_status =
      txn.RunInSavepoint([&] { return Attempt(txn, &handler, job, now); });
  if (handler_status.ok()) {
    job.status = store::JobStatus::kSucceeded;
  } else if (IsPermanentFailure(handler_status)) {
    job.status = store::JobStatus::kFailed;
    job.error = std::string(handler_status.message());
    absl::Status failed = txn.RunInSavepoint([&] { return handler.OnFailed(txn, job, now); });
    if (!failed.ok()) {
      spdlog::warn("job {} ({}): inline failure handling failed, left to the runner: {}",
                   job.job_id, job.job_type, failed.ToString());
      return std::optional<store::Job>();
    }
  } else {
    // Transient: the runner retries it with its back-off, as if never tried.
    return std::optional<store::Job>();
  }
  RETURN_IF_ERROR(RecordFinal(txn, job, now_ms));
  return std::optional<store::Job>(std::move(job));
}

absl::Status JobRunner::Attempt(store::StoreTransaction& txn, JobHandler* handler,
                                const store::Job& job, absl::Time now) {
  std::optional<std::string> injected =
      faults_ != nullptr ? faults_->TakeJobFault(job.job_type) : std::nullopt;
  if (injected) return absl::FailedPreconditionError(*injected);
  if (handler == nullptr) {
    return absl::FailedPreconditionError(common::StrCat("no handler for job type ", job.job_type));
  }
  return handler->Complete(txn, job, now);
}

absl::Status JobRunner::RecordFinal(store::StoreTransaction& txn, const store::Job& job,
                                    int64_t now_ms) {
  RETURN_IF_ERROR(txn.UpdateJob(job));
  return AuditJobTransition(txn, job, now_ms);
}

void JobRunner::ReportInlineCompletion(const store::Job& job, absl::Time now) const {
  ReportFinished(job, common::ToUnixMillis(now));
}

absl::StatusOr<bool> JobRunner::RecordFailure(const store::Job& listed, absl::Time now,
                                              const absl::Status& handler_status) {
  auto handler_it = handlers_.find(listed.job_type);
  const int64_t now_ms = common::ToUnixMillis(now);
  // The handler failed and its (sub)transaction rolled back. Record the
  // outcome in a fresh transaction: FAILED when permanent or out of attempts,
  // else back off.
  std::optional<store::Job> completed;
  absl::Status failure_status = store_.Write([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::Job> current, txn.GetJob(listed.job_id));
    if (!current || current->status != store::JobStatus::kPending ||
        current->lease_owner != owner_id_) {
      return absl::OkStatus();
    }
    store::Job job = std::move(*current);
    job.attempts += 1;
    job.updated_at_ms = now_ms;
    job.lease_owner.clear();
    job.lease_expires_at_ms = 0;
    job.error = std::string(handler_status.message());
    if (IsPermanentFailure(handler_status) || job.attempts >= options_.max_attempts) {
      job.status = store::JobStatus::kFailed;
      if (handler_it != handlers_.end()) {
        RETURN_IF_ERROR(handler_it->second->OnFailed(txn, job, now));
      }
      RETURN_IF_ERROR(RecordFinal(txn, job, now_ms));
      completed = std::move(job);
      return absl::OkStatus();
    }
    job.due_at_ms = now_ms + absl::ToInt64Milliseconds(options_.retry_backoff * job.attempts);
    return txn.UpdateJob(job);
  });
  RETURN_IF_ERROR(failure_status);
  if (completed) {
    ReportFinished(*completed, now_ms);
  }
  return completed.has_value();
}

bool JobRunner::ShouldWake() const { return stopping_ || notified_; }

void JobRunner::Loop() {
  while (true) {
    // Capped so that the chrono deadline cannot overflow ("no job due" may
    // be an infinite wait); the loop simply looks again after a day.
    const absl::Duration wait =
        std::clamp(RunOnce(), absl::ZeroDuration(), absl::Hours(24));
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait_for(lock, absl::ToChronoNanoseconds(wait), [this] { return ShouldWake(); });
    if (stopping_) {
      return;
    }
    notified_ = false;
  }
}

}  // namespace connectplane::jobs
