// Reading the migrations folder: layout, overrides, refusals, checksums.
#include <gtest/gtest.h>
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

    std::string refusal(const std::string& driver = "sqlite", bool allowGaps = false) {
        try {
            loadMigrations(dir_.string(), driver, allowGaps);
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

TEST(MigrationScripts, SplitsAroundStringsCommentsAndMarkers) {
    Script script{
        "up.sql",
        "INSERT INTO t VALUES ('a;b'); -- c;d\n"
        "-- plugdb:begin\nCREATE TRIGGER x BEGIN SELECT 1; SELECT 2; END;\n-- plugdb:end\n"
        "SELECT $$;$$;",
        false};
    const auto statements = statementsFor(script, "postgres");
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[1], "CREATE TRIGGER x BEGIN SELECT 1; SELECT 2; END");
}
