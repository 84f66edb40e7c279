#include "statement.h"

#include <cstdint>
#include <string>

#include "types.h"

namespace plugdb::sqlite {
namespace {

// Only an INSERT sets last_insert_rowid (triggers restore it when they end), so
// seeding it with an id no insert produces tells inserts apart, including an
// upsert that only updated and a new row whose id equals the previous one.
constexpr sqlite3_int64 kNoInsert = INT64_MIN;

}  // namespace

SqliteStatement::SqliteStatement(Handle& handle, sqlite3_stmt* statement)
    : handle_(handle), statement_(statement), writes_(sqlite3_stmt_readonly(statement) == 0) {
    describeColumns();
}

void SqliteStatement::describeColumns() {
    const int count = sqlite3_column_count(statement_);
    columns_.clear();
    columns_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const char* name = sqlite3_column_name(statement_, i);
        const char* declared = sqlite3_column_decltype(statement_, i);  // NULL for expressions
        Column column;
        column.name = name != nullptr ? name : "";
        column.declaredType = declared != nullptr ? declared : "";
        column.type = typeForDeclared(column.declaredType);
        columns_.push_back(std::move(column));
    }
}

// sqlite3_step, noticing when SQLite re-prepared the statement after a schema
// change: "SELECT *" may then return other columns than it did at prepare().
int SqliteStatement::step() {
    const int rc = sqlite3_step(statement_);
    const int reprepares = sqlite3_stmt_status(statement_, SQLITE_STMTSTATUS_REPREPARE, 0);
    if (reprepares != reprepares_) {
        reprepares_ = reprepares;
        describeColumns();
    }
    return rc;
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(statement_);
}

void SqliteStatement::execute(std::span<const Value> params) {
    reset();
    sqlite3_clear_bindings(statement_);
    bind(params);
    rowsAffected_ = 0;
    lastInsertId_.reset();
    if (writes_) {
        runToCompletion();
        return;
    }
    const int rc = step();
    if (rc == SQLITE_ROW)
        cursor_ = Cursor::RowPending;  // next() hands out this row before stepping again
    else if (rc == SQLITE_DONE)
        cursor_ = Cursor::Exhausted;
    else
        fail(rc);
}

void SqliteStatement::bind(std::span<const Value> params) {
    const int expected = sqlite3_bind_parameter_count(statement_);
    if (params.size() != static_cast<std::size_t>(expected))
        throw Error(ErrorCategory::InvalidArgument,
                    "sqlite: the statement expects " + std::to_string(expected) +
                        " parameter(s), " + std::to_string(params.size()) + " given",
                    pluginDetails());
    for (int i = 0; i < expected; ++i) {
        const int rc = bindValue(statement_, i + 1, params[static_cast<std::size_t>(i)]);
        if (rc != SQLITE_OK)
            throw engineError(handle_.db, rc, handle_.context,
                              "binding parameter " + std::to_string(i + 1));
    }
}

// A writing statement finishes inside execute(): its change count and insert id
// are then final, and a half-read RETURNING cursor cannot keep the write lock.
void SqliteStatement::runToCompletion() {
    sqlite3* db = handle_.db;
    const sqlite3_int64 totalChangesBefore = sqlite3_total_changes64(db);
    const sqlite3_int64 rowidBefore = sqlite3_last_insert_rowid(db);
    sqlite3_set_last_insert_rowid(db, kNoInsert);
    int rc;
    while ((rc = step()) == SQLITE_ROW) rows_.push_back(readRow());
    const sqlite3_int64 rowid = sqlite3_last_insert_rowid(db);
    if (rowid == kNoInsert) sqlite3_set_last_insert_rowid(db, rowidBefore);  // as SQL saw it
    if (rc != SQLITE_DONE) fail(rc);

    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so DDL
    // would repeat it: trust it only when this statement changed the total.
    if (sqlite3_total_changes64(db) != totalChangesBefore) rowsAffected_ = sqlite3_changes64(db);
    if (rowid != kNoInsert) lastInsertId_ = rowid;
    buffered_ = true;
    cursor_ = Cursor::RowPending;
}

std::vector<Value> SqliteStatement::readRow() {
    std::vector<Value> row;
    row.reserve(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i)
        row.push_back(readValue(statement_, static_cast<int>(i), columns_[i].type));
    return row;
}

bool SqliteStatement::next() {
    if (buffered_) {
        if (rowIndex_ == rows_.size()) {
            cursor_ = Cursor::Exhausted;
            return false;
        }
        ++rowIndex_;
        cursor_ = Cursor::OnRow;
        return true;
    }
    switch (cursor_) {
        case Cursor::RowPending:
            cursor_ = Cursor::OnRow;
            return true;
        case Cursor::OnRow: {
            const int rc = step();
            if (rc == SQLITE_ROW) return true;
            if (rc != SQLITE_DONE) fail(rc);
            cursor_ = Cursor::Exhausted;
            return false;
        }
        case Cursor::Idle:
        case Cursor::Exhausted:
            break;
    }
    return false;
}

Value SqliteStatement::get(std::size_t column) {
    if (column >= columns_.size())
        throw Error(ErrorCategory::InvalidArgument,
                    "sqlite: column " + std::to_string(column) +
                        " does not exist; the result has " + std::to_string(columns_.size()) +
                        " column(s)",
                    pluginDetails());
    if (cursor_ != Cursor::OnRow)
        throw Error(ErrorCategory::InvalidArgument,
                    "sqlite: there is no current row; call next() first", pluginDetails());
    if (buffered_) return rows_[rowIndex_ - 1][column];
    return readValue(statement_, static_cast<int>(column), columns_[column].type);
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);  // repeats the last step's error, already reported
    cursor_ = Cursor::Idle;
    buffered_ = false;
    rows_.clear();
    rowIndex_ = 0;
}

void SqliteStatement::fail(int rc) {
    Error error = engineError(handle_.db, rc, handle_.context);
    reset();  // releases the statement's locks before the caller sees the error
    throw error;
}

}  // namespace plugdb::sqlite
