// The plugin ABI: what a driver implements. Everything engine-neutral
// (placeholder rewriting, transactions guards, configuration, masking,
// pooling) lives in core; a driver opens connections, runs statements and
// maps types and errors.
//
// The ABI is C++ and assumes the host's compiler family and standard library;
// the loader checks both through the plugin descriptor (plugin.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/value.h"

namespace plugdb {

// Bumped major: incompatible layout change. Bumped minor: additions a newer
// host may rely on; a plugin built for minor N loads in hosts with minor >= N.
// 1.1: ErrorCategory::DataException; the extension interfaces SqlDialectProvider,
// DriverOptionsProvider and TraitsRefiner; capability concurrent_cursors.
// 1.2: the extension interface KeyValueStore (key_value_store.h); the extension
// interfaces TransactionRetryProvider (transaction_retry.h) and StaleReadSource
// (stale_read.h).
// 1.2, for the key-value API on SQL engines: the extension interfaces
// KeyValueTableProvider (key_value_table.h) and ReadSnapshotProvider (read_snapshot.h).
// 1.2, for named queries: the extension interface StatementChecker (statement_check.h).
// 1.2, for the query builder: the extension interface QueryDialectProvider (query_dialect.h).
inline constexpr std::uint16_t kAbiMajor = 1;
inline constexpr std::uint16_t kAbiMinor = 2;

// Optional abilities, reported as data in the descriptor (never by throwing).
enum Capability : std::uint64_t {
    kCapTransactions = 1u << 0,      // BEGIN/COMMIT/ROLLBACK
    kCapSavepoints = 1u << 1,        // SAVEPOINT / ROLLBACK TO / RELEASE
    kCapReturning = 1u << 2,         // INSERT ... RETURNING
    kCapLastInsertId = 1u << 3,      // Result::lastInsertId after INSERT
    kCapTransactionalDdl = 1u << 4,  // DDL rolls back with the transaction
    kCapAdvisoryLocks = 1u << 5,     // named server-side locks
    kCapBulkLoad = 1u << 6,          // a faster path than repeated INSERT
    kCapKeyValue = 1u << 7,          // key-value rather than SQL
    kCapInterrupt = 1u << 8,         // Connection::interrupt cancels a running statement
    kCapEmbedded = 1u << 9,       // in-process engine; the URL path is a file, not a database name
    kCapReadOnlyMode = 1u << 10,  // can open a database read-only
    // Open cursors stay readable while other commands run on the same
    // connection; without it core reads an open cursor to its end before the
    // next command (see "Cursors" at Statement).
    kCapConcurrentCursors = 1u << 11,
};

struct CapabilityName {
    Capability bit;
    const char* name;
};
// Every capability with its stable name, e.g. {kCapSavepoints, "savepoints"}.
std::span<const CapabilityName> capabilityNames();
std::string capabilitiesToString(std::uint64_t caps);  // "transactions,savepoints,..."

// Where and how to connect, resolved by core from configuration and URL.
struct DataSource {
    struct Endpoint {
        std::string host;  // name, IPv4, IPv6 without brackets, or a unix socket directory/path
        int port = 0;      // 0: the driver's default
    };
    std::string driver;               // the plugin's canonical name, even when found by an alias
    std::vector<Endpoint> endpoints;  // several for multi-host URLs; empty for embedded engines
    std::string user;
    std::string password;
    std::string database;  // database name, or the file for embedded engines (":memory:" allowed)
    std::map<std::string, std::string> options;  // URL query and db.options.*, e.g. "sslmode"

    // The option's value, or the fallback when it is absent.
    std::string option(const std::string& key, const std::string& fallback = {}) const;
};

struct Column {
    std::string name;
    // The type get() returns for this column. Type::Null when the engine cannot
    // say (SQLite expressions): get() then decodes each value by what it holds.
    // Expression columns (COUNT(*), SUM, CTE columns) get the type of their
    // values where the engine reports it: COUNT(*) must come back as Int.
    Type type = Type::Null;
    // The engine's name of the column's type, as the engine spells it, with its
    // length or precision: SQLite the declared text verbatim ("VARCHAR(64)";
    // empty for expressions), PostgreSQL the pg_type name ("int8", "varchar(64)",
    // "numeric(10,2)", "timestamptz", "int4[]"), MySQL upper case ("BIGINT",
    // "VARCHAR(64)", "DECIMAL(10,2)", "BIGINT UNSIGNED"). Empty when unknown;
    // never a type number.
    std::string declaredType;
};

// How the engine spells things that differ; core rewrites the portable forms.
struct Dialect {
    enum class Placeholders { Question, DollarNumber };  // "?"  or "$1, $2, ..."
    Placeholders placeholders = Placeholders::Question;
    char identifierQuote = '"';
};

// A prepared statement and, after execute(), its cursor. One thread at a time.
//
// Cursors. A connection may have several statements with open cursors (rows
// not yet read to the end). Without kCapConcurrentCursors core never calls the
// connection, nor another of its statements, while one cursor is open: before
// any other command (prepare, execute, reset or destruction of another
// statement, executeScript, begin/commit/rollback, ping, bulkWriter) it reads
// that cursor to its end (get() of the current row, then next() and get() for
// every remaining row, then rowsAffected() and lastInsertId()) into the Rows
// that owns it, and reset()s it. So such a driver only streams: it never
// buffers rows for another command. With kCapConcurrentCursors the driver
// keeps every cursor readable, with its current row unchanged, while other
// commands run. Either way interrupt() may come from another thread at any time.
//
// Lifetimes. Core destroys every statement (and BulkWriter) of a connection
// before that connection, so a statement may keep a plain reference to its
// session; it needs no shared ownership to survive it.
class Statement {
public:
    virtual ~Statement();

    // Binds the parameters and runs the statement. A row-returning statement is
    // positioned before its first row; a statement without result columns has
    // completed when execute() returns. Any previous cursor of this statement
    // is discarded. Core checks the parameter count first.
    virtual void execute(std::span<const Value> params) = 0;
    // Columns of the result of the last execute(); empty for statements that
    // return no rows. Core reads them only after execute(); before it a driver
    // may return nothing or the prepared shape.
    virtual const std::vector<Column>& columns() = 0;
    // Advances to the next row; false when the result is exhausted. After
    // false, core calls neither next() nor get() until the next execute().
    virtual bool next() = 0;
    // The value of a column of the current row (core checks the index and
    // that there is a row).
    virtual Value get(std::size_t column) = 0;
    // Rows inserted, updated or deleted by the last execute(), with or without
    // RETURNING; 0 for a query and for DDL. Final as soon as execute() returns
    // for a statement without columns, otherwise once next() returned false:
    // core reads it only then (it reads a RETURNING statement run by
    // Database::exec to its end first).
    virtual std::int64_t rowsAffected() = 0;
    // The id generated by the last INSERT where the engine reports one; final
    // when rowsAffected() is.
    virtual std::optional<std::int64_t> lastInsertId() = 0;
    // Releases the current cursor early (the statement stays prepared).
    // Harmless without one.
    virtual void reset() = 0;
};

// A load of many rows into one table through the engine's fast path (e.g.
// PostgreSQL's COPY). Rows may be sent in batches; errors may surface only at
// finish(). Destroyed without finish(), it abandons the load.
class BulkWriter {
public:
    virtual ~BulkWriter();

    // One row, a value per column in the order given to Connection::bulkWriter.
    virtual void write(std::span<const Value> row) = 0;
    // Sends what is buffered and ends the load; returns the rows the engine stored.
    virtual std::int64_t finish() = 0;
};

// One session with the database. One thread at a time, except interrupt().
//
// Errors: throw plugdb::Error with the category callers act on. Serialization
// (serialization failure, deadlock) is retryable(): core's transact() rolls
// back and runs the transaction again; set ErrorDetails::retryable for other
// errors that are safe to retry the same way (a lock wait timeout). Only core
// raises CommitUnknown, when commit() fails with a Connection error: a driver
// reports the lost connection as Connection and never guesses the outcome.
// After any error but Connection the session must stay usable.
class Connection {
public:
    virtual ~Connection();

    // Prepares SQL already in the dialect's placeholder style: one statement.
    virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
    // Runs SQL without parameters or results. Core's own calls (savepoints, the
    // migrator's statements) pass one statement; Session::executeScript passes
    // the application's text verbatim, which may hold several: run them all
    // where the engine allows, otherwise refuse with InvalidArgument.
    virtual void executeScript(std::string_view sql) = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    // Must succeed, doing nothing, when no transaction is open: core calls it to
    // make sure after a failed COMMIT and when a borrower left a raw BEGIN open.
    virtual void rollback() = 0;
    // Cheap round trip proving the connection works; throws plugdb::Error if not.
    virtual void ping() = 0;
    virtual std::string serverVersion() = 0;
    // Asks a running statement to stop (thread-safe); a no-op without kCapInterrupt.
    // It may arrive after the statement finished, or before one started (the
    // query timeout races the statement): it must then be harmless, and core
    // retires the connection after any interrupt it sent. The default does
    // nothing, for drivers without kCapInterrupt.
    virtual void interrupt();
    // Starts a bulk load (capability bulk_load) into `table` with `columns`, both
    // already quoted. The default, nullptr, lets core use batched multi-row INSERTs.
    virtual std::unique_ptr<BulkWriter> bulkWriter(std::string_view table,
                                                   std::span<const std::string> columns);
};

class Driver {
public:
    virtual ~Driver();

    virtual const Dialect& dialect() const = 0;
    // Opens a connection; throws plugdb::Error (connection, auth, config, ...) on failure.
    virtual std::unique_ptr<Connection> connect(const DataSource& source) = 0;
};

}  // namespace plugdb
