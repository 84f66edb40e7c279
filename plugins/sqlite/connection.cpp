#include "connection.h"

#include <climits>
#include <string>

#include "statement.h"

namespace plugdb::sqlite {
namespace {

// True when `rest` (the text after the first statement) holds more than
// whitespace, semicolons and comments; SQLite's own tokenizer decides.
bool holdsAnotherStatement(sqlite3* db, std::string_view rest) {
    if (rest.find_first_not_of(" \t\r\n;") == std::string_view::npos) return false;
    sqlite3_stmt* next = nullptr;
    const int rc =
        sqlite3_prepare_v3(db, rest.data(), static_cast<int>(rest.size()), 0, &next, nullptr);
    sqlite3_finalize(next);
    return rc != SQLITE_OK || next != nullptr;
}

}  // namespace

// Statements run on the native API rather than Poco::Data::Statement: Poco costs
// 2.6-2.9x the raw API per re-execution (measured) and exposes neither
// sqlite3_interrupt, extended result codes nor declared column types.
std::unique_ptr<Statement> SqliteConnection::prepare(std::string_view sql) {
    if (sql.size() >= INT_MAX)
        throw Error(ErrorCategory::InvalidArgument, "sqlite: the SQL text is too long",
                    pluginDetails());
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(handle_->db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    if (rc != SQLITE_OK) throw prepareError(handle_->db, rc, handle_->context);
    if (raw == nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "sqlite: prepare() found no statement, only whitespace or comments",
                    pluginDetails());
    auto statement = std::make_unique<SqliteStatement>(*handle_, raw);
    const std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (holdsAnotherStatement(handle_->db, rest))
        throw Error(ErrorCategory::InvalidArgument,
                    "sqlite: prepare() takes one statement; use executeScript for several",
                    pluginDetails());
    return statement;
}

void SqliteConnection::executeScript(std::string_view sql) {
    run(std::string(sql).c_str());
}

// BEGIN IMMEDIATE takes the write lock up front, waiting in the busy handler.
// A deferred BEGIN reads first and upgrades at its first write, and SQLite
// refuses that upgrade with SQLITE_BUSY(_SNAPSHOT) without waiting whenever
// another connection wrote meanwhile. Writers queue instead of failing; the
// price is that a transaction which only reads queues behind writers too
// (statements outside transactions do not). A read-only connection cannot take
// the write lock, so it begins deferred.
void SqliteConnection::begin() {
    run(handle_->readOnly ? "BEGIN" : "BEGIN IMMEDIATE");
}

void SqliteConnection::commit() {
    run("COMMIT");
}

void SqliteConnection::rollback() {
    // SQLite may have rolled back already (interrupt, I/O error, full disk).
    if (sqlite3_get_autocommit(handle_->db) != 0) return;
    run("ROLLBACK");
}

void SqliteConnection::ping() {
    run("SELECT 1");
}

std::string SqliteConnection::serverVersion() {
    return std::string("SQLite ") + sqlite3_libversion();
}

void SqliteConnection::interrupt() {
    sqlite3_interrupt(handle_->db);
}

void SqliteConnection::run(const char* sql) {
    check(handle_->db, sqlite3_exec(handle_->db, sql, nullptr, nullptr, nullptr), handle_->context);
}

}  // namespace plugdb::sqlite
