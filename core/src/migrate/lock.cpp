#include "lock.h"

#include <thread>

namespace plugdb::migrate {
namespace {

// FNV-1a: a stable 64-bit advisory lock key for the history table's name.
std::int64_t lockKey(const std::string& text) {
    std::uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return static_cast<std::int64_t>(hash);
}

}  // namespace

MigrationLock::MigrationLock(Database& db, const std::string& table,
                             std::chrono::milliseconds timeout,
                             const std::function<void(const std::string&)>& log) {
    const std::string& driver = db.info().driver;
    if (!db.has(kCapAdvisoryLocks)) return;
    if (driver == "postgres") {
        kind_ = Kind::Postgres;
    } else if (driver == "mysql") {
        kind_ = Kind::Mysql;
    } else {
        return;
    }
    session_.emplace(db.session());
    if (kind_ == Kind::Postgres) {
        key_ = lockKey("plugdb migrations " + table);
    } else {
        // GET_LOCK names are server-wide: qualify with the database, hash to fit 64 characters.
        auto rows = session_->query(
            "SELECT CONCAT('plugdb_migrate:', LEFT(SHA2(CONCAT(DATABASE(), '.', ?), 256), 40))",
            {table});
        rows.next();
        name_ = rows.getText(0);
    }
    auto tryLock = [&] {
        auto rows = kind_ == Kind::Postgres
                        ? session_->query("SELECT pg_try_advisory_lock(?)", {key_})
                        : session_->query("SELECT COALESCE(GET_LOCK(?, 0), 0)", {name_});
        rows.next();
        return kind_ == Kind::Postgres ? rows.getBool(0) : rows.getInt(0) == 1;
    };
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto delay = std::chrono::milliseconds(50);
    bool told = false;
    while (!tryLock()) {
        if (std::chrono::steady_clock::now() + delay > deadline) {
            session_.reset();
            throw Error(ErrorCategory::Timeout,
                        "another migrator holds the migration lock for table '" + table +
                            "'; gave up after " + std::to_string(timeout.count() / 1000) +
                            "s (migrations.lock_timeout)");
        }
        if (!told && log) log("waiting for another migrator to finish");
        told = true;
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }
}

MigrationLock::~MigrationLock() {
    if (!session_) return;
    try {
        if (kind_ == Kind::Postgres)
            session_->query("SELECT pg_advisory_unlock(?)", {key_}).next();
        else
            session_->query("SELECT RELEASE_LOCK(?)", {name_}).next();
    } catch (...) {
        // The server releases the lock when the session closes anyway.
    }
}

}  // namespace plugdb::migrate
