// The StoreTransaction of PostgresStore, defined in postgres_transaction.cc
// with every query the store runs. Used by the one thread that holds the
// connection.
#pragma once

#include "store/store.h"

#include "absl/status/status.h"

namespace connectplane::store::internal {

class PgConnection;

// Calls fn with a StoreTransaction over `connection`, in the transaction the
// caller has begun and will end. Returns fn's status; when fn returned OK
// after swallowing a failed statement, that statement's error instead: the
// failure aborted the PostgreSQL transaction, so a COMMIT would silently roll
// back. When the failed statement is one that running the transaction again
// can cure (IsRetryableTransactionError: deadlock victim, serialization
// failure), that error is returned whatever fn made of it (a service may have
// turned it into a domain refusal), so that the caller can retry.
absl::Status CallWithTransaction(PgConnection& connection, bool read_only, TransactionFn fn);

}  // namespace connectplane::store::internal
