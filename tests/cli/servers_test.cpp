// The plugdb binary against the real PostgreSQL and MariaDB servers that
// tests/servers started: by URL, by DB_* variables and by config file, as with SQLite.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "process.h"
#include "server_env.h"

namespace fs = std::filesystem;
using namespace plugdb::test;

namespace {

struct Server {
    const char* name;     // driver
    const char* envFile;  // written by tests/servers/start-*.sh
    const char* prefix;   // PLUGDB_PG / PLUGDB_MY
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class CliServers : public ::testing::TestWithParam<Server> {
protected:
    void SetUp() override {
        ASSERT_TRUE(plugdb::test::serverVariable(GetParam().envFile,
                                                 std::string(GetParam().prefix) + "_URL"))
            << "no " << GetParam().envFile << ": start the test servers";
        dir_ = fs::temp_directory_path() / ("plugdb-cli-servers-" + std::to_string(getpid()));
        fs::create_directories(dir_);
        options_.workDir = dir_.string();
        table_ = std::string("cli_") + GetParam().name + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name();
        for (char& c : table_)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string var(const std::string& suffix) {
        return plugdb::test::requireServerVariable(GetParam().envFile, GetParam().prefix + suffix);
    }
    ProcessResult plugdb(std::vector<std::string> args) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        return runProcess(args, options_);
    }

    fs::path dir_;
    ProcessOptions options_;
    std::string table_;
};

}  // namespace

TEST_P(CliServers, PingAndSqlByUrl) {
    options_.env["DATABASE_URL"] = var("_URL");
    auto r = plugdb({"ping"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, std::string("driver: ") + GetParam().name)) << r.out;
    r = plugdb({"sql", "DROP TABLE IF EXISTS " + table_,
                "CREATE TABLE " + table_ + " (id INT PRIMARY KEY, name VARCHAR(64))",
                "INSERT INTO " + table_ + " (id, name) VALUES (?, ?)", "--param", "1", "--param",
                "h\xC3\xA9llo"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = plugdb({"sql", "--format", "csv", "SELECT id, name FROM " + table_});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "id,name\r\n1,h\xC3\xA9llo\r\n");
    r = plugdb({"sql", "INSERT INTO " + table_ + " (id, name) VALUES (1, 'again')"});
    EXPECT_EQ(r.exitCode, 65);
    EXPECT_TRUE(contains(r.err, "unique_violation")) << r.err;
}

TEST_P(CliServers, UntypedParametersReachTheServerAsTyped) {
    options_.env["DATABASE_URL"] = var("_URL");
    auto r = plugdb({"sql", "--format", "csv", "SELECT ? AS a, ? AS b, ? AS c, ? AS d", "--param",
                     "007", "--param", "1.10", "--param", "-0", "--param", "1e3"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "a,b,c,d\r\n007,1.10,-0,1e3\r\n");
    // The server converts the text for an integer column, in inserts and comparisons.
    r = plugdb({"sql", "--format", "csv", "DROP TABLE IF EXISTS " + table_,
                "CREATE TABLE " + table_ + " (n INT)", "INSERT INTO " + table_ + " (n) VALUES (?)",
                "SELECT n, n + 1 AS m FROM " + table_ + " WHERE n = ?", "DROP TABLE " + table_,
                "--param", "42", "--param", "42"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "n,m\r\n42,43\r\n")) << r.out;
    r = plugdb({"sql", "--format", "csv", "SELECT ? + 1 AS i", "--param", "int:007"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "i\r\n8\r\n");
}

TEST_P(CliServers, DataTheServerRejectsIsADataException) {
    options_.env["DATABASE_URL"] = var("_URL");
    auto r = plugdb({"sql", "DROP TABLE IF EXISTS " + table_,
                     "CREATE TABLE " + table_ + " (n INT, s VARCHAR(3))"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string insert = "INSERT INTO " + table_;
    for (const std::string& sql : {insert + " (n) VALUES ('not a number')",  // invalid text
                                   insert + " (n) VALUES (99999999999)",     // out of range
                                   insert + " (s) VALUES ('too long')",      // too long
                                   insert + " (n) VALUES (1 / 0)"}) {        // division by zero
        r = plugdb({"sql", sql});
        EXPECT_EQ(r.exitCode, 65) << sql << ": " << r.err;
        EXPECT_TRUE(contains(r.err, "data_exception error")) << sql << ": " << r.err;
    }
    r = plugdb({"sql", insert + " (n) VALUES (?)", "--param", "abc"});
    EXPECT_EQ(r.exitCode, 65) << r.err;
    EXPECT_TRUE(contains(r.err, "data_exception error")) << r.err;
    r = plugdb(
        {"sql", "--format", "csv", "SELECT COUNT(*) AS c FROM " + table_, "DROP TABLE " + table_});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "c\r\n0\r\n")) << r.out;
}

TEST_P(CliServers, PingByDbVariablesWithThePasswordFromAFile) {
    std::ofstream(dir_ / "password") << "plugdb-test-pw\n";
    options_.env["DB_DRIVER"] = GetParam().name;
    options_.env["DB_HOST"] = "127.0.0.1";
    options_.env["DB_PORT"] = var("_PORT");
    options_.env["DB_USER"] = "plugdb";
    options_.env["DB_PASSWORD_FILE"] = (dir_ / "password").string();
    options_.env["DB_NAME"] = "plugdb";
    auto r = plugdb({"ping"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(contains(r.out + r.err, "plugdb-test-pw"));
}

TEST_P(CliServers, PingByConfigFileWithInterpolation) {
    std::ofstream(dir_ / "plugdb.json")
        << R"({"db": {"driver": ")" << GetParam().name << R"(", "host": "127.0.0.1", "port": ")"
        << var("_PORT") << R"(", "user": "plugdb", "password": "${SECRET}", "name": "plugdb"}})";
    options_.env["SECRET"] = "plugdb-test-pw";
    auto r = plugdb({"--config", "plugdb.json", "ping"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
}

TEST_P(CliServers, WrongPasswordAndUnknownDatabaseGiveHints) {
    options_.env["DATABASE_URL"] = var("_URL");
    auto r = plugdb({"ping", "--set", "db.password=not-the-password"});
    EXPECT_EQ(r.exitCode, 69);
    EXPECT_TRUE(contains(r.err, "auth error")) << r.err;
    EXPECT_TRUE(contains(r.err, "check the user and password")) << r.err;
    EXPECT_FALSE(contains(r.err, "not-the-password")) << r.err;
    r = plugdb({"ping", "--set", "db.name=no_such_database"});
    EXPECT_EQ(r.exitCode, 69);
    EXPECT_TRUE(contains(r.err, "no_such_database")) << r.err;
    EXPECT_TRUE(contains(r.err, "DB_NAME")) << r.err;
}

TEST_P(CliServers, ServeIsReadyAndNamesTheDriver) {
    options_.env["DATABASE_URL"] = var("_URL");
    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    auto line = child.readLine(10000);
    ASSERT_TRUE(line.has_value()) << child.stderrText();
    const int port = std::stoi(line->substr(line->rfind(':') + 1));
    int status = 0;
    std::string body;
    for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ready");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        body.assign(std::istreambuf_iterator<char>(in), {});
        status = response.getStatus();
        if (status != 200) usleep(50'000);
    }
    EXPECT_EQ(status, 200) << body;
    EXPECT_TRUE(contains(body, std::string("\"db_driver\":\"") + GetParam().name + "\"")) << body;
    child.signal(SIGTERM);
    const int exitCode = child.wait();
    const std::string logs = child.stderrText();
    EXPECT_EQ(exitCode, 0) << logs;
    EXPECT_FALSE(contains(logs, "plugdb-test-pw"));
}

INSTANTIATE_TEST_SUITE_P(Servers, CliServers,
                         ::testing::Values(Server{"postgres", "postgres.env", "PLUGDB_PG"},
                                           Server{"mysql", "mariadb.env", "PLUGDB_MY"}),
                         [](const auto& test) { return std::string(test.param.name); });
