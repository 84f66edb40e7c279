// The conformance tests: every driver must pass these through the public API.
#include "conformance.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <thread>

#include "plugdb/error.h"

namespace plugdb::conformance {
namespace {

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
    Value roundTrip(const char* column, const Value& value) {
        const std::int64_t key = next_++;
        db_.exec("INSERT INTO conformance_values (k, " + std::string(column) + ") VALUES (?, ?)",
                 {key, value});
        Rows rows = db_.query(
            "SELECT " + std::string(column) + " FROM conformance_values WHERE k = ?", {key});
        EXPECT_TRUE(rows.next());
        return rows.value(0);
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
        EXPECT_EQ(table.roundTrip("i", v).asInt(), v);
}

TEST_P(DriverConformance, DoublesRoundTripIncludingExtremes) {
    ValueTable table(db(), quirks());
    for (double v : {0.1, -2.5, 1e308, -1e308, 2.2250738585072014e-308, 1e-300, 3.141592653589793})
        EXPECT_EQ(table.roundTrip("d", v).asDouble(), v) << v;
    const double zero = table.roundTrip("d", -0.0).asDouble();
    EXPECT_EQ(zero, 0.0);
    if (quirks().keepsNegativeZero) {
        EXPECT_TRUE(std::signbit(zero)) << "-0.0 lost its sign";
    }
}

TEST_P(DriverConformance, EmptyTextIsNotNull) {
    ValueTable table(db(), quirks());
    const Value empty = table.roundTrip("t", "");
    ASSERT_EQ(empty.type(), Type::Text);
    EXPECT_EQ(empty.asText(), "");
    EXPECT_TRUE(table.roundTrip("t", nullptr).isNull());
}

TEST_P(DriverConformance, OneMebibyteTextAndBlobRoundTrip) {
    ValueTable table(db(), quirks());
    std::string text(1 << 20, '\0');
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
    EXPECT_EQ(table.roundTrip("t", text).asText(), text);
    Blob blob(1 << 20);
    for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<std::uint8_t>(i * 7);
    EXPECT_EQ(table.roundTrip("b", blob).asBlob(), blob);
    const Value empty = table.roundTrip("b", Blob{});
    ASSERT_EQ(empty.type(), Type::Blob) << "an empty blob is not NULL";
    EXPECT_TRUE(empty.asBlob().empty());
}

TEST_P(DriverConformance, UnicodeIncludingFourByteCharactersRoundTrips) {
    ValueTable table(db(), quirks());
    const std::string text =
        "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9D\x84\x9E \xF0\x9F\x98\x80 \xE4\xB8\xAD";
    EXPECT_EQ(table.roundTrip("t", text).asText(), text);
}

TEST_P(DriverConformance, BooleansRoundTrip) {
    ValueTable table(db(), quirks());
    EXPECT_TRUE(table.roundTrip("f", true).asBool());
    EXPECT_FALSE(table.roundTrip("f", false).asBool());
}

TEST_P(DriverConformance, TimestampsKeepMicrosecondsAndApplyOffsets) {
    ValueTable table(db(), quirks());
    for (const char* text : {"2024-02-29 23:59:59.123456Z", "1970-01-01 00:00:00.000001Z",
                             "2038-01-19 03:14:08.999999Z"}) {
        const Timestamp ts = *Timestamp::parse(text);
        EXPECT_EQ(table.roundTrip("ts", ts).asTimestamp(), ts) << text;
    }
    const Timestamp zoned = *Timestamp::parse("2024-06-01 14:30:00.5+02:00");
    EXPECT_EQ(table.roundTrip("ts", zoned).asTimestamp().toString(), "2024-06-01 12:30:00.500000Z");
}

TEST_P(DriverConformance, NullRoundTripsInEveryType) {
    ValueTable table(db(), quirks());
    for (const char* column : {"i", "d", "t", "b", "f", "ts"})
        EXPECT_TRUE(table.roundTrip(column, nullptr).isNull()) << column;
}

// ---- statements --------------------------------------------------------------

TEST_P(DriverConformance, PreparedStatementsAreReusedWithNewParameters) {
    db().exec("CREATE TABLE reuse (k " + quirks().bigintType + ", v " + quirks().textType + ")");
    PreparedStatement insert = db().prepare("INSERT INTO reuse (k, v) VALUES (?, ?)");
    for (int i = 0; i < 200; ++i)
        EXPECT_EQ(insert.exec({i, "v" + std::to_string(i)}).rowsAffected, 1);
    PreparedStatement select = db().prepare("SELECT v FROM reuse WHERE k = ?");
    for (int i : {0, 7, 199, 7}) {
        Rows rows = select.query({i});
        ASSERT_TRUE(rows.next());
        EXPECT_EQ(rows.getText(0), "v" + std::to_string(i));
        EXPECT_FALSE(rows.next());
    }
    Rows none = select.query({1000});
    EXPECT_FALSE(none.next());
}

TEST_P(DriverConformance, PlaceholdersAreTheSameOnEveryEngine) {
    Rows rows = db().query("SELECT '?' AS q, ? AS a, ? AS b /* ? */ -- ?\n", {41, "x"});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "?");
    EXPECT_EQ(rows.getInt(1), 41);
    EXPECT_EQ(rows.getText(2), "x");
}

TEST_P(DriverConformance, RowsAffectedCountsChangedRows) {
    db().exec("CREATE TABLE affected (k " + quirks().bigintType + ", v " + quirks().bigintType +
              ")");
    for (int i = 0; i < 5; ++i) db().exec("INSERT INTO affected (k, v) VALUES (?, 0)", {i});
    EXPECT_EQ(db().exec("UPDATE affected SET v = 1 WHERE k < ?", {3}).rowsAffected, 3);
    EXPECT_EQ(db().exec("DELETE FROM affected WHERE k >= ?", {1}).rowsAffected, 4);
    EXPECT_EQ(db().exec("DELETE FROM affected WHERE k > ?", {100}).rowsAffected, 0);
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
    EXPECT_EQ(rows.getText(0), "b");
}

TEST_P(DriverConformance, ReturningGivesTheInsertedRow) {
    REQUIRE_CAPABILITY(kCapReturning, "returning");
    db().exec("CREATE TABLE ret (" + quirks().autoIdColumn + ", v " + quirks().textType + ")");
    Rows rows = db().query("INSERT INTO ret (v) VALUES (?) RETURNING id, v", {"r"});
    ASSERT_TRUE(rows.next());
    EXPECT_GT(rows.getInt(0), 0);
    EXPECT_EQ(rows.getText(1), "r");
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
            if (expected[c].isNull() || got.isNull()) {
                EXPECT_EQ(got.isNull(), expected[c].isNull()) << "row " << seen << " column " << c;
            } else if (expected[c].type() == Type::Bool) {
                EXPECT_EQ(got.asBool(), expected[c].asBool()) << "row " << seen;
            } else {
                EXPECT_EQ(got, expected[c]) << "row " << seen << " column " << c;
            }
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
    Rows rows = db().query("SELECT COUNT(*) FROM bulk_unique");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 0);
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
    Rows rows = db().query("SELECT COUNT(*) FROM bulk_left");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 0);
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
    Rows rows = db().query("SELECT COUNT(*), SUM(v) FROM tx");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 1);
    EXPECT_EQ(rows.getInt(1), 1);
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
    Rows rows = db().query("SELECT SUM(v) FROM sp");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 4);
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
    Rows rows = db().query("SELECT COUNT(*) FROM failtx");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), quirks().failedStatementAbortsTransaction ? 1 : 3);
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
    Rows rows = db().query("SELECT COUNT(*) FROM rejects");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 0);
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
    EXPECT_EQ(rows.getInt(0), 1);
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
    Rows rows = db().query("SELECT COUNT(*) FROM threads");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 16 * 25);
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
