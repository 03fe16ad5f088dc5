// The `serve` command's flags: their values (ServeFlags) and their registration
// on the command line parser (ServeOptions). Every flag is also read from
// CONNECTPLANE_<FLAG> and --config by cli::ApplyEnvironmentAndConfigFile.
// Not thread-safe; used once at start-up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace connectplane {

// The values of the `serve` flags; the defaults are the documented ones (README, "Flags").
struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string db = "sqlite:connectplane.db";
  std::string seed_file;
  std::vector<std::string> job_seconds;
  std::string instant_jobs = "runner";
  int threads = 2;
  std::string sync = "full";
  std::string group_commit = "on";
  std::string sqlite_lock = "exclusive";
  std::string log_level = "info";
  std::string log_format = "text";
  std::string admin_token;
  std::vector<std::string> admin_allowed_hosts;
  double credential_cache_seconds = 2;
  int max_connections = 4096;
  std::optional<int> max_connections_per_address;  // unset: the server's default
  std::optional<int> reserved_connections;         // unset: the server's default
  double unauthenticated_timeout_seconds = 10;
  int request_body_budget_mib = 32;
  double integrity_check_seconds = 10;
  double shutdown_grace_seconds = 10;
  std::optional<uint64_t> id_seed;  // unset: unpredictable ids
  std::string tls_cert;  // with tls_key: --listen serves HTTPS instead of HTTP
  std::string tls_key;
  std::string public_base_url;  // identity catalog URLs; empty: from the Host header
};

// Registers every `serve` flag on `serve`, bound to `flags`; both must outlive
// parsing. Flags without a default value parse into this object's own storage:
// call ApplyOptionalValues after parsing. Not copyable: the parser keeps
// pointers into it.
class ServeOptions {
 public:
  ServeOptions(CLI::App& serve, ServeFlags& flags);
  ServeOptions(const ServeOptions&) = delete;
  ServeOptions& operator=(const ServeOptions&) = delete;

  // Copies the optional flags that were given into `flags`; the others stay unset.
  void ApplyOptionalValues(ServeFlags& flags) const;

 private:
  int max_connections_per_address_ = 0;
  int reserved_connections_ = 0;
  uint64_t id_seed_value_ = 0;
  CLI::Option* per_address_ = nullptr;
  CLI::Option* reserved_ = nullptr;
  CLI::Option* id_seed_ = nullptr;
};

}  // namespace connectplane
