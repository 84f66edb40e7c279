// A plugin built against the ABI 1.0 headers (tests/loader/abi-1.0) loads and
// runs queries in this host: growing the ABI within major 1 must never change
// what such a plugin was compiled against.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/registry.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

class OldAbiPlugin : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("plugdb-abiold-" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    Database open() {
        Config config = Config::withDefaults();
        config.set("plugins.path", PLUGDB_TEST_OLD_ABI_DIR, Layer::CommandLine, "test");
        config.set("db.url", "abiold:" + (dir_ / "old.db").string(), Layer::CommandLine, "test");
        return Database::open(config);
    }

    fs::path dir_;
};

}  // namespace

TEST_F(OldAbiPlugin, LoadsAndReportsTheAbiItWasBuiltFor) {
    const auto scan = DriverRegistry::instance().scan({PLUGDB_TEST_OLD_ABI_DIR});
    ASSERT_EQ(scan.plugins.size(), 1u) << (scan.problems.empty() ? "" : scan.problems[0].reason);
    EXPECT_EQ(scan.plugins[0].name, "abiold");
    EXPECT_EQ(scan.plugins[0].abiMajor, 1);
    EXPECT_EQ(scan.plugins[0].abiMinor, 0);
    EXPECT_LE(scan.plugins[0].abiMinor, kAbiMinor);
}

TEST_F(OldAbiPlugin, RunsQueriesTransactionsAndBulkInsertsThroughTheCurrentCore) {
    Database db = open();
    EXPECT_TRUE(db.serverVersion().starts_with("SQLite ")) << db.serverVersion();
    db.ping();
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB)");
    db.transact([](Transaction& tx) {
        tx.exec("INSERT INTO t (id, name, score) VALUES (?, ?, ?)", {1, "one", 1.5});
        tx.savepoint("s");
        tx.exec("INSERT INTO t (id, name) VALUES (?, ?)", {2, "rolled back"});
        tx.rollbackTo("s");
        BulkInsert load = tx.bulkInsert("t", {"id", "name", "data"});
        for (int id = 10; id < 20; ++id) load.add({id, "bulk", Blob{0, 1, 2}});
        EXPECT_EQ(load.finish(), 10);
    });
    PreparedStatement count = db.prepare("SELECT count(*) FROM t WHERE name = ?");
    for (const auto& [name, expected] : std::vector<std::pair<std::string, std::int64_t>>{
             {"one", 1}, {"bulk", 10}, {"rolled back", 0}}) {
        Rows rows = count.query({name});
        ASSERT_TRUE(rows.next());
        EXPECT_EQ(rows.getInt(0), expected) << name;
    }
    Rows rows = db.query("SELECT id, name, score, data FROM t WHERE id IN (1, 10) ORDER BY id");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(1), "one");
    EXPECT_DOUBLE_EQ(rows.getDouble(2), 1.5);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getBlob(3), (Blob{0, 1, 2}));
    EXPECT_FALSE(rows.next());
    try {
        db.exec("INSERT INTO t (id, name) VALUES (1, 'again')");
        FAIL() << "a duplicate key must fail";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::UniqueViolation) << e.what();
        EXPECT_EQ(e.engine(), "abiold");
    }
}
