// What plugdb serve reports about the database: pool statistics as JSON and
// the Prometheus text exposition of pool statistics and statement metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "plugdb/database.h"

namespace plugdb::host {

// A duration as Go prints one ("0s", "1.5ms", "2m3.5s"), as the pool's
// wait_duration appears in the seed's /health/database.
std::string goDuration(std::chrono::nanoseconds duration);

// The "pool_stats" object of /health/database and /health/detailed.
std::string poolStatsJson(const PoolStats& stats);

// What the metrics endpoint knows at scrape time; stats and metrics are absent
// while the database is not open yet.
struct MetricsSnapshot {
    std::string driver;  // "unknown" before the driver is known
    bool ready = false;  // the last readiness check passed
    std::optional<PoolStats> stats;
    std::optional<DatabaseMetrics> metrics;
    double uptimeSeconds = 0;
    // Failed attempts to open the database that serve retried before it opened.
    std::uint64_t openRetries = 0;
};

// The Prometheus text format (version 0.0.4) of a snapshot.
std::string prometheusText(const MetricsSnapshot& snapshot);

}  // namespace plugdb::host
