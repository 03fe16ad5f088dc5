// `connectplane admin ...`: the command line of the admin API client. It adds
// the `admin` subcommand (server address and token from flags or the
// CONNECTPLANE_SERVER / CONNECTPLANE_ADMIN_TOKEN environment variables) and its
// verbs to the program's CLI11 app, and runs the parsed verb through an
// AdminClient: the answer's body goes to `out`; an HTTP error prints the
// status and the server's error to `err`. Used by one thread.
#pragma once

#include "CLI/CLI.hpp"
#include <iosfwd>
#include <string>
#include <vector>

namespace connectplane::admin_client {

// Exit codes of `connectplane admin`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitHttpError = 1;  // the server answered with a 4xx/5xx
// No answer (connection, timeout), or a bad input or output file.
inline constexpr int kExitUnreachable = 2;

class AdminCommand {
 public:
  // Adds `admin` and its verbs to `app`; `this` must outlive the parse.
  explicit AdminCommand(CLI::App& app);
  AdminCommand(const AdminCommand&) = delete;
  AdminCommand& operator=(const AdminCommand&) = delete;

  // Whether the command line chose `admin`.
  bool parsed() const;
  // Runs the chosen verb; returns the process exit code.
  int Run(std::ostream& out, std::ostream& err) const;

 private:
  CLI::App* admin_ = nullptr;
  std::string server_ = "http://127.0.0.1:8080";
  std::string token_;
  double timeout_seconds_ = 30;
  // Verb arguments, filled by CLI11.
  std::string tenant_;
  std::string seed_file_;
  std::string fault_json_;
  std::string fault_id_;
  std::string timing_json_;
  std::string id_seed_;
  bool include_secrets_ = false;
  std::string output_file_;  // export: "" or "-" = stdout
  std::vector<CLI::App*> verbs_;
};

}  // namespace connectplane::admin_client
