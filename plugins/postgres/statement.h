// A PostgreSQL statement and its cursor. Rows stream in libpq's single-row
// mode, so a large result never sits in memory whole; core reads the rest of
// a cursor before it sends another command on the session.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connection.h"
#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "types.h"

namespace plugdb::postgres {

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PgStatement final : public Statement {
public:
    PgStatement(Handle& handle, std::string sql);
    ~PgStatement() override;
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    void execute(std::span<const Value> params) override;
    const std::vector<Column>& columns() override { return columns_; }
    bool next() override;
    Value get(std::size_t column) override;
    // Set when the command completes (the cursor is exhausted).
    std::int64_t rowsAffected() override { return rowsAffected_; }
    std::optional<std::int64_t> lastInsertId() override { return std::nullopt; }
    void reset() override;

private:
    void send(const std::vector<Param>& params);
    // Takes the next result from libpq; false when the command is complete.
    bool receive(ResultPtr& row);
    void finishCommand(PGresult* last);
    void describe(const PGresult* result);
    // Names the columns whose types describe() could not: the session is idle now.
    void nameUnknownTypes();

    Handle& handle_;
    std::string sql_;
    std::string name_;                  // server-side name once prepared; empty before
    std::vector<::Oid> preparedTypes_;  // parameter types it was prepared with
    int executions_ = 0;

    std::vector<Column> columns_;
    std::vector<::Oid> columnOids_;
    bool unknownTypes_ = false;  // a column's type is neither built in nor looked up yet
    ResultPtr current_;          // the row next() moved to
    ResultPtr pending_;          // a row received but not yet handed out
    bool inFlight_ = false;      // libpq still has results of this command
    std::int64_t rowsAffected_ = 0;
};

}  // namespace plugdb::postgres
