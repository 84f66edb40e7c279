// The MariaDB/MySQL C client, the way a careful hand-written client uses it:
// a server-side prepared statement for point selects, multi-row INSERTs for
// bulk loads, an unbuffered text-protocol result for a scan.
#include <mysql.h>

#include <charconv>
#include <stdexcept>

#include "contenders.h"

namespace plugdb::bench {
namespace {

// Rows per multi-row INSERT.
constexpr std::size_t kBatch = 1000;

std::int64_t toInt(const char* text, unsigned long length) {
    std::int64_t value = 0;
    std::from_chars(text, text + length, value);
    return value;
}

class RawMysql final : public Contender {
public:
    explicit RawMysql(const ServerSpec& s) : conn_(mysql_init(nullptr)) {
        mysql_options(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
        const bool socket = !s.socket.empty();
        if (!mysql_real_connect(conn_, socket ? "localhost" : s.host.c_str(), s.user.c_str(),
                                s.password.c_str(), s.database.c_str(),
                                static_cast<unsigned>(s.port), socket ? s.socket.c_str() : nullptr,
                                0)) {
            const std::string message = mysql_error(conn_);
            mysql_close(conn_);
            throw std::runtime_error("mysql: " + message);
        }
    }
    ~RawMysql() override {
        if (point_) mysql_stmt_close(point_);
        mysql_close(conn_);
    }

    void execute(const std::string& sql) override {
        if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail("query");
    }

    void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) override {
        if (!point_) preparePoint();
        for (const std::int64_t id : ids) {
            id_ = id;
            if (mysql_stmt_execute(point_) != 0 || mysql_stmt_fetch(point_) != 0)
                throw std::runtime_error(std::string("mysql: ") + mysql_stmt_error(point_));
            const std::string name(name_, nameLength_);
            checksum += v_ + static_cast<std::int64_t>(name.size());
            while (mysql_stmt_fetch(point_) == 0) {
            }
        }
    }

    void bulkInsert(std::span<const Row> rows) override {
        execute("START TRANSACTION");
        std::string sql;
        char num[24];
        std::string escaped;
        for (std::size_t start = 0; start < rows.size(); start += kBatch) {
            sql = "INSERT INTO t_bulk (id, name, v) VALUES ";
            for (std::size_t i = start; i < std::min(rows.size(), start + kBatch); ++i) {
                const Row& row = rows[i];
                if (i > start) sql += ',';
                sql += '(';
                sql.append(num, std::to_chars(num, num + sizeof num, row.id).ptr);
                sql += ",'";
                escaped.resize(row.name.size() * 2 + 1);
                escaped.resize(mysql_real_escape_string(conn_, escaped.data(), row.name.data(),
                                                        row.name.size()));
                sql += escaped;
                sql += "',";
                sql.append(num, std::to_chars(num, num + sizeof num, row.v).ptr);
                sql += ')';
            }
            execute(sql);
        }
        execute("COMMIT");
    }

    std::vector<Row> scan(const std::string& table) override {
        execute("SELECT id, name, v FROM " + table);
        MYSQL_RES* result = mysql_use_result(conn_);
        if (!result) fail("use result");
        std::vector<Row> out;
        while (MYSQL_ROW row = mysql_fetch_row(result)) {
            const unsigned long* lengths = mysql_fetch_lengths(result);
            out.push_back({toInt(row[0], lengths[0]), std::string(row[1], lengths[1]),
                           toInt(row[2], lengths[2])});
        }
        mysql_free_result(result);
        return out;
    }

private:
    void preparePoint() {
        point_ = mysql_stmt_init(conn_);
        const std::string sql = "SELECT name, v FROM t WHERE id = ?";
        if (mysql_stmt_prepare(point_, sql.data(), sql.size()) != 0) fail("prepare");
        param_.buffer_type = MYSQL_TYPE_LONGLONG;
        param_.buffer = &id_;
        results_[0].buffer_type = MYSQL_TYPE_STRING;
        results_[0].buffer = name_;
        results_[0].buffer_length = sizeof name_;
        results_[0].length = &nameLength_;
        results_[1].buffer_type = MYSQL_TYPE_LONGLONG;
        results_[1].buffer = &v_;
        if (mysql_stmt_bind_param(point_, &param_) != 0 ||
            mysql_stmt_bind_result(point_, results_) != 0)
            fail("bind");
    }
    [[noreturn]] void fail(const char* what) {
        throw std::runtime_error(std::string("mysql: ") + what + ": " + mysql_error(conn_));
    }

    MYSQL* conn_;
    MYSQL_STMT* point_ = nullptr;
    MYSQL_BIND param_{};
    MYSQL_BIND results_[2]{};
    std::int64_t id_ = 0;
    char name_[256] = {};
    unsigned long nameLength_ = 0;
    std::int64_t v_ = 0;
};

}  // namespace

std::unique_ptr<Contender> rawMysql(const ServerSpec& server) {
    return std::make_unique<RawMysql>(server);
}

}  // namespace plugdb::bench
