// What the in-tree plugins declare through the extension interfaces, as core
// uses it: driver options checked before connect (no server is reached), and
// traits a connection refines once it knows its server (real MariaDB).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "server_env.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

Config configFor(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    config.set("connect.attempts", "1", Layer::CommandLine, "test");
    return config;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The error opening `url` fails with.
Error openError(const std::string& url) {
    try {
        Database::open(configFor(url));
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << url << " opened";
    return Error(ErrorCategory::Other, "opened");
}

}  // namespace

// Defect 8: "connect_timeout=abc" on MySQL was category other, "stoul".
TEST(DriverOptions, EveryBadValueIsAConfigErrorNamingTheOptionAndTheValue) {
    const std::string file =
        (fs::temp_directory_path() / ("plugdb-options-" + std::to_string(getpid()) + ".db"))
            .string();
    // Nothing listens on port 1: a connection attempt would be a connection error.
    for (const auto& [url, named] : std::vector<std::pair<std::string, std::string>>{
             {"mysql://u@127.0.0.1:1/x?connect_timeout=abc", "connect_timeout='abc'"},
             {"mysql://u@127.0.0.1:1/x?connect_timeout=-1", "connect_timeout='-1'"},
             {"mysql://u@127.0.0.1:1/x?ssl-mode=sometimes", "ssl-mode='sometimes'"},
             {"postgres://u@127.0.0.1:1/x?connect_timeout=abc", "connect_timeout='abc'"},
             {"postgres://u@127.0.0.1:1/x?sslmode=sometimes", "sslmode='sometimes'"},
             {"postgres://u@127.0.0.1:1/x?keepalives=2", "keepalives='2'"},
             {"sqlite:" + file + "?busy_timeout=soon", "busy_timeout='soon'"},
             {"sqlite:" + file + "?read_only=maybe", "read_only='maybe'"}}) {
        const Error e = openError(url);
        EXPECT_EQ(e.category(), ErrorCategory::Config) << url << ": " << e.what();
        EXPECT_TRUE(contains(e.what(), named)) << url << ": " << e.what();
        EXPECT_TRUE(contains(e.what(), "is invalid; expected")) << url << ": " << e.what();
    }
    EXPECT_FALSE(fs::exists(file)) << "refused before the file was created";
}

TEST(DriverOptions, AnUnknownOptionIsRefusedByNameWithTheKnownOnes) {
    for (const auto& [url, known] : std::vector<std::pair<std::string, std::string>>{
             {"mysql://u@127.0.0.1:1/x?sslmod=require", "connect_timeout, socket, ssl-ca"},
             {"postgres://u@127.0.0.1:1/x?sslmod=require", "application_name, channel_binding"},
             {"sqlite::memory:?sslmod=require", "busy_timeout, foreign_keys, journal_mode"}}) {
        const Error e = openError(url);
        EXPECT_EQ(e.category(), ErrorCategory::Config) << url << ": " << e.what();
        EXPECT_TRUE(contains(e.what(), "unknown option 'sslmod' (value 'require')")) << e.what();
        EXPECT_TRUE(contains(e.what(), "known options: " + known)) << e.what();
    }
}

TEST(EngineTraits, TheInTreeDriversReportTheirSqlDialect) {
    Database db = Database::open(configFor("sqlite::memory:"));
    ASSERT_TRUE(db.info().sqlDialect.has_value());
    EXPECT_TRUE(db.info().sqlDialect->writeTransactionLocksDatabase);
    EXPECT_TRUE(db.info().sqlDialect->advisoryLock.tryLock.empty());
}

// MariaDB has INSERT ... RETURNING since 10.5, MySQL has none: the plugin does
// not declare it, its connection adds it after connecting to MariaDB.
TEST(EngineTraits, AMariaDbConnectionAddsReturning) {
    const std::string url = test::requireServerVariable("mariadb.env", "PLUGDB_MY_URL");
    Database db = Database::open(configFor(url));
    ASSERT_TRUE(contains(db.serverVersion(), "MariaDB")) << db.serverVersion();
    EXPECT_TRUE(db.has(kCapReturning));
    EXPECT_FALSE(db.info().sqlDialect->advisoryLock.tryLock.empty());
    db.exec("DROP TABLE IF EXISTS traits_ret");
    db.exec("CREATE TABLE traits_ret (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(8))");
    Rows rows = db.query("INSERT INTO traits_ret (v) VALUES (?) RETURNING id, v", {"r"});
    ASSERT_TRUE(rows.next());
    EXPECT_GT(rows.getInt(0), 0);
    EXPECT_EQ(rows.getText(1), "r");
    EXPECT_FALSE(rows.next());
    db.exec("DROP TABLE traits_ret");
}
