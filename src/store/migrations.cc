#include "store/migrations.h"

#include <algorithm>
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
    // ---- Zenlayer SDN ----
    Migration{2, "zenlayer credentials, ports, private connects", R"sql(
CREATE TABLE zenlayer_credentials (
  access_key_id       TEXT PRIMARY KEY,
  access_key_password TEXT NOT NULL,
  account_id          TEXT NOT NULL
);
CREATE TABLE zenlayer_ports (
  account_id      TEXT NOT NULL,
  port_id         TEXT NOT NULL,
  port_name       TEXT NOT NULL,
  dc_id           TEXT NOT NULL,
  port_status     TEXT NOT NULL,
  attributes_json TEXT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  PRIMARY KEY (account_id, port_id)
);
CREATE TABLE zenlayer_private_connects (
  account_id         TEXT NOT NULL,
  private_connect_id TEXT NOT NULL,
  name               TEXT NOT NULL,
  status             TEXT NOT NULL,
  bandwidth_mbps     BIGINT NOT NULL,
  a_endpoint_id      TEXT NOT NULL,
  a_endpoint_name    TEXT NOT NULL,
  a_port_id          TEXT NOT NULL,
  a_vlan_id          BIGINT NOT NULL,
  z_endpoint_id      TEXT NOT NULL,
  z_endpoint_name    TEXT NOT NULL,
  z_port_id          TEXT NOT NULL,
  z_vlan_id          BIGINT NOT NULL,
  created_at_ms      BIGINT NOT NULL,
  updated_at_ms      BIGINT NOT NULL,
  recycled_at_ms     BIGINT NOT NULL,
  version            BIGINT NOT NULL,
  PRIMARY KEY (account_id, private_connect_id)
);
CREATE INDEX zenlayer_private_connects_by_a_port
  ON zenlayer_private_connects (account_id, a_port_id, a_vlan_id);
CREATE INDEX zenlayer_private_connects_by_z_port
  ON zenlayer_private_connects (account_id, z_port_id, z_vlan_id);
)sql"},
    // ---- end Zenlayer SDN ----
    Migration{3, "job read-gating and leases, idempotency keys", R"sql(
ALTER TABLE jobs ADD COLUMN reads_remaining INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_expires_at_ms BIGINT NOT NULL DEFAULT 0;
CREATE TABLE idempotency_keys (
  scope          TEXT NOT NULL,
  idem_key       TEXT NOT NULL,
  request_hash   TEXT NOT NULL,
  http_status    INTEGER NOT NULL,
  response_body  TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);
)sql"},
    Migration{4, "smart connect tasks", R"sql(
CREATE TABLE kafka_connector_tasks (
  project_id     TEXT NOT NULL,
  instance_id    TEXT NOT NULL,
  task_id        TEXT NOT NULL,
  task_name      TEXT NOT NULL,
  status         TEXT NOT NULL,
  config_json    TEXT NOT NULL,
  pending_job_id TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL,
  version        BIGINT NOT NULL,
  PRIMARY KEY (project_id, instance_id, task_id)
);
CREATE UNIQUE INDEX kafka_connector_tasks_by_name
  ON kafka_connector_tasks (project_id, instance_id, task_name);
)sql"},
    Migration{5, "audit trail of resource state transitions", R"sql(
CREATE TABLE audit_log (
  audit_id      TEXT PRIMARY KEY,
  at_ms         BIGINT NOT NULL,
  tenant        TEXT NOT NULL,
  actor         TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  action        TEXT NOT NULL,
  from_status   TEXT NOT NULL,
  to_status     TEXT NOT NULL,
  job_id        TEXT NOT NULL,
  request_id    TEXT NOT NULL
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant, audit_id);
CREATE INDEX audit_log_by_resource ON audit_log (resource_id, audit_id);
)sql"},
    // ---- Benchmarks and scale ----
    // Describe pages in the database: newest first per account, optionally by
    // status. Job claims: PostgreSQL's ORDER BY due_at_ms, job_id is served by
    // the index order (no sort of every due row).
    Migration{6, "private connect paging indexes, job claim index", R"sql(
CREATE INDEX IF NOT EXISTS zenlayer_private_connects_by_created
  ON zenlayer_private_connects (account_id, created_at_ms DESC, private_connect_id);
CREATE INDEX IF NOT EXISTS zenlayer_private_connects_by_status
  ON zenlayer_private_connects (account_id, status, created_at_ms DESC, private_connect_id);
CREATE INDEX IF NOT EXISTS jobs_claim ON jobs (status, due_at_ms, job_id);
)sql"},
    // Describe answers with totalCount, and COUNT(*) walks every index entry
    // of the account: ~55 us per 1,000 connects, most of a page of 50, and
    // ~0.5 ms for a status filter over 10,000 of 1M. SQLite keeps per-account,
    // per-status counts in triggers instead (same transaction, so exact).
    // PostgreSQL keeps COUNT(*): a shared counter row would serialize the
    // creates of one account across replicas until each commit.
    Migration{7, "private connect counts per account and status (SQLite)", R"sql(
CREATE TABLE zenlayer_private_connect_counts (
  account_id TEXT NOT NULL,
  status     TEXT NOT NULL,
  connects   BIGINT NOT NULL,
  PRIMARY KEY (account_id, status)
);
INSERT INTO zenlayer_private_connect_counts (account_id, status, connects)
  SELECT account_id, status, COUNT(*) FROM zenlayer_private_connects GROUP BY account_id, status;
CREATE TRIGGER zenlayer_private_connects_count_insert AFTER INSERT ON zenlayer_private_connects
BEGIN
  INSERT INTO zenlayer_private_connect_counts (account_id, status, connects)
    VALUES (NEW.account_id, NEW.status, 1)
    ON CONFLICT (account_id, status) DO UPDATE SET connects = connects + 1;
END;
CREATE TRIGGER zenlayer_private_connects_count_delete AFTER DELETE ON zenlayer_private_connects
BEGIN
  UPDATE zenlayer_private_connect_counts SET connects = connects - 1
    WHERE account_id = OLD.account_id AND status = OLD.status;
END;
CREATE TRIGGER zenlayer_private_connects_count_update
  AFTER UPDATE OF account_id, status ON zenlayer_private_connects
  WHEN OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE zenlayer_private_connect_counts SET connects = connects - 1
    WHERE account_id = OLD.account_id AND status = OLD.status;
  INSERT INTO zenlayer_private_connect_counts (account_id, status, connects)
    VALUES (NEW.account_id, NEW.status, 1)
    ON CONFLICT (account_id, status) DO UPDATE SET connects = connects + 1;
END;
)sql", /*sqlite_only=*/true},
    // ---- Zenlayer SDN port lifecycle and the data center catalog ----
    // Rows seeded before keep version 0 and no recycle/expiry times; remarks,
    // port type and business entity stay in attributes_json (the seeds' place).
    Migration{8, "zenlayer port lifecycle columns, data center catalog", R"sql(
ALTER TABLE zenlayer_ports ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE zenlayer_ports ADD COLUMN recycled_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE zenlayer_ports ADD COLUMN expired_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE zenlayer_ports ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE TABLE zenlayer_datacenters (
  dc_id           TEXT PRIMARY KEY,
  dc_name         TEXT NOT NULL,
  dc_address      TEXT NOT NULL,
  city_name       TEXT NOT NULL,
  country_name    TEXT NOT NULL,
  area_name       TEXT NOT NULL,
  port_available  INTEGER NOT NULL,
  attributes_json TEXT NOT NULL
);
)sql"},
    // ---- Zenlayer SDN catalog ----
    // Cloud access points (DescribeAWSRegions, ...): one row per (cloud,
    // region, Zenlayer data center), the same for every account.
    Migration{9, "zenlayer cloud regions", R"sql(
CREATE TABLE zenlayer_cloud_regions (
  cloud_type      TEXT NOT NULL,
  cloud_region_id TEXT NOT NULL,
  dc_id           TEXT NOT NULL,
  products_json   TEXT NOT NULL,
  attributes_json TEXT NOT NULL,
  PRIMARY KEY (cloud_type, cloud_region_id, dc_id)
);
)sql"},
    // API version 2026-04-01 tags on private connects and ports; bearer
    // tokens, stored as their SHA-256 only.
    Migration{10, "zenlayer resource tags, bearer tokens", R"sql(
ALTER TABLE zenlayer_private_connects ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE zenlayer_ports ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
CREATE TABLE zenlayer_tokens (
  token_sha256 TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL
);
)sql"},
    // ---- Identity (Keystone v3) dialect ----
    // Domains, projects (with their region), IAM users (salted password hash
    // only) and issued tokens (SHA-256 only).
    Migration{11, "iam domains, projects, users, tokens", R"sql(
CREATE TABLE iam_domains (
  domain_id TEXT PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE
);
CREATE TABLE iam_projects (
  project_id TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  domain_id  TEXT NOT NULL,
  region_id  TEXT NOT NULL
);
CREATE INDEX iam_projects_by_domain ON iam_projects (domain_id, name);
CREATE TABLE iam_users (
  user_id       TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  domain_id     TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  UNIQUE (domain_id, name)
);
CREATE TABLE iam_tokens (
  token_sha256  TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL,
  user_name     TEXT NOT NULL,
  domain_id     TEXT NOT NULL,
  project_id    TEXT NOT NULL,
  issued_at_ms  BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
CREATE INDEX iam_tokens_by_expiry ON iam_tokens (expires_at_ms);
)sql"},
    // ---- Huawei DMS: a Kafka instance's flavor, sizing and AZs as columns ----
    // Rows from before keep "" / 0 / "[]": their attributes_json still answers.
    Migration{12, "kafka instance flavor, sizing and availability zones", R"sql(
ALTER TABLE kafka_instances ADD COLUMN product_id TEXT NOT NULL DEFAULT '';
ALTER TABLE kafka_instances ADD COLUMN engine_version TEXT NOT NULL DEFAULT '';
ALTER TABLE kafka_instances ADD COLUMN broker_num INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kafka_instances ADD COLUMN storage_space BIGINT NOT NULL DEFAULT 0;
ALTER TABLE kafka_instances ADD COLUMN storage_spec_code TEXT NOT NULL DEFAULT '';
ALTER TABLE kafka_instances ADD COLUMN available_zones_json TEXT NOT NULL DEFAULT '[]';
)sql"},
    // DMS instance tags, Kafka parameter values and topics (one row per
    // instance, kind and name; the kind's members in body_json).
    Migration{13, "kafka instance tags, configs and topics", R"sql(
CREATE TABLE kafka_instance_items (
  project_id    TEXT NOT NULL,
  instance_id   TEXT NOT NULL,
  kind          TEXT NOT NULL,
  name          TEXT NOT NULL,
  body_json     TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (project_id, instance_id, kind, name)
);
)sql"},
};

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

std::vector<const Migration*> PendingMigrations(std::span<const Migration> migrations,
                                                const std::set<int32_t>& applied) {
  std::vector<const Migration*> pending;
  for (const Migration& migration : migrations) {
    if (!applied.contains(migration.version)) {
      pending.push_back(&migration);
    }
  }
  std::sort(pending.begin(), pending.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  return pending;
}

}  // namespace connectplane::store
