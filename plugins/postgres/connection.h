// One PostgreSQL session on libpq.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "error.h"
#include "plugdb/driver.h"
#include "plugdb/statement_check.h"

namespace plugdb::postgres {

// The session. Owned by its connection; statements and COPY writers keep a
// reference, since core destroys them before their connection. libpq runs one
// command at a time, and core reads an open cursor to its end before it sends
// another (no kCapConcurrentCursors), so nothing here buffers rows.
struct Handle {
    Handle(PGconn* connection, PGcancel* canceller, const ErrorFlavor& flavor)
        : conn(connection), cancel(canceller), errors(flavor) {}
    ~Handle();
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    // Before a new command: drops the server-side statements released since.
    void beforeCommand();
    // Runs SQL without parameters; throws plugdb::Error on failure.
    void run(const std::string& sql);
    std::string newStatementName() { return "plugdb_" + std::to_string(++statementCount); }
    // Names of types outside the built-in table (see types.h), looked up once.
    // Needs the session idle; leaves names it cannot learn empty.
    void lookUpTypeNames(const std::vector<::Oid>& oids);

    PGconn* conn;
    PGcancel* cancel;
    const ErrorFlavor& errors;              // which engine's errors this session raises
    std::vector<std::string> toDeallocate;  // named statements dropped while busy
    long statementCount = 0;
    std::unordered_map<::Oid, std::string> typeNames;  // format_type(oid, NULL) of others
};

// Not final: an engine speaking the protocol with more (cockroach) extends it.
class PgConnection : public Connection, public StatementChecker {
public:
    explicit PgConnection(std::shared_ptr<Handle> handle) : handle_(std::move(handle)) {}

    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    // prepare() parses nothing on the server: this prepares the unnamed statement.
    void checkStatement(std::string_view sql) override;
    void executeScript(std::string_view sql) override;
    void begin() override { handle_->run("BEGIN"); }
    void commit() override { handle_->run("COMMIT"); }
    // Without a transaction the server only warns: a no-op, as the contract asks.
    void rollback() override { handle_->run("ROLLBACK"); }
    void ping() override { handle_->run("SELECT 1"); }
    std::string serverVersion() override;
    void interrupt() override;
    std::unique_ptr<BulkWriter> bulkWriter(std::string_view table,
                                           std::span<const std::string> columns) override;

protected:
    Handle& handle() { return *handle_; }

private:
    std::shared_ptr<Handle> handle_;  // shared by nobody: the driver hands it over
};

}  // namespace plugdb::postgres
