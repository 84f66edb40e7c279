// Connection pool statistics.
#pragma once

#include <chrono>
#include <cstdint>

namespace plugdb {

// Connection pool statistics, named after Go's sql.DBStats.
struct PoolStats {
    int maxOpenConnections = 0;  // pool.max_open; 0 means unlimited
    int openConnections = 0;     // in use + idle (+ being opened)
    int inUse = 0;
    int idle = 0;
    std::uint64_t waitCount = 0;               // borrowers that had to wait
    std::chrono::nanoseconds waitDuration{0};  // total time they waited
    std::uint64_t maxIdleClosed = 0;           // closed because pool.max_idle was reached
    std::uint64_t maxIdleTimeClosed = 0;       // closed after pool.max_idle_time unused
    std::uint64_t maxLifetimeClosed = 0;       // closed after pool.max_lifetime
    std::uint64_t acquireTimeouts = 0;         // borrowers that gave up (pool.acquire_timeout)
    std::uint64_t created = 0;                 // connections opened
    std::uint64_t closed = 0;                  // connections closed, for any reason
    std::uint64_t brokenClosed = 0;            // closed because they broke or failed a ping
    std::uint64_t transactionRetries = 0;  // transact() attempts run again after a retryable error
};

}  // namespace plugdb
