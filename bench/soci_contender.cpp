// SOCI 4 used directly, its backend loaded by name at run time.
// Debian's SOCI is built with Boost support, which only adds conversions for
// Boost types; without these lines soci.h would need Boost's headers.
#include <soci/soci-config.h>
#undef SOCI_HAVE_BOOST
#undef SOCI_HAVE_BOOST_DATE_TIME
#include <soci/soci.h>

#include <optional>

#include "contenders.h"

namespace plugdb::bench {
namespace {

// Rows per round trip for SOCI's vector binding and fetching.
constexpr std::size_t kBatch = 1000;

class SociContender final : public Contender {
public:
    SociContender(const std::string& backend, const std::string& connectString)
        : session_(backend, connectString) {}

    void execute(const std::string& sql) override { session_ << sql; }

    void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) override {
        if (!point_)
            point_.emplace((session_.prepare << "SELECT name, v FROM t WHERE id = :id",
                            soci::into(name_), soci::into(v_), soci::use(id_)));
        for (const std::int64_t id : ids) {
            id_ = static_cast<int>(id);
            point_->execute(true);
            checksum += v_ + static_cast<std::int64_t>(name_.size());
        }
        // The statement stopped after one row, so on SQLite it still holds its
        // read transaction (and snapshot); closing it lets the others write.
        point_.reset();
    }

    void bulkInsert(std::span<const Row> rows) override {
        std::vector<int> ids, values;
        std::vector<std::string> names;
        soci::transaction tx(session_);
        for (std::size_t start = 0; start < rows.size(); start += kBatch) {
            ids.clear();
            names.clear();
            values.clear();
            for (std::size_t i = start; i < std::min(rows.size(), start + kBatch); ++i) {
                ids.push_back(static_cast<int>(rows[i].id));
                names.push_back(rows[i].name);
                values.push_back(static_cast<int>(rows[i].v));
            }
            // Prepared per batch: SOCI's PostgreSQL backend crashes when the
            // vectors' size changes between executions of one statement.
            session_ << "INSERT INTO t_bulk (id, name, v) VALUES (:id, :name, :v)", soci::use(ids),
                soci::use(names), soci::use(values);
        }
        tx.commit();
    }

    std::vector<Row> scan(const std::string& table) override {
        std::vector<int> ids(kBatch), values(kBatch);
        std::vector<std::string> names(kBatch);
        soci::statement select = (session_.prepare << "SELECT id, name, v FROM " + table,
                                  soci::into(ids), soci::into(names), soci::into(values));
        select.execute();
        std::vector<Row> out;
        while (select.fetch()) {
            for (std::size_t i = 0; i < ids.size(); ++i)
                out.push_back({ids[i], std::move(names[i]), values[i]});
            ids.resize(kBatch);
            names.resize(kBatch);
            values.resize(kBatch);
        }
        return out;
    }

private:
    soci::session session_;
    std::optional<soci::statement> point_;
    int id_ = 0;
    std::string name_;
    int v_ = 0;
};

}  // namespace

std::unique_ptr<Contender> sociClient(const std::string& backend,
                                      const std::string& connectString) {
    return std::make_unique<SociContender>(backend, connectString);
}

}  // namespace plugdb::bench
