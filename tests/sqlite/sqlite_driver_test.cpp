// The SQLite plugin through the driver ABI, on real files: values, statements,
// typed errors, options, transactions, interrupts and two writing processes.
#include <Poco/ClassLoader.h>
#include <Poco/SharedLibrary.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/error.h"
#include "plugdb/plugin.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using plugdb::Blob;
using plugdb::Connection;
using plugdb::Error;
using plugdb::ErrorCategory;
using plugdb::Statement;
using plugdb::Timestamp;
using plugdb::Type;
using plugdb::Value;

namespace plugdb {
// Readable values in assertion messages.
void PrintTo(const Value& value, std::ostream* out) {
    std::string text = value.toString();
    if (text.size() > 60) text = text.substr(0, 60) + "...";
    *out << text << " (" << toString(value.type()) << ")";
}
}  // namespace plugdb

namespace {

using Options = std::map<std::string, std::string>;
using Row = std::vector<Value>;
using Params = std::vector<Value>;

const std::string kPluginFile =
    (fs::path(PLUGDB_TEST_PLUGIN_DIR) / PLUGDB_TEST_PLUGIN_FILE_NAME).string();

// The driver, created from the built plugin file the way a host creates it.
plugdb::Driver& driver() {
    struct Loaded {
        Poco::ClassLoader<plugdb::Driver> loader;  // declared first: unloads last
        std::unique_ptr<plugdb::Driver> driver;
        Loaded() {
            loader.loadLibrary(kPluginFile);
            driver.reset(loader.create("plugdb::sqlite::SqliteDriver"));
        }
    };
    static Loaded loaded;
    return *loaded.driver;
}

std::unique_ptr<Connection> connectTo(const std::string& file, const Options& options = {}) {
    plugdb::DataSource source;
    source.driver = "sqlite";
    source.database = file;
    source.options = options;
    // As a host does before connect: the options are checked against the driver's declaration.
    if (const auto* declared = plugdb::declaredOptions(driver()))
        plugdb::checkOptions("sqlite", *declared, source);
    return driver().connect(source);
}

std::vector<Row> rowsOf(Statement& statement) {
    std::vector<Row> rows;
    while (statement.next()) {
        Row row;
        for (std::size_t i = 0; i < statement.columns().size(); ++i)
            row.push_back(statement.get(i));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<Row> query(Connection& connection, std::string_view sql,
                       std::vector<Value> params = {}) {
    auto statement = connection.prepare(sql);
    statement->execute(params);
    return rowsOf(*statement);
}

Value scalar(Connection& connection, std::string_view sql, std::vector<Value> params = {}) {
    const auto rows = query(connection, sql, std::move(params));
    if (rows.empty() || rows.front().empty()) {
        ADD_FAILURE() << "no value from: " << sql;
        return {};
    }
    return rows.front().front();
}

void exec(Connection& connection, std::string_view sql, std::vector<Value> params = {}) {
    connection.prepare(sql)->execute(params);
}

// The plugdb::Error the action throws; a test failure when it throws none.
Error errorFrom(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return Error(ErrorCategory::Other, "(no error was thrown)");
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

class SqliteDriverTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("plugdb-sqlite-" + std::to_string(::getpid()) + "-" + test->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    std::string file(const std::string& name = "test.db") const { return (dir_ / name).string(); }
    std::unique_ptr<Connection> connect(const Options& options = {}) {
        return connectTo(file(), options);
    }

    fs::path dir_;
};

TEST_F(SqliteDriverTest, PluginDescribesItselfAndItsDialect) {
    Poco::SharedLibrary library(kPluginFile);
    const auto* descriptor =
        static_cast<const plugdb_plugin_descriptor_t*>(library.getSymbol(PLUGDB_DESCRIPTOR_SYMBOL));
    ASSERT_NE(descriptor, nullptr);
    EXPECT_EQ(descriptor->magic, PLUGDB_PLUGIN_MAGIC);
    EXPECT_STREQ(descriptor->name, "sqlite");
    EXPECT_STREQ(descriptor->aliases, "sqlite3");
    EXPECT_STREQ(descriptor->schemes, "sqlite,sqlite3,file");
    EXPECT_STREQ(descriptor->class_name, "plugdb::sqlite::SqliteDriver");
    EXPECT_EQ(plugdb::capabilitiesToString(descriptor->capabilities),
              "transactions,savepoints,returning,last_insert_id,transactional_ddl,interrupt,"
              "embedded,read_only_mode,concurrent_cursors");
    EXPECT_EQ(driver().dialect().placeholders, plugdb::Dialect::Placeholders::Question);
    EXPECT_EQ(driver().dialect().identifierQuote, '"');
}

TEST_F(SqliteDriverTest, EveryValueTypeRoundTrips) {
    auto db = connect();
    exec(*db,
         "create table v(k integer primary key, i integer, d double, t text, b blob, f boolean, "
         "ts timestamp, u)");
    std::string megabyteText(1 << 20, 'x');
    for (std::size_t i = 0; i < megabyteText.size(); i += 997) megabyteText[i] = 'a' + i % 26;
    Blob megabyteBlob(1 << 20);
    for (std::size_t i = 0; i < megabyteBlob.size(); ++i) megabyteBlob[i] = (i * 31 + 7) % 256;

    const std::vector<std::pair<std::string, Value>> cases = {
        {"i", INT64_MIN},
        {"i", INT64_MAX},
        {"i", 0},
        {"d", 1e308},
        {"d", -1e308},
        {"d", 5e-324},
        {"d", 0.1},
        {"t", ""},
        {"t", "naïve café"},
        {"t", "日本語のテキスト"},
        {"t", "four-byte 😀 and 𝄞"},
        {"t", std::string("nul\0inside", 10)},
        {"t", megabyteText},
        {"b", Blob{}},
        {"b", Blob{0, 1, 2, 127, 128, 255}},
        {"b", megabyteBlob},
        {"f", true},
        {"f", false},
        {"ts", Timestamp{1706702400123456}},  // 2024-01-31 12:00:00.123456
        {"ts", Timestamp{0}},
        {"ts", Timestamp{-1}},                  // 1969-12-31 23:59:59.999999
        {"ts", Timestamp{253402300799999999}},  // 9999-12-31 23:59:59.999999
        {"u", 42},
        {"u", 2.5},
        {"u", "untyped text"},
        {"u", Blob{9}},
    };
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto& [column, value] = cases[k];
        exec(*db, "insert into v(k, " + column + ") values (?, ?)", {k, value});
        const Value back = scalar(*db, "select " + column + " from v where k = ?", {k});
        EXPECT_EQ(back, value) << "column " << column << ", case " << k;
        EXPECT_EQ(back.type(), value.type()) << "column " << column << ", case " << k;
    }

    // Typed columns with REAL affinity store -0.0 as integer 0 (SQLite's own
    // normalisation); an untyped column keeps the sign.
    exec(*db, "insert into v(k, u) values (1000, ?)", {-0.0});
    const Value negativeZero = scalar(*db, "select u from v where k = 1000");
    ASSERT_EQ(negativeZero.type(), Type::Double);
    EXPECT_TRUE(std::signbit(negativeZero.asDouble()));

    EXPECT_EQ(scalar(*db, "select typeof(?)", {Blob{}}), Value("blob")) << "empty blob is no NULL";
    EXPECT_EQ(scalar(*db, "select typeof(?)", {""}), Value("text")) << "empty text is no NULL";
    EXPECT_EQ(scalar(*db, "select typeof(?)", {Value()}), Value("null"));
}

TEST_F(SqliteDriverTest, NullComesBackAsNullInEveryColumnType) {
    auto db = connect();
    exec(*db,
         "create table v(i integer, d double, t text, b blob, f boolean, ts timestamp, n "
         "numeric, u)");
    exec(*db, "insert into v values (?, ?, ?, ?, ?, ?, ?, ?)",
         {Value(), nullptr, std::optional<int>(), Value(), Value(), Value(), Value(), Value()});
    auto statement = db->prepare("select * from v");
    statement->execute({});
    ASSERT_TRUE(statement->next());
    ASSERT_EQ(statement->columns().size(), 8u);
    for (std::size_t i = 0; i < 8; ++i)
        EXPECT_TRUE(statement->get(i).isNull()) << statement->columns()[i].name;
    EXPECT_FALSE(statement->next());
}

TEST_F(SqliteDriverTest, DeclaredTypesDecideHowValuesDecodeWithoutLosingData) {
    auto db = connect();
    exec(*db,
         "create table m(a varchar(64), b bigint, c numeric(10,2), d datetime, e boolean, "
         "f float, g date, h clob, x mystery, y)");
    auto statement = db->prepare("select a, b, c, d, e, f, g, h, x, y, 1 + 1 as sum from m");
    const auto& columns = statement->columns();
    const std::vector<std::tuple<std::string, Type, std::string>> expected = {
        {"a", Type::Text, "varchar(64)"},
        {"b", Type::Int, "bigint"},
        {"c", Type::Double, "numeric(10,2)"},
        {"d", Type::Timestamp, "datetime"},
        {"e", Type::Bool, "boolean"},
        {"f", Type::Double, "float"},
        {"g", Type::Timestamp, "date"},
        {"h", Type::Text, "clob"},
        {"x", Type::Null, "mystery"},
        {"y", Type::Null, ""},
        {"sum", Type::Null, ""}};
    ASSERT_EQ(columns.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(columns[i].name, std::get<0>(expected[i]));
        EXPECT_EQ(columns[i].type, std::get<1>(expected[i])) << columns[i].name;
        EXPECT_EQ(columns[i].declaredType, std::get<2>(expected[i]));
    }

    const auto valueOf = [&](const std::string& column, const std::string& literal) {
        exec(*db, "delete from m");
        exec(*db, "insert into m(" + column + ") values (" + literal + ")");
        return scalar(*db, "select " + column + " from m");
    };
    EXPECT_EQ(valueOf("b", "'not a number'"), Value("not a number"));
    EXPECT_EQ(valueOf("c", "5"), Value(5.0));
    EXPECT_EQ(valueOf("c", "9007199254740993"), Value(9007199254740993))
        << "an integer a double cannot hold stays an integer";
    EXPECT_EQ(valueOf("d", "86400"), Value(Timestamp{86'400'000'000}));
    EXPECT_EQ(valueOf("d", "'2024-01-31T12:00:00+02:00'"),
              Value(Timestamp::parse("2024-01-31 10:00:00Z").value()));
    EXPECT_EQ(valueOf("d", "'yesterday'"), Value("yesterday"));
    EXPECT_EQ(valueOf("e", "1"), Value(true));
    EXPECT_EQ(valueOf("e", "0"), Value(false));
    EXPECT_EQ(valueOf("f", "3"), Value(3.0));
    EXPECT_EQ(valueOf("y", "x'0102'"), Value(Blob{1, 2}));
    EXPECT_EQ(scalar(*db, "select 1 + 1"), Value(2));
    EXPECT_EQ(scalar(*db, "select 1.5"), Value(1.5));
}

TEST_F(SqliteDriverTest, PreparedStatementsAreReusedWithNewParameters) {
    auto db = connect();
    exec(*db, "create table t(k integer primary key, v text)");
    auto insert = db->prepare("insert into t values (?, ?)");
    for (int k = 0; k < 100; ++k) {
        insert->execute(Params{k, "v" + std::to_string(k)});
        EXPECT_EQ(insert->rowsAffected(), 1);
    }
    auto select = db->prepare("select v from t where k >= ? order by k");
    for (int k : {98, 0, 42, 99}) {
        select->execute(Params{k});
        ASSERT_TRUE(select->next());
        EXPECT_EQ(select->get(0), Value("v" + std::to_string(k)));
    }
    // Executing again discards the unfinished cursor.
    select->execute(Params{99});
    ASSERT_TRUE(select->next());
    EXPECT_EQ(select->get(0), Value("v99"));
    EXPECT_FALSE(select->next());
    EXPECT_FALSE(select->next()) << "an exhausted cursor stays exhausted";

    select->execute(Params{0});
    EXPECT_EQ(errorFrom([&] { select->get(0); }).category(), ErrorCategory::InvalidArgument)
        << "no current row before next()";
    ASSERT_TRUE(select->next());
    EXPECT_EQ(errorFrom([&] { select->get(1); }).category(), ErrorCategory::InvalidArgument);
    select->reset();
    EXPECT_FALSE(select->next());
    EXPECT_EQ(errorFrom([&] { select->get(0); }).category(), ErrorCategory::InvalidArgument);
}

TEST_F(SqliteDriverTest, ReusedStatementFollowsSchemaChanges) {
    auto db = connect();
    exec(*db, "create table t(a integer)");
    exec(*db, "insert into t values (1)");
    auto select = db->prepare("select * from t");
    select->execute({});
    EXPECT_EQ(rowsOf(*select), (std::vector<Row>{{1}}));
    exec(*db, "alter table t add column stamp timestamp");
    exec(*db, "update t set stamp = '2024-01-31 12:00:00Z'");
    select->execute({});  // SQLite re-prepares it: now two columns
    ASSERT_EQ(select->columns().size(), 2u);
    EXPECT_EQ(select->columns()[1].name, "stamp");
    EXPECT_EQ(select->columns()[1].type, Type::Timestamp);
    EXPECT_EQ(rowsOf(*select),
              (std::vector<Row>{{1, Timestamp::parse("2024-01-31 12:00:00Z").value()}}));
}

TEST_F(SqliteDriverTest, ParameterCountMustMatch) {
    auto db = connect();
    auto statement = db->prepare("select ?, ?");
    const Error error = errorFrom([&] { statement->execute(Params{1}); });
    EXPECT_EQ(error.category(), ErrorCategory::InvalidArgument);
    EXPECT_TRUE(contains(error.what(), "expects 2")) << error.what();
    EXPECT_TRUE(contains(error.what(), "1 given")) << error.what();
    statement->execute(Params{1, 2});
    ASSERT_TRUE(statement->next());
    EXPECT_EQ(statement->get(1), Value(2));
}

TEST_F(SqliteDriverTest, PrepareTakesExactlyOneStatement) {
    auto db = connect();
    const Error several = errorFrom([&] { db->prepare("select 1; select 2"); });
    EXPECT_EQ(several.category(), ErrorCategory::InvalidArgument);
    EXPECT_TRUE(contains(several.what(), "use executeScript for several")) << several.what();
    EXPECT_EQ(errorFrom([&] { db->prepare("select 1; garbage"); }).category(),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(scalar(*db, "select 1; -- trailing comment\n"), Value(1));
    EXPECT_EQ(scalar(*db, "select 2;; /* and more */ ;"), Value(2));
    EXPECT_EQ(errorFrom([&] { db->prepare("  -- nothing"); }).category(),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(errorFrom([&] { db->prepare(""); }).category(), ErrorCategory::InvalidArgument);
}

TEST_F(SqliteDriverTest, ForeignKeysAreAlwaysEnforced) {
    auto db = connect({{"foreign_keys", "on"}});
    EXPECT_EQ(scalar(*db, "pragma foreign_keys"), Value(1));
    db->executeScript(
        "create table parent(id integer primary key);"
        "create table child(id integer primary key, parent integer references parent(id));"
        "insert into parent values (1)");
    exec(*db, "insert into child values (1, 1)");
    const Error error = errorFrom([&] { exec(*db, "insert into child values (2, 99)"); });
    EXPECT_EQ(error.category(), ErrorCategory::ForeignKey) << error.what();
    EXPECT_EQ(error.nativeCode(), SQLITE_CONSTRAINT_FOREIGNKEY);
    EXPECT_EQ(errorFrom([&] { exec(*db, "delete from parent"); }).category(),
              ErrorCategory::ForeignKey);

    const Error off = errorFrom([&] { connect({{"foreign_keys", "off"}}); });
    EXPECT_EQ(off.category(), ErrorCategory::Config);
    EXPECT_TRUE(contains(off.what(), "foreign_keys")) << off.what();
}

TEST_F(SqliteDriverTest, EngineErrorsAreTyped) {
    auto db = connect();
    db->executeScript(
        "create table p(id integer primary key, code text unique);"
        "create table c(id integer primary key, p integer not null references p(id),"
        "               n integer check (n > 0));"
        "create table s(v integer) strict;"
        "insert into p values (1, 'a')");
    struct Case {
        std::string sql;
        ErrorCategory category;
        int nativeCode;
    };
    const std::vector<Case> cases = {
        {"insert into p values (1, 'b')", ErrorCategory::UniqueViolation,
         SQLITE_CONSTRAINT_PRIMARYKEY},
        {"insert into p values (2, 'a')", ErrorCategory::UniqueViolation, SQLITE_CONSTRAINT_UNIQUE},
        {"insert into c values (1, 7, 1)", ErrorCategory::ForeignKey, SQLITE_CONSTRAINT_FOREIGNKEY},
        {"insert into c values (1, null, 1)", ErrorCategory::NotNull, SQLITE_CONSTRAINT_NOTNULL},
        {"insert into c values (1, 1, 0)", ErrorCategory::Check, SQLITE_CONSTRAINT_CHECK},
        {"insert into s values ('text in a strict integer column')", ErrorCategory::DataException,
         SQLITE_CONSTRAINT_DATATYPE},
        {"insert into p(id) values ('not a rowid')", ErrorCategory::DataException, SQLITE_MISMATCH},
        {"selec 1", ErrorCategory::Syntax, SQLITE_ERROR},
        {"select * from nosuch", ErrorCategory::Syntax, SQLITE_ERROR},
        {"select nosuch from p", ErrorCategory::Syntax, SQLITE_ERROR},
    };
    for (const auto& c : cases) {
        const Error error = errorFrom([&] { exec(*db, c.sql); });
        EXPECT_EQ(error.category(), c.category) << c.sql << ": " << error.what();
        EXPECT_EQ(error.nativeCode(), c.nativeCode) << c.sql;
        EXPECT_EQ(error.engine(), "sqlite");
        EXPECT_TRUE(error.sqlState().empty());
        EXPECT_TRUE(std::string(error.what()).starts_with("sqlite: ")) << error.what();
    }
    const Error scripted = errorFrom([&] { db->executeScript("insert into p values (1, 'z')"); });
    EXPECT_EQ(scripted.category(), ErrorCategory::UniqueViolation);
    EXPECT_TRUE(contains(scripted.what(), "UNIQUE constraint failed: p.id")) << scripted.what();
    EXPECT_EQ(scalar(*db, "select count(*) from c"), Value(0)) << "failed statements left no rows";
}

TEST_F(SqliteDriverTest, RowsAffectedAndLastInsertId) {
    auto db = connect();
    db->executeScript(
        "create table a(id integer primary key, v text);"
        "create table b(id integer primary key, v text unique)");
    auto run = [&](const std::string& sql) {
        auto statement = db->prepare(sql);
        statement->execute({});
        return std::pair{statement->rowsAffected(), statement->lastInsertId()};
    };
    using Outcome = std::pair<std::int64_t, std::optional<std::int64_t>>;
    EXPECT_EQ(run("insert into a(v) values ('x')"), Outcome(1, 1));
    EXPECT_EQ(run("insert into b(v) values ('y')"), Outcome(1, 1)) << "same id, other table";
    EXPECT_EQ(run("insert into a(v) values ('p'), ('q')"), Outcome(2, 3));
    EXPECT_EQ(run("update a set v = 'z'"), Outcome(3, std::nullopt));
    EXPECT_EQ(run("create table c(x)"), Outcome(0, std::nullopt)) << "not the update's count";
    EXPECT_EQ(run("delete from a where id > 100"), Outcome(0, std::nullopt));
    EXPECT_EQ(run("insert or ignore into b(v) values ('y')"), Outcome(0, std::nullopt));
    EXPECT_EQ(run("insert into b(v) values ('y') on conflict(v) do update set v = 'y2'"),
              Outcome(1, std::nullopt))
        << "an upsert that updated inserted nothing";
    EXPECT_EQ(run("select * from a"), Outcome(0, std::nullopt));
    EXPECT_EQ(scalar(*db, "select last_insert_rowid()"), Value(3))
        << "SQL still sees the last real insert";

    auto returning = db->prepare("insert into a(v) values ('r1'), ('r2') returning id, v");
    returning->execute({});
    EXPECT_EQ(returning->rowsAffected(), 2);
    EXPECT_EQ(returning->lastInsertId(), 5);
    ASSERT_EQ(returning->columns().size(), 2u);
    EXPECT_EQ(returning->columns()[0].name, "id");
    EXPECT_EQ(rowsOf(*returning), (std::vector<Row>{{4, "r1"}, {5, "r2"}}));

    auto deleting = db->prepare("delete from a where id >= 4 returning id");
    deleting->execute({});
    EXPECT_EQ(deleting->rowsAffected(), 2);
    EXPECT_EQ(deleting->lastInsertId(), std::nullopt);
    // Its rows are still unread, yet the write is complete and the lock released.
    auto other = connect({{"busy_timeout", "50"}});
    exec(*other, "insert into a(v) values ('from another connection')");
    EXPECT_EQ(rowsOf(*deleting), (std::vector<Row>{{4}, {5}}));
}

TEST_F(SqliteDriverTest, TransactionsSavepointsAndTransactionalDdl) {
    auto db = connect();
    exec(*db, "create table t(v integer)");
    db->begin();
    exec(*db, "insert into t values (1)");
    db->executeScript("savepoint s1");
    exec(*db, "insert into t values (2)");
    db->executeScript("rollback to s1; release s1");
    exec(*db, "insert into t values (3)");
    db->commit();
    EXPECT_EQ(scalar(*db, "select group_concat(v) from t"), Value("1,3"));

    db->begin();
    exec(*db, "insert into t values (4)");
    exec(*db, "create table ddl(x)");
    db->rollback();
    EXPECT_EQ(scalar(*db, "select count(*) from t where v = 4"), Value(0));
    EXPECT_EQ(errorFrom([&] { exec(*db, "select * from ddl"); }).category(), ErrorCategory::Syntax)
        << "the CREATE TABLE rolled back with the transaction";
    db->rollback();  // nothing open: nothing to do

    db->executeScript("create table s(a); insert into s values (1); insert into s values (2)");
    EXPECT_EQ(scalar(*db, "select sum(a) from s"), Value(3));
    EXPECT_EQ(errorFrom([&] { db->executeScript("insert into s values (3); bogus"); }).category(),
              ErrorCategory::Syntax);
}

TEST_F(SqliteDriverTest, WalAndSynchronousNormalAreInEffect) {
    auto db = connect();
    EXPECT_EQ(scalar(*db, "pragma journal_mode"), Value("wal"));
    EXPECT_EQ(scalar(*db, "pragma synchronous"), Value(1)) << "1 is NORMAL";
    EXPECT_EQ(scalar(*db, "pragma busy_timeout"), Value(5000));
    exec(*db, "create table t(v)");
    EXPECT_TRUE(fs::exists(file() + "-wal")) << "writes go to the write-ahead log";

    auto other =
        connectTo(file("other.db"),
                  {{"journal_mode", "delete"}, {"synchronous", "full"}, {"busy_timeout", "2s"}});
    EXPECT_EQ(scalar(*other, "pragma journal_mode"), Value("delete"));
    EXPECT_EQ(scalar(*other, "pragma synchronous"), Value(2));
    EXPECT_EQ(scalar(*other, "pragma busy_timeout"), Value(2000));

    for (const std::string memory : {":memory:", ""}) {
        auto inMemory = connectTo(memory, {{"journal_mode", "wal"}});
        EXPECT_EQ(scalar(*inMemory, "pragma journal_mode"), Value("memory"));
        EXPECT_EQ(scalar(*inMemory, "pragma foreign_keys"), Value(1));
    }
}

TEST_F(SqliteDriverTest, BadOptionsAreRefusedByName) {
    const Error unknown = errorFrom([&] { connect({{"sslmode", "require"}}); });
    EXPECT_EQ(unknown.category(), ErrorCategory::Config);
    EXPECT_TRUE(contains(unknown.what(), "unknown option 'sslmode'")) << unknown.what();
    EXPECT_TRUE(contains(unknown.what(),
                         "busy_timeout, foreign_keys, journal_mode, mode, read_only, synchronous"))
        << unknown.what();
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"journal_mode", "fast"},
                                                          {"synchronous", "sometimes"},
                                                          {"busy_timeout", "soon"},
                                                          {"busy_timeout", "-5"},
                                                          {"read_only", "maybe"},
                                                          {"mode", "rwx"}}) {
        const Error error = errorFrom([&] { connect({{name, value}}); });
        EXPECT_EQ(error.category(), ErrorCategory::Config) << name << "=" << value;
        EXPECT_TRUE(contains(error.what(), name + "='" + value + "'")) << error.what();
    }
    EXPECT_FALSE(fs::exists(file())) << "refused before the file was created";
}

TEST_F(SqliteDriverTest, ReadOnlyModeRefusesWrites) {
    {
        auto setup = connect();
        setup->executeScript("create table t(v integer); insert into t values (1)");
    }
    for (const Options& options :
         {Options{{"mode", "ro"}}, Options{{"read_only", "true"}}, Options{{"read_only", "1"}}}) {
        auto db = connect(options);
        EXPECT_EQ(scalar(*db, "select v from t"), Value(1));
        const Error write = errorFrom([&] { exec(*db, "insert into t values (2)"); });
        EXPECT_EQ(write.category(), ErrorCategory::Permission) << write.what();
        EXPECT_EQ(write.nativeCode() & 0xff, SQLITE_READONLY);
        EXPECT_EQ(errorFrom([&] { db->executeScript("create table u(v)"); }).category(),
                  ErrorCategory::Permission);
        db->begin();
        EXPECT_EQ(scalar(*db, "select count(*) from t"), Value(1));
        db->commit();
    }
    const std::string missing = file("missing.db");
    const Error error = errorFrom([&] { connectTo(missing, {{"mode", "ro"}}); });
    EXPECT_EQ(error.category(), ErrorCategory::Connection);
    EXPECT_TRUE(contains(error.what(), missing)) << error.what();
    EXPECT_FALSE(fs::exists(missing)) << "read-only mode created the file";
    EXPECT_EQ(errorFrom([&] {
                  connectTo(":memory:", {{"mode", "ro"}});
              }).category(),
              ErrorCategory::Config);
}

TEST_F(SqliteDriverTest, OpenFailuresNameTheFile) {
    const std::string inMissingDir = file("no/such/dir/app.db");
    const Error missingDir = errorFrom([&] { connectTo(inMissingDir); });
    EXPECT_EQ(missingDir.category(), ErrorCategory::Connection);
    EXPECT_TRUE(contains(missingDir.what(), inMissingDir)) << missingDir.what();
    EXPECT_TRUE(contains(missingDir.what(), "does not exist")) << missingDir.what();

    const Error directory = errorFrom([&] { connectTo(dir_.string()); });
    EXPECT_EQ(directory.category(), ErrorCategory::Connection);
    EXPECT_TRUE(contains(directory.what(), "is a directory")) << directory.what();

    const std::string notADatabase = file("notes.txt");
    std::ofstream(notADatabase) << std::string(4096, 'z');
    const Error garbage = errorFrom([&] { connectTo(notADatabase); });
    EXPECT_EQ(garbage.category(), ErrorCategory::Connection) << garbage.what();
    EXPECT_EQ(garbage.nativeCode(), SQLITE_NOTADB);
    EXPECT_TRUE(contains(garbage.what(), notADatabase)) << garbage.what();

    const std::string odd = file("odd ?name#%.db");
    auto db = connectTo(odd, {{"mode", "rwc"}});
    exec(*db, "create table t(v)");
    EXPECT_TRUE(fs::exists(odd)) << "URI characters in a file name are taken literally";
}

TEST_F(SqliteDriverTest, WriteLockHeldElsewhereIsATimeout) {
    auto holder = connect();
    exec(*holder, "create table t(v integer)");
    holder->begin();
    exec(*holder, "insert into t values (1)");

    auto waiter = connect({{"busy_timeout", "50"}});
    const auto start = std::chrono::steady_clock::now();
    const Error busy = errorFrom([&] { exec(*waiter, "insert into t values (2)"); });
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(busy.category(), ErrorCategory::Timeout) << busy.what();
    EXPECT_EQ(busy.nativeCode() & 0xff, SQLITE_BUSY);
    EXPECT_TRUE(contains(busy.what(), "database is locked")) << busy.what();
    EXPECT_TRUE(contains(busy.what(), "busy_timeout 50 ms")) << busy.what();
    EXPECT_GE(waited, 40ms) << "the busy handler waited first";
    EXPECT_LT(waited, 3s);
    EXPECT_EQ(errorFrom([&] { waiter->begin(); }).category(), ErrorCategory::Timeout)
        << "begin() takes the write lock up front";

    holder->commit();
    exec(*waiter, "insert into t values (2)");
    EXPECT_EQ(scalar(*waiter, "select count(*) from t"), Value(2));
}

TEST_F(SqliteDriverTest, StaleSnapshotIsASerializationFailure) {
    auto writer = connect();
    auto reader = connect();
    exec(*writer, "create table t(v integer)");
    // A deferred transaction (plain BEGIN, not what begin() does) that read first...
    reader->executeScript("BEGIN");
    EXPECT_EQ(scalar(*reader, "select count(*) from t"), Value(0));
    exec(*writer, "insert into t values (1)");
    // ...cannot write after another connection did: retrying the transaction helps.
    const Error error = errorFrom([&] { exec(*reader, "insert into t values (2)"); });
    EXPECT_EQ(error.category(), ErrorCategory::Serialization) << error.what();
    EXPECT_EQ(error.nativeCode(), SQLITE_BUSY_SNAPSHOT);
    EXPECT_TRUE(error.retryable());
    reader->rollback();
    reader->begin();
    exec(*reader, "insert into t values (2)");
    reader->commit();
    EXPECT_EQ(scalar(*writer, "select count(*) from t"), Value(2));
}

TEST_F(SqliteDriverTest, InterruptStopsARunningQuery) {
    auto db = connect();
    // Minutes of work unless interrupted.
    auto statement = db->prepare(
        "with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000000000) "
        "select count(*) from c");
    std::atomic<bool> finished = false;
    std::optional<Error> error;
    const auto start = std::chrono::steady_clock::now();
    std::thread worker([&] {
        try {
            statement->execute({});
        } catch (const Error& e) {
            error = e;
        }
        finished = true;
    });
    // Repeated, since an interrupt that arrives before the query starts is dropped.
    while (!finished && std::chrono::steady_clock::now() - start < 60s) {
        std::this_thread::sleep_for(20ms);
        db->interrupt();
    }
    worker.join();
    ASSERT_TRUE(error.has_value()) << "the query was not interrupted";
    EXPECT_EQ(error->category(), ErrorCategory::Timeout) << error->what();
    EXPECT_EQ(error->nativeCode(), SQLITE_INTERRUPT);
    EXPECT_TRUE(contains(error->what(), "interrupted")) << error->what();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);

    // An interrupt with nothing running is not held against the next statement.
    db->interrupt();
    db->ping();
    EXPECT_EQ(scalar(*db, "select 40 + 2"), Value(42));
}

// Connections opening a new file at once race to switch it to WAL; SQLite
// answers that race with SQLITE_BUSY without waiting, so the driver retries.
TEST_F(SqliteDriverTest, ManyConnectionsOpeningANewFileAtOnceAllSucceed) {
    for (int round = 0; round < 10; ++round) {
        const std::string file = (dir_ / ("race" + std::to_string(round) + ".db")).string();
        std::atomic<int> ready{0}, failures{0};
        std::vector<std::thread> openers;
        for (int t = 0; t < 8; ++t)
            openers.emplace_back([&] {
                ++ready;
                while (ready < 8) std::this_thread::yield();
                try {
                    auto conn = connectTo(file);
                    conn->ping();
                } catch (const Error& e) {
                    ++failures;
                    ADD_FAILURE() << e.what();
                }
            });
        for (auto& opener : openers) opener.join();
        ASSERT_EQ(failures.load(), 0) << "round " << round;
    }
}

TEST_F(SqliteDriverTest, PingAndServerVersion) {
    auto db = connect();
    db->ping();
    EXPECT_TRUE(db->serverVersion().starts_with("SQLite 3.")) << db->serverVersion();
}

// A child process: single-row transactions through the driver, each reading
// before it writes (the pattern a deferred BEGIN cannot serve without busy
// errors), pausing between transactions so the two writers interleave.
int writeRows(const std::string& file, int writer, int rows, int startSignal) {
    try {
        auto db = connectTo(file);
        auto count = db->prepare("select count(*) from t where writer = ?");
        auto insert = db->prepare("insert into t(writer, n) values (?, ?)");
        char byte;
        while (::read(startSignal, &byte, 1) > 0) {
        }  // end of file: the parent released both writers at once
        for (int n = 0; n < rows; ++n) {
            db->begin();
            count->execute(Params{writer});
            if (!count->next() || count->get(0) != Value(n)) {
                std::fprintf(stderr, "writer %d: saw a wrong count before row %d\n", writer, n);
                return 2;
            }
            count->reset();
            insert->execute(Params{writer, n});
            db->commit();
            std::this_thread::sleep_for(300us);
        }
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "writer %d: %s error: %s\n", writer, plugdb::toString(e.category()),
                     e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", writer, e.what());
    }
    return 1;
}

TEST_F(SqliteDriverTest, TwoProcessesWriteOneWalDatabaseWithoutBusyErrors) {
    constexpr int kRowsPerWriter = 300;
    {
        auto setup = connect();
        exec(*setup, "create table t(id integer primary key, writer integer, n integer)");
    }  // closed: a connection must not cross fork()
    int start[2];
    ASSERT_EQ(::pipe(start), 0);
    std::vector<pid_t> children;
    for (int writer = 0; writer < 2; ++writer) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(start[1]);
            ::_exit(writeRows(file(), writer, kRowsPerWriter, start[0]));
        }
        children.push_back(pid);
    }
    ::close(start[0]);
    std::this_thread::sleep_for(100ms);  // both children connected and waiting
    ::close(start[1]);
    for (pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << "a writer failed; its error is on stderr";
    }

    auto db = connect();
    EXPECT_EQ(scalar(*db, "select count(*) from t"), Value(2 * kRowsPerWriter));
    for (int writer = 0; writer < 2; ++writer)
        EXPECT_EQ(scalar(*db, "select count(distinct n) from t where writer = ?", {writer}),
                  Value(kRowsPerWriter));
    // The writers really overlapped: their rows interleave in commit order.
    const Value switches = scalar(
        *db, "select count(*) from t a join t b on b.id = a.id + 1 where a.writer <> b.writer");
    EXPECT_GT(switches.asInt(), 10)
        << "the writers barely overlapped: " << switches.asInt() << " switches between them";
}

}  // namespace
