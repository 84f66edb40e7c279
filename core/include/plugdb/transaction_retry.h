// How Database::transact() retries on an engine that restarts a transaction
// in place, reported by the driver as data (CockroachDB's client-side retry
// protocol is one such engine's).
//
// An extension interface (docs/writing-a-driver.md): a driver's Driver class
// may also inherit TransactionRetryProvider; core finds it with dynamic_cast.
// Without it, or with an empty restartSavepoint, transact() rolls back and
// runs the function again in a new transaction, as on every engine.
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <string>

namespace plugdb {

struct TransactionRetry {
    // The savepoint transact() sets right after BEGIN. When a statement or the
    // savepoint's RELEASE fails with a retryable error, core rolls back to it
    // and runs the function again in the same transaction (once in a row: a
    // second failure in a row starts a new transaction). RELEASE is the real
    // commit, so a connection lost during it is commit_unknown; COMMIT follows.
    // The backoff (transaction.*) is the same as for a new transaction.
    // Empty: a new transaction for every attempt.
    std::string restartSavepoint{};
};

// Implemented by a Driver whose engine restarts transactions in place.
class TransactionRetryProvider {
public:
    virtual ~TransactionRetryProvider();
    virtual const TransactionRetry& transactionRetry() const = 0;
};

}  // namespace plugdb
