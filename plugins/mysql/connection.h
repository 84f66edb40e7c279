// One MySQL/MariaDB session on Connector/C.
#pragma once

#include <mysql.h>

#include <memory>
#include <string>

#include "plugdb/driver.h"
#include "plugdb/engine_traits.h"

namespace plugdb::mysql {

// Opens a session with the DataSource's settings (TLS included).
MYSQL* openSession(const DataSource& source);

// The session. Owned by its connection; statements keep a reference, since
// core destroys them before their connection. The protocol runs one command at
// a time, and core reads an open cursor to its end before it sends another (no
// kCapConcurrentCursors).
struct Handle {
    Handle(MYSQL* connection, DataSource dataSource)
        : conn(connection), source(std::move(dataSource)), threadId(mysql_thread_id(connection)) {}
    ~Handle() { mysql_close(conn); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    // Runs SQL (several statements allowed) and discards any results.
    void run(const std::string& sql);

    MYSQL* conn;
    DataSource source;  // to open the side session that sends KILL QUERY
    unsigned long threadId;
};

class MyConnection final : public Connection, public TraitsRefiner {
public:
    explicit MyConnection(std::shared_ptr<Handle> handle) : handle_(std::move(handle)) {}

    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void executeScript(std::string_view sql) override { handle_->run(std::string(sql)); }
    void begin() override { handle_->run("START TRANSACTION"); }
    void commit() override { handle_->run("COMMIT"); }
    void rollback() override { handle_->run("ROLLBACK"); }
    void ping() override;
    std::string serverVersion() override;
    void interrupt() override;
    // Capabilities that depend on the server: RETURNING on MariaDB >= 10.5.
    void refine(EngineTraits& traits) override;

private:
    std::shared_ptr<Handle> handle_;
};

}  // namespace plugdb::mysql
