// Code migrations (migrate.h, CodeMigration) on SQLite files, the real
// PostgreSQL and MariaDB servers (tests/servers) and RocksDB directories:
// next to SQL folders, with the same history, checksums, lock and status;
// and the example program that registers two of them (examples/kv_migrations).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <stdexcept>
#include <thread>

#include "migration_fixture.h"
#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "process.h"

namespace fs = std::filesystem;
using namespace plugdb;
using plugdb::test::contains;
using plugdb::test::Engine;

namespace {

// 1: the key-value layout version; 2: "user:" values from a plain name to
// {"name":...}. Key-value steps, so they run on every engine.
migrate::CodeMigration schemaVersion() {
    migrate::CodeMigration m;
    m.version = 1;
    m.name = "kv_schema_version";
    m.declaredVersion = "schema 1";
    m.ns = "app";
    m.kvUp = [](KeyValue&, KvBatch& batch) { batch.put("schema_version", "1"); };
    m.kvDown = [](KeyValue&, KvBatch& batch) { batch.erase("schema_version"); };
    return m;
}

migrate::CodeMigration usersToJson() {
    migrate::CodeMigration m;
    m.version = 2;
    m.name = "users_to_json";
    m.declaredVersion = "users as json 1";
    m.ns = "app";
    m.kvUp = [](KeyValue& kv, KvBatch& batch) {
        auto users = kv.scanPrefix("user:");
        while (users.next()) batch.put(users.key(), "{\"name\":\"" + users.value() + "\"}");
        batch.put("schema_version", "2");
    };
    m.kvDown = [](KeyValue& kv, KvBatch& batch) {
        auto users = kv.scanPrefix("user:");
        while (users.next()) {
            const std::string& v = users.value();
            batch.put(users.key(), v.substr(9, v.size() - 11));  // {"name":" ... "}
        }
        batch.put("schema_version", "1");
    };
    return m;
}

class CodeMigrations : public test::MigrationFixture {
public:
    CodeMigrations() : MigrationFixture("plugdb-code-migrate-", "code_") {}

    bool keyValueEngine() const { return std::string(GetParam().driver) == "rocksdb"; }

    migrate::Options options(std::vector<migrate::CodeMigration> code) const {
        migrate::Options options;
        options.path = migrationsPath();
        options.code = std::move(code);
        return options;
    }
};

std::vector<migrate::State> states(migrate::Migrator& migrator) {
    std::vector<migrate::State> out;
    for (const auto& entry : migrator.status()) out.push_back(entry.state);
    return out;
}

bool hasTable(Database& db, const std::string& table) {
    try {
        db.query("SELECT COUNT(*) FROM " + table).next();
        return true;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace

// On SQL engines: a folder (3) and a code migration with up(Transaction&) (4)
// after the two key-value ones; on RocksDB the key-value ones alone.
TEST_P(CodeMigrations, UpDownAndStatusNextToFolders) {
    std::vector<migrate::CodeMigration> code{schemaVersion(), usersToJson()};
    if (!keyValueEngine()) {
        write("0003_notes/up.sql",
              "CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY, body VARCHAR(64) NOT NULL);\n");
        write("0003_notes/down.sql", "DROP TABLE notes;\n");
        migrate::CodeMigration note;
        note.version = 4;
        note.name = "first_note";
        note.declaredVersion = "note 1";
        note.up = [](Transaction& tx) {
            tx.exec("INSERT INTO notes (id, body) VALUES (?, ?)", {1, "hello"});
        };
        note.down = [](Transaction& tx) { tx.exec("DELETE FROM notes WHERE id = ?", {1}); };
        code.push_back(note);
    }
    const int total = static_cast<int>(code.size()) + (keyValueEngine() ? 0 : 1);
    auto db = open();
    KeyValue app = db.kv("app");
    app.put("user:1", "Ada");
    app.put("user:2", "Grace");

    migrate::Migrator migrator(db, options(code));
    ASSERT_EQ(migrator.migrations().size(), static_cast<std::size_t>(total));
    EXPECT_EQ(states(migrator), std::vector<migrate::State>(total, migrate::State::Pending));
    EXPECT_EQ(migrator.up(), total);
    EXPECT_EQ(states(migrator), std::vector<migrate::State>(total, migrate::State::Applied));
    EXPECT_EQ(migrator.currentVersion(), total);
    EXPECT_EQ(app.get("user:1"), "{\"name\":\"Ada\"}");
    EXPECT_EQ(app.get("schema_version"), "2");
    if (!keyValueEngine()) {
        auto rows = db.query("SELECT body FROM notes WHERE id = ?", {1});
        ASSERT_TRUE(rows.next());
        EXPECT_EQ(rows.getText(0), "hello");
    }
    EXPECT_EQ(migrator.up(), 0);

    // Down one at a time to nothing, then up again: the same data.
    for (int v = total; v > 0; --v) {
        EXPECT_EQ(migrator.down(1), 1);
        EXPECT_EQ(migrator.currentVersion(), v - 1);
        const auto entries = migrator.status();
        EXPECT_EQ(entries[v - 1].state, migrate::State::Pending) << v;
        if (v == 2) {
            EXPECT_EQ(app.get("user:2"), "Grace");
        }
    }
    EXPECT_FALSE(app.contains("schema_version"));
    if (!keyValueEngine()) {
        EXPECT_FALSE(hasTable(db, "notes"));
    }
    EXPECT_EQ(migrator.up(), total);
    EXPECT_EQ(app.get("user:2"), "{\"name\":\"Grace\"}");

    // A new process sees the same history.
    migrate::Migrator again(db, options(code));
    EXPECT_EQ(states(again), std::vector<migrate::State>(total, migrate::State::Applied));
}

TEST_P(CodeMigrations, AChangedDeclaredVersionIsReportedLikeAnEditedFile) {
    auto db = open();
    migrate::Migrator(db, options({schemaVersion(), usersToJson()})).up();
    auto changed = usersToJson();
    changed.declaredVersion = "users as json 2";
    migrate::Migrator migrator(db, options({schemaVersion(), changed}));
    EXPECT_EQ(states(migrator),
              (std::vector<migrate::State>{migrate::State::Applied, migrate::State::Changed}));
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            attempt == 0 ? migrator.validate() : (void)migrator.up();
            FAIL() << "a changed declared version was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            EXPECT_TRUE(contains(e.what(),
                                 "code migration 0002_users_to_json was changed after "
                                 "it was applied"))
                << e.what();
            EXPECT_TRUE(contains(e.what(), "'users as json 2'")) << e.what();
            EXPECT_TRUE(contains(e.what(), "migrate repair")) << e.what();
        }
    }
    EXPECT_EQ(migrator.repair(), 1);
    EXPECT_EQ(states(migrator),
              (std::vector<migrate::State>{migrate::State::Applied, migrate::State::Applied}));
    EXPECT_EQ(migrator.up(), 0);
}

TEST_P(CodeMigrations, AFailingUpWritesNothingAndRecordsNothing) {
    auto db = open();
    auto broken = usersToJson();
    broken.kvUp = [](KeyValue&, KvBatch& batch) {
        batch.put("user:9", "half done");
        throw std::runtime_error("the rewrite found a bad value");
    };
    std::vector<migrate::CodeMigration> code{schemaVersion(), broken};
    if (!keyValueEngine()) {
        write("0003_t/up.sql", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);\n");
        migrate::CodeMigration sql;
        sql.version = 4;
        sql.name = "fill_t";
        sql.declaredVersion = "fill 1";
        sql.up = [](Transaction& tx) {
            tx.exec("INSERT INTO t (id) VALUES (?)", {1});
            tx.exec("INSERT INTO t (id) VALUES (?)", {1});  // a unique violation
        };
        code.push_back(sql);
    }
    migrate::Migrator migrator(db, options(code));
    try {
        migrator.up();
        FAIL() << "the failing kvUp succeeded";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(),
                             "code migration 0002_users_to_json failed: its kvUp() "
                             "threw: the rewrite found a bad value"))
            << e.what();
    }
    EXPECT_FALSE(db.kv("app").contains("user:9"));
    EXPECT_EQ(migrator.currentVersion(), 1);
    EXPECT_EQ(states(migrator).at(1), migrate::State::Pending);
    EXPECT_TRUE(migrator.status().at(1).appliedAt.empty());
    if (keyValueEngine()) return;

    // The SQL step: its transaction rolls back with the history record.
    migrate::Migrator sqlOnly(db, [&] {
        auto o = options(code);
        o.code.at(1) = usersToJson();
        return o;
    }());
    try {
        sqlOnly.up();
        FAIL() << "the failing up() succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::UniqueViolation) << e.what();
        EXPECT_TRUE(contains(e.what(), "code migration 0004_fill_t failed: its up() threw"))
            << e.what();
    }
    EXPECT_EQ(sqlOnly.currentVersion(), 3);
    auto rows = db.query("SELECT COUNT(*) FROM t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 0);
    EXPECT_EQ(states(sqlOnly).at(3), migrate::State::Pending);
    auto history = db.query("SELECT COUNT(*) FROM plugdb_migrations WHERE version = ?", {4});
    ASSERT_TRUE(history.next());
    EXPECT_EQ(history.getInt(0), 0);
}

TEST_P(CodeMigrations, AVersionTakenTwiceIsRefusedNamingBoth) {
    auto db = open();
    if (keyValueEngine()) {
        write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);\n");
        try {
            migrate::Migrator migrator(db, options({schemaVersion()}));
            FAIL() << "a SQL folder was accepted on a key-value engine";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            EXPECT_TRUE(contains(e.what(), "rocksdb is a key-value engine: the SQL migrations in"))
                << e.what();
            EXPECT_TRUE(contains(e.what(), "0001_a")) << e.what();
        }
        // Without the folder, the default path that does not exist is no folder.
        fs::remove_all(dir_ / "migrations");
        EXPECT_EQ(migrate::Migrator(db, options({schemaVersion()})).up(), 1);
        return;
    }
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);\n");
    for (const auto& code : {std::vector{schemaVersion()}, std::vector{usersToJson(), [] {
                                                                           auto again =
                                                                               usersToJson();
                                                                           again.name = "again";
                                                                           return again;
                                                                       }()}}) {
        try {
            migrate::Migrator migrator(db, options(code));
            FAIL() << "a version taken twice was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            if (code.size() == 1)
                EXPECT_TRUE(contains(e.what(),
                                     "version 1 is taken by both folder 0001_a and code "
                                     "migration 0001_kv_schema_version"))
                    << e.what();
            else
                EXPECT_TRUE(contains(e.what(),
                                     "version 2 is taken by both code migration "
                                     "0002_users_to_json and code migration 0002_again"))
                    << e.what();
        }
    }
}

// The first migrator holds the lock while its step runs; a second one with a
// short lock timeout gives up naming the holder, then goes on once it is free.
TEST_P(CodeMigrations, TheLockRefusesASecondMigratorWhileTheFirstHoldsIt) {
    auto db = open();
    std::promise<void> entered;
    std::promise<void> release;
    auto released = release.get_future().share();
    auto slow = schemaVersion();
    slow.kvUp = [&](KeyValue&, KvBatch& batch) {
        entered.set_value();
        released.wait();
        batch.put("schema_version", "1");
    };
    std::exception_ptr firstError;
    std::thread first([&] {
        try {
            migrate::Migrator(db, options({slow})).up();
        } catch (...) {
            firstError = std::current_exception();
        }
    });
    entered.get_future().wait();
    auto second = options({schemaVersion()});
    second.lockTimeout = std::chrono::milliseconds(300);
    try {
        migrate::Migrator(db, second).up();
        ADD_FAILURE() << "a second migrator went on while the first held the lock";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Timeout) << e.what();
        EXPECT_TRUE(contains(e.what(), "holds the migration lock")) << e.what();
        if (keyValueEngine()) {
            EXPECT_TRUE(contains(e.what(), "pid " + std::to_string(getpid()))) << e.what();
            EXPECT_TRUE(contains(e.what(), "namespace plugdb.migrations")) << e.what();
        }
    }
    release.set_value();
    first.join();
    if (firstError) std::rethrow_exception(firstError);
    migrate::Migrator after(db, second);
    EXPECT_EQ(after.up(), 0);
    EXPECT_EQ(states(after), std::vector<migrate::State>{migrate::State::Applied});
    EXPECT_EQ(db.kv("app").get("schema_version"), "1");
}

// A lease whose holder stopped renewing it (expires_at in the past) is taken over.
TEST_P(CodeMigrations, AnExpiredLeaseKeyIsTakenOver) {
    if (!keyValueEngine()) GTEST_SKIP() << "the lease key is the key-value engines' lock";
    auto db = open();
    detail::reservedKeyValue(db, "plugdb.migrations")
        .put("plugdb_migrations/lock", "{\"owner\":\"a dead migrator\",\"expires_at\":1}");
    auto o = options({schemaVersion()});
    o.lockTimeout = std::chrono::seconds(30);
    EXPECT_EQ(migrate::Migrator(db, o).up(), 1);
    EXPECT_FALSE(
        detail::reservedKeyValue(db, "plugdb.migrations").contains("plugdb_migrations/lock"));
}

// A migrator killed between a key-value step's two history writes leaves a
// record saying so (written here by hand); up refuses until force or repair.
TEST_P(CodeMigrations, AnInterruptedBatchIsReportedUntilForced) {
    auto db = open();
    const std::string interrupted =
        "interrupted while its batch was being applied; it may or may not have taken effect";
    const std::string sum = migrate::checksum("schema 1");
    if (keyValueEngine()) {
        detail::reservedKeyValue(db, "plugdb.migrations")
            .put("plugdb_migrations/history/00000000000000000001",
                 "{\"version\":1,\"name\":\"kv_schema_version\",\"checksum\":\"" + sum +
                     "\",\"applied_at\":\"2026-01-01T00:00:00.000Z\",\"execution_ms\":0,"
                     "\"applied_by\":\"test\",\"success\":false,\"statements_applied\":0,"
                     "\"statements_total\":0,\"kind\":\"migration\",\"error\":\"" +
                     interrupted + "\"}");
    } else {
        migrate::Migrator(db, options({})).up();  // creates the history table
        db.exec(
            "INSERT INTO plugdb_migrations (version, name, checksum, applied_at, execution_ms,"
            " applied_by, success, statements_applied, statements_total, kind, error)"
            " VALUES (?, ?, ?, ?, 0, ?, 0, 0, 0, ?, ?)",
            {1, "kv_schema_version", sum, "2026-01-01T00:00:00.000Z", "test", "migration",
             interrupted});
    }
    migrate::Migrator migrator(db, options({schemaVersion()}));
    EXPECT_EQ(states(migrator), std::vector<migrate::State>{migrate::State::Failed});
    try {
        migrator.up();
        FAIL() << "an interrupted batch was run again";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_TRUE(contains(e.what(),
                             "code migration 0001_kv_schema_version was interrupted "
                             "while its batch was being applied"))
            << e.what();
        EXPECT_TRUE(contains(e.what(), "'migrate force 1'")) << e.what();
        EXPECT_TRUE(contains(e.what(), "'migrate repair'")) << e.what();
    }
    migrator.force(1);
    EXPECT_EQ(states(migrator), std::vector<migrate::State>{migrate::State::Applied});
    EXPECT_FALSE(db.kv("app").contains("schema_version"));  // force runs nothing
}

// The example program: seed, up, status, dump, down, as a user runs it.
TEST_P(CodeMigrations, TheExampleProgramRunsUpDownAndStatus) {
#ifndef PLUGDB_TEST_EXAMPLE
    GTEST_SKIP() << "the examples are not built (PLUGDB_BUILD_EXAMPLES=OFF)";
#else
    test::ProcessOptions env;
    env.env["PLUGDB_PLUGIN_PATH"] = PLUGDB_TEST_PLUGIN_DIR;
    env.workDir = dir_.string();
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {PLUGDB_TEST_EXAMPLE, "--url", url_, "--sql",
                                   PLUGDB_SOURCE_DIR "/examples/kv_migrations/sql"});
        return test::runProcess(args, env);
    };
    const int total = keyValueEngine() ? 2 : 3;
    auto seeded = run({"seed"});
    ASSERT_EQ(seeded.exitCode, 0) << seeded.err;
    auto up = run({"up"});
    ASSERT_EQ(up.exitCode, 0) << up.err;
    EXPECT_TRUE(contains(
        up.out, "applied " + std::to_string(total) + ", now at version " + std::to_string(total)))
        << up.out;
    auto status = run({"status"});
    EXPECT_TRUE(contains(status.out, "1 kv_schema_version applied\n2 users_to_json applied\n"))
        << status.out;
    EXPECT_EQ(contains(status.out, "3 create_notes applied"), !keyValueEngine()) << status.out;
    auto dump = run({"dump"});
    EXPECT_TRUE(contains(dump.out, "user:1={\"name\":\"Ada\"}\n")) << dump.out;
    EXPECT_TRUE(contains(dump.out, "user:2={\"name\":\"Grace \\\"Amazing\\\" Hopper\"}\n"))
        << dump.out;
    auto down = run({"down", std::to_string(total)});
    ASSERT_EQ(down.exitCode, 0) << down.err;
    EXPECT_TRUE(contains(down.out, "now at version 0")) << down.out;
    dump = run({"dump"});
    EXPECT_EQ(dump.out, "user:1=Ada\nuser:2=Grace \"Amazing\" Hopper\n");
    status = run({"status"});
    EXPECT_TRUE(contains(status.out, "2 users_to_json pending")) << status.out;
#endif
}

INSTANTIATE_TEST_SUITE_P(Engines, CodeMigrations,
                         ::testing::Values(Engine{"sqlite", "", ""},
                                           Engine{"postgres", "postgres.env", "PLUGDB_PG_URL"},
                                           Engine{"mysql", "mariadb.env", "PLUGDB_MY_URL"},
                                           Engine{"rocksdb", "", ""}),
                         [](const auto& test) { return std::string(test.param.driver); });
