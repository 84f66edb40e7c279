// The fixture of the migration tests on real databases (engine_test.cpp,
// code_test.cpp): one engine per test parameter, and per test a fresh folder
// for the migration files and a fresh database, an SQLite file or RocksDB
// directory in the folder, or a database created on the PostgreSQL or MariaDB
// test server (tests/servers) and dropped afterwards.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "plugdb/config.h"
#include "plugdb/database.h"

namespace plugdb::test {

struct Engine {
    const char* driver;
    const char* envFile;  // empty for the embedded engines
    const char* urlVariable;
};

// Test names and failure messages show the driver, not the struct's bytes.
void PrintTo(const Engine& engine, std::ostream* out);

bool contains(const std::string& text, const std::string& part);

// The configuration for `url`, loading the plugins of this build.
Config configFor(const std::string& url);

class MigrationFixture : public ::testing::TestWithParam<Engine> {
public:
    void SetUp() override;
    void TearDown() override;

    std::string migrationsPath() const { return (dir_ / "migrations").string(); }
    // Writes a file below the migrations folder, making its folders.
    void write(const std::string& relative, const std::string& text);
    Database open() { return Database::open(configFor(url_)); }
    bool isPostgres() const { return std::string(GetParam().driver) == "postgres"; }

    std::filesystem::path dir_;
    std::string url_;
    std::string database_;  // empty on the embedded engines

protected:
    // The folder is "<folderPrefix><pid>-<driver>-<test>" in the temporary
    // directory, the database "<databasePrefix><test>": each test program has
    // its own, as ctest runs them at the same time on the same servers.
    MigrationFixture(std::string folderPrefix, std::string databasePrefix);

private:
    void dropDatabase(Database& admin) const;

    std::string folderPrefix_;
    std::string databasePrefix_;
};

}  // namespace plugdb::test
