// Every DMS action through DmsApi::Handle with a correctly signed request, so
// the fuzzed part reaches routing, query and body parsing and the service.
// Input: byte 0 picks the action, byte 1 the instance (own running, own with
// Smart Connect enabled, another tenant's, or fuzzed), the rest is the payload:
// the JSON body (enable, disable, create instance, create Smart Connect task,
// update and resize an instance, tag action, modify configs, create / update /
// delete topics), the query (list instances, list tasks, list Smart Connect
// tasks, list flavors) or the task
// id (show task, show / pause / restart / delete a Smart Connect task). With a
// fuzzed instance the payload is "<id>\0<rest>". The legacy sink-task actions
// (create: body; show: "<task id>?<query>") address the enabled instance's
// connector, or with a fuzzed instance the fuzzed id as the connector id.
// Oracles: no 5xx, DMS-shaped errors, and a refused request changes nothing.
#include "common/strings.h"
#include "store/store.h"

#include "fuzz_env.h"
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

using connectplane::common::StrCat;
namespace fz = connectplane::fuzz;
namespace store = connectplane::store;

// What a refused request must leave untouched: every seeded instance's row
// and the number of jobs of each.
std::string Snapshot(store::Store& state) {
  std::string out;
  const std::pair<const char*, const char*> instances[] = {{fz::kProject, fz::kInstance},
                                                           {fz::kProject, fz::kEnabledInstance},
                                                           {fz::kOtherProject, fz::kOtherInstance}};
  absl::Status status = state.Read([&](store::StoreTransaction& txn) -> absl::Status {
    for (const auto& [project, instance_id] : instances) {
      auto instance = txn.GetKafkaInstance(project, instance_id);
      if (!instance.ok() || !instance->has_value()) {
        fz::OracleFailed(StrCat("seeded instance vanished: ", instance_id));
      }
      const store::KafkaInstance& row = **instance;
      auto jobs = txn.ListJobsForResource(project, instance_id, {}, {0, 1000});
      if (!jobs.ok()) {
        fz::OracleFailed("cannot list jobs");
      }
      out += StrCat(row.instance_id, "|", row.name, "|", row.status, "|", row.specification, "|",
                    row.connector_enabled, "|", row.connector_id, "|", row.connector_node_num, "|",
                    row.connector_spec_code, "|", row.connector_specification, "|",
                    row.attributes_json, "|", row.version, "|", row.product_id, "|",
                    row.broker_num, "|", row.storage_space, "|", row.available_zones_json, "|",
                    jobs->total, "\n");
      // Its tags, parameter values and topics.
      for (std::string_view kind :
           {store::kKafkaItemTag, store::kKafkaItemConfig, store::kKafkaItemTopic}) {
        auto items = txn.ListKafkaInstanceItems(project, instance_id, kind);
        if (!items.ok()) {
          fz::OracleFailed("cannot list instance items");
        }
        for (const store::KafkaInstanceItem& item : *items) {
          out += StrCat("  ", kind, " ", item.name, "|", item.body_json, "\n");
        }
      }
      auto tasks = txn.ListConnectorTasks(project, instance_id, {0, 1000});
      if (!tasks.ok()) {
        fz::OracleFailed("cannot list connector tasks");
      }
      for (const store::ConnectorTask& task : tasks->items) {
        out += StrCat("  ", task.task_id, "|", task.status, "|", task.pending_job_id, "|",
                      task.version, "\n");
      }
    }
    for (const char* project : {fz::kProject, fz::kOtherProject}) {
      auto all = txn.ListKafkaInstances(project, {}, {0, 1000});
      if (!all.ok()) {
        fz::OracleFailed("cannot list instances");
      }
      out += StrCat(project, " instances=", all->total, "\n");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    fz::OracleFailed("cannot read the store");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  const uint8_t action = data[0] % 25;
  const uint8_t instance_choice = data[1] % 4;
  std::string_view payload(reinterpret_cast<const char*>(data + 2), size - 2);

  std::string instance_id;
  switch (instance_choice) {
    case 0:
      instance_id = fz::kInstance;
      break;
    case 1:
      instance_id = fz::kEnabledInstance;
      break;
    case 2:
      instance_id = fz::kOtherInstance;
      break;
    default: {
      const size_t split = payload.find('\0');
      instance_id = std::string(payload.substr(0, split));
      payload = split == std::string_view::npos ? std::string_view() : payload.substr(split + 1);
      break;
    }
  }
  const std::string base = StrCat("/v2/", fz::kProject);
  const std::string instance_path = StrCat(base, "/instances/", instance_id);
  const std::string sink_tasks =
      StrCat(base, "/connectors/", instance_choice == 3 ? instance_id : fz::kEnabledConnector,
             "/sink-tasks");

  connectplane::common::HttpRequest request;
  request.method = "GET";
  switch (action) {
    case 0:  // ListInstances
      request.target = StrCat(base, "/instances?", payload);
      break;
    case 1:  // ShowInstance
      request.target = instance_path;
      break;
    case 2:  // CreateConnector (enable)
      request.method = "POST";
      request.target = StrCat(instance_path, "/connector");
      request.body = std::string(payload);
      break;
    case 3:  // DeleteConnector (disable)
      request.method = "POST";
      request.target = StrCat(base, "/kafka/instances/", instance_id, "/delete-connector");
      request.body = std::string(payload);
      break;
    case 4:  // ShowConnectorResourceInfo
      request.target = StrCat(instance_path, "/connector");
      break;
    case 5:  // ListBackgroundTasks
      request.target = StrCat(instance_path, "/tasks?", payload);
      break;
    case 6:  // ShowBackgroundTask
      request.target = StrCat(instance_path, "/tasks/", payload);
      break;
    case 7:  // CreatePostPaidKafkaInstance
      request.method = "POST";
      request.target = StrCat(base, "/kafka/instances");
      request.body = std::string(payload);
      break;
    case 8:  // CreateConnectorTask
      request.method = "POST";
      request.target = StrCat(instance_path, "/connector/tasks");
      request.body = std::string(payload);
      break;
    case 9:  // ListConnectorTasks
      request.target = StrCat(instance_path, "/connector/tasks?", payload);
      break;
    case 10:  // ShowConnectorTask
      request.target = StrCat(instance_path, "/connector/tasks/", payload);
      break;
    case 11:  // PauseConnectorTask
      request.method = "PUT";
      request.target = StrCat(instance_path, "/connector/tasks/", payload, "/pause");
      break;
    case 12:  // ModifyConnectorTask (the body is parsed before the task is looked up)
      request.method = "PUT";
      request.target =
          StrCat(instance_path, "/connector/tasks/b2c3d4e5-0000-1111-2222-333344445555");
      request.body = std::string(payload);
      break;
    case 13:  // ValidateConnectorConnectivity
      request.method = "POST";
      request.target = StrCat(instance_path, "/connector/validate");
      request.body = std::string(payload);
      break;
    case 15:  // CreateSinkTask (legacy)
      request.method = "POST";
      request.target = sink_tasks;
      request.body = std::string(payload);
      break;
    case 16:  // ShowSinkTaskDetail (legacy)
      request.target = StrCat(sink_tasks, "/", payload);
      break;
    case 17:  // UpdateInstance
      request.method = "PUT";
      request.target = instance_path;
      request.body = std::string(payload);
      break;
    case 18:  // ResizeEngineInstance
      request.method = "POST";
      request.target = StrCat(base, "/kafka/instances/", instance_id, "/extend");
      request.body = std::string(payload);
      break;
    case 19:  // ListEngineProducts
      request.target = StrCat("/v2/kafka/products?", payload);
      break;
    case 14:  // DeleteConnectorTask
      request.method = "DELETE";
      request.target = StrCat(instance_path, "/connector/tasks/", payload);
      break;
    case 20:  // BatchCreateOrDeleteKafkaTag
      request.method = "POST";
      request.target = StrCat(base, "/kafka/", instance_id, "/tags/action");
      request.body = std::string(payload);
      break;
    case 21:  // ModifyInstanceConfigs
      request.method = "PUT";
      request.target = StrCat(instance_path, "/configs");
      request.body = std::string(payload);
      break;
    case 22:  // CreateInstanceTopic
      request.method = "POST";
      request.target = StrCat(instance_path, "/topics");
      request.body = std::string(payload);
      break;
    case 23:  // UpdateInstanceTopic
      request.method = "PUT";
      request.target = StrCat(instance_path, "/topics");
      request.body = std::string(payload);
      break;
    default:  // 24: BatchDeleteInstanceTopic
      request.method = "POST";
      request.target = StrCat(instance_path, "/topics/delete");
      request.body = std::string(payload);
      break;
  }
  request.headers = {{"Content-Type", "application/json"}, {"X-Project-Id", fz::kProject}};

  static fz::DmsEnv* const shared_env = new fz::DmsEnv();
  fz::DmsEnv& env = *shared_env;
  env.Reset();
  const std::string before = Snapshot(env.store());
  const bool is_signed = env.Sign(request);
  connectplane::common::HttpResponse response = env.api().Handle(request);
  fz::CheckDmsResponse(response);
  if (response.status >= 300 && Snapshot(env.store()) != before) {
    fz::OracleFailed(
        StrCat("refused request (", response.status, ") changed state: ", response.body));
  }
  if (is_signed && response.status == 401) {
    fz::OracleFailed(StrCat("correctly signed request refused: ", response.body));
  }
  return 0;
}
