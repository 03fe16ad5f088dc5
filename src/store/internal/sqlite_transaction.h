// The StoreTransaction of SqliteStore, defined in sqlite_transaction.cc with
// every query the store runs. Used by the one thread that holds the connection.
#pragma once

#include "store/store.h"

#include "absl/status/status.h"

namespace connectplane::store::internal {

class SqliteConnection;

// Calls fn with a StoreTransaction over `conn`, in the transaction (or
// savepoint) the caller has begun and will end, and returns fn's status. With
// `read_only`, every write method fails with Internal.
absl::Status CallWithTransaction(SqliteConnection& conn, bool read_only, TransactionFn fn);

}  // namespace connectplane::store::internal
