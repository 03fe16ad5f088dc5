// cpbench: the helper program of bench/run.sh. Not part of the
// server. Subcommands:
//   seed            fills a SQLite database directly through the Store API, in
//                   big transactions (1M private connects in seconds)
//   sign            writes pre-signed requests (Huawei SDK-HMAC-SHA256 or
//                   Zenlayer ZC2-HMAC-SHA256) for bench/wrk_requests.lua
//   mutate          drives durable mutation cycles over keep-alive HTTP and
//                   counts accepted mutations per second
//   sqlite-baseline raw SQLite: one-row INSERT + COMMIT (fsync) per row
//   jobs            job engine throughput: drains N queued instant jobs
// Every number is printed as one JSON object on stdout.
#include "auth/huawei_signer.h"
#include "auth/zenlayer_signer.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "common/logging.h"
#include "common/status.h"
#include "jobs/job_runner.h"
#include "service/private_connect_jobs.h"
#include "service/private_connect_service.h"
#include "store/sqlite_store.h"

#include <sqlite3.h>

#include "CLI/CLI.hpp"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/json.hpp"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace connectplane;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Bench tenants (also written by `seed`).
constexpr char kHuaweiAk[] = "BENCHAK0000000000001";
constexpr char kHuaweiSk[] = "BenchSecretKey00000000000000000000000000";
constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
constexpr char kZenlayerKey[] = "BENCHZENLAYERKEY0001";
constexpr char kZenlayerPassword[] = "BenchZenlayerPassword000000000000";
constexpr char kAccount[] = "bench-account";

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string InstanceId(int64_t idx) {
  char id[40];
  std::snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012lld", static_cast<long long>(idx));
  return id;
}

std::string ConnectId(int64_t idx) { return std::to_string(100000000000000000LL + idx); }

int Fail(const std::string& message) {
  std::cerr << "cpbench: " << message << "\n";
  return 1;
}

// ---------------------------------------------------------------- seed

struct SeedFlags {
  std::string db;
  int64_t instances = 16;
  int64_t connects = 1000;
  int64_t batch = 20000;
};

int Seed(const SeedFlags& flags) {
  store::SqliteOptions options;
  options.synchronous_full = false;  // bulk load; the server reopens with FULL
  auto opened = store::SqliteStore::Open(flags.db, options);
  if (!opened.ok()) return Fail(opened.status().ToString());
  store::SqliteStore& db = **opened;
  const int64_t now_ms = common::ToUnixMillis(absl::Now());
  const auto start = Clock::now();
  absl::Status status = db.Write([&](store::StoreTransaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.PutHuaweiCredential({kHuaweiAk, kHuaweiSk, kProject, "bench", "bench"}));
    RETURN_IF_ERROR(txn.PutZenlayerCredential({kZenlayerKey, kZenlayerPassword, kAccount}));
    for (int64_t idx = 0; idx < flags.instances; ++idx) {
      store::KafkaInstance instance;
      instance.project_id = kProject;
      instance.instance_id = InstanceId(idx);
      instance.name = "bench-kafka-" + std::to_string(idx);
      instance.status = "RUNNING";
      instance.specification = "100MB";
      instance.attributes_json =
          R"({"engine_version":"2.7","storage_space":600,"partition_num":"300"})";
      instance.created_at_ms = now_ms;
      instance.updated_at_ms = now_ms;
      absl::Status inserted = txn.InsertKafkaInstance(instance);
      if (!inserted.ok() && !absl::IsAlreadyExists(inserted)) return inserted;
    }
    // Mutation ports, then 4000 connects (VLANs 1..4000) per port pair.
    for (const char* port : {"bench-mut-a", "bench-mut-b"}) {
      absl::Status inserted = txn.InsertZenlayerPort(
          {kAccount, port, port, "SIN1", "RUNNING", R"({"portType":"10G"})", now_ms});
      if (!inserted.ok() && !absl::IsAlreadyExists(inserted)) return inserted;
    }
    for (int64_t pair = 0; pair * 4000 < std::max<int64_t>(flags.connects, 1); ++pair) {
      for (const char* side : {"a", "z"}) {
        std::string port = "bench-p" + std::string(side) + "-" + std::to_string(pair);
        absl::Status inserted = txn.InsertZenlayerPort(
            {kAccount, port, port, "SIN1", "RUNNING", R"({"portType":"10G"})", now_ms});
        if (!inserted.ok() && !absl::IsAlreadyExists(inserted)) return inserted;
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return Fail(status.ToString());
  for (int64_t first = 0; first < flags.connects; first += flags.batch) {
    status = db.Write([&](store::StoreTransaction& txn) -> absl::Status {
      for (int64_t idx = first; idx < std::min(flags.connects, first + flags.batch); ++idx) {
        const std::string pair = std::to_string(idx / 4000);
        store::PrivateConnect connect;
        connect.account_id = kAccount;
        connect.private_connect_id = ConnectId(idx);
        connect.name = (idx % 10 == 0 ? "edge-" : "core-") + std::to_string(idx);
        // 1% recycled: the "filtered page" of the scale scenario.
        connect.status = idx % 100 == 0 ? "RECYCLED" : "RUNNING";
        connect.bandwidth_mbps = 100;
        connect.endpoint_a = {"bench-pa-" + pair, "a", "bench-pa-" + pair, idx % 4000 + 1};
        connect.endpoint_z = {"bench-pz-" + pair, "z", "bench-pz-" + pair, idx % 4000 + 1};
        connect.created_at_ms = now_ms - flags.connects + idx;
        connect.updated_at_ms = connect.created_at_ms;
        connect.recycled_at_ms = connect.status == "RECYCLED" ? connect.created_at_ms : 0;
        absl::Status inserted = txn.InsertPrivateConnect(connect);
        if (!inserted.ok() && !absl::IsAlreadyExists(inserted)) return inserted;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return Fail(status.ToString());
  }
  std::printf("{\"seeded_connects\":%lld,\"instances\":%lld,\"seconds\":%.3f}\n",
              static_cast<long long>(flags.connects), static_cast<long long>(flags.instances),
              Seconds(Clock::now() - start));
  return 0;
}

// ---------------------------------------------------------------- sign

struct SignFlags {
  std::string dialect = "huawei";
  std::string host;  // HOST:PORT as sent in the Host header
  std::string path;  // huawei: request path
  std::string action = "DescribePrivateConnects";
  std::string body = "{}";
  int count = 1000;
  std::string out;
};

// One request per line, tab-separated: method, path, body, then "Name: value"
// headers. Timestamps spread over the last minute: every request stays valid
// for the skew window (15 min Huawei, 5 min Zenlayer) minus one minute.
int Sign(const SignFlags& flags) {
  std::ofstream out(flags.out);
  if (!out) return Fail("cannot write " + flags.out);
  const absl::Time now = absl::Now();
  for (int idx = 0; idx < flags.count; ++idx) {
    const absl::Time at = now - absl::Seconds(idx % 60);
    common::HttpRequest request;
    if (flags.dialect == "huawei") {
      request.method = "GET";
      request.target = flags.path;
      request.headers = {
          {"Host", flags.host},
          {"Content-Type", "application/json"},
          {"X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", at, absl::UTCTimeZone())}};
      auto signature = auth::SignHuaweiRequest(request, kHuaweiAk, kHuaweiSk,
                                               {"content-type", "host", "x-sdk-date"});
      if (!signature.ok()) return Fail(signature.status().ToString());
      request.headers.emplace_back("Authorization", *signature);
    } else {
      request.method = "POST";
      request.target = "/api/v2/sdn";
      request.body = flags.body;
      request.headers = {{"Host", flags.host},
                         {"Content-Type", "application/json"},
                         {"X-ZC-Action", flags.action},
                         {"X-ZC-Version", "2023-08-30"},
                         {"X-ZC-Service", "sdn"},
                         {"X-ZC-Timestamp", std::to_string(absl::ToUnixSeconds(at))},
                         {"X-ZC-Signature-Method", "ZC2-HMAC-SHA256"}};
      request.headers.emplace_back(
          "Authorization", auth::SignZenlayerRequest(request, kZenlayerKey, kZenlayerPassword));
    }
    out << request.method << '\t' << request.target << '\t' << request.body;
    for (const auto& [name, value] : request.headers) {
      if (name == "Host") continue;  // wrk sends its own Host (the same HOST:PORT)
      out << '\t' << name << ": " << value;
    }
    out << '\n';
  }
  return 0;
}

// ---------------------------------------------------------------- HTTP client

// One keep-alive connection; signs each request itself.
class Client {
 public:
  Client(const std::string& host, const std::string& port)
      : host_header_(host + ":" + port), socket_(io_) {
    tcp::resolver resolver(io_);
    boost::asio::connect(socket_, resolver.resolve(host, port));
    socket_.set_option(tcp::no_delay(true));
  }

  // Returns (status, parsed body or null).
  std::pair<int, boost::json::value> Huawei(const std::string& method, const std::string& path,
                                            const std::string& body) {
    common::HttpRequest request;
    request.method = method;
    request.target = path;
    request.body = body;
    request.headers = {
        {"Host", host_header_},
        {"Content-Type", "application/json"},
        {"X-Sdk-Date", absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone())}};
    auto signature = auth::SignHuaweiRequest(request, kHuaweiAk, kHuaweiSk,
                                             {"content-type", "host", "x-sdk-date"});
    request.headers.emplace_back("Authorization", signature.ok() ? *signature : "");
    return Send(request);
  }

  std::pair<int, boost::json::value> Zenlayer(const std::string& action, const std::string& body) {
    common::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v2/sdn";
    request.body = body;
    request.headers = {{"Host", host_header_},
                       {"Content-Type", "application/json"},
                       {"X-ZC-Action", action},
                       {"X-ZC-Version", "2023-08-30"},
                       {"X-ZC-Timestamp", std::to_string(absl::ToUnixSeconds(absl::Now()))},
                       {"X-ZC-Signature-Method", "ZC2-HMAC-SHA256"}};
    request.headers.emplace_back(
        "Authorization", auth::SignZenlayerRequest(request, kZenlayerKey, kZenlayerPassword));
    return Send(request);
  }

 private:
  std::pair<int, boost::json::value> Send(const common::HttpRequest& request) {
    http::request<http::string_body> wire{
        request.method == "GET" ? http::verb::get : http::verb::post, request.target, 11};
    for (const auto& [name, value] : request.headers) {
      wire.set(name, value);
    }
    wire.body() = request.body;
    wire.prepare_payload();
    http::write(socket_, wire);
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response);
    boost::system::error_code ignored;
    boost::json::value parsed = boost::json::parse(response.body(), ignored);
    return {static_cast<int>(response.result_int()), std::move(parsed)};
  }

  std::string host_header_;
  boost::asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// ---------------------------------------------------------------- mutate

struct MutateFlags {
  std::string host = "127.0.0.1";
  std::string port;
  std::string dialect = "huawei";
  int clients = 8;
  double seconds = 5;
};

std::string StringField(const boost::json::value& value, std::string_view key) {
  if (!value.is_object()) return "";
  const boost::json::value* field = value.as_object().if_contains(key);
  return field != nullptr && field->is_string() ? std::string(field->as_string()) : "";
}

// Clients poll like the Terraform providers, only faster: a tight loop would
// spend the (shared) CPUs on reads instead of the writes being measured.
constexpr auto kPollInterval = std::chrono::milliseconds(2);

// Huawei: enable Smart Connect, wait for the job (instance RUNNING again),
// disable, wait. Zenlayer: create, wait RUNNING, delete, wait RECYCLED,
// destroy, wait gone. Each client owns its instance / VLAN, so every
// mutation is accepted; waiting polls the resource (signed reads).
int Mutate(const MutateFlags& flags) {
  std::atomic<int64_t> mutations = 0;
  std::atomic<int64_t> refused = 0;
  std::atomic<bool> stop = false;
  std::vector<std::thread> threads;
  for (int client_idx = 0; client_idx < flags.clients; ++client_idx) {
    threads.emplace_back([&, client_idx] {
      try {
        Client client(flags.host, flags.port);
        auto accepted = [&](const std::pair<int, boost::json::value>& answer) {
          (answer.first == 200 ? mutations : refused) += 1;
          if (answer.first != 200 && refused.load() <= 3) {
            std::cerr << "cpbench mutate: refused " << answer.first << " "
                      << boost::json::serialize(answer.second) << "\n";
          }
          return answer.first == 200;
        };
        if (flags.dialect == "huawei") {
          const std::string base =
              std::string("/v2/") + kProject + "/instances/" + InstanceId(client_idx);
          auto wait_running = [&] {
            while (!stop) {
              auto [status, body] = client.Huawei("GET", base, "");
              if (status == 200 && StringField(body, "status") == "RUNNING") return;
              std::this_thread::sleep_for(kPollInterval);
            }
          };
          wait_running();
          while (!stop) {
            accepted(client.Huawei("POST", base + "/connector",
                                   R"({"specification":"100MB","node_cnt":2})"));
            wait_running();
            if (stop) break;
            accepted(client.Huawei("POST",
                                   std::string("/v2/") + kProject + "/kafka/instances/" +
                                       InstanceId(client_idx) + "/delete-connector",
                                   ""));
            wait_running();
          }
          return;
        }
        const int vlan = 1000 + client_idx;
        while (!stop) {
          auto created = client.Zenlayer(
              "CreatePrivateConnect",
              "{\"privateConnectName\":\"bench\",\"bandwidthMbps\":10,\"endpointA\":{\"portId\":"
              "\"bench-mut-a\",\"vlanId\":" +
                  std::to_string(vlan) + "},\"endpointZ\":{\"portId\":\"bench-mut-b\",\"vlanId\":" +
                  std::to_string(vlan) + "}}");
          if (!accepted(created)) continue;
          std::string id = StringField(created.second.at("response"), "privateConnectId");
          const std::string by_id = "{\"privateConnectIds\":[\"" + id + "\"]}";
          auto wait_for = [&](std::string_view wanted) {
            while (!stop) {
              auto [read_status, read] = client.Zenlayer("DescribePrivateConnects", by_id);
              if (read_status != 200) continue;
              const boost::json::array& data = read.at("response").at("dataSet").as_array();
              if (wanted.empty()
                      ? data.empty()
                      : !data.empty() && StringField(data[0], "privateConnectStatus") == wanted) {
                return;
              }
              std::this_thread::sleep_for(kPollInterval);
            }
          };
          const std::string target = "{\"privateConnectId\":\"" + id + "\"}";
          // A wait cut short by the end of the run must not send the next step.
          wait_for("RUNNING");
          if (stop) break;
          accepted(client.Zenlayer("DeletePrivateConnect", target));
          wait_for("RECYCLED");
          if (stop) break;
          accepted(client.Zenlayer("DestroyPrivateConnect", target));
          wait_for("");
        }
      } catch (const std::exception& error) {
        std::cerr << "cpbench mutate client " << client_idx << ": " << error.what() << "\n";
        refused += 1000000;
      }
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(flags.seconds));
  const int64_t done = mutations.load();
  const double elapsed = Seconds(Clock::now() - start);
  stop = true;
  for (std::thread& thread : threads) thread.join();
  std::printf("{\"mutations\":%lld,\"refused\":%lld,\"seconds\":%.3f,\"per_second\":%.1f}\n",
              static_cast<long long>(done), static_cast<long long>(refused.load()), elapsed,
              static_cast<double>(done) / elapsed);
  return refused.load() >= 1000000 ? 1 : 0;
}

// ---------------------------------------------------------------- sqlite-baseline

int SqliteBaseline(const std::string& path, int64_t rows) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return Fail("cannot open " + path);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE t (id TEXT PRIMARY KEY, project TEXT, payload TEXT, at BIGINT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?)", -1, &stmt, nullptr);
  const std::string payload(200, 'x');  // about one job row
  const auto start = Clock::now();
  for (int64_t idx = 0; idx < rows; ++idx) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    std::string id = InstanceId(idx);
    sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, kProject, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, payload.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, idx);
    if (sqlite3_step(stmt) != SQLITE_DONE) return Fail(sqlite3_errmsg(db));
    sqlite3_reset(stmt);
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Fail(sqlite3_errmsg(db));
    }
  }
  const double elapsed = Seconds(Clock::now() - start);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  std::printf("{\"rows\":%lld,\"seconds\":%.3f,\"per_second\":%.1f}\n",
              static_cast<long long>(rows), elapsed, static_cast<double>(rows) / elapsed);
  return 0;
}

// ---------------------------------------------------------------- jobs

// Queues `count` private connects in CREATING with their create job due now
// (instant timing), then lets a JobRunner with the real handlers drain them.
int Jobs(const std::string& path, int64_t count, int batch_size) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  auto opened = store::SqliteStore::Open(path);  // synchronous=FULL, group commit
  if (!opened.ok()) return Fail(opened.status().ToString());
  store::SqliteStore& db = **opened;
  const int64_t now_ms = common::ToUnixMillis(absl::Now());
  for (int64_t first = 0; first < count; first += 20000) {
    absl::Status status = db.Write([&](store::StoreTransaction& txn) -> absl::Status {
      for (int64_t idx = first; idx < std::min(count, first + 20000); ++idx) {
        store::PrivateConnect connect;
        connect.account_id = kAccount;
        connect.private_connect_id = ConnectId(idx);
        connect.name = "queued";
        connect.status = std::string(service::kPrivateConnectCreating);
        connect.bandwidth_mbps = 10;
        connect.endpoint_a = {"pa", "a", "pa", idx % 4000 + 1};
        connect.endpoint_z = {"pz", "z", "pz", idx % 4000 + 1};
        connect.created_at_ms = now_ms;
        connect.updated_at_ms = now_ms;
        RETURN_IF_ERROR(txn.InsertPrivateConnect(connect));
        store::Job job;
        job.job_id = "job-" + std::to_string(idx);
        job.tenant_id = kAccount;
        job.resource_id = connect.private_connect_id;
        job.job_type = std::string(service::kJobCreatePrivateConnect);
        job.name = "CreatePrivateConnect";
        job.created_at_ms = now_ms;
        job.updated_at_ms = now_ms;
        job.due_at_ms = now_ms;
        RETURN_IF_ERROR(txn.InsertJob(job));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return Fail(status.ToString());
  }
  jobs::JobRunnerOptions options;
  options.batch_size = batch_size;
  jobs::JobRunner runner(db, common::SystemClock(), options);
  service::RegisterPrivateConnectJobs(runner);
  const int64_t commits_before = db.CommitCountForTest();
  const auto start = Clock::now();
  int64_t finished = 0;
  while (true) {
    absl::StatusOr<int> ran = runner.RunDueJobs();
    if (!ran.ok()) return Fail(ran.status().ToString());
    if (*ran == 0) break;
    finished += *ran;
  }
  const double elapsed = Seconds(Clock::now() - start);
  std::printf(
      "{\"jobs\":%lld,\"seconds\":%.3f,\"per_second\":%.1f,\"commits\":%lld,\"batch_size\":%d}\n",
      static_cast<long long>(finished), elapsed, static_cast<double>(finished) / elapsed,
      static_cast<long long>(db.CommitCountForTest() - commits_before), batch_size);
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return finished == count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cpbench: helper of bench/run.sh"};
  app.require_subcommand(1);
  connectplane::common::InitLogging("warn");

  SeedFlags seed;
  CLI::App* seed_cmd = app.add_subcommand("seed", "fill a SQLite database through the Store API");
  seed_cmd->add_option("--db", seed.db, "SQLite file")->required();
  seed_cmd->add_option("--instances", seed.instances, "Kafka instances");
  seed_cmd->add_option("--connects", seed.connects, "private connects");

  SignFlags sign;
  CLI::App* sign_cmd = app.add_subcommand("sign", "write pre-signed requests for wrk");
  sign_cmd->add_option("--dialect", sign.dialect)->check(CLI::IsMember({"huawei", "zenlayer"}));
  sign_cmd->add_option("--host", sign.host, "HOST:PORT")->required();
  sign_cmd->add_option("--path", sign.path, "huawei: request path");
  sign_cmd->add_option("--action", sign.action, "zenlayer: X-ZC-Action");
  sign_cmd->add_option("--body", sign.body, "zenlayer: JSON body");
  sign_cmd->add_option("--count", sign.count);
  sign_cmd->add_option("--out", sign.out)->required();

  MutateFlags mutate;
  CLI::App* mutate_cmd = app.add_subcommand("mutate", "durable mutation cycles over HTTP");
  mutate_cmd->add_option("--host", mutate.host);
  mutate_cmd->add_option("--port", mutate.port)->required();
  mutate_cmd->add_option("--dialect", mutate.dialect)->check(CLI::IsMember({"huawei", "zenlayer"}));
  mutate_cmd->add_option("--clients", mutate.clients);
  mutate_cmd->add_option("--seconds", mutate.seconds);

  std::string baseline_path;
  int64_t baseline_rows = 1000;
  CLI::App* baseline_cmd = app.add_subcommand("sqlite-baseline", "one INSERT+fsync per row");
  baseline_cmd->add_option("--path", baseline_path)->required();
  baseline_cmd->add_option("--rows", baseline_rows);

  std::string jobs_path;
  int64_t job_count = 100000;
  int batch_size = connectplane::jobs::JobRunnerOptions{}.batch_size;
  CLI::App* jobs_cmd = app.add_subcommand("jobs", "drain N queued instant jobs");
  jobs_cmd->add_option("--path", jobs_path)->required();
  jobs_cmd->add_option("--jobs", job_count);
  jobs_cmd->add_option("--batch-size", batch_size);

  CLI11_PARSE(app, argc, argv);
  if (seed_cmd->parsed()) return Seed(seed);
  if (sign_cmd->parsed()) return Sign(sign);
  if (mutate_cmd->parsed()) return Mutate(mutate);
  if (baseline_cmd->parsed()) return SqliteBaseline(baseline_path, baseline_rows);
  if (jobs_cmd->parsed()) return Jobs(jobs_path, job_count, batch_size);
  return 0;
}
