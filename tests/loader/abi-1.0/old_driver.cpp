// A driver as a third party wrote it against plugdb ABI 1.0: compiled with the
// 1.0 SDK headers kept beside this file (never with the current ones), it must
// keep loading and running queries in every 1.x host. SQLite's C API is the
// engine, under the plugin name "abiold".
#include <sqlite3.h>

#include <string>
#include <vector>

#include "plugdb/error.h"
#include "plugdb/plugin.h"

namespace abiold {
namespace {

using plugdb::Error;
using plugdb::ErrorCategory;

[[noreturn]] void fail(sqlite3* db, int code) {
    const int extended = db ? sqlite3_extended_errcode(db) : code;
    ErrorCategory category = ErrorCategory::Other;
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY)
        category = ErrorCategory::UniqueViolation;
    else if (code == SQLITE_ERROR)
        category = ErrorCategory::Syntax;
    else if (code == SQLITE_CANTOPEN)
        category = ErrorCategory::Connection;
    throw Error(category,
                std::string("abiold: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)),
                {"abiold", extended, ""});
}

class OldStatement : public plugdb::Statement {
public:
    OldStatement(sqlite3* db, std::string_view sql) : db_(db) {
        const int rc =
            sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc);
        for (int i = 0; i < sqlite3_column_count(stmt_); ++i)
            columns_.push_back(
                {sqlite3_column_name(stmt_, i), plugdb::Type::Null,
                 sqlite3_column_decltype(stmt_, i) ? sqlite3_column_decltype(stmt_, i) : ""});
    }
    ~OldStatement() override { sqlite3_finalize(stmt_); }

    void execute(std::span<const plugdb::Value> params) override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        for (std::size_t i = 0; i < params.size(); ++i) bind(static_cast<int>(i) + 1, params[i]);
        const int rc = sqlite3_step(stmt_);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(db_, rc);
        pending_ = rc == SQLITE_ROW;
        changes_ = columns_.empty() ? sqlite3_changes64(db_) : 0;
        lastId_ = sqlite3_last_insert_rowid(db_);
    }
    const std::vector<plugdb::Column>& columns() override { return columns_; }
    bool next() override {
        if (pending_) {
            pending_ = false;
            return true;
        }
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) fail(db_, rc);
        return false;
    }
    plugdb::Value get(std::size_t column) override {
        const int i = static_cast<int>(column);
        switch (sqlite3_column_type(stmt_, i)) {
            case SQLITE_INTEGER:
                return plugdb::Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt_, i)));
            case SQLITE_FLOAT:
                return plugdb::Value(sqlite3_column_double(stmt_, i));
            case SQLITE_TEXT:
                return plugdb::Value(
                    std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i)),
                                static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))));
            case SQLITE_BLOB: {
                const auto* bytes = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
                return plugdb::Value(plugdb::Blob(bytes, bytes + sqlite3_column_bytes(stmt_, i)));
            }
            default:
                return plugdb::Value();
        }
    }
    std::int64_t rowsAffected() override { return changes_; }
    std::optional<std::int64_t> lastInsertId() override { return lastId_; }
    void reset() override {
        pending_ = false;
        sqlite3_reset(stmt_);
    }

private:
    void bind(int index, const plugdb::Value& value) {
        int rc = SQLITE_OK;
        switch (value.type()) {
            case plugdb::Type::Null:
                rc = sqlite3_bind_null(stmt_, index);
                break;
            case plugdb::Type::Bool:
            case plugdb::Type::Int:
                rc = sqlite3_bind_int64(stmt_, index, value.asInt());
                break;
            case plugdb::Type::Double:
                rc = sqlite3_bind_double(stmt_, index, value.asDouble());
                break;
            case plugdb::Type::Blob:
                rc = sqlite3_bind_blob64(stmt_, index, value.asBlob().data(), value.asBlob().size(),
                                         SQLITE_TRANSIENT);
                break;
            default:
                rc = sqlite3_bind_text64(stmt_, index, value.toString().c_str(),
                                         value.toString().size(), SQLITE_TRANSIENT, SQLITE_UTF8);
                break;
        }
        if (rc != SQLITE_OK) fail(db_, rc);
    }

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::vector<plugdb::Column> columns_;
    bool pending_ = false;
    std::int64_t changes_ = 0;
    std::optional<std::int64_t> lastId_;
};

class OldConnection : public plugdb::Connection {
public:
    explicit OldConnection(const std::string& file) {
        const int rc = sqlite3_open_v2(file.c_str(), &db_,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_close(db_);
            db_ = nullptr;
            fail(nullptr, rc);
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    ~OldConnection() override { sqlite3_close(db_); }

    std::unique_ptr<plugdb::Statement> prepare(std::string_view sql) override {
        return std::make_unique<OldStatement>(db_, sql);
    }
    void executeScript(std::string_view sql) override {
        const std::string text(sql);
        if (const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
            rc != SQLITE_OK)
            fail(db_, rc);
    }
    void begin() override { executeScript("BEGIN IMMEDIATE"); }
    void commit() override { executeScript("COMMIT"); }
    void rollback() override { executeScript("ROLLBACK"); }
    void ping() override { executeScript("SELECT 1"); }
    std::string serverVersion() override { return std::string("SQLite ") + sqlite3_libversion(); }
    void interrupt() override { sqlite3_interrupt(db_); }

private:
    sqlite3* db_ = nullptr;
};

class OldDriver : public plugdb::Driver {
public:
    const plugdb::Dialect& dialect() const override { return dialect_; }
    std::unique_ptr<plugdb::Connection> connect(const plugdb::DataSource& source) override {
        return std::make_unique<OldConnection>(source.database);
    }

private:
    plugdb::Dialect dialect_;
};

}  // namespace
}  // namespace abiold

PLUGDB_PLUGIN(abiold::OldDriver, "abiold", "1.0.0", "", "abiold",
              plugdb::kCapTransactions | plugdb::kCapSavepoints | plugdb::kCapLastInsertId |
                  plugdb::kCapInterrupt | plugdb::kCapEmbedded)
