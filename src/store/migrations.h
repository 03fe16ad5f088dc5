// Versioned schema, shared by every backend. Each migration is applied once,
// in order, inside one transaction together with its schema_version row.
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

std::span<const Migration> SchemaMigrations();

}  // namespace connectplane::store
