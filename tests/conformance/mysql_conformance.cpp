// The conformance kit run against the MySQL/MariaDB driver on the real server the
// test scripts start (tests/servers); one database per test.
#include "conformance.h"
#include "key_value_conformance.h"
#include "server_env.h"

namespace {

using namespace plugdb::conformance;
using namespace plugdb::test;

std::string serverUrl() {
    return requireServerVariable("mariadb.env", "PLUGDB_MY_URL");
}

plugdb::Database admin() {
    plugdb::Config config = plugdb::Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, plugdb::Layer::CommandLine, "kit");
    config.set("db.url", serverUrl(), plugdb::Layer::CommandLine, "kit");
    return plugdb::Database::open(config);
}

Quirks mysqlQuirks() {
    Quirks q;
    q.name = "mysql";
    q.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};
    q.freshDatabase = [](const std::string& test) {
        const std::string name = databaseNameFor(test);
        auto db = admin();
        db.exec("DROP DATABASE IF EXISTS " + name + "");
        db.exec("CREATE DATABASE " + name);
        return withDatabase(serverUrl(), name);
    };
    q.dropDatabase = [](const std::string& url) {
        admin().exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) + "");
    };
    q.doubleType = "DOUBLE";
    q.slowQuery = "SELECT SLEEP(30)";
    q.textType = "LONGTEXT";  // TEXT holds 64 KiB, the kit stores 1 MiB
    q.blobType = "LONGBLOB";
    q.timestampType = "DATETIME(6)";  // TIMESTAMP stops in 2038 and drops microseconds
    q.autoIdColumn = "id BIGINT AUTO_INCREMENT PRIMARY KEY";
    q.declaredTypes = {{"BIGINT", "BIGINT"},
                       {"VARCHAR(64)", "VARCHAR(64)"},
                       {"DECIMAL(10,2)", "DECIMAL(10,2)"},
                       {"DATETIME(6)", "DATETIME(6)"},
                       {"DOUBLE", "DOUBLE"},
                       {"BOOLEAN", "TINYINT(1)"},
                       {"INT UNSIGNED", "INT UNSIGNED"},
                       {"TEXT", "TEXT"},
                       {"LONGTEXT", "LONGTEXT"},
                       {"LONGBLOB", "LONGBLOB"},
                       {"CHAR(3)", "CHAR(3)"},
                       {"VARBINARY(16)", "VARBINARY(16)"}};
    q.keepsNegativeZero = false;  // MariaDB stores -0.0 in a DOUBLE column as 0
    // A recursive CTE stops at max_recursive_iterations (1000 by default): cross
    // six tables of digits instead (up to a million rows).
    q.seriesQuery = [](long n) {
        return "WITH d(x) AS (SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "
               "UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 "
               "UNION ALL SELECT 8 UNION ALL SELECT 9) SELECT x FROM (SELECT d1.x + 10 * d2.x + "
               "100 * d3.x + 1000 * d4.x + 10000 * d5.x + 100000 * d6.x + 1 AS x FROM d d1, d d2, "
               "d d3, d d4, d d5, d d6) s WHERE x <= " +
               std::to_string(n);
    };
    // Without a server every test fails in SetUp with serverUrl()'s explanation.
    if (const auto url = serverVariable("mariadb.env", "PLUGDB_MY_URL")) {
        q.wrongPasswordUrl = withPassword(*url, "wrong");
        q.unknownDatabaseUrl = withDatabase(*url, "no_such_database");
        q.wrongPortUrl = "mysql://plugdb@127.0.0.1:1/plugdb";
    }
    return q;
}

}  // namespace

using plugdb::conformance::DriverConformance;

INSTANTIATE_TEST_SUITE_P(Mysql, DriverConformance, ::testing::Values(mysqlQuirks()),
                         [](const auto& test) { return test.param.name; });

namespace {
KvQuirks mysqlKvQuirks() {
    KvQuirks q{mysqlQuirks()};
    q.refuseKey = [](const std::string& keyHex) -> std::optional<std::string> {
        return "CREATE TRIGGER refuse_key BEFORE INSERT ON plugdb_kv FOR EACH ROW BEGIN "
               "IF NEW.k = X'" +
               keyHex +
               "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the conformance "
               "kit'; END IF; END";
    };
    return q;
}
}  // namespace

PLUGDB_KV_CONFORMANCE(Mysql, mysqlKvQuirks());
