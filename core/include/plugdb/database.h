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
#include <optional>
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
#include "plugdb/named_queries.h"
#include "plugdb/params.h"
#include "plugdb/pool_stats.h"
#include "plugdb/prepared_statement.h"
#include "plugdb/query_dialect.h"
#include "plugdb/result.h"
#include "plugdb/row_mapping.h"
#include "plugdb/rows.h"
#include "plugdb/session.h"
#include "plugdb/stale_read.h"
#include "plugdb/transaction.h"
#include "plugdb/value.h"

namespace plugdb {

class Config;

namespace detail {
class DatabaseCore;

// What transact() carries from one attempt to the next.
struct TransactState {
    std::optional<Transaction> tx;  // kept open when the last attempt restarted in place
    bool restartedInPlace = false;
};
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
    // The rows as T (row_mapping.h): a struct declared with PLUGDB_ROW, a
    // std::tuple, or the value of a one-column result. queryOne throws
    // plugdb::Error (invalid_argument) unless there is exactly one row,
    // queryOptional when there are several.
    template <class T>
    std::vector<T> queryAll(std::string_view sql, Params params = {}) {
        return detail::readAll<T>(query(sql, params));
    }
    template <class T>
    T queryOne(std::string_view sql, Params params = {}) {
        return detail::readOne<T>(query(sql, params));
    }
    template <class T>
    std::optional<T> queryOptional(std::string_view sql, Params params = {}) {
        return detail::readOptional<T>(query(sql, params), "queryOptional");
    }
    PreparedStatement prepare(std::string_view sql);
    // Inserts one row (a value per column) into `table` and returns the key
    // the database generated for column `key`: through INSERT ... RETURNING
    // where the engine has it, its last insert id otherwise (then an integer).
    // Names are quoted ("a.b" per part), values bound (query_builder.h).
    Value insertReturning(std::string_view table, const std::vector<std::string>& columns,
                          Params values, std::string_view key);
    // Runs the named query `name` from the queries folder (queries.path; the
    // rules in docs/named-queries.md), its variant for this engine if it has
    // one, with parameters bound by name: named("get-tenant", {{"tenant_id", id}}).
    // Prepared once per pooled connection and reused.
    Rows named(std::string_view name, const NamedParams& params = {});
    Result namedExec(std::string_view name, const NamedParams& params = {});
    // The named queries loaded when the database opened (empty without a folder).
    const NamedQueries& namedQueries() const;
    // Prepares every named query for this engine on one connection, so a typo
    // fails now; open() does it unless queries.prepare_on_open is false (for a
    // program that migrates after opening: call this after the migrations).
    // Throws plugdb::Error naming the query, its file and line.
    void checkNamedQueries();
    Transaction begin();
    // A read-only transaction that sees the database as it was read.staleness
    // ago (0: as recent as the engine's replicas can serve), so that a nearby
    // replica or follower may answer it. Only this call reads stale data,
    // never begin() or transact(). Throws plugdb::Error (unsupported) when
    // the driver cannot read in the past (stale_read.h).
    Transaction beginStaleRead(StaleRead read = {});
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
    // On an engine that restarts transactions in place (transaction_retry.h,
    // e.g. CockroachDB) fn runs again after ROLLBACK TO its restart savepoint
    // instead. Other errors, and the last retryable one, surface unchanged. A
    // commit whose outcome is unknown (commit_unknown) is never retried.
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
    // How the query builder spells upserts and OFFSET here (query_dialect.h).
    const QueryDialect& queryDialect() const;
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
    // transact()'s steps: BEGIN (and the restart savepoint where the driver
    // reports one); the commit (RELEASE of that savepoint first) unless fn
    // ended the transaction; after failed attempt `attempt`, rolling back (to
    // the savepoint, or the whole transaction), waiting, and true when fn
    // should run again.
    Transaction beginForTransact();
    void commitForTransact(Transaction& tx);
    bool retryTransaction(const Error& error, int attempt, detail::TransactState& state) const;

    std::shared_ptr<detail::DatabaseCore> core_;
    std::chrono::milliseconds queryTimeout_{0};
};

template <class Fn>
auto Database::transact(Fn&& fn) -> decltype(fn(std::declval<Transaction&>())) {
    detail::TransactState state;
    for (int attempt = 1;; ++attempt) {
        try {
            if (!state.tx) state.tx.emplace(beginForTransact());
            Transaction& tx = *state.tx;
            // fn may end the transaction itself; otherwise returning means commit.
            if constexpr (std::is_void_v<decltype(fn(tx))>) {
                fn(tx);
                commitForTransact(tx);
                return;
            } else {
                auto result = fn(tx);
                commitForTransact(tx);
                return result;
            }
        } catch (const Error& error) {  // an open transaction rolls back as state goes
            if (!retryTransaction(error, attempt, state)) throw;
        }
    }
}

}  // namespace plugdb
