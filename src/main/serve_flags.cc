#include "serve_flags.h"

#include "CLI/CLI.hpp"

namespace connectplane {

ServeOptions::ServeOptions(CLI::App& serve, ServeFlags& flags) {
  serve.add_option("--listen", flags.listen, "HOST:PORT to bind; port 0 picks a free one")
      ->capture_default_str();
  serve.add_option("--db", flags.db,
                   "database: sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME (libpq URI)")
      ->capture_default_str();
  serve.add_option("--seed", flags.seed_file, "seed file (JSON) applied at start-up");
  serve.add_option(
      "--job-seconds", flags.job_seconds,
      "job duration: SECONDS for every type or TYPE=SECONDS (repeatable); 0 = instant");
  serve.add_option("--instant-jobs", flags.instant_jobs,
                   "who completes instant (0 s) jobs: the background runner, after the "
                   "request (runner), or the request itself, in its own commit (inline)")
      ->check(CLI::IsMember({"runner", "inline"}))
      ->capture_default_str();
  serve.add_option("--threads", flags.threads, "HTTP I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve.add_option("--sync", flags.sync, "sqlite durability: full (fsync per commit) or normal")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  serve.add_option("--group-commit", flags.group_commit,
                   "sqlite: share one commit (fsync) among concurrent writes (on) or commit "
                   "each write alone (off)")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  serve.add_option("--sqlite-lock", flags.sqlite_lock,
                   "sqlite: exclusive (this process alone opens the file; cheapest reads) or "
                   "shared (several processes may open it)")
      ->check(CLI::IsMember({"exclusive", "shared"}))
      ->capture_default_str();
  serve.add_option("--log-level", flags.log_level, "trace|debug|info|warn|error|off")
      ->capture_default_str();
  serve.add_option("--log-format", flags.log_format,
                   "text (human-readable) or json (one JSON object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  serve.add_option("--admin-token", flags.admin_token,
                   "bearer token for /_connectplane/ and /metrics (default: loopback callers "
                   "only); required when --listen is not a loopback address");
  serve.add_option("--admin-allowed-host", flags.admin_allowed_hosts,
                   "a host name admin and console calls may use in their Host header besides "
                   "localhost, 127.0.0.1 and [::1] (repeatable or comma-separated)")
      ->delimiter(',');
  serve.add_option("--credential-cache-seconds", flags.credential_cache_seconds,
                   "how long a looked-up signing credential is reused; a change made by another "
                   "process or replica takes effect within this time (0 = read every request)")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  serve.add_option("--max-connections", flags.max_connections,
                   "open connections at most; more are closed at accept")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  per_address_ =
      serve.add_option("--max-connections-per-address", max_connections_per_address_,
                       "open connections one client address (an IPv6 /64) may hold "
                       "(default: a tenth of --max-connections)")
          ->check(CLI::Range(1, 1000000));
  reserved_ =
      serve.add_option("--reserved-connections", reserved_connections_,
                       "connection slots only addresses that made an authenticated request in "
                       "the last 10 minutes may take (default: a tenth of --max-connections)")
          ->check(CLI::Range(0, 1000000));
  serve.add_option("--unauthenticated-timeout-seconds", flags.unauthenticated_timeout_seconds,
                   "until a connection has made an authenticated request, each request header "
                   "must arrive within this time of connecting or of the previous response, "
                   "and a large body waits at most this long for --request-body-budget-mib")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  serve.add_option("--request-body-budget-mib", flags.request_body_budget_mib,
                   "memory for request bodies above 16 KiB being received at once; a larger "
                   "body waits unread until its size fits (at least 1 MiB per HTTP thread)")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  serve.add_option("--integrity-check-seconds", flags.integrity_check_seconds,
                   "sqlite: at start-up, check the database file (PRAGMA quick_check) for at most "
                   "this long and refuse a damaged one; a check out of time starts with a "
                   "warning (0 = no check)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  serve.add_option("--public-base-url", flags.public_base_url,
                   "http(s)://host:port that identity (/v3) catalogs and token bodies point "
                   "clients at (default: http:// plus the request's Host header)");
  serve.add_option("--shutdown-grace-seconds", flags.shutdown_grace_seconds,
                   "on SIGTERM/SIGINT: how long requests in progress may take to finish "
                   "before their connections are closed")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  id_seed_ = serve.add_option(
      "--id-seed", id_seed_value_,
      "draw resource, job and request ids from a generator seeded with N, so the same calls "
      "give the same ids (default: unpredictable ids)");
  serve.add_option("--tls-cert", flags.tls_cert,
                    "PEM certificate (chain) file: --listen serves HTTPS instead of HTTP "
                    "(needs --tls-key)");
  serve.add_option("--tls-key", flags.tls_key,
                    "PEM private key (unencrypted) of --tls-cert");
}

void ServeOptions::ApplyOptionalValues(ServeFlags& flags) const {
  if (id_seed_->count() > 0) flags.id_seed = id_seed_value_;
  if (per_address_->count() > 0) flags.max_connections_per_address = max_connections_per_address_;
  if (reserved_->count() > 0) flags.reserved_connections = reserved_connections_;
}

}  // namespace connectplane
