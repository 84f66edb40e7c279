// The migration lock on a key-value engine: a lease key, the key-value form
// of the lease table (lock.h). Private to the migration engine.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "plugdb/database.h"
#include "plugdb/migrate.h"

namespace plugdb::migrate {

// "<migrations.table>/lock" in the reserved namespace (kv_history.h) holds
// {"owner", "expires_at"} as JSON. It is taken with putIfAbsent; a lease past
// its expiry (its migrator died) is taken over with compareAndSet against the
// value read, so of two migrators taking it over one wins. A heartbeat thread
// extends it with compareAndSet against the value it last wrote; the
// destructor erases it only while it still holds that value.
class KvMigrationLock {
public:
    KvMigrationLock(Database& db, const Options& options);
    ~KvMigrationLock();
    KvMigrationLock(const KvMigrationLock&) = delete;
    KvMigrationLock& operator=(const KvMigrationLock&) = delete;

private:
    bool tryLock();
    void heartbeat();
    std::string leaseValue(std::int64_t expiresAt) const;

    KeyValue kv_;
    std::string key_;
    std::string owner_;
    std::chrono::milliseconds lease_;
    std::string held_;  // the lease value last written by this migrator
    std::thread heartbeat_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;
};

}  // namespace plugdb::migrate
