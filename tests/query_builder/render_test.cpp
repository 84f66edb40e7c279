// The SQL the builder renders for each engine, from the drivers' own data:
// each plugin is loaded through the registry without connecting.
#include <gtest/gtest.h>

#include "plugdb/error.h"
#include "plugdb/query_builder.h"

namespace {

using namespace plugdb::sql;
using plugdb::ErrorCategory;
using plugdb::Value;

Target target(const std::string& driver) {
    return Target::forDriver(driver, {PLUGDB_TEST_PLUGIN_DIR});
}

// The rendering for sqlite, postgres and mysql, in that order.
struct PerEngine {
    std::string sqlite, postgres, mysql;
};

template <class Statement>
void expectRendered(const Statement& statement, const PerEngine& expected) {
    EXPECT_EQ(statement.render(target("sqlite")).sql, expected.sqlite);
    EXPECT_EQ(statement.render(target("postgres")).sql, expected.postgres);
    EXPECT_EQ(statement.render(target("mysql")).sql, expected.mysql);
}

ErrorCategory categoryOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const plugdb::Error& e) {
        return e.category();
    }
    ADD_FAILURE() << "no plugdb::Error";
    return ErrorCategory::Other;
}

TEST(Render, SelectWithEveryClause) {
    const Select q = select({"u.id", "u.name", count().as("n")})
                         .from("users", "u")
                         .leftJoin("orders", "o", col("o.user_id") == col("u.id"))
                         .where(col("u.name").like("a%") &&
                                (col("u.age").between(18, 65) || col("u.age").isNull()))
                         .where(col("u.id").in({1, 2, 3}))
                         .groupBy({"u.id", "u.name"})
                         .having(count() > 1)
                         .orderBy("u.name")
                         .orderBy("n", Order::Desc)
                         .limit(10)
                         .offset(20);
    expectRendered(
        q, {"SELECT \"u\".\"id\", \"u\".\"name\", COUNT(*) AS \"n\" FROM \"users\" AS \"u\" "
            "LEFT JOIN \"orders\" AS \"o\" ON \"o\".\"user_id\" = \"u\".\"id\" "
            "WHERE \"u\".\"name\" LIKE ? AND (\"u\".\"age\" BETWEEN ? AND ? OR \"u\".\"age\" "
            "IS NULL) AND \"u\".\"id\" IN (?, ?, ?) GROUP BY \"u\".\"id\", \"u\".\"name\" "
            "HAVING COUNT(*) > ? ORDER BY \"u\".\"name\", \"n\" DESC LIMIT ? OFFSET ?",
            "SELECT \"u\".\"id\", \"u\".\"name\", COUNT(*) AS \"n\" FROM \"users\" AS \"u\" "
            "LEFT JOIN \"orders\" AS \"o\" ON \"o\".\"user_id\" = \"u\".\"id\" "
            "WHERE \"u\".\"name\" LIKE $1 AND (\"u\".\"age\" BETWEEN $2 AND $3 OR \"u\".\"age\" "
            "IS NULL) AND \"u\".\"id\" IN ($4, $5, $6) GROUP BY \"u\".\"id\", \"u\".\"name\" "
            "HAVING COUNT(*) > $7 ORDER BY \"u\".\"name\", \"n\" DESC LIMIT $8 OFFSET $9",
            "SELECT `u`.`id`, `u`.`name`, COUNT(*) AS `n` FROM `users` AS `u` "
            "LEFT JOIN `orders` AS `o` ON `o`.`user_id` = `u`.`id` "
            "WHERE `u`.`name` LIKE ? AND (`u`.`age` BETWEEN ? AND ? OR `u`.`age` IS NULL) "
            "AND `u`.`id` IN (?, ?, ?) GROUP BY `u`.`id`, `u`.`name` HAVING COUNT(*) > ? "
            "ORDER BY `u`.`name`, `n` DESC LIMIT ? OFFSET ?"});
    const Rendered r = q.build(target("postgres"));
    EXPECT_EQ(r.params, (std::vector<Value>{"a%", 18, 65, 1, 2, 3, 1, 10, 20}));
}

TEST(Render, SelectStarJoinNotAndEmptyIn) {
    const Select q = select()
                         .from("t")
                         .join("s", col("s.t_id") == col("t.id"))
                         .where(!(col("a") >= 1) || col("b").notIn({}) || col("c").notLike("x"))
                         .where(col("d").in({}) || col("e") != col("f") + 1);
    expectRendered(q,
                   {"SELECT * FROM \"t\" JOIN \"s\" ON \"s\".\"t_id\" = \"t\".\"id\" WHERE "
                    "(NOT (\"a\" >= ?) OR 1 = 1 OR \"c\" NOT LIKE ?) AND (1 = 0 OR \"e\" <> "
                    "\"f\" + ?)",
                    "SELECT * FROM \"t\" JOIN \"s\" ON \"s\".\"t_id\" = \"t\".\"id\" WHERE "
                    "(NOT (\"a\" >= $1) OR 1 = 1 OR \"c\" NOT LIKE $2) AND (1 = 0 OR \"e\" <> "
                    "\"f\" + $3)",
                    "SELECT * FROM `t` JOIN `s` ON `s`.`t_id` = `t`.`id` WHERE "
                    "(NOT (`a` >= ?) OR 1 = 1 OR `c` NOT LIKE ?) AND (1 = 0 OR `e` <> `f` + ?)"});
}

TEST(Render, OffsetWithoutLimitIsEachEnginesSpelling) {
    const Select q = select({"id"}).from("t").orderBy("id").offset(5);
    expectRendered(q, {"SELECT \"id\" FROM \"t\" ORDER BY \"id\" LIMIT -1 OFFSET ?",
                       "SELECT \"id\" FROM \"t\" ORDER BY \"id\" OFFSET $1",
                       "SELECT `id` FROM `t` ORDER BY `id` LIMIT 18446744073709551615 OFFSET ?"});
}

TEST(Render, InsertOfSeveralRows) {
    const Insert q = insertInto("app.users")
                         .columns({"name", "age"})
                         .values({"ann", 30})
                         .values({"bob", nullptr});
    expectRendered(q,
                   {"INSERT INTO \"app\".\"users\" (\"name\", \"age\") VALUES (?, ?), (?, ?)",
                    "INSERT INTO \"app\".\"users\" (\"name\", \"age\") VALUES ($1, $2), ($3, $4)",
                    "INSERT INTO `app`.`users` (`name`, `age`) VALUES (?, ?), (?, ?)"});
    EXPECT_EQ(q.build(target("mysql")).params, (std::vector<Value>{"ann", 30, "bob", nullptr}));
}

TEST(Render, UpsertIsOnConflictOrOnDuplicateKey) {
    const Insert q = insertInto("kv")
                         .columns({"k", "v", "n"})
                         .values({"a", "1", 1})
                         .onConflict({"k"}, {"v", "n"});
    expectRendered(q,
                   {"INSERT INTO \"kv\" (\"k\", \"v\", \"n\") VALUES (?, ?, ?) ON CONFLICT (\"k\") "
                    "DO UPDATE SET \"v\" = excluded.\"v\", \"n\" = excluded.\"n\"",
                    "INSERT INTO \"kv\" (\"k\", \"v\", \"n\") VALUES ($1, $2, $3) ON CONFLICT "
                    "(\"k\") DO UPDATE SET \"v\" = excluded.\"v\", \"n\" = excluded.\"n\"",
                    "INSERT INTO `kv` (`k`, `v`, `n`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
                    "`v` = VALUES(`v`), `n` = VALUES(`n`)"});
}

// Without connecting, the mysql driver declares no RETURNING (a MariaDB
// server adds it when connected): the key then comes from the last insert id.
TEST(Render, ReturningWhereTheEngineHasIt) {
    const Insert q = insertInto("users").columns({"name"}).values({"ann"}).returning("id");
    expectRendered(q, {"INSERT INTO \"users\" (\"name\") VALUES (?) RETURNING \"id\"",
                       "INSERT INTO \"users\" (\"name\") VALUES ($1) RETURNING \"id\"",
                       "INSERT INTO `users` (`name`) VALUES (?)"});
}

// The cockroach driver builds on the postgres code and answers the same.
TEST(Render, CockroachSpellsItAsPostgres) {
    const Insert upsert =
        insertInto("kv").columns({"k", "v"}).values({"a", "1"}).onConflict({"k"}, {"v"});
    const Select page = select({"k"}).from("kv").orderBy("k").offset(5);
    EXPECT_EQ(upsert.render(target("cockroach")).sql, upsert.render(target("postgres")).sql);
    EXPECT_EQ(page.render(target("cockroach")).sql, page.render(target("postgres")).sql);
}

TEST(Render, UpdateAndDelete) {
    expectRendered(
        update("users").set("age", col("age") + 1).set("name", "x").where(col("id") == 7),
        {"UPDATE \"users\" SET \"age\" = \"age\" + ?, \"name\" = ? WHERE \"id\" = ?",
         "UPDATE \"users\" SET \"age\" = \"age\" + $1, \"name\" = $2 WHERE \"id\" = $3",
         "UPDATE `users` SET `age` = `age` + ?, `name` = ? WHERE `id` = ?"});
    expectRendered(deleteFrom("users").where(col("age") < 18 || col("age").isNull()),
                   {"DELETE FROM \"users\" WHERE \"age\" < ? OR \"age\" IS NULL",
                    "DELETE FROM \"users\" WHERE \"age\" < $1 OR \"age\" IS NULL",
                    "DELETE FROM `users` WHERE `age` < ? OR `age` IS NULL"});
    expectRendered(deleteFrom("users").everyRow(),
                   {"DELETE FROM \"users\"", "DELETE FROM \"users\"", "DELETE FROM `users`"});
}

TEST(Render, InjectionInNamesIsQuotedAndInValuesIsBound) {
    const std::string evil = "x\"; DROP TABLE users; --`'";
    const Select q =
        select({Name::unqualified(evil)}).from(Name::unqualified(evil)).where(col("name") == evil);
    expectRendered(
        q, {"SELECT \"x\"\"; DROP TABLE users; --`'\" FROM \"x\"\"; DROP TABLE users; --`'\" WHERE "
            "\"name\" = ?",
            "SELECT \"x\"\"; DROP TABLE users; --`'\" FROM \"x\"\"; DROP TABLE users; --`'\" WHERE "
            "\"name\" = $1",
            "SELECT `x\"; DROP TABLE users; --``'` FROM `x\"; DROP TABLE users; --``'` WHERE "
            "`name` = ?"});
    EXPECT_EQ(q.build(target("sqlite")).params, std::vector<Value>{evil});
}

TEST(Render, RawFragmentsOnlyThroughUnsafeRaw) {
    const Select q = select({unsafeRaw("lower(name)").as("l")})
                         .from("t")
                         .where(unsafeRaw("length(name) > 3") && col("id") > 0);
    expectRendered(
        q, {"SELECT lower(name) AS \"l\" FROM \"t\" WHERE (length(name) > 3) AND \"id\" > ?",
            "SELECT lower(name) AS \"l\" FROM \"t\" WHERE (length(name) > 3) AND \"id\" > $1",
            "SELECT lower(name) AS `l` FROM `t` WHERE (length(name) > 3) AND `id` > ?"});
}

TEST(Render, MisuseIsRefusedWithInvalidArgument) {
    const Target t = target("sqlite");
    EXPECT_EQ(categoryOf([&] { update("t").set("a", 1).build(t); }),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] { deleteFrom("t").build(t); }), ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] {
                  insertInto("t").columns({"a", "b"}).values({1}).build(t);
              }),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] { insertInto("t").columns({"a"}).build(t); }),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] {
                  insertInto("t").columns({"a"}).values({1}).values({2}).returning("id").build(t);
              }),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([&] {
                  insertInto("t").columns({"a"}).values({1}).onConflict({"a"}, {}).build(t);
              }),
              ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([] { Name("a..b"); }), ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([] { Name(""); }), ErrorCategory::InvalidArgument);
    EXPECT_EQ(categoryOf([] { select().limit(-1); }), ErrorCategory::InvalidArgument);
}

TEST(Render, ReturningNeedsRETURNINGOrALastInsertId) {
    Target t = target("postgres");
    t.capabilities &= ~std::uint64_t{plugdb::kCapReturning};
    EXPECT_EQ(
        categoryOf([&] { insertInto("t").columns({"a"}).values({1}).returning("id").build(t); }),
        ErrorCategory::Unsupported);
}

}  // namespace
