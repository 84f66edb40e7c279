// plugdb queries list|check, plugdb sql --named and the example program
// (examples/named_queries) as processes, on SQLite and on the real PostgreSQL
// and MariaDB servers (tests/servers), with the repository's queries/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "process.h"
#include "server_env.h"

namespace fs = std::filesystem;
using plugdb::test::ProcessOptions;
using plugdb::test::ProcessResult;
using plugdb::test::runProcess;

namespace {

struct Engine {
    const char* driver;
    const char* envFile;
    const char* urlVariable;
};

[[maybe_unused]] void PrintTo(const Engine& engine, std::ostream* out) {
    *out << engine.driver;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class NamedQueriesCli : public ::testing::TestWithParam<Engine> {
public:
    void SetUp() override {
        std::string slug;
        for (char c : std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()))
            slug += std::isalnum(static_cast<unsigned char>(c))
                        ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                        : '_';
        dir_ = fs::temp_directory_path() /
               ("plugdb-named-cli-" + std::to_string(getpid()) + "-" + slug);
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        fs::copy(PLUGDB_SOURCE_DIR "/queries", dir_ / "queries");
        fs::copy(PLUGDB_SOURCE_DIR "/migrations", dir_ / "migrations", fs::copy_options::recursive);
        if (driver() == "sqlite") {
            url_ = "sqlite:" + (dir_ / "app.db").string();
        } else {
            server_ =
                plugdb::test::requireServerVariable(GetParam().envFile, GetParam().urlVariable);
            database_ = ("named_cli_" + slug).substr(0, 60);
            admin("DROP DATABASE IF EXISTS " + database_ + force());
            admin("CREATE DATABASE " + database_);
            url_ = plugdb::test::withDatabase(server_, database_);
        }
    }
    void TearDown() override {
        if (!database_.empty()) admin("DROP DATABASE IF EXISTS " + database_ + force());
        fs::remove_all(dir_);
    }

    std::string driver() const { return GetParam().driver; }
    std::string force() const { return driver() == "postgres" ? " WITH (FORCE)" : ""; }
    void admin(const std::string& sql) {
        ProcessOptions options;
        options.env = {{"DATABASE_URL", server_}, {"PLUGDB_PLUGIN_PATH", PLUGDB_TEST_PLUGIN_DIR}};
        const ProcessResult r = runProcess({PLUGDB_TEST_BINARY, "sql", sql}, options);
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    // Runs in the test's folder, so ./queries and ./migrations are the defaults.
    ProcessResult run(std::vector<std::string> argv) {
        ProcessOptions options;
        options.env = {{"DATABASE_URL", url_}, {"PLUGDB_PLUGIN_PATH", PLUGDB_TEST_PLUGIN_DIR}};
        options.workDir = dir_.string();
        return runProcess(argv, options);
    }
    ProcessResult plugdb(std::vector<std::string> args) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        return run(args);
    }

    fs::path dir_;
    std::string url_, server_, database_;
};

TEST_P(NamedQueriesCli, ListNeedsNoDatabase) {
    ProcessOptions options;  // no DATABASE_URL: the files alone
    options.env = {{"PLUGDB_PLUGIN_PATH", PLUGDB_TEST_PLUGIN_DIR}};
    options.workDir = dir_.string();
    const ProcessResult r = runProcess({PLUGDB_TEST_BINARY, "queries", "list"}, options);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "./queries/tenants.postgres.sql:3")) << r.out;
    EXPECT_TRUE(contains(r.out, "find-users")) << r.out;
    const ProcessResult json =
        runProcess({PLUGDB_TEST_BINARY, "queries", "list", "--format", "json"}, options);
    ASSERT_EQ(json.exitCode, 0) << json.err;
    EXPECT_TRUE(contains(json.out,
                         "{\"name\":\"user-labels\",\"engine\":\"mysql\",\"file\":\"./queries/"
                         "users.sql\",\"line\":28,\"parameters\":[\"tenant_id\"]"))
        << json.out;
}

TEST_P(NamedQueriesCli, MigrateThenCheckThenRun) {
    // Before the schema exists, commands other than 'queries check' still work.
    ProcessResult r = plugdb({"migrate", "up"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = plugdb({"queries", "check"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "13 named queries prepared on " + driver())) << r.out;
    r = plugdb({"sql", "--named", "create-tenant", "--param", "id=t1", "--param", "name=Acme",
                "--param", "slug=acme"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "OK, 1 row affected")) << r.out;
    r = plugdb({"sql", "--named", "get-tenant", "--param", "tenant_id=t1", "--format", "csv"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "t1,Acme,acme")) << r.out;
    r = plugdb({"sql", "--named", "get-tenant", "--param", "t1"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "with --named, --param is NAME=VALUE")) << r.err;
    r = plugdb({"sql", "--named", "get-tenant"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "named query 'get-tenant' needs a value for :tenant_id")) << r.err;
}

TEST_P(NamedQueriesCli, CheckNamesATypoWithFileAndLine) {
    ASSERT_EQ(plugdb({"migrate", "up"}).exitCode, 0);
    std::ofstream(dir_ / "queries" / "typo.sql") << "-- name: typo\nSELECT nme FROM tenants\n";
    const ProcessResult r = plugdb({"queries", "check"});
    EXPECT_EQ(r.exitCode, 65) << r.out;
    EXPECT_TRUE(contains(r.err, "named query 'typo' (./queries/typo.sql:1)")) << r.err;
    // Other commands only check the files.
    EXPECT_EQ(plugdb({"ping"}).exitCode, 0);
}

TEST_P(NamedQueriesCli, ABadFileStopsEveryCommand) {
    std::ofstream(dir_ / "queries" / "dup.sql") << "-- name: get-tenant\nSELECT 1\n";
    const ProcessResult r = plugdb({"ping"});
    EXPECT_EQ(r.exitCode, 78);
    EXPECT_TRUE(contains(r.err,
                         "./queries/tenants.sql:8: 'get-tenant' is defined twice for all engines "
                         "(portable); the first is at ./queries/dup.sql:1"))
        << r.err;
}

TEST_P(NamedQueriesCli, TheExampleProgram) {
#ifndef PLUGDB_TEST_EXAMPLE
    GTEST_SKIP() << "built without the examples (PLUGDB_BUILD_EXAMPLES=OFF)";
#else
    const ProcessResult r = run({PLUGDB_TEST_EXAMPLE});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "13 named queries from ./queries checked on " + driver())) << r.out;
    EXPECT_TRUE(contains(r.out, "label=Ada Lovelace <ada@example.test>")) << r.out;
    EXPECT_TRUE(contains(r.out, "email=grace@example.test display_name=Grace Hopper")) << r.out;
    EXPECT_TRUE(contains(r.out, "name=large-order events=2")) << r.out;
#endif
}

INSTANTIATE_TEST_SUITE_P(Engines, NamedQueriesCli,
                         ::testing::Values(Engine{"sqlite", "", ""},
                                           Engine{"postgres", "postgres.env", "PLUGDB_PG_URL"},
                                           Engine{"mysql", "mariadb.env", "PLUGDB_MY_URL"}),
                         [](const auto& test) { return std::string(test.param.driver); });

}  // namespace
