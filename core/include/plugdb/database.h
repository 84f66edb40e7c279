// The application-facing API: open a database by configuration, run SQL with
// bound parameters, read typed rows, use transactions.
//
// Placeholders: write "?" for every parameter on every engine; core rewrites
// it to the engine's style ($1, $2, ... on PostgreSQL). "?" inside string
// literals, quoted identifiers and comments is left alone; write "??" for a
// literal "?" operator outside them.
//
// This header includes every type of the API (one header each: rows.h,
// transaction.h, ...).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "plugdb/bulk_insert.h"
#include "plugdb/database_info.h"
#include "plugdb/database_metrics.h"
#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/key_value.h"
#include "plugdb/params.h"
#include "plugdb/pool_stats.h"
#include "plugdb/prepared_statement.h"
#include "plugdb/result.h"
#include "plugdb/rows.h"
#include "plugdb/session.h"
#include "plugdb/transaction.h"
#include "plugdb/value.h"

namespace plugdb {

class Config;

namespace detail {
class DatabaseCore;
}  // namespace detail

// A database opened through its driver plugin. Thread-safe: each call borrows
// a connection, so threads may share one Database.
class Database {
public:
    // Resolves the driver from configuration (db.driver or the URL scheme),
    // loads its plugin and opens a first connection, retrying while the
    // server is unreachable (connect.*). Connections are pooled (pool.*).
    // Throws plugdb::Error.
    static Database open(const Config& config);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    Result exec(std::string_view sql, Params params = {});
    Rows query(std::string_view sql, Params params = {});
    PreparedStatement prepare(std::string_view sql);
    Transaction begin();
    // Holds one connection for the caller (see Session).
    Session session();
    // The key-value pairs of one namespace (key_value.h): 1-64 bytes of
    // [A-Za-z0-9_.-]; names starting with "plugdb." are reserved.
    KeyValue kv(std::string_view ns);

    // Runs fn(Transaction&) in a transaction: commits when fn returns, rolls
    // back and rethrows when it throws. When fn or the commit fails with a
    // retryable error (serialization failure, deadlock, a driver-marked lock
    // timeout), the transaction is rolled back and fn runs again in a new one,
    // up to transaction.max_attempts times with jittered exponential backoff;
    // so fn must be safe to run again (no side effects outside the database).
    // Other errors, and the last retryable one, surface unchanged. A COMMIT
    // whose outcome is unknown (commit_unknown) is never retried.
    template <class Fn>
    auto transact(Fn&& fn) -> decltype(fn(std::declval<Transaction&>()));

    void ping();
    // A ping that gives up after maxWait, both waiting for a free connection
    // and for the answer: for health checks, which must not queue behind a
    // busy pool for pool.acquire_timeout.
    void ping(std::chrono::milliseconds maxWait);
    std::string serverVersion();
    const DatabaseInfo& info() const;
    const Dialect& dialect() const;
    PoolStats poolStats() const;
    DatabaseMetrics metrics() const;
    bool has(Capability capability) const { return (info().capabilities & capability) != 0; }

    // The same database (same pool) with another limit on how long one
    // statement call (execute, or fetching rows) may run; 0 for none. Past it
    // the statement is cancelled on the server and the call fails with a
    // timeout error. The default comes from db.query_timeout.
    Database withQueryTimeout(std::chrono::milliseconds timeout) const;
    std::chrono::milliseconds queryTimeout() const { return queryTimeout_; }

private:
    Database(std::shared_ptr<detail::DatabaseCore> core, std::chrono::milliseconds queryTimeout);
    // After failed attempt `attempt` of transact(): waits and returns true
    // when the transaction should run again.
    bool retryTransaction(const Error& error, int attempt) const;

    std::shared_ptr<detail::DatabaseCore> core_;
    std::chrono::milliseconds queryTimeout_{0};
};

template <class Fn>
auto Database::transact(Fn&& fn) -> decltype(fn(std::declval<Transaction&>())) {
    for (int attempt = 1;; ++attempt) {
        try {
            Transaction tx = begin();
            // fn may end the transaction itself; otherwise returning means commit.
            if constexpr (std::is_void_v<decltype(fn(tx))>) {
                fn(tx);
                if (tx.active()) tx.commit();
                return;
            } else {
                auto result = fn(tx);
                if (tx.active()) tx.commit();
                return result;
            }
        } catch (const Error& error) {  // the transaction is rolled back by now
            if (!retryTransaction(error, attempt)) throw;
        }
    }
}

}  // namespace plugdb
