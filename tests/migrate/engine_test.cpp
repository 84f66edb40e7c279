// The migration engine on SQLite and on the real PostgreSQL and MariaDB
// servers (tests/servers), through plugdb::Database and as plugdb processes.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "migration_fixture.h"
#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/uuid.h"
#include "process.h"
#include "schema.h"

namespace fs = std::filesystem;
using namespace plugdb;
using plugdb::test::Child;
using plugdb::test::configFor;
using plugdb::test::contains;
using plugdb::test::Engine;
using plugdb::test::ProcessOptions;

namespace {

class Migrations : public test::MigrationFixture {
public:
    Migrations() : MigrationFixture("plugdb-migrate-", "migrate_") {}

    void copyExampleSchema() {
        fs::copy(PLUGDB_SOURCE_DIR "/migrations", dir_ / "migrations",
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    }

    migrate::Options options() const {
        migrate::Options options;
        options.path = migrationsPath();
        return options;
    }

    bool isMysql() const { return std::string(GetParam().driver) == "mysql"; }

    ProcessOptions processOptions() const {
        ProcessOptions options;
        options.env["DATABASE_URL"] = url_;
        options.env["DB_MIGRATE_PATH"] = migrationsPath();
        options.env["PLUGDB_PLUGIN_PATH"] = PLUGDB_TEST_PLUGIN_DIR;
        options.workDir = dir_.string();
        return options;
    }
};

std::string describe(Database& db) {
    return test::describeSchema(db, "plugdb_migrations");
}

}  // namespace

TEST_P(Migrations, UpDownAndGotoRoundTripsLeaveIdenticalSchemas) {
    copyExampleSchema();
    auto db = open();
    migrate::Migrator migrator(db, options());
    const std::size_t count = migrator.migrations().size();
    ASSERT_EQ(count, 4u);
    std::vector<std::string> schemaAt{describe(db)};
    for (std::size_t i = 0; i < count; ++i) {
        ASSERT_EQ(migrator.up(1), 1);
        schemaAt.push_back(describe(db));
        EXPECT_NE(schemaAt[i], schemaAt[i + 1]) << "migration " << i + 1 << " changed nothing";
    }
    EXPECT_EQ(migrator.up(), 0);
    for (std::size_t i = count; i > 0; --i) {
        ASSERT_EQ(migrator.down(1), 1);
        EXPECT_EQ(describe(db), schemaAt[i - 1]) << "after reverting " << i;
    }
    EXPECT_EQ(migrator.currentVersion(), 0);
    for (std::int64_t target : {4, 2, 3, 0, 1}) {
        migrator.gotoVersion(target);
        EXPECT_EQ(migrator.currentVersion(), target);
        EXPECT_EQ(describe(db), schemaAt[static_cast<std::size_t>(target)]) << "at " << target;
    }
}

TEST_P(Migrations, ExampleSchemaIsTheSameOnEveryEngine) {
    copyExampleSchema();
    auto db = open();
    migrate::Migrator(db, options()).up();
    const std::string schema = describe(db);

    // The reference: the same files on a fresh SQLite database.
    auto reference = Database::open(configFor("sqlite:" + (dir_ / "reference.db").string()));
    migrate::Migrator(reference, options()).up();
    EXPECT_EQ(schema, describe(reference));
    EXPECT_TRUE(contains(schema, "index ix_users_tenant_deleted (tenant_id, deleted_at)"))
        << schema;
    EXPECT_TRUE(contains(schema, "(created_by) -> users (id) on delete set null")) << schema;

    // The schema works: UUIDv7 ids, defaults, soft deletes, cascades.
    const std::string tenant = newUuidV7(), user = newUuidV7(), rule = newUuidV7();
    db.exec("INSERT INTO tenants (id, name, slug) VALUES (?, ?, ?)", {tenant, "Acme", "acme"});
    db.exec("INSERT INTO users (id, tenant_id, email, display_name) VALUES (?, ?, ?, ?)",
            {user, tenant, "a@acme.test", "A"});
    db.exec(
        "INSERT INTO rules (id, tenant_id, created_by, name, expression) VALUES (?, ?, ?, ?, ?)",
        {rule, tenant, user, "r1", "x > 1"});
    db.exec("INSERT INTO rule_events (rule_id, event) VALUES (?, ?)", {rule, "created"});
    db.exec("INSERT INTO rule_events (rule_id, event) VALUES (?, ?)", {rule, "enabled"});
    auto events = db.query("SELECT id FROM rule_events ORDER BY id");
    ASSERT_TRUE(events.next());
    const auto first = events.getInt(0);
    ASSERT_TRUE(events.next());
    EXPECT_GT(events.getInt(0), first);
    EXPECT_THROW(db.exec("INSERT INTO users (id, tenant_id, email, display_name, role)"
                         " VALUES (?, ?, ?, ?, ?)",
                         {newUuidV7(), tenant, "b@acme.test", "B", "superuser"}),
                 Error);
    db.exec("UPDATE users SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", {user});
    auto live =
        db.query("SELECT COUNT(*) FROM users WHERE tenant_id = ? AND deleted_at IS NULL", {tenant});
    ASSERT_TRUE(live.next());
    EXPECT_EQ(live.getInt(0), 0);
    db.exec("DELETE FROM users WHERE id = ?", {user});
    auto rules = db.query("SELECT created_by FROM rules WHERE id = ?", {rule});
    ASSERT_TRUE(rules.next());
    EXPECT_TRUE(rules.isNull(0)) << "ON DELETE SET NULL";
    db.exec("DELETE FROM tenants WHERE id = ?", {tenant});
    auto left = db.query("SELECT COUNT(*) FROM rule_events");
    ASSERT_TRUE(left.next());
    EXPECT_EQ(left.getInt(0), 0) << "ON DELETE CASCADE through rules";
}

TEST_P(Migrations, AnEditedAppliedFileIsRefusedUntilRepaired) {
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);\n");
    write("0001_a/down.sql", "DROP TABLE a;\n");
    auto db = open();
    ASSERT_EQ(migrate::Migrator(db, options()).up(), 1);

    // Only line endings and a BOM: the same migration.
    write("0001_a/up.sql",
          "\xEF\xBB\xBF"
          "CREATE TABLE a (id INTEGER);\r\n");
    EXPECT_NO_THROW(migrate::Migrator(db, options()).validate());

    write("0001_a/up.sql", "CREATE TABLE a (id BIGINT);\n");
    write("0002_b/up.sql", "CREATE TABLE b (id INTEGER);\n");
    migrate::Migrator edited(db, options());
    try {
        edited.up();
        FAIL() << "an edited migration was accepted";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "0001_a was edited after it was applied")) << e.what();
        EXPECT_TRUE(contains(e.what(), "repair")) << e.what();
    }
    EXPECT_EQ(edited.status()[0].state, migrate::State::Changed);
    EXPECT_EQ(edited.status()[1].state, migrate::State::Pending);
    EXPECT_EQ(edited.repair(), 1);
    EXPECT_EQ(edited.up(), 1);
    EXPECT_EQ(edited.status()[0].state, migrate::State::Applied);
}

TEST_P(Migrations, ASyntaxErrorNamesTheFileTheStatementAndTheEnginesMessage) {
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);\n");
    write("0002_b/up.sql",
          "CREATE TABLE b1 (id INTEGER);\nCREATE TABLEX b2 (id INTEGER);\n"
          "CREATE TABLE b3 (id INTEGER);\n");
    auto db = open();
    migrate::Migrator migrator(db, options());
    try {
        migrator.up();
        FAIL() << "the broken migration was applied";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_EQ(e.category(), ErrorCategory::Syntax) << message;
        EXPECT_TRUE(contains(message, "0002_b/up.sql")) << message;
        EXPECT_TRUE(contains(message, "statement 2 of 3")) << message;
        EXPECT_TRUE(contains(message, "syntax")) << message;  // the engine's own words
        EXPECT_TRUE(contains(message, std::string(GetParam().driver) + " said")) << message;
    }
    EXPECT_EQ(migrator.currentVersion(), 1);
    auto status = migrator.status();
    if (!isMysql()) {
        // Transactional DDL: nothing of 0002 remains.
        EXPECT_EQ(status[1].state, migrate::State::Pending);
        EXPECT_THROW(db.query("SELECT * FROM b1").next(), Error);
        return;
    }
    // MySQL: statement 1 stays applied and recorded; up refuses until the file is fixed.
    EXPECT_EQ(status[1].state, migrate::State::Failed);
    EXPECT_EQ(status[1].statementsApplied, 1);
    db.query("SELECT * FROM b1").next();
    try {
        migrate::Migrator(db, options()).up();
        FAIL() << "an unfixed failed migration was retried";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "resumes at statement 2")) << e.what();
    }
    // Changing a statement that already ran is refused: resuming would skip it.
    write("0002_b/up.sql",
          "CREATE TABLE b1 (id BIGINT);\nCREATE TABLE b2 (id INTEGER);\n"
          "CREATE TABLE b3 (id INTEGER);\n");
    try {
        migrate::Migrator(db, options()).up();
        FAIL() << "resumed after an applied statement changed";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "statements 1 to 1 of")) << e.what();
    }
    write("0002_b/up.sql",
          "CREATE TABLE b1 (id INTEGER);\nCREATE TABLE b2 (id INTEGER);\n"
          "CREATE TABLE b3 (id INTEGER);\n");
    migrate::Migrator fixed(db, options());
    EXPECT_EQ(fixed.up(), 1);
    EXPECT_EQ(fixed.currentVersion(), 2);
    db.query("SELECT * FROM b3").next();
}

TEST_P(Migrations, OutOfOrderVersionsAreRefusedUnlessAllowed) {
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    write("0003_c/up.sql", "CREATE TABLE c (id INTEGER);");
    auto db = open();
    auto opts = options();
    opts.allowGaps = true;
    ASSERT_EQ(migrate::Migrator(db, opts).up(), 2);
    write("0002_b/up.sql", "CREATE TABLE b (id INTEGER);");
    try {
        migrate::Migrator(db, opts).up();
        FAIL() << "out-of-order migration applied";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "0002_b is pending but version 3 is already applied"))
            << e.what();
    }
    opts.allowOutOfOrder = true;
    EXPECT_EQ(migrate::Migrator(db, opts).up(), 1);
}

TEST_P(Migrations, BaselineAndForceRecordVersionsWithoutRunningThem) {
    copyExampleSchema();
    auto db = open();
    migrate::Migrator(db, options()).up(2);   // an "existing" database at version 2...
    db.exec("DROP TABLE plugdb_migrations");  // ...without history
    migrate::Migrator migrator(db, options());
    migrator.baseline(2);
    EXPECT_EQ(migrator.currentVersion(), 2);
    EXPECT_EQ(migrator.status()[0].state, migrate::State::Baseline);
    EXPECT_THROW(migrator.baseline(1), Error);
    EXPECT_EQ(migrator.up(), 2);
    migrator.force(1);
    EXPECT_EQ(migrator.currentVersion(), 1);
    EXPECT_EQ(migrator.status()[3].state, migrate::State::Pending);
    migrator.force(4);
    EXPECT_EQ(migrator.currentVersion(), 4);
}

TEST_P(Migrations, PlanShowsTheTranslatedSqlAndRunsNothing) {
    copyExampleSchema();
    auto db = open();
    migrate::Migrator migrator(db, options());
    const auto plan = migrator.plan();
    ASSERT_EQ(plan.size(), 4u);
    const std::string& create = plan[3].second[0];
    const std::string driver = GetParam().driver;
    if (driver == "postgres") {
        EXPECT_TRUE(contains(create, "GENERATED BY DEFAULT AS IDENTITY"));
    }
    if (driver == "mysql") {
        EXPECT_TRUE(contains(create, "AUTO_INCREMENT"));
    }
    if (driver == "sqlite") {
        EXPECT_TRUE(contains(create, "AUTOINCREMENT"));
    }
    EXPECT_EQ(describe(db), "");
}

// ALTER TABLE and DROP INDEX ... ON from the portable subset, there and back.
TEST_P(Migrations, PortableAlterAndDropIndexRoundTrip) {
    write("0001_items/up.sql",
          "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(40) NOT NULL);\n"
          "CREATE INDEX ix_items_name ON items (name);\n");
    write("0001_items/down.sql", "DROP TABLE items;\n");
    write("0002_archive/up.sql",
          "ALTER TABLE items ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;\n"
          "DROP INDEX ix_items_name ON items;\n"
          "CREATE UNIQUE INDEX ux_items_name ON items (name);\n");
    write("0002_archive/down.sql",
          "DROP INDEX ux_items_name ON items;\n"
          "CREATE INDEX ix_items_name ON items (name);\n"
          "ALTER TABLE items DROP COLUMN archived;\n");
    auto db = open();
    migrate::Migrator migrator(db, options());
    ASSERT_EQ(migrator.up(1), 1);
    const std::string before = describe(db);
    ASSERT_EQ(migrator.up(), 1);
    const std::string after = describe(db);
    EXPECT_TRUE(contains(after, "column archived boolean not null")) << after;
    EXPECT_TRUE(contains(after, "unique index ux_items_name (name)")) << after;
    db.exec("INSERT INTO items (name) VALUES (?)", {"a"});
    EXPECT_THROW(db.exec("INSERT INTO items (name) VALUES (?)", {"a"}), Error);
    ASSERT_EQ(migrator.down(1), 1);
    EXPECT_EQ(describe(db), before);
}

// Bodies full of semicolons: dollar quotes need nothing, trigger bodies on
// SQLite and MySQL are enclosed in begin/end markers.
TEST_P(Migrations, TriggerAndFunctionBodiesSurviveStatementSplitting) {
    const std::string table =
        "CREATE TABLE t (id INTEGER PRIMARY KEY, note VARCHAR(20), modified INTEGER NOT NULL "
        "DEFAULT 0);\n";
    write("0001_touch/up.sqlite.sql",
          table +
              "-- plugdb:begin\n"
              "CREATE TRIGGER t_touch AFTER UPDATE OF note ON t BEGIN\n"
              "    UPDATE t SET modified = modified + 1 WHERE id = NEW.id;\n"
              "END;\n"
              "-- plugdb:end\n");
    write("0001_touch/up.postgres.sql",
          table +
              "CREATE FUNCTION t_touch() RETURNS trigger AS $$\n"
              "BEGIN\n"
              "    NEW.modified := OLD.modified + 1; -- a semicolon inside\n"
              "    RETURN NEW;\n"
              "END;\n"
              "$$ LANGUAGE plpgsql;\n"
              "CREATE TRIGGER t_touch BEFORE UPDATE OF note ON t FOR EACH ROW EXECUTE FUNCTION "
              "t_touch();\n");
    write("0001_touch/up.mysql.sql", table +
                                         "-- plugdb:begin\n"
                                         "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW\n"
                                         "BEGIN\n"
                                         "    IF NOT (NEW.note <=> OLD.note) THEN\n"
                                         "        SET NEW.modified = OLD.modified + 1;\n"
                                         "    END IF;\n"
                                         "END;\n"
                                         "-- plugdb:end\n");
    auto db = open();
    migrate::Migrator migrator(db, options());
    ASSERT_EQ(migrator.up(), 1);
    EXPECT_EQ(migrator.status()[0].statementsTotal, isPostgres() ? 3 : 2);
    db.exec("INSERT INTO t (id, note) VALUES (1, 'a')");
    db.exec("UPDATE t SET note = 'b' WHERE id = 1");
    auto rows = db.query("SELECT modified FROM t WHERE id = 1");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 1);
}

// CREATE INDEX CONCURRENTLY cannot run in a transaction; the marker runs the
// migration statement by statement, and the polled lock does not block it.
TEST_P(Migrations, NoTransactionMigrationsRunStatementByStatement) {
    write("0001_t/up.sql", "CREATE TABLE t (a INTEGER);");
    write("0002_ix/up.sql", "-- plugdb:no-transaction\nCREATE INDEX ix_t_a ON t (a);");
    write("0002_ix/up.postgres.sql",
          "-- plugdb:no-transaction\nCREATE INDEX CONCURRENTLY ix_t_a ON t (a);");
    auto db = open();
    migrate::Migrator migrator(db, options());
    EXPECT_EQ(migrator.up(), 2);
    EXPECT_TRUE(contains(describe(db), "index ix_t_a (a)")) << describe(db);
    EXPECT_EQ(migrator.status()[1].state, migrate::State::Applied);
}

// Four processes start `plugdb migrate up` together: each migration runs once.
void runConcurrentMigrators(Migrations& test, const std::vector<std::string>& extraArgs) {
    test.write("0001_hits/up.sql", "CREATE TABLE hits (v INTEGER NOT NULL);");
    for (int v = 2; v <= 6; ++v)
        test.write("000" + std::to_string(v) + "_hit/up.sql",
                   "INSERT INTO hits (v) VALUES (" + std::to_string(v) + ");");
    std::vector<std::string> argv{PLUGDB_TEST_BINARY, "migrate", "up"};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    std::vector<std::unique_ptr<Child>> children;
    for (int i = 0; i < 4; ++i)
        children.push_back(std::make_unique<Child>(argv, test.processOptions()));
    for (auto& child : children) {
        while (child->readLine(60000)) {
        }
        EXPECT_EQ(child->wait(), 0) << child->stderrText();
    }
    auto db = test.open();
    auto hits = db.query("SELECT COUNT(*), COUNT(DISTINCT v) FROM hits");
    ASSERT_TRUE(hits.next());
    EXPECT_EQ(hits.getInt(0), 5);
    EXPECT_EQ(hits.getInt(1), 5);
    EXPECT_EQ(migrate::Migrator(db, test.options()).currentVersion(), 6);
}

TEST_P(Migrations, ConcurrentMigratorsApplyEachMigrationOnce) {
    runConcurrentMigrators(*this, {});
}

TEST_P(Migrations, ConcurrentMigratorsApplyEachMigrationOnceWithTheLeaseTable) {
    runConcurrentMigrators(*this, {"--set", "migrations.lock=table"});
}

TEST_P(Migrations, TheLeaseTableWaitsForALiveHolderAndTakesOverAnExpiredOne) {
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    auto opts = options();
    opts.lock = "table";
    opts.lockTimeout = std::chrono::milliseconds(300);
    auto db = open();
    ASSERT_EQ(migrate::Migrator(db, opts).up(), 1);
    auto count = [&] {
        auto rows = db.query("SELECT COUNT(*) FROM plugdb_migrations_lock");
        rows.next();
        return rows.getInt(0);
    };
    EXPECT_EQ(count(), 0) << "released after up";

    const std::int64_t inAnHour =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(1))
            .count();
    db.exec("INSERT INTO plugdb_migrations_lock (id, owner, expires_at) VALUES (1, ?, ?)",
            {"build-42 pid 7", inAnHour});
    write("0002_b/up.sql", "CREATE TABLE b (id INTEGER);");
    try {
        migrate::Migrator(db, opts).up();
        FAIL() << "ran while another migrator held the lease";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Timeout) << e.what();
        EXPECT_TRUE(contains(e.what(), "build-42 pid 7")) << e.what();
    }
    db.exec("UPDATE plugdb_migrations_lock SET expires_at = 1");  // its holder died long ago
    EXPECT_EQ(migrate::Migrator(db, opts).up(), 1);
    EXPECT_EQ(count(), 0);
}

// SIGKILL while a migration sleeps between two statements.
TEST_P(Migrations, AMigratorKilledMidMigrationLeavesARecoverableState) {
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    write("0002_slow/up.sql",
          "CREATE TABLE slow_a (id INTEGER);\nSELECT 1;\n"
          "CREATE TABLE slow_b (id INTEGER);");
    write("0002_slow/up.postgres.sql",
          "CREATE TABLE slow_a (id INTEGER);\nSELECT pg_sleep(3);\n"
          "CREATE TABLE slow_b (id INTEGER);");
    write("0002_slow/up.mysql.sql",
          "CREATE TABLE slow_a (id INTEGER);\nSELECT SLEEP(3);\n"
          "CREATE TABLE slow_b (id INTEGER);");
    // SQLite has no sleep: count far enough that the kill always comes first.
    write("0002_slow/up.sqlite.sql",
          "CREATE TABLE slow_a (id INTEGER);\n"
          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000000)"
          " SELECT COUNT(*) FROM c;\nCREATE TABLE slow_b (id INTEGER);");
    {
        Child child({PLUGDB_TEST_BINARY, "migrate", "up"}, processOptions());
        bool started = false;
        while (auto line = child.readLine(60000)) {
            if (contains(*line, "0002_slow: statement 1 of 3 done")) {
                started = true;
                break;
            }
        }
        ASSERT_TRUE(started) << child.stderrText();
        child.signal(SIGKILL);
        child.wait();
    }
    auto db = open();
    migrate::Migrator migrator(db, options());
    EXPECT_EQ(migrator.currentVersion(), 1);
    const auto status = migrator.status();
    if (isMysql()) {
        EXPECT_EQ(status[1].state, migrate::State::Failed);
        EXPECT_EQ(status[1].statementsApplied, 1);
        db.query("SELECT * FROM slow_a").next();  // statement 1 committed itself
    } else {
        EXPECT_EQ(status[1].state, migrate::State::Pending);
    }
    // The endless SQLite statement is swapped for a quick one; the sleeps stay.
    if (std::string(GetParam().driver) == "sqlite")
        write("0002_slow/up.sqlite.sql",
              "CREATE TABLE slow_a (id INTEGER);\nSELECT 1;\nCREATE TABLE slow_b (id INTEGER);");
    // The next run waits for the dead session's lock where there is one, then
    // applies 0002 (on MySQL: resumes at statement 2).
    auto r = test::runProcess({PLUGDB_TEST_BINARY, "migrate", "up"}, processOptions());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    if (isMysql()) {
        EXPECT_TRUE(contains(r.out, "resuming 0002_slow at statement 2 of 3")) << r.out;
    }
    EXPECT_EQ(migrate::Migrator(db, options()).currentVersion(), 2);
    db.query("SELECT * FROM slow_b").next();
}

// SIGKILL while a data statement runs: on MySQL it commits with its progress
// record or not at all, so the next run neither skips nor repeats it.
TEST_P(Migrations, AMigratorKilledDuringADataStatementRunsItExactlyOnce) {
    if (std::string(GetParam().driver) == "sqlite")
        GTEST_SKIP() << "SQLite has no sleep; its migrations are one transaction anyway";
    write("0001_kb/up.sql", "CREATE TABLE kb (v INTEGER);");
    write("0002_fill/up.mysql.sql",
          "CREATE TABLE kb_log (v INTEGER);\nINSERT INTO kb (v) SELECT SLEEP(3);\n"
          "CREATE TABLE kb_done (v INTEGER);");
    write("0002_fill/up.postgres.sql",
          "CREATE TABLE kb_log (v INTEGER);\nINSERT INTO kb (v) SELECT 0 FROM pg_sleep(3);\n"
          "CREATE TABLE kb_done (v INTEGER);");
    {
        Child child({PLUGDB_TEST_BINARY, "migrate", "up"}, processOptions());
        bool started = false;
        while (auto line = child.readLine(60000)) {
            if (contains(*line, "0002_fill: statement 1 of 3 done")) {
                started = true;
                break;
            }
        }
        ASSERT_TRUE(started) << child.stderrText();
        child.signal(SIGKILL);
        child.wait();
    }
    auto r = test::runProcess({PLUGDB_TEST_BINARY, "migrate", "up"}, processOptions());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    if (isMysql()) {
        EXPECT_TRUE(contains(r.out, "resuming 0002_fill at statement 2 of 3")) << r.out;
    }
    auto db = open();
    EXPECT_EQ(migrate::Migrator(db, options()).currentVersion(), 2);
    auto rows = db.query("SELECT COUNT(*) FROM kb");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 1) << "the INSERT ran " << rows.getInt(0) << " times";
}

// Defect 10: after a revert that stopped half way, 'up' advised fixing up.sql
// and resuming at a statement past its end.
TEST_P(Migrations, AFailedRevertIsReportedAsARevertByUpAndDown) {
    write("0001_a/up.sql", "CREATE TABLE ra (id INTEGER);\n");
    write("0002_b/up.sql", "CREATE TABLE rb1 (id INTEGER);\nCREATE TABLE rb2 (id INTEGER);\n");
    write(
        "0002_b/down.sql",
        "-- plugdb:no-transaction\nDROP TABLE rb2;\nDROP TABLE no_such_table;\nDROP TABLE rb1;\n");
    auto db = open();
    EXPECT_EQ(migrate::Migrator(db, options()).up(), 2);
    try {
        migrate::Migrator(db, options()).down(1);
        FAIL() << "the broken down script succeeded";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "statement 2 of 3")) << e.what();
        EXPECT_TRUE(contains(e.what(), "the revert stopped half way")) << e.what();
    }
    for (const auto& command : {std::string("up"), std::string("down")}) {
        migrate::Migrator migrator(db, options());
        try {
            command == "up" ? migrator.up() : migrator.down(1);
            FAIL() << command << " went on from a half-reverted migration";
        } catch (const Error& e) {
            const std::string message = e.what();
            EXPECT_EQ(e.category(), ErrorCategory::Config) << message;
            EXPECT_TRUE(contains(message, "0002_b failed while being reverted")) << message;
            EXPECT_TRUE(contains(message, "down.sql, statement 2 of 3")) << message;
            EXPECT_TRUE(contains(message, "'migrate force 1' (reverted)")) << message;
            EXPECT_TRUE(contains(message, "'migrate force 2' (still applied)")) << message;
            EXPECT_FALSE(contains(message, "resumes at statement")) << message;
            EXPECT_FALSE(contains(message, "up.sql")) << message;
        }
    }
    db.exec("DROP TABLE rb1");  // finish the revert by hand, then record it
    migrate::Migrator fixed(db, options());
    fixed.force(1);
    EXPECT_EQ(fixed.currentVersion(), 1);
    EXPECT_EQ(fixed.up(), 1);
}

// Defect 7: an error the migrator rebuilt lost the driver's retryable flag.
// PostgreSQL marks lock_not_available (55P03) retryable.
TEST_P(Migrations, ErrorsKeepEveryDetailOfTheEnginesError) {
    if (!isPostgres()) GTEST_SKIP() << "only the PostgreSQL driver marks such errors retryable";
    const std::string busy =
        "DO $$ BEGIN RAISE EXCEPTION 'busy' USING ERRCODE = 'lock_not_available'; END $$;\n";
    write("0001_a/up.sql", "CREATE TABLE ka (id INTEGER);\n");
    write("0001_a/down.sql", "-- plugdb:no-transaction\n" + busy);
    write("0002_b/up.sql", "CREATE TABLE kb (id INTEGER);\n" + busy);
    auto db = open();
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            migrate::Migrator migrator(db, options());
            attempt == 0 ? migrator.up() : migrator.down(1);
            FAIL() << "the failing script succeeded";
        } catch (const Error& e) {
            EXPECT_TRUE(contains(e.what(), "said: postgres: busy")) << e.what();
            EXPECT_EQ(e.sqlState(), "55P03") << e.what();
            EXPECT_EQ(e.engine(), "postgres") << e.what();
            EXPECT_TRUE(e.retryable()) << (attempt == 0 ? "up: " : "down: ") << e.what();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, Migrations,
                         ::testing::Values(Engine{"sqlite", "", ""},
                                           Engine{"postgres", "postgres.env", "PLUGDB_PG_URL"},
                                           Engine{"mysql", "mariadb.env", "PLUGDB_MY_URL"}),
                         [](const auto& test) { return std::string(test.param.driver); });
