// Versioned schema, shared by every backend. Each migration is applied once,
// inside one transaction together with its schema_version row. Versions may
// have gaps (branches append numbers in parallel): a backend applies every
// version that has no schema_version row yet, in ascending order, even when a
// higher version is already recorded.
// Plain data; safe for concurrent use.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace connectplane::store {

struct Migration {
  int32_t version;
  std::string_view description;
  std::string_view sql;  // portable SQL (SQLite and PostgreSQL); ';'-separated statements
};

// Sorted by version ascending.
std::span<const Migration> SchemaMigrations();

}  // namespace connectplane::store
