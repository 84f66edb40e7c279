// The connection pool: database/sql's semantics (max open, max idle, max
// lifetime, max idle time) plus a bounded wait for a free connection. Private
// to core; Database and its leases are the only users.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "plugdb/database.h"
#include "plugdb/driver.h"

namespace plugdb {
class Config;
}

namespace plugdb::detail {

using Clock = std::chrono::steady_clock;

struct PoolSettings {
    int maxOpen = 25;                                                    // 0: unlimited
    int maxIdle = 5;                                                     // 0: keep none
    std::chrono::milliseconds maxLifetime{std::chrono::minutes(5)};      // 0: unlimited
    std::chrono::milliseconds maxIdleTime{std::chrono::minutes(5)};      // 0: unlimited
    std::chrono::milliseconds acquireTimeout{std::chrono::seconds(30)};  // 0: do not wait
    // An idle connection unused for longer is pinged before it is handed out.
    std::chrono::milliseconds pingIdleAfter{std::chrono::seconds(1)};

    // From pool.* keys; throws plugdb::Error (config) for values out of range.
    static PoolSettings fromConfig(const Config& config);
};

// A borrowed connection and when it was opened (for max_lifetime).
struct PooledConnection {
    std::unique_ptr<Connection> connection;
    Clock::time_point openedAt;
    explicit operator bool() const { return connection != nullptr; }
};

class ConnectionPool {
public:
    using Connect = std::function<std::unique_ptr<Connection>()>;

    ConnectionPool(PoolSettings settings, Connect connect);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // A healthy connection: an idle one, a new one while under max_open, or
    // the next one released within the acquire timeout (or maxWait, when
    // shorter). Throws plugdb::Error (timeout) when the pool stays exhausted,
    // or the driver's connect error.
    PooledConnection acquire(std::optional<std::chrono::milliseconds> maxWait = std::nullopt);
    // Returns a connection; `reusable` false closes it (broken or unknown state).
    void release(PooledConnection pooled, bool reusable);

    PoolStats stats() const;
    const PoolSettings& settings() const { return settings_; }

private:
    struct Idle {
        PooledConnection pooled;
        Clock::time_point idleSince;
    };

    // Removes idle connections past max_idle_time or max_lifetime; the caller
    // closes what it gets back outside the lock.
    std::vector<PooledConnection> takeExpiredLocked(Clock::time_point now);
    bool lifetimeOver(const PooledConnection& pooled, Clock::time_point now) const;
    void cleanLoop(std::stop_token stop);

    const PoolSettings settings_;
    const Connect connect_;

    mutable std::mutex mutex_;
    std::condition_variable released_;  // a connection came back or a slot freed up
    std::deque<Idle> idle_;             // most recently used at the back
    int open_ = 0;                      // open or being opened
    PoolStats stats_;

    std::condition_variable_any cleanerWake_;
    std::jthread cleaner_;  // last: stopped and joined first
};

}  // namespace plugdb::detail
