// What a database did since it was opened, for metrics endpoints.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plugdb/error.h"

namespace plugdb {

// What the database did since it was opened, for metrics endpoints.
struct DatabaseMetrics {
    // Upper bounds, in seconds, of the statement latency histogram's buckets.
    static constexpr std::array<double, 14> kLatencyBuckets{
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
    struct Latency {
        // "select", "insert", "update", "delete", "begin", "commit", "rollback", "other",
        // or a key-value call: "kv_get", "kv_put", "kv_scan", "kv_batch"
        std::string operation;
        // Statements that took at most each bound (cumulative, as Prometheus wants them).
        std::array<std::uint64_t, kLatencyBuckets.size()> cumulativeCounts{};
        std::uint64_t count = 0;  // all of them, including those above the last bound
        double sumSeconds = 0;
    };
    std::vector<Latency> latencies;                               // every operation
    std::vector<std::pair<ErrorCategory, std::uint64_t>> errors;  // every category, zeros included
    std::uint64_t connectRetries = 0;  // failed connection attempts that were retried
};

}  // namespace plugdb
