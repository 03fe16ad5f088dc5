// The row format of every persisted type of store/models.h, defined once for
// both backends: its table, its columns, how a result row is read into the
// type (Read) and how the type is bound to an insert (BindInsert) or a
// compare-and-swap update (BindUpdate). SQL text stays per backend and is
// built from these lists (internal/sql_text.h). Also the errors both backends
// return when an insert finds its key taken or a compare-and-swap finds the
// row changed. Stateless; the templates are resolved at compile time.
//
// Column lists are SQL text ("a, b, c"). Each format lists kColumns in the
// order Read reads and BindInsert binds; tests/store/rows_test.cc checks that
// every reader and binder covers exactly its columns.
#pragma once

#include "common/strings.h"
#include "store/internal/row_access.h"
#include "store/models.h"
#include "store/store.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connectplane::store::internal {

struct HuaweiCredentialRow {
  using Value = HuaweiCredential;
  static constexpr std::string_view kTable = "huawei_credentials";
  static constexpr std::string_view kColumns =
      "access_key, secret_key, project_id, user_name, user_id";
  static constexpr std::string_view kKey = "access_key";

  template <ResultRow R>
  static HuaweiCredential Read(const R& row) {
    return HuaweiCredential{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const HuaweiCredential& credential) {
    params.Bind(credential.access_key);
    params.Bind(credential.secret_key);
    params.Bind(credential.project_id);
    params.Bind(credential.user_name);
    params.Bind(credential.user_id);
  }
};

struct KafkaInstanceRow {
  using Value = KafkaInstance;
  static constexpr std::string_view kTable = "kafka_instances";
  static constexpr std::string_view kNoun = "kafka instance";
  static constexpr std::string_view kTaken = " already exists";
  static constexpr std::string_view kColumns =
      "project_id, instance_id, name, status, specification, attributes_json, connector_enabled, "
      "connector_id, connector_node_num, connector_spec_code, connector_specification, "
      "created_at_ms, updated_at_ms, version, product_id, engine_version, broker_num, "
      "storage_space, storage_spec_code, available_zones_json";
  static constexpr std::string_view kKey = "project_id, instance_id";
  // What a compare-and-swap update writes, besides bumping version.
  static constexpr std::string_view kUpdated =
      "name, status, specification, attributes_json, connector_enabled, connector_id, "
      "connector_node_num, connector_spec_code, connector_specification, product_id, "
      "engine_version, broker_num, storage_space, storage_spec_code, available_zones_json, "
      "updated_at_ms";

  static std::string_view Id(const KafkaInstance& instance) { return instance.instance_id; }

  template <ResultRow R>
  static KafkaInstance Read(const R& row) {
    KafkaInstance instance;
    instance.project_id = row.Text(0);
    instance.instance_id = row.Text(1);
    instance.name = row.Text(2);
    instance.status = row.Text(3);
    instance.specification = row.Text(4);
    instance.attributes_json = row.Text(5);
    instance.connector_enabled = row.Int(6) != 0;
    instance.connector_id = row.Text(7);
    instance.connector_node_num = static_cast<int32_t>(row.Int(8));
    instance.connector_spec_code = row.Text(9);
    instance.connector_specification = row.Text(10);
    instance.created_at_ms = row.Int(11);
    instance.updated_at_ms = row.Int(12);
    instance.version = row.Int(13);
    instance.product_id = row.Text(14);
    instance.engine_version = row.Text(15);
    instance.broker_num = static_cast<int32_t>(row.Int(16));
    instance.storage_space = row.Int(17);
    instance.storage_spec_code = row.Text(18);
    instance.available_zones_json = row.Text(19);
    return instance;
  }
  template <ParamSink P>
  static void BindInsert(P& params, const KafkaInstance& instance) {
    params.Bind(instance.project_id);
    params.Bind(instance.instance_id);
    BindMutable(params, instance);
    params.Bind(instance.created_at_ms);
    params.Bind(instance.updated_at_ms);
    params.Bind(instance.version);
    BindSizing(params, instance);
  }
  // kUpdated, then kKey, then the expected version.
  template <ParamSink P>
  static void BindUpdate(P& params, const KafkaInstance& instance) {
    BindMutable(params, instance);
    BindSizing(params, instance);
    params.Bind(instance.updated_at_ms);
    BindKey(params, instance);
    params.Bind(instance.version);
  }
  template <ParamSink P>
  static void BindKey(P& params, const KafkaInstance& instance) {
    params.Bind(instance.project_id);
    params.Bind(instance.instance_id);
  }

 private:
  // name .. connector_specification: the columns insert and update share, in
  // the same order in both.
  template <ParamSink P>
  static void BindMutable(P& params, const KafkaInstance& instance) {
    params.Bind(instance.name);
    params.Bind(instance.status);
    params.Bind(instance.specification);
    params.Bind(instance.attributes_json);
    params.Bind(int64_t{instance.connector_enabled ? 1 : 0});
    params.Bind(instance.connector_id);
    params.Bind(int64_t{instance.connector_node_num});
    params.Bind(instance.connector_spec_code);
    params.Bind(instance.connector_specification);
  }
  // product_id .. available_zones_json (migration 12), in the same order in
  // insert and update.
  template <ParamSink P>
  static void BindSizing(P& params, const KafkaInstance& instance) {
    params.Bind(instance.product_id);
    params.Bind(instance.engine_version);
    params.Bind(int64_t{instance.broker_num});
    params.Bind(instance.storage_space);
    params.Bind(instance.storage_spec_code);
    params.Bind(instance.available_zones_json);
  }
};

struct ConnectorTaskRow {
  using Value = ConnectorTask;
  static constexpr std::string_view kTable = "kafka_connector_tasks";
  static constexpr std::string_view kNoun = "connector task";
  static constexpr std::string_view kTaken = " or its name already exists";
  static constexpr std::string_view kColumns =
      "project_id, instance_id, task_id, task_name, status, config_json, pending_job_id, "
      "created_at_ms, updated_at_ms, version";
  static constexpr std::string_view kKey = "project_id, instance_id, task_id";
  // What a compare-and-swap update writes, besides bumping version.
  static constexpr std::string_view kUpdated =
      "task_name, status, config_json, pending_job_id, updated_at_ms";

  static std::string_view Id(const ConnectorTask& task) { return task.task_id; }

  template <ResultRow R>
  static ConnectorTask Read(const R& row) {
    ConnectorTask task;
    task.project_id = row.Text(0);
    task.instance_id = row.Text(1);
    task.task_id = row.Text(2);
    task.task_name = row.Text(3);
    task.status = row.Text(4);
    task.config_json = row.Text(5);
    task.pending_job_id = row.Text(6);
    task.created_at_ms = row.Int(7);
    task.updated_at_ms = row.Int(8);
    task.version = row.Int(9);
    return task;
  }
  template <ParamSink P>
  static void BindInsert(P& params, const ConnectorTask& task) {
    params.Bind(task.project_id);
    params.Bind(task.instance_id);
    params.Bind(task.task_id);
    params.Bind(task.task_name);
    params.Bind(task.status);
    params.Bind(task.config_json);
    params.Bind(task.pending_job_id);
    params.Bind(task.created_at_ms);
    params.Bind(task.updated_at_ms);
    params.Bind(task.version);
  }
  // kUpdated, then kKey, then the expected version.
  template <ParamSink P>
  static void BindUpdate(P& params, const ConnectorTask& task) {
    params.Bind(task.task_name);
    params.Bind(task.status);
    params.Bind(task.config_json);
    params.Bind(task.pending_job_id);
    params.Bind(task.updated_at_ms);
    BindKey(params, task);
    params.Bind(task.version);
  }
  template <ParamSink P>
  static void BindKey(P& params, const ConnectorTask& task) {
    params.Bind(task.project_id);
    params.Bind(task.instance_id);
    params.Bind(task.task_id);
  }
};

struct JobRow {
  using Value = Job;
  static constexpr std::string_view kTable = "jobs";
  static constexpr std::string_view kNoun = "job";
  static constexpr std::string_view kTaken = " already exists";
  // project_id holds Job::tenant_id.
  static constexpr std::string_view kColumns =
      "job_id, project_id, resource_id, job_type, name, params_json, status, user_name, user_id, "
      "created_at_ms, updated_at_ms, due_at_ms, attempts, error, reads_remaining, lease_owner, "
      "lease_expires_at_ms";
  static constexpr std::string_view kKey = "job_id";
  // What UpdateJob writes (a plain update, not a compare-and-swap).
  static constexpr std::string_view kUpdated =
      "status, updated_at_ms, due_at_ms, attempts, error, reads_remaining, lease_owner, "
      "lease_expires_at_ms";

  static std::string_view Id(const Job& job) { return job.job_id; }

  // Internal when the stored status is not one JobStatus names.
  template <ResultRow R>
  static absl::StatusOr<Job> Read(const R& row) {
    Job job;
    job.job_id = row.Text(0);
    job.tenant_id = row.Text(1);
    job.resource_id = row.Text(2);
    job.job_type = row.Text(3);
    job.name = row.Text(4);
    job.params_json = row.Text(5);
    std::string status = row.Text(6);
    std::optional<JobStatus> parsed = ParseJobStatus(status);
    if (!parsed) {
      return absl::InternalError(
          common::StrCat("job ", job.job_id, " has unknown status ", status));
    }
    job.status = *parsed;
    job.user_name = row.Text(7);
    job.user_id = row.Text(8);
    job.created_at_ms = row.Int(9);
    job.updated_at_ms = row.Int(10);
    job.due_at_ms = row.Int(11);
    job.attempts = static_cast<int32_t>(row.Int(12));
    job.error = row.Text(13);
    job.reads_remaining = static_cast<int32_t>(row.Int(14));
    job.lease_owner = row.Text(15);
    job.lease_expires_at_ms = row.Int(16);
    return job;
  }
  template <ParamSink P>
  static void BindInsert(P& params, const Job& job) {
    params.Bind(job.job_id);
    params.Bind(job.tenant_id);
    params.Bind(job.resource_id);
    params.Bind(job.job_type);
    params.Bind(job.name);
    params.Bind(job.params_json);
    params.Bind(JobStatusName(job.status));
    params.Bind(job.user_name);
    params.Bind(job.user_id);
    params.Bind(job.created_at_ms);
    BindMutable(params, job);
  }
  // kUpdated, then kKey.
  template <ParamSink P>
  static void BindUpdate(P& params, const Job& job) {
    params.Bind(JobStatusName(job.status));
    BindMutable(params, job);
    params.Bind(job.job_id);
  }

 private:
  // updated_at_ms .. lease_expires_at_ms, in the same order in insert and update.
  template <ParamSink P>
  static void BindMutable(P& params, const Job& job) {
    params.Bind(job.updated_at_ms);
    params.Bind(job.due_at_ms);
    params.Bind(int64_t{job.attempts});
    params.Bind(job.error);
    params.Bind(int64_t{job.reads_remaining});
    params.Bind(job.lease_owner);
    params.Bind(job.lease_expires_at_ms);
  }
};

struct ZenlayerCredentialRow {
  using Value = ZenlayerCredential;
  static constexpr std::string_view kTable = "zenlayer_credentials";
  static constexpr std::string_view kColumns = "access_key_id, access_key_password, account_id";
  static constexpr std::string_view kKey = "access_key_id";

  template <ResultRow R>
  static ZenlayerCredential Read(const R& row) {
    return ZenlayerCredential{row.Text(0), row.Text(1), row.Text(2)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const ZenlayerCredential& credential) {
    params.Bind(credential.access_key_id);
    params.Bind(credential.access_key_password);
    params.Bind(credential.account_id);
  }
};

struct ZenlayerTokenRow {
  using Value = ZenlayerToken;
  static constexpr std::string_view kTable = "zenlayer_tokens";
  static constexpr std::string_view kColumns = "token_sha256, account_id";
  static constexpr std::string_view kKey = "token_sha256";

  template <ResultRow R>
  static ZenlayerToken Read(const R& row) {
    return ZenlayerToken{row.Text(0), row.Text(1)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const ZenlayerToken& token) {
    params.Bind(token.token_sha256);
    params.Bind(token.account_id);
  }
};

struct IamDomainRow {
  using Value = IamDomain;
  static constexpr std::string_view kTable = "iam_domains";
  static constexpr std::string_view kColumns = "domain_id, name";
  static constexpr std::string_view kKey = "domain_id";

  template <ResultRow R>
  static IamDomain Read(const R& row) {
    return IamDomain{row.Text(0), row.Text(1)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const IamDomain& domain) {
    params.Bind(domain.domain_id);
    params.Bind(domain.name);
  }
};

struct IamProjectRow {
  using Value = IamProject;
  static constexpr std::string_view kTable = "iam_projects";
  static constexpr std::string_view kColumns = "project_id, name, domain_id, region_id";
  static constexpr std::string_view kKey = "project_id";

  template <ResultRow R>
  static IamProject Read(const R& row) {
    return IamProject{row.Text(0), row.Text(1), row.Text(2), row.Text(3)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const IamProject& project) {
    params.Bind(project.project_id);
    params.Bind(project.name);
    params.Bind(project.domain_id);
    params.Bind(project.region_id);
  }
};

struct IamUserRow {
  using Value = IamUser;
  static constexpr std::string_view kTable = "iam_users";
  static constexpr std::string_view kColumns = "user_id, name, domain_id, password_hash";
  static constexpr std::string_view kKey = "user_id";

  template <ResultRow R>
  static IamUser Read(const R& row) {
    return IamUser{row.Text(0), row.Text(1), row.Text(2), row.Text(3)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const IamUser& user) {
    params.Bind(user.user_id);
    params.Bind(user.name);
    params.Bind(user.domain_id);
    params.Bind(user.password_hash);
  }
};

struct IamTokenRow {
  using Value = IamToken;
  static constexpr std::string_view kTable = "iam_tokens";
  static constexpr std::string_view kColumns =
      "token_sha256, user_id, user_name, domain_id, project_id, issued_at_ms, expires_at_ms";
  static constexpr std::string_view kKey = "token_sha256";

  template <ResultRow R>
  static IamToken Read(const R& row) {
    return IamToken{row.Text(0), row.Text(1), row.Text(2), row.Text(3),
                    row.Text(4), row.Int(5),  row.Int(6)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const IamToken& token) {
    params.Bind(token.token_sha256);
    params.Bind(token.user_id);
    params.Bind(token.user_name);
    params.Bind(token.domain_id);
    params.Bind(token.project_id);
    params.Bind(token.issued_at_ms);
    params.Bind(token.expires_at_ms);
  }
};

struct ZenlayerPortRow {
  using Value = ZenlayerPort;
  static constexpr std::string_view kTable = "zenlayer_ports";
  static constexpr std::string_view kNoun = "zenlayer port";
  static constexpr std::string_view kTaken = " already exists";
  static constexpr std::string_view kColumns =
      "account_id, port_id, port_name, dc_id, port_status, attributes_json, created_at_ms, "
      "updated_at_ms, recycled_at_ms, expired_at_ms, version, tags_json";
  static constexpr std::string_view kKey = "account_id, port_id";
  // What a compare-and-swap update writes, besides bumping version.
  static constexpr std::string_view kUpdated =
      "port_name, port_status, attributes_json, updated_at_ms, recycled_at_ms, expired_at_ms";

  static std::string_view Id(const ZenlayerPort& port) { return port.port_id; }

  template <ResultRow R>
  static ZenlayerPort Read(const R& row) {
    ZenlayerPort port;
    port.account_id = row.Text(0);
    port.port_id = row.Text(1);
    port.port_name = row.Text(2);
    port.dc_id = row.Text(3);
    port.port_status = row.Text(4);
    port.attributes_json = row.Text(5);
    port.created_at_ms = row.Int(6);
    port.updated_at_ms = row.Int(7);
    port.recycled_at_ms = row.Int(8);
    port.expired_at_ms = row.Int(9);
    port.version = row.Int(10);
    port.tags_json = row.Text(11);
    return port;
  }
  template <ParamSink P>
  static void BindInsert(P& params, const ZenlayerPort& port) {
    params.Bind(port.account_id);
    params.Bind(port.port_id);
    params.Bind(port.port_name);
    params.Bind(port.dc_id);
    params.Bind(port.port_status);
    params.Bind(port.attributes_json);
    params.Bind(port.created_at_ms);
    params.Bind(port.updated_at_ms);
    params.Bind(port.recycled_at_ms);
    params.Bind(port.expired_at_ms);
    params.Bind(port.version);
    params.Bind(port.tags_json);
  }
  // kUpdated, then kKey, then the expected version.
  template <ParamSink P>
  static void BindUpdate(P& params, const ZenlayerPort& port) {
    params.Bind(port.port_name);
    params.Bind(port.port_status);
    params.Bind(port.attributes_json);
    params.Bind(port.updated_at_ms);
    params.Bind(port.recycled_at_ms);
    params.Bind(port.expired_at_ms);
    BindKey(params, port);
    params.Bind(port.version);
  }
  template <ParamSink P>
  static void BindKey(P& params, const ZenlayerPort& port) {
    params.Bind(port.account_id);
    params.Bind(port.port_id);
  }
};

struct ZenlayerDatacenterRow {
  using Value = ZenlayerDatacenter;
  static constexpr std::string_view kTable = "zenlayer_datacenters";
  static constexpr std::string_view kNoun = "zenlayer datacenter";
  static constexpr std::string_view kTaken = " already exists";
  static constexpr std::string_view kColumns =
      "dc_id, dc_name, dc_address, city_name, country_name, area_name, port_available, "
      "attributes_json";
  static constexpr std::string_view kKey = "dc_id";

  static std::string_view Id(const ZenlayerDatacenter& datacenter) { return datacenter.dc_id; }

  template <ResultRow R>
  static ZenlayerDatacenter Read(const R& row) {
    ZenlayerDatacenter datacenter;
    datacenter.dc_id = row.Text(0);
    datacenter.dc_name = row.Text(1);
    datacenter.dc_address = row.Text(2);
    datacenter.city_name = row.Text(3);
    datacenter.country_name = row.Text(4);
    datacenter.area_name = row.Text(5);
    datacenter.port_available = row.Int(6) != 0;
    datacenter.attributes_json = row.Text(7);
    return datacenter;
  }
  template <ParamSink P>
  static void BindInsert(P& params, const ZenlayerDatacenter& datacenter) {
    params.Bind(datacenter.dc_id);
    params.Bind(datacenter.dc_name);
    params.Bind(datacenter.dc_address);
    params.Bind(datacenter.city_name);
    params.Bind(datacenter.country_name);
    params.Bind(datacenter.area_name);
    params.Bind(int64_t{datacenter.port_available ? 1 : 0});
    params.Bind(datacenter.attributes_json);
  }
};

struct ZenlayerCloudRegionRow {
  using Value = ZenlayerCloudRegion;
  static constexpr std::string_view kTable = "zenlayer_cloud_regions";
  static constexpr std::string_view kColumns =
      "cloud_type, cloud_region_id, dc_id, products_json, attributes_json";
  static constexpr std::string_view kKey = "cloud_type, cloud_region_id, dc_id";

  template <ResultRow R>
  static ZenlayerCloudRegion Read(const R& row) {
    return ZenlayerCloudRegion{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const ZenlayerCloudRegion& region) {
    params.Bind(region.cloud_type);
    params.Bind(region.cloud_region_id);
    params.Bind(region.dc_id);
    params.Bind(region.products_json);
    params.Bind(region.attributes_json);
  }
};

struct PrivateConnectRow {
  using Value = PrivateConnect;
  static constexpr std::string_view kTable = "zenlayer_private_connects";
  static constexpr std::string_view kNoun = "private connect";
  static constexpr std::string_view kTaken = " already exists";
  static constexpr std::string_view kColumns =
      "account_id, private_connect_id, name, status, bandwidth_mbps, a_endpoint_id, "
      "a_endpoint_name, a_port_id, a_vlan_id, z_endpoint_id, z_endpoint_name, z_port_id, "
      "z_vlan_id, created_at_ms, updated_at_ms, recycled_at_ms, version, tags_json";
  static constexpr std::string_view kKey = "account_id, private_connect_id";
  // What a compare-and-swap update writes, besides bumping version.
  static constexpr std::string_view kUpdated =
      "name, status, bandwidth_mbps, a_endpoint_name, z_endpoint_name, updated_at_ms, "
      "recycled_at_ms";

  static std::string_view Id(const PrivateConnect& connect) { return connect.private_connect_id; }

  template <ResultRow R>
  static PrivateConnect Read(const R& row) {
    PrivateConnect connect;
    connect.account_id = row.Text(0);
    connect.private_connect_id = row.Text(1);
    connect.name = row.Text(2);
    connect.status = row.Text(3);
    connect.bandwidth_mbps = row.Int(4);
    connect.endpoint_a = {row.Text(5), row.Text(6), row.Text(7), row.Int(8)};
    connect.endpoint_z = {row.Text(9), row.Text(10), row.Text(11), row.Int(12)};
    connect.created_at_ms = row.Int(13);
    connect.updated_at_ms = row.Int(14);
    connect.recycled_at_ms = row.Int(15);
    connect.version = row.Int(16);
    connect.tags_json = row.Text(17);
    return connect;
  }
  template <ParamSink P>
  static void BindInsert(P& params, const PrivateConnect& connect) {
    params.Bind(connect.account_id);
    params.Bind(connect.private_connect_id);
    params.Bind(connect.name);
    params.Bind(connect.status);
    params.Bind(connect.bandwidth_mbps);
    BindEndpoint(params, connect.endpoint_a);
    BindEndpoint(params, connect.endpoint_z);
    params.Bind(connect.created_at_ms);
    params.Bind(connect.updated_at_ms);
    params.Bind(connect.recycled_at_ms);
    params.Bind(connect.version);
    params.Bind(connect.tags_json);
  }
  // kUpdated, then kKey, then the expected version.
  template <ParamSink P>
  static void BindUpdate(P& params, const PrivateConnect& connect) {
    params.Bind(connect.name);
    params.Bind(connect.status);
    params.Bind(connect.bandwidth_mbps);
    params.Bind(connect.endpoint_a.endpoint_name);
    params.Bind(connect.endpoint_z.endpoint_name);
    params.Bind(connect.updated_at_ms);
    params.Bind(connect.recycled_at_ms);
    BindKey(params, connect);
    params.Bind(connect.version);
  }
  template <ParamSink P>
  static void BindKey(P& params, const PrivateConnect& connect) {
    params.Bind(connect.account_id);
    params.Bind(connect.private_connect_id);
  }

 private:
  // <x>_endpoint_id, <x>_endpoint_name, <x>_port_id, <x>_vlan_id.
  template <ParamSink P>
  static void BindEndpoint(P& params, const PrivateConnectEndpoint& endpoint) {
    params.Bind(endpoint.endpoint_id);
    params.Bind(endpoint.endpoint_name);
    params.Bind(endpoint.port_id);
    params.Bind(endpoint.vlan_id);
  }
};

struct AuditEntryRow {
  using Value = AuditEntry;
  static constexpr std::string_view kTable = "audit_log";
  static constexpr std::string_view kNoun = "audit entry";
  static constexpr std::string_view kTaken = " already exists";
  static constexpr std::string_view kColumns =
      "audit_id, at_ms, tenant, actor, resource_type, resource_id, action, from_status, to_status, "
      "job_id, request_id";
  static constexpr std::string_view kKey = "audit_id";

  template <ResultRow R>
  static AuditEntry Read(const R& row) {
    AuditEntry entry;
    entry.audit_id = row.Text(0);
    entry.at_ms = row.Int(1);
    entry.tenant = row.Text(2);
    entry.actor = row.Text(3);
    entry.resource_type = row.Text(4);
    entry.resource_id = row.Text(5);
    entry.action = row.Text(6);
    entry.from_status = row.Text(7);
    entry.to_status = row.Text(8);
    entry.job_id = row.Text(9);
    entry.request_id = row.Text(10);
    return entry;
  }
  // Binds `audit_id` in place of entry.audit_id (AppendAudit assigns one when
  // the entry has none).
  template <ParamSink P>
  static void BindInsert(P& params, const AuditEntry& entry, std::string_view audit_id) {
    params.Bind(audit_id);
    params.Bind(entry.at_ms);
    params.Bind(entry.tenant);
    params.Bind(entry.actor);
    params.Bind(entry.resource_type);
    params.Bind(entry.resource_id);
    params.Bind(entry.action);
    params.Bind(entry.from_status);
    params.Bind(entry.to_status);
    params.Bind(entry.job_id);
    params.Bind(entry.request_id);
  }
};

struct IdempotencyRecordRow {
  using Value = IdempotencyRecord;
  static constexpr std::string_view kTable = "idempotency_keys";
  static constexpr std::string_view kColumns =
      "scope, idem_key, request_hash, http_status, response_body, created_at_ms";
  static constexpr std::string_view kKey = "scope, idem_key";

  template <ResultRow R>
  static IdempotencyRecord Read(const R& row) {
    return IdempotencyRecord{row.Text(0), row.Text(1),
                             row.Text(2), static_cast<int32_t>(row.Int(3)),
                             row.Text(4), row.Int(5)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const IdempotencyRecord& record) {
    params.Bind(record.scope);
    params.Bind(record.key);
    params.Bind(record.request_hash);
    params.Bind(int64_t{record.http_status});
    params.Bind(record.response_body);
    params.Bind(record.created_at_ms);
  }
};

// Format::Read as a callable for the query helpers, e.g.
// QueryAll(..., kReadRow<JobRow>).
template <class Format>
inline constexpr auto kReadRow = [](const ResultRow auto& row) { return Format::Read(row); };

struct KafkaInstanceItemRow {
  using Value = KafkaInstanceItem;
  static constexpr std::string_view kTable = "kafka_instance_items";
  static constexpr std::string_view kColumns =
      "project_id, instance_id, kind, name, body_json, created_at_ms, updated_at_ms";
  static constexpr std::string_view kKey = "project_id, instance_id, kind, name";

  template <ResultRow R>
  static KafkaInstanceItem Read(const R& row) {
    return KafkaInstanceItem{row.Text(0), row.Text(1), row.Text(2), row.Text(3),
                             row.Text(4), row.Int(5),  row.Int(6)};
  }
  template <ParamSink P>
  static void BindInsert(P& params, const KafkaInstanceItem& item) {
    params.Bind(item.project_id);
    params.Bind(item.instance_id);
    params.Bind(item.kind);
    params.Bind(item.name);
    params.Bind(item.body_json);
    params.Bind(item.created_at_ms);
    params.Bind(item.updated_at_ms);
  }
};

// The tables a tenant owns and the column naming the tenant, in the order
// DeleteTenantData empties them (idempotency_keys, scoped "<dialect>:<tenant>",
// is handled apart). Credentials are not tenant data.
struct TenantColumn {
  std::string_view table;
  std::string_view column;
};
inline constexpr TenantColumn kTenantOwned[] = {
    {KafkaInstanceRow::kTable, "project_id"},
    {ConnectorTaskRow::kTable, "project_id"},
    {JobRow::kTable, "project_id"},
    {ZenlayerPortRow::kTable, "account_id"},
    {PrivateConnectRow::kTable, "account_id"},
    {AuditEntryRow::kTable, "tenant"},
    {KafkaInstanceItemRow::kTable, "project_id"},
};

// How many rows `page` holds of a result with `total` rows (an SQLite LIMIT
// below 0 means no limit).
inline size_t RowsOnPage(const PageRequest& page, int64_t total) {
  int64_t rows = std::max<int64_t>(0, total - std::max<int64_t>(0, page.offset));
  return static_cast<size_t>(page.limit < 0 ? rows : std::min(rows, page.limit));
}

// DumpTables leaves out columns whose name says they hold a secret (a secret,
// password or token, including a token's hash).
bool IsSecretColumn(std::string_view column);

// AlreadyExists "<noun> <id> already exists" (the format's kTaken), for an
// insert whose key is taken.
template <class Format>
absl::Status KeyTaken(std::string_view id) {
  return absl::AlreadyExistsError(common::StrCat(Format::kNoun, " ", id, Format::kTaken));
}

// The error of a compare-and-swap (update or delete) that changed no row:
// NotFound "<noun> <id>" when the row is gone (`current_version` empty), else
// Aborted "<noun> <id> changed concurrently (version <current>, expected
// <expected>)".
absl::Status CasFailure(std::string_view noun, std::string_view id,
                        std::optional<int64_t> current_version, int64_t expected_version);

}  // namespace connectplane::store::internal
