// plugdb::Database end to end on real SQLite files through the real plugin.
#include "plugdb/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/error.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-db-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    Config config(const std::string& url) {
        Config c = Config::withDefaults();
        c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
        c.set("db.url", url, Layer::CommandLine, "test");
        return c;
    }
    Database open() { return Database::open(config("sqlite:" + (dir_ / "t.db").string())); }

    fs::path dir_;
};

ErrorCategory categoryOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.category();
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return ErrorCategory::Other;
}

}  // namespace

TEST_F(DatabaseTest, OpensByUrlAndReportsTheDriver) {
    Database db = open();
    EXPECT_EQ(db.info().driver, "sqlite");
    EXPECT_EQ(db.info().target, "sqlite:" + (dir_ / "t.db").string());
    EXPECT_TRUE(db.has(kCapSavepoints));
    EXPECT_TRUE(db.serverVersion().starts_with("SQLite 3.")) << db.serverVersion();
    db.ping();
}

TEST_F(DatabaseTest, ExecReportsRowsAffectedAndLastInsertId) {
    Database db = open();
    db.exec("create table t(id integer primary key, name text)");
    Result first = db.exec("insert into t(name) values (?)", {"a"});
    EXPECT_EQ(first.rowsAffected, 1);
    EXPECT_EQ(first.lastInsertId, 1);
    db.exec("insert into t(name) values (?), (?)", {"b", "c"});
    Result updated = db.exec("update t set name = upper(name) where id >= ?", {2});
    EXPECT_EQ(updated.rowsAffected, 2);
}

TEST_F(DatabaseTest, RowsHaveNamesTypesAndTypedGetters) {
    Database db = open();
    db.exec(
        "create table t(id integer primary key, name text, score real, ok boolean, at timestamp)");
    const Timestamp at = *Timestamp::parse("2024-02-29 23:59:59.123456Z");
    db.exec("insert into t(name, score, ok, at) values (?, ?, ?, ?)", {"x", 2.5, true, at});
    db.exec("insert into t(name, score, ok, at) values (?, ?, ?, ?)",
            {nullptr, nullptr, nullptr, nullptr});
    Rows rows = db.query("select id, name, score, ok, at from t order by id");
    ASSERT_EQ(rows.columns().size(), 5u);
    EXPECT_EQ(rows.columns()[1].name, "name");
    EXPECT_EQ(rows.columns()[2].type, Type::Double);
    EXPECT_EQ(rows.columnIndex("at"), 4u);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 1);
    EXPECT_EQ(rows.getText(1), "x");
    EXPECT_DOUBLE_EQ(rows.getDouble(2), 2.5);
    EXPECT_TRUE(rows.getBool(3));
    EXPECT_EQ(rows.getTimestamp(4), at);
    ASSERT_TRUE(rows.next());
    for (std::size_t i = 1; i < 5; ++i) EXPECT_TRUE(rows.isNull(i)) << i;
    EXPECT_EQ(rows.getOptionalText(1), std::nullopt);
    EXPECT_EQ(categoryOf([&] { rows.getInt(2); }), ErrorCategory::InvalidArgument)
        << "NULL read as a number is an error, not 0";
    EXPECT_FALSE(rows.next());
    EXPECT_EQ(categoryOf([&] { rows.columnIndex("nope"); }), ErrorCategory::InvalidArgument);
}

TEST_F(DatabaseTest, PreparedStatementsRebind) {
    Database db = open();
    db.exec("create table t(k integer, v text)");
    PreparedStatement insert = db.prepare("insert into t values (?, ?)");
    EXPECT_EQ(insert.parameterCount(), 2u);
    for (int i = 0; i < 100; ++i) insert.exec({i, "v" + std::to_string(i)});
    PreparedStatement select = db.prepare("select v from t where k = ?");
    for (int i : {0, 42, 99}) {
        Rows rows = select.query({i});
        ASSERT_TRUE(rows.next());
        EXPECT_EQ(rows.getText(0), "v" + std::to_string(i));
        EXPECT_FALSE(rows.next());
    }
    EXPECT_EQ(categoryOf([&] { select.query({1, 2}); }), ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] { db.exec("select ?", {}); }), ErrorCategory::InvalidArgument);
}

// Rows read only partly hold SQLite's read snapshot; destroying them must
// release it even though their prepared statement lives on, or a checkpoint
// cannot complete and the WAL grows without bound.
TEST_F(DatabaseTest, DroppedRowsOfAPreparedStatementReleaseTheirSnapshot) {
    Database db = open();
    db.exec("create table t(k integer)");
    db.exec("insert into t values (1), (2), (3)");
    PreparedStatement select = db.prepare("select k from t where k >= ?");
    Rows older = select.query({1});
    ASSERT_TRUE(older.next());
    {
        Rows rows = select.query({1});  // replaces older's cursor: older must not reset it later
        ASSERT_TRUE(rows.next());
        Rows moved = std::move(older);  // a stale cursor is left alone when destroyed
    }
    Database writer = open();
    writer.exec("insert into t values (4)");
    Rows checkpoint = writer.query("pragma wal_checkpoint(truncate)");
    ASSERT_TRUE(checkpoint.next());
    EXPECT_EQ(checkpoint.getInt(0), 0) << "a reader still holds an old snapshot";
}

TEST_F(DatabaseTest, QuestionMarksInLiteralsAreNotPlaceholders) {
    Database db = open();
    Rows rows = db.query("select '?' as q, ? as p -- trailing ?", {7});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "?");
    EXPECT_EQ(rows.getInt(1), 7);
}

TEST_F(DatabaseTest, TransactionCommitsAndRollsBack) {
    Database db = open();
    db.exec("create table t(v integer)");
    {
        Transaction tx = db.begin();
        tx.exec("insert into t values (1)");
        tx.commit();
        EXPECT_FALSE(tx.active());
        EXPECT_EQ(categoryOf([&] { tx.commit(); }), ErrorCategory::InvalidArgument);
    }
    {
        Transaction tx = db.begin();
        tx.exec("insert into t values (2)");
        // destroyed without commit: rolled back
    }
    EXPECT_THROW(db.transact([](Transaction& tx) {
        tx.exec("insert into t values (3)");
        throw std::runtime_error("application failure");
    }),
                 std::runtime_error);
    const int64_t sum = db.transact([](Transaction& tx) {
        tx.exec("insert into t values (4)");
        Rows rows = tx.query("select sum(v) from t");
        rows.next();
        return rows.getInt(0);
    });
    EXPECT_EQ(sum, 5);
    Rows rows = db.query("select group_concat(v) from t order by v");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "1,4");
}

TEST_F(DatabaseTest, SavepointsUndoPartOfATransaction) {
    Database db = open();
    db.exec("create table t(v integer)");
    db.transact([](Transaction& tx) {
        tx.exec("insert into t values (1)");
        tx.savepoint("before two");
        tx.exec("insert into t values (2)");
        tx.rollbackTo("before two");
        tx.release("before two");
        tx.exec("insert into t values (3)");
    });
    Rows rows = db.query("select group_concat(v) from t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "1,3");
}

TEST_F(DatabaseTest, ConstraintErrorsAreTyped) {
    Database db = open();
    db.exec("create table p(id integer primary key)");
    db.exec(
        "create table c(id integer primary key, p integer not null references p(id), "
        "n integer check (n > 0))");
    db.exec("insert into p values (1)");
    EXPECT_EQ(categoryOf([&] { db.exec("insert into p values (1)"); }),
              ErrorCategory::UniqueViolation);
    EXPECT_EQ(categoryOf([&] { db.exec("insert into c values (1, 2, 1)"); }),
              ErrorCategory::ForeignKey)
        << "foreign keys are always on";
    EXPECT_EQ(categoryOf([&] { db.exec("insert into c values (1, null, 1)"); }),
              ErrorCategory::NotNull);
    EXPECT_EQ(categoryOf([&] { db.exec("insert into c values (1, 1, 0)"); }), ErrorCategory::Check);
    EXPECT_EQ(categoryOf([&] { db.exec("selec 1"); }), ErrorCategory::Syntax);
    try {
        db.exec("insert into p values (1)");
    } catch (const Error& e) {
        EXPECT_EQ(e.engine(), "sqlite");
        EXPECT_NE(e.nativeCode(), 0);
    }
}

TEST_F(DatabaseTest, ThreadsShareOneDatabase) {
    Database db = open();
    db.exec("create table t(v integer)");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&db, t] {
            for (int i = 0; i < 50; ++i) db.exec("insert into t values (?)", {t * 100 + i});
        });
    for (auto& thread : threads) thread.join();
    Rows rows = db.query("select count(*) from t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 200);
}

TEST_F(DatabaseTest, DefaultsToSqliteUnderVar) {
    const fs::path previous = fs::current_path();
    fs::current_path(dir_);
    Config c = Config::withDefaults();
    c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    {
        Database db = Database::open(c);
        EXPECT_EQ(db.info().driver, "sqlite");
        EXPECT_EQ(db.info().target, "sqlite:./var/plugdb.db");
    }
    EXPECT_TRUE(fs::exists(dir_ / "var" / "plugdb.db"));
    fs::current_path(previous);
}

TEST_F(DatabaseTest, UnknownSchemeIsAConfigError) {
    EXPECT_EQ(categoryOf([&] { Database::open(config("nosuch://h/db")); }), ErrorCategory::Config);
    Config c = config("sqlite:" + (dir_ / "t.db").string());
    c.set("db.driver", "nosuch", Layer::CommandLine, "test");
    EXPECT_EQ(categoryOf([&] { Database::open(c); }), ErrorCategory::Plugin);
}

TEST_F(DatabaseTest, ARawBeginNeverReachesTheNextBorrower) {
    Config c = config("sqlite:" + (dir_ / "t.db").string());
    c.set("pool.max_open", "1", Layer::CommandLine, "test");
    Database db = Database::open(c);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    {
        Session session = db.session();
        session.exec("BEGIN");
        session.exec("INSERT INTO t (id) VALUES (1)");
    }  // the session ends inside the transaction it began with raw SQL
    // The one connection is handed out again: it must not be inside that
    // transaction (a COMMIT here would otherwise keep the row).
    EXPECT_THROW(db.exec("COMMIT"), Error) << "no transaction is open on the connection";
    Rows rows = db.query("SELECT count(*) FROM t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 0) << "the abandoned transaction was rolled back";
}

TEST_F(DatabaseTest, ExhaustedRowsGiveTheirConnectionBack) {
    Config c = config("sqlite:" + (dir_ / "t.db").string());
    c.set("pool.max_open", "1", Layer::CommandLine, "test");
    c.set("pool.acquire_timeout", "0", Layer::CommandLine, "test");
    Database db = Database::open(c);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b')");
    Rows rows = db.query("SELECT id, name FROM t ORDER BY id");
    int count = 0;
    while (rows.next()) ++count;
    EXPECT_EQ(count, 2);
    // With the pool's only connection still held, this would time out at once.
    EXPECT_EQ(db.exec("UPDATE t SET name = 'c' WHERE id <= 2").rowsAffected, 2);
    // What the rows report stays valid after they gave the connection back.
    ASSERT_EQ(rows.columns().size(), 2u);
    EXPECT_EQ(rows.columns()[1].name, "name");
    EXPECT_FALSE(rows.next());
    EXPECT_EQ(categoryOf([&] { rows.value(0); }), ErrorCategory::InvalidArgument);

    Rows update = db.query("UPDATE t SET name = 'd'");
    EXPECT_FALSE(update.next());
    EXPECT_EQ(update.result().rowsAffected, 2);
    EXPECT_EQ(db.exec("DELETE FROM t WHERE id = 1").rowsAffected, 1);
}

TEST_F(DatabaseTest, MovedFromTransactionsAndSessionsRefuseToWork) {
    Database db = open();
    Transaction tx = db.begin();
    Transaction moved = std::move(tx);
    for (const auto& use : std::vector<std::function<void()>>{
             [&] { tx.rollback(); }, [&] { tx.commit(); }, [&] { tx.exec("SELECT 1"); },
             [&] { tx.query("SELECT 1"); }, [&] { tx.prepare("SELECT 1"); },
             [&] { tx.savepoint("s"); }, [&] { tx.bulkInsert("t", {"a"}); }})
        EXPECT_EQ(categoryOf(use), ErrorCategory::InvalidArgument);
    moved.rollback();

    Session session = db.session();
    Session movedSession = std::move(session);
    for (const auto& use : std::vector<std::function<void()>>{
             [&] { session.exec("SELECT 1"); }, [&] { session.query("SELECT 1"); },
             [&] { session.executeScript("SELECT 1"); }, [&] { session.begin(); }})
        EXPECT_EQ(categoryOf(use), ErrorCategory::InvalidArgument);
    movedSession.exec("SELECT 1");
}

// Rows of a prepared statement that ran again are gone: reading them throws
// instead of reading the new run's rows.
TEST_F(DatabaseTest, RowsOfAPreparedStatementThatRanAgainRefuseToRead) {
    Database db = open();
    db.exec("CREATE TABLE t (v INTEGER)");
    db.exec("INSERT INTO t (v) VALUES (1), (2), (3)");
    Transaction tx = db.begin();
    PreparedStatement select = tx.prepare("SELECT v FROM t WHERE v >= ? ORDER BY v");
    Rows first = select.query({1});
    ASSERT_TRUE(first.next());
    Rows second = select.query({3});
    EXPECT_EQ(categoryOf([&] { first.next(); }), ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] { first.value(0); }), ErrorCategory::InvalidArgument);
    ASSERT_TRUE(second.next());
    EXPECT_EQ(second.getInt(0), 3);
    EXPECT_FALSE(second.next());
}
