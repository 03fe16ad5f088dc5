#include "service/internal/job_params.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include <optional>
#include <utility>

namespace connectplane::service::internal {
namespace {

absl::Status ParamsError(const common::JsonFieldError& error) {
  return absl::InvalidArgumentError(
      common::StrCat("job parameter '", error.path, "' must be ", error.expected));
}

}  // namespace

absl::StatusOr<JobParams> JobParams::Parse(const store::Job& job) {
  absl::StatusOr<boost::json::object> object = common::ParseJsonObject(job.params_json);
  if (!object.ok()) {
    return absl::InvalidArgumentError(common::StrCat(
        "job ", job.job_id, " has malformed parameters: ", object.status().message()));
  }
  return JobParams(std::move(*object));
}

common::JsonReader JobParams::reader() const {
  return common::JsonReader(object_, "", &ParamsError);
}

absl::StatusOr<std::string> JobParams::String(std::string_view key) const {
  ASSIGN_OR_RETURN(std::optional<std::string> value, reader().String(key));
  return value.value_or(std::string());
}

absl::StatusOr<bool> JobParams::Bool(std::string_view key) const {
  ASSIGN_OR_RETURN(std::optional<bool> value, reader().Bool(key));
  return value.value_or(false);
}

}  // namespace connectplane::service::internal
