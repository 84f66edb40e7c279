// The plugdb conformance kit run against tinysql: describe the engine once
// (a fresh database per test, the SQL that differs), then expand the suite.
#include "conformance.h"

#include <unistd.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace {

fs::path scratchDir() {
    static const fs::path dir =
        fs::temp_directory_path() / ("tinysql-conformance-" + std::to_string(getpid()));
    return dir;
}

plugdb::conformance::Quirks tinysqlQuirks() {
    plugdb::conformance::Quirks q;
    q.name = "tinysql";
    q.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};  // where plugdb_add_driver wrote the plugin
    q.freshDatabase = [](const std::string& test) {
        fs::create_directories(scratchDir());
        return "tinysql:" + (scratchDir() / (test + ".db")).string();
    };
    q.dropDatabase = [](const std::string&) { fs::remove_all(scratchDir()); };
    q.bigintType = "INTEGER";  // SQLite's rowid alias needs exactly INTEGER
    q.doubleType = "REAL";
    q.keepsNegativeZero = false;  // SQLite stores -0.0 as 0
    q.whyNoDataExceptions = "tinysql tables take any value in any column (SQLite type affinity)";
    // Runs for minutes unless the query timeout interrupts it (capability interrupt).
    q.slowQuery =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
        "SELECT COUNT(*) FROM c";
    q.whyNoConnectionChecks = "an embedded engine has no port or password";
    return q;
}

}  // namespace

PLUGDB_CONFORMANCE(TinySql, tinysqlQuirks());
