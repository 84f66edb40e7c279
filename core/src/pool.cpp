#include "pool.h"

#include <algorithm>

#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/settings.h"

namespace plugdb::detail {
namespace {

std::string describeSize(int maxOpen) {
    return maxOpen == 0 ? "unlimited" : std::to_string(maxOpen);
}

}  // namespace

PoolSettings PoolSettings::fromConfig(const Config& config) {
    PoolSettings s;
    s.maxOpen = settings::integer(config, "pool.max_open");
    s.maxIdle = settings::integer(config, "pool.max_idle");
    if (s.maxOpen > 0) s.maxIdle = std::min(s.maxIdle, s.maxOpen);  // as database/sql does
    s.maxLifetime = settings::duration(config, "pool.max_lifetime");
    s.maxIdleTime = settings::duration(config, "pool.max_idle_time");
    s.acquireTimeout = settings::duration(config, "pool.acquire_timeout");
    s.pingIdleAfter = settings::duration(config, "pool.ping_idle_after");
    return s;
}

ConnectionPool::ConnectionPool(PoolSettings settings, Connect connect)
    : settings_(settings), connect_(std::move(connect)) {
    stats_.maxOpenConnections = settings_.maxOpen;
    if (settings_.maxLifetime.count() > 0 || settings_.maxIdleTime.count() > 0)
        cleaner_ = std::jthread([this](std::stop_token stop) { cleanLoop(stop); });
}

ConnectionPool::~ConnectionPool() {
    if (cleaner_.joinable()) {
        cleaner_.request_stop();
        cleaner_.join();
    }
    std::deque<Idle> idle;
    {
        std::lock_guard lock(mutex_);
        idle.swap(idle_);
    }
    // Connections still borrowed keep the pool's Database alive, so none are out now.
}

bool ConnectionPool::lifetimeOver(const PooledConnection& pooled, Clock::time_point now) const {
    return settings_.maxLifetime.count() > 0 && now - pooled.openedAt >= settings_.maxLifetime;
}

std::vector<PooledConnection> ConnectionPool::takeExpiredLocked(Clock::time_point now) {
    std::vector<PooledConnection> expired;
    for (auto it = idle_.begin(); it != idle_.end();) {
        if (lifetimeOver(it->pooled, now)) {
            ++stats_.maxLifetimeClosed;
        } else if (settings_.maxIdleTime.count() > 0 &&
                   now - it->idleSince >= settings_.maxIdleTime) {
            ++stats_.maxIdleTimeClosed;
        } else {
            ++it;
            continue;
        }
        expired.push_back(std::move(it->pooled));
        it = idle_.erase(it);
        --open_;
        ++stats_.closed;
    }
    if (!expired.empty()) released_.notify_all();  // room to open new ones
    return expired;
}

PooledConnection ConnectionPool::acquire(std::optional<std::chrono::milliseconds> maxWait) {
    const auto start = Clock::now();
    const bool ownLimit = maxWait && *maxWait < settings_.acquireTimeout;
    const auto wait = ownLimit ? *maxWait : settings_.acquireTimeout;
    const auto deadline = start + wait;
    bool waited = false;
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto now = Clock::now();
        std::vector<PooledConnection> expired = takeExpiredLocked(now);
        if (!idle_.empty()) {
            Idle candidate = std::move(idle_.back());
            idle_.pop_back();
            if (waited) {
                ++stats_.waitCount;
                stats_.waitDuration += Clock::now() - start;
            }
            const bool check = now - candidate.idleSince >= settings_.pingIdleAfter;
            lock.unlock();
            expired.clear();  // closes them, outside the lock
            if (!check) return std::move(candidate.pooled);
            try {
                candidate.pooled.connection->ping();
                return std::move(candidate.pooled);
            } catch (const std::exception&) {
                // Closed by the server or the network while idle: drop it, try again.
                candidate.pooled.close();
                lock.lock();
                --open_;
                ++stats_.closed;
                ++stats_.brokenClosed;
                released_.notify_one();
                continue;
            }
        }
        if (settings_.maxOpen == 0 || open_ < settings_.maxOpen) {
            ++open_;  // reserves the slot while connecting
            if (waited) {
                ++stats_.waitCount;
                stats_.waitDuration += Clock::now() - start;
            }
            lock.unlock();
            expired.clear();
            try {
                PooledConnection fresh{connect_(), Clock::now(), nullptr};
                std::lock_guard relock(mutex_);
                ++stats_.created;
                return fresh;
            } catch (...) {
                std::lock_guard relock(mutex_);
                --open_;
                released_.notify_one();
                throw;
            }
        }
        if (!expired.empty()) {  // close outside the lock, then look again
            lock.unlock();
            expired.clear();
            lock.lock();
            continue;
        }
        waited = true;
        if (released_.wait_until(lock, deadline) == std::cv_status::timeout &&
            Clock::now() >= deadline) {
            ++stats_.waitCount;
            stats_.waitDuration += Clock::now() - start;
            ++stats_.acquireTimeouts;
            throw Error(ErrorCategory::Timeout,
                        "connection pool exhausted: all " + describeSize(settings_.maxOpen) +
                            " connections (pool.max_open) stayed in use for " +
                            std::to_string(wait.count()) +
                            (ownLimit ? " ms" : " ms (pool.acquire_timeout)"));
        }
    }
}

void ConnectionPool::release(PooledConnection pooled, bool reusable) {
    if (!pooled) return;
    const auto now = Clock::now();
    std::unique_lock lock(mutex_);
    if (reusable && !lifetimeOver(pooled, now) &&
        static_cast<int>(idle_.size()) < settings_.maxIdle) {
        idle_.push_back({std::move(pooled), now});
        released_.notify_one();
        return;
    }
    if (!reusable)
        ++stats_.brokenClosed;
    else if (lifetimeOver(pooled, now))
        ++stats_.maxLifetimeClosed;
    else
        ++stats_.maxIdleClosed;
    --open_;
    ++stats_.closed;
    released_.notify_one();
    lock.unlock();
    pooled.close();  // may talk to the server: outside the lock
}

PoolStats ConnectionPool::stats() const {
    std::lock_guard lock(mutex_);
    PoolStats s = stats_;
    s.openConnections = open_;
    s.idle = static_cast<int>(idle_.size());
    s.inUse = open_ - s.idle;
    return s;
}

// Closes idle connections as they pass max_idle_time or max_lifetime, even
// when nobody borrows: checks as often as the shorter limit, at most once a second.
void ConnectionPool::cleanLoop(std::stop_token stop) {
    using std::chrono::milliseconds;
    milliseconds interval = milliseconds::max();
    for (milliseconds limit : {settings_.maxLifetime, settings_.maxIdleTime})
        if (limit.count() > 0) interval = std::min(interval, limit);
    interval = std::max(interval, milliseconds(1000));
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        cleanerWake_.wait_for(lock, stop, interval, [] { return false; });
        if (stop.stop_requested()) break;
        std::vector<PooledConnection> expired = takeExpiredLocked(Clock::now());
        lock.unlock();
        expired.clear();
        lock.lock();
    }
}

}  // namespace plugdb::detail
