#include "plugdb/database.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

#include "datasource.h"
#include "metrics.h"
#include "plugdb/config.h"
#include "plugdb/engine_traits.h"
#include "plugdb/registry.h"
#include "plugdb/secrets.h"
#include "plugdb/sql.h"
#include "pool.h"
#include "retry.h"
#include "watchdog.h"

namespace plugdb {
namespace detail {

// Holds the driver, where it connects, and the pool of its connections.
class DatabaseCore : public std::enable_shared_from_this<DatabaseCore> {
public:
    DatabaseCore(LoadedDriver driver, DataSource source, DatabaseInfo info, PoolSettings pool)
        : driver_(std::move(driver)),
          source_(std::move(source)),
          info_(std::move(info)),
          pool_(pool, [this] {
              return guarded([&] { return refined(driver_.driver->connect(source_)); });
          }) {
        const EngineTraits declared = declaredTraits(*driver_.driver, driver_.info.capabilities);
        dialect_ = declared.dialect;
        info_.sqlDialect = declared.sql;
    }

    PooledConnection acquire(std::optional<std::chrono::milliseconds> maxWait = std::nullopt) {
        return pool_.acquire(maxWait);
    }
    void release(PooledConnection pooled, bool reusable) {
        pool_.release(std::move(pooled), reusable);
    }
    PoolStats poolStats() const {
        PoolStats stats = pool_.stats();
        stats.transactionRetries = metrics_.transactionRetries();
        return stats;
    }

    Watchdog& watchdog() { return watchdog_; }
    Metrics& metrics() { return metrics_; }
    const Metrics& metrics() const { return metrics_; }

    const RetryPolicy& transactionRetry() const { return transactionRetry_; }
    void setTransactionRetry(RetryPolicy policy) { transactionRetry_ = policy; }

    const Dialect& dialect() const { return dialect_; }
    const DatabaseInfo& info() const { return info_; }

    // The first connection refines the plugin's traits (engine_traits.h); they
    // hold from then on. It connects in open(), before another thread sees this core.
    std::unique_ptr<Connection> refined(std::unique_ptr<Connection> connection) {
        std::call_once(refined_, [&] {
            EngineTraits traits = declaredTraits(*driver_.driver, driver_.info.capabilities);
            refineTraits(*connection, traits);
            info_.capabilities = traits.capabilities;
            info_.sqlDialect = std::move(traits.sql);
            dialect_ = traits.dialect;
        });
        return connection;
    }

    // Runs a driver call so that only plugdb::Error leaves it, with secrets masked.
    template <class Fn>
    static auto guarded(Fn&& fn) -> decltype(fn()) {
        try {
            return fn();
        } catch (const Error& e) {
            const std::string masked = secrets::mask(e.what());
            if (masked == e.what()) throw;
            throw Error(e.category(), masked, e.details());
        } catch (const std::exception& e) {
            throw Error(ErrorCategory::Other, secrets::mask(e.what()));
        }
    }

private:
    LoadedDriver driver_;
    DataSource source_;
    DatabaseInfo info_;
    Dialect dialect_;
    std::once_flag refined_;
    RetryPolicy transactionRetry_;
    Metrics metrics_;
    Watchdog watchdog_;
    ConnectionPool pool_;  // last: its connections close before the driver they came from
};

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
        noteTransactionControl(operationOf(sqlText));
        return timed(operationOf(sqlText), [&] {
            statement->execute(params.view());
            return runToEnd(*statement);
        });
    }

    Rows query(std::string_view sqlText, Params params) {
        auto [statement, count] = prepareStatement(sqlText);
        checkCount(count, params);
        noteTransactionControl(operationOf(sqlText));
        timed(operationOf(sqlText), [&] { statement->execute(params.view()); });
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

// What a Rows holds: the statement and its connection while the cursor is
// open; once exhausted or read into memory, only what it still reports.
struct RowsState {
    RowsState(std::shared_ptr<Lease> owner, std::shared_ptr<Statement> stmt,
              std::shared_ptr<const std::uint64_t> runCounter)
        : lease(std::move(owner)),
          statement(std::move(stmt)),
          runs(std::move(runCounter)),
          run(runs ? *runs : 0) {}
    ~RowsState() { release(); }
    RowsState(const RowsState&) = delete;
    RowsState& operator=(const RowsState&) = delete;

    // A prepared statement ran again since these rows were made: its cursor is another run's.
    bool replaced() const { return runs && *runs != run; }

    // Gives the statement and the connection back. A prepared statement
    // outlives its rows: its cursor is reset now, so it holds no read
    // snapshot, locks or unread rows until it runs again.
    void release() noexcept {
        if (!statement) return;
        lease->closeCursor(this);
        if (runs && !replaced()) {
            lease->yieldCursor(statement.get());
            try {
                lease->call([&] { statement->reset(); });
            } catch (...) {  // a broken connection is retired by call()
            }
        }
        statement.reset();  // before the connection it runs on
        lease.reset();
    }

    // Exhausted: keeps what columns() and result() report, gives the rest back.
    void finish() {
        columns = statement->columns();
        try {
            result = lease->call([&] {
                return Result{statement->rowsAffected(), statement->lastInsertId()};
            });
        } catch (const Error&) {  // result() then reports nothing affected
            result = Result{};
        }
        release();
        finished = true;
    }

    // Another command needs the connection: reads the current row and the
    // rest into memory. An error on the way is kept for next() to throw after
    // the rows read before it.
    void buffer() noexcept {
        inMemory = true;
        try {
            columns = statement->columns();
            auto readRow = [&] {
                std::vector<Value> values;
                values.reserve(columns.size());
                for (std::size_t c = 0; c < columns.size(); ++c)
                    values.push_back(statement->get(c));
                return values;
            };
            if (onRow) current = lease->call(readRow);
            while (lease->call([&] {
                if (!statement->next()) return false;
                pending.push_back(readRow());
                return true;
            })) {
            }
            result = lease->call([&] {
                return Result{statement->rowsAffected(), statement->lastInsertId()};
            });
        } catch (const Error& e) {
            error = e;
        } catch (const std::exception& e) {
            error = Error(ErrorCategory::Other, e.what());
        }
        release();
        finished = true;
    }

    // Declared first: the statement is released before the connection it runs on.
    std::shared_ptr<Lease> lease;
    std::shared_ptr<Statement> statement;
    // For rows of a PreparedStatement: its run counter, and the run these rows belong to.
    std::shared_ptr<const std::uint64_t> runs;
    std::uint64_t run = 0;
    bool onRow = false;
    bool finished = false;        // exhausted or in memory: statement and lease given back
    std::vector<Column> columns;  // once finished
    Result result;                // once finished

    // Read into memory by buffer(): the rows not handed out yet, the current
    // one, and the error that ended the reading, if any.
    bool inMemory = false;
    std::deque<std::vector<Value>> pending;
    std::optional<std::vector<Value>> current;
    std::optional<Error> error;
};

void Lease::yieldCursor(const Statement* statement) noexcept {
    RowsState* rows = std::exchange(streaming_, nullptr);
    if (rows == nullptr || (statement != nullptr && rows->statement.get() == statement)) return;
    const auto keep = weak_from_this().lock();  // the rows give their share of this lease back
    rows->buffer();
}

Rows Lease::makeRows(std::shared_ptr<Statement> statement,
                     std::shared_ptr<const std::uint64_t> runs) {
    auto state =
        std::make_unique<RowsState>(shared_from_this(), std::move(statement), std::move(runs));
    if (!call([&] { return state->statement->columns().empty(); })) openCursor(state.get());
    return Rows(std::move(state));
}

}  // namespace detail

// ---- Rows -------------------------------------------------------------------

Rows::Rows(std::unique_ptr<detail::RowsState> state) : state_(std::move(state)) {}
Rows::Rows(Rows&&) noexcept = default;
Rows& Rows::operator=(Rows&&) noexcept = default;
Rows::~Rows() = default;

namespace {
void requireCurrentRun(const detail::RowsState& state) {
    if (state.replaced())
        throw Error(ErrorCategory::InvalidArgument,
                    "these rows are gone: their prepared statement ran again");
}
}  // namespace

const std::vector<Column>& Rows::columns() const {
    static const std::vector<Column> kNone;
    if (!state_) return kNone;
    if (state_->finished) return state_->columns;
    return state_->statement->columns();
}

std::size_t Rows::columnIndex(std::string_view name) const {
    const auto& cols = columns();
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i].name == name) return i;
    throw Error(ErrorCategory::InvalidArgument, "no column named '" + std::string(name) + "'");
}

bool Rows::next() {
    if (!state_) return false;
    detail::RowsState& s = *state_;
    if (s.inMemory) {
        s.current.reset();
        s.onRow = !s.pending.empty();
        if (s.onRow) {
            s.current = std::move(s.pending.front());
            s.pending.pop_front();
        } else if (s.error) {
            Error error = std::move(*s.error);
            s.error.reset();
            throw error;
        }
        return s.onRow;
    }
    if (s.finished) return false;
    requireCurrentRun(s);
    s.onRow = s.lease->call([&] { return s.statement->next(); });
    if (!s.onRow) s.finish();
    return s.onRow;
}

Result Rows::result() const {
    if (!state_) return {};
    if (state_->finished) return state_->result;
    return state_->lease->call([&] {
        return Result{state_->statement->rowsAffected(), state_->statement->lastInsertId()};
    });
}

Value Rows::value(std::size_t column) const {
    if (!state_ || !state_->onRow)
        throw Error(ErrorCategory::InvalidArgument, "no current row: call next() first");
    if (column >= columns().size())
        throw Error(ErrorCategory::InvalidArgument, "column " + std::to_string(column) +
                                                        " out of range (the result has " +
                                                        std::to_string(columns().size()) + ")");
    detail::RowsState& s = *state_;
    if (s.inMemory) {
        if (!s.current) throw Error(ErrorCategory::InvalidArgument, "no current row");
        return (*s.current)[column];
    }
    requireCurrentRun(s);
    return s.lease->call([&] { return s.statement->get(column); });
}

std::string Rows::getText(std::size_t column) const {
    return value(column).asText();
}
Blob Rows::getBlob(std::size_t column) const {
    return value(column).asBlob();
}

std::optional<std::int64_t> Rows::getOptionalInt(std::size_t column) const {
    Value v = value(column);
    if (v.isNull()) return std::nullopt;
    return v.asInt();
}

std::optional<std::string> Rows::getOptionalText(std::size_t column) const {
    Value v = value(column);
    if (v.isNull()) return std::nullopt;
    return std::move(v).asText();
}

// ---- PreparedStatement ------------------------------------------------------

PreparedStatement::PreparedStatement(std::shared_ptr<detail::Lease> lease,
                                     std::shared_ptr<Statement> statement,
                                     std::size_t parameterCount, std::uint8_t operation)
    : lease_(std::move(lease)),
      statement_(std::move(statement)),
      parameterCount_(parameterCount),
      operation_(operation) {}
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;

PreparedStatement& PreparedStatement::operator=(PreparedStatement&& other) noexcept {
    if (this != &other) {
        statement_.reset();  // before the connection it runs on
        lease_ = std::move(other.lease_);
        statement_ = std::move(other.statement_);
        runs_ = std::move(other.runs_);
        parameterCount_ = other.parameterCount_;
        operation_ = other.operation_;
    }
    return *this;
}
PreparedStatement::~PreparedStatement() = default;

void PreparedStatement::run(Params params) {
    if (!statement_) throw Error(ErrorCategory::InvalidArgument, "statement was moved from");
    detail::Lease::checkCount(parameterCount_, params);
    if (lease_->bulk != nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "a bulk insert is in progress on this connection: finish() it first");
    lease_->yieldCursor(statement_.get());
    ++*runs_;
    lease_->noteTransactionControl(static_cast<detail::Operation>(operation_));
    lease_->timed(static_cast<detail::Operation>(operation_),
                  [&] { statement_->execute(params.view()); });
}

Result PreparedStatement::exec(Params params) {
    run(params);
    return lease_->call([&] { return detail::Lease::runToEnd(*statement_); });
}

Rows PreparedStatement::query(Params params) {
    run(params);
    return lease_->makeRows(statement_, runs_);
}

// ---- BulkInsert -------------------------------------------------------------

namespace {
// Bound parameters per multi-row INSERT: under every engine's limit (SQLite
// allows 32766 by default, PostgreSQL and MySQL 65535).
constexpr std::size_t kMaxBatchParameters = 32766;
// Rows per multi-row INSERT: larger batches stopped paying off in bench/.
constexpr std::size_t kMaxBatchRows = 1000;
}  // namespace

struct BulkInsert::State {
    std::shared_ptr<detail::Lease> lease;
    std::string table;    // quoted
    std::string columns;  // quoted, comma-separated
    std::size_t columnCount = 0;
    std::unique_ptr<BulkWriter> writer;  // the driver's bulk path, or null

    // Without a driver path: rows wait here until a batch is full.
    std::size_t batchRows = 0;
    std::vector<Value> pending;
    std::unique_ptr<Statement> fullBatch;  // the INSERT for batchRows rows, prepared once

    std::int64_t inserted = 0;
    bool open = true;

    ~State() { abandon(); }

    void requireOpen() const {
        if (!open)
            throw Error(ErrorCategory::InvalidArgument,
                        "the bulk insert is already finished or abandoned");
    }

    std::unique_ptr<Statement> prepareBatch(std::size_t rows) {
        std::string text = "INSERT INTO " + table + " (" + columns + ") VALUES ";
        std::string group = "(";
        for (std::size_t c = 0; c < columnCount; ++c) group += c == 0 ? "?" : ",?";
        group += ')';
        for (std::size_t r = 0; r < rows; ++r) {
            if (r > 0) text += ',';
            text += group;
        }
        auto rewritten = sql::rewritePlaceholders(text, lease->core().dialect().placeholders);
        return lease->call([&] { return lease->connection().prepare(rewritten.text); });
    }

    void sendPending() {
        const std::size_t rows = pending.size() / columnCount;
        if (rows == 0) return;
        std::unique_ptr<Statement> partial;
        Statement* statement;
        if (rows == batchRows) {
            if (!fullBatch) fullBatch = prepareBatch(rows);
            statement = fullBatch.get();
        } else {
            partial = prepareBatch(rows);
            statement = partial.get();
        }
        lease->call([&] {
            statement->execute(pending);
            inserted += statement->rowsAffected();
        });
        pending.clear();
    }

    // Stops the load without finishing it; the transaction then rolls back.
    void abandon() noexcept {
        if (!open) return;
        open = false;
        lease->bulk = nullptr;
        writer.reset();  // a driver writer abandons its load when destroyed
        fullBatch.reset();
        pending.clear();
    }
};

BulkInsert::BulkInsert(std::unique_ptr<State> state) : state_(std::move(state)) {}
BulkInsert::BulkInsert(BulkInsert&&) noexcept = default;
BulkInsert& BulkInsert::operator=(BulkInsert&&) noexcept = default;
BulkInsert::~BulkInsert() = default;

void BulkInsert::add(Params row) {
    if (!state_) throw Error(ErrorCategory::InvalidArgument, "bulk insert was moved from");
    State& s = *state_;
    s.requireOpen();
    if (row.view().size() != s.columnCount)
        throw Error(ErrorCategory::InvalidArgument,
                    "bulk insert into " + s.table + " has " + std::to_string(s.columnCount) +
                        " column(s) but the row has " + std::to_string(row.view().size()) +
                        " value(s)");
    try {
        if (s.writer) {
            s.lease->call([&] { s.writer->write(row.view()); });
            return;
        }
        s.pending.insert(s.pending.end(), row.view().begin(), row.view().end());
        if (s.pending.size() == s.batchRows * s.columnCount) s.sendPending();
    } catch (...) {
        s.abandon();
        throw;
    }
}

std::int64_t BulkInsert::finish() {
    if (!state_) throw Error(ErrorCategory::InvalidArgument, "bulk insert was moved from");
    State& s = *state_;
    s.requireOpen();
    try {
        if (s.writer)
            s.inserted = s.lease->call([&] { return s.writer->finish(); });
        else
            s.sendPending();
    } catch (...) {
        s.abandon();
        throw;
    }
    s.writer.reset();
    s.abandon();  // closes the load: the transaction may run statements again
    return s.inserted;
}

// ---- Transaction ------------------------------------------------------------

Transaction::Transaction(std::shared_ptr<detail::Lease> lease) : lease_(std::move(lease)) {
    lease_->yieldCursor();
    lease_->timed(detail::Operation::Begin, [&] { lease_->connection().begin(); });
    lease_->setInTransaction(true);
}

Transaction::Transaction(Transaction&& other) noexcept
    : lease_(std::move(other.lease_)), active_(other.active_) {
    other.active_ = false;
}

Transaction::~Transaction() {
    if (!active_) return;
    try {
        rollback();
    } catch (...) {
        // The lease drops a connection whose rollback failed instead of reusing it.
    }
}

namespace {
void requireNotMovedFrom(const std::shared_ptr<detail::Lease>& lease, const char* what) {
    if (!lease) throw Error(ErrorCategory::InvalidArgument, std::string(what) + " was moved from");
}

void requireActive(bool active, const detail::Lease& lease) {
    if (!active)
        throw Error(ErrorCategory::InvalidArgument,
                    "the transaction is already committed or rolled back");
    if (lease.bulk != nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "a bulk insert is in progress on this transaction: finish() it first");
}
}  // namespace

Result Transaction::exec(std::string_view sqlText, Params params) {
    requireNotMovedFrom(lease_, "the transaction");
    requireActive(active_, *lease_);
    return lease_->exec(sqlText, params);
}

Rows Transaction::query(std::string_view sqlText, Params params) {
    requireNotMovedFrom(lease_, "the transaction");
    requireActive(active_, *lease_);
    return lease_->query(sqlText, params);
}

PreparedStatement Transaction::prepare(std::string_view sqlText) {
    requireNotMovedFrom(lease_, "the transaction");
    requireActive(active_, *lease_);
    return lease_->prepare(sqlText);
}

BulkInsert Transaction::bulkInsert(std::string_view table,
                                   const std::vector<std::string>& columns) {
    requireNotMovedFrom(lease_, "the transaction");
    requireActive(active_, *lease_);
    if (columns.empty())
        throw Error(ErrorCategory::InvalidArgument, "bulk insert needs at least one column");
    const Dialect& dialect = lease_->core().dialect();
    auto state = std::make_unique<BulkInsert::State>();
    state->lease = lease_;
    state->table = sql::quoteIdentifier(table, dialect);
    std::vector<std::string> quoted;
    for (const auto& column : columns) quoted.push_back(sql::quoteIdentifier(column, dialect));
    for (const auto& column : quoted)
        state->columns += (state->columns.empty() ? "" : ",") + column;
    state->columnCount = columns.size();
    lease_->yieldCursor();  // nothing else runs until the load ends
    if (lease_->core().info().capabilities & kCapBulkLoad)
        state->writer =
            lease_->call([&] { return lease_->connection().bulkWriter(state->table, quoted); });
    state->batchRows =
        std::max<std::size_t>(1, std::min(kMaxBatchRows, kMaxBatchParameters / state->columnCount));
    lease_->bulk = state.get();
    return BulkInsert(std::move(state));
}

void Transaction::commit() {
    requireNotMovedFrom(lease_, "the transaction");
    requireActive(active_, *lease_);
    active_ = false;
    lease_->yieldCursor();
    try {
        lease_->timed(detail::Operation::Commit, [&] { lease_->connection().commit(); });
    } catch (const Error& e) {
        if (e.category() == ErrorCategory::Connection)
            throw Error(ErrorCategory::CommitUnknown,
                        "the connection failed during COMMIT, so the transaction may or may "
                        "not have committed: " +
                            std::string(e.what()),
                        e.details());
        // The engine refused to commit (e.g. a serialization failure) and ended
        // the transaction; a ROLLBACK makes sure before the connection is reused.
        try {
            lease_->call([&] { lease_->connection().rollback(); });
            lease_->setInTransaction(false);
        } catch (const Error&) {  // the connection is closed instead of reused
        }
        throw;
    }
    lease_->setInTransaction(false);
}

void Transaction::rollback() {
    requireNotMovedFrom(lease_, "the transaction");
    if (lease_->bulk != nullptr) lease_->bulk->abandon();
    requireActive(active_, *lease_);
    active_ = false;
    lease_->yieldCursor();
    lease_->timed(detail::Operation::Rollback, [&] { lease_->connection().rollback(); });
    lease_->setInTransaction(false);
}

namespace {
void runSavepointCommand(const std::shared_ptr<detail::Lease>& leasePtr, bool active,
                         const char* command, std::string_view name) {
    requireNotMovedFrom(leasePtr, "the transaction");
    detail::Lease& lease = *leasePtr;
    requireActive(active, lease);
    if ((lease.core().info().capabilities & kCapSavepoints) == 0)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + lease.core().info().driver + "' does not support savepoints");
    const std::string sqlText =
        std::string(command) + sql::quoteIdentifier(name, lease.core().dialect());
    lease.yieldCursor();
    lease.call([&] { lease.connection().executeScript(sqlText); });
}
}  // namespace

void Transaction::savepoint(std::string_view name) {
    runSavepointCommand(lease_, active_, "SAVEPOINT ", name);
}
void Transaction::rollbackTo(std::string_view name) {
    runSavepointCommand(lease_, active_, "ROLLBACK TO SAVEPOINT ", name);
}
void Transaction::release(std::string_view name) {
    runSavepointCommand(lease_, active_, "RELEASE SAVEPOINT ", name);
}

// ---- Session ----------------------------------------------------------------

Session::Session(std::shared_ptr<detail::Lease> lease) : lease_(std::move(lease)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result Session::exec(std::string_view sqlText, Params params) {
    requireNotMovedFrom(lease_, "the session");
    return lease_->exec(sqlText, params);
}

Rows Session::query(std::string_view sqlText, Params params) {
    requireNotMovedFrom(lease_, "the session");
    return lease_->query(sqlText, params);
}

void Session::executeScript(std::string_view sqlText) {
    requireNotMovedFrom(lease_, "the session");
    lease_->yieldCursor();
    lease_->call([&] { lease_->connection().executeScript(sqlText); });
}

Transaction Session::begin() {
    requireNotMovedFrom(lease_, "the session");
    if ((lease_->core().info().capabilities & kCapTransactions) == 0)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + lease_->core().info().driver + "' does not support transactions");
    return Transaction(lease_);
}

// ---- Database ---------------------------------------------------------------

Database::Database(std::shared_ptr<detail::DatabaseCore> core,
                   std::chrono::milliseconds queryTimeout)
    : core_(std::move(core)), queryTimeout_(queryTimeout) {}

Database Database::withQueryTimeout(std::chrono::milliseconds timeout) const {
    if (timeout.count() < 0)
        throw Error(ErrorCategory::InvalidArgument, "a query timeout cannot be negative");
    return Database(core_, timeout);
}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

namespace {

// Opens the first connection, retrying while the server cannot be reached
// (it may still be starting), as connect.* says.
void connectWithRetry(detail::DatabaseCore& core, const Config& config) {
    const auto policy =
        detail::RetryPolicy::fromConfig(config, "connect.attempts", "connect.backoff");
    // An embedded engine has no server to wait for.
    const int attempts = (core.info().capabilities & kCapEmbedded) ? 1 : policy.attempts;
    for (int attempt = 1;; ++attempt) {
        try {
            core.release(core.acquire(), true);
            return;
        } catch (const Error& e) {
            const bool unreachable =
                e.category() == ErrorCategory::Connection || e.category() == ErrorCategory::Timeout;
            if (!unreachable || attempt >= attempts) {
                if (attempt == 1) throw;
                throw Error(e.category(),
                            std::string(e.what()) + " (gave up after " + std::to_string(attempt) +
                                " attempts)",
                            e.details());
            }
            const auto delay = policy.delayAfter(attempt);
            Poco::Logger::get("plugdb.database")
                .warning("connecting to %s failed (attempt %d of %d): %s; retrying in %s ms",
                         core.info().target, attempt, attempts, std::string(e.what()),
                         std::to_string(delay.count()));
            core.metrics().recordConnectRetry();
            std::this_thread::sleep_for(delay);
        }
    }
}

}  // namespace

Database Database::open(const Config& config) {
    const std::vector<std::string> searchPath = config.pluginSearchPath();
    auto& registry = DriverRegistry::instance();
    ResolvedSource resolved = resolveDataSource(config, registryLookup(searchPath));
    LoadedDriver driver = registry.load(resolved.driverName, searchPath);
    DataSource source = finishDataSource(config, resolved, driver);

    DatabaseInfo info{driver.info.name, driver.info.version, describeTarget(source, driver.info),
                      driver.info.capabilities, std::nullopt};
    auto core = std::make_shared<detail::DatabaseCore>(std::move(driver), std::move(source),
                                                       std::move(info),
                                                       detail::PoolSettings::fromConfig(config));
    core->setTransactionRetry(
        detail::RetryPolicy::fromConfig(config, "transaction.max_attempts", "transaction.backoff"));
    // Open one connection now so a bad configuration fails here, not on first use.
    connectWithRetry(*core, config);
    return Database(std::move(core), config.getDuration("db.query_timeout", {}));
}

Result Database::exec(std::string_view sqlText, Params params) {
    return std::make_shared<detail::Lease>(core_, queryTimeout_)->exec(sqlText, params);
}

Rows Database::query(std::string_view sqlText, Params params) {
    return std::make_shared<detail::Lease>(core_, queryTimeout_)->query(sqlText, params);
}

PreparedStatement Database::prepare(std::string_view sqlText) {
    return std::make_shared<detail::Lease>(core_, queryTimeout_)->prepare(sqlText);
}

Transaction Database::begin() {
    if (!has(kCapTransactions))
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + info().driver + "' does not support transactions");
    return Transaction(std::make_shared<detail::Lease>(core_, queryTimeout_));
}

Session Database::session() {
    return Session(std::make_shared<detail::Lease>(core_, queryTimeout_));
}

void Database::ping(std::chrono::milliseconds maxWait) {
    auto lease = std::make_shared<detail::Lease>(core_, maxWait, maxWait);
    lease->call([&] { lease->connection().ping(); });
}

void Database::ping() {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    lease->call([&] { lease->connection().ping(); });
}

std::string Database::serverVersion() {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    return lease->call([&] { return lease->connection().serverVersion(); });
}

bool Database::retryTransaction(const Error& error, int attempt) const {
    const auto& policy = core_->transactionRetry();
    if (!error.retryable() || attempt >= policy.attempts) return false;
    const auto delay = policy.delayAfter(attempt);
    core_->metrics().recordTransactionRetry();
    Poco::Logger::get("plugdb.database")
        .debug("transaction attempt %d of %d failed (%s): %s; retrying in %s ms", attempt,
               policy.attempts, std::string(toString(error.category())), std::string(error.what()),
               std::to_string(delay.count()));
    std::this_thread::sleep_for(delay);
    return true;
}

DatabaseMetrics Database::metrics() const {
    return core_->metrics().snapshot();
}

PoolStats Database::poolStats() const {
    return core_->poolStats();
}

const DatabaseInfo& Database::info() const {
    return core_->info();
}

const Dialect& Database::dialect() const {
    return core_->dialect();
}

}  // namespace plugdb
