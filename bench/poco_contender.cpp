// Poco::Data used directly, the way its documentation shows.
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <mutex>
#include <optional>

#include "contenders.h"

namespace plugdb::bench {
namespace {

using namespace Poco::Data::Keywords;

// PostgreSQL's connector passes SQL through unchanged: it needs $1, $2, ...
std::string placeholders(const std::string& connector, std::string sql) {
    if (connector != "PostgreSQL") return sql;
    std::string out;
    int n = 0;
    for (char c : sql) out += c == '?' ? "$" + std::to_string(++n) : std::string(1, c);
    return out;
}

class PocoContender final : public Contender {
public:
    PocoContender(const std::string& connector, const std::string& connectionString)
        : connector_(connector), session_(connector, connectionString) {}

    void execute(const std::string& sql) override { session_ << sql, now; }

    void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) override {
        if (!point_) {
            point_.emplace(session_);
            *point_ << placeholders(connector_, "SELECT name, v FROM t WHERE id = ?"), into(name_),
                into(v_), use(id_);
        }
        for (const std::int64_t id : ids) {
            id_ = static_cast<int>(id);
            point_->execute();
            checksum += v_ + static_cast<std::int64_t>(name_.size());
        }
        // The statement stopped after one row, so on SQLite it still holds its
        // read transaction (and snapshot); closing it lets the others write.
        point_.reset();
    }

    void bulkInsert(std::span<const Row> rows) override {
        std::vector<int> ids, values;
        std::vector<std::string> names;
        for (const Row& row : rows) {
            ids.push_back(static_cast<int>(row.id));
            names.push_back(row.name);
            values.push_back(static_cast<int>(row.v));
        }
        session_.begin();
        session_ << placeholders(connector_, "INSERT INTO t_bulk (id, name, v) VALUES (?, ?, ?)"),
            use(ids), use(names), use(values), now;
        session_.commit();
    }

    std::vector<Row> scan(const std::string& table) override {
        std::vector<int> ids, values;
        std::vector<std::string> names;
        session_ << "SELECT id, name, v FROM " + table, into(ids), into(names), into(values), now;
        std::vector<Row> out;
        out.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            out.push_back({ids[i], std::move(names[i]), values[i]});
        return out;
    }

private:
    std::string connector_;
    Poco::Data::Session session_;
    std::optional<Poco::Data::Statement> point_;
    int id_ = 0;
    std::string name_;
    int v_ = 0;
};

}  // namespace

std::unique_ptr<Contender> pocoClient(const std::string& connector,
                                      const std::string& connectionString) {
    static std::once_flag registered;
    std::call_once(registered, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();
    });
    return std::make_unique<PocoContender>(connector, connectionString);
}

}  // namespace plugdb::bench
