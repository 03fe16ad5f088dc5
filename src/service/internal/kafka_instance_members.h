// The ShowInstance members a Kafka instance derives from its flavor, brokers
// and create options (addresses, cross-VPC listeners, port protocols,
// partitions, ...), filled the same way for created and seeded instances.
// Internal to the service module. Stateless functions.
#pragma once

#include "service/kafka_catalog.h"
#include "store/models.h"

#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include <string>
#include <vector>

namespace connectplane::service::internal {

// The broker addresses of an instance with `broker_num` brokers (at most 50):
// 192.168.0.11, .12, ...
std::vector<std::string> BrokerAddresses(int64_t broker_num);

// Sets every derived member that `attributes` does not already have (a seed
// or the create request may give them), from the instance's columns
// (product_id, broker_num, storage_space, available_zones_json), its flavor
// and the catalog's AZ names. `attributes` holds what the create request
// showed (ssl_enable, port_protocol, kafka_security_protocol, ...): the
// request's `port_protocol` becomes `port_protocols`. Error: InvalidArgument
// when available_zones_json is not an array of strings.
absl::Status FillDerivedInstanceMembers(boost::json::object& attributes,
                                        const store::KafkaInstance& instance,
                                        const KafkaFlavor& flavor, const KafkaCatalog& catalog);

// After a resize (brokers, storage or flavor changed): recomputes the members
// that depend on them (addresses, cross-VPC listeners, port protocol addresses
// with the same switches, partitions, node count, resource spec code, type)
// and counts the extension in extend_times. Errors: as
// FillDerivedInstanceMembers.
absl::Status RefreshResizedInstanceMembers(boost::json::object& attributes,
                                           const store::KafkaInstance& instance,
                                           const KafkaFlavor& flavor, const KafkaCatalog& catalog);

// The AZ ids `ids_or_codes` name, in order, resolved through the catalog
// (create and seeds take either). Errors: InvalidArgument
// INVALID_INSTANCE_FIELD naming the unknown, duplicate or sold-out zone; fewer
// than one or exactly two zones (DMS deploys in 1 AZ or at least 3).
absl::StatusOr<std::vector<std::string>> ResolveZoneIds(
    const std::vector<std::string>& ids_or_codes, const KafkaCatalog& catalog);

}  // namespace connectplane::service::internal
