#include "pg_wire_quirks.h"

#include "server_env.h"

namespace plugdb::conformance {

using namespace plugdb::test;

namespace {

// The PostgreSQL test server's URL with the driver's scheme.
std::string serverUrl(const std::string& driver) {
    const std::string url = requireServerVariable("postgres.env", "PLUGDB_PG_URL");
    return driver + url.substr(url.find("://"));
}

plugdb::Database admin(const std::string& driver) {
    plugdb::Config config = plugdb::Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, plugdb::Layer::CommandLine, "kit");
    config.set("db.url", serverUrl(driver), plugdb::Layer::CommandLine, "kit");
    return plugdb::Database::open(config);
}

}  // namespace

Quirks pgWireQuirks(const std::string& driver) {
    Quirks q;
    q.name = driver;
    q.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};
    q.freshDatabase = [driver](const std::string& test) {
        const std::string name = databaseNameFor(test);
        auto db = admin(driver);
        db.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        db.exec("CREATE DATABASE " + name);
        return withDatabase(serverUrl(driver), name);
    };
    q.dropDatabase = [driver](const std::string& url) {
        admin(driver).exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) +
                           " WITH (FORCE)");
    };
    q.blobType = "BYTEA";
    // CockroachDB turns SERIAL into INT8 DEFAULT unique_rowid(); PostgreSQL into a sequence.
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
    if (serverVariable("postgres.env", "PLUGDB_PG_URL")) {
        q.wrongPasswordUrl = withPassword(serverUrl(driver), "wrong");
        q.unknownDatabaseUrl = withDatabase(serverUrl(driver), "no_such_database");
        q.wrongPortUrl = driver + "://plugdb@127.0.0.1:1/plugdb";
    }
    return q;
}

// The test server is PostgreSQL: a plpgsql trigger refuses the key (a real
// CockroachDB would need another way; see plugins/cockroach/README.md).
KvQuirks pgWireKvQuirks(const std::string& driver) {
    KvQuirks q{pgWireQuirks(driver)};
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

}  // namespace plugdb::conformance
