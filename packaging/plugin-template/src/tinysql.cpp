// The whole driver: a Connection and a Statement on SQLite's C API, plus the
// mapping of SQLite's result codes and values to plugdb's. Core does the rest
// (configuration, URL parsing, pooling, placeholders, transaction guards).
#include "tinysql.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "plugdb/error.h"

namespace tinysql {
namespace {

using plugdb::ErrorCategory;
using plugdb::Type;
using plugdb::Value;

// The engine name in every error, so callers see which driver raised it.
plugdb::Error error(ErrorCategory category, const std::string& message, int code = 0) {
    return plugdb::Error(category, "tinysql: " + message, {"tinysql", code, {}});
}

// Error mapping: SQLite's extended result codes to plugdb's categories.
ErrorCategory categoryOf(int rc, const std::string& message) {
    switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return ErrorCategory::UniqueViolation;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return ErrorCategory::ForeignKey;
        case SQLITE_CONSTRAINT_NOTNULL:
            return ErrorCategory::NotNull;
        case SQLITE_CONSTRAINT_CHECK:
            return ErrorCategory::Check;
        case SQLITE_BUSY_SNAPSHOT:
            return ErrorCategory::Serialization;
    }
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return ErrorCategory::Constraint;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_INTERRUPT:
            return ErrorCategory::Timeout;
        case SQLITE_READONLY:
        case SQLITE_PERM:
            return ErrorCategory::Permission;
        case SQLITE_CANTOPEN:
        case SQLITE_NOTADB:
            return ErrorCategory::Connection;
        case SQLITE_RANGE:
        case SQLITE_MISMATCH:
            return ErrorCategory::InvalidArgument;
        case SQLITE_ERROR:  // SQLite's catch-all: bad SQL unless the message says otherwise
            for (const char* marker : {"syntax error", "no such ", "unrecognized token",
                                       "incomplete input", "has no column named"})
                if (message.find(marker) != std::string::npos) return ErrorCategory::Syntax;
            return ErrorCategory::Other;
    }
    return ErrorCategory::Other;
}

plugdb::Error engineError(sqlite3* db, int rc) {
    const std::string message = sqlite3_errmsg(db);
    return error(categoryOf(rc, message), message, rc);
}

void check(sqlite3* db, int rc) {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) throw engineError(db, rc);
}

// The open database, shared so a statement can outlive its connection.
struct Handle {
    explicit Handle(sqlite3* handle) : db(handle) {}
    ~Handle() { sqlite3_close_v2(db); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    sqlite3* db;
};

// Value mapping: the declared column type says how to read what SQLite stored.
Type typeForDeclared(std::string declared) {
    std::transform(declared.begin(), declared.end(), declared.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const auto has = [&](const char* word) { return declared.find(word) != std::string::npos; };
    if (has("BOOL")) return Type::Bool;
    if (has("TIMESTAMP") || has("DATE")) return Type::Timestamp;
    if (has("INT")) return Type::Int;
    if (has("CHAR") || has("CLOB") || has("TEXT")) return Type::Text;
    if (has("BLOB")) return Type::Blob;
    if (has("REAL") || has("FLOA") || has("DOUB")) return Type::Double;
    return Type::Null;  // decided per value
}

int bind(sqlite3_stmt* statement, int index, const Value& value) {
    switch (value.type()) {
        case Type::Null:
            return sqlite3_bind_null(statement, index);
        case Type::Bool:
            return sqlite3_bind_int(statement, index, value.asBool() ? 1 : 0);
        case Type::Int:
            return sqlite3_bind_int64(statement, index, value.asInt());
        case Type::Double:
            return sqlite3_bind_double(statement, index, value.asDouble());
        case Type::Text:
            return sqlite3_bind_text64(statement, index, value.asText().data(),
                                       value.asText().size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        case Type::Blob:
            // A null data pointer would bind NULL; an empty blob must stay a blob.
            if (value.asBlob().empty()) return sqlite3_bind_zeroblob(statement, index, 0);
            return sqlite3_bind_blob64(statement, index, value.asBlob().data(),
                                       value.asBlob().size(), SQLITE_TRANSIENT);
        case Type::Timestamp:
            return sqlite3_bind_text(statement, index, value.asTimestamp().toString().c_str(), -1,
                                     SQLITE_TRANSIENT);
    }
    return SQLITE_MISMATCH;
}

Value read(sqlite3_stmt* statement, int column, Type type) {
    switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER: {
            const std::int64_t n = sqlite3_column_int64(statement, column);
            return type == Type::Bool ? Value(n != 0) : Value(n);
        }
        case SQLITE_FLOAT:
            return Value(sqlite3_column_double(statement, column));
        case SQLITE_TEXT: {
            const auto* data =
                reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            std::string text(data,
                             static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
            if (type == Type::Timestamp)
                if (auto timestamp = plugdb::Timestamp::parse(text)) return Value(*timestamp);
            return Value(std::move(text));
        }
        case SQLITE_BLOB: {
            const auto* data =
                static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, column));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
            return Value(size == 0 ? plugdb::Blob() : plugdb::Blob(data, data + size));
        }
    }
    return Value();
}

// Queries stream row by row; a statement that writes runs to completion in
// execute() (its counts are then final) and keeps any RETURNING rows.
class TinyStatement final : public plugdb::Statement {
public:
    TinyStatement(std::shared_ptr<Handle> handle, sqlite3_stmt* statement)
        : handle_(std::move(handle)),
          statement_(statement),
          writes_(sqlite3_stmt_readonly(statement) == 0) {
        for (int i = 0; i < sqlite3_column_count(statement_); ++i) {
            const char* declared = sqlite3_column_decltype(statement_, i);
            plugdb::Column column{sqlite3_column_name(statement_, i), Type::Null,
                                  declared != nullptr ? declared : ""};
            column.type = typeForDeclared(column.declaredType);
            columns_.push_back(std::move(column));
        }
    }
    ~TinyStatement() override { sqlite3_finalize(statement_); }
    TinyStatement(const TinyStatement&) = delete;
    TinyStatement& operator=(const TinyStatement&) = delete;

    void execute(std::span<const Value> params) override {
        reset();
        const int expected = sqlite3_bind_parameter_count(statement_);
        if (params.size() != static_cast<std::size_t>(expected))
            throw error(ErrorCategory::InvalidArgument,
                        "the statement expects " + std::to_string(expected) + " parameter(s), " +
                            std::to_string(params.size()) + " given");
        for (int i = 0; i < expected; ++i)
            check(handle_->db, bind(statement_, i + 1, params[static_cast<std::size_t>(i)]));
        rowsAffected_ = 0;
        lastInsertId_.reset();
        if (!writes_) {
            pending_ = step();
            return;
        }
        sqlite3* db = handle_->db;
        const auto changesBefore = sqlite3_total_changes64(db);
        // Only an INSERT sets the rowid, so a value no insert produces tells them apart.
        const auto rowidBefore = sqlite3_last_insert_rowid(db);
        sqlite3_set_last_insert_rowid(db, INT64_MIN);
        while (step()) rows_.push_back(currentRow());
        if (sqlite3_total_changes64(db) != changesBefore) rowsAffected_ = sqlite3_changes64(db);
        if (const auto rowid = sqlite3_last_insert_rowid(db); rowid != INT64_MIN)
            lastInsertId_ = rowid;
        else
            sqlite3_set_last_insert_rowid(db, rowidBefore);
        buffered_ = true;
    }
    const std::vector<plugdb::Column>& columns() override { return columns_; }
    bool next() override {
        if (buffered_) return onRow_ = rowIndex_++ < rows_.size();
        if (pending_) {
            pending_ = false;
            return onRow_ = true;
        }
        return onRow_ = onRow_ && step();
    }
    Value get(std::size_t column) override {
        if (column >= columns_.size() || !onRow_)
            throw error(ErrorCategory::InvalidArgument,
                        "no column " + std::to_string(column) + " on a current row");
        if (buffered_) return rows_[rowIndex_ - 1][column];
        return read(statement_, static_cast<int>(column), columns_[column].type);
    }
    std::int64_t rowsAffected() override { return rowsAffected_; }
    std::optional<std::int64_t> lastInsertId() override { return lastInsertId_; }
    void reset() override {
        sqlite3_reset(statement_);
        pending_ = onRow_ = buffered_ = false;
        rows_.clear();
        rowIndex_ = 0;
    }

private:
    // One sqlite3_step: true on a row, false when done; throws on an error
    // after releasing the statement's locks.
    bool step() {
        const int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        plugdb::Error e = engineError(handle_->db, rc);
        reset();
        throw e;
    }
    std::vector<Value> currentRow() {
        std::vector<Value> row;
        for (std::size_t i = 0; i < columns_.size(); ++i)
            row.push_back(read(statement_, static_cast<int>(i), columns_[i].type));
        return row;
    }

    std::shared_ptr<Handle> handle_;
    sqlite3_stmt* statement_;
    std::vector<plugdb::Column> columns_;
    bool writes_;
    bool pending_ = false;  // execute() stepped onto the first row; next() hands it out
    bool onRow_ = false;
    bool buffered_ = false;
    std::vector<std::vector<Value>> rows_;
    std::size_t rowIndex_ = 0;
    std::int64_t rowsAffected_ = 0;
    std::optional<std::int64_t> lastInsertId_;
};

class TinyConnection final : public plugdb::Connection {
public:
    explicit TinyConnection(std::shared_ptr<Handle> handle) : handle_(std::move(handle)) {}

    std::unique_ptr<plugdb::Statement> prepare(std::string_view sql) override {
        if (sql.size() >= INT_MAX) throw error(ErrorCategory::InvalidArgument, "SQL too long");
        sqlite3_stmt* raw = nullptr;
        const int rc = sqlite3_prepare_v3(handle_->db, sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        if (rc != SQLITE_OK) {
            // A refused prepare is the SQL's fault, whatever SQLite's message says.
            if ((rc & 0xff) == SQLITE_ERROR)
                throw error(ErrorCategory::Syntax, sqlite3_errmsg(handle_->db), rc);
            throw engineError(handle_->db, rc);
        }
        if (raw == nullptr) throw error(ErrorCategory::InvalidArgument, "no statement in the SQL");
        return std::make_unique<TinyStatement>(handle_, raw);
    }
    void executeScript(std::string_view sql) override { run(std::string(sql).c_str()); }
    // IMMEDIATE: writers wait for the lock in the busy handler instead of failing later.
    void begin() override { run("BEGIN IMMEDIATE"); }
    void commit() override { run("COMMIT"); }
    void rollback() override {
        if (sqlite3_get_autocommit(handle_->db) == 0) run("ROLLBACK");  // SQLite may have already
    }
    void ping() override { run("SELECT 1"); }
    std::string serverVersion() override { return std::string("SQLite ") + sqlite3_libversion(); }
    void interrupt() override { sqlite3_interrupt(handle_->db); }

private:
    void run(const char* sql) {
        check(handle_->db, sqlite3_exec(handle_->db, sql, nullptr, nullptr, nullptr));
    }

    std::shared_ptr<Handle> handle_;
};

}  // namespace

const plugdb::Dialect& TinyDriver::dialect() const {
    static const plugdb::Dialect kDialect{plugdb::Dialect::Placeholders::Question, '"'};
    return kDialect;
}

// What portable migrations and the migration lock need to know. SQLite spells
// the portable subset as written, so only the lock is said here; a server
// engine would also give its type spellings (types.timestamp = "DATETIME(6)"),
// its identity column (autoIncrementKey) and, with capability advisory_locks,
// its advisoryLock statements. Without this class core would run portable
// migrations untranslated and lock them with the lease table.
const plugdb::SqlDialect& TinyDriver::sqlDialect() const {
    static const plugdb::SqlDialect kSqlDialect = [] {
        plugdb::SqlDialect d;
        d.writeTransactionLocksDatabase = true;  // begin() is BEGIN IMMEDIATE
        return d;
    }();
    return kSqlDialect;
}

// Core refuses any other option, or a busy_timeout that is not a duration,
// as a config error naming it, before connect() is called.
const plugdb::DriverOptions& TinyDriver::driverOptions() const {
    static const plugdb::DriverOptions kOptions{{
        {"busy_timeout",
         plugdb::DriverOption::Kind::Duration,
         "how long to wait for a lock (a bare number is milliseconds)",
         {},
         0,
         INT_MAX,
         std::chrono::milliseconds(1)},
    }};
    return kOptions;
}

std::unique_ptr<plugdb::Connection> TinyDriver::connect(const plugdb::DataSource& source) {
    const auto busyTimeout = plugdb::parseOptionDuration(source.option("busy_timeout", "5000"),
                                                         std::chrono::milliseconds(1));
    const int busyTimeoutMs =
        static_cast<int>(busyTimeout.value_or(std::chrono::seconds(5)).count());
    const std::string file = source.database.empty() ? ":memory:" : source.database;
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    auto handle = std::make_shared<Handle>(raw);  // closes it even when opening failed
    if (rc != SQLITE_OK)
        throw error(ErrorCategory::Connection, "cannot open " + file + ": " + sqlite3_errmsg(raw),
                    rc);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busyTimeoutMs);
    TinyConnection connection(handle);
    connection.executeScript("PRAGMA foreign_keys=ON");
    if (file != ":memory:") connection.executeScript("PRAGMA journal_mode=WAL");
    return std::make_unique<TinyConnection>(std::move(handle));
}

}  // namespace tinysql
