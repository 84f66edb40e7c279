// libpq, the way a careful hand-written client uses it: a prepared statement
// for point selects, COPY for bulk loads, one result for a scan.
#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <stdexcept>

#include "contenders.h"

namespace plugdb::bench {
namespace {

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::int64_t toInt(const char* text, int length) {
    std::int64_t value = 0;
    std::from_chars(text, text + length, value);
    return value;
}

class RawPostgres final : public Contender {
public:
    explicit RawPostgres(const ServerSpec& s) {
        const std::string host = s.socket.empty() ? s.host : s.socket;
        const char* keys[] = {"host", "port", "user", "password", "dbname", "sslmode", nullptr};
        const std::string port = std::to_string(s.port);
        const char* values[] = {
            host.c_str(),       port.c_str(), s.user.c_str(), s.password.c_str(),
            s.database.c_str(), "disable",    nullptr};
        conn_ = PQconnectdbParams(keys, values, 0);
        if (PQstatus(conn_) != CONNECTION_OK) {
            const std::string message = PQerrorMessage(conn_);
            PQfinish(conn_);
            throw std::runtime_error("postgres: " + message);
        }
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
    }
    ~RawPostgres() override { PQfinish(conn_); }

    void execute(const std::string& sql) override {
        Result r(PQexec(conn_, sql.c_str()));
        check(r.get(), PGRES_COMMAND_OK);
    }

    void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) override {
        if (!prepared_) {
            Result r(PQprepare(conn_, "point", "SELECT name, v FROM t WHERE id = $1", 1, nullptr));
            check(r.get(), PGRES_COMMAND_OK);
            prepared_ = true;
        }
        char buf[24];
        for (const std::int64_t id : ids) {
            *std::to_chars(buf, buf + sizeof buf - 1, id).ptr = '\0';
            const char* params[] = {buf};
            Result r(PQexecPrepared(conn_, "point", 1, params, nullptr, nullptr, 0));
            check(r.get(), PGRES_TUPLES_OK);
            const std::string name(PQgetvalue(r.get(), 0, 0),
                                   static_cast<std::size_t>(PQgetlength(r.get(), 0, 0)));
            checksum += toInt(PQgetvalue(r.get(), 0, 1), PQgetlength(r.get(), 0, 1)) +
                        static_cast<std::int64_t>(name.size());
        }
    }

    void bulkInsert(std::span<const Row> rows) override {
        execute("BEGIN");
        Result start(PQexec(conn_, "COPY t_bulk (id, name, v) FROM STDIN"));
        check(start.get(), PGRES_COPY_IN);
        std::string buffer;
        char num[24];
        for (const Row& row : rows) {  // the names need no COPY escaping
            buffer.append(num, std::to_chars(num, num + sizeof num, row.id).ptr);
            buffer += '\t';
            buffer += row.name;
            buffer += '\t';
            buffer.append(num, std::to_chars(num, num + sizeof num, row.v).ptr);
            buffer += '\n';
            if (buffer.size() >= 64 * 1024) {
                PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size()));
                buffer.clear();
            }
        }
        PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size()));
        PQputCopyEnd(conn_, nullptr);
        Result end(PQgetResult(conn_));
        check(end.get(), PGRES_COMMAND_OK);
        while (Result more{PQgetResult(conn_)}) {
        }
        execute("COMMIT");
    }

    std::vector<Row> scan(const std::string& table) override {
        Result r(PQexec(conn_, ("SELECT id, name, v FROM " + table).c_str()));
        check(r.get(), PGRES_TUPLES_OK);
        const int n = PQntuples(r.get());
        std::vector<Row> out;
        out.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            out.push_back({toInt(PQgetvalue(r.get(), i, 0), PQgetlength(r.get(), i, 0)),
                           std::string(PQgetvalue(r.get(), i, 1),
                                       static_cast<std::size_t>(PQgetlength(r.get(), i, 1))),
                           toInt(PQgetvalue(r.get(), i, 2), PQgetlength(r.get(), i, 2))});
        return out;
    }

private:
    void check(const PGresult* r, ExecStatusType expected) {
        if (PQresultStatus(r) != expected)
            throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(conn_));
    }

    PGconn* conn_ = nullptr;
    bool prepared_ = false;
};

}  // namespace

std::unique_ptr<Contender> rawPostgres(const ServerSpec& server) {
    return std::make_unique<RawPostgres>(server);
}

}  // namespace plugdb::bench
