// plugdb migrate and serve's auto-migration as a user runs them, on SQLite.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http_get.h"
#include "process.h"

namespace fs = std::filesystem;
using namespace plugdb::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class MigrateCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-migrate-cli-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        options_.workDir = dir_.string();
        options_.env["PLUGDB_PLUGIN_PATH"] = PLUGDB_TEST_PLUGIN_DIR;
    }
    void TearDown() override { fs::remove_all(dir_); }

    ProcessResult plugdb(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        ProcessOptions options = options_;
        options.input = input;
        return runProcess(args, options);
    }

    void write(const std::string& relative, const std::string& text) {
        fs::create_directories((dir_ / relative).parent_path());
        std::ofstream(dir_ / relative) << text;
    }

    // Starts serve and waits until /ready's body contains `expected`; returns the last answer.
    HttpReply serveUntil(Child& child, int& port, const std::string& expected) {
        const std::optional<int> listening = listeningPort(child);
        if (!listening) return {};
        port = *listening;
        return pollUntil(
            port, "/ready", [&](const HttpReply& reply) { return contains(reply.body, expected); },
            200);
    }

    fs::path dir_;
    ProcessOptions options_;
};

}  // namespace

TEST_F(MigrateCli, CreateUpStatusDownWithTheDefaultFolderAndDatabase) {
    auto r = plugdb({"migrate", "create", "add_notes"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir_ / "migrations/0001_add_notes/up.sql"));
    EXPECT_TRUE(fs::exists(dir_ / "migrations/0001_add_notes/down.sql"));
    write("migrations/0001_add_notes/up.sql",
          "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);");
    write("migrations/0001_add_notes/down.sql", "DROP TABLE notes;");
    ASSERT_EQ(plugdb({"migrate", "create", "add_tags"}).exitCode, 0);
    write("migrations/0002_add_tags/up.sql", "CREATE TABLE tags (name VARCHAR(40) NOT NULL);");
    write("migrations/0002_add_tags/down.sql", "DROP TABLE tags;");

    r = plugdb({"migrate", "plan"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "-- 0001_add_notes")) << r.out;
    EXPECT_TRUE(contains(r.out, "CREATE TABLE tags (name VARCHAR(40) NOT NULL);")) << r.out;

    r = plugdb({"migrate", "up"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "applied 2 migration(s); now at version 2")) << r.out;

    r = plugdb({"migrate", "status", "--format", "json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, R"({"current":2,"migrations":[{"version":1,"name":"add_notes",)"
                                R"("state":"applied")"))
        << r.out;
    r = plugdb({"migrate", "status"});
    EXPECT_TRUE(contains(r.out, "current version: 2")) << r.out;

    // More than one down needs --yes (no terminal here to ask on).
    r = plugdb({"migrate", "down", "2"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "--yes")) << r.err;
    r = plugdb({"migrate", "down"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "now at version 1")) << r.out;
    r = plugdb({"migrate", "goto", "0", "--yes"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "now at version 0")) << r.out;
    EXPECT_EQ(plugdb({"migrate", "validate"}).exitCode, 0);
}

TEST_F(MigrateCli, RefusalsHaveExitCodesAndSayWhy) {
    write("migrations/0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    write("migrations/0003_c/up.sql", "CREATE TABLE c (id INTEGER);");
    auto r = plugdb({"migrate", "up"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err, "version 2 is missing")) << r.err;
    fs::rename(dir_ / "migrations/0003_c", dir_ / "migrations/0002_c");
    write("migrations/0002_c/up.sql", "CREATE TABLE c (id INTEGER;");
    r = plugdb({"migrate", "up"});
    EXPECT_EQ(r.exitCode, 65);
    EXPECT_TRUE(contains(r.err, "0002_c/up.sql, statement 1 of 1, sqlite said")) << r.err;
    EXPECT_EQ(plugdb({"migrate", "frobnicate"}).exitCode, 64);
    EXPECT_EQ(plugdb({"migrate", "goto", "x"}).exitCode, 64);
    EXPECT_EQ(plugdb({"migrate", "up", "--param", "1"}).exitCode, 64);
    EXPECT_EQ(plugdb({"--set", "migrations.path=nowhere", "migrate", "status"}).exitCode, 78);
}

// An unedited template once was "applied (0 statements)".
TEST_F(MigrateCli, AnEmptyMigrationIsRefusedUnlessMarked) {
    ASSERT_EQ(plugdb({"migrate", "create", "nothing_yet"}).exitCode, 0);
    auto r = plugdb({"migrate", "up"});
    EXPECT_EQ(r.exitCode, 78) << r.out << r.err;
    EXPECT_TRUE(contains(r.err, "migrations/0001_nothing_yet/up.sql has no statements")) << r.err;
    EXPECT_TRUE(contains(r.err, "-- plugdb:empty")) << r.err;
    r = plugdb({"migrate", "plan"});
    EXPECT_EQ(r.exitCode, 78) << r.out;
    r = plugdb({"migrate", "status", "--format", "json"});
    EXPECT_TRUE(contains(r.out, R"({"current":0,)")) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, R"("state":"pending")")) << r.out;

    write("migrations/0001_nothing_yet/up.sql", "-- a placeholder version\n-- plugdb:empty\n");
    r = plugdb({"migrate", "up"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "now at version 1")) << r.out;
    // Its down.sql is still the template: reverting is refused, the version stays.
    r = plugdb({"migrate", "down"});
    EXPECT_EQ(r.exitCode, 78) << r.out;
    EXPECT_TRUE(contains(r.err, "0001_nothing_yet/down.sql has no statements")) << r.err;
    EXPECT_TRUE(contains(plugdb({"migrate", "status"}).out, "current version: 1"));
}

// A directory once was recorded as applied, a FIFO hung the command and a link
// to /dev/zero was read until memory ran out.
TEST_F(MigrateCli, AScriptThatIsNotARegularFileFailsAtOnceNamingIt) {
    fs::create_directories(dir_ / "migrations/0001_a/up.sql");
    auto r = plugdb({"migrate", "up"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err, "migrations/0001_a/up.sql: it is a directory")) << r.err;
    fs::remove_all(dir_ / "migrations/0001_a/up.sql");

    ASSERT_EQ(mkfifo((dir_ / "migrations/0001_a/up.sql").c_str(), 0600), 0);
    r = plugdb({"migrate", "up"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err, "migrations/0001_a/up.sql: it is a FIFO")) << r.err;
    fs::remove(dir_ / "migrations/0001_a/up.sql");

    fs::create_symlink("/dev/zero", dir_ / "migrations/0001_a/up.sql");
    r = plugdb({"migrate", "up"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err, "migrations/0001_a/up.sql: it is a character device")) << r.err;
    fs::remove(dir_ / "migrations/0001_a/up.sql");

    write("migrations/0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    r = plugdb({"--set", "limits.sql_file_bytes=10", "migrate", "up"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err, "over the limit of 10 bytes")) << r.err;

    // A down.sql that is a directory: refused, and the table is still there.
    ASSERT_EQ(plugdb({"migrate", "up"}).exitCode, 0);
    fs::create_directories(dir_ / "migrations/0001_a/down.sql");
    r = plugdb({"migrate", "down"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err, "migrations/0001_a/down.sql: it is a directory")) << r.err;
    EXPECT_EQ(plugdb({"sql", "select count(*) from a"}).exitCode, 0);
}

// plan runs nothing, so like ping and sql it tries an unreachable server once.
TEST_F(MigrateCli, PlanTriesTheServerOnce) {
    write("migrations/0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    auto r = plugdb({"--url", "postgres://nobody@127.0.0.1:1/none", "migrate", "plan"});
    EXPECT_EQ(r.exitCode, 69) << r.out << r.err;
    EXPECT_FALSE(contains(r.err, "attempts")) << r.err;
    EXPECT_FALSE(contains(r.err, "retrying")) << r.err;
}

TEST_F(MigrateCli, PlanForANamedDriverRendersOfflineWithoutADatabase) {
    fs::copy(PLUGDB_SOURCE_DIR "/migrations", dir_ / "migrations", fs::copy_options::recursive);
    auto r = plugdb({"--driver", "postgres", "migrate", "plan"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "-- offline for postgres: no database was consulted")) << r.out;
    EXPECT_TRUE(contains(r.out, "-- 0001_create_tenants (")) << r.out;
    EXPECT_TRUE(contains(r.out, "-- 0004_create_rule_events (")) << r.out;
    EXPECT_TRUE(contains(r.out, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")) << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "var")) << "a database was opened";

    r = plugdb({"--driver", "mysql", "migrate", "plan", "1"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "-- 0001_create_tenants (")) << r.out;
    EXPECT_FALSE(contains(r.out, "0002_create_users")) << r.out;
    EXPECT_TRUE(contains(r.out, "DEFAULT CHARSET=utf8mb4")) << r.out;

    r = plugdb({"--driver", "postgresql", "migrate", "plan"});  // an alias: the plugin's name
    EXPECT_TRUE(contains(r.out, "-- offline for postgres")) << r.out << r.err;
    r = plugdb({"--driver", "nosuchdriver", "migrate", "plan"});
    EXPECT_EQ(r.exitCode, 69) << r.out;
    EXPECT_TRUE(contains(r.err, "nosuchdriver")) << r.err;
}

// The migrate lines of README.md's tour, in a fresh directory.
TEST_F(MigrateCli, TheReadmeTourWorksInAFreshDirectory) {
    auto r = plugdb({"migrate", "create", "add_tags"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    write("migrations/0001_add_tags/up.sql",
          "create table tags(id integer primary key autoincrement, name varchar(40) not null);\n");
    r = plugdb({"--driver", "postgres", "migrate", "plan"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "create table tags(id BIGINT GENERATED BY DEFAULT AS IDENTITY"))
        << r.out;
    r = plugdb({"migrate", "up"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = plugdb({"migrate", "status"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "add_tags")) << r.out;
    EXPECT_TRUE(contains(r.out, "current version: 1")) << r.out;
}

TEST_F(MigrateCli, ServeAppliesTheMigrationsBeforeItIsReady) {
    fs::copy(PLUGDB_SOURCE_DIR "/migrations", dir_ / "migrations", fs::copy_options::recursive);
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    int port = 0;
    auto ready = serveUntil(child, port, R"("status":"ready")");
    EXPECT_EQ(ready.status, 200) << ready.body << child.stderrText();
    auto health = httpGet(port, "/health");
    EXPECT_TRUE(contains(health.body, R"("migrations":"version 4")")) << health.body;
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(), 0);
    auto r = plugdb({"migrate", "status", "--format", "json"});
    EXPECT_TRUE(contains(r.out, R"({"current":4,)")) << r.out << r.err;
}

TEST_F(MigrateCli, ServeStaysNotReadyAfterAFailedMigration) {
    write("migrations/0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    write("migrations/0002_b/up.sql", "CREATE TABLEX b (id INTEGER);");
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    int port = 0;
    auto ready = serveUntil(child, port, "migration failed");
    EXPECT_EQ(ready.status, 503) << ready.body << child.stderrText();
    EXPECT_TRUE(contains(ready.body, "0002_b/up.sql, statement 1 of 1")) << ready.body;
    auto health = httpGet(port, "/health");
    EXPECT_EQ(health.status, 503);
    EXPECT_TRUE(contains(health.body, "migration failed")) << health.body;
    EXPECT_TRUE(contains(health.body, R"("migrations":"failed")")) << health.body;
    auto detailed = httpGet(port, "/health/detailed");
    EXPECT_EQ(detailed.status, 503);
    EXPECT_TRUE(
        contains(detailed.body, R"("migrations":{"state":"failed","error":"migration 0002_b)"))
        << detailed.body;
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(), 0);
}

TEST_F(MigrateCli, ServeSkipsMigrationsWhenTurnedOffOrWithoutAFolder) {
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    int port = 0;
    EXPECT_EQ(serveUntil(child, port, R"("status":"ready")").status, 200) << child.stderrText();
    child.signal(SIGTERM);
    child.wait();

    write("migrations/0001_a/up.sql", "CREATE TABLEX a (id INTEGER);");
    options_.env["DB_AUTO_MIGRATE"] = "false";
    Child off({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    EXPECT_EQ(serveUntil(off, port, R"("status":"ready")").status, 200) << off.stderrText();
    EXPECT_TRUE(contains(httpGet(port, "/health").body, R"("migrations":"off")"));
    off.signal(SIGTERM);
    off.wait();
}
