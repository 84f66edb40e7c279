// How `plugdb sql` prints values: the same query gives the same table, CSV
// and JSON on SQLite, PostgreSQL and MariaDB; output stays valid when a
// statement fails half-way or text is not UTF-8 (README "How values are printed").
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "process.h"
#include "server_env.h"

namespace fs = std::filesystem;
using namespace plugdb::test;

namespace {

struct Engine {
    const char* name;
    const char* envFile;  // nullptr: SQLite in a scratch file
    const char* urlVariable;
    // Column types of the rendering table: date, time, timestamp, timestamp with zone, blob.
    const char* types;
    const char* blob00ff;  // a literal for the bytes 00 ff
    const char* emptyBlob;
    // A query that returns one row, then fails on the second.
    const char* failsOnRowTwo;
};

// Test names show the engine, not the struct's bytes.
void PrintTo(const Engine& engine, std::ostream* out) {
    *out << engine.name;
}

const Engine kSqlite{"sqlite",
                     nullptr,
                     nullptr,
                     "d DATE, t TIME, ts TIMESTAMP, tz TIMESTAMP, b BLOB",
                     "x'00ff'",
                     "x''",
                     "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) "
                     "SELECT abs(-9223372036854775806 - x) AS y FROM c"};
const Engine kPostgres{"postgres",
                       "postgres.env",
                       "PLUGDB_PG_URL",
                       "d DATE, t TIME, ts TIMESTAMP, tz TIMESTAMPTZ, b BYTEA",
                       "'\\x00ff'::bytea",
                       "''::bytea",
                       "SELECT 10 / (2 - x) AS y FROM generate_series(1, 3) AS x"};
const Engine kMysql{"mysql",
                    "mariadb.env",
                    "PLUGDB_MY_URL",
                    "d DATE, t TIME(6), ts DATETIME(6), tz TIMESTAMP(6) NULL, b BLOB",
                    "x'00ff'",
                    "x''",
                    "SELECT x, (SELECT 1 UNION ALL SELECT 2 FROM DUAL WHERE x = 2) AS y "
                    "FROM (SELECT 1 AS x UNION ALL SELECT 2) AS s"};

class Rendering : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-rendering-" + std::to_string(getpid()) + "-" + GetParam().name);
        fs::create_directories(dir_);
        options_.workDir = dir_.string();
        if (GetParam().envFile == nullptr) {
            options_.env["DATABASE_URL"] = "sqlite:" + (dir_ / "r.db").string();
        } else {
            options_.env["DATABASE_URL"] =
                requireServerVariable(GetParam().envFile, GetParam().urlVariable);
        }
        // One table per test: ctest runs an engine's tests in parallel processes.
        std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        table_ = "render_" + std::string(GetParam().name) + "_" + test.substr(0, test.find('/'));
        ASSERT_EQ(plugdb({"sql", "DROP TABLE IF EXISTS " + table_}).exitCode, 0);
    }
    void TearDown() override {
        plugdb({"sql", "DROP TABLE IF EXISTS " + table_});
        fs::remove_all(dir_);
    }

    ProcessResult plugdb(std::vector<std::string> args) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        return runProcess(args, options_);
    }

    // Two rows covering every type, written the same way on every engine.
    void createRows() {
        const Engine& e = GetParam();
        const std::string insert =
            "INSERT INTO " + table_ + " (k, d, t, ts, tz, b, f, n, s) VALUES (?, ?, ?, ?, ?, ";
        auto r = plugdb(
            {"sql",
             "CREATE TABLE " + table_ + " (k INT, " + e.types + ", f BOOLEAN, n TEXT, s TEXT)",
             insert + e.blob00ff + ", TRUE, NULL, ?)",
             insert + e.emptyBlob + ", FALSE, ?, ?)",
             "--param",
             "int:1",
             "--param",
             "text:2024-01-02",
             "--param",
             "text:03:04:05",
             "--param",
             "ts:2024-01-02 03:04:05.5",
             "--param",
             "ts:2024-01-02 05:04:05.5+02:00",
             "--param",
             "text:NULL",  //
             "--param",
             "int:2",
             "--param",
             "text:1999-12-31",
             "--param",
             "text:23:59:59.25",
             "--param",
             "ts:2024-01-02 03:04:05",
             "--param",
             "ts:2024-01-02 03:04:05Z",
             "--param",
             "text:\\x00ff",
             "--param",
             "text:a\tb\nc"});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    std::string selectAll() const {
        return "SELECT d, t, ts, tz, b, f, n, s FROM " + table_ + " ORDER BY k";
    }

    fs::path dir_;
    ProcessOptions options_;
    std::string table_;
};

}  // namespace

// DATE is a day, TIME a time of day, timestamps have no Z, blobs \x hex, text
// that looks like NULL or a blob is told apart, tabs and newlines are escaped.
TEST_P(Rendering, TableIsTheSameOnEveryEngine) {
    createRows();
    auto r = plugdb({"sql", selectAll()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out,
              "d          | t           | ts                    | tz                    | b      "
              "| f     | n       | s\n"
              "-----------+-------------+-----------------------+-----------------------+--------"
              "+-------+---------+--------\n"
              "2024-01-02 | 03:04:05    | 2024-01-02 03:04:05.5 | 2024-01-02 03:04:05.5 | \\x00ff "
              "| true  | NULL    | \"NULL\"\n"
              "1999-12-31 | 23:59:59.25 | 2024-01-02 03:04:05   | 2024-01-02 03:04:05   | \\x     "
              "| false | \\\\x00ff | a\\tb\\nc\n"
              "(2 rows)\n");
}

TEST_P(Rendering, JsonIsTheSameOnEveryEngine) {
    createRows();
    auto r = plugdb({"sql", "--format", "json", selectAll()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out,
              "[\n"
              R"( {"d":"2024-01-02","t":"03:04:05","ts":"2024-01-02 03:04:05.5",)"
              R"("tz":"2024-01-02 03:04:05.5","b":{"$blob":"00ff"},"f":true,"n":null,"s":"NULL"},)"
              "\n"
              R"( {"d":"1999-12-31","t":"23:59:59.25","ts":"2024-01-02 03:04:05",)"
              R"("tz":"2024-01-02 03:04:05","b":{"$blob":""},"f":false,"n":"\\x00ff",)"
              R"("s":"a\tb\nc"})"
              "\n]\n");
}

TEST_P(Rendering, CsvIsTheSameOnEveryEngine) {
    createRows();
    auto r = plugdb({"sql", "--format", "csv", selectAll()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(
        r.out,
        "d,t,ts,tz,b,f,n,s\r\n"
        "2024-01-02,03:04:05,2024-01-02 03:04:05.5,2024-01-02 03:04:05.5,\\x00ff,true,,NULL\r\n"
        "1999-12-31,23:59:59.25,2024-01-02 03:04:05,2024-01-02 03:04:05,\\x,false,\\x00ff,"
        "\"a\tb\nc\"\r\n");
}

// A boolean column holds only 0 and 1 as booleans; MySQL's TINYINT(1) and
// SQLite's BOOLEAN keep other integers, which stay numbers.
TEST_P(Rendering, BooleanColumnsKeepOtherIntegers) {
    if (std::string(GetParam().name) == "postgres")
        GTEST_SKIP() << "PostgreSQL's boolean holds only true and false";
    auto r = plugdb({"sql", "--format", "json", "CREATE TABLE " + table_ + " (k INT, f BOOLEAN)",
                     "INSERT INTO " + table_ + " VALUES (1, 1), (2, 0), (3, 2)",
                     "SELECT f FROM " + table_ + " ORDER BY k"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("[\n {\"f\":true},\n {\"f\":false},\n {\"f\":2}\n]\n"), std::string::npos)
        << r.out;
}

// Wide characters take two columns, combining marks none.
TEST_P(Rendering, TableAlignsByDisplayWidth) {
    auto r = plugdb({"sql", "--format", "table", "CREATE TABLE " + table_ + " (k INT, s TEXT)",
                     "INSERT INTO " + table_ + " VALUES (1, ?), (2, ?), (3, ?)",
                     "SELECT s, k FROM " + table_ + " ORDER BY k", "--param",
                     "text:\xE6\x97\xA5\xE6\x9C\xAC",  // 日本: 4 columns
                     "--param", "text:e\xCC\x81te",    // été with a combining accent: 3
                     "--param", "text:abcde"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("s     | k\n"
                         "------+--\n"
                         "\xE6\x97\xA5\xE6\x9C\xAC  | 1\n"
                         "e\xCC\x81te   | 2\n"
                         "abcde | 3\n"
                         "(3 rows)\n"),
              std::string::npos)
        << r.out;
}

// A statement failing after its first row leaves no half-written JSON array
// (and no CSV without rows) on standard output; earlier statements' output stays.
TEST_P(Rendering, FailingStatementPrintsNoPartialJson) {
    auto r = plugdb({"sql", "--format", "json", GetParam().failsOnRowTwo});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_EQ(r.out, "") << r.err;
    EXPECT_NE(r.err, "");
    r = plugdb({"sql", "--format", "json", "SELECT 1 AS one", GetParam().failsOnRowTwo});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_EQ(r.out, "[\n {\"one\":1}\n]\n") << r.err;
}

INSTANTIATE_TEST_SUITE_P(Engines, Rendering, ::testing::Values(kSqlite, kPostgres, kMysql),
                         [](const auto& test) { return std::string(test.param.name); });

// Text that is not UTF-8 (SQLite stores any bytes as text) is printed with
// U+FFFD for each invalid sequence, in every format.
TEST(RenderingSqlite, InvalidUtf8IsReplaced) {
    const fs::path dir =
        fs::temp_directory_path() / ("plugdb-rendering-utf8-" + std::to_string(getpid()));
    fs::create_directories(dir);
    ProcessOptions options;
    options.workDir = dir.string();
    options.env["DATABASE_URL"] = "sqlite:" + (dir / "r.db").string();
    const std::string query = "SELECT cast(x'41e942' AS text) AS t, cast(x'ff' AS text) AS u";
    auto run = [&](const char* format) {
        auto r = runProcess({PLUGDB_TEST_BINARY, "sql", "--format", format, query}, options);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return r.out;
    };
    const std::string a = "A\xEF\xBF\xBD"
                          "B",
                      u = "\xEF\xBF\xBD";
    EXPECT_EQ(run("json"), "[\n {\"t\":\"" + a + "\",\"u\":\"" + u + "\"}\n]\n");
    EXPECT_EQ(run("csv"), "t,u\r\n" + a + "," + u + "\r\n");
    EXPECT_EQ(run("table"), "t   | u\n----+--\n" + a + " | " + u + "\n(1 row)\n");
    fs::remove_all(dir);
}
