// Versioned schema, shared by every backend. Each migration is applied once,
// in ascending order, inside one transaction together with its schema_version
// row. Versions may have gaps (branches add numbers in parallel): a database is
// migrated by applying every listed version it has not recorded, so a version
// merged later than a higher one is still applied.
// Plain data; safe for concurrent use.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string_view>
#include <vector>

namespace connectplane::store {

struct Migration {
  int32_t version;
  std::string_view description;
  std::string_view sql;  // portable SQL (SQLite and PostgreSQL); ';'-separated statements
  // SQLite-only schema (its triggers have no portable syntax). PostgreSQL
  // records the version without running `sql`, so the numbering stays shared.
  bool sqlite_only = false;
};

// Sorted by version ascending.
std::span<const Migration> SchemaMigrations();

// The migrations whose version is not in `applied`, ascending by version.
std::vector<const Migration*> PendingMigrations(std::span<const Migration> migrations,
                                                const std::set<int32_t>& applied);

}  // namespace connectplane::store
