// plugdb through its public API, the way an application uses it.
#include <optional>

#include "contenders.h"
#include "open_database.h"
#include "plugdb/database.h"

namespace plugdb::bench {
namespace {

class PlugdbContender final : public Contender {
public:
    explicit PlugdbContender(const std::string& url) : db_(openDatabase(url)) {}

    void execute(const std::string& sql) override { db_.exec(sql); }

    void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) override {
        if (!point_) point_.emplace(db_.prepare("SELECT name, v FROM t WHERE id = ?"));
        for (const std::int64_t id : ids) {
            Rows rows = point_->query({id});
            rows.next();
            const std::string name = rows.getText(0);
            checksum += rows.getInt(1) + static_cast<std::int64_t>(name.size());
        }
    }

    void bulkInsert(std::span<const Row> rows) override {
        db_.transact([&](Transaction& tx) {
            BulkInsert bulk = tx.bulkInsert("t_bulk", {"id", "name", "v"});
            for (const Row& row : rows) bulk.add({row.id, row.name, row.v});
            bulk.finish();
        });
    }

    std::vector<Row> scan(const std::string& table) override {
        std::vector<Row> out;
        Rows rows = db_.query("SELECT id, name, v FROM " + table);
        while (rows.next()) out.push_back({rows.getInt(0), rows.getText(1), rows.getInt(2)});
        return out;
    }

private:
    Database db_;
    std::optional<PreparedStatement> point_;
};

}  // namespace

std::unique_ptr<Contender> plugdbClient(const std::string& url) {
    return std::make_unique<PlugdbContender>(url);
}

}  // namespace plugdb::bench
