// Counters behind Database::metrics(): statement latency by operation and
// errors by category. Lock-free: recorded on every statement.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "plugdb/database.h"
#include "plugdb/error.h"

namespace plugdb::detail {

// What a statement does, from its first keyword, or which key-value call ran
// (on either backend: the engine's own store or core's table); the label of
// its latency.
enum class Operation : std::uint8_t {
    Select,
    Insert,
    Update,
    Delete,
    Begin,
    Commit,
    Rollback,
    Other,
    KvGet,    // get, getMany, contains
    KvPut,    // put, erase, compare-and-set
    KvScan,   // opening a scan (the engine's seek or query), not reading it
    KvBatch,  // a batch's commit
    Count_
};
Operation operationOf(std::string_view sql);
const char* toString(Operation operation);

class Metrics {
public:
    void recordLatency(Operation operation, std::chrono::nanoseconds elapsed);
    void recordError(ErrorCategory category);
    void recordConnectRetry() { connectRetries_.fetch_add(1, std::memory_order_relaxed); }
    void recordTransactionRetry() { transactionRetries_.fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t transactionRetries() const {
        return transactionRetries_.load(std::memory_order_relaxed);
    }
    DatabaseMetrics snapshot() const;

private:
    static constexpr std::size_t kBuckets = DatabaseMetrics::kLatencyBuckets.size();
    struct Histogram {
        std::array<std::atomic<std::uint64_t>, kBuckets + 1> buckets{};  // last: above every bound
        std::atomic<std::uint64_t> count{0};
        std::atomic<std::uint64_t> sumNanos{0};
    };
    std::array<Histogram, static_cast<std::size_t>(Operation::Count_)> latency_{};
    std::array<std::atomic<std::uint64_t>, kErrorCategoryCount> errors_{};
    std::atomic<std::uint64_t> connectRetries_{0};
    std::atomic<std::uint64_t> transactionRetries_{0};
};

}  // namespace plugdb::detail
