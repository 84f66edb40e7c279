#include "lock.h"

#include <unistd.h>

#include "plugdb/sql.h"
#include "plugdb/uuid.h"

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

std::int64_t nowMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string leaseOwner() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(host) + " pid " + std::to_string(getpid()) + " " + newUuidV7();
}

MigrationLock::MigrationLock(Database& db, const Options& options, bool ownLock) : db_(db) {
    const std::string& driver = db.info().driver;
    const std::optional<SqlDialect>& dialect = db.info().sqlDialect;
    const bool advisory =
        db.has(kCapAdvisoryLocks) && dialect && !dialect->advisoryLock.tryLock.empty();
    const bool ownTransaction =
        db.has(kCapTransactionalDdl) && dialect && dialect->writeTransactionLocksDatabase;
    if (options.lock == "table") {
        kind_ = Kind::Lease;
    } else if (options.lock == "auto" || options.lock.empty()) {
        kind_ = advisory ? Kind::Advisory : ownTransaction && !ownLock ? Kind::None : Kind::Lease;
    } else {
        throw Error(ErrorCategory::Config,
                    "migrations.lock is '" + options.lock + "'; use auto or table");
    }
    if (kind_ == Kind::None) return;
    // The lock's session (or the lease's heartbeat) and the migration each hold a connection.
    if (db.poolStats().maxOpenConnections == 1)
        throw Error(ErrorCategory::Config,
                    "migrations on " + driver +
                        " need two connections, one holding the migration lock; "
                        "pool.max_open is 1");

    if (kind_ == Kind::Lease) {
        name_ = sql::quoteIdentifier(options.table + "_lock", db.dialect());
        lease_ = options.lockLease;
        owner_ = leaseOwner();
        const std::string create = "CREATE TABLE IF NOT EXISTS " + name_ +
                                   " (id INTEGER NOT NULL PRIMARY KEY, owner VARCHAR(255) NOT "
                                   "NULL, expires_at BIGINT NOT NULL)";
        retryWhileBusy(options.lockTimeout, [&] {
            try {
                db_.exec(create);
            } catch (const Error&) {
                // First migrators racing to create it: the loser fails in an
                // engine's own way (a duplicate catalog key, "relation already
                // exists"). The table exists now, so this is a
                // no-op; any other failure repeats and surfaces.
                db_.exec(create);
            }
        });
    } else {
        session_.emplace(db.session());
        advisory_ = dialect->advisoryLock;
        // Assigned in branches: GCC 12's -O3 reports a false -Wfree-nonheap-object
        // for a conditional expression of two Value temporaries.
        if (advisory_.key == SqlDialect::AdvisoryLock::Key::Text)
            key_ = Value(options.table);
        else
            key_ = Value(lockKey("plugdb migrations " + options.table));
    }

    const auto deadline = std::chrono::steady_clock::now() + options.lockTimeout;
    const Backoff backoff(std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
    bool told = false;
    for (int failures = 1; !tryLock(); ++failures) {
        const auto delay = backoff.delayBefore(failures, deadline);
        if (!delay) {
            session_.reset();
            std::string holder;
            if (kind_ == Kind::Lease) {
                auto rows = db_.query("SELECT owner FROM " + name_ + " WHERE id = 1");
                if (rows.next()) holder = " (" + rows.getText(0) + ")";
            }
            throw Error(ErrorCategory::Timeout,
                        "another migrator" + holder + " holds the migration lock for table '" +
                            options.table + "'; gave up after " +
                            std::to_string(options.lockTimeout.count() / 1000) +
                            "s (migrations.lock_timeout)");
        }
        if (!told && options.log) options.log("waiting for another migrator to finish");
        told = true;
        std::this_thread::sleep_for(*delay);
    }
    if (kind_ == Kind::Lease) heartbeat_ = std::thread([this] { heartbeat(); });
}

bool MigrationLock::tryLock() {
    if (kind_ == Kind::Lease) return tryLease();
    auto rows = session_->query(advisory_.tryLock, {key_});
    return rows.next() && !rows.isNull(0) && rows.getInt(0) == 1;  // true or 1: taken
}

bool MigrationLock::tryLease() {
    const std::int64_t now = nowMillis();
    try {
        db_.exec("INSERT INTO " + name_ + " (id, owner, expires_at) VALUES (1, ?, ?)",
                 {owner_, now + lease_.count()});
        return true;
    } catch (const Error& e) {
        if (e.category() != ErrorCategory::UniqueViolation) throw;
    }
    // Held: take it over only when its holder stopped renewing it.
    return db_.exec("UPDATE " + name_ +
                        " SET owner = ?, expires_at = ? WHERE id = 1 AND expires_at < ?",
                    {owner_, now + lease_.count(), now})
               .rowsAffected == 1;
}

void MigrationLock::heartbeat() {
    std::unique_lock lock(mutex_);
    while (!stop_.wait_for(lock, lease_ / 3, [&] { return stopping_; })) {
        try {
            db_.exec("UPDATE " + name_ + " SET expires_at = ? WHERE id = 1 AND owner = ?",
                     {nowMillis() + lease_.count(), owner_});
        } catch (const Error&) {
            // A missed beat is retried on the next; the lease outlives three of them.
        }
    }
}

MigrationLock::~MigrationLock() {
    if (kind_ == Kind::Lease) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        stop_.notify_all();
        if (heartbeat_.joinable()) heartbeat_.join();
        try {
            db_.exec("DELETE FROM " + name_ + " WHERE id = 1 AND owner = ?", {owner_});
        } catch (...) {
            // It expires on its own.
        }
        return;
    }
    if (!session_) return;
    try {
        if (!advisory_.unlock.empty()) session_->query(advisory_.unlock, {key_}).next();
    } catch (...) {
        // The server releases the lock when the session closes anyway.
    }
}

}  // namespace plugdb::migrate
