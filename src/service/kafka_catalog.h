// What a DMS for Kafka region offers: its availability zones (from the seed,
// "huawei.availability_zones", or a built-in eu-de set) and the Kafka flavors
// (one constant table, kKafkaFlavors). Instance create validates against it,
// ListAvailableZones and ListEngineProducts answer from it, so the three agree.
// Immutable after construction: safe for concurrent use.
#pragma once

#include "common/json_reader.h"

#include "absl/status/statusor.h"
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connectplane::service {

// One AZ as GET /v2/available-zones shows it. `id` is what instances store and
// create takes (32 hex characters), `code` what Terraform users write
// ("eu-de-01").
struct AvailabilityZone {
  std::string id;
  std::string code;
  std::string name;
  std::string port = "8002";
  bool sold_out = false;  // sold out: listed, but no instance can be created in it
  bool default_az = false;
  bool ipv6_enable = false;
};

struct AvailabilityZoneRegion {
  std::string region_id;
  std::vector<AvailabilityZone> zones;
};

// One Kafka flavor (ListEngineProducts entry). Numbers are the official
// example's (OTC API reference, "Querying Product Specifications List").
struct KafkaFlavor {
  std::string_view product_id;  // what create takes as product_id, e.g. c6.2u4g.cluster
  std::string_view type;        // cluster | single
  std::string_view ecs_flavor_id;
  std::string_view resource_spec_code;  // ShowInstance resource_spec_code
  int32_t max_partition_per_broker;
  int32_t min_broker;
  int32_t max_broker;
  int32_t min_storage_per_node;  // GB
  int32_t max_storage_per_node;  // GB
  int32_t max_consumer_per_broker;
  int32_t max_bandwidth_per_broker;  // MB/s
  int32_t max_tps_per_broker;
  int64_t max_storage_space;  // GB, the create limit (storage_space)
  std::string_view product_alias;
};

// The storage classes (io_spec) every flavor offers, and the engine versions.
inline constexpr std::string_view kKafkaStorageSpecCodes[] = {"dms.physical.storage.high.v2",
                                                              "dms.physical.storage.ultra.v2"};
inline constexpr std::string_view kKafkaEngineVersions[] = {"1.1.0", "2.3.0", "2.7", "3.x"};
inline constexpr int64_t kMinKafkaStorageSpace = 300;  // GB, every flavor

class KafkaCatalog {
 public:
  // The built-in catalog: region eu-de, AZs eu-de-01..03.
  static const KafkaCatalog& Default();

  // Reads "availability_zones" of the seed's "huawei" section:
  //   [{region_id, zones: [{id (32 hex), code, name, port?, sold_out?, default_az?,
  //                         ipv6_enable?}]}]
  // Absent: the built-in catalog. Errors: InvalidArgument from `section`'s
  // error factory, naming the path (duplicate ids/codes, malformed id).
  static absl::StatusOr<KafkaCatalog> FromSeedSection(const common::JsonReader& huawei_section);
  // The same from a whole seed document ("" or no section: the built-in
  // catalog). Errors: InvalidArgument naming the path.
  static absl::StatusOr<KafkaCatalog> FromSeed(std::string_view seed_json);

  explicit KafkaCatalog(std::vector<AvailabilityZoneRegion> regions);

  // The region a request is answered for: the one named `region_hint` when the
  // catalog has it, else the first listed.
  const AvailabilityZoneRegion& Region(std::string_view region_hint = "") const;
  std::span<const AvailabilityZoneRegion> Regions() const { return regions_; }

  // The AZ whose id or code is `id_or_code`, in any region; nullptr if none.
  const AvailabilityZone* FindZone(std::string_view id_or_code) const;

  static std::span<const KafkaFlavor> Flavors();
  // nullptr for an id that is not a Kafka flavor.
  static const KafkaFlavor* FindFlavor(std::string_view product_id);

 private:
  std::vector<AvailabilityZoneRegion> regions_;  // never empty
};

}  // namespace connectplane::service
