// The conformance kit run against the PostgreSQL driver on the real server the
// test scripts start (tests/servers); one database per test.
#include "conformance.h"
#include "key_value_conformance.h"
#include "server_env.h"

namespace {

using namespace plugdb::conformance;
using namespace plugdb::test;

std::string serverUrl() {
    return requireServerVariable("postgres.env", "PLUGDB_PG_URL");
}

plugdb::Database admin() {
    plugdb::Config config = plugdb::Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, plugdb::Layer::CommandLine, "kit");
    config.set("db.url", serverUrl(), plugdb::Layer::CommandLine, "kit");
    return plugdb::Database::open(config);
}

Quirks postgresQuirks() {
    Quirks q;
    q.name = "postgres";
    q.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};
    q.freshDatabase = [](const std::string& test) {
        const std::string name = databaseNameFor(test);
        auto db = admin();
        db.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        db.exec("CREATE DATABASE " + name);
        return withDatabase(serverUrl(), name);
    };
    q.dropDatabase = [](const std::string& url) {
        admin().exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) + " WITH (FORCE)");
    };
    q.blobType = "BYTEA";
    q.autoIdColumn = "id BIGSERIAL PRIMARY KEY";
    q.declaredTypes = {{"BIGINT", "int8"},
                       {"VARCHAR(64)", "varchar(64)"},
                       {"DECIMAL(10,2)", "numeric(10,2)"},
                       {"TIMESTAMP(3)", "timestamp(3)"},
                       {"TIMESTAMPTZ", "timestamptz"},
                       {"DOUBLE PRECISION", "float8"},
                       {"BOOLEAN", "bool"},
                       {"TEXT", "text"},
                       {"BYTEA", "bytea"},
                       {"INTEGER[]", "int4[]"},
                       {"CHAR(3)", "bpchar(3)"}};
    q.failedStatementAbortsTransaction = true;
    q.slowQuery = "SELECT pg_sleep(30)";
    q.seriesQuery = [](long n) {
        return "SELECT x FROM generate_series(1, " + std::to_string(n) + ") AS x";
    };
    // Without a server every test fails in SetUp with serverUrl()'s explanation.
    if (const auto url = serverVariable("postgres.env", "PLUGDB_PG_URL")) {
        q.wrongPasswordUrl = withPassword(*url, "wrong");
        q.unknownDatabaseUrl = withDatabase(*url, "no_such_database");
        q.wrongPortUrl = "postgres://plugdb@127.0.0.1:1/plugdb";
    }
    return q;
}

}  // namespace

using plugdb::conformance::DriverConformance;

INSTANTIATE_TEST_SUITE_P(Postgres, DriverConformance, ::testing::Values(postgresQuirks()),
                         [](const auto& test) { return test.param.name; });

namespace {
KvQuirks postgresKvQuirks() {
    KvQuirks q{postgresQuirks()};
    q.refuseKey = [](const std::string& keyHex) -> std::optional<std::string> {
        return "CREATE FUNCTION refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "IF NEW.k = '\\x" +
               keyHex +
               "'::bytea THEN RAISE EXCEPTION 'refused by the conformance kit'; END IF; "
               "RETURN NEW; END $$; CREATE TRIGGER refuse_key BEFORE INSERT ON plugdb_kv "
               "FOR EACH ROW EXECUTE FUNCTION refuse_key()";
    };
    return q;
}
}  // namespace

PLUGDB_KV_CONFORMANCE(Postgres, postgresKvQuirks());
