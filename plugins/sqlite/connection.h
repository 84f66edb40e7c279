// One open SQLite database: transactions, scripts, interrupts.
#pragma once

#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <memory>

#include "error.h"
#include "plugdb/driver.h"

namespace plugdb::sqlite {

// The open database. Owned by its connection; statements keep a reference,
// since core destroys them before their connection. SQLite keeps each
// statement's cursor while others run (kCapConcurrentCursors).
struct Handle {
    Handle(Poco::Data::Session openedSession, sqlite3* nativeHandle, ErrorContext errorContext,
           bool isReadOnly)
        : session(std::move(openedSession)),
          db(nativeHandle),
          context(std::move(errorContext)),
          readOnly(isReadOnly) {}

    Poco::Data::Session session;  // owns the sqlite3 connection and closes it
    sqlite3* db;                  // session's native handle, used for every statement
    ErrorContext context;
    bool readOnly;
};

class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(std::shared_ptr<Handle> handle) : handle_(std::move(handle)) {}

    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void executeScript(std::string_view sql) override;
    void begin() override;
    void commit() override;
    void rollback() override;
    void ping() override;
    std::string serverVersion() override;
    void interrupt() override;

private:
    void run(const char* sql);

    std::shared_ptr<Handle> handle_;  // shared by nobody: the driver hands it over
};

}  // namespace plugdb::sqlite
