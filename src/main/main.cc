// connectplane: wires the modules together. No logic lives here.
#include "api/admin/admin_api.h"
#include "api/dms/dms_api.h"
#include "api/iam/iam_api.h"
#include "api/stages/request_stages.h"
#include "api/zenlayer/zenlayer_api.h"
#include "cli/option_layers.h"
#include "common/build_info.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/logging.h"
#include "http/dispatcher.h"
#include "http/server.h"
#include "jobs/job_runner.h"
#include "jobs/store_health.h"
#include "metrics/metrics.h"
#include "service/connector_task_jobs.h"
#include "service/connector_task_service.h"
#include "service/credential_service.h"
#include "service/emulator_controls.h"
#include "service/emulator_service.h"
#include "service/iam_service.h"
#include "service/idempotency.h"
#include "service/job_queue.h"
#include "service/job_timings.h"
#include "service/kafka_config_service.h"
#include "service/kafka_instance_jobs.h"
#include "service/kafka_service.h"
#include "service/kafka_tag_service.h"
#include "service/kafka_topic_service.h"
#include "service/private_connect_jobs.h"
#include "service/port_jobs.h"
#include "service/port_service.h"
#include "service/private_connect_service.h"
#include "service/sdn_catalog_service.h"
#include "service/sdn_usage_service.h"
#include "service/kafka_catalog.h"
#include "service/seed.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

#include "CLI/CLI.hpp"
#include "admin_client/admin_command.h"
#include "healthcheck.h"
#include "serve_flags.h"
#include "spdlog/spdlog.h"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <malloc.h>
#include <optional>
#include <pthread.h>
#include <signal.h>
#include <string>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace {

bool IsPostgresDsn(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db" for logs.
std::string RedactPassword(const std::string& db) {
  if (!IsPostgresDsn(db)) return db;
  size_t scheme_end = db.find("://") + 3;
  size_t at = db.find('@', scheme_end);
  size_t colon = db.find(':', scheme_end);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon + 1) + "***" + db.substr(at);
}

// `connectplane --version`: "connectplane 0.1.0 (commit 1a2b3c4d5e6f, RelWithDebInfo)".
std::string VersionText() {
  const connectplane::common::BuildInfo& build = connectplane::common::GetBuildInfo();
  return "connectplane " + std::string(build.version) + " (commit " + std::string(build.commit) +
         ", " + std::string(build.build_type) + ")";
}

int Fail(const std::string& message) {
  std::cerr << "connectplane: " << message << "\n";
  return 1;
}

std::string ParentDirectory(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// What the file system says against writing a SQLite database at `path` (and
// its -wal and -shm files next to it); "" when nothing looks wrong. SQLite's
// own messages ("attempt to write a readonly database") name neither.
std::string DatabaseAccessProblem(const std::string& path) {
  const std::string directory = ParentDirectory(path);
  struct stat info {};
  if (stat(directory.c_str(), &info) != 0) {
    return "directory " + directory + ": " + std::strerror(errno);
  }
  if (!S_ISDIR(info.st_mode)) return directory + " is not a directory";
  struct statvfs file_system {};
  if (statvfs(directory.c_str(), &file_system) == 0 && (file_system.f_flag & ST_RDONLY) != 0) {
    return directory + " is on a read-only file system";
  }
  if (stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return path + " is a directory";
    if (access(path.c_str(), W_OK) != 0) return path + " is not writable by this user";
  }
  if (access(directory.c_str(), W_OK | X_OK) != 0) {
    return "directory " + directory + " is not writable by this user (SQLite creates " + path +
           "-wal and " + path + "-shm next to the database)";
  }
  return "";
}

// The seed file's text. Error: a message naming the file and the cause.
absl::StatusOr<std::string> ReadSeedFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError("cannot read seed file " + path + ": " + std::strerror(errno));
  }
  std::string text;
  char buffer[65536];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, read);
  }
  const int error = std::ferror(file) != 0 ? errno : 0;
  std::fclose(file);
  if (error != 0) {
    return absl::UnavailableError("cannot read seed file " + path + ": " + std::strerror(error));
  }
  return text;
}

bool SplitHostPort(const std::string& listen, std::string& host, uint16_t& port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  try {
    int value = std::stoi(listen.substr(colon + 1));
    if (value < 0 || value > 65535) return false;
    port = static_cast<uint16_t>(value);
  } catch (...) {
    return false;
  }
  return !host.empty();
}

// The shutdown sequence after SIGTERM/SIGINT, each phase logged: stop
// accepting and let requests in flight finish (at most `grace_seconds`), stop
// the job runner and free its leases for other replicas, checkpoint SQLite.
void ShutDown(int signal_number, double grace_seconds, connectplane::http::Server& server,
              connectplane::jobs::JobRunner& runner, connectplane::store::SqliteStore* sqlite) {
  spdlog::info("shutdown: signal {} received; draining HTTP connections (up to {} s)",
               signal_number, grace_seconds);
  const int left_open =
      server.Drain(absl::Milliseconds(static_cast<int64_t>(grace_seconds * 1000)));
  if (left_open > 0) {
    spdlog::warn("shutdown: {} connections still busy after {} s; closing them", left_open,
                 grace_seconds);
  }
  server.Stop();
  spdlog::info("shutdown: HTTP server stopped");
  absl::Status released = runner.StopAndReleaseLeases();
  if (released.ok()) {
    spdlog::info("shutdown: job runner stopped, leases of unfinished jobs released");
  } else {
    spdlog::warn("shutdown: job runner stopped; releasing its leases failed (they expire): {}",
                 released.ToString());
  }
  if (sqlite != nullptr) {
    absl::Status checkpointed = sqlite->Checkpoint();
    if (checkpointed.ok()) {
      spdlog::info("shutdown: sqlite WAL checkpointed");
    } else {
      spdlog::warn("shutdown: {}", checkpointed.ToString());
    }
  }
  spdlog::info("shutdown: complete");
}

int Serve(const connectplane::ServeFlags& flags) {
  using namespace connectplane;
  absl::StatusOr<common::LogFormat> log_format = common::ParseLogFormat(flags.log_format);
  if (!log_format.ok()) return Fail(std::string(log_format.status().message()));
  common::InitLogging(flags.log_level, *log_format);
  // Request bodies (up to 1 MiB) are large blocks. glibc raises its mmap
  // threshold after the first such block is freed and from then on serves them
  // from the heap, where one long-lived block above them keeps the memory from
  // going back (a probe saw 1.5 GB kept after 1,500 half-sent bodies closed).
  // A fixed threshold keeps blocks of 128 KiB and more in their own mappings,
  // returned to the system when freed (bench/slow_body_memory.py).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  if (flags.id_seed) {
    common::SeedIds(*flags.id_seed);
    spdlog::info("ids: seeded with {} (reproducible resource, job and request ids)",
                 *flags.id_seed);
  }

  if (flags.tls_cert.empty() != flags.tls_key.empty()) {
    return Fail("--tls-cert and --tls-key go together (HTTPS needs both)");
  }
  std::string host;
  uint16_t port = 0;
  if (!SplitHostPort(flags.listen, host, port)) {
    return Fail("--listen must be HOST:PORT, got '" + flags.listen + "'");
  }
  api::admin::AdminApiOptions admin_options;
  admin_options.token = flags.admin_token;
  admin_options.allowed_hosts = flags.admin_allowed_hosts;
  admin_options.dialects = {
      {std::string(api::dms::DmsApi::kDialect), api::dms::DmsApi::OperationNames()},
      {std::string(api::zenlayer::ZenlayerApi::kDialect),
       api::zenlayer::ZenlayerApi::ActionNames()},
      {std::string(api::iam::IamApi::kDialect), api::iam::IamApi::OperationNames()}};
  if (absl::Status exposed = api::admin::AdminApi::CheckListenHost(host, admin_options);
      !exposed.ok()) {
    return Fail(std::string(exposed.message()));
  }
  std::unique_ptr<store::Store> store;
  store::SqliteStore* sqlite_store = nullptr;  // for the checkpoint at shutdown
  if (IsPostgresDsn(flags.db)) {
    store::PostgresOptions postgres_options;
    postgres_options.dsn = flags.db;
    // One connection per HTTP I/O thread plus one for the job runner.
    postgres_options.pool_size = flags.threads + 1;
    auto opened = store::PostgresStore::Open(postgres_options);
    if (!opened.ok()) {
      return Fail("cannot open database " + RedactPassword(flags.db) + ": " +
                  std::string(opened.status().message()));
    }
    store = std::move(*opened);
  } else if (flags.db.rfind("sqlite:", 0) == 0) {
    store::SqliteOptions sqlite_options;
    sqlite_options.synchronous_full = flags.sync != "normal";
    sqlite_options.group_commit = flags.group_commit == "on";
    sqlite_options.exclusive_process = flags.sqlite_lock == "exclusive";
    sqlite_options.integrity_check_budget =
        absl::Milliseconds(static_cast<int64_t>(flags.integrity_check_seconds * 1000));
    const std::string path = flags.db.substr(7);
    auto opened = store::SqliteStore::Open(path, sqlite_options);
    if (!opened.ok()) {
      std::string problem = DatabaseAccessProblem(path);
      return Fail("cannot open database " + flags.db + ": " +
                  std::string(opened.status().message()) +
                  (problem.empty() ? "" : " (" + problem + ")"));
    }
    sqlite_store = opened->get();
    store = std::move(*opened);
  } else {
    return Fail("--db must be sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME");
  }

  common::Clock& clock = common::SystemClock();
  service::JobTimings timings;
  std::string seed_text;
  if (!flags.seed_file.empty()) {
    absl::StatusOr<std::string> text = ReadSeedFile(flags.seed_file);
    if (!text.ok()) return Fail(std::string(text.status().message()));
    seed_text = std::move(*text);
    auto summary = service::ApplySeed(*store, seed_text, clock, &timings);
    if (!summary.ok()) {
      return Fail("seed file " + flags.seed_file + ": " + std::string(summary.status().message()));
    }
    spdlog::info("seed {}: {} credentials, {} instances created, {} already present",
                 flags.seed_file, summary->credentials, summary->instances_created,
                 summary->instances_existing);
    // Counts only: a token is never logged.
    spdlog::info(
        "seed {}: zenlayer {} credentials, {} tokens, {} ports and {} private connects "
        "created",
        flags.seed_file, summary->zenlayer_credentials, summary->zenlayer_tokens,
        summary->zenlayer_ports_created, summary->zenlayer_private_connects_created);
  }
  for (const std::string& setting : flags.job_seconds) {
    absl::Status status = timings.ApplySetting(setting);
    if (!status.ok())
      return Fail("--job-seconds " + setting + ": " + std::string(status.message()));
  }

  service::EmulatorControls controls;
  // Store write failures seen by the runner and by requests: /ready, metrics.
  jobs::StoreHealth store_health;
  jobs::JobRunner runner(*store, clock);
  runner.SetFaultSource(&controls);
  runner.SetStoreHealth(&store_health);
  service::RegisterKafkaInstanceJobs(runner);
  service::RegisterConnectorTaskJobs(runner);
  service::RegisterPrivateConnectJobs(runner);
  service::RegisterPortJobs(runner);
  service::RegisterKafkaConfigJobs(runner);
  service::JobQueue job_queue(*store, clock, timings, [&runner] { runner.Notify(); });
  if (flags.instant_jobs == "inline") job_queue.CompleteInstantJobsWith(&runner);
  job_queue.ReportStoreHealthTo(&store_health);
  service::CredentialService credentials(
      *store, clock,
      {.ttl = absl::Milliseconds(static_cast<int64_t>(flags.credential_cache_seconds * 1000))});
  // The seed's availability zones (ApplySeed validated them), else eu-de's.
  absl::StatusOr<service::KafkaCatalog> kafka_catalog = service::KafkaCatalog::FromSeed(seed_text);
  if (!kafka_catalog.ok()) return Fail(std::string(kafka_catalog.status().message()));
  service::KafkaService kafka(*store, clock, job_queue, *kafka_catalog);
  service::ConnectorTaskService connector_tasks(*store, clock, job_queue);
  service::PrivateConnectService private_connects(*store, clock, job_queue);
  service::PortService ports(*store, clock, job_queue);
  service::KafkaTagService kafka_tags(*store, clock);
  service::KafkaConfigService kafka_configs(*store, job_queue);
  service::KafkaTopicService kafka_topics(*store, clock);
  service::SdnCatalogService sdn_catalog(*store);
  service::SdnUsageService sdn_usage(*store, clock);
  service::IdempotencyService idempotency(*store, clock);
  idempotency.ReportStoreHealthTo(&store_health);
  service::EmulatorService emulator(*store, clock, timings, controls, seed_text,
                                    [&runner, &credentials] {
                                      credentials.Invalidate();
                                      runner.Notify();
                                    });
  api::stages::RequestStages stages(controls, idempotency);
  api::dms::DmsApi dms(kafka, connector_tasks, credentials, stages, clock,
                       {kafka_tags, kafka_configs, kafka_topics});
  api::zenlayer::ZenlayerApi zenlayer(private_connects, ports, sdn_catalog, sdn_usage, credentials,
                                      stages, clock);
  admin_options.store_health = &store_health;
  api::admin::AdminApi admin(emulator, std::move(admin_options));
  service::IamService iam_service(*store, clock);
  api::iam::IamApi iam(iam_service, credentials, stages, clock,
                       {.public_base_url = flags.public_base_url,
                        .host_url_scheme = flags.tls_cert.empty() ? "http" : "https"});
  http::Dispatcher dispatcher(dms, zenlayer, admin, &iam);
  const common::BuildInfo& build = common::GetBuildInfo();
  metrics::RegisterBuildInfo(metrics::DefaultRegistry(), std::string(build.version),
                             std::string(build.commit), std::string(build.build_type));

  // Signals are taken synchronously by this thread; every thread started below
  // inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.threads = flags.threads;
  options.max_connections = flags.max_connections;
  options.max_connections_per_address = flags.max_connections_per_address;
  options.reserved_connections = flags.reserved_connections;
  options.unauthenticated_timeout =
      absl::Milliseconds(static_cast<int64_t>(flags.unauthenticated_timeout_seconds * 1000));
  options.body_budget_bytes = static_cast<size_t>(flags.request_body_budget_mib) * 1024 * 1024;
  options.tls_certificate_file = flags.tls_cert;
  options.tls_private_key_file = flags.tls_key;
  // A stranger's handshake gets the time a stranger's first request header gets.
  options.tls_handshake_timeout = options.unauthenticated_timeout;
  http::Server server(
      options, [&dispatcher](common::HttpRequest& request) { return dispatcher.Handle(request); });
  absl::Status started = server.Start();
  if (!started.ok()) return Fail(started.ToString());
  runner.Start();

  std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const char* scheme = flags.tls_cert.empty() ? "http" : "https";
  std::printf("connectplane listening on %s://%s:%u\n", scheme, shown_host.c_str(),
              server.port());
  std::fflush(stdout);
  spdlog::info("listening on {}:{} with {} threads, database {}", host, server.port(),
               flags.threads, RedactPassword(flags.db));

  int received = 0;
  sigwait(&signals, &received);
  ShutDown(received, flags.shutdown_grace_seconds, server, runner, sqlite_store);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = connectplane::cli;
  CLI::App app{"connectplane: a self-hostable control plane for cloud connect services"};
  app.require_subcommand(1);
  connectplane::ServeFlags flags;
  CLI::App* serve = app.add_subcommand("serve", "serve the cloud APIs over HTTP");
  connectplane::ServeOptions serve_options(*serve, flags);
  connectplane::admin_client::AdminCommand admin_command(app);
  std::string healthcheck_listen = "127.0.0.1:8080";
  double healthcheck_timeout_seconds = 3;
  CLI::App* healthcheck = app.add_subcommand(
      "healthcheck",
      "exit 0 when a running server answers GET /healthz with 200 (for container "
      "health checks: the image needs no curl)");
  healthcheck
      ->add_option("--listen", healthcheck_listen,
                   "the server's --listen HOST:PORT; 0.0.0.0 and [::] are probed on loopback")
      ->envname("CONNECTPLANE_LISTEN")
      ->capture_default_str();
  healthcheck
      ->add_option("--timeout-seconds", healthcheck_timeout_seconds,
                   "give up (exit 1) when no answer came within this time")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  cli::AddConfigOptions(*serve);
  app.set_version_flag("--version", VersionText());
  CLI11_PARSE(app, argc, argv);
  // Every option of every command also comes from CONNECTPLANE_<FLAG> and --config.
  std::map<const CLI::App*, cli::OptionSources> option_sources;
  for (CLI::App* command : app.get_subcommands()) {
    absl::StatusOr<cli::OptionSources> sources = cli::ApplyEnvironmentAndConfigFile(*command);
    if (!sources.ok()) return Fail(std::string(sources.status().message()));
    option_sources[command] = *std::move(sources);
  }
  if (healthcheck->parsed()) {
    std::string host;
    uint16_t port = 0;
    if (!SplitHostPort(healthcheck_listen, host, port) || port == 0) {
      return Fail("healthcheck --listen must be HOST:PORT, got '" + healthcheck_listen + "'");
    }
    return connectplane::RunHealthcheck(host, port, healthcheck_timeout_seconds);
  }
  if (admin_command.parsed()) return admin_command.Run(std::cout, std::cerr);
  serve_options.ApplyOptionalValues(flags);
  if (serve->parsed() && cli::PrintConfigRequested(*serve)) {
    std::cout << cli::RenderEffectiveConfig(
        *serve, option_sources[serve], [](const std::string& name, const std::string& value) {
          if (name == "admin-token") return std::string("<redacted>");
          return name == "db" ? RedactPassword(value) : value;
        });
    return 0;
  }
  if (serve->parsed()) {
    return Serve(flags);
  }
  return 0;
}
