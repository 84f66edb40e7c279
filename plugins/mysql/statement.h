// A prepared MySQL statement (binary protocol) and its cursor. Rows are
// fetched one at a time from the wire, never stored whole.
#pragma once

#include <mysql.h>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "connection.h"
#include "plugdb/error.h"
#include "types.h"

namespace plugdb::mysql {

class MyStatement final : public Statement {
public:
    MyStatement(std::shared_ptr<Handle> handle, std::string_view sql);
    ~MyStatement() override;
    MyStatement(const MyStatement&) = delete;
    MyStatement& operator=(const MyStatement&) = delete;

    void execute(std::span<const Value> params) override;
    const std::vector<Column>& columns() override { return columns_; }
    bool next() override;
    Value get(std::size_t column) override;
    std::int64_t rowsAffected() override { return rowsAffected_; }
    std::optional<std::int64_t> lastInsertId() override { return lastInsertId_; }
    void reset() override;

    // Reads the rest of the rows into memory (another command needs the session).
    void bufferRemaining();

private:
    bool fetch();  // the next row from the wire into slots_; false at the end
    std::vector<Value> rowValues();
    void stopStreaming();

    std::shared_ptr<Handle> handle_;
    MYSQL_STMT* statement_;
    std::vector<Column> columns_;
    std::vector<ColumnSlot> slots_;
    std::vector<MYSQL_BIND> resultBinds_;
    bool streaming_ = false;
    std::deque<std::vector<Value>> buffered_;
    std::optional<std::vector<Value>> bufferedRow_;  // current row when reading buffered rows
    std::optional<Error> bufferedError_;
    std::int64_t rowsAffected_ = 0;
    std::optional<std::int64_t> lastInsertId_;
};

}  // namespace plugdb::mysql
