// The parameters a service stored with a job (Job::params_json), read back by
// its handler. Written by this program, so a malformed document is a bug or a
// damaged row: every error is InvalidArgument, which fails the job for good.
#pragma once

#include "common/json_reader.h"
#include "store/models.h"

#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <string>
#include <string_view>

namespace connectplane::service::internal {

class JobParams {
 public:
  // Errors: InvalidArgument when params_json is not a JSON object.
  static absl::StatusOr<JobParams> Parse(const store::Job& job);

  // A string member; "" when absent. InvalidArgument when not a string.
  absl::StatusOr<std::string> String(std::string_view key) const;
  // A boolean member; false when absent. InvalidArgument when not a boolean.
  absl::StatusOr<bool> Bool(std::string_view key) const;
  // Any other member, with the same errors.
  common::JsonReader reader() const;

 private:
  explicit JobParams(boost::json::object object) : object_(std::move(object)) {}
  boost::json::object object_;
};

}  // namespace connectplane::service::internal
