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

INSTANTIATE_TEST_SUITE_P(Servers, ObservabilityServers,
                         ::testing::Values(Server{"postgres", "postgres.env", "PLUGDB_PG"},
                                           Server{"mysql", "mariadb.env", "PLUGDB_MY"}),
                         [](const auto& test) { return std::string(test.param.driver); });
