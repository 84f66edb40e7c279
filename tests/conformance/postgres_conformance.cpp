// The conformance kit run against the PostgreSQL driver on the real server the
// test scripts start (tests/servers); one database per test.
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "conformance.h"

namespace {

// PLUGDB_PG_URL from the environment, else from the env file start-postgres.sh wrote.
std::optional<std::string> serverUrlIfAny() {
    if (const char* url = std::getenv("PLUGDB_PG_URL")) return url;
    std::ifstream env(std::string(PLUGDB_TEST_SERVERS_DIR) + "/postgres.env");
    for (std::string line; std::getline(env, line);)
        if (line.starts_with("PLUGDB_PG_URL=")) return line.substr(14);
    return std::nullopt;
}

std::string serverUrl() {
    if (auto url = serverUrlIfAny()) return *url;
    throw std::runtime_error(
        "no PostgreSQL test server: run tests/servers/start-postgres.sh " PLUGDB_TEST_SERVERS_DIR
        " (ctest does it through the db_servers fixture) or set PLUGDB_PG_URL");
}

// The server URL with another database name.
std::string withDatabase(const std::string& url, const std::string& database) {
    const auto slash = url.find('/', url.find("://") + 3);
    return url.substr(0, slash) + "/" + database;
}

std::string databaseName(const std::string& test) {
    std::string name = "conformance_";
    for (char c : test) name += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
    return name.substr(0, 63);
}

plugdb::Database admin(const plugdb::conformance::Quirks& q) {
    plugdb::Config config = plugdb::Config::withDefaults();
    config.set("plugins.path", q.pluginPath.front(), plugdb::Layer::CommandLine, "kit");
    config.set("db.url", serverUrl(), plugdb::Layer::CommandLine, "kit");
    return plugdb::Database::open(config);
}

plugdb::conformance::Quirks postgresQuirks() {
    plugdb::conformance::Quirks q;
    q.name = "postgres";
    q.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};
    q.freshDatabase = [q](const std::string& test) {
        const std::string name = databaseName(test);
        auto db = admin(q);
        db.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        db.exec("CREATE DATABASE " + name);
        return withDatabase(serverUrl(), name);
    };
    q.dropDatabase = [q](const std::string& url) {
        admin(q).exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) +
                      " WITH (FORCE)");
    };
    q.blobType = "BYTEA";
    q.autoIdColumn = "id BIGSERIAL PRIMARY KEY";
    q.failedStatementAbortsTransaction = true;
    q.seriesQuery = [](long n) {
        return "SELECT x FROM generate_series(1, " + std::to_string(n) + ") AS x";
    };
    // Without a server every test fails in SetUp with serverUrl()'s explanation.
    const auto found = serverUrlIfAny();
    if (!found) return q;
    const std::string url = *found;
    const std::string password = url.substr(url.find(':', url.find("://") + 3) + 1,
                                            url.find('@') - url.find(':', url.find("://") + 3) - 1);
    q.wrongPasswordUrl = std::string(url).replace(url.find(password), password.size(), "wrong");
    q.unknownDatabaseUrl = withDatabase(url, "no_such_database");
    q.wrongPortUrl = "postgres://plugdb@127.0.0.1:1/plugdb";
    return q;
}

}  // namespace

using plugdb::conformance::DriverConformance;

INSTANTIATE_TEST_SUITE_P(Postgres, DriverConformance, ::testing::Values(postgresQuirks()),
                         [](const auto& test) { return test.param.name; });
