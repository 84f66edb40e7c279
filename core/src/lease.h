// One borrowed connection, shared by the objects using it.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "database_core.h"
#include "metrics.h"
#include "plugdb/bulk_insert.h"
#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/params.h"
#include "plugdb/prepared_statement.h"
#include "plugdb/result.h"
#include "plugdb/rows.h"
#include "plugdb/sql.h"
#include "watchdog.h"

namespace plugdb::detail {

struct RowsState;

// One borrowed connection, shared by the objects using it (rows, statements,
// a transaction); it goes back when the last of them is gone, unless it broke.
class Lease : public std::enable_shared_from_this<Lease> {
public:
    // timeout: the longest a single call on the connection may run; 0 for no limit.
    // acquireWait: a shorter wait for a free connection than pool.acquire_timeout.
    Lease(std::shared_ptr<DatabaseCore> core, std::chrono::milliseconds timeout,
          std::optional<std::chrono::milliseconds> acquireWait = std::nullopt)
        : core_(std::move(core)),
          pooled_(core_->acquire(acquireWait)),
          conn_(pooled_.connection.get()),
          timeout_(timeout),
          concurrentCursors_((core_->info().capabilities & kCapConcurrentCursors) != 0) {}

    // A connection that broke, or whose transaction could not be rolled back,
    // is closed rather than handed to the next borrower in an unknown state.
    ~Lease() {
        if (rawTransaction_ && !broken_ && !inTransaction_) endRawTransaction();
        core_->release(std::move(pooled_), !broken_ && !inTransaction_);
    }

    Connection& connection() { return *conn_; }
    // The named queries prepared on this connection (named_statement_cache.h).
    std::shared_ptr<NamedStatementCache>& namedStatements() { return pooled_.namedStatements; }
    const DatabaseCore& core() const { return *core_; }
    void setInTransaction(bool value) { inTransaction_ = value; }

    // The bulk insert in progress on this connection, if any: nothing else may run.
    BulkInsert::State* bulk = nullptr;

    // Runs fn on the connection; a connection-category failure retires the connection.
    template <class Fn>
    auto call(Fn&& fn) -> decltype(fn()) {
        try {
            if (timeout_.count() > 0) return watched(std::forward<Fn>(fn));
            return DatabaseCore::guarded(std::forward<Fn>(fn));
        } catch (const Error& e) {
            core_->metrics().recordError(e.category());
            if (e.category() == ErrorCategory::Connection) broken_ = true;
            throw;
        }
    }

    // Runs fn under the watchdog: past the timeout the connection is
    // interrupted (the server cancels the statement) and the call fails with
    // a timeout error, even if the engine finished it anyway.
    template <class Fn>
    auto watched(Fn&& fn) -> decltype(fn()) {
        using R = decltype(fn());
        Watchdog::Ticket ticket(core_->watchdog(), *conn_, timeout_);
        auto finish = [&](const Error* cause) {
            ticket.disarm();
            if (!ticket.fired()) return;
            broken_ = true;  // an interrupt may linger, or leave the session mid-statement
            std::string message = "statement cancelled: it ran longer than the query timeout of " +
                                  std::to_string(timeout_.count()) + " ms (db.query_timeout)";
            if (cause != nullptr) message += ": " + std::string(cause->what());
            throw Error(ErrorCategory::Timeout, message, cause ? cause->details() : ErrorDetails{});
        };
        if constexpr (std::is_void_v<R>) {
            try {
                DatabaseCore::guarded(fn);
            } catch (const Error& e) {
                finish(&e);
                throw;
            }
            finish(nullptr);
        } else {
            std::optional<R> result;
            try {
                result.emplace(DatabaseCore::guarded(fn));
            } catch (const Error& e) {
                finish(&e);
                throw;
            }
            finish(nullptr);
            return std::move(*result);
        }
    }

    // call(), timing the statement for the latency metric.
    template <class Fn>
    auto timed(Operation operation, Fn&& fn) -> decltype(fn()) {
        const auto start = Clock::now();
        struct Record {
            Metrics& metrics;
            Operation operation;
            Clock::time_point start;
            ~Record() { metrics.recordLatency(operation, Clock::now() - start); }
        } record{core_->metrics(), operation, start};
        return call(std::forward<Fn>(fn));
    }

    // ---- the open cursor ----------------------------------------------------
    // Without kCapConcurrentCursors at most one cursor is open on the
    // connection: the rows registered here. Every command on the connection
    // other than reading those rows calls yieldCursor() first.
    void openCursor(RowsState* rows) {
        if (!concurrentCursors_) streaming_ = rows;
    }
    void closeCursor(const RowsState* rows) {
        if (streaming_ == rows) streaming_ = nullptr;
    }
    // Reads the open cursor, current row included, into the rows that own it,
    // unless it belongs to `statement`, which is about to run again or reset
    // (that discards the cursor; its rows were replaced).
    void yieldCursor(const Statement* statement = nullptr) noexcept;

    // Statements are destroyed through this: destroying one is a command on
    // the connection too (MySQL closes it on the server).
    struct StatementDeleter {
        Lease* lease;
        void operator()(Statement* statement) const noexcept {
            lease->yieldCursor(statement);
            delete statement;
        }
    };

    std::pair<std::shared_ptr<Statement>, std::size_t> prepareStatement(std::string_view sqlText) {
        auto rewritten = sql::rewritePlaceholders(sqlText, core_->dialect().placeholders);
        yieldCursor();
        std::unique_ptr<Statement> prepared = call([&] { return conn_->prepare(rewritten.text); });
        std::shared_ptr<Statement> statement(prepared.release(), StatementDeleter{this});
        return {std::move(statement), rewritten.parameterCount};
    }

    // After execute(): reads a row-returning statement to its end, so what it
    // reports is final (an UPDATE ... RETURNING run by exec counts its rows).
    static Result runToEnd(Statement& statement) {
        if (!statement.columns().empty())
            while (statement.next()) {
            }
        return Result{statement.rowsAffected(), statement.lastInsertId()};
    }

    // Rows over a statement just executed; `runs` is a prepared statement's run counter.
    Rows makeRows(std::shared_ptr<Statement> statement,
                  std::shared_ptr<const std::uint64_t> runs = nullptr);

    static void checkCount(std::size_t expected, Params params) {
        if (params.view().size() != expected)
            throw Error(ErrorCategory::InvalidArgument,
                        "statement has " + std::to_string(expected) + " placeholder(s) but " +
                            std::to_string(params.view().size()) + " parameter(s) were given");
    }

    // Statements run outside a Transaction object may still begin one ("BEGIN"
    // through exec): remember it, so the connection never returns to the pool
    // inside it.
    void noteTransactionControl(Operation operation) {
        if (inTransaction_) return;
        if (operation == Operation::Begin) rawTransaction_ = true;
        if (operation == Operation::Commit || operation == Operation::Rollback)
            rawTransaction_ = false;
    }

    Result exec(std::string_view sqlText, Params params) {
        auto [statement, count] = prepareStatement(sqlText);
        checkCount(count, params);
        const Operation operation = operationOf(sqlText);
        noteTransactionControl(operation);
        return timed(operation, [&] {
            statement->execute(params.view());
            return runToEnd(*statement);
        });
    }

    Rows query(std::string_view sqlText, Params params) {
        auto [statement, count] = prepareStatement(sqlText);
        checkCount(count, params);
        const Operation operation = operationOf(sqlText);
        noteTransactionControl(operation);
        timed(operation, [&] { statement->execute(params.view()); });
        return makeRows(std::move(statement));
    }

    PreparedStatement prepare(std::string_view sqlText) {
        auto [statement, count] = prepareStatement(sqlText);
        return PreparedStatement(shared_from_this(), std::move(statement), count,
                                 static_cast<std::uint8_t>(operationOf(sqlText)));
    }

private:
    // The borrower left a transaction it began with raw SQL open: roll it back
    // (the next borrower must not inherit it), or retire the connection.
    void endRawTransaction() noexcept {
        try {
            DatabaseCore::guarded([&] { conn_->rollback(); });
            Poco::Logger::get("plugdb.database")
                .warning(
                    "a connection came back inside a transaction begun with raw SQL "
                    "(BEGIN without COMMIT or ROLLBACK); rolled it back. Use "
                    "Database::begin() or transact() for transactions.");
        } catch (...) {
            broken_ = true;
        }
    }

    std::shared_ptr<DatabaseCore> core_;
    PooledConnection pooled_;
    Connection* conn_;  // pooled_'s connection
    std::chrono::milliseconds timeout_;
    bool broken_ = false;
    bool inTransaction_ = false;
    bool rawTransaction_ = false;  // a raw BEGIN ran and no COMMIT/ROLLBACK since
    const bool concurrentCursors_;
    RowsState* streaming_ = nullptr;  // the rows whose cursor is open, if tracked
};

// Refusals shared by Transaction and Session.
inline void requireNotMovedFrom(const std::shared_ptr<Lease>& lease, const char* what) {
    if (!lease) throw Error(ErrorCategory::InvalidArgument, std::string(what) + " was moved from");
}

inline void requireActive(bool active, const Lease& lease) {
    if (!active)
        throw Error(ErrorCategory::InvalidArgument,
                    "the transaction is already committed or rolled back");
    if (lease.bulk != nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "a bulk insert is in progress on this transaction: finish() it first");
}

}  // namespace plugdb::detail
