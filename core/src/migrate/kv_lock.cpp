#include "kv_lock.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "kv_history.h"
#include "lock.h"
#include "plugdb/backoff.h"
#include "plugdb/error.h"

namespace plugdb::migrate {
namespace {

struct Lease {
    std::string owner;
    std::int64_t expiresAt = 0;
};

// A value that is not a lease (written by hand) counts as expired, so it can be taken over.
Lease leaseOf(const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
        return {object->getValue<std::string>("owner"),
                object->getValue<Poco::Int64>("expires_at")};
    } catch (const Poco::Exception&) {
        return {};
    }
}

}  // namespace

KvMigrationLock::KvMigrationLock(Database& db, const Options& options)
    : kv_(detail::reservedKeyValue(db, kKvNamespace)),
      key_(options.table + "/lock"),
      owner_(leaseOwner()),
      lease_(options.lockLease) {
    const auto deadline = std::chrono::steady_clock::now() + options.lockTimeout;
    const Backoff backoff(std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
    bool told = false;
    for (int failures = 1; !tryLock(); ++failures) {
        const auto delay = backoff.delayBefore(failures, deadline);
        if (!delay) {
            std::string holder;
            if (auto current = kv_.get(key_)) holder = " (" + leaseOf(*current).owner + ")";
            throw Error(ErrorCategory::Timeout,
                        "another migrator" + holder + " holds the migration lock, key '" + key_ +
                            "' in namespace " + std::string(kKvNamespace) + "; gave up after " +
                            std::to_string(options.lockTimeout.count() / 1000) +
                            "s (migrations.lock_timeout)");
        }
        if (!told && options.log) options.log("waiting for another migrator to finish");
        told = true;
        std::this_thread::sleep_for(*delay);
    }
    heartbeat_ = std::thread([this] { heartbeat(); });
}

std::string KvMigrationLock::leaseValue(std::int64_t expiresAt) const {
    Poco::JSON::Object object;
    object.set("owner", owner_);
    object.set("expires_at", static_cast<Poco::Int64>(expiresAt));
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

bool KvMigrationLock::tryLock() {
    const std::int64_t now = nowMillis();
    const std::string value = leaseValue(now + lease_.count());
    if (kv_.putIfAbsent(key_, value)) {
        held_ = value;
        return true;
    }
    // Held: take it over only when its holder stopped renewing it.
    const auto current = kv_.get(key_);
    if (!current || leaseOf(*current).expiresAt >= now) return false;
    if (!kv_.compareAndSet(key_, current, value)) return false;
    held_ = value;
    return true;
}

void KvMigrationLock::heartbeat() {
    std::unique_lock lock(mutex_);
    while (!stop_.wait_for(lock, lease_ / 3, [&] { return stopping_; })) {
        try {
            const std::string renewed = leaseValue(nowMillis() + lease_.count());
            if (kv_.compareAndSet(key_, held_, renewed)) held_ = renewed;
        } catch (const Error&) {
            // A missed beat is retried on the next; the lease outlives three of them.
        }
    }
}

KvMigrationLock::~KvMigrationLock() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
    try {
        kv_.eraseIf(key_, held_);
    } catch (...) {
        // It expires on its own.
    }
}

}  // namespace plugdb::migrate
