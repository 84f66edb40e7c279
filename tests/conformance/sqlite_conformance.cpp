// The conformance kit run against the SQLite driver: the whole fixture.
#include <unistd.h>

#include <filesystem>

#include "conformance.h"
#include "key_value_conformance.h"

namespace fs = std::filesystem;

namespace {

fs::path scratchDir() {
    static const fs::path dir =
        fs::temp_directory_path() / ("plugdb-conformance-sqlite-" + std::to_string(getpid()));
    return dir;
}

plugdb::conformance::Quirks sqliteQuirks() {
    plugdb::conformance::Quirks q;
    q.name = "sqlite";
    q.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};
    q.freshDatabase = [](const std::string& test) {
        fs::create_directories(scratchDir());
        return "sqlite:" + (scratchDir() / (test + ".db")).string();
    };
    q.dropDatabase = [](const std::string&) { fs::remove_all(scratchDir()); };
    q.bigintType = "INTEGER";
    q.doubleType = "REAL";
    q.keepsNegativeZero = false;     // SQLite stores -0.0 in a REAL column as 0
    q.typeCheckedTable = " STRICT";  // other tables take any value in any column
    q.slowQuery =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
        "SELECT COUNT(*) FROM c";
    q.unknownDatabaseUrl =
        "sqlite:" + (scratchDir() / "no-such-dir" / "x.db").string() + "?mode=ro";
    q.whyNoConnectionChecks = "an embedded engine has no port or password";
    return q;
}

}  // namespace

using plugdb::conformance::DriverConformance;

INSTANTIATE_TEST_SUITE_P(Sqlite, DriverConformance, ::testing::Values(sqliteQuirks()),
                         [](const auto& test) { return test.param.name; });

using plugdb::conformance::KvQuirks;

namespace {
KvQuirks sqliteKvQuirks() {
    KvQuirks q{sqliteQuirks()};
    q.refuseKey = [](const std::string& keyHex) -> std::optional<std::string> {
        return "CREATE TRIGGER refuse_key BEFORE INSERT ON plugdb_kv WHEN NEW.k = X'" + keyHex +
               "' BEGIN SELECT RAISE(ABORT, 'refused by the conformance kit'); END";
    };
    return q;
}
}  // namespace

PLUGDB_KV_CONFORMANCE(Sqlite, sqliteKvQuirks());
