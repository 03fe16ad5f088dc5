// JSON parse and serialise cost of the seed requests and answers: the Smart
// Connect enable body, the Zenlayer create body (parsed into the service
// request as the dialect does), a ShowInstance answer and a Describe page.
#include "api/dms/dms_json.h"
#include "api/dms/dms_requests.h"
#include "api/zenlayer/zenlayer_json.h"
#include "api/zenlayer/zenlayer_requests.h"
#include "common/json_util.h"

#include <benchmark/benchmark.h>

namespace connectplane::api {
namespace {

void BM_ParseEnableConnectorBody(benchmark::State& state) {
  const std::string body =
      R"({"specification":"100MB","node_cnt":2,"spec_code":"connector.small"})";
  for (auto _ : state) {
    auto request = dms::ParseEnableConnectorBody(body);
    benchmark::DoNotOptimize(request);
    if (!request.ok()) state.SkipWithError("parse failed");
  }
}
BENCHMARK(BM_ParseEnableConnectorBody);

void BM_ParseCreatePrivateConnect(benchmark::State& state) {
  const std::string body =
      R"({"privateConnectName":"bench","bandwidthMbps":100,)"
      R"("endpointA":{"portId":"port-sin-1","vlanId":100,"dcId":"SIN1","endpointName":"a"},)"
      R"("endpointZ":{"portId":"port-fra-1","vlanId":100,"dcId":"FRA1","endpointName":"z"}})";
  for (auto _ : state) {
    auto parsed = common::ParseJsonObject(body);
    auto request = zenlayer::ParseCreatePrivateConnect(*parsed, zenlayer::SdnVersion::k20230830);
    benchmark::DoNotOptimize(request);
    if (!request.ok()) state.SkipWithError("parse failed");
  }
}
BENCHMARK(BM_ParseCreatePrivateConnect);

store::KafkaInstance ShowInstanceRow() {
  store::KafkaInstance instance;
  instance.project_id = "0123456789abcdef0123456789abcdef";
  instance.instance_id = "a1b2c3d4-0000-1111-2222-333344445555";
  instance.name = "demo-kafka";
  instance.status = "RUNNING";
  instance.specification = "100MB";
  instance.attributes_json =
      R"({"engine_version":"2.7","storage_space":600,"partition_num":"300"})";
  return instance;
}

// What ShowInstance answers with: the text writer.
void BM_SerializeShowInstance(benchmark::State& state) {
  const store::KafkaInstance instance = ShowInstanceRow();
  for (auto _ : state) {
    std::string json = dms::RenderInstanceJson(instance);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_SerializeShowInstance);

// The JSON tree it replaced (still what ListInstances renders per instance).
void BM_SerializeShowInstanceTree(benchmark::State& state) {
  const store::KafkaInstance instance = ShowInstanceRow();
  for (auto _ : state) {
    std::string json = common::ToJson(dms::RenderInstance(instance));
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_SerializeShowInstanceTree);

std::vector<service::PrivateConnectDetails> DescribePage() {
  std::vector<service::PrivateConnectDetails> page(50);
  for (size_t idx = 0; idx < page.size(); ++idx) {
    store::PrivateConnect& connect = page[idx].connect;
    connect.account_id = "acct";
    connect.private_connect_id = std::to_string(100000000000000000 + idx);
    connect.name = "pc";
    connect.status = "RUNNING";
    connect.bandwidth_mbps = 100;
    connect.endpoint_a = {"pa", "a", "pa", 10};
    connect.endpoint_z = {"pz", "z", "pz", 10};
    // Seeded port attributes as in the demo seed: a dataCenter object each.
    page[idx].port_a = store::ZenlayerPort{
        "acct",
        "pa",
        "a",
        "SIN1",
        "RUNNING",
        R"({"portType":"10G","dataCenter":{"dcName":"Singapore 1","cityName":"Singapore",)"
        R"("areaName":"Asia Pacific"}})",
        0};
    page[idx].port_z = store::ZenlayerPort{
        "acct",
        "pz",
        "z",
        "FRA1",
        "RUNNING",
        R"({"portType":"10G","dataCenter":{"dcName":"Frankfurt 1","cityName":"Frankfurt",)"
        R"("areaName":"Europe"}})",
        0};
  }
  return page;
}

void BM_SerializeDescribePage50(benchmark::State& state) {
  const std::vector<service::PrivateConnectDetails> page = DescribePage();
  // As the API answers a page: the dataSet written straight to text.
  for (auto _ : state) {
    std::string json;
    json.reserve(1024 * page.size());
    zenlayer::PrivateConnectArrayWriter writer(json);
    for (const service::PrivateConnectDetails& details : page) {
      writer.Add(details);
    }
    writer.Finish();
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_SerializeDescribePage50);

// The same page through JSON trees (RenderPrivateConnect, the path the API
// used before the writer).
void BM_SerializeDescribePage50Tree(benchmark::State& state) {
  const std::vector<service::PrivateConnectDetails> page = DescribePage();
  for (auto _ : state) {
    boost::json::array data;
    data.reserve(page.size());
    for (const service::PrivateConnectDetails& details : page) {
      data.push_back(zenlayer::RenderPrivateConnect(details));
    }
    std::string json =
        common::ToJson(boost::json::object{{"totalCount", 50}, {"dataSet", std::move(data)}});
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_SerializeDescribePage50Tree);

}  // namespace
}  // namespace connectplane::api
