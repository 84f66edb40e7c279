// Reading the migrations folder: layout, overrides, refusals, checksums.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugdb/error.h"
#include "plugdb/migrate.h"

namespace fs = std::filesystem;
using namespace plugdb::migrate;

namespace {

class MigrationFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-migrate-files-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const std::string& relative, const std::string& text) {
        fs::create_directories((dir_ / relative).parent_path());
        std::ofstream(dir_ / relative, std::ios::binary) << text;
    }

    std::string refusal(const std::string& driver = "sqlite", bool allowGaps = false,
                        std::size_t maxFileBytes = plugdb::InputFileLimits::kSqlBytes) {
        try {
            loadMigrations(dir_.string(), driver, allowGaps, maxFileBytes);
        } catch (const plugdb::Error& e) {
            EXPECT_EQ(e.category(), plugdb::ErrorCategory::Config);
            return e.what();
        }
        return "(accepted)";
    }

    fs::path dir_;
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_F(MigrationFiles, ReadsVersionsInOrderWithTheEnginesOverride) {
    write("0002_users/up.sql", "CREATE TABLE users (id INTEGER);");
    write("0002_users/down.sql", "DROP TABLE users;");
    write("0001_tenants/up.sql", "CREATE TABLE tenants (id INTEGER);");
    write("0001_tenants/up.postgres.sql", "CREATE TABLE tenants (id BIGINT);");
    write("0001_tenants/down.postgres.sql", "DROP TABLE tenants;");
    write("README.md", "notes are fine");

    auto sqlite = loadMigrations(dir_.string(), "sqlite", false);
    ASSERT_EQ(sqlite.size(), 2u);
    EXPECT_EQ(sqlite[0].version, 1);
    EXPECT_EQ(sqlite[0].name, "tenants");
    EXPECT_TRUE(sqlite[0].up->portable);
    EXPECT_FALSE(sqlite[0].down.has_value());
    EXPECT_TRUE(sqlite[1].down.has_value());

    auto postgres = loadMigrations(dir_.string(), "postgres", false);
    EXPECT_FALSE(postgres[0].up->portable);
    EXPECT_TRUE(contains(postgres[0].up->text, "BIGINT"));
    ASSERT_TRUE(postgres[0].down.has_value());
    EXPECT_NE(sqlite[0].checksum, postgres[0].checksum);
}

TEST_F(MigrationFiles, RefusesTwoFoldersWithOneVersion) {
    write("0001_a/up.sql", "SELECT 1;");
    write("001_b/up.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "both have version 1")) << refusal();
}

TEST_F(MigrationFiles, RefusesAGapUnlessAllowed) {
    write("0001_a/up.sql", "SELECT 1;");
    write("0003_c/up.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "version 2 is missing")) << refusal();
    EXPECT_EQ(refusal("sqlite", true), "(accepted)");
}

TEST_F(MigrationFiles, RefusesADownWithoutAnUp) {
    write("0001_a/down.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "has down.sql but no up.sql")) << refusal();
}

TEST_F(MigrationFiles, RefusesAnEngineDownWithoutItsUp) {
    write("0001_a/up.sql", "SELECT 1;");
    write("0001_a/down.mysql.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "down.mysql.sql but no up.mysql.sql")) << refusal();
}

TEST_F(MigrationFiles, RefusesTheFlatLayoutAndStrayFiles) {
    write("0001_a.up.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "flat layout")) << refusal();
    fs::remove(dir_ / "0001_a.up.sql");
    write("0001_a/up.sql", "SELECT 1;");
    write("0001_a/upgrade.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "upgrade.sql")) << refusal();
    fs::remove(dir_ / "0001_a/upgrade.sql");
    write("misc/x.sql", "SELECT 1;");
    EXPECT_TRUE(contains(refusal(), "is not named NNNN_name")) << refusal();
}

TEST_F(MigrationFiles, MissingFolderNamesTheSetting) {
    fs::remove_all(dir_);
    EXPECT_TRUE(contains(refusal(), "DB_MIGRATE_PATH")) << refusal();
}

// Before the bounded reader a directory read as an empty script (recorded as
// applied), a FIFO blocked the loader and /dev/zero was read until memory ran out.
TEST_F(MigrationFiles, RefusesScriptsThatAreNotRegularFilesNamingThem) {
    write("0001_a/up.sql", "SELECT 1;");
    fs::create_directories(dir_ / "0002_b/up.sql");
    std::string why = refusal();
    EXPECT_TRUE(contains(why, "0002_b/up.sql: it is a directory, not a regular file")) << why;
    fs::remove_all(dir_ / "0002_b");

    write("0002_b/up.sql", "SELECT 1;");
    fs::create_directories(dir_ / "0002_b/down.sql");
    why = refusal();
    EXPECT_TRUE(contains(why, "0002_b/down.sql: it is a directory")) << why;
    fs::remove_all(dir_ / "0002_b/down.sql");

    ASSERT_EQ(mkfifo((dir_ / "0002_b/down.sql").c_str(), 0600), 0);
    why = refusal();  // returns at once: a FIFO is never waited on
    EXPECT_TRUE(contains(why, "0002_b/down.sql: it is a FIFO")) << why;
    fs::remove(dir_ / "0002_b/down.sql");

    fs::remove(dir_ / "0001_a/up.sql");
    fs::create_symlink("/dev/zero", dir_ / "0001_a/up.sql");
    why = refusal();
    EXPECT_TRUE(contains(why, "0001_a/up.sql: it is a character device")) << why;
    fs::remove(dir_ / "0001_a/up.sql");

    fs::create_symlink(dir_ / "nowhere.sql", dir_ / "0001_a/up.sql");
    why = refusal();
    EXPECT_TRUE(contains(why, "cannot read migration file")) << why;
    EXPECT_TRUE(contains(why, "0001_a/up.sql")) << why;
}

TEST_F(MigrationFiles, RefusesAScriptOverTheSizeLimit) {
    write("0001_a/up.sql", "CREATE TABLE a (id INTEGER);");
    EXPECT_EQ(refusal("sqlite", false, 28), "(accepted)");
    const std::string why = refusal("sqlite", false, 27);
    EXPECT_TRUE(contains(why, "0001_a/up.sql: it holds 28 bytes, over the limit of 27 bytes"))
        << why;
}

TEST(MigrationChecksum, IgnoresByteOrderMarkAndLineEndings) {
    const std::string unix = "CREATE TABLE t (id INTEGER);\nDROP TABLE t;\n";
    EXPECT_EQ(checksum(unix), checksum("\xEF\xBB\xBF" + unix));
    EXPECT_EQ(checksum(unix), checksum("CREATE TABLE t (id INTEGER);\r\nDROP TABLE t;\r\n"));
    EXPECT_EQ(checksum(unix), checksum("CREATE TABLE t (id INTEGER);\rDROP TABLE t;\r"));
    EXPECT_NE(checksum(unix), checksum("CREATE TABLE t (id BIGINT);\nDROP TABLE t;\n"));
    EXPECT_EQ(checksum("").size(), 64u);
}

TEST(MigrationScripts, NoTransactionMarkerOnALineOfItsOwn) {
    EXPECT_TRUE(
        noTransactionMarker("-- plugdb:no-transaction\nCREATE INDEX CONCURRENTLY i ON t(a);"));
    EXPECT_TRUE(noTransactionMarker("SELECT 1;\r\n  --plugdb:no-transaction\r\n"));
    EXPECT_FALSE(noTransactionMarker("SELECT '-- plugdb:no-transaction';"));
    EXPECT_FALSE(noTransactionMarker("SELECT 1;"));
}

TEST(MigrationScripts, EmptyMarkerOnALineOfItsOwn) {
    EXPECT_TRUE(emptyMarker("-- 0002_x: nothing to do here\n-- plugdb:empty\n"));
    EXPECT_TRUE(emptyMarker("  --  plugdb:empty  \r\n"));
    EXPECT_FALSE(emptyMarker("-- a line reading: -- plugdb:empty\n"));
    EXPECT_FALSE(emptyMarker("-- plugdb:empty-ish\n"));
    // The template 'migrate create' writes has no statements and no marker.
    const Script tmpl{"up.sql",
                      "-- 0002_x: the change, in the portable subset (migrations/README.md).\n"
                      "-- Without statements it is refused; a migration meant to do nothing\n"
                      "-- says so with a line reading: -- plugdb:empty\n",
                      true};
    EXPECT_TRUE(statementsFor(tmpl, Target{"sqlite"}).empty());
    EXPECT_FALSE(emptyMarker(tmpl.text));
}

TEST(MigrationScripts, DataStatementsAreToldFromDdl) {
    for (const char* data :
         {"INSERT INTO kb SELECT SLEEP(5)", "  update t set a = 1", "-- why\nDELETE FROM t",
          "/* c */ REPLACE INTO t VALUES (1)", "WITH x AS (SELECT 1) SELECT * FROM x", "select 1"})
        EXPECT_TRUE(isDataStatement(data)) << data;
    for (const char* ddl :
         {"CREATE TABLE t (id INTEGER)", "ALTER TABLE t ADD c INTEGER", "DROP TABLE t",
          "-- INSERT\nCREATE INDEX i ON t (a)", "RENAME TABLE a TO b", "TRUNCATE t", "CALL p()",
          "INSERTX", "", "-- only a comment"})
        EXPECT_FALSE(isDataStatement(ddl)) << ddl;
}

TEST(MigrationScripts, SplitsAroundStringsCommentsAndMarkers) {
    Script script{
        "up.sql",
        "INSERT INTO t VALUES ('a;b'); -- c;d\n"
        "-- plugdb:begin\nCREATE TRIGGER x BEGIN SELECT 1; SELECT 2; END;\n-- plugdb:end\n"
        "SELECT $$;$$;",
        false};
    const auto statements = statementsFor(script, Target{"postgres"});
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[1], "CREATE TRIGGER x BEGIN SELECT 1; SELECT 2; END");
}
