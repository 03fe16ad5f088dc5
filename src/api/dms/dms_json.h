// Wire shapes of DMS for Kafka resources, with the field names and JSON types
// the official SDK models (docs/reference/huawei-dms-kafka-api.md). Pure functions.
#pragma once

#include "api/stages/request_stages.h"
#include "service/kafka_service.h"
#include "store/models.h"

#include "boost/json/object.hpp"
#include <cstdint>
#include <string>
#include <string_view>

namespace connectplane::api::dms {

// A 200 answer carrying `body`: what every DMS read handler returns.
stages::Reply OkJson(const boost::json::object& body);

// ShowInstance body: documented defaults, overlaid by the seeded attributes,
// overlaid by the fields the service owns (status, connector_*, ...).
boost::json::object RenderInstance(const store::KafkaInstance& instance);

// RenderInstance written straight to JSON text: the same members in the same
// order with the same values (strings may escape differently, e.g. \u0008 for
// \b). ShowInstance answers with it: the tree cost ~7 % of the request in
// allocations (36 default members built per call).
std::string RenderInstanceJson(const store::KafkaInstance& instance);

// One background task: {id, name, user_name, user_id, params, status,
// created_at, updated_at}, every value a string; status is one of EXECUTING,
// SUCCESS, FAILED; times are ISO-8601 UTC with milliseconds.
boost::json::object RenderTask(const store::Job& job);

// One Smart Connect task (SmartConnectTaskEntity): task_name, topics,
// topics_regex, source_type, source_task, sink_type, sink_task, id, status and
// create_time (ms epoch, a number). Secrets were never stored.
boost::json::object RenderConnectorTask(const store::ConnectorTask& task);

// The legacy dump-task API's views of an OBS_SINK task. Summary
// (ListSinkTasksRespTasks): {task_id, task_name, destination_type "OBS",
// create_time, status, topics}; `topics` is the topic list or, for a pattern
// task, the pattern. Detail (ShowSinkTaskDetailResponse): the same without
// task_id, plus obs_destination_descriptor {topics, topics_regex,
// consumer_strategy, destination_file_type, obs_bucket_name, obs_path,
// partition_format, record_delimiter, deliver_time_interval, obs_part_size}
// and, with `topic_info`, topics_info [{topic, partitions: []}].
inline constexpr int64_t kDefaultObsPartSize = 5242880;  // the SDK model's default
boost::json::object RenderSinkTaskSummary(const store::ConnectorTask& task);
boost::json::object RenderSinkTaskDetail(const store::ConnectorTask& task, bool topic_info);

// ShowBackgroundTaskProgress body: {progress_percentage, remain_time,
// step_list: [{name, statue, start_time, end_time}]}. "statue" is the member's
// name in the SDK models and the API reference; times are ms epoch numbers
// (the reference's example; the Node and Python SDKs type them as numbers);
// end_time is left out while a step runs.
boost::json::object RenderTaskProgress(const service::TaskProgress& progress);

// The task status string DMS shows for a job.
std::string_view TaskStatus(store::JobStatus status);

}  // namespace connectplane::api::dms
