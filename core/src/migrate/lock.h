// The migration lock: one migrator at a time per database and history table.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "plugdb/backoff.h"
#include "plugdb/database.h"
#include "plugdb/migrate.h"

namespace plugdb::migrate {

// migrations.lock = auto picks, from the driver's data (sql_dialect.h) and
// capabilities, never from its name:
// - advisory_locks and SqlDialect::advisoryLock statements (PostgreSQL's
//   pg_try_advisory_lock, MySQL's GET_LOCK): the try-lock statement polled
//   with backoff on a dedicated session (a blocking lock would deadlock with
//   CREATE INDEX CONCURRENTLY); the server releases it when the session ends,
//   so a killed migrator leaves no stale lock;
// - transactional DDL and SqlDialect::writeTransactionLocksDatabase (SQLite):
//   no lock of its own; each migration runs in a write transaction that locks
//   the database and re-reads the history;
// - anything else, a driver without a SqlDialect included: the lease table.
// ownLock (code migrations with key-value steps, whose batch no write
// transaction of the migrator covers) turns the second case into the lease table.
// migrations.lock = table forces the lease table: a row in <table>_lock with an
// owner and an expiry that a heartbeat thread extends; an expired lease (its
// migrator died) is taken over. For servers where session locks do not hold
// (PgBouncer transaction pooling).
class MigrationLock {
public:
    MigrationLock(Database& db, const Options& options, bool ownLock = false);
    ~MigrationLock();
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

private:
    enum class Kind { None, Advisory, Lease };
    bool tryLock();
    bool tryLease();
    void heartbeat();

    Database& db_;
    Kind kind_ = Kind::None;
    std::optional<Session> session_;
    SqlDialect::AdvisoryLock advisory_;
    Value key_;         // the advisory lock's bound key
    std::string name_;  // the lease table (quoted)
    std::string owner_;
    std::chrono::milliseconds lease_{};
    std::thread heartbeat_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;
};

// Who holds a lease: "host pid N uuid", unique to this migrator.
std::string leaseOwner();
// Wall-clock milliseconds since the epoch, for lease expiries other processes read.
std::int64_t nowMillis();

// Retries fn while the database reports a busy/locked condition (timeout or
// serialization category), with backoff, until `timeout` has passed.
template <class Fn>
auto retryWhileBusy(std::chrono::milliseconds timeout, Fn&& fn) -> decltype(fn()) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const Backoff backoff(std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
    for (int failures = 1;; ++failures) {
        std::optional<std::chrono::milliseconds> delay;
        try {
            return fn();
        } catch (const Error& e) {
            const bool busy = e.category() == ErrorCategory::Timeout ||
                              e.category() == ErrorCategory::Serialization;
            delay = backoff.delayBefore(failures, deadline);
            if (!busy || !delay) throw;
        }
        std::this_thread::sleep_for(*delay);
    }
}

}  // namespace plugdb::migrate
