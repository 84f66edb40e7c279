// The application-facing API: open a database by configuration, run SQL with
// bound parameters, read typed rows, use transactions.
//
// Placeholders: write "?" for every parameter on every engine; core rewrites
// it to the engine's style ($1, $2, ... on PostgreSQL). "?" inside string
// literals, quoted identifiers and comments is left alone; write "??" for a
// literal "?" operator outside them.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/sql_dialect.h"
#include "plugdb/value.h"

namespace plugdb {

class Config;
struct PluginInfo;

namespace detail {
class Lease;
class DatabaseCore;
struct RowsState;
}  // namespace detail

// A view of bound parameters: `db.exec(sql, {1, "x"})` or a std::vector<Value>.
// Non-owning: valid for the duration of the call it is passed to.
class Params {
public:
    Params() = default;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // a view by design, see above
    Params(std::initializer_list<Value> list) : data_(list.begin()), size_(list.size()) {}
#pragma GCC diagnostic pop
    Params(const std::vector<Value>& values) : data_(values.data()), size_(values.size()) {}
    Params(std::span<const Value> values) : data_(values.data()), size_(values.size()) {}
    std::span<const Value> view() const {
        return {data_, size_};
    }

private:
    const Value* data_ = nullptr;
    std::size_t size_ = 0;
};

struct Result {
    std::int64_t rowsAffected = 0;
    std::optional<std::int64_t> lastInsertId;  // set where the engine reports one
};

// Rows of a query, read forward once. Holds its connection until destroyed or
// exhausted (next() returned false); columns() and result() stay valid after.
// Another statement run on the same connection (in a Transaction or Session)
// while these rows are open does not change them: where the engine cannot run
// it beside an open cursor, core first reads the rest of these rows, the
// current one included, into memory.
class Rows {
public:
    Rows(Rows&&) noexcept;
    Rows& operator=(Rows&&) noexcept;
    ~Rows();

    const std::vector<Column>& columns() const;
    // Index of a column by name; throws invalid_argument when absent.
    std::size_t columnIndex(std::string_view name) const;
    bool next();
    // Rows affected and last insert id of the statement that produced these
    // rows (INSERT, UPDATE, DELETE, with or without RETURNING); final once
    // next() returned false.
    Result result() const;

    Value value(std::size_t column) const;
    bool isNull(std::size_t column) const { return value(column).isNull(); }
    std::int64_t getInt(std::size_t column) const { return value(column).asInt(); }
    double getDouble(std::size_t column) const { return value(column).asDouble(); }
    bool getBool(std::size_t column) const { return value(column).asBool(); }
    std::string getText(std::size_t column) const;
    Blob getBlob(std::size_t column) const;
    Timestamp getTimestamp(std::size_t column) const { return value(column).asTimestamp(); }
    // std::nullopt for NULL, the value otherwise.
    std::optional<std::int64_t> getOptionalInt(std::size_t column) const;
    std::optional<std::string> getOptionalText(std::size_t column) const;

private:
    friend class detail::Lease;
    friend class PreparedStatement;
    explicit Rows(std::unique_ptr<detail::RowsState> state);

    std::unique_ptr<detail::RowsState> state_;  // null once moved from
};

// A statement prepared once and run many times with new parameters.
// Rows it returned are valid until it runs again; after that their next() and
// value() throw invalid_argument.
class PreparedStatement {
public:
    PreparedStatement(PreparedStatement&&) noexcept;
    PreparedStatement& operator=(PreparedStatement&&) noexcept;
    ~PreparedStatement();

    Result exec(Params params = {});
    Rows query(Params params = {});
    std::size_t parameterCount() const { return parameterCount_; }

private:
    friend class detail::Lease;
    PreparedStatement(std::shared_ptr<detail::Lease> lease, std::shared_ptr<Statement> statement,
                      std::size_t parameterCount, std::uint8_t operation);
    void run(Params params);

    // Order matters: the statement is released before the connection it runs on.
    std::shared_ptr<detail::Lease> lease_;
    std::shared_ptr<Statement> statement_;
    std::shared_ptr<std::uint64_t> runs_ = std::make_shared<std::uint64_t>(0);
    std::size_t parameterCount_ = 0;
    std::uint8_t operation_ = 0;  // what it does, for the latency metric
};

// Many rows loaded into one table within a transaction: through the driver's
// bulk path where it has one (capability bulk_load, e.g. COPY on PostgreSQL),
// as batched multi-row INSERTs otherwise. Until finish(), the transaction runs
// nothing else; errors may surface only when a batch is sent or at finish().
class BulkInsert {
public:
    BulkInsert(BulkInsert&&) noexcept;
    BulkInsert& operator=(BulkInsert&&) noexcept;
    // Without finish(), abandons the load; the transaction must then roll back.
    ~BulkInsert();

    // One row, a value per column in the order given to Transaction::bulkInsert.
    void add(Params row);
    // Sends the rest and ends the load; returns the rows inserted. The
    // transaction stays open: commit it to keep the rows.
    std::int64_t finish();

    struct State;

private:
    friend class Transaction;
    explicit BulkInsert(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// A transaction on one connection. Rolled back when destroyed without commit().
class Transaction {
public:
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    Result exec(std::string_view sql, Params params = {});
    Rows query(std::string_view sql, Params params = {});
    PreparedStatement prepare(std::string_view sql);
    // Starts loading rows into `table` (one identifier, quoted by core) for the
    // given columns; see BulkInsert.
    BulkInsert bulkInsert(std::string_view table, const std::vector<std::string>& columns);

    void commit();
    void rollback();
    bool active() const { return active_; }

    // Savepoints (capability "savepoints"); names are quoted as identifiers.
    void savepoint(std::string_view name);
    void rollbackTo(std::string_view name);
    void release(std::string_view name);

private:
    friend class Database;
    friend class Session;
    explicit Transaction(std::shared_ptr<detail::Lease> lease);

    std::shared_ptr<detail::Lease> lease_;
    bool active_ = true;
};

// One connection held for the caller until destroyed, for work that needs the
// same session throughout: session-level locks, or a script whose statements
// run verbatim. Transactions begun here run on this connection too.
class Session {
public:
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    ~Session();

    Result exec(std::string_view sql, Params params = {});
    Rows query(std::string_view sql, Params params = {});
    // Runs SQL exactly as written: no placeholder rewriting, no parameters.
    void executeScript(std::string_view sql);
    Transaction begin();

private:
    friend class Database;
    explicit Session(std::shared_ptr<detail::Lease> lease);
    std::shared_ptr<detail::Lease> lease_;
};

// Connection pool statistics, named after Go's sql.DBStats.
struct PoolStats {
    int maxOpenConnections = 0;  // pool.max_open; 0 means unlimited
    int openConnections = 0;     // in use + idle (+ being opened)
    int inUse = 0;
    int idle = 0;
    std::uint64_t waitCount = 0;               // borrowers that had to wait
    std::chrono::nanoseconds waitDuration{0};  // total time they waited
    std::uint64_t maxIdleClosed = 0;           // closed because pool.max_idle was reached
    std::uint64_t maxIdleTimeClosed = 0;       // closed after pool.max_idle_time unused
    std::uint64_t maxLifetimeClosed = 0;       // closed after pool.max_lifetime
    std::uint64_t acquireTimeouts = 0;         // borrowers that gave up (pool.acquire_timeout)
    std::uint64_t created = 0;                 // connections opened
    std::uint64_t closed = 0;                  // connections closed, for any reason
    std::uint64_t brokenClosed = 0;            // closed because they broke or failed a ping
    std::uint64_t transactionRetries = 0;  // transact() attempts run again after a retryable error
};

// What the database did since it was opened, for metrics endpoints.
struct DatabaseMetrics {
    // Upper bounds, in seconds, of the statement latency histogram's buckets.
    static constexpr std::array<double, 14> kLatencyBuckets{
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
    struct Latency {
        // "select", "insert", "update", "delete", "begin", "commit", "rollback" or "other"
        std::string operation;
        // Statements that took at most each bound (cumulative, as Prometheus wants them).
        std::array<std::uint64_t, kLatencyBuckets.size()> cumulativeCounts{};
        std::uint64_t count = 0;  // all of them, including those above the last bound
        double sumSeconds = 0;
    };
    std::vector<Latency> latencies;                               // every operation
    std::vector<std::pair<ErrorCategory, std::uint64_t>> errors;  // every category, zeros included
    std::uint64_t connectRetries = 0;  // failed connection attempts that were retried
};

// Information about the open database, for ping, health and logs.
struct DatabaseInfo {
    std::string driver;         // plugin name, e.g. "sqlite"
    std::string driverVersion;  // plugin version
    std::string target;         // where it points, secrets masked
    std::uint64_t capabilities = 0;  // the plugin's, as its first connection refined them
    // The driver's SQL dialect (sql_dialect.h), refined likewise; empty when it reports none.
    std::optional<SqlDialect> sqlDialect;
};

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
