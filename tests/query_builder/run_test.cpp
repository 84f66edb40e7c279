// Every kind of statement the builder writes, and Database::insertReturning,
// run on SQLite (a temporary file), PostgreSQL and MariaDB (the test servers,
// fixture db_servers); one fresh database per test.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/query_builder.h"
#include "plugdb/sql.h"
#include "server_env.h"

namespace {

using namespace plugdb::sql;
using plugdb::Database;
using plugdb::ErrorCategory;
using plugdb::Value;

struct Engine {
    std::string name;
    std::string autoKey;  // the generated key column's definition
    // Makes a fresh database for the test and returns its URL; the second
    // function drops it again.
    std::function<std::string(const std::string& test)> create;
    std::function<void(const std::string& url)> drop;
};

// Test names show the engine, not the struct's bytes.
void PrintTo(const Engine& engine, std::ostream* out) {
    *out << engine.name;
}

Database openUrl(const std::string& url) {
    plugdb::Config config = plugdb::Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, plugdb::Layer::CommandLine, "test");
    config.set("db.url", url, plugdb::Layer::CommandLine, "test");
    return Database::open(config);
}

std::string databaseName(const std::string& test) {
    return "qb_" + plugdb::test::databaseNameFor(test).substr(std::string("conformance_").size());
}

Engine serverEngine(const std::string& name, const std::string& envFile,
                    const std::string& variable, const std::string& autoKey,
                    const std::string& dropSuffix) {
    Engine e{name, autoKey, {}, {}};
    e.create = [=](const std::string& test) {
        const std::string server = plugdb::test::requireServerVariable(envFile, variable);
        const std::string db = databaseName(test);
        Database admin = openUrl(server);
        admin.exec("DROP DATABASE IF EXISTS " + db + dropSuffix);
        admin.exec("CREATE DATABASE " + db);
        return plugdb::test::withDatabase(server, db);
    };
    e.drop = [=](const std::string& url) {
        const std::string server = plugdb::test::requireServerVariable(envFile, variable);
        openUrl(server).exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) +
                             dropSuffix);
    };
    return e;
}

std::vector<Engine> engines() {
    Engine sqlite{"sqlite", "INTEGER PRIMARY KEY AUTOINCREMENT", {}, {}};
    sqlite.create = [](const std::string& test) {
        std::random_device random;
        const auto file =
            std::filesystem::temp_directory_path() /
            ("plugdb-qb-" + databaseName(test) + "-" + std::to_string(random()) + ".db");
        return "sqlite:" + file.string();
    };
    sqlite.drop = [](const std::string& url) {
        std::filesystem::remove(url.substr(std::string("sqlite:").size()));
    };
    return {sqlite,
            serverEngine("postgres", "postgres.env", "PLUGDB_PG_URL", "BIGSERIAL PRIMARY KEY",
                         " WITH (FORCE)"),
            serverEngine("mysql", "mariadb.env", "PLUGDB_MY_URL",
                         "BIGINT AUTO_INCREMENT PRIMARY KEY", "")};
}

class QueryBuilderRun : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        url_ = GetParam().create(std::string(info->test_suite_name()) + "_" + info->name());
        db_.emplace(openUrl(url_));
        db().exec("CREATE TABLE users (id " + GetParam().autoKey +
                  ", name VARCHAR(64) NOT NULL UNIQUE, age INTEGER, active BOOLEAN)");
        db().exec("CREATE TABLE orders (id " + GetParam().autoKey +
                  ", user_id BIGINT NOT NULL, amount INTEGER NOT NULL)");
    }
    void TearDown() override {
        db_.reset();
        if (!url_.empty()) GetParam().drop(url_);
    }
    Database& db() { return *db_; }

    // The users and orders most tests read.
    void seed() {
        insertInto("users")
            .columns({"name", "age", "active"})
            .values({"ann", 31, true})
            .values({"bob", 17, false})
            .values({"cid", nullptr, true})
            .values({"dan", 45, true})
            .exec(db());
        const auto id = [&](const char* name) {
            auto rows = select({"id"}).from("users").where(col("name") == name).query(db());
            EXPECT_TRUE(rows.next());
            return rows.getInt(0);
        };
        insertInto("orders")
            .columns({"user_id", "amount"})
            .values({id("ann"), 10})
            .values({id("ann"), 20})
            .values({id("dan"), 5})
            .values({id("bob"), 7})
            .exec(db());
    }

    std::int64_t countUsers(const Expr& where = {}) {
        auto rows = select({count()}).from("users").where(where).query(db());
        EXPECT_TRUE(rows.next());
        return rows.getInt(0);
    }

    std::string url_;
    std::optional<Database> db_;
};

TEST_P(QueryBuilderRun, SelectWithJoinWhereGroupHavingOrderLimit) {
    seed();
    auto rows = select({"u.name", count().as("n"), sum(col("o.amount")).as("total")})
                    .from("users", "u")
                    .join("orders", "o", col("o.user_id") == col("u.id"))
                    .where(col("u.active") == true && (col("u.age").between(18, 65)))
                    .where(col("u.name").in({"ann", "bob", "dan"}))
                    .groupBy({"u.name"})
                    .having(count() >= 1)
                    .orderBy("total", Order::Desc)
                    .limit(5)
                    .query(db());
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "ann");
    EXPECT_EQ(rows.getInt(1), 2);
    EXPECT_EQ(rows.getInt(2), 30);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "dan");
    EXPECT_EQ(rows.getInt(2), 5);
    EXPECT_FALSE(rows.next());
}

TEST_P(QueryBuilderRun, LeftJoinIsNullLikeLimitOffset) {
    seed();
    auto lonely = select({"u.name"})
                      .from("users", "u")
                      .leftJoin("orders", "o", col("o.user_id") == col("u.id"))
                      .where(col("o.id").isNull())
                      .query(db());
    ASSERT_TRUE(lonely.next());
    EXPECT_EQ(lonely.getText(0), "cid");
    EXPECT_FALSE(lonely.next());

    EXPECT_EQ(countUsers(col("age").isNull()), 1);
    EXPECT_EQ(countUsers(col("age").isNotNull() && col("name").like("%n")), 2);  // ann, dan
    EXPECT_EQ(countUsers(col("name").notIn({"ann"}) && !(col("age") < 18)), 1);  // dan
    EXPECT_EQ(countUsers(col("name").in({})), 0);

    std::vector<std::string> page;
    for (auto rows = select({"name"}).from("users").orderBy("name").limit(2).offset(1).query(db());
         rows.next();)
        page.push_back(rows.getText(0));
    EXPECT_EQ(page, (std::vector<std::string>{"bob", "cid"}));
    page.clear();
    for (auto rows = select({"name"}).from("users").orderBy("name").offset(3).query(db());
         rows.next();)
        page.push_back(rows.getText(0));
    EXPECT_EQ(page, std::vector<std::string>{"dan"});
}

TEST_P(QueryBuilderRun, UpdateDeleteAndUpsert) {
    seed();
    EXPECT_EQ(
        update("users").set("age", col("age") + 1).where(col("age") > 40).exec(db()).rowsAffected,
        1);
    EXPECT_EQ(countUsers(col("age") == 46), 1);
    EXPECT_EQ(update("users").set("active", false).everyRow().exec(db()).rowsAffected, 4);

    insertInto("users")
        .columns({"name", "age"})
        .values({"ann", 99})
        .values({"eve", 20})
        .onConflict({"name"}, {"age"})
        .exec(db());
    EXPECT_EQ(countUsers(), 5);
    EXPECT_EQ(countUsers(col("name") == "ann" && col("age") == 99), 1);
    EXPECT_EQ(countUsers(col("name") == "eve" && col("age") == 20), 1);

    EXPECT_EQ(
        deleteFrom("users").where(col("age") < 18 || col("age").isNull()).exec(db()).rowsAffected,
        2);  // bob, cid
    EXPECT_EQ(deleteFrom("orders").everyRow().exec(db()).rowsAffected, 4);
    EXPECT_EQ(countUsers(), 3);
}

// The same generated keys, as integers, on every engine and by every path.
TEST_P(QueryBuilderRun, InsertReturningGivesTheGeneratedKey) {
    const Value first = db().insertReturning("users", {"name", "age"}, {"ann", 31}, "id");
    ASSERT_EQ(first.type(), plugdb::Type::Int);
    const Value second =
        insertInto("users").columns({"name"}).values({"bob"}).returning("id").execReturning(db());
    EXPECT_EQ(second.asInt(), first.asInt() + 1);

    const Target target = Target::of(db());
    {
        auto tx = db().begin();
        EXPECT_EQ(tx.insertReturning("users", {"name"}, {"cid"}, "id").asInt(), first.asInt() + 2);
        tx.commit();
    }
    {
        auto session = db().session();
        EXPECT_EQ(session.insertReturning("users", {"name"}, {"dan"}, "id").asInt(),
                  first.asInt() + 3);
    }
    // The other path where the engine has both: the last insert id instead of RETURNING.
    Target noReturning = target;
    noReturning.capabilities &= ~std::uint64_t{plugdb::kCapReturning};
    const Insert eve = insertInto("users").columns({"name"}).values({"eve"}).returning("id");
    if (noReturning.has(plugdb::kCapLastInsertId)) {
        EXPECT_EQ(eve.execReturning(db(), noReturning).asInt(), first.asInt() + 4);
    } else {
        try {
            eve.execReturning(db(), noReturning);
            ADD_FAILURE() << "no key without RETURNING nor a last insert id";
        } catch (const plugdb::Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Unsupported);
        }
    }
    auto rows = select({"name"}).from("users").where(col("id") == second).query(db());
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "bob");
}

// MariaDB 10.5+ reports RETURNING once connected; the driver alone does not.
TEST_P(QueryBuilderRun, ConnectedTargetKnowsReturning) {
    EXPECT_TRUE(Target::of(db()).has(plugdb::kCapReturning));
}

TEST_P(QueryBuilderRun, InjectionStaysDataAndQuotedNames) {
    const std::string evil = "x'); DROP TABLE users; --";
    db().insertReturning("users", {"name"}, {evil}, "id");
    EXPECT_EQ(countUsers(col("name") == evil), 1);
    EXPECT_EQ(countUsers(col("name").like(evil)), 1);

    // A column whose name holds every quote character and SQL.
    const std::string weird = "w\"e`i'r;d -- col";
    db().exec("CREATE TABLE odd (" + quoteIdentifier(weird, db().dialect()) + " INTEGER)");
    insertInto("odd").columns({Name::unqualified(weird)}).values({7}).exec(db());
    auto rows = select({Name::unqualified(weird)})
                    .from("odd")
                    .where(col(Name::unqualified(weird)) == 7)
                    .query(db());
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 7);

    // A table name made of SQL is one (unknown) name, not a statement.
    try {
        select().from(Name::unqualified("users; DROP TABLE users")).query(db());
        ADD_FAILURE() << "selected from a table that does not exist";
    } catch (const plugdb::Error&) {
    }
    EXPECT_EQ(countUsers(), 1);
}

TEST_P(QueryBuilderRun, BuiltStatementsRunInATransaction) {
    const Target target = Target::of(db());
    auto tx = db().begin();
    const Rendered insert = insertInto("users").columns({"name"}).values({"ann"}).build(target);
    tx.exec(insert.sql, insert.params);
    const Rendered read = select({count()}).from("users").build(target);
    auto rows = tx.query(read.sql, read.params);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 1);
    tx.rollback();
    EXPECT_EQ(countUsers(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, QueryBuilderRun, ::testing::ValuesIn(engines()),
                         [](const auto& test) { return test.param.name; });

}  // namespace
