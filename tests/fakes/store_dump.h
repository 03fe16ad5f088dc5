// Every row of every data table as one string, for tests that assert a
// request changed nothing. Uses the store's own dump, which leaves out secret
// columns (that omission is itself asserted by the tenant isolation tests).
#pragma once

#include "common/status.h"
#include "store/store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace connectplane::testing {

inline std::string DumpAllRows(store::Store& store) {
  std::string out;
  absl::Status status = store.Read([&](store::StoreTransaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<store::TableDump> tables, txn.DumpTables());
    for (const store::TableDump& table : tables) {
      out += table.table + "\n";
      for (const auto& row : table.rows) {
        for (const auto& cell : row) {
          out += cell.value_or("<null>") + "|";
        }
        out += "\n";
      }
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

}  // namespace connectplane::testing
