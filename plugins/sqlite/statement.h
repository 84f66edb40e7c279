// A prepared SQLite statement and its cursor, on the native API.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <vector>

#include "connection.h"
#include "plugdb/driver.h"

namespace plugdb::sqlite {

class SqliteStatement final : public Statement {
public:
    // Takes ownership of `statement`, prepared on handle.db.
    SqliteStatement(Handle& handle, sqlite3_stmt* statement);
    ~SqliteStatement() override;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void execute(std::span<const Value> params) override;
    const std::vector<Column>& columns() override { return columns_; }
    bool next() override;
    Value get(std::size_t column) override;
    std::int64_t rowsAffected() override { return rowsAffected_; }
    std::optional<std::int64_t> lastInsertId() override { return lastInsertId_; }
    void reset() override;

private:
    void describeColumns();
    int step();
    void bind(std::span<const Value> params);
    void runToCompletion();
    std::vector<Value> readRow();
    [[noreturn]] void fail(int rc);

    Handle& handle_;
    sqlite3_stmt* statement_;
    std::vector<Column> columns_;
    int reprepares_ = 0;  // SQLITE_STMTSTATUS_REPREPARE when columns_ was filled
    bool writes_;         // not sqlite3_stmt_readonly: INSERT/UPDATE/DELETE, DDL, some PRAGMAs

    // Cursor: a query streams from the engine; a writing statement that returns
    // rows (RETURNING) is run to completion by execute() and its rows kept here.
    enum class Cursor { Idle, RowPending, OnRow, Exhausted };
    Cursor cursor_ = Cursor::Idle;
    bool buffered_ = false;
    std::vector<std::vector<Value>> rows_;
    std::size_t rowIndex_ = 0;

    std::int64_t rowsAffected_ = 0;
    std::optional<std::int64_t> lastInsertId_;
};

}  // namespace plugdb::sqlite
