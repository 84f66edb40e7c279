// SQLite's C API, the way a careful hand-written client uses it.
#include <sqlite3.h>

#include <stdexcept>

#include "contenders.h"

namespace plugdb::bench {
namespace {

class RawSqlite final : public Contender {
public:
    explicit RawSqlite(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK)
            throw std::runtime_error("sqlite: cannot open " + path);
        execute("PRAGMA journal_mode=WAL");
        execute("PRAGMA synchronous=NORMAL");
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawSqlite() override {
        sqlite3_finalize(point_);
        sqlite3_close_v2(db_);
    }

    void execute(const std::string& sql) override {
        char* message = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            throw std::runtime_error("sqlite: " + text);
        }
    }

    void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) override {
        if (!point_) point_ = prepare("SELECT name, v FROM t WHERE id = ?");
        for (const std::int64_t id : ids) {
            sqlite3_bind_int64(point_, 1, id);
            if (sqlite3_step(point_) != SQLITE_ROW) fail("point select");
            const std::string name(reinterpret_cast<const char*>(sqlite3_column_text(point_, 0)),
                                   static_cast<std::size_t>(sqlite3_column_bytes(point_, 0)));
            checksum += sqlite3_column_int64(point_, 1) + static_cast<std::int64_t>(name.size());
            sqlite3_reset(point_);
        }
    }

    void bulkInsert(std::span<const Row> rows) override {
        execute("BEGIN");
        sqlite3_stmt* insert = prepare("INSERT INTO t_bulk (id, name, v) VALUES (?, ?, ?)");
        for (const Row& row : rows) {
            sqlite3_bind_int64(insert, 1, row.id);
            sqlite3_bind_text(insert, 2, row.name.data(), static_cast<int>(row.name.size()),
                              SQLITE_STATIC);
            sqlite3_bind_int64(insert, 3, row.v);
            if (sqlite3_step(insert) != SQLITE_DONE) fail("insert");
            sqlite3_reset(insert);
        }
        sqlite3_finalize(insert);
        execute("COMMIT");
    }

    std::vector<Row> scan(const std::string& table) override {
        sqlite3_stmt* select = prepare("SELECT id, name, v FROM " + table);
        std::vector<Row> out;
        int rc;
        while ((rc = sqlite3_step(select)) == SQLITE_ROW)
            out.push_back(
                {sqlite3_column_int64(select, 0),
                 std::string(reinterpret_cast<const char*>(sqlite3_column_text(select, 1)),
                             static_cast<std::size_t>(sqlite3_column_bytes(select, 1))),
                 sqlite3_column_int64(select, 2)});
        sqlite3_finalize(select);
        if (rc != SQLITE_DONE) fail("scan");
        return out;
    }

private:
    sqlite3_stmt* prepare(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement,
                               nullptr) != SQLITE_OK)
            fail("prepare");
        return statement;
    }
    [[noreturn]] void fail(const char* what) {
        throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db_));
    }

    sqlite3* db_ = nullptr;
    sqlite3_stmt* point_ = nullptr;
};

}  // namespace

std::unique_ptr<Contender> rawSqlite(const std::string& path) {
    return std::make_unique<RawSqlite>(path);
}

}  // namespace plugdb::bench
