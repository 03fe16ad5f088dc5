#include "admin_client/admin_command.h"

#include "common/strings.h"

#include "admin_client/admin_client.h"
#include "boost/json.hpp"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>

namespace connectplane::admin_client {
namespace {

// One admin call a verb makes.
struct AdminCall {
  std::string method;
  std::string route;
  std::string body;
};

// "HTTP 404 NotFound: unknown admin endpoint" from an answer in the admin
// API's error shape {"error": {"code", "message"}}, else the raw body.
std::string DescribeError(const AdminReply& reply) {
  std::string detail = reply.body;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(reply.body, ec);
  if (!ec && parsed.is_object()) {
    const boost::json::object& root = parsed.as_object();
    if (const boost::json::value* error = root.if_contains("error");
        error != nullptr && error->is_object()) {
      const boost::json::object& fields = error->as_object();
      const boost::json::value* code = fields.if_contains("code");
      const boost::json::value* message = fields.if_contains("message");
      if (code != nullptr && code->is_string() && message != nullptr && message->is_string()) {
        detail =
            common::StrCat(std::string(code->as_string()), ": ", std::string(message->as_string()));
      }
    }
  }
  return common::StrCat("HTTP ", reply.status, " ", detail);
}

bool ReadFile(const std::string& path, std::string& text, std::string& problem) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    problem = common::StrCat("cannot read ", path, ": ", std::strerror(errno));
    return false;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  text = contents.str();
  return true;
}

}  // namespace

AdminCommand::AdminCommand(CLI::App& app) {
  admin_ = app.add_subcommand(
      "admin",
      "call the admin API of a running server (reset, seed, export, state, faults, timing, "
      "seed-ids)");
  admin_->require_subcommand(1);
  admin_->add_option("--server", server_, "the server: http://HOST:PORT")
      ->envname("CONNECTPLANE_SERVER")
      ->capture_default_str();
  admin_->add_option("--admin-token", token_, "bearer token, when the server has --admin-token")
      ->envname("CONNECTPLANE_ADMIN_TOKEN");
  admin_->add_option("--timeout-seconds", timeout_seconds_, "give up after this long")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();

  verbs_.push_back(admin_->add_subcommand("health", "GET /_connectplane/health"));
  verbs_.push_back(
      admin_->add_subcommand("ready", "GET /_connectplane/ready (exit 1 when not ready)"));
  verbs_.push_back(admin_->add_subcommand("state", "dump every table (secrets omitted)"));
  CLI::App* reset =
      admin_->add_subcommand("reset", "delete all state and re-apply the start-up seed");
  reset->add_option("--tenant", tenant_, "only this Huawei project id or Zenlayer account id");
  verbs_.push_back(reset);
  CLI::App* seed = admin_->add_subcommand("seed", "apply a seed file (JSON) to the running server");
  seed->add_option("FILE", seed_file_, "seed file")->required();
  verbs_.push_back(seed);
  CLI::App* export_verb = admin_->add_subcommand(
      "export", "write the state as a seed document (--seed / admin seed take it back)");
  export_verb->add_flag("--include-secrets", include_secrets_,
                        "also export secret keys, passwords and token hashes");
  export_verb->add_option("--output,-o", output_file_, "write to FILE instead of stdout");
  verbs_.push_back(export_verb);
  CLI::App* seed_ids =
      admin_->add_subcommand("seed-ids", "seed the id generator (or 'none' for random ids)");
  seed_ids->add_option("SEED", id_seed_, "a number, or none")->required();
  verbs_.push_back(seed_ids);

  CLI::App* faults = admin_->add_subcommand("faults", "list, add, delete or clear injected faults");
  faults->require_subcommand(1);
  faults->add_subcommand("list", "the fault rules with their hit counts");
  CLI::App* add =
      faults->add_subcommand("add", "add a rule, e.g. '{\"kind\":\"api\",\"count\":1}'");
  add->add_option("RULE", fault_json_, "the rule as JSON")->required();
  CLI::App* remove = faults->add_subcommand("delete", "delete one rule");
  remove->add_option("ID", fault_id_, "the rule's id")->required();
  faults->add_subcommand("clear", "delete every rule");
  verbs_.push_back(faults);

  CLI::App* timing = admin_->add_subcommand("timing", "show or set job timing");
  timing->require_subcommand(0, 1);
  timing->add_subcommand("show", "the timing settings (also without a verb)");
  CLI::App* set = timing->add_subcommand(
      "set",
      "apply a setting, e.g. '{\"job_type\":\"zenlayer.create_port\",\"mode\":\"instant\"}'");
  set->add_option("SETTING", timing_json_, "the setting as JSON")->required();
  verbs_.push_back(timing);
}

bool AdminCommand::parsed() const { return admin_->parsed(); }

int AdminCommand::Run(std::ostream& out, std::ostream& err) const {
  absl::StatusOr<AdminEndpoint> endpoint = ParseServerAddress(server_, token_);
  if (!endpoint.ok()) {
    err << "connectplane admin: " << endpoint.status().message() << "\n";
    return kExitUnreachable;
  }
  AdminCall call;
  CLI::App* verb = admin_->get_subcommands().front();
  const std::string name = verb->get_name();
  if (name == "health" || name == "ready" || name == "state") {
    call = {"GET", name, ""};
  } else if (name == "reset") {
    boost::json::object body;
    if (!tenant_.empty()) body["tenant"] = tenant_;
    call = {"POST", "reset", boost::json::serialize(body)};
  } else if (name == "seed") {
    std::string text;
    std::string problem;
    if (!ReadFile(seed_file_, text, problem)) {
      err << "connectplane admin: " << problem << "\n";
      return kExitUnreachable;
    }
    call = {"POST", "seed", std::move(text)};
  } else if (name == "export") {
    call = {"GET", include_secrets_ ? "export?include_secrets=true" : "export", ""};
  } else if (name == "seed-ids") {
    boost::json::object body;
    if (id_seed_ == "none") {
      body["seed"] = nullptr;
    } else {
      // The server checks the range; a word that is no number goes as a string and is refused.
      char* end = nullptr;
      errno = 0;
      const unsigned long long value = std::strtoull(id_seed_.c_str(), &end, 10);
      if (id_seed_.empty() || *end != '\0' || errno != 0) {
        body["seed"] = id_seed_;
      } else {
        body["seed"] = static_cast<uint64_t>(value);
      }
    }
    call = {"POST", "seed-ids", boost::json::serialize(body)};
  } else if (name == "faults") {
    const std::string action = verb->get_subcommands().front()->get_name();
    if (action == "list") call = {"GET", "faults", ""};
    if (action == "add") call = {"POST", "faults", fault_json_};
    if (action == "delete") call = {"DELETE", common::StrCat("faults/", fault_id_), ""};
    if (action == "clear") call = {"DELETE", "faults", ""};
  } else if (name == "timing") {
    const bool set =
        !verb->get_subcommands().empty() && verb->get_subcommands().front()->get_name() == "set";
    call = set ? AdminCall{"PUT", "timing", timing_json_} : AdminCall{"GET", "timing", ""};
  }

  AdminClient client(*endpoint, absl::Milliseconds(static_cast<int64_t>(timeout_seconds_ * 1000)));
  absl::StatusOr<AdminReply> reply = client.Call(call.method, call.route, call.body);
  if (!reply.ok()) {
    err << "connectplane admin: " << reply.status().message() << "\n";
    return kExitUnreachable;
  }
  if (reply->status < 200 || reply->status > 299) {
    err << "connectplane admin: " << call.method << " /_connectplane/" << call.route << ": "
        << DescribeError(*reply) << "\n";
    return kExitHttpError;
  }
  if (name == "export" && !output_file_.empty() && output_file_ != "-") {
    // Written whole or not at all: a snapshot cut short would not re-import.
    const std::string partial = output_file_ + ".partial";
    {
      std::ofstream file(partial, std::ios::binary | std::ios::trunc);
      file << reply->body;
      file.close();
      if (!file) {
        err << "connectplane admin: cannot write " << partial << ": " << std::strerror(errno)
            << "\n";
        std::remove(partial.c_str());
        return kExitUnreachable;
      }
    }
    if (std::rename(partial.c_str(), output_file_.c_str()) != 0) {
      err << "connectplane admin: cannot write " << output_file_ << ": " << std::strerror(errno)
          << "\n";
      std::remove(partial.c_str());
      return kExitUnreachable;
    }
    return kExitOk;
  }
  out << reply->body;
  if (!reply->body.empty() && reply->body.back() != '\n') out << "\n";
  return kExitOk;
}

}  // namespace connectplane::admin_client
