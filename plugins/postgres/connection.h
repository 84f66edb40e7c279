// One PostgreSQL session on libpq.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "plugdb/driver.h"

namespace plugdb::postgres {

class PgStatement;

// The session, shared by a connection and its statements so a statement that
// outlives its Connection still cleans up against a live handle. libpq runs one
// command at a time: before a new command, the statement whose rows are still
// streaming reads the rest into memory.
struct Handle {
    Handle(PGconn* connection, PGcancel* canceller) : conn(connection), cancel(canceller) {}
    ~Handle();
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    // Makes the session ready for a new command issued by `next` (may be null).
    void prepareForCommand(PgStatement* next);
    // Runs SQL without parameters; throws plugdb::Error on failure.
    void run(const std::string& sql);
    std::string newStatementName() { return "plugdb_" + std::to_string(++statementCount); }

    PGconn* conn;
    PGcancel* cancel;
    PgStatement* streaming = nullptr;       // the statement whose rows are in flight
    std::vector<std::string> toDeallocate;  // named statements dropped while busy
    long statementCount = 0;
};

class PgConnection final : public Connection {
public:
    explicit PgConnection(std::shared_ptr<Handle> handle) : handle_(std::move(handle)) {}

    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void executeScript(std::string_view sql) override;
    void begin() override { handle_->run("BEGIN"); }
    void commit() override { handle_->run("COMMIT"); }
    void rollback() override { handle_->run("ROLLBACK"); }
    void ping() override { handle_->run("SELECT 1"); }
    std::string serverVersion() override;
    void interrupt() override;
    std::unique_ptr<BulkWriter> bulkWriter(std::string_view table,
                                           std::span<const std::string> columns) override;

private:
    std::shared_ptr<Handle> handle_;
};

}  // namespace plugdb::postgres
