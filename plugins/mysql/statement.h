// A prepared MySQL statement (binary protocol) and its cursor. Rows are
// fetched one at a time from the wire, never stored whole; core reads the
// rest of a cursor before it sends another command on the session.
#pragma once

#include <mysql.h>

#include <memory>
#include <optional>
#include <vector>

#include "connection.h"
#include "plugdb/error.h"
#include "types.h"

namespace plugdb::mysql {

class MyStatement final : public Statement {
public:
    MyStatement(Handle& handle, std::string_view sql);
    ~MyStatement() override;
    MyStatement(const MyStatement&) = delete;
    MyStatement& operator=(const MyStatement&) = delete;

    void execute(std::span<const Value> params) override;
    const std::vector<Column>& columns() override { return columns_; }
    bool next() override;
    Value get(std::size_t column) override;
    // For INSERT/DELETE ... RETURNING (MariaDB): the rows returned, once exhausted.
    std::int64_t rowsAffected() override { return rowsAffected_; }
    std::optional<std::int64_t> lastInsertId() override { return lastInsertId_; }
    void reset() override;

private:
    bool fetch();  // the next row from the wire into slots_; false at the end
    void stopStreaming();

    Handle& handle_;
    MYSQL_STMT* statement_;
    bool writes_;  // INSERT, REPLACE, UPDATE or DELETE: rows it returns are rows it changed
    std::vector<Column> columns_;
    std::vector<ColumnSlot> slots_;
    std::vector<MYSQL_BIND> resultBinds_;
    bool streaming_ = false;
    std::int64_t fetched_ = 0;  // rows of the current result handed out
    std::int64_t rowsAffected_ = 0;
    std::optional<std::int64_t> lastInsertId_;
};

}  // namespace plugdb::mysql
