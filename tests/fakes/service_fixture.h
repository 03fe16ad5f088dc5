// The service layer wired as src/main/main.cc wires it, over an in-memory
// SQLite store and a fake clock: job timings, the job runner with every
// handler registered, the job queue (its runner wake-ups counted), every
// service and the emulator's fault rules. The resource services reach the
// store through a FailingStore, so that a test can make their calls fail. No
// network and no threads: tests run due jobs with RunJobsAfter(). Header-only
// so each test binary compiles it with its own flags.
#pragma once

#include "jobs/job_runner.h"
#include "service/connector_task_jobs.h"
#include "service/connector_task_service.h"
#include "service/credential_service.h"
#include "service/emulator_controls.h"
#include "service/idempotency.h"
#include "service/job_queue.h"
#include "service/job_timings.h"
#include "service/kafka_config_service.h"
#include "service/kafka_instance_jobs.h"
#include "service/kafka_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"
#include "service/port_jobs.h"
#include "service/port_service.h"
#include "service/private_connect_jobs.h"
#include "service/private_connect_service.h"
#include "service/sdn_catalog_service.h"
#include "service/sdn_usage_service.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/failing_store.h"
#include "fakes/fake_clock.h"
#include <atomic>
#include <memory>
#include <string_view>

namespace connectplane::testing {

struct ServiceFixture {
  // `job_duration`: how long every job type takes unless the seed says otherwise.
  explicit ServiceFixture(absl::Duration job_duration = absl::Seconds(3)) {
    timings.SetDefault(job_duration);
    service::RegisterKafkaInstanceJobs(runner);
    service::RegisterConnectorTaskJobs(runner);
    service::RegisterPrivateConnectJobs(runner);
    service::RegisterPortJobs(runner);
    service::RegisterKafkaConfigJobs(runner);
    runner.SetFaultSource(&controls);
  }

  // Applies a seed document (with its job durations); fails the test on error.
  void Seed(std::string_view seed_json) {
    auto seeded = service::ApplySeed(*store, seed_json, clock, &timings);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
  }

  // Advances the clock by `delta` and runs every job then due. Returns how
  // many reached a final status.
  int RunJobsAfter(absl::Duration delta) {
    clock.Advance(delta);
    auto ran = runner.RunDueJobs();
    EXPECT_TRUE(ran.ok()) << ran.status();
    return ran.ok() ? *ran : 0;
  }

  FakeClock clock;
  service::JobTimings timings;
  std::unique_ptr<store::SqliteStore> store = store::SqliteStore::Open(":memory:").value();
  // What the resource services and the job queue use: `store` itself until a
  // test makes it fail (credentials, idempotency and the runner use `store`).
  FailingStore service_store{*store};
  service::EmulatorControls controls{7};
  jobs::JobRunner runner{*store, clock};
  std::atomic<int> runner_wakeups{0};
  service::JobQueue jobs{service_store, clock, timings, [this] { ++runner_wakeups; }};
  service::KafkaService kafka{service_store, clock, jobs};
  service::ConnectorTaskService tasks{service_store, clock, jobs};
  service::KafkaTagService kafka_tags{service_store, clock};
  service::KafkaConfigService kafka_configs{service_store, jobs};
  service::KafkaTopicService kafka_topics{service_store, clock};
  service::PrivateConnectService connects{service_store, clock, jobs};
  service::PortService ports{service_store, clock, jobs};
  service::SdnCatalogService sdn_catalog{service_store};
  service::SdnUsageService sdn_usage{service_store, clock};
  service::CredentialService credentials{*store};
  service::IdempotencyService idempotency{*store, clock};
};

}  // namespace connectplane::testing
