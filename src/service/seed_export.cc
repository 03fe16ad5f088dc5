#include "service/seed_export.h"

#include "common/json_util.h"
#include "common/status.h"
#include "service/job_types.h"
#include "service/port_service.h"
#include "service/sdn_catalog_service.h"
#include "service/seed_runtime.h"

#include "boost/json.hpp"
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace connectplane::service {
namespace {

// Far more rows than one emulator holds; the lists take a page size.
constexpr int64_t kAllRows = 100'000'000;

using KeyRow = std::vector<std::string>;

// The distinct values of `columns` in every row of `table`, sorted: the keys
// the typed getters then read. The dump names columns the same on both stores.
std::vector<KeyRow> KeyRows(const std::vector<store::TableDump>& tables, std::string_view table,
                            std::initializer_list<std::string_view> columns) {
  std::set<KeyRow> keys;
  for (const store::TableDump& dump : tables) {
    if (dump.table != table) {
      continue;
    }
    std::vector<size_t> indexes;
    for (std::string_view column : columns) {
      auto found = std::find(dump.columns.begin(), dump.columns.end(), column);
      if (found == dump.columns.end()) {
        return {};
      }
      indexes.push_back(static_cast<size_t>(found - dump.columns.begin()));
    }
    for (const auto& row : dump.rows) {
      KeyRow key;
      for (size_t index : indexes) key.push_back(row[index].value_or(""));
      keys.insert(std::move(key));
    }
  }
  return {keys.begin(), keys.end()};
}

// A stored JSON object or array; `fallback` when the text is damaged.
boost::json::value ParsedOr(std::string_view text, boost::json::value fallback) {
  absl::StatusOr<boost::json::value> parsed = common::ParseJson(text);
  return parsed.ok() ? std::move(*parsed) : std::move(fallback);
}

// Adds the members of a stored attributes object that `out` does not have yet.
void MergeAttributes(boost::json::object& out, std::string_view attributes_json) {
  boost::json::value attributes = ParsedOr(attributes_json, boost::json::object());
  if (!attributes.is_object()) {
    return;
  }
  for (const auto& member : attributes.as_object()) {
    if (!out.contains(member.key())) {
      out[member.key()] = member.value();
    }
  }
}

// Whole seconds as an integer, anything finer as a number with millisecond precision.
boost::json::value Seconds(int64_t millis) {
  if (millis % 1000 == 0) {
    return boost::json::value(millis / 1000);
  }
  return boost::json::value(static_cast<double>(millis) / 1000.0);
}

boost::json::value TimingJson(const JobTiming& timing) {
  if (timing.reads > 0) {
    return boost::json::object{{"reads", timing.reads}};
  }
  return boost::json::object{{"seconds", Seconds(absl::ToInt64Milliseconds(timing.delay))}};
}

boost::json::object InstanceJson(const store::KafkaInstance& instance) {
  boost::json::object out;
  out["project_id"] = instance.project_id;
  out["instance_id"] = instance.instance_id;
  out["name"] = instance.name;
  out["status"] = instance.status;
  out["specification"] = instance.specification;
  out["connector_enable"] = instance.connector_enabled;
  if (!instance.connector_id.empty()) out["connector_id"] = instance.connector_id;
  if (instance.connector_node_num > 0) out["connector_node_num"] = instance.connector_node_num;
  // Rows from before the flavor columns answer from their attributes.
  if (!instance.product_id.empty()) {
    out["product_id"] = instance.product_id;
    out["engine_version"] = instance.engine_version;
    out["broker_num"] = instance.broker_num;
    out["storage_space"] = instance.storage_space;
    out["storage_spec_code"] = instance.storage_spec_code;
    out["available_zones"] = ParsedOr(instance.available_zones_json, boost::json::array());
  }
  out["created_at_ms"] = instance.created_at_ms;
  MergeAttributes(out, instance.attributes_json);
  return out;
}

boost::json::object PortJson(const store::ZenlayerPort& port) {
  boost::json::object out;
  out["account_id"] = port.account_id;
  out["portId"] = port.port_id;
  out["portName"] = port.port_name;
  out["portStatus"] = port.port_status;
  out["dcId"] = port.dc_id;
  out["tags"] = ParsedOr(port.tags_json, boost::json::array());
  out["created_at_ms"] = port.created_at_ms;
  if (port.recycled_at_ms != 0) out["recycled_at_ms"] = port.recycled_at_ms;
  if (port.expired_at_ms != 0) out["expired_at_ms"] = port.expired_at_ms;
  MergeAttributes(out, port.attributes_json);
  return out;
}

boost::json::object EndpointJson(const store::PrivateConnectEndpoint& endpoint) {
  return boost::json::object{{"portId", endpoint.port_id},
                             {"vlanId", endpoint.vlan_id},
                             {"endpointName", endpoint.endpoint_name}};
}

boost::json::object PrivateConnectJson(const store::PrivateConnect& connect) {
  boost::json::object out;
  out["account_id"] = connect.account_id;
  out["privateConnectId"] = connect.private_connect_id;
  out["privateConnectName"] = connect.name;
  out["bandwidthMbps"] = connect.bandwidth_mbps;
  out["privateConnectStatus"] = connect.status;
  out["endpointA"] = EndpointJson(connect.endpoint_a);
  out["endpointZ"] = EndpointJson(connect.endpoint_z);
  out["tags"] = ParsedOr(connect.tags_json, boost::json::array());
  out["created_at_ms"] = connect.created_at_ms;
  if (connect.recycled_at_ms != 0) out["recycled_at_ms"] = connect.recycled_at_ms;
  return out;
}

// The members the API answers for a data center (seeded extras included), plus
// the seed-only availability flag.
boost::json::object DatacenterJson(const store::ZenlayerDatacenter& datacenter) {
  boost::json::object out = DatacenterInfoOf(datacenter);
  out["isPortAvailable"] = datacenter.port_available;
  return out;
}

boost::json::object CloudRegionJson(const store::ZenlayerCloudRegion& region) {
  boost::json::object out;
  out["cloudType"] = region.cloud_type;
  out["cloudRegionId"] = region.cloud_region_id;
  out["products"] = ParsedOr(region.products_json, boost::json::array());
  MergeAttributes(out, region.attributes_json);
  return out;
}

// What one read transaction collects; rebuilt from scratch when it reruns.
struct Snapshot {
  boost::json::array credentials;
  boost::json::array iam_domains;
  boost::json::array iam_projects;
  boost::json::array iam_users;
  boost::json::array instances;
  boost::json::array tasks;
  boost::json::array items;
  boost::json::array zenlayer_credentials;
  boost::json::array tokens;
  boost::json::array datacenters;
  boost::json::array ports;
  boost::json::array private_connects;
  boost::json::array cloud_regions;
  boost::json::array jobs;
};

absl::Status ReadHuawei(store::StoreTransaction& txn, const std::vector<store::TableDump>& tables,
                        const ExportOptions& options, const std::set<std::string>& pending_jobs,
                        SeedResourceKeys& resources, Snapshot& out) {
  for (const KeyRow& key : KeyRows(tables, "huawei_credentials", {"access_key"})) {
    ASSIGN_OR_RETURN(std::optional<store::HuaweiCredential> credential,
                     txn.FindHuaweiCredential(key[0]));
    if (!credential) continue;
    boost::json::object entry{{"access_key", credential->access_key}};
    if (options.include_secrets) entry["secret_key"] = credential->secret_key;
    entry["project_id"] = credential->project_id;
    entry["user_name"] = credential->user_name;
    entry["user_id"] = credential->user_id;
    out.credentials.push_back(std::move(entry));
  }
  ASSIGN_OR_RETURN(std::vector<store::IamDomain> domains, txn.ListIamDomains());
  for (const store::IamDomain& domain : domains) {
    out.iam_domains.push_back(
        boost::json::object{{"domain_id", domain.domain_id}, {"name", domain.name}});
  }
  for (const KeyRow& key : KeyRows(tables, "iam_projects", {"project_id"})) {
    ASSIGN_OR_RETURN(std::optional<store::IamProject> project, txn.FindIamProject(key[0]));
    if (!project) continue;
    out.iam_projects.push_back(boost::json::object{{"project_id", project->project_id},
                                                   {"name", project->name},
                                                   {"domain_id", project->domain_id},
                                                   {"region", project->region_id}});
  }
  for (const KeyRow& key : KeyRows(tables, "iam_users", {"user_id", "domain_id", "name"})) {
    ASSIGN_OR_RETURN(std::optional<store::IamUser> user, txn.FindIamUser(key[1], key[2]));
    if (!user) continue;
    boost::json::object entry{
        {"user_id", user->user_id}, {"name", user->name}, {"domain_id", user->domain_id}};
    if (options.include_secrets) entry["password_hash"] = user->password_hash;
    out.iam_users.push_back(std::move(entry));
  }

  std::vector<std::tuple<std::string, std::string, std::string, boost::json::object>> tasks;
  std::vector<std::tuple<std::string, std::string, std::string, std::string, boost::json::object>>
      items;
  for (const KeyRow& key : KeyRows(tables, "kafka_instances", {"project_id", "instance_id"})) {
    ASSIGN_OR_RETURN(std::optional<store::KafkaInstance> instance,
                     txn.GetKafkaInstance(key[0], key[1]));
    if (!instance) continue;
    resources.insert({instance->project_id, instance->instance_id});
    out.instances.push_back(InstanceJson(*instance));
    ASSIGN_OR_RETURN(store::Page<store::ConnectorTask> page,
                     txn.ListConnectorTasks(key[0], key[1], store::PageRequest{0, kAllRows}));
    for (const store::ConnectorTask& task : page.items) {
      resources.insert({task.project_id, task.task_id});
      boost::json::object entry{{"project_id", task.project_id},
                                {"instance_id", task.instance_id},
                                {"task_id", task.task_id},
                                {"task_name", task.task_name},
                                {"status", task.status},
                                {"config", ParsedOr(task.config_json, boost::json::object())}};
      // A pointer at a job that is no longer in flight resumes nothing.
      if (pending_jobs.contains(task.pending_job_id)) {
        entry["pending_job_id"] = task.pending_job_id;
      }
      entry["created_at_ms"] = task.created_at_ms;
      tasks.emplace_back(task.project_id, task.instance_id, task.task_id, std::move(entry));
    }
    for (std::string_view kind :
         {store::kKafkaItemConfig, store::kKafkaItemTag, store::kKafkaItemTopic}) {
      ASSIGN_OR_RETURN(std::vector<store::KafkaInstanceItem> kind_items,
                       txn.ListKafkaInstanceItems(key[0], key[1], kind));
      for (const store::KafkaInstanceItem& item : kind_items) {
        boost::json::object entry{{"project_id", item.project_id},
                                  {"instance_id", item.instance_id},
                                  {"kind", item.kind},
                                  {"name", item.name},
                                  {"body", ParsedOr(item.body_json, boost::json::object())},
                                  {"created_at_ms", item.created_at_ms},
                                  {"updated_at_ms", item.updated_at_ms}};
        items.emplace_back(item.project_id, item.instance_id, item.kind, item.name,
                           std::move(entry));
      }
    }
  }
  std::sort(tasks.begin(), tasks.end(), [](const auto& left, const auto& right) {
    return std::tie(std::get<0>(left), std::get<1>(left), std::get<2>(left)) <
           std::tie(std::get<0>(right), std::get<1>(right), std::get<2>(right));
  });
  for (auto& task : tasks) out.tasks.push_back(std::move(std::get<3>(task)));
  std::sort(items.begin(), items.end(), [](const auto& left, const auto& right) {
    return std::tie(std::get<0>(left), std::get<1>(left), std::get<2>(left), std::get<3>(left)) <
           std::tie(std::get<0>(right), std::get<1>(right), std::get<2>(right), std::get<3>(right));
  });
  for (auto& item : items) out.items.push_back(std::move(std::get<4>(item)));
  return absl::OkStatus();
}

absl::Status ReadZenlayer(store::StoreTransaction& txn, const std::vector<store::TableDump>& tables,
                          const ExportOptions& options, SeedResourceKeys& resources,
                          Snapshot& out) {
  for (const KeyRow& key : KeyRows(tables, "zenlayer_credentials", {"access_key_id"})) {
    ASSIGN_OR_RETURN(std::optional<store::ZenlayerCredential> credential,
                     txn.FindZenlayerCredential(key[0]));
    if (!credential) continue;
    boost::json::object entry{{"access_key_id", credential->access_key_id}};
    if (options.include_secrets) entry["access_key_password"] = credential->access_key_password;
    entry["account_id"] = credential->account_id;
    out.zenlayer_credentials.push_back(std::move(entry));
  }
  // Only the tokens' hashes are stored; even they stay home without include_secrets.
  if (options.include_secrets) {
    ASSIGN_OR_RETURN(std::vector<store::ZenlayerToken> tokens, txn.ListZenlayerTokens());
    for (const store::ZenlayerToken& token : tokens) {
      out.tokens.push_back(boost::json::object{{"token_sha256", token.token_sha256},
                                               {"account_id", token.account_id}});
    }
  }
  ASSIGN_OR_RETURN(std::vector<store::ZenlayerDatacenter> datacenters,
                   txn.ListZenlayerDatacenters());
  for (const store::ZenlayerDatacenter& datacenter : datacenters) {
    out.datacenters.push_back(DatacenterJson(datacenter));
  }
  std::set<std::string> accounts;
  for (const KeyRow& key : KeyRows(tables, "zenlayer_ports", {"account_id"})) {
    accounts.insert(key[0]);
  }
  for (const std::string& account : accounts) {
    ASSIGN_OR_RETURN(std::vector<store::ZenlayerPort> ports, txn.ListZenlayerPorts(account));
    for (const store::ZenlayerPort& port : ports) {
      resources.insert({port.account_id, port.port_id});
      out.ports.push_back(PortJson(port));
    }
  }
  for (const KeyRow& key :
       KeyRows(tables, "zenlayer_private_connects", {"account_id", "private_connect_id"})) {
    ASSIGN_OR_RETURN(std::optional<store::PrivateConnect> connect,
                     txn.GetPrivateConnect(key[0], key[1]));
    if (!connect) continue;
    resources.insert({connect->account_id, connect->private_connect_id});
    out.private_connects.push_back(PrivateConnectJson(*connect));
  }
  for (std::string_view cloud_type : {kCloudTypeAws, kCloudTypeGoogle, kCloudTypeTencent}) {
    ASSIGN_OR_RETURN(std::vector<store::ZenlayerCloudRegion> regions,
                     txn.ListZenlayerCloudRegions(cloud_type));
    for (const store::ZenlayerCloudRegion& region : regions) {
      out.cloud_regions.push_back(CloudRegionJson(region));
    }
  }
  return absl::OkStatus();
}

boost::json::object JobJson(const store::Job& job, int64_t now_ms) {
  boost::json::object out{{"job_id", job.job_id},
                          {"tenant_id", job.tenant_id},
                          {"resource_id", job.resource_id},
                          {"job_type", job.job_type},
                          {"name", job.name},
                          {"params", ParsedOr(job.params_json, boost::json::object())},
                          {"user_name", job.user_name},
                          {"user_id", job.user_id},
                          {"created_at_ms", job.created_at_ms},
                          {"attempts", job.attempts}};
  if (job.reads_remaining > 0) {
    out["remaining_reads"] = job.reads_remaining;
  } else {
    // A job being run right now (or overdue) resumes at once.
    constexpr int64_t kMaxRemainingMs = INT64_C(366) * 86400 * 1000;
    out["remaining_seconds"] =
        Seconds(std::clamp<int64_t>(job.due_at_ms - now_ms, 0, kMaxRemainingMs));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> ExportSeed(store::Store& store, const common::Clock& clock,
                                       const JobTimingSettings& timings,
                                       const ExportOptions& options) {
  const int64_t now_ms = common::ToUnixMillis(clock.Now());
  Snapshot snapshot;
  RETURN_IF_ERROR(store.Read([&](store::StoreTransaction& txn) -> absl::Status {
    snapshot = Snapshot();
    ASSIGN_OR_RETURN(std::vector<store::TableDump> tables, txn.DumpTables());
    ASSIGN_OR_RETURN(std::vector<store::Job> pending,
                     txn.ListDueJobs(store::kNeverDue, std::numeric_limits<int>::max()));
    std::sort(pending.begin(), pending.end(), [](const store::Job& left, const store::Job& right) {
      return left.job_id < right.job_id;
    });
    std::set<std::string> pending_ids;
    for (const store::Job& job : pending) pending_ids.insert(job.job_id);
    SeedResourceKeys resources;
    RETURN_IF_ERROR(ReadHuawei(txn, tables, options, pending_ids, resources, snapshot));
    RETURN_IF_ERROR(ReadZenlayer(txn, tables, options, resources, snapshot));
    for (const store::Job& job : pending) {
      if (resources.contains({job.tenant_id, job.resource_id})) {
        snapshot.jobs.push_back(JobJson(job, now_ms));
      }
    }
    return absl::OkStatus();
  }));

  boost::json::object root;
  root["description"] = options.include_secrets ? "connectplane export (secrets included)"
                                                : "connectplane export (secrets omitted)";
  boost::json::object huawei;
  if (options.catalog != nullptr) {
    boost::json::array regions;
    for (const AvailabilityZoneRegion& region : options.catalog->Regions()) {
      boost::json::array zones;
      for (const AvailabilityZone& zone : region.zones) {
        zones.push_back(boost::json::object{{"id", zone.id},
                                            {"code", zone.code},
                                            {"name", zone.name},
                                            {"port", zone.port},
                                            {"sold_out", zone.sold_out},
                                            {"default_az", zone.default_az},
                                            {"ipv6_enable", zone.ipv6_enable}});
      }
      regions.push_back(
          boost::json::object{{"region_id", region.region_id}, {"zones", std::move(zones)}});
    }
    huawei["availability_zones"] = std::move(regions);
  }
  huawei["credentials"] = std::move(snapshot.credentials);
  huawei["iam"] = boost::json::object{{"domains", std::move(snapshot.iam_domains)},
                                      {"projects", std::move(snapshot.iam_projects)},
                                      {"users", std::move(snapshot.iam_users)}};
  huawei["kafka_instances"] = std::move(snapshot.instances);
  huawei["connector_tasks"] = std::move(snapshot.tasks);
  huawei["kafka_instance_items"] = std::move(snapshot.items);
  root["huawei"] = std::move(huawei);
  boost::json::object zenlayer;
  zenlayer["credentials"] = std::move(snapshot.zenlayer_credentials);
  if (options.include_secrets) zenlayer["tokens"] = std::move(snapshot.tokens);
  zenlayer["datacenters"] = std::move(snapshot.datacenters);
  zenlayer["ports"] = std::move(snapshot.ports);
  zenlayer["private_connects"] = std::move(snapshot.private_connects);
  zenlayer["cloud_regions"] = std::move(snapshot.cloud_regions);
  root["zenlayer"] = std::move(zenlayer);
  boost::json::object types;
  for (const auto& [job_type, timing] : timings.per_type) {
    // Only types the reader takes back (tests may time their own).
    if (CheckJobType(job_type).ok()) types[job_type] = TimingJson(timing);
  }
  root["job_timing"] = boost::json::object{
      {"default_seconds", Seconds(absl::ToInt64Milliseconds(timings.default_timing.delay))},
      {"types", std::move(types)}};
  root["jobs_in_flight"] = std::move(snapshot.jobs);
  return common::ToJson(root) + "\n";
}

}  // namespace connectplane::service
