// The plugdb binary, run as an operator would: exit codes, output, masking.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "http_get.h"
#include "process.h"

namespace fs = std::filesystem;
using plugdb::test::Child;
using plugdb::test::httpGet;
using plugdb::test::HttpReply;
using plugdb::test::listeningPort;
using plugdb::test::pollUntil;
using plugdb::test::ProcessOptions;
using plugdb::test::ProcessResult;
using plugdb::test::runProcess;

namespace {

const std::string kSecret = "Sup3r-S3cret-Pw";

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-cli-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        options_.workDir = dir_.string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    ProcessResult plugdb(std::vector<std::string> args) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        return runProcess(args, options_);
    }

    fs::path dir_;
    ProcessOptions options_;  // an empty environment: nothing configured
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_F(Cli, DriversListsSqlite) {
    auto r = plugdb({"drivers"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "sqlite")) << r.out;
    EXPECT_TRUE(contains(r.out, "savepoints")) << r.out;
    EXPECT_TRUE(contains(r.out, "libplugdb-sqlite.so")) << r.out;
}

TEST_F(Cli, SelectOneWithNoConfigurationAtAll) {
    auto r = plugdb({"sql", "select 1"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "1\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "(1 row)")) << r.out;
    EXPECT_TRUE(fs::exists(dir_ / "var" / "plugdb.db")) << "the default database file";
}

TEST_F(Cli, DatabaseUrlPicksTheFile) {
    const std::string file = (dir_ / "x.db").string();
    options_.env["DATABASE_URL"] = "sqlite:" + file;
    auto r = plugdb({"sql", "create table t(id integer primary key, name text)",
                     "insert into t(name) values ('alpha')"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(file));
    EXPECT_FALSE(fs::exists(dir_ / "var" / "plugdb.db"));
    r = plugdb({"sql", "--format", "csv", "select id, name from t"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "id,name\r\n1,alpha\r\n");
}

TEST_F(Cli, ParametersAreBoundNotSpliced) {
    auto r = plugdb({"sql", "create table t(v text)", "insert into t values (?)", "--param",
                     "x'); drop table t; --"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = plugdb({"sql", "--format", "json", "select v, typeof(v) as ty, ? + 1 as n from t",
                "--param", "41"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, R"("v":"x'); drop table t; --","ty":"text","n":42)")) << r.out;
}

TEST_F(Cli, TypedParameters) {
    auto r = plugdb({"sql", "--format", "json", "select ? as t, ? as b, ? as s, ? as n", "--param",
                     "ts:2024-01-01 02:00:00.5+02:00", "--param", "bool:true", "--param", "text:42",
                     "--param", "null"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, R"("t":"2024-01-01 00:00:00.500000Z","b":1,"s":"42","n":null)"))
        << r.out;
    EXPECT_EQ(plugdb({"sql", "select ?", "--param", "ts:yesterday"}).exitCode, 64);
}

TEST_F(Cli, WrongParameterCountIsAUsageError) {
    auto r = plugdb({"sql", "select ?, ?", "--param", "1"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "statement 1 has 2 placeholders")) << r.err;
}

TEST_F(Cli, StatementsFromStdinAndFile) {
    options_.input = "create table t(a int); insert into t values (1); insert into t values (2);";
    auto r = plugdb({"sql"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::ofstream(dir_ / "q.sql") << "-- count them\nselect count(*) as n from t;\n";
    r = plugdb({"sql", "--file", "q.sql"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "2\n")) << r.out;
    r = plugdb({"sql", "--file", "missing.sql"});
    EXPECT_EQ(r.exitCode, 66) << r.err;
}

TEST_F(Cli, UntypedParametersReachTheEngineAsTyped) {
    auto r = plugdb({"sql", "--format", "csv", "select ? as a, ? as b, ? as c, ? as d, ? as e",
                     "--param", "007", "--param", "1.10", "--param", "-0", "--param", "1e3",
                     "--param", "+5"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "a,b,c,d,e\r\n007,1.10,-0,1e3,+5\r\n");
    // The engine converts the text for an integer column, in inserts and comparisons.
    r = plugdb({"sql", "--format", "csv", "create table n(id integer primary key, i integer)",
                "insert into n(i) values (?)",
                "select typeof(i) as t, i + 1 as j from n where i = ?", "--param", "42", "--param",
                "42"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "t,j\r\ninteger,43\r\n");
    r = plugdb({"sql", "--format", "csv", "select typeof(?) as i, typeof(?) as d, typeof(?) as n",
                "--param", "int:007", "--param", "double:1.10", "--param", "null"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "i,d,n\r\ninteger,real,null\r\n");
}

TEST_F(Cli, BoolParametersTakeTheConfigurationsWords) {
    std::vector<std::string> args = {
        "sql", "--format", "csv",
        "select ? as a, ? as b, ? as c, ? as d, ? as e, ? as f, ? as g, "
        "? as h"};
    for (const char* word : {"yes", "NO", "On", "off", "TRUE", "false", "1", "0"}) {
        args.push_back("--param");
        args.push_back(std::string("bool:") + word);
    }
    auto r = plugdb(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "a,b,c,d,e,f,g,h\r\n1,0,1,0,1,0,1,0\r\n");
    r = plugdb({"sql", "select ?", "--param", "bool:maybe"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "yes/no")) << r.err;
}

TEST_F(Cli, AWrongParameterCountRunsNothing) {
    ASSERT_EQ(plugdb({"sql", "create table t(a int)"}).exitCode, 0);
    // Too few: the INSERT would have taken the only value and committed.
    auto r = plugdb({"sql", "insert into t values (?)", "select ?", "--param", "1"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "statement 2")) << r.err;
    EXPECT_TRUE(contains(r.err, "nothing was run")) << r.err;
    EXPECT_EQ(r.out, "");
    // Too many.
    r = plugdb({"sql", "insert into t values (?)", "--param", "1", "--param", "2"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "left over")) << r.err;
    // A '?' inside a string is no placeholder.
    r = plugdb({"sql", "insert into t values (length('a?'))", "--param", "1"});
    EXPECT_EQ(r.exitCode, 64);
    r = plugdb({"sql", "--format", "csv", "select count(*) as n from t"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "n\r\n0\r\n") << "no statement ran";
}

TEST_F(Cli, SqlFileMustBeARegularFileWithinTheLimit) {
    auto r = plugdb({"sql", "--file", "/dev/zero"});
    EXPECT_EQ(r.exitCode, 66);
    EXPECT_TRUE(contains(r.err, "/dev/zero")) << r.err;
    EXPECT_TRUE(contains(r.err, "character device")) << r.err;

    // Nobody writes to the FIFO: reading it would block for ever.
    const fs::path fifo = dir_ / "q.fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    r = plugdb({"sql", "--file", fifo.string()});
    EXPECT_EQ(r.exitCode, 66);
    EXPECT_TRUE(contains(r.err, "FIFO")) << r.err;

    fs::create_directories(dir_ / "scripts");
    r = plugdb({"sql", "--file", "scripts"});
    EXPECT_EQ(r.exitCode, 66);
    EXPECT_TRUE(contains(r.err, "directory")) << r.err;

    std::ofstream(dir_ / "big.sql") << "select 1; select 2; select 3;\n";
    r = plugdb({"--set", "limits.sql_file_bytes=10", "sql", "--file", "big.sql"});
    EXPECT_EQ(r.exitCode, 66);
    EXPECT_TRUE(contains(r.err, "limit")) << r.err;
    r = plugdb({"sql", "--file", "big.sql"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST_F(Cli, DataTheEngineRejectsIsADataException) {
    auto r = plugdb({"sql", "create table s(i integer) strict"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const std::string sql : {"insert into s values ('not a number')",
                                  "insert into s values (1.5)", "select zeroblob(2000000000)"}) {
        r = plugdb({"sql", sql});
        EXPECT_EQ(r.exitCode, 65) << sql << ": " << r.err;
        EXPECT_TRUE(contains(r.err, "data_exception error")) << sql << ": " << r.err;
    }
    r = plugdb({"sql", "insert into s values (?)", "--param", "abc"});
    EXPECT_EQ(r.exitCode, 65) << r.err;
    EXPECT_TRUE(contains(r.err, "data_exception error")) << r.err;
}

TEST_F(Cli, SqlErrorsCarryTheirCategoryAndExitCode) {
    auto r = plugdb({"sql", "selec 1"});
    EXPECT_EQ(r.exitCode, 65);
    EXPECT_TRUE(contains(r.err, "syntax error")) << r.err;
    r = plugdb({"sql", "create table u(id integer primary key)", "insert into u values (1)",
                "insert into u values (1)"});
    EXPECT_EQ(r.exitCode, 65);
    EXPECT_TRUE(contains(r.err, "unique_violation")) << r.err;
    EXPECT_TRUE(contains(r.err, "statement 3")) << r.err;
}

TEST_F(Cli, UnknownDriverListsTheAvailableOnes) {
    options_.env["DB_DRIVER"] = "nosuch";
    auto r = plugdb({"ping"});
    EXPECT_EQ(r.exitCode, 69);
    EXPECT_TRUE(contains(r.err, "no driver named 'nosuch'")) << r.err;
    // The list names every plugin found, sorted: sqlite is among them.
    const auto listed = r.err.substr(r.err.find("available drivers: ") + 19);
    EXPECT_TRUE(contains(r.err, "available drivers: ")) << r.err;
    EXPECT_TRUE(contains(listed, "sqlite")) << r.err;
}

TEST_F(Cli, GarbagePluginIsReportedAndRefusedWithoutCrash) {
    fs::create_directories(dir_ / "plugins");
    std::ofstream(dir_ / "plugins" / "libplugdb-bad.so") << "garbage, not ELF";
    options_.env["PLUGDB_PLUGIN_PATH"] = (dir_ / "plugins").string();
    auto r = plugdb({"drivers"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(
        r.out, "broken: refused plugin " + (dir_ / "plugins").string() + "/libplugdb-bad.so"))
        << r.out;
    EXPECT_TRUE(contains(r.out, "sqlite")) << "good drivers are still listed: " << r.out;
    r = plugdb({"ping", "--driver", "bad"});
    EXPECT_EQ(r.signal, 0) << "must not crash";
    EXPECT_EQ(r.exitCode, 69);
    EXPECT_TRUE(contains(r.err, "libplugdb-bad.so")) << r.err;
    EXPECT_TRUE(contains(r.err, "dynamic loader failed")) << r.err;
}

TEST_F(Cli, PingPrintsEngineVersionAndRoundTrip) {
    auto r = plugdb({"ping"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "server: SQLite 3.")) << r.out;
    EXPECT_TRUE(contains(r.out, "round trip")) << r.out;
}

TEST_F(Cli, PasswordsNeverAppearInConfigShowFromAnyLayer) {
    std::ofstream(dir_ / "plugdb.json") << R"({"db": {"password": ")" << kSecret << "-file"
                                        << R"("}})";
    auto r = plugdb({"--config", "plugdb.json", "config", "show"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(contains(r.out + r.err, kSecret)) << r.out;
    EXPECT_TRUE(contains(r.out, "db.password")) << r.out;

    options_.env["DB_PASSWORD"] = kSecret + "-env";
    options_.env["DATABASE_URL"] = "postgres://app:" + kSecret + "-url@db.example:5432/shop";
    r = plugdb({"--config", "plugdb.json", "--set", "db.options.sslpassword=" + kSecret + "-flag",
                "config", "show"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(contains(r.out + r.err, kSecret)) << r.out;
    EXPECT_TRUE(contains(r.out, "postgres://app:****@db.example:5432/shop")) << r.out;
}

TEST_F(Cli, PasswordsNeverAppearInErrors) {
    options_.env["DATABASE_URL"] = "nosuchscheme://app:" + kSecret + "@db.example/shop";
    auto r = plugdb({"ping"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_FALSE(contains(r.out + r.err, kSecret)) << r.err;
    r = plugdb({"ping", "--driver", "nosuch", "--url", "x://u:" + kSecret + "@h/db"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_FALSE(contains(r.out + r.err, kSecret)) << r.err;
    options_.env["DATABASE_URL"] =
        "sqlite:" + (dir_ / "no" / "such").string() + "/x.db?mode=ro&password=" + kSecret;
    r = plugdb({"ping"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_FALSE(contains(r.out + r.err, kSecret)) << r.err;
}

TEST_F(Cli, HelpForEveryCommandDocumentsExitCodes) {
    for (const char* command : {"drivers", "ping", "sql", "config", "serve"}) {
        auto r = plugdb({command, "--help"});
        EXPECT_EQ(r.exitCode, 0) << command;
        EXPECT_TRUE(contains(r.out, std::string("usage: plugdb [global options] ") + command))
            << r.out;
        EXPECT_TRUE(contains(r.out, "exit codes")) << r.out;
    }
    EXPECT_EQ(plugdb({"frobnicate"}).exitCode, 64);
    EXPECT_EQ(plugdb({"ping", "--param", "1"}).exitCode, 64) << "option of another command";
    EXPECT_EQ(plugdb({"--no-such-option", "ping"}).exitCode, 64);
}

TEST_F(Cli, ServeAnswersHealthProbesAndStopsOnSigterm) {
    options_.env["DB_PASSWORD"] = kSecret;
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    const std::optional<int> listening = listeningPort(child);
    ASSERT_TRUE(listening) << child.stderrText();
    const int port = *listening;

    // The database opens in the background: wait until ready.
    const HttpReply ready = pollUntil(
        port, "/ready", [](const HttpReply& reply) { return reply.status == 200; }, 100);
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_TRUE(contains(ready.body, R"("db_driver":"sqlite")")) << ready.body;
    auto health = httpGet(port, "/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_TRUE(contains(health.body, R"("status":"healthy")")) << health.body;
    EXPECT_TRUE(contains(health.body, R"("services":{"database":"healthy"})")) << health.body;
    EXPECT_EQ(httpGet(port, "/live").status, 200);
    EXPECT_EQ(httpGet(port, "/livez").status, 200);
    EXPECT_EQ(httpGet(port, "/readyz").status, 200);
    EXPECT_EQ(httpGet(port, "/nope").status, 404);

    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(), 0);
    const std::string logs = child.stderrText();
    EXPECT_TRUE(contains(logs, "shutting down")) << logs;
    EXPECT_FALSE(contains(logs + health.body + ready.body, kSecret)) << logs;
}

TEST_F(Cli, ServeReportsNotReadyWhileTheDatabaseCannotOpen) {
    options_.env["DATABASE_URL"] = "sqlite:" + (dir_ / "missing-dir").string() + "/x.db?mode=ro";
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0", "--log-format", "json"},
                options_);
    const std::optional<int> listening = listeningPort(child);
    ASSERT_TRUE(listening) << child.stderrText();
    const int port = *listening;
    auto ready = httpGet(port, "/ready");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_TRUE(contains(ready.body, R"("status":"not ready")")) << ready.body;
    EXPECT_EQ(httpGet(port, "/live").status, 200) << "alive while the database is down";
    child.signal(SIGINT);
    EXPECT_EQ(child.wait(), 0);
    EXPECT_TRUE(contains(child.stderrText(), R"("level":"warning")")) << child.stderrText();
}

TEST_F(Cli, PasswordsAreBlankedFromTheProcessList) {
    const std::string url = "sqlite://app:" + kSecret + "-url@/" + (dir_ / "x.db").string();
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0", "--set",
                 "db.password=" + kSecret, "--url", url},
                options_);
    ASSERT_TRUE(child.readLine(10000).has_value()) << child.stderrText();
    std::ifstream in("/proc/" + std::to_string(child.pid()) + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    EXPECT_TRUE(contains(cmdline, "db.password=x")) << cmdline;
    EXPECT_FALSE(contains(cmdline, kSecret)) << cmdline;
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(), 0);
    EXPECT_FALSE(contains(child.stderrText(), kSecret)) << child.stderrText();
}
