#include "service/kafka_catalog.h"

#include "common/json_util.h"
#include "common/status.h"
#include "common/strings.h"

#include "absl/strings/ascii.h"
#include "boost/json.hpp"
#include <set>
#include <utility>

namespace connectplane::service {
namespace {

// Facts from the OTC API reference, "Querying Product Specifications List"
// (ecs_flavor_id, properties) and "Creating an Instance" (storage_space
// limits). The four flavors the example does not show take their nearest
// documented sibling's numbers (marked in docs/reference/huawei-dms-kafka-api.md).
constexpr KafkaFlavor kKafkaFlavors[] = {
    {"c6.2u4g.cluster", "cluster", "c6.large.2", "kafka.2u4g.cluster", 250, 3, 30, 200, 10000, 4000,
     100, 30000, 300000, "kafka.2u4g.cluster"},
    {"c6.4u8g.cluster", "cluster", "c6.xlarge.2", "kafka.4u8g.cluster", 500, 3, 30, 400, 20000,
     4000, 100, 100000, 600000, "kafka.4u8g.cluster"},
    {"c6.8u16g.cluster", "cluster", "c6.2xlarge.2", "kafka.8u16g.cluster", 1000, 3, 30, 800, 30000,
     4000, 100, 150000, 1500000, "kafka.8u16g.cluster"},
    {"c6.12u24g.cluster", "cluster", "c6.3xlarge.2", "kafka.12u24g.cluster", 1500, 3, 30, 1200,
     30000, 4000, 100, 200000, 1500000, "kafka.12u24g.cluster"},
    {"c6.16u32g.cluster", "cluster", "c6.4xlarge.2", "kafka.16u32g.cluster", 2000, 3, 30, 1600,
     30000, 4000, 100, 250000, 1500000, "kafka.16u32g.cluster"},
    // Ids from the Go SDK's enums (model_show_kafka_product_cores_request.go,
    // model_create_instance_by_engine_req.go); numbers from their siblings.
    {"c6.4u8g.cluster.small", "cluster", "c6.xlarge.2", "kafka.4u8g.cluster.small", 500, 3, 30, 400,
     20000, 4000, 100, 100000, 600000, "kafka.4u8g.cluster.small"},
    {"s6.2u4g.cluster.small", "cluster", "s6.large.2", "kafka.2u4g.cluster.small", 250, 3, 30, 200,
     10000, 4000, 100, 20000, 300000, "kafka.2u4g.cluster.small"},
    {"c6.2u4g.single", "single", "c6.large.2", "kafka.2u4g.single", 250, 1, 1, 200, 10000, 4000,
     100, 30000, 10000, "kafka.2u4g.single"},
    {"s6.2u4g.single.small", "single", "s6.large.2", "kafka.2u4g.single.small", 250, 1, 1, 200,
     10000, 4000, 100, 20000, 10000, "kafka.2u4g.single.small"},
};

// The first-generation products. Ids, bandwidth, partitions and least storage
// (600/1200/2400/4800 GB, up to 90,000 GB; high or ultra I/O for 100MB/300MB,
// ultra only above): the Huawei Go SDK's CreatePostPaidInstanceReq comments.
// tps, ecs_flavor_id and spec_code: the OTC API reference's legacy product
// list example. Brokers (3/3/4/8): the public IPs such an instance needs
// (huaweicloud provider, validateAndBuildPublicIpIDParam). Consumers per
// broker: the current flavors' 4000 (no source).
constexpr std::string_view kHighAndUltra[] = {"dms.physical.storage.high",
                                              "dms.physical.storage.ultra"};
constexpr std::string_view kUltraOnly[] = {"dms.physical.storage.ultra"};
constexpr int64_t kMaxLegacyStorageSpace = 90000;

constexpr LegacyKafkaProduct kLegacyKafkaProducts[] = {
    {"00300-30308-0--0", "100MB", 50000, 600, kHighAndUltra},
    {"00300-30310-0--0", "300MB", 100000, 1200, kHighAndUltra},
    {"00300-30312-0--0", "600MB", 200000, 2400, kUltraOnly},
    {"00300-30314-0--0", "1200MB", 300000, 4800, kUltraOnly},
};

// Per broker: partitions 300/3, 900/3, 1800/4, 1800/8; storage the least
// total and 90,000 GB over the brokers; bandwidth and TPS rounded down (the
// legacy list renders the totals from kLegacyKafkaProducts).
constexpr KafkaFlavor kLegacyKafkaFlavors[] = {
    {"00300-30308-0--0", "cluster", "c4.large.2", "dms.instance.kafka.cluster.c3.mini", 100, 3, 3,
     200, 30000, 4000, 33, 16666, kMaxLegacyStorageSpace, "dms.instance.kafka.cluster.c3.mini"},
    {"00300-30310-0--0", "cluster", "c4.xlarge.2", "dms.instance.kafka.cluster.c3.small.2", 300, 3,
     3, 400, 30000, 4000, 100, 33333, kMaxLegacyStorageSpace,
     "dms.instance.kafka.cluster.c3.small.2"},
    {"00300-30312-0--0", "cluster", "c4.2xlarge.2", "dms.instance.kafka.cluster.c3.middle.2", 450,
     4, 4, 600, 22500, 4000, 150, 50000, kMaxLegacyStorageSpace,
     "dms.instance.kafka.cluster.c3.middle.2"},
    {"00300-30314-0--0", "cluster", "c4.2xlarge.2", "dms.instance.kafka.cluster.c3.high.2", 225, 8,
     8, 600, 11250, 4000, 150, 37500, kMaxLegacyStorageSpace,
     "dms.instance.kafka.cluster.c3.high.2"},
};
static_assert(std::size(kLegacyKafkaFlavors) == std::size(kLegacyKafkaProducts));

// eu-de's AZ codes and names as Open Telekom Cloud spells them; the ids are
// the emulator's own (32 hex, like the real API's).
std::vector<AvailabilityZoneRegion> DefaultRegions() {
  AvailabilityZoneRegion region;
  region.region_id = "eu-de";
  region.zones = {
      {"bf84aba586ce4e948da0b97d9a7d62fb", "eu-de-01", "eu-de-01", "8002", false, true, false},
      {"bf84aba586ce4e948da0b97d9a7d62fc", "eu-de-02", "eu-de-02", "8002", false, false, false},
      {"bf84aba586ce4e948da0b97d9a7d62fd", "eu-de-03", "eu-de-03", "8002", false, false, false},
  };
  return {std::move(region)};
}

bool IsHex32(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

absl::Status SeedError(std::string_view path, std::string_view message) {
  return common::InvalidArgument("INVALID_SEED", common::StrCat("seed ", path, ": ", message));
}

absl::StatusOr<AvailabilityZone> ParseZone(const common::JsonReader& object) {
  RETURN_IF_ERROR(object.CheckKnown(
      {"id", "code", "name", "port", "sold_out", "default_az", "ipv6_enable"}));
  constexpr common::StringRules kRequired{.max_length = 64, .empty_is_absent = true};
  AvailabilityZone zone;
  ASSIGN_OR_RETURN(zone.id, object.RequiredString("id", kRequired));
  if (!IsHex32(zone.id)) {
    return SeedError(object.path(), "'id' must be 32 lower-case hex characters");
  }
  ASSIGN_OR_RETURN(zone.code, object.RequiredString("code", kRequired));
  ASSIGN_OR_RETURN(std::optional<std::string> name, object.String("name", kRequired));
  ASSIGN_OR_RETURN(std::optional<std::string> port, object.String("port", kRequired));
  ASSIGN_OR_RETURN(std::optional<bool> sold_out, object.Bool("sold_out"));
  ASSIGN_OR_RETURN(std::optional<bool> default_az, object.Bool("default_az"));
  ASSIGN_OR_RETURN(std::optional<bool> ipv6_enable, object.Bool("ipv6_enable"));
  zone.name = name.value_or(zone.code);
  zone.port = port.value_or("8002");
  zone.sold_out = sold_out.value_or(false);
  zone.default_az = default_az.value_or(false);
  zone.ipv6_enable = ipv6_enable.value_or(false);
  return zone;
}

absl::Status SeedFieldError(const common::JsonFieldError& error) {
  return SeedError(error.path, common::StrCat("must be ", error.expected));
}

}  // namespace

const KafkaCatalog& KafkaCatalog::Default() {
  static const auto* const catalog = new KafkaCatalog(DefaultRegions());
  return *catalog;
}

KafkaCatalog::KafkaCatalog(std::vector<AvailabilityZoneRegion> regions)
    : regions_(regions.empty() ? DefaultRegions() : std::move(regions)) {}

absl::StatusOr<KafkaCatalog> KafkaCatalog::FromSeedSection(
    const common::JsonReader& huawei_section) {
  if (!huawei_section.Has("availability_zones")) {
    return Default();
  }
  ASSIGN_OR_RETURN(std::vector<common::JsonReader> region_list,
                   huawei_section.ObjectList("availability_zones"));
  std::vector<AvailabilityZoneRegion> regions;
  std::set<std::string> region_ids;
  std::set<std::string> zone_keys;  // ids and codes: one namespace, as create takes both
  for (const common::JsonReader& region_object : region_list) {
    RETURN_IF_ERROR(region_object.CheckKnown({"region_id", "zones"}));
    AvailabilityZoneRegion region;
    ASSIGN_OR_RETURN(region.region_id,
                     region_object.RequiredString("region_id", {.empty_is_absent = true}));
    if (!region_ids.insert(region.region_id).second) {
      return SeedError(region_object.path(), "duplicate region_id");
    }
    ASSIGN_OR_RETURN(std::vector<common::JsonReader> zone_list, region_object.ObjectList("zones"));
    if (zone_list.empty()) {
      return SeedError(region_object.path(), "'zones' must list at least one availability zone");
    }
    for (const common::JsonReader& zone_object : zone_list) {
      ASSIGN_OR_RETURN(AvailabilityZone zone, ParseZone(zone_object));
      if (!zone_keys.insert(zone.id).second ||
          (zone.code != zone.id && !zone_keys.insert(zone.code).second)) {
        return SeedError(zone_object.path(), "duplicate availability zone id or code");
      }
      region.zones.push_back(std::move(zone));
    }
    regions.push_back(std::move(region));
  }
  if (regions.empty()) {
    return SeedError("huawei.availability_zones", "must list at least one region");
  }
  return KafkaCatalog(std::move(regions));
}

absl::StatusOr<KafkaCatalog> KafkaCatalog::FromSeed(std::string_view seed_json) {
  if (seed_json.empty()) return Default();
  ASSIGN_OR_RETURN(boost::json::object root, common::ParseJsonObject(seed_json));
  const boost::json::value* huawei = root.if_contains("huawei");
  if (huawei == nullptr || !huawei->is_object()) return Default();
  return FromSeedSection(common::JsonReader(huawei->get_object(), "huawei", &SeedFieldError));
}

const AvailabilityZoneRegion& KafkaCatalog::Region(std::string_view region_hint) const {
  for (const AvailabilityZoneRegion& region : regions_) {
    if (region.region_id == region_hint) return region;
  }
  return regions_.front();
}

const AvailabilityZone* KafkaCatalog::FindZone(std::string_view id_or_code) const {
  for (const AvailabilityZoneRegion& region : regions_) {
    for (const AvailabilityZone& zone : region.zones) {
      if (zone.id == id_or_code || zone.code == id_or_code) return &zone;
    }
  }
  return nullptr;
}

std::span<const KafkaFlavor> KafkaCatalog::Flavors() { return kKafkaFlavors; }

const KafkaFlavor* KafkaCatalog::FindFlavor(std::string_view product_id) {
  for (const KafkaFlavor& flavor : kKafkaFlavors) {
    if (flavor.product_id == product_id) return &flavor;
  }
  for (const KafkaFlavor& flavor : kLegacyKafkaFlavors) {
    if (flavor.product_id == product_id) return &flavor;
  }
  return nullptr;
}

std::span<const LegacyKafkaProduct> KafkaCatalog::LegacyProducts() { return kLegacyKafkaProducts; }

const LegacyKafkaProduct* KafkaCatalog::FindLegacyProduct(std::string_view product_id) {
  for (const LegacyKafkaProduct& product : kLegacyKafkaProducts) {
    if (product.product_id == product_id) return &product;
  }
  return nullptr;
}

std::span<const std::string_view> KafkaCatalog::StorageSpecCodes(std::string_view product_id) {
  const LegacyKafkaProduct* legacy = FindLegacyProduct(product_id);
  return legacy != nullptr ? legacy->storage_spec_codes
                           : std::span<const std::string_view>(kKafkaStorageSpecCodes);
}

int64_t KafkaCatalog::MinStorageSpace(std::string_view product_id) {
  const LegacyKafkaProduct* legacy = FindLegacyProduct(product_id);
  return legacy != nullptr ? legacy->min_storage_space : kMinKafkaStorageSpace;
}

std::string KafkaCatalog::SpecificationOf(std::string_view product_id, int64_t brokers) {
  const LegacyKafkaProduct* legacy = FindLegacyProduct(product_id);
  return legacy != nullptr ? std::string(legacy->bandwidth)
                           : common::StrCat(product_id, " * ", brokers, " broker");
}

}  // namespace connectplane::service
