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
#include "plugdb/settings.h"

namespace plugdb {
class Config;
}

namespace plugdb::detail {

using Clock = std::chrono::steady_clock;

// Defaults: the settings table's pool.* keys. A zero duration or count means
// unlimited for maxOpen, maxLifetime and maxIdleTime, keep none for maxIdle
// and do not wait for acquireTimeout.
struct PoolSettings {
    int maxOpen = settings::defaultInteger("pool.max_open");
    int maxIdle = settings::defaultInteger("pool.max_idle");
    std::chrono::milliseconds maxLifetime = settings::defaultDuration("pool.max_lifetime");
    std::chrono::milliseconds maxIdleTime = settings::defaultDuration("pool.max_idle_time");
    std::chrono::milliseconds acquireTimeout = settings::defaultDuration("pool.acquire_timeout");
    // An idle connection unused for longer is pinged before it is handed out.
    std::chrono::milliseconds pingIdleAfter = settings::defaultDuration("pool.ping_idle_after");

    // From pool.* keys; throws plugdb::Error (config) for values out of range.
    static PoolSettings fromConfig(const Config& config);
};

struct NamedStatementCache;

// A borrowed connection and when it was opened (for max_lifetime).
struct PooledConnection {
    std::unique_ptr<Connection> connection;
    Clock::time_point openedAt;
    // Its prepared named queries; declared after the connection, so destroyed
    // first (close() too).
    std::shared_ptr<NamedStatementCache> namedStatements;
    void close() {
        namedStatements.reset();
        connection.reset();
    }
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
