#include "store/migrations.h"

#include <array>

namespace connectplane::store {
namespace {

// Append only: never edit a released migration, add a new one.
constexpr std::array kMigrations = {
    Migration{1, "huawei credentials, kafka instances, jobs", R"sql(
CREATE TABLE huawei_credentials (
  access_key TEXT PRIMARY KEY,
  secret_key TEXT NOT NULL,
  project_id TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  user_id    TEXT NOT NULL
);
CREATE TABLE kafka_instances (
  project_id              TEXT NOT NULL,
  instance_id             TEXT NOT NULL,
  name                    TEXT NOT NULL,
  status                  TEXT NOT NULL,
  specification           TEXT NOT NULL,
  attributes_json         TEXT NOT NULL,
  connector_enabled       INTEGER NOT NULL,
  connector_id            TEXT NOT NULL,
  connector_node_num      INTEGER NOT NULL,
  connector_spec_code     TEXT NOT NULL,
  connector_specification TEXT NOT NULL,
  created_at_ms           BIGINT NOT NULL,
  updated_at_ms           BIGINT NOT NULL,
  version                 BIGINT NOT NULL,
  PRIMARY KEY (project_id, instance_id)
);
CREATE TABLE jobs (
  job_id        TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  job_type      TEXT NOT NULL,
  name          TEXT NOT NULL,
  params_json   TEXT NOT NULL,
  status        TEXT NOT NULL,
  user_name     TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  due_at_ms     BIGINT NOT NULL,
  attempts      INTEGER NOT NULL,
  error         TEXT NOT NULL
);
CREATE INDEX jobs_pending_by_due ON jobs (status, due_at_ms);
CREATE INDEX jobs_by_resource ON jobs (project_id, resource_id, created_at_ms);
)sql"},
};

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

}  // namespace connectplane::store
