// Real SQLite files made by the store, and ways to damage them the way a bad
// disk or a stray write would: garbage over whole pages. For the start-up
// integrity check tests. Header-only so each test binary compiles it with its
// own flags.
#pragma once

#include "common/status.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

namespace connectplane::testing {

inline constexpr int64_t kSqlitePageSize = 4096;  // SQLite's default, which the store keeps

// A fresh path in the temp directory for this test, with no database files.
inline std::string TempDatabasePath(const std::string& stem) {
  std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::string path = (std::filesystem::temp_directory_path() /
                      (stem + "-" + test_name + "-" + std::to_string(::getpid()) + ".db"))
                         .string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

inline void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

// Makes a database at `path` through the store (schema, then `instances` Kafka
// instances of about a quarter page each), closed, so everything is in the
// main file. Returns its size in pages.
inline int64_t MakeStoreDatabase(const std::string& path, int instances = 400) {
  {
    auto store = store::SqliteStore::Open(path);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return 0;
    absl::Status written = (*store)->Write([&](store::StoreTransaction& txn) -> absl::Status {
      for (int index = 0; index < instances; ++index) {
        store::KafkaInstance instance;
        instance.project_id = "p1";
        instance.instance_id = "i-" + std::to_string(100000 + index);
        instance.name = "instance-" + std::to_string(index);
        instance.status = "RUNNING";
        instance.specification = "100MB";
        instance.attributes_json = R"({"padding":")" + std::string(1000, 'x') + R"("})";
        instance.created_at_ms = 1000 + index;
        instance.updated_at_ms = 1000 + index;
        RETURN_IF_ERROR(txn.InsertKafkaInstance(instance));
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(written.ok()) << written;
  }
  EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << "WAL not checkpointed on close";
  return static_cast<int64_t>(std::filesystem::file_size(path)) / kSqlitePageSize;
}

// Overwrites `count` whole pages from page `first_page` (1-based, as SQLite
// numbers them) with pseudo-random bytes (fixed seed: the same garbage every run).
inline void WriteGarbagePages(const std::string& path, int64_t first_page, int64_t count) {
  std::mt19937 random(20261201);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(file.good()) << path;
  file.seekp((first_page - 1) * kSqlitePageSize);
  for (int64_t byte = 0; byte < count * kSqlitePageSize; ++byte) {
    file.put(static_cast<char>(random() & 0xff));
  }
  ASSERT_TRUE(file.good());
}

}  // namespace connectplane::testing
