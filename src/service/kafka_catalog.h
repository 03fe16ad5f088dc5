// What a DMS for Kafka region offers: its availability zones (from the seed,
// "huawei.availability_zones", or a built-in eu-de set) and the Kafka flavors
// (constant tables: kKafkaFlavors, and the first-generation products with
// dot-less ids). Instance create validates against it, ListAvailableZones,
// ListEngineProducts and the legacy ListProducts answer from it, so they agree.
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

// A first-generation flavor, named by a dot-less product id
// ("00300-30308-0--0"; the OTC API reference's legacy product list, the Huawei
// Go SDK's CreatePostPaidInstanceReq): a fixed broker count, a baseline
// bandwidth (what create's `specification` and ShowInstance's `specification`
// carry) and the older storage classes without ".v2". Its KafkaFlavor
// (FindFlavor) carries the broker, partition and storage numbers.
struct LegacyKafkaProduct {
  std::string_view product_id;
  std::string_view bandwidth;  // "100MB"
  int32_t tps;
  int64_t min_storage_space;  // GB, the legacy list's "storage"
  std::span<const std::string_view> storage_spec_codes;
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

  // The current flavors (ListEngineProducts); the legacy ones are not among them.
  static std::span<const KafkaFlavor> Flavors();
  // The current or legacy flavor of that id; nullptr for an id that is neither.
  static const KafkaFlavor* FindFlavor(std::string_view product_id);

  // The legacy products (the legacy ListProducts answer), and the one of an id
  // (nullptr for a current flavor or an unknown id).
  static std::span<const LegacyKafkaProduct> LegacyProducts();
  static const LegacyKafkaProduct* FindLegacyProduct(std::string_view product_id);
  // The storage classes create accepts for the flavor `product_id`: the
  // legacy product's own, else kKafkaStorageSpecCodes.
  static std::span<const std::string_view> StorageSpecCodes(std::string_view product_id);
  // The least storage_space create accepts for the flavor: the legacy
  // product's, else kMinKafkaStorageSpace.
  static int64_t MinStorageSpace(std::string_view product_id);
  // What an instance of the flavor shows as `specification`: a legacy
  // product's bandwidth ("100MB"), else "<product_id> * <brokers> broker".
  static std::string SpecificationOf(std::string_view product_id, int64_t brokers);

 private:
  std::vector<AvailabilityZoneRegion> regions_;  // never empty
};

}  // namespace connectplane::service
