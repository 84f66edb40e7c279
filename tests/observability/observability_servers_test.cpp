// plugdb serve's health and metrics endpoints against the real PostgreSQL and
// MariaDB servers that tests/servers started.
#include <gtest/gtest.h>

#include <filesystem>

#include "serve_probe.h"
#include "server_env.h"

using namespace plugdb::test;

namespace {

struct Server {
    const char* driver;
    const char* envFile;  // written by tests/servers/start-*.sh
    const char* prefix;   // PLUGDB_PG / PLUGDB_MY
};

void PrintTo(const Server& server, std::ostream* out) {
    *out << server.driver;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class ObservabilityServers : public ::testing::TestWithParam<Server> {
protected:
    std::string url() {
        return requireServerVariable(GetParam().envFile, std::string(GetParam().prefix) + "_URL");
    }
    // The password in the URL (user:password@host).
    std::string password() {
        const std::string text = url();
        const auto start = text.find(':', text.find("://") + 3) + 1;
        return text.substr(start, text.find('@') - start);
    }
};

}  // namespace

TEST_P(ObservabilityServers, EndpointsReportThePoolAndMaskThePassword) {
    ProcessOptions options;
    options.env["DATABASE_URL"] = url();
    options.workDir = std::filesystem::temp_directory_path().string();
    ServeProcess serve(options, {"--set", "pool.max_open=4"});
    const auto ready = serve.waitReady();
    ASSERT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(serve.get("/live").status, 200);

    const auto database = serve.get("/health/database");
    EXPECT_EQ(database.status, 200) << database.body;
    auto db = parseObject(database.body)->getObject("database");
    ASSERT_TRUE(db);
    EXPECT_EQ(db->getValue<std::string>("driver"), GetParam().driver);
    auto stats = db->getObject("pool_stats");
    checkPoolStats(stats);
    EXPECT_EQ(stats->getValue<int>("max_open_connections"), 4);
    EXPECT_GE(stats->getValue<int>("open_connections"), 1);
    EXPECT_LE(stats->getValue<int>("open_connections"), 4);

    const auto detailed = serve.get("/health/detailed");
    EXPECT_EQ(detailed.status, 200) << detailed.body;
    db = parseObject(detailed.body)->getObject("database");
    ASSERT_TRUE(db);
    EXPECT_FALSE(db->getValue<std::string>("server_version").empty());
    EXPECT_TRUE(contains(db->getValue<std::string>("target"), "127.0.0.1")) << detailed.body;

    const auto metrics = serve.get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    const auto samples = checkPrometheusText(metrics.body, GetParam().driver);
    ASSERT_TRUE(findSample(samples, "plugdb_sql_max_open_connections"));
    EXPECT_EQ(findSample(samples, "plugdb_sql_max_open_connections")->value, 4);
    EXPECT_GE(findSample(samples, "plugdb_sql_open_connections")->value, 1);
    EXPECT_EQ(findSample(samples, "plugdb_database_ready")->value, 1);

    auto [code, logs] = serve.stop();
    EXPECT_EQ(code, 0) << logs;
    const std::string secret = password();
    ASSERT_FALSE(secret.empty());
    for (const auto& text : {ready.body, database.body, detailed.body, metrics.body, logs})
        EXPECT_FALSE(contains(text, secret)) << text;
}

// A database that refuses new connections and whose sessions were terminated:
// the pool cannot hand out a connection, so /ready says 503 while /live stays
// 200; once connections are allowed again, /ready recovers.
TEST(ObservabilityPostgres, ReadyFollowsWhetherThePoolCanHandOutAConnection) {
    const std::string adminUrl = requireServerVariable("postgres.env", "PLUGDB_PG_URL");
    const std::string database = "obs_ready_" + std::to_string(getpid());
    ProcessOptions admin;
    admin.env["DATABASE_URL"] = adminUrl;
    const auto sql = [&](const std::string& statement) {
        const auto result = runProcess({PLUGDB_TEST_BINARY, "sql", statement}, admin);
        EXPECT_EQ(result.exitCode, 0) << statement << ": " << result.err;
    };
    sql("DROP DATABASE IF EXISTS " + database);
    sql("CREATE DATABASE " + database);

    ProcessOptions options;
    options.env["DATABASE_URL"] = withDatabase(adminUrl, database);
    ServeProcess serve(options, {"--set", "pool.acquire_timeout=2s"});
    ASSERT_EQ(serve.waitReady().status, 200);

    sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database +
        "'");
    HttpReply ready;
    for (int attempt = 0; attempt < 100; ++attempt) {
        ready = serve.get("/ready");
        if (ready.status == 503) break;
        usleep(50'000);
    }
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_EQ(serve.get("/live").status, 200);
    const auto health = serve.get("/health/database");
    EXPECT_EQ(health.status, 503) << health.body;
    auto stats = parseObject(health.body)->getObject("database")->getObject("pool_stats");
    checkPoolStats(stats);
    EXPECT_GE(stats->getValue<int>("broken_closed"), 1) << health.body;
    const auto samples = checkPrometheusText(serve.get("/metrics").body, "postgres");
    EXPECT_EQ(findSample(samples, "plugdb_database_ready")->value, 0);

    sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    EXPECT_EQ(serve.waitReady().status, 200);
    auto [code, logs] = serve.stop();
    EXPECT_EQ(code, 0) << logs;
    EXPECT_TRUE(contains(logs, "database is not ready")) << logs;
    sql("DROP DATABASE IF EXISTS " + database);
}

INSTANTIATE_TEST_SUITE_P(Servers, ObservabilityServers,
                         ::testing::Values(Server{"postgres", "postgres.env", "PLUGDB_PG"},
                                           Server{"mysql", "mariadb.env", "PLUGDB_MY"}),
                         [](const auto& test) { return std::string(test.param.driver); });
