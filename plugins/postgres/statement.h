// A PostgreSQL statement and its cursor. Rows stream in libpq's single-row
// mode, so a large result never sits in memory whole.
#pragma once

#include <libpq-fe.h>

#include <deque>
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
    PgStatement(std::shared_ptr<Handle> handle, std::string sql);
    ~PgStatement() override;
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    void execute(std::span<const Value> params) override;
    const std::vector<Column>& columns() override { return columns_; }
    bool next() override;
    Value get(std::size_t column) override;
    std::int64_t rowsAffected() override { return rowsAffected_; }
    std::optional<std::int64_t> lastInsertId() override { return std::nullopt; }
    void reset() override;

    // Reads the rest of this statement's rows into memory (another command needs the session).
    void bufferRemaining();

private:
    void send(const std::vector<Param>& params);
    // Takes the next result from libpq; false when the command is complete.
    bool receive(ResultPtr& row);
    void finishCommand(PGresult* last);
    void describe(const PGresult* result);

    std::shared_ptr<Handle> handle_;
    std::string sql_;
    std::string name_;                  // server-side name once prepared; empty before
    std::vector<::Oid> preparedTypes_;  // parameter types it was prepared with
    int executions_ = 0;

    std::vector<Column> columns_;
    std::vector<::Oid> columnOids_;
    ResultPtr current_;                   // the row next() moved to
    ResultPtr pending_;                   // a row received but not yet handed out
    std::deque<ResultPtr> buffered_;      // rows read ahead by bufferRemaining()
    std::optional<Error> bufferedError_;  // an error met while buffering, thrown by next()
    bool inFlight_ = false;               // libpq still has results of this command
    std::int64_t rowsAffected_ = 0;
};

}  // namespace plugdb::postgres
