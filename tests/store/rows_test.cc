// The row formats of store/internal/rows.h are defined once for both
// backends; these tests check that each one is consistent with itself (every
// reader and binder covers exactly its column list) and that the SQL built from
// the lists is the SQL the backends ran before.
#include "store/internal/rows.h"

#include "store/internal/sql_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace connectplane::store::internal {
namespace {

// Counts what a binder binds.
struct CountingParams {
  int bound = 0;
  CountingParams& Bind(std::string_view) {
    ++bound;
    return *this;
  }
  CountingParams& Bind(int64_t) {
    ++bound;
    return *this;
  }
  CountingParams& BindNull() {
    ++bound;
    return *this;
  }
};

// Records which columns a reader reads. Text is a valid job status, so the
// job reader reads to the end.
struct RecordingRow {
  mutable std::set<int> read;
  std::string Text(int column) const {
    read.insert(column);
    return "PENDING";
  }
  int64_t Int(int column) const {
    read.insert(column);
    return 0;
  }
  bool IsNull(int column) const {
    read.insert(column);
    return false;
  }
};

template <class Format>
class RowFormatTest : public ::testing::Test {};

using Formats = ::testing::Types<HuaweiCredentialRow, KafkaInstanceRow, ConnectorTaskRow, JobRow,
                                 ZenlayerCredentialRow, ZenlayerTokenRow, ZenlayerPortRow,
                                 PrivateConnectRow, ZenlayerCloudRegionRow, AuditEntryRow,
                                 IdempotencyRecordRow, KafkaInstanceItemRow>;
TYPED_TEST_SUITE(RowFormatTest, Formats);

TYPED_TEST(RowFormatTest, ReadReadsEveryColumnOnce) {
  RecordingRow row;
  (void)TypeParam::Read(row);
  EXPECT_EQ(row.read.size(), ColumnCount(TypeParam::kColumns));
  EXPECT_EQ(*row.read.rbegin(), static_cast<int>(ColumnCount(TypeParam::kColumns)) - 1);
}

TYPED_TEST(RowFormatTest, BindInsertBindsEveryColumn) {
  CountingParams params;
  typename TypeParam::Value value{};
  if constexpr (std::is_same_v<TypeParam, AuditEntryRow>) {
    TypeParam::BindInsert(params, value, "audit-1");
  } else {
    TypeParam::BindInsert(params, value);
  }
  EXPECT_EQ(params.bound, static_cast<int>(ColumnCount(TypeParam::kColumns)));
}

TYPED_TEST(RowFormatTest, KeyAndUpdatedColumnsAreColumns) {
  for (size_t i = 0; i < ColumnCount(TypeParam::kKey); ++i) {
    EXPECT_TRUE(HasColumn(TypeParam::kColumns, Column(TypeParam::kKey, i)))
        << Column(TypeParam::kKey, i);
  }
  if constexpr (requires { TypeParam::kUpdated; }) {
    for (size_t i = 0; i < ColumnCount(TypeParam::kUpdated); ++i) {
      std::string_view column = Column(TypeParam::kUpdated, i);
      EXPECT_TRUE(HasColumn(TypeParam::kColumns, column)) << column;
      EXPECT_FALSE(HasColumn(TypeParam::kKey, column)) << column;
    }
  }
}

TYPED_TEST(RowFormatTest, BindUpdateBindsUpdatedColumnsKeyAndVersion) {
  if constexpr (requires { TypeParam::kUpdated; }) {
    CountingParams params;
    typename TypeParam::Value value{};
    TypeParam::BindUpdate(params, value);
    const bool versioned = HasColumn(TypeParam::kColumns, "version");
    EXPECT_EQ(params.bound, static_cast<int>(ColumnCount(TypeParam::kUpdated) +
                                             ColumnCount(TypeParam::kKey) + (versioned ? 1 : 0)));
  }
}

TEST(SqlTextTest, CompareAndSwapStatementsInBothPlaceholderStyles) {
  EXPECT_EQ(kSql<[] { return CasUpdateSql<KafkaInstanceRow>(Placeholders::kNumbered); }>,
            "UPDATE kafka_instances SET name = $1, status = $2, specification = $3, "
            "attributes_json = $4, connector_enabled = $5, connector_id = $6, "
            "connector_node_num = $7, connector_spec_code = $8, connector_specification = $9, "
            "product_id = $10, engine_version = $11, broker_num = $12, storage_space = $13, "
            "storage_spec_code = $14, available_zones_json = $15, "
            "updated_at_ms = $16, version = version + 1 "
            "WHERE project_id = $17 AND instance_id = $18 AND version = $19");
  EXPECT_EQ(kSql<[] { return CasUpdateSql<ConnectorTaskRow>(Placeholders::kQuestionMarks); }>,
            "UPDATE kafka_connector_tasks SET task_name = ?, status = ?, config_json = ?, "
            "pending_job_id = ?, updated_at_ms = ?, version = version + 1 "
            "WHERE project_id = ? AND instance_id = ? AND task_id = ? AND version = ?");
  EXPECT_EQ(kSql<[] { return CasDeleteSql<PrivateConnectRow>(Placeholders::kNumbered); }>,
            "DELETE FROM zenlayer_private_connects "
            "WHERE account_id = $1 AND private_connect_id = $2 AND version = $3");
  EXPECT_EQ(kSql<[] { return SelectVersionSql<PrivateConnectRow>(Placeholders::kQuestionMarks); }>,
            "SELECT version FROM zenlayer_private_connects "
            "WHERE account_id = ? AND private_connect_id = ?");
}

TEST(SqlTextTest, InsertUpsertUpdateAndSelect) {
  EXPECT_EQ(kSql<[] { return InsertSql<ZenlayerPortRow>(Placeholders::kNumbered); }>,
            "INSERT INTO zenlayer_ports (account_id, port_id, port_name, dc_id, port_status, "
            "attributes_json, created_at_ms, updated_at_ms, recycled_at_ms, expired_at_ms, "
            "version, tags_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
  EXPECT_EQ(kSql<[] { return CasUpdateSql<ZenlayerPortRow>(Placeholders::kNumbered); }>,
            "UPDATE zenlayer_ports SET port_name = $1, port_status = $2, attributes_json = $3, "
            "updated_at_ms = $4, recycled_at_ms = $5, expired_at_ms = $6, version = version + 1 "
            "WHERE account_id = $7 AND port_id = $8 AND version = $9");
  EXPECT_EQ(kSql<[] { return UpsertSql<IdempotencyRecordRow>(Placeholders::kQuestionMarks); }>,
            "INSERT INTO idempotency_keys (scope, idem_key, request_hash, http_status, "
            "response_body, created_at_ms) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (scope, idem_key) DO UPDATE SET request_hash = excluded.request_hash, "
            "http_status = excluded.http_status, response_body = excluded.response_body, "
            "created_at_ms = excluded.created_at_ms");
  EXPECT_EQ(kSql<[] { return UpdateSql<JobRow>(Placeholders::kNumbered); }>,
            "UPDATE jobs SET status = $1, updated_at_ms = $2, due_at_ms = $3, attempts = $4, "
            "error = $5, reads_remaining = $6, lease_owner = $7, lease_expires_at_ms = $8 "
            "WHERE job_id = $9");
  EXPECT_EQ(kSql<[] { return SelectSql<ZenlayerCredentialRow>(" WHERE access_key_id = ?"); }>,
            "SELECT access_key_id, access_key_password, account_id FROM zenlayer_credentials "
            "WHERE access_key_id = ?");
}

TEST(SqlTextTest, ColumnListsSplitIntoColumns) {
  static_assert(ColumnCount(PrivateConnectRow::kColumns) == 18);
  static_assert(Column(JobRow::kColumns, 0) == "job_id");
  static_assert(Column(JobRow::kColumns, 16) == "lease_expires_at_ms");
  static_assert(HasColumn(ConnectorTaskRow::kKey, "task_id"));
  static_assert(!HasColumn(ConnectorTaskRow::kKey, "task"));
  EXPECT_EQ(Column("a, b, c", 1), "b");
}

TEST(SqlTextTest, TextIsNulTerminatedForSqlite) {
  constexpr std::string_view kText = kSql<[] { return SelectSql<JobRow>(""); }>;
  EXPECT_EQ(kText.data()[kText.size()], '\0');
}

TEST(CasFailureTest, NotFoundWhenTheRowIsGoneAbortedWhenItsVersionMovedOn) {
  EXPECT_EQ(CasFailure("kafka instance", "i-1", std::nullopt, 3),
            absl::NotFoundError("kafka instance i-1"));
  EXPECT_EQ(
      CasFailure("private connect", "pc-1", 5, 3),
      absl::AbortedError("private connect pc-1 changed concurrently (version 5, expected 3)"));
}

TEST(KeyTakenTest, NamesTheRowAndForTasksTheirName) {
  EXPECT_EQ(KeyTaken<KafkaInstanceRow>("i-1"),
            absl::AlreadyExistsError("kafka instance i-1 already exists"));
  EXPECT_EQ(KeyTaken<ConnectorTaskRow>("t-1"),
            absl::AlreadyExistsError("connector task t-1 or its name already exists"));
}

}  // namespace
}  // namespace connectplane::store::internal
