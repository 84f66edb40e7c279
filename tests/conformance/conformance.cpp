// The conformance tests: every driver must pass these through the public API.
#include "conformance.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "plugdb/error.h"

namespace plugdb {

void PrintTo(const Value& value, std::ostream* out) {
    switch (value.type()) {
        case Type::Null:
            *out << "NULL";
            return;
        case Type::Bool:
            *out << "bool " << (value.asBool() ? "true" : "false");
            return;
        case Type::Int:
            *out << "int " << value.asInt();
            return;
        case Type::Double: {
            char text[40];
            std::snprintf(text, sizeof text, "%.17g", value.asDouble());  // exact: round-trips
            *out << "double " << text;
            return;
        }
        case Type::Text: {
            const std::string& text = value.asText();
            *out << "text (" << text.size() << " bytes) \"";
            for (std::size_t i = 0; i < text.size() && i < 120; ++i) {
                const auto c = static_cast<unsigned char>(text[i]);
                if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
                    *out << escaped;
                } else {
                    *out << text[i];
                }
            }
            *out << (text.size() > 120 ? "\"..." : "\"");
            return;
        }
        case Type::Blob: {
            const Blob& blob = value.asBlob();
            *out << "blob (" << blob.size() << " bytes) ";
            char hex[4];
            for (std::size_t i = 0; i < blob.size() && i < 64; ++i) {
                std::snprintf(hex, sizeof hex, "%02x", blob[i]);
                *out << hex;
            }
            if (blob.size() > 64) *out << "...";
            return;
        }
        case Type::Timestamp:
            *out << "timestamp " << value.asTimestamp().toString();
            return;
    }
}

}  // namespace plugdb

namespace plugdb::conformance {
namespace {

std::string show(const Value& value) {
    std::ostringstream out;
    PrintTo(value, &out);
    return out.str();
}

// Equal in type and value; doubles bit for bit (so -0.0 differs from 0.0,
// and NaN equals NaN).
::testing::AssertionResult sameValue(const Value& got, const Value& expected) {
    bool same = got == expected;
    if (got.type() == Type::Double && expected.type() == Type::Double) {
        const double a = got.asDouble(), b = expected.asDouble();
        same = std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
    }
    if (same) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "got " << show(got) << ", expected " << show(expected);
}

// The first row's value in `column` of a query, with the SQL in any failure.
Value scalar(Database& db, const std::string& sql, Params params = {}, std::size_t column = 0) {
    Rows rows = db.query(sql, params);
    if (!rows.next()) {
        ADD_FAILURE() << "no row from: " << sql;
        return {};
    }
    return rows.value(column);
}

std::string currentTestName() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();
    for (char& c : name)
        if (c == '/') c = '_';
    return name;
}

// The category of the plugdb::Error fn throws; fails the test if it throws none.
std::optional<ErrorCategory> categoryOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.category();
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return std::nullopt;
}

long residentKiB() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace

void DriverConformance::SetUp() {
    url_ = quirks().freshDatabase(quirks().name + "_" + currentTestName());
    db_.emplace(Database::open(configFor(url_)));
}

void DriverConformance::TearDown() {
    db_.reset();
    if (!url_.empty()) quirks().dropDatabase(url_);
}

Config DriverConformance::configFor(const std::string& url) const {
    Config config = Config::withDefaults();
    std::string path;
    for (const auto& dir : quirks().pluginPath) path += (path.empty() ? "" : ":") + dir;
    config.set("plugins.path", path, Layer::CommandLine, "conformance kit");
    config.set("db.url", url, Layer::CommandLine, "conformance kit");
    // The kit checks the driver; core's connect retry would only slow the failure tests.
    config.set("connect.attempts", "1", Layer::CommandLine, "conformance kit");
    return config;
}

// The query's first value equals `expected` in type and value; failures name the SQL.
#define EXPECT_SCALAR(database, sql, expected) \
    EXPECT_TRUE(sameValue(scalar(database, sql), Value(expected))) << "first value of " << (sql)

// Skips the test, visibly and with the reason, when the driver lacks a capability.
#define REQUIRE_CAPABILITY(capability, name)                                                      \
    if (!db().has(capability))                                                                    \
    GTEST_SKIP() << "driver '" << db().info().driver << "' does not declare capability '" << name \
                 << "'"

// ---- values ------------------------------------------------------------------

class ValueTable {
public:
    ValueTable(Database& db, const Quirks& q) : db_(db) {
        db.exec("CREATE TABLE conformance_values (k " + q.bigintType + " PRIMARY KEY, i " +
                q.bigintType + ", d " + q.doubleType + ", t " + q.textType + ", b " + q.blobType +
                ", f " + q.boolType + ", ts " + q.timestampType + ")");
    }
    // Stores `value` in `column` of a new row and reads it back.
    Value roundTrip(const char* column, const Value& value) {
        const std::int64_t key = next_++;
        db_.exec("INSERT INTO conformance_values (k, " + std::string(column) + ") VALUES (?, ?)",
                 {key, value});
        const std::string select =
            "SELECT " + std::string(column) + " FROM conformance_values WHERE k = ?";
        Rows rows = db_.query(select, {key});
        if (!rows.next()) {
            ADD_FAILURE() << "no row from " << select << " with k = " << key;
            return {};
        }
        return rows.value(0);
    }
    // The round trip gives `expected` (by default the value sent), in type and value.
    void expectRoundTrip(const char* column, const Value& value,
                         const std::optional<Value>& expected = std::nullopt) {
        const Value got = roundTrip(column, value);
        EXPECT_TRUE(sameValue(got, expected.value_or(value)))
            << "column " << column << " of conformance_values, bound as " << show(value);
    }

private:
    Database& db_;
    std::int64_t next_ = 1;
};

TEST_P(DriverConformance, IntegersRoundTripAtTheirLimits) {
    ValueTable table(db(), quirks());
    for (std::int64_t v :
         {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
          std::int64_t{0}, std::int64_t{-1}, std::int64_t{1} << 53})
        table.expectRoundTrip("i", v);
}

TEST_P(DriverConformance, DoublesRoundTripIncludingExtremes) {
    ValueTable table(db(), quirks());
    for (double v : {0.1, -2.5, 1e308, -1e308, 2.2250738585072014e-308, 1e-300, 3.141592653589793})
        table.expectRoundTrip("d", v);
    table.expectRoundTrip("d", -0.0, quirks().keepsNegativeZero ? Value(-0.0) : Value(0.0));
}

TEST_P(DriverConformance, EmptyTextIsNotNull) {
    ValueTable table(db(), quirks());
    table.expectRoundTrip("t", "");
    table.expectRoundTrip("t", nullptr);
}

TEST_P(DriverConformance, OneMebibyteTextAndBlobRoundTrip) {
    ValueTable table(db(), quirks());
    std::string text(1 << 20, '\0');
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
    table.expectRoundTrip("t", text);
    Blob blob(1 << 20);
    for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<std::uint8_t>(i * 7);
    table.expectRoundTrip("b", blob);
    table.expectRoundTrip("b", Blob{});  // an empty blob is not NULL
}

TEST_P(DriverConformance, UnicodeIncludingFourByteCharactersRoundTrips) {
    ValueTable table(db(), quirks());
    const std::string text =
        "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9D\x84\x9E \xF0\x9F\x98\x80 \xE4\xB8\xAD";
    table.expectRoundTrip("t", text);
}

TEST_P(DriverConformance, BooleansRoundTrip) {
    ValueTable table(db(), quirks());
    table.expectRoundTrip("f", true);
    table.expectRoundTrip("f", false);
}

TEST_P(DriverConformance, TimestampsKeepMicrosecondsAndApplyOffsets) {
    ValueTable table(db(), quirks());
    for (const char* text : {"2024-02-29 23:59:59.123456Z", "1970-01-01 00:00:00.000001Z",
                             "2038-01-19 03:14:08.999999Z"}) {
        table.expectRoundTrip("ts", *Timestamp::parse(text));
    }
    table.expectRoundTrip("ts", *Timestamp::parse("2024-06-01 14:30:00.5+02:00"),
                          *Timestamp::parse("2024-06-01 12:30:00.500000Z"));
}

TEST_P(DriverConformance, NullRoundTripsInEveryType) {
    ValueTable table(db(), quirks());
    for (const char* column : {"i", "d", "t", "b", "f", "ts"})
        table.expectRoundTrip(column, nullptr);
}

// ---- statements --------------------------------------------------------------

TEST_P(DriverConformance, PreparedStatementsAreReusedWithNewParameters) {
    db().exec("CREATE TABLE reuse (k " + quirks().bigintType + ", v " + quirks().textType + ")");
    PreparedStatement insert = db().prepare("INSERT INTO reuse (k, v) VALUES (?, ?)");
    for (int i = 0; i < 200; ++i)
        EXPECT_EQ(insert.exec({i, "v" + std::to_string(i)}).rowsAffected, 1);
    PreparedStatement select = db().prepare("SELECT v FROM reuse WHERE k = ?");
    for (int i : {0, 7, 199, 7}) {
        SCOPED_TRACE("SELECT v FROM reuse WHERE k = " + std::to_string(i));
        Rows rows = select.query({i});
        ASSERT_TRUE(rows.next());
        EXPECT_TRUE(sameValue(rows.value(0), Value("v" + std::to_string(i))))
            << "column " << rows.columns()[0].name;
        EXPECT_FALSE(rows.next());
    }
    Rows none = select.query({1000});
    EXPECT_FALSE(none.next());
}

TEST_P(DriverConformance, PlaceholdersAreTheSameOnEveryEngine) {
    SCOPED_TRACE("SELECT '?' AS q, ? AS a, ? AS b /* ? */ -- ? with 41, 'x'");
    Rows rows = db().query("SELECT '?' AS q, ? AS a, ? AS b /* ? */ -- ?\n", {41, "x"});
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(sameValue(rows.value(0), Value("?"))) << "column " << rows.columns()[0].name;
    EXPECT_TRUE(sameValue(rows.value(1), Value(41))) << "column " << rows.columns()[1].name;
    EXPECT_TRUE(sameValue(rows.value(2), Value("x"))) << "column " << rows.columns()[2].name;
}

TEST_P(DriverConformance, RowsAffectedCountsChangedRows) {
    db().exec("CREATE TABLE affected (k " + quirks().bigintType + ", v " + quirks().bigintType +
              ")");
    for (int i = 0; i < 5; ++i) db().exec("INSERT INTO affected (k, v) VALUES (?, 0)", {i});
    EXPECT_EQ(db().exec("UPDATE affected SET v = 1 WHERE k < ?", {3}).rowsAffected, 3)
        << "UPDATE affected SET v = 1 WHERE k < 3";
    EXPECT_EQ(db().exec("DELETE FROM affected WHERE k >= ?", {1}).rowsAffected, 4)
        << "DELETE FROM affected WHERE k >= 1";
    EXPECT_EQ(db().exec("DELETE FROM affected WHERE k > ?", {100}).rowsAffected, 0)
        << "DELETE FROM affected WHERE k > 100";
}

// Issue 11, defect 2: rows changed by a statement that also returns rows are
// counted whether it runs through exec (its rows discarded), query or prepared.
TEST_P(DriverConformance, RowsAffectedCountsRowsChangedWithReturning) {
    REQUIRE_CAPABILITY(kCapReturning, "returning");
    db().exec("CREATE TABLE affected_ret (id " + quirks().bigintType + " PRIMARY KEY, v " +
              quirks().bigintType + ")");
    const std::string insert =
        "INSERT INTO affected_ret (id, v) VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0) "
        "RETURNING id";
    EXPECT_EQ(db().exec(insert).rowsAffected, 5) << insert << ", through exec";
    const std::string remove = "DELETE FROM affected_ret WHERE id >= ? RETURNING id, v";
    Rows rows = db().query(remove, {4});
    int returned = 0;
    while (rows.next()) {
        ++returned;
        EXPECT_TRUE(sameValue(rows.value(1), Value(0))) << "column v of a row of " << remove;
    }
    EXPECT_EQ(returned, 2) << remove << " with 4";
    EXPECT_EQ(rows.result().rowsAffected, 2) << remove << " with 4, through query";
    PreparedStatement prepared = db().prepare(remove);
    EXPECT_EQ(prepared.exec({3}).rowsAffected, 1) << remove << " with 3, prepared";
    EXPECT_EQ(prepared.exec({1}).rowsAffected, 2) << remove << " with 1, prepared, run again";
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM affected_ret", 0);
}

// ---- cursors -------------------------------------------------------------------

namespace {
// A table of `n` rows (k = 1..n, v = prefix + k).
void fillCursorTable(Database& db, const Quirks& q, const std::string& table,
                     const std::string& prefix, int n) {
    db.exec("CREATE TABLE " + table + " (k " + q.bigintType + " PRIMARY KEY, v " + q.textType +
            ")");
    db.transact([&](Transaction& tx) {
        PreparedStatement insert = tx.prepare("INSERT INTO " + table + " (k, v) VALUES (?, ?)");
        for (int k = 1; k <= n; ++k) insert.exec({k, prefix + std::to_string(k)});
    });
}

// The current row of "SELECT k, v FROM <table> ORDER BY k" is row k.
void expectRow(const Rows& rows, const std::string& table, const std::string& prefix, int k) {
    EXPECT_TRUE(sameValue(rows.value(0), Value(k)))
        << "column k of row " << k << " of SELECT k, v FROM " << table << " ORDER BY k";
    EXPECT_TRUE(sameValue(rows.value(1), Value(prefix + std::to_string(k))))
        << "column v of row " << k << " of SELECT k, v FROM " << table << " ORDER BY k";
}
}  // namespace

// Issue 11, defect 1: another statement on the same transaction must not
// change the row the caller is on, nor the rows still to come.
TEST_P(DriverConformance, TheCurrentRowStaysWhenTheTransactionRunsAnotherStatement) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    db().exec("CREATE TABLE five (k " + quirks().bigintType + " PRIMARY KEY, v " +
              quirks().bigintType + ")");
    db().exec("CREATE TABLE five_log (k " + quirks().bigintType + ")");
    for (int k = 1; k <= 5; ++k) db().exec("INSERT INTO five (k, v) VALUES (?, ?)", {k, 10 * k});
    const std::string select = "SELECT k, v FROM five ORDER BY k";
    db().transact([&](Transaction& tx) {
        Rows rows = tx.query(select);
        ASSERT_TRUE(rows.next());
        EXPECT_TRUE(sameValue(rows.value(1), Value(10))) << "column v of row 1 of " << select;
        tx.exec("INSERT INTO five_log (k) VALUES (?)", {1});
        EXPECT_TRUE(sameValue(rows.value(1), Value(10)))
            << "column v of row 1 of " << select << ", after an INSERT on the transaction";
        for (int k = 2; k <= 5; ++k) {
            ASSERT_TRUE(rows.next()) << "row " << k << " of " << select;
            EXPECT_TRUE(sameValue(rows.value(0), Value(k))) << "column k of row " << k;
            EXPECT_TRUE(sameValue(rows.value(1), Value(10 * k))) << "column v of row " << k;
        }
        EXPECT_FALSE(rows.next()) << select << " has 5 rows";
    });
    // The same with a prepared statement.
    db().transact([&](Transaction& tx) {
        PreparedStatement prepared = tx.prepare(select);
        Rows rows = prepared.query();
        ASSERT_TRUE(rows.next());
        tx.exec("INSERT INTO five_log (k) VALUES (?)", {2});
        EXPECT_TRUE(sameValue(rows.value(1), Value(10)))
            << "column v of row 1 of " << select << " (prepared), after an INSERT";
        ASSERT_TRUE(rows.next());
        EXPECT_TRUE(sameValue(rows.value(1), Value(20))) << "column v of row 2 of " << select;
    });
    // And on a session, with a script in between.
    Session session = db().session();
    Rows rows = session.query(select);
    ASSERT_TRUE(rows.next());
    session.executeScript("INSERT INTO five_log (k) VALUES (3)");
    EXPECT_TRUE(sameValue(rows.value(1), Value(10)))
        << "column v of row 1 of " << select << " on a session, after executeScript";
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(sameValue(rows.value(1), Value(20))) << "column v of row 2 of " << select;
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM five_log", 3);
}

// Two open cursors on one transaction, read in turn, with statements run in
// between (as ADBC's validation suite checks): every value as if read alone.
TEST_P(DriverConformance, InterleavedCursorsOnOneTransaction) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    const int n = 300;
    fillCursorTable(db(), quirks(), "cursor_a", "a", n);
    fillCursorTable(db(), quirks(), "cursor_b", "b", n / 2);
    db().exec("CREATE TABLE cursor_log (k " + quirks().bigintType + ")");
    db().transact([&](Transaction& tx) {
        Rows a = tx.query("SELECT k, v FROM cursor_a ORDER BY k");
        Rows b = tx.query("SELECT k, v FROM cursor_b ORDER BY k");
        int readA = 0, readB = 0, logged = 0;
        for (int k = 1; k <= n; ++k) {
            ASSERT_TRUE(a.next()) << "row " << k << " of cursor_a";
            ++readA;
            expectRow(a, "cursor_a", "a", k);
            if (k <= n / 2) {
                ASSERT_TRUE(b.next()) << "row " << k << " of cursor_b";
                ++readB;
                expectRow(b, "cursor_b", "b", k);
            }
            if (k % 7 == 0) {
                tx.exec("INSERT INTO cursor_log (k) VALUES (?)", {k});
                ++logged;
                expectRow(a, "cursor_a", "a", k);  // unchanged by the INSERT
                if (k <= n / 2) expectRow(b, "cursor_b", "b", k);
            }
            if (k == n / 3) {  // a third cursor, opened and drained while both are open
                Rows count = tx.query("SELECT COUNT(*) FROM cursor_log");
                ASSERT_TRUE(count.next());
                EXPECT_TRUE(sameValue(count.value(0), Value(logged)))
                    << "SELECT COUNT(*) FROM cursor_log between reads";
            }
        }
        EXPECT_FALSE(a.next()) << "cursor_a has " << n << " rows";
        EXPECT_FALSE(b.next()) << "cursor_b has " << n / 2 << " rows";
        EXPECT_EQ(readA, n);
        EXPECT_EQ(readB, n / 2);
    });
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM cursor_log", n / 7);
}

// Core releases every statement before the connection it runs on (drivers
// keep plain references to their session, driver.h): rows and prepared
// statements replaced by assignment, or outliving their Database, with a pool
// that closes each connection it gets back.
TEST_P(DriverConformance, StatementsAreReleasedBeforeTheirConnection) {
    Config config = configFor(url());
    config.set("pool.max_idle", "0", Layer::CommandLine, "conformance kit");
    std::optional<Rows> rows;
    std::optional<PreparedStatement> kept;
    {
        Database closing = Database::open(config);
        closing.exec("CREATE TABLE outlive (k " + quirks().bigintType + ")");
        for (int k = 1; k <= 3; ++k) closing.exec("INSERT INTO outlive (k) VALUES (?)", {k});
        PreparedStatement a = closing.prepare("SELECT k FROM outlive WHERE k >= ? ORDER BY k");
        a.exec({0});
        a.exec({0});  // run twice: server-side prepared where the engine does that
        PreparedStatement b = closing.prepare("SELECT k FROM outlive ORDER BY k");
        a = std::move(b);  // a's first statement and its connection go
        Rows first = a.query();
        ASSERT_TRUE(first.next());
        Rows second = closing.query("SELECT k FROM outlive WHERE k >= ? ORDER BY k", {1});
        ASSERT_TRUE(second.next());
        first = std::move(second);  // the prepared statement's rows go, the statement stays
        rows.emplace(std::move(first));
        kept.emplace(std::move(a));
    }  // the Database is gone; rows and statement still hold their connections
    for (int k = 2; k <= 3; ++k) {
        ASSERT_TRUE(rows->next()) << "row " << k << " of rows outliving their Database";
        EXPECT_TRUE(sameValue(rows->value(0), Value(k))) << "column k of row " << k;
    }
    EXPECT_FALSE(rows->next());
    Rows again = kept->query();
    for (int k = 1; k <= 3; ++k) {
        ASSERT_TRUE(again.next()) << "row " << k << " of a statement outliving its Database";
        EXPECT_TRUE(sameValue(again.value(0), Value(k))) << "column k of row " << k;
    }
}

// ---- columns -------------------------------------------------------------------

// Column::declaredType is the engine's name of the type (Quirks::declaredTypes),
// never a type number; with rows and without.
TEST_P(DriverConformance, DeclaredTypesAreTheEnginesTypeNames) {
    const auto& types = quirks().declaredTypes;
    ASSERT_FALSE(types.empty());
    std::string create = "CREATE TABLE declared (";
    for (std::size_t i = 0; i < types.size(); ++i)
        create += (i ? ", c" : "c") + std::to_string(i) + " " + types[i].first;
    db().exec(create + ")");
    auto check = [&](const char* when) {
        Rows rows = db().query("SELECT * FROM declared");
        const auto& columns = rows.columns();
        ASSERT_EQ(columns.size(), types.size()) << "SELECT * FROM declared " << when;
        for (std::size_t i = 0; i < types.size(); ++i)
            EXPECT_EQ(columns[i].declaredType, types[i].second)
                << "column c" << i << " declared " << types[i].first << ", " << when;
        while (rows.next()) {
        }
    };
    check("on an empty table");
    db().exec("INSERT INTO declared (c0) VALUES (NULL)");
    check("with a row");
}

// Expression columns decode to the type of their values: COUNT(*) and SUM of
// integers are Int, MIN of text is Text, a CTE's integer column is Int.
TEST_P(DriverConformance, ExpressionColumnsAreTyped) {
    db().exec("CREATE TABLE expr (n " + quirks().bigintType + ", t " + quirks().textType + ")");
    for (int i = 1; i <= 3; ++i)
        db().exec("INSERT INTO expr (n, t) VALUES (?, ?)", {i, "t" + std::to_string(i)});
    const std::string aggregate = "SELECT COUNT(*) AS c, SUM(n) AS s, MIN(t) AS m FROM expr";
    Rows rows = db().query(aggregate);
    ASSERT_TRUE(rows.next()) << aggregate;
    EXPECT_TRUE(sameValue(rows.value(0), Value(3))) << "COUNT(*) of " << aggregate;
    EXPECT_TRUE(sameValue(rows.value(1), Value(6))) << "SUM(n) of " << aggregate;
    EXPECT_TRUE(sameValue(rows.value(2), Value("t1"))) << "MIN(t) of " << aggregate;
    const std::string cte =
        "WITH c (x) AS (SELECT n + 1 FROM expr) SELECT x, COUNT(*) AS k FROM c GROUP BY x ORDER BY "
        "x";
    Rows cteRows = db().query(cte);
    for (int x = 2; x <= 4; ++x) {
        ASSERT_TRUE(cteRows.next()) << cte;
        EXPECT_TRUE(sameValue(cteRows.value(0), Value(x))) << "column x of " << cte;
        EXPECT_TRUE(sameValue(cteRows.value(1), Value(1))) << "column k of " << cte;
    }
}

TEST_P(DriverConformance, LastInsertIdWhereTheEngineReportsOne) {
    REQUIRE_CAPABILITY(kCapLastInsertId, "last_insert_id");
    db().exec("CREATE TABLE ids (" + quirks().autoIdColumn + ", v " + quirks().textType + ")");
    const Result first = db().exec("INSERT INTO ids (v) VALUES (?)", {"a"});
    const Result second = db().exec("INSERT INTO ids (v) VALUES (?)", {"b"});
    ASSERT_TRUE(first.lastInsertId && second.lastInsertId);
    EXPECT_GT(*second.lastInsertId, *first.lastInsertId);
    Rows rows = db().query("SELECT v FROM ids WHERE id = ?", {*second.lastInsertId});
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(sameValue(rows.value(0), Value("b"))) << "column " << rows.columns()[0].name;
}

TEST_P(DriverConformance, ReturningGivesTheInsertedRow) {
    REQUIRE_CAPABILITY(kCapReturning, "returning");
    db().exec("CREATE TABLE ret (" + quirks().autoIdColumn + ", v " + quirks().textType + ")");
    Rows rows = db().query("INSERT INTO ret (v) VALUES (?) RETURNING id, v", {"r"});
    ASSERT_TRUE(rows.next());
    EXPECT_GT(rows.getInt(0), 0);
    EXPECT_TRUE(sameValue(rows.value(1), Value("r"))) << "column " << rows.columns()[1].name;
}

TEST_P(DriverConformance, AMillionRowsStreamWithBoundedMemory) {
    const long n = 1'000'000;
    Rows rows = db().query(quirks().seriesQuery(n));
    const long before = residentKiB();
    long count = 0, peakGrowth = 0;
    std::int64_t sum = 0;
    while (rows.next()) {
        sum += rows.getInt(0);
        if (++count % 100'000 == 0) peakGrowth = std::max(peakGrowth, residentKiB() - before);
    }
    EXPECT_EQ(count, n);
    EXPECT_EQ(sum, std::int64_t{n} * (n + 1) / 2);
#if defined(__SANITIZE_ADDRESS__)
    (void)peakGrowth;  // ASan's quarantine keeps freed memory resident: no meaningful bound
#else
    // The whole result as values would be tens of MiB; streaming stays far below.
    EXPECT_LT(peakGrowth, 16 * 1024) << "memory grew by " << peakGrowth << " KiB while streaming";
#endif
}

// ---- bulk insert -------------------------------------------------------------

namespace {
// Row i of the bulk tests: every type, awkward text, and NULL in each column in turn.
std::vector<Value> bulkRow(std::int64_t i) {
    std::vector<Value> row{
        i,
        i * -7'000'000'000,
        static_cast<double>(i) / 8.0,
        "tab\there\nnewline back\\slash \r \xF0\x9F\x98\x80 #" + std::to_string(i),
        Blob{0, static_cast<std::uint8_t>(i), '\\', '\t', 255},
        i % 2 == 0,
        Timestamp{1'700'000'000'000'000 + i * 1'000'001},
    };
    if (i % 11 != 0) row[1 + static_cast<std::size_t>(i % 6)] = nullptr;
    return row;
}
}  // namespace

TEST_P(DriverConformance, BulkInsertLoadsEveryTypeAcrossBatches) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    ValueTable table(db(), quirks());
    const std::int64_t n = 2'345;  // more than one batch, and a partial one
    db().transact([&](Transaction& tx) {
        BulkInsert bulk = tx.bulkInsert("conformance_values", {"k", "i", "d", "t", "b", "f", "ts"});
        for (std::int64_t i = 1; i <= n; ++i) bulk.add(bulkRow(i));
        EXPECT_EQ(bulk.finish(), n);
    });
    Rows rows = db().query("SELECT k, i, d, t, b, f, ts FROM conformance_values ORDER BY k");
    std::int64_t seen = 0;
    while (rows.next()) {
        const auto expected = bulkRow(++seen);
        for (std::size_t c = 0; c < expected.size(); ++c) {
            const Value got = rows.value(c);
            EXPECT_TRUE(sameValue(got, expected[c]))
                << "row k = " << seen << ", column " << rows.columns()[c].name
                << " of SELECT k, i, d, t, b, f, ts FROM conformance_values ORDER BY k";
        }
    }
    EXPECT_EQ(seen, n);
}

TEST_P(DriverConformance, BulkInsertErrorsAreTypedAndTheTransactionRollsBack) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    db().exec("CREATE TABLE bulk_unique (k " + quirks().bigintType + " PRIMARY KEY)");
    EXPECT_EQ(categoryOf([&] {
                  db().transact([](Transaction& tx) {
                      BulkInsert bulk = tx.bulkInsert("bulk_unique", {"k"});
                      for (int i = 0; i < 3000; ++i) bulk.add({i % 2500});
                      bulk.finish();
                  });
              }),
              ErrorCategory::UniqueViolation);
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM bulk_unique", 0);
}

TEST_P(DriverConformance, AnUnfinishedBulkInsertIsAbandoned) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    db().exec("CREATE TABLE bulk_left (k " + quirks().bigintType + ")");
    {
        Transaction tx = db().begin();
        BulkInsert bulk = tx.bulkInsert("bulk_left", {"k"});
        for (int i = 0; i < 1500; ++i) bulk.add({i});
        EXPECT_EQ(categoryOf([&] { tx.exec("SELECT 1"); }), ErrorCategory::InvalidArgument)
            << "nothing else runs on the transaction during a bulk insert";
        EXPECT_EQ(categoryOf([&] { bulk.add({1, 2}); }), ErrorCategory::InvalidArgument);
    }  // neither finished nor committed
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM bulk_left", 0);
    db().transact([](Transaction& tx) {  // the connection is still good for another load
        BulkInsert bulk = tx.bulkInsert("bulk_left", {"k"});
        bulk.add({7});
        EXPECT_EQ(bulk.finish(), 1);
        EXPECT_THROW(bulk.add({8}), Error);
    });
}

// ---- transactions ------------------------------------------------------------

TEST_P(DriverConformance, TransactionsCommitAndRollBack) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    db().exec("CREATE TABLE tx (v " + quirks().bigintType + ")");
    db().transact([](Transaction& tx) { tx.exec("INSERT INTO tx (v) VALUES (1)"); });
    {
        Transaction tx = db().begin();
        tx.exec("INSERT INTO tx (v) VALUES (2)");
        tx.rollback();
    }
    {
        Transaction tx = db().begin();
        tx.exec("INSERT INTO tx (v) VALUES (3)");
    }  // not committed: rolled back
    EXPECT_THROW(db().transact([](Transaction& tx) {
        tx.exec("INSERT INTO tx (v) VALUES (4)");
        throw std::runtime_error("application error");
    }),
                 std::runtime_error);
    EXPECT_SCALAR(db(), "SELECT COUNT(*), SUM(v) FROM tx", 1);
    EXPECT_TRUE(sameValue(scalar(db(), "SELECT COUNT(*), SUM(v) FROM tx", {}, 1), Value(1)))
        << "SUM(v) of SELECT COUNT(*), SUM(v) FROM tx";
}

TEST_P(DriverConformance, SavepointsUndoPartOfATransaction) {
    REQUIRE_CAPABILITY(kCapSavepoints, "savepoints");
    db().exec("CREATE TABLE sp (v " + quirks().bigintType + ")");
    db().transact([](Transaction& tx) {
        tx.exec("INSERT INTO sp (v) VALUES (1)");
        tx.savepoint("second");
        tx.exec("INSERT INTO sp (v) VALUES (2)");
        tx.rollbackTo("second");
        tx.release("second");
        tx.exec("INSERT INTO sp (v) VALUES (3)");
    });
    EXPECT_SCALAR(db(), "SELECT SUM(v) FROM sp", 4);
}

TEST_P(DriverConformance, AFailedStatementInsideATransaction) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    db().exec("CREATE TABLE failtx (k " + quirks().bigintType + " PRIMARY KEY)");
    db().exec("INSERT INTO failtx (k) VALUES (1)");
    {
        Transaction tx = db().begin();
        tx.exec("INSERT INTO failtx (k) VALUES (2)");
        EXPECT_EQ(categoryOf([&] { tx.exec("INSERT INTO failtx (k) VALUES (1)"); }),
                  ErrorCategory::UniqueViolation);
        if (quirks().failedStatementAbortsTransaction) {
            EXPECT_THROW(tx.exec("INSERT INTO failtx (k) VALUES (3)"), Error)
                << "the engine documents that a failed statement aborts the transaction";
            tx.rollback();
        } else {
            tx.exec("INSERT INTO failtx (k) VALUES (3)");
            tx.commit();
        }
    }
    // Either way the connection is healthy afterwards.
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM failtx",
                  quirks().failedStatementAbortsTransaction ? 1 : 3);
}

// ---- errors ------------------------------------------------------------------

TEST_P(DriverConformance, ConstraintAndSyntaxErrorsAreTyped) {
    const auto& q = quirks();
    db().exec("CREATE TABLE parent (id " + q.bigintType + " PRIMARY KEY)");
    db().exec("CREATE TABLE child (id " + q.bigintType + " PRIMARY KEY, parent_id " + q.bigintType +
              " NOT NULL REFERENCES parent (id), n " + q.bigintType + " CHECK (n > 0))");
    db().exec("INSERT INTO parent (id) VALUES (1)");
    EXPECT_EQ(categoryOf([&] { db().exec("INSERT INTO parent (id) VALUES (1)"); }),
              ErrorCategory::UniqueViolation);
    EXPECT_EQ(
        categoryOf([&] { db().exec("INSERT INTO child (id, parent_id, n) VALUES (1, 9, 1)"); }),
        ErrorCategory::ForeignKey);
    EXPECT_EQ(
        categoryOf([&] { db().exec("INSERT INTO child (id, parent_id, n) VALUES (1, NULL, 1)"); }),
        ErrorCategory::NotNull);
    EXPECT_EQ(
        categoryOf([&] { db().exec("INSERT INTO child (id, parent_id, n) VALUES (1, 1, 0)"); }),
        ErrorCategory::Check);
    EXPECT_EQ(categoryOf([&] { db().exec("SELEC 1"); }), ErrorCategory::Syntax);
    EXPECT_EQ(categoryOf([&] { db().exec("SELECT * FROM no_such_table"); }), ErrorCategory::Syntax);
    try {
        db().exec("INSERT INTO parent (id) VALUES (1)");
    } catch (const Error& e) {
        EXPECT_EQ(e.engine(), db().info().driver);
        EXPECT_TRUE(e.nativeCode() != 0 || !e.sqlState().empty())
            << "the engine's own code is kept";
    }
    db().ping();  // still usable
}

// A value the column cannot hold is the data's fault, not the SQL's or the
// caller's: data_exception (exit 65 in the CLI), whether written in the SQL or bound.
TEST_P(DriverConformance, ValuesTheColumnCannotHoldAreDataExceptions) {
    const auto& q = quirks();
    if (q.whyNoDataExceptions) GTEST_SKIP() << "no data exceptions: " << *q.whyNoDataExceptions;
    db().exec("CREATE TABLE rejects (n " + q.bigintType + ")" + q.typeCheckedTable);
    for (const char* value : {"'not a number'", "1e30"}) {
        const std::string sql = std::string("INSERT INTO rejects (n) VALUES (") + value + ")";
        EXPECT_EQ(categoryOf([&] { db().exec(sql); }), ErrorCategory::DataException) << sql;
    }
    EXPECT_EQ(
        categoryOf([&] { db().exec("INSERT INTO rejects (n) VALUES (?)", {"not a number"}); }),
        ErrorCategory::DataException)
        << "bound text";
    try {
        db().exec("INSERT INTO rejects (n) VALUES ('not a number')");
    } catch (const Error& e) {
        EXPECT_EQ(e.engine(), db().info().driver);
        EXPECT_TRUE(e.nativeCode() != 0 || !e.sqlState().empty())
            << "the engine's own code is kept";
    }
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM rejects", 0);
    db().ping();  // still usable
}

TEST_P(DriverConformance, ParameterMisuseIsAnInvalidArgument) {
    EXPECT_EQ(categoryOf([&] { db().query("SELECT ?", {}); }), ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] { db().query("SELECT ?", {1, 2}); }), ErrorCategory::InvalidArgument);
}

TEST_P(DriverConformance, AStatementOverTheQueryTimeoutIsCancelled) {
    if (!quirks().slowQuery) GTEST_SKIP() << "the fixture names no slow query";
    Database limited = db().withQueryTimeout(std::chrono::milliseconds(300));
    const auto start = std::chrono::steady_clock::now();
    try {
        Rows rows = limited.query(*quirks().slowQuery);
        while (rows.next()) {
        }
        FAIL() << "the slow query was not cancelled";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Timeout) << e.what();
        EXPECT_NE(std::string(e.what()).find("query timeout"), std::string::npos) << e.what();
    }
    // Well before the slow query's own end: the server stopped it.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
    db().ping();  // the pool replaced the interrupted connection
    EXPECT_GE(db().poolStats().brokenClosed, 1u);
    Rows rows = limited.query("SELECT 1");  // and short statements still run under the limit
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(sameValue(rows.value(0), Value(1))) << "column " << rows.columns()[0].name;
}

// ---- connections ---------------------------------------------------------------

TEST_P(DriverConformance, PingAndServerVersion) {
    db().ping();
    EXPECT_FALSE(db().serverVersion().empty());
}

TEST_P(DriverConformance, SixteenThreadsEachOnItsOwnConnection) {
    REQUIRE_CAPABILITY(kCapTransactions, "transactions");
    db().exec("CREATE TABLE threads (t " + quirks().bigintType + ", i " + quirks().bigintType +
              ")");
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([&, t] {
            try {
                for (int i = 0; i < 25; ++i)
                    db().transact([&](Transaction& tx) {
                        tx.exec("INSERT INTO threads (t, i) VALUES (?, ?)", {t, i});
                        Rows rows = tx.query("SELECT COUNT(*) FROM threads WHERE t = ?", {t});
                        rows.next();
                        if (rows.getInt(0) != i + 1) ++failures;
                    });
            } catch (const std::exception& e) {
                ADD_FAILURE() << "thread " << t << ": " << e.what();
                ++failures;
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_SCALAR(db(), "SELECT COUNT(*) FROM threads", 16 * 25);
}

TEST_P(DriverConformance, ConnectionFailuresHaveTheRightCategory) {
    const auto& q = quirks();
    if (!q.wrongPortUrl && !q.wrongPasswordUrl && !q.unknownDatabaseUrl)
        GTEST_SKIP() << "no failing URLs described: " << q.whyNoConnectionChecks;
    auto openCategory = [&](const std::string& url) {
        return categoryOf([&] { Database::open(configFor(url)); });
    };
    if (q.wrongPortUrl) {
        EXPECT_EQ(openCategory(*q.wrongPortUrl), ErrorCategory::Connection);
    }
    if (q.wrongPasswordUrl) {
        EXPECT_EQ(openCategory(*q.wrongPasswordUrl), ErrorCategory::Auth);
    }
    if (q.unknownDatabaseUrl) {
        const auto category = openCategory(*q.unknownDatabaseUrl);
        EXPECT_TRUE(category == ErrorCategory::Connection || category == ErrorCategory::Config)
            << (category ? toString(*category) : "none");
    }
}

}  // namespace plugdb::conformance
