// The cockroach driver on the PostgreSQL test server: connecting, its name,
// port and capabilities, multi-host failover, error mapping of CockroachDB's
// codes (raised by the real server), and stale reads. CockroachDB itself is
// not available here (plugins/cockroach/README.md lists what is untested).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "cockroach_env.h"
#include "follower_read.h"
#include "plugdb/error.h"

using namespace plugdb;
using plugdb::test::cockroachUrl;
using plugdb::test::openCockroach;

namespace {

Error errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return Error(ErrorCategory::Other, "none");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string port() {
    return plugdb::test::requireServerVariable("postgres.env", "PLUGDB_PG_PORT");
}

}  // namespace

TEST(Cockroach, ConnectsOverThePostgresWireAndReportsItsCapabilities) {
    Database db = openCockroach(cockroachUrl());
    db.ping();
    EXPECT_EQ(db.info().driver, "cockroach");
    for (Capability cap :
         {kCapTransactions, kCapSavepoints, kCapReturning, kCapBulkLoad, kCapInterrupt})
        EXPECT_TRUE(db.has(cap)) << capabilitiesToString(cap);
    EXPECT_FALSE(db.has(kCapAdvisoryLocks)) << "the migrator uses its lease table";
    EXPECT_FALSE(db.has(kCapTransactionalDdl));
    // A CockroachDB server names itself in crdb_version; this one is PostgreSQL.
    EXPECT_TRUE(db.serverVersion().starts_with("PostgreSQL ")) << db.serverVersion();
    Rows rows = db.query("SELECT ? || '!'", {"hi"});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "hi!");
}

TEST(Cockroach, AnswersToItsAliasesAndToPostgresqlUrlsWhenChosenByName) {
    const std::string rest = cockroachUrl().substr(cockroachUrl().find("://"));
    EXPECT_EQ(openCockroach("cockroachdb" + rest).info().driver, "cockroach");

    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.driver", "crdb", Layer::CommandLine, "test");
    config.set("db.url", "postgresql" + rest, Layer::CommandLine, "test");
    Database db = Database::open(config);
    EXPECT_EQ(db.info().driver, "cockroach");
    db.ping();
}

TEST(Cockroach, DefaultPortIs26257) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", "cockroach://plugdb@127.0.0.1/plugdb", Layer::CommandLine, "test");
    config.set("connect.attempts", "1", Layer::CommandLine, "test");
    const Error e = errorOf([&] { Database::open(config); });
    EXPECT_EQ(e.category(), ErrorCategory::Connection) << e.what();
    EXPECT_TRUE(contains(e.what(), "127.0.0.1:26257/plugdb")) << e.what();
    EXPECT_TRUE(std::string(e.what()).starts_with("cockroach: cannot connect")) << e.what();
}

TEST(Cockroach, MultiHostUrlFailsOverToTheNextNode) {
    // Port 1 refuses; libpq moves on to the second node, as with postgres.
    const std::string url = cockroachUrl();
    const std::string credentials = url.substr(12, url.find('@') - 12);
    Database db = openCockroach("cockroach://" + credentials + "@127.0.0.1:1,127.0.0.1:" + port() +
                                "/plugdb");
    db.ping();
}

// The server raises each code for real (RAISE ... USING ERRCODE), so the
// mapping is checked on what libpq hands the driver.
TEST(Cockroach, MapsCockroachDbCodesNextToPostgresOnes) {
    Database db = openCockroach(cockroachUrl());
    const auto raise = [&](const std::string& code) {
        return errorOf([&] {
            db.exec("DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '" + code +
                    "'; END $$");
        });
    };
    const Error ambiguous = raise("40003");
    EXPECT_EQ(ambiguous.category(), ErrorCategory::CommitUnknown);
    EXPECT_FALSE(ambiguous.retryable());
    EXPECT_EQ(ambiguous.engine(), "cockroach");
    EXPECT_EQ(ambiguous.sqlState(), "40003");
    EXPECT_TRUE(std::string(ambiguous.what()).starts_with("cockroach: ")) << ambiguous.what();

    const Error restart = raise("40001");
    EXPECT_EQ(restart.category(), ErrorCategory::Serialization);
    EXPECT_TRUE(restart.retryable());
    EXPECT_EQ(raise("XXA00").category(), ErrorCategory::Other);
    EXPECT_EQ(raise("23505").category(), ErrorCategory::UniqueViolation);
    EXPECT_TRUE(raise("55P03").retryable()) << "a lock timeout, as on postgres";
    db.ping();  // the session stays usable
}

TEST(StaleReads, TheCockroachStatementIsAsOfSystemTime) {
    EXPECT_EQ(cockroach::followerReadBegin({}),
              "BEGIN TRANSACTION AS OF SYSTEM TIME follower_read_timestamp()");
    EXPECT_EQ(cockroach::followerReadBegin({std::chrono::seconds(10)}),
              "BEGIN TRANSACTION AS OF SYSTEM TIME '-10000ms'");
}

TEST(StaleReads, ReachTheServerThroughTheCockroachDriver) {
    // PostgreSQL has no AS OF SYSTEM TIME: its refusal shows the statement was sent.
    Database db = openCockroach(cockroachUrl());
    const Error e = errorOf([&] { db.beginStaleRead({}); });
    EXPECT_EQ(e.category(), ErrorCategory::Syntax) << e.what();
    EXPECT_EQ(errorOf([&] { db.beginStaleRead({std::chrono::milliseconds(-1)}); }).category(),
              ErrorCategory::InvalidArgument);
    db.ping();
}

TEST(StaleReads, DriversWithoutThemRefuseByName) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    const std::string pg = plugdb::test::requireServerVariable("postgres.env", "PLUGDB_PG_URL");
    config.set("db.url", pg, Layer::CommandLine, "test");
    Database postgres = Database::open(config);
    Error e = errorOf([&] { postgres.beginStaleRead({}); });
    EXPECT_EQ(e.category(), ErrorCategory::Unsupported);
    EXPECT_TRUE(contains(e.what(), "driver 'postgres' cannot read the database as of a time"))
        << e.what();

    const auto file = std::filesystem::temp_directory_path() /
                      ("plugdb-stale-" + std::to_string(getpid()) + ".db");
    config.set("db.url", "sqlite:" + file.string(), Layer::CommandLine, "test");
    {
        Database sqlite = Database::open(config);
        e = errorOf([&] { sqlite.beginStaleRead({}); });
        EXPECT_EQ(e.category(), ErrorCategory::Unsupported);
        EXPECT_TRUE(contains(e.what(), "driver 'sqlite'")) << e.what();
    }
    std::filesystem::remove(file);
}
