// plugdb serve's health, readiness and metrics endpoints on SQLite, and on a
// PostgreSQL URL whose server is not there.
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "serve_probe.h"

namespace fs = std::filesystem;
using namespace plugdb::test;

namespace {

const std::string kSecret = "Obs3rv-S3cret-Pw";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class Observability : public ServeTest {};

}  // namespace

TEST_F(Observability, SqliteHealthDatabaseDetailedAndMetrics) {
    options_.env["DATABASE_URL"] = "sqlite://app:" + kSecret + "@/" + (dir_ / "x.db").string();
    ServeProcess serve(options_, {"--set", "log.level=debug"});
    ASSERT_EQ(serve.waitReady().status, 200);

    const auto database = serve.get("/health/database");
    EXPECT_EQ(database.status, 200) << database.body;
    EXPECT_EQ(database.contentType, "application/json");
    auto body = parseObject(database.body);
    EXPECT_EQ(body->getValue<std::string>("status"), "healthy");
    EXPECT_TRUE(body->has("timestamp"));
    auto db = body->getObject("database");
    ASSERT_TRUE(db);
    EXPECT_EQ(db->getValue<std::string>("connectivity"), "healthy");
    EXPECT_EQ(db->getValue<std::string>("driver"), "sqlite");
    auto stats = db->getObject("pool_stats");
    checkPoolStats(stats);
    EXPECT_GE(stats->getValue<int>("open_connections"), 1);
    EXPECT_GE(stats->getValue<int>("created"), 1);

    const auto detailed = serve.get("/health/detailed");
    EXPECT_EQ(detailed.status, 200) << detailed.body;
    body = parseObject(detailed.body);
    EXPECT_EQ(body->getValue<std::string>("status"), "healthy");
    EXPECT_FALSE(body->getValue<std::string>("version").empty());
    EXPECT_TRUE(body->has("uptime"));
    EXPECT_GE(body->getValue<double>("uptime_seconds"), 0);
    db = body->getObject("database");
    ASSERT_TRUE(db);
    EXPECT_EQ(db->getValue<std::string>("driver"), "sqlite");
    EXPECT_FALSE(db->getValue<std::string>("driver_version").empty());
    EXPECT_TRUE(db->getValue<std::string>("server_version").starts_with("SQLite 3."));
    EXPECT_TRUE(contains(db->getValue<std::string>("target"), "x.db"));
    EXPECT_TRUE(db->isNull("last_error"));
    checkPoolStats(db->getObject("pool_stats"));

    const auto metrics = serve.get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_TRUE(metrics.contentType.starts_with("text/plain; version=0.0.4"))
        << metrics.contentType;
    const auto samples = checkPrometheusText(metrics.body, "sqlite");
    for (const char* name :
         {"plugdb_up", "plugdb_sql_max_open_connections", "plugdb_sql_open_connections",
          "plugdb_sql_in_use_connections", "plugdb_sql_idle_connections",
          "plugdb_sql_wait_count_total", "plugdb_sql_wait_duration_seconds_total",
          "plugdb_sql_max_idle_closed_total", "plugdb_sql_max_idle_time_closed_total",
          "plugdb_sql_max_lifetime_closed_total", "plugdb_sql_acquire_timeouts_total",
          "plugdb_sql_connections_created_total", "plugdb_sql_connections_closed_total",
          "plugdb_sql_transaction_retries_total", "plugdb_sql_connect_retries_total",
          "plugdb_sql_errors_total", "plugdb_sql_query_duration_seconds_bucket",
          "plugdb_kv_operation_duration_seconds_bucket"})
        EXPECT_TRUE(findSample(samples, name)) << name;
    EXPECT_EQ(findSample(samples, "plugdb_up")->value, 1);
    EXPECT_GE(findSample(samples, "plugdb_sql_open_connections")->value, 1);
    EXPECT_TRUE(contains(metrics.body, R"(operation="select",le="+Inf"})")) << metrics.body;
    EXPECT_TRUE(
        contains(metrics.body,
                 R"(plugdb_kv_operation_duration_seconds_count{driver="sqlite",operation="get"})"))
        << "key-value calls have their own family: " << metrics.body;
    EXPECT_FALSE(contains(metrics.body, R"(operation="kv_)")) << metrics.body;
    EXPECT_TRUE(contains(metrics.body, R"(plugdb_sql_errors_total{category="timeout",)"));

    auto [code, logs] = serve.stop();
    EXPECT_EQ(code, 0) << logs;
    EXPECT_TRUE(contains(logs, "GET /metrics 200")) << "requests are logged at debug level";
    for (const auto& text : {database.body, detailed.body, metrics.body, logs})
        EXPECT_FALSE(contains(text, kSecret)) << text;
}

TEST_F(Observability, UnreachablePostgresIsNotReadyButAliveAndScrapable) {
    const int port = closedPort();
    options_.env["DATABASE_URL"] =
        "postgres://plugdb:" + kSecret + "@127.0.0.1:" + std::to_string(port) + "/plugdb";
    // One connection attempt: a shutdown waits for the attempt under way.
    ServeProcess serve(options_, {"--log-format", "json", "--set", "connect.attempts=1"});

    const auto ready = serve.get("/ready");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_EQ(serve.get("/readyz").status, 503);
    EXPECT_EQ(serve.get("/live").status, 200) << "alive while the database is unreachable";

    const auto database = serve.get("/health/database");
    EXPECT_EQ(database.status, 503) << database.body;
    auto body = parseObject(database.body);
    EXPECT_EQ(body->getValue<std::string>("status"), "unhealthy");
    EXPECT_EQ(body->getObject("database")->getValue<std::string>("connectivity"), "unhealthy");

    const auto detailed = serve.get("/health/detailed");
    EXPECT_EQ(detailed.status, 503) << detailed.body;
    body = parseObject(detailed.body);
    EXPECT_EQ(body->getObject("database")->getValue<std::string>("driver"), "postgres");

    const auto metrics = serve.get("/metrics");
    EXPECT_EQ(metrics.status, 200) << "scrapable before the database opens";
    const auto samples = checkPrometheusText(metrics.body, "postgres");
    ASSERT_TRUE(findSample(samples, "plugdb_up"));
    EXPECT_EQ(findSample(samples, "plugdb_up")->value, 0);
    EXPECT_EQ(findSample(samples, "plugdb_database_ready")->value, 0);

    // The first attempt may still be under way: the warning comes once it failed.
    const auto lastError = [](const HttpReply& reply) {
        const auto report = parseObject(reply.body)->getObject("database");
        return report->isNull("last_error") ? std::string()
                                            : report->getValue<std::string>("last_error");
    };
    const HttpReply failed = serve.poll(
        "/health/detailed", [&](const HttpReply& reply) { return !lastError(reply).empty(); });
    EXPECT_FALSE(lastError(failed).empty()) << "the failed attempt is reported: " << failed.body;

    auto [code, logs] = serve.stop();
    EXPECT_EQ(code, 0) << logs;
    EXPECT_TRUE(contains(logs, R"("level":"warning")")) << logs;
    for (const auto& text :
         {ready.body, database.body, detailed.body, metrics.body, failed.body, logs})
        EXPECT_FALSE(contains(text, kSecret)) << text;
}
