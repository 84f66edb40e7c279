// Rows::scan, Rows::get<T> and row mapping (queryAll / queryOne / queryOptional)
// on SQLite (a temporary file), PostgreSQL and MariaDB (the test servers,
// fixture db_servers): every C++ type, NULL, ranges, counts, names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "server_env.h"

namespace fs = std::filesystem;
using namespace plugdb;
using namespace std::chrono;

namespace {

struct Engine {
    std::string name;
    // A URL of an empty database for one test, and how to drop it.
    std::function<std::string(const std::string& test)> freshDatabase;
    std::function<void(const std::string& url)> dropDatabase = [](const std::string&) {};
    std::string doubleType = "DOUBLE PRECISION";
    std::string blobType = "BLOB";
    std::string timestampType = "TIMESTAMP";

    friend void PrintTo(const Engine& engine, std::ostream* out) { *out << engine.name; }
};

fs::path scratchDir() {
    static const fs::path dir =
        fs::temp_directory_path() / ("plugdb-rows-scan-" + std::to_string(getpid()));
    return dir;
}

Config configFor(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    return config;
}

Engine sqlite() {
    Engine e;
    e.name = "sqlite";
    e.freshDatabase = [](const std::string& test) {
        fs::create_directories(scratchDir());
        const fs::path file = scratchDir() / (test + ".db");
        fs::remove(file);
        return "sqlite:" + file.string();
    };
    e.dropDatabase = [](const std::string& url) { fs::remove(url.substr(7)); };
    e.doubleType = "REAL";
    return e;
}

// A server engine: one database per test, made and dropped through `adminUrl`.
Engine server(const std::string& name, const std::string& envFile, const std::string& variable,
              const std::string& dropSuffix) {
    Engine e;
    e.name = name;
    e.freshDatabase = [=](const std::string& test) {
        const std::string url = test::requireServerVariable(envFile, variable);
        const std::string database = "rows_scan_" + test::databaseNameFor(test).substr(12);
        Database admin = Database::open(configFor(url));
        admin.exec("DROP DATABASE IF EXISTS " + database + dropSuffix);
        admin.exec("CREATE DATABASE " + database);
        return test::withDatabase(url, database);
    };
    e.dropDatabase = [=](const std::string& url) {
        Database admin = Database::open(configFor(test::requireServerVariable(envFile, variable)));
        admin.exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) + dropSuffix);
    };
    return e;
}

Engine postgres() {
    Engine e = server("postgres", "postgres.env", "PLUGDB_PG_URL", " WITH (FORCE)");
    e.blobType = "BYTEA";
    return e;
}

Engine mariadb() {
    Engine e = server("mariadb", "mariadb.env", "PLUGDB_MY_URL", "");
    e.doubleType = "DOUBLE";
    e.blobType = "LONGBLOB";
    e.timestampType = "DATETIME(6)";
    return e;
}

// The message of the invalid_argument error `fn` throws; fails the test otherwise.
std::string argumentError(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::InvalidArgument) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "expected an invalid_argument error";
    return {};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const Timestamp kCreated{1'706'702'400'123'456};  // 2024-01-31 12:00:00.123456 UTC

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    Timestamp createdAt;
    std::optional<double> score;
    PLUGDB_ROW(id, name, email, createdAt, score);
};

// Fields in another order than the columns, and private.
class Account {
public:
    const std::string& label() const { return label_; }
    std::int32_t code() const { return code_; }

private:
    std::string label_;
    std::int32_t code_ = 0;
    PLUGDB_ROW(code_, label_);  // code_ reads the column code
};

struct Missing {
    std::int64_t id = 0;
    std::string nickname;
    PLUGDB_ROW(id, nickname);
};

class RowsScan : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        url_ = GetParam().freshDatabase(GetParam().name + "_" + test.substr(0, test.find('/')));
        db_.emplace(Database::open(configFor(url_)));
        db().exec(
            "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
            "email VARCHAR(64), created_at " +
            GetParam().timestampType + ", score " + GetParam().doubleType + ")");
        db().exec(
            "INSERT INTO users (id, name, email, created_at, score) VALUES "
            "(?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
            {1, "ada", "ada@example.org", kCreated, 2.5, 2, "bob", nullptr, kCreated, nullptr});
    }
    void TearDown() override {
        db_.reset();
        if (!url_.empty()) GetParam().dropDatabase(url_);
    }

    Database& db() { return *db_; }

    // The one row of `sql`, positioned.
    Rows row(const std::string& sql, Params params = {}) {
        Rows rows = db().query(sql, params);
        EXPECT_TRUE(rows.next()) << sql;
        return rows;
    }

    std::string url_;
    std::optional<Database> db_;
};

}  // namespace

TEST_P(RowsScan, EveryIntegerWidth) {
    Rows rows =
        row("SELECT 1 AS a, -2 AS b, 3 AS c, 4 AS d, 5 AS e, 6 AS f, 7 AS g, 8 AS h, "
            "9223372036854775807 AS i, -9223372036854775807 AS j");
    std::int8_t a = 0;
    std::int16_t b = 0;
    std::int32_t c = 0;
    std::int64_t d = 0;
    std::uint8_t e = 0;
    std::uint16_t f = 0;
    std::uint32_t g = 0;
    std::uint64_t h = 0;
    long long i = 0;
    long j = 0;
    rows.scan(a, b, c, d, e, f, g, h, i, j);
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, -2);
    EXPECT_EQ(c, 3);
    EXPECT_EQ(d, 4);
    EXPECT_EQ(e, 5u);
    EXPECT_EQ(f, 6u);
    EXPECT_EQ(g, 7u);
    EXPECT_EQ(h, 8u);
    EXPECT_EQ(i, INT64_MAX);
    EXPECT_EQ(j, -INT64_MAX);
}

TEST_P(RowsScan, EveryOtherType) {
    const Blob bytes{0x00, 0xff, 0x10};
    db().exec("CREATE TABLE every (t VARCHAR(64), bl " + GetParam().blobType + ", flag BOOLEAN, " +
              "d " + GetParam().doubleType + ", ts " + GetParam().timestampType + ")");
    db().exec("INSERT INTO every VALUES (?, ?, ?, ?, ?)",
              {"h\xc3\xa9llo", bytes, true, 0.25, kCreated});
    Rows rows = row("SELECT t, bl, flag, d, d AS f, ts, ts AS tp, ts AS micros, t AS v FROM every");
    std::string text;
    Blob blob;
    bool flag = false;
    double d = 0;
    float f = 0;
    Timestamp ts;
    system_clock::time_point tp;
    sys_time<microseconds> micros;
    Value v;
    rows.scan(text, blob, flag, d, f, ts, tp, micros, v);
    EXPECT_EQ(text, "h\xc3\xa9llo");
    EXPECT_EQ(blob, bytes);
    EXPECT_TRUE(flag);
    EXPECT_EQ(d, 0.25);
    EXPECT_EQ(f, 0.25f);
    EXPECT_EQ(ts, kCreated);
    EXPECT_EQ(duration_cast<microseconds>(tp.time_since_epoch()).count(), kCreated.micros);
    EXPECT_EQ(micros.time_since_epoch().count(), kCreated.micros);
    EXPECT_EQ(v, Value("h\xc3\xa9llo"));

    EXPECT_EQ(rows.get<std::string>("t"), "h\xc3\xa9llo") << "by name";
    EXPECT_EQ(rows.get<Timestamp>(5), kCreated) << "by index";
}

TEST_P(RowsScan, DatesAndDecimals) {
    // A DATE arrives as text YYYY-MM-DD on every engine, a DECIMAL with a
    // fraction as exact text, a whole one as an int.
    db().exec("CREATE TABLE dated (day DATE, price DECIMAL(10,2), whole DECIMAL(20,0))");
    db().exec("INSERT INTO dated VALUES (?, ?, ?)", {"2024-01-31", "12.50", "9223372036854775808"});
    Rows rows = row("SELECT day, day AS ts, price, whole FROM dated");
    sys_days day;
    Timestamp ts;
    double price = 0;
    std::uint64_t whole = 0;
    rows.scan(day, ts, price, whole);
    EXPECT_EQ(year_month_day(day), 2024y / January / 31);
    EXPECT_EQ(ts.toString(), "2024-01-31 00:00:00.000000Z");
    EXPECT_EQ(price, 12.5);
    EXPECT_EQ(whole, 9'223'372'036'854'775'808u) << "beyond int64_t: exact text or a whole double";
    EXPECT_EQ(rows.get<sys_time<seconds>>("ts").time_since_epoch().count(), 1'706'659'200);

    Rows created = row("SELECT created_at FROM users WHERE id = 1");
    const std::string message = argumentError([&] { (void)created.get<sys_days>(0); });
    EXPECT_TRUE(contains(message, "'created_at' (index 0)")) << message;
    EXPECT_TRUE(contains(message, "not a whole number")) << "a day holds midnight: " << message;

    db().exec("UPDATE dated SET day = NULL");
    Rows nulls = row("SELECT day FROM dated");
    EXPECT_EQ(nulls.get<std::optional<sys_days>>(0), std::nullopt);
}

TEST_P(RowsScan, NullIntoOptionalAndIntoNonOptional) {
    Rows rows = row("SELECT id, email, score, created_at FROM users WHERE id = 2");
    std::int64_t id = 0;
    std::optional<std::string> email = "unchanged";
    std::optional<double> score = 1.0;
    std::optional<Timestamp> createdAt;
    rows.scan(id, email, score, createdAt);
    EXPECT_EQ(id, 2);
    EXPECT_EQ(email, std::nullopt);
    EXPECT_EQ(score, std::nullopt);
    EXPECT_EQ(createdAt, kCreated) << "a value into an optional";

    std::string plain = "unchanged";
    double number = 7;
    const std::string message = argumentError([&] { rows.scan(id, plain, number, createdAt); });
    EXPECT_TRUE(contains(message, "'email' (index 1)")) << message;
    EXPECT_TRUE(contains(message, "NULL")) << message;
    EXPECT_TRUE(contains(message, "std::optional<std::string>")) << message;
    EXPECT_EQ(plain, "unchanged") << "a failed scan assigns nothing";
    EXPECT_EQ(number, 7);

    const std::string second = argumentError([&] { (void)rows.get<double>("score"); });
    EXPECT_TRUE(contains(second, "'score' (index 2)")) << second;
}

TEST_P(RowsScan, OutOfRangeIntegersNameTheColumn) {
    Rows rows = row("SELECT 3000000000 AS big, -1 AS negative, 300 AS small, 2.5 AS half");
    const std::string big = argumentError([&] { (void)rows.get<std::int32_t>("big"); });
    EXPECT_TRUE(contains(big, "'big' (index 0)")) << big;
    EXPECT_TRUE(contains(big, "3000000000 is out of range for int32_t")) << big;
    EXPECT_TRUE(contains(big, "-2147483648 to 2147483647")) << big;
    EXPECT_EQ(rows.get<std::int64_t>("big"), 3'000'000'000);
    EXPECT_EQ(rows.get<std::uint32_t>("big"), 3'000'000'000u);

    const std::string negative = argumentError([&] { (void)rows.get<std::uint64_t>(1); });
    EXPECT_TRUE(contains(negative, "'negative' (index 1)")) << negative;
    EXPECT_TRUE(contains(negative, "uint64_t")) << negative;
    EXPECT_TRUE(contains(argumentError([&] { (void)rows.get<std::int8_t>(2); }), "int8_t"));
    EXPECT_TRUE(contains(argumentError([&] { (void)rows.get<std::uint8_t>(2); }), "uint8_t"));
    EXPECT_EQ(rows.get<std::int16_t>(2), 300);

    const std::string half = argumentError([&] { (void)rows.get<std::int64_t>("half"); });
    EXPECT_TRUE(contains(half, "'half' (index 3)")) << half;
}

TEST_P(RowsScan, TypesThatDoNotFitNameTheColumn) {
    Rows rows = row("SELECT id, name, created_at FROM users WHERE id = 1");
    const std::string text = argumentError([&] { (void)rows.get<std::int64_t>("name"); });
    EXPECT_TRUE(contains(text, "'name' (index 1)")) << text;
    EXPECT_TRUE(contains(text, "text")) << text;
    EXPECT_TRUE(contains(text, "int64_t")) << text;
    const std::string number = argumentError([&] { (void)rows.get<std::string>("id"); });
    EXPECT_TRUE(contains(number, "'id' (index 0)")) << number;
    EXPECT_TRUE(contains(number, "std::string")) << number;
    EXPECT_TRUE(contains(argumentError([&] { (void)rows.get<Blob>(1); }), "plugdb::Blob"));
    EXPECT_TRUE(contains(argumentError([&] { (void)rows.get<Timestamp>(1); }), "'name'"));
    EXPECT_TRUE(contains(argumentError([&] { (void)rows.get<bool>(2); }), "'created_at'"));
    EXPECT_TRUE(contains(argumentError([&] { (void)rows.get<int>("nope"); }), "nope"));
}

TEST_P(RowsScan, VariableCountMustMatchColumnCount) {
    Rows rows = row("SELECT id, name, email FROM users WHERE id = 1");
    std::int64_t id = 0;
    std::string name;
    const std::string fewer = argumentError([&] { rows.scan(id, name); });
    EXPECT_TRUE(contains(fewer, "2 variables for 3 columns (id, name, email)")) << fewer;
    std::optional<std::string> email, extra;
    const std::string more = argumentError([&] { rows.scan(id, name, email, extra); });
    EXPECT_TRUE(contains(more, "4 variables for 3 columns")) << more;
    EXPECT_EQ(id, 0) << "nothing assigned";
    rows.scan(id, name, email);
    EXPECT_EQ(name, "ada");
}

TEST_P(RowsScan, ScanWithoutACurrentRowFails) {
    Rows rows = db().query("SELECT id FROM users WHERE id = 0");
    std::int64_t id = 0;
    EXPECT_TRUE(contains(argumentError([&] { rows.scan(id); }), "no current row"));
    EXPECT_FALSE(rows.next());
}

TEST_P(RowsScan, StructsMapByNameInAnyOrder) {
    const std::vector<User> users = db().queryAll<User>(
        "SELECT score, created_at, email, name, id, 'extra' AS unused FROM users ORDER BY id");
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].id, 1);
    EXPECT_EQ(users[0].name, "ada");
    EXPECT_EQ(users[0].email, "ada@example.org");
    EXPECT_EQ(users[0].createdAt, kCreated) << "createdAt reads created_at";
    EXPECT_EQ(users[0].score, 2.5);
    EXPECT_EQ(users[1].name, "bob");
    EXPECT_EQ(users[1].email, std::nullopt);
    EXPECT_EQ(users[1].score, std::nullopt);

    // PostgreSQL folds unquoted names to lower case: createdat still matches.
    const User folded = db().queryOne<User>(
        "SELECT id, name, email, created_at AS createdAt, score FROM users WHERE id = ?", {1});
    EXPECT_EQ(folded.createdAt, kCreated);

    const std::vector<Account> accounts =
        db().queryAll<Account>("SELECT name AS label, id AS code FROM users ORDER BY id");
    ASSERT_EQ(accounts.size(), 2u);
    EXPECT_EQ(accounts[1].label(), "bob");
    EXPECT_EQ(accounts[1].code(), 2);
    EXPECT_TRUE(db().queryAll<User>("SELECT * FROM users WHERE id < 0").empty());
}

TEST_P(RowsScan, AMissingColumnNamesTheField) {
    const std::string message =
        argumentError([&] { (void)db().queryAll<Missing>("SELECT id, name FROM users"); });
    EXPECT_TRUE(contains(message, "no column for the field nickname of")) << message;
    EXPECT_TRUE(contains(message, "Missing")) << message;
    EXPECT_TRUE(contains(message, "(its columns: id, name)")) << message;
    // Also when there is no row: the mismatch is in the query, not the data.
    EXPECT_TRUE(contains(
        argumentError([&] { (void)db().queryAll<Missing>("SELECT id FROM users WHERE id < 0"); }),
        "nickname"));

    const std::string twice = argumentError([&] {
        (void)db().queryAll<User>(
            "SELECT id, name, email, created_at, created_at AS createdAt, score FROM users");
    });
    EXPECT_TRUE(contains(twice, "both match the field createdAt")) << twice;

    const std::string wrongType = argumentError([&] {
        (void)db().queryAll<User>("SELECT id, id AS name, email, created_at, score FROM users");
    });
    EXPECT_TRUE(contains(wrongType, "'name' (index 1)")) << wrongType;
}

TEST_P(RowsScan, QueryOneNeedsExactlyOneRow) {
    EXPECT_EQ(db().queryOne<User>("SELECT * FROM users WHERE id = ?", {2}).name, "bob");
    const std::string none =
        argumentError([&] { (void)db().queryOne<User>("SELECT * FROM users WHERE id = 0"); });
    EXPECT_TRUE(contains(none, "queryOne: the query returned no row")) << none;
    const std::string two =
        argumentError([&] { (void)db().queryOne<User>("SELECT * FROM users"); });
    EXPECT_TRUE(contains(two, "queryOne: the query returned more than one row")) << two;

    EXPECT_EQ(db().queryOptional<User>("SELECT * FROM users WHERE id = 0"), std::nullopt);
    EXPECT_EQ(db().queryOptional<User>("SELECT * FROM users WHERE id = 1")->name, "ada");
    EXPECT_TRUE(
        contains(argumentError([&] { (void)db().queryOptional<User>("SELECT * FROM users"); }),
                 "queryOptional: the query returned more than one row"));
}

TEST_P(RowsScan, SingleValuesAndTuples) {
    EXPECT_EQ(db().queryOne<std::int64_t>("SELECT COUNT(*) FROM users"), 2);
    EXPECT_EQ(db().queryOne<std::optional<std::string>>("SELECT email FROM users WHERE id = 2"),
              std::nullopt);
    EXPECT_EQ(db().queryAll<std::string>("SELECT name FROM users ORDER BY id"),
              (std::vector<std::string>{"ada", "bob"}));
    const std::string columns =
        argumentError([&] { (void)db().queryOne<std::int64_t>("SELECT id, name FROM users"); });
    EXPECT_TRUE(contains(columns, "one column, this one has 2 (id, name)")) << columns;

    using Pair = std::tuple<std::int32_t, std::optional<std::string>>;
    EXPECT_EQ(db().queryAll<Pair>("SELECT id, email FROM users ORDER BY id"),
              (std::vector<Pair>{{1, "ada@example.org"}, {2, std::nullopt}}));
    EXPECT_TRUE(contains(
        argumentError([&] { (void)db().queryAll<Pair>("SELECT id, email, name FROM users"); }),
        "2 variables for 3 columns"));
}

TEST_P(RowsScan, SessionsAndTransactionsToo) {
    Session session = db().session();
    EXPECT_EQ(session.queryOne<User>("SELECT * FROM users WHERE id = ?", {1}).name, "ada");
    EXPECT_EQ(session.queryAll<std::int64_t>("SELECT id FROM users ORDER BY id").size(), 2u);
    EXPECT_EQ(session.queryOptional<User>("SELECT * FROM users WHERE id = 0"), std::nullopt);

    Transaction tx = db().begin();
    tx.exec("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)", {3, "cy", kCreated});
    EXPECT_EQ(tx.queryOne<std::int64_t>("SELECT COUNT(*) FROM users"), 3);
    EXPECT_EQ(tx.queryAll<User>("SELECT * FROM users ORDER BY id").back().name, "cy");
    EXPECT_FALSE(tx.queryOptional<User>("SELECT * FROM users WHERE id = 3")->email);
    tx.rollback();
    EXPECT_EQ(db().queryOne<std::int64_t>("SELECT COUNT(*) FROM users"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, RowsScan, ::testing::Values(sqlite(), postgres(), mariadb()),
                         [](const auto& test) { return test.param.name; });
