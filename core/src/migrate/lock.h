// The migration lock: one migrator at a time per database and history table.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "plugdb/database.h"

namespace plugdb::migrate {

// PostgreSQL: pg_try_advisory_lock polled with backoff on a dedicated session
// (a blocking advisory lock would deadlock with CREATE INDEX CONCURRENTLY).
// MySQL/MariaDB: GET_LOCK polled on a dedicated session. Both are released by
// the server when the session ends, so a killed migrator leaves no stale lock.
// Engines without advisory locks (SQLite) get no global lock: each migration
// runs in an immediate (write-locking) transaction that re-reads the history.
class MigrationLock {
public:
    MigrationLock(Database& db, const std::string& table, std::chrono::milliseconds timeout,
                  const std::function<void(const std::string&)>& log);
    ~MigrationLock();
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

    // True when a server-side lock is held (false: per-transaction locking).
    bool global() const { return session_.has_value(); }

private:
    enum class Kind { None, Postgres, Mysql };
    Kind kind_ = Kind::None;
    std::optional<Session> session_;
    std::int64_t key_ = 0;
    std::string name_;
};

// Retries fn while the database reports a busy/locked condition (timeout or
// serialization category), with backoff, until `timeout` has passed.
template <class Fn>
auto retryWhileBusy(std::chrono::milliseconds timeout, Fn&& fn) -> decltype(fn());

}  // namespace plugdb::migrate

#include <thread>

namespace plugdb::migrate {
template <class Fn>
auto retryWhileBusy(std::chrono::milliseconds timeout, Fn&& fn) -> decltype(fn()) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto delay = std::chrono::milliseconds(20);
    for (;;) {
        try {
            return fn();
        } catch (const Error& e) {
            const bool busy = e.category() == ErrorCategory::Timeout ||
                              e.category() == ErrorCategory::Serialization;
            if (!busy || std::chrono::steady_clock::now() + delay > deadline) throw;
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }
}
}  // namespace plugdb::migrate
