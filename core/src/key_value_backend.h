// Where Database::kv() keeps its pairs: the engine itself (a connection that
// is a KeyValueStore) or core's table on a SQL engine. One backend works on
// one borrowed connection; the public API (key_value.h) talks only to this.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "database_core.h"
#include "lease.h"
#include "metrics.h"
#include "plugdb/key_value_store.h"
#include "plugdb/key_value_table.h"

namespace plugdb::detail {

// The key-value operations on one borrowed connection. Sizes and names are
// checked by the caller.
class KvBackend {
public:
    explicit KvBackend(std::shared_ptr<Lease> lease)
        : owner_(std::move(lease)), lease_(owner_.get()) {}
    // On a lease that outlives the backend (a point call's, on the stack):
    // no scans or snapshots then, since those keep the lease.
    explicit KvBackend(Lease& lease) : lease_(&lease) {}
    virtual ~KvBackend() = default;
    KvBackend(const KvBackend&) = delete;
    KvBackend& operator=(const KvBackend&) = delete;

    virtual std::optional<std::string> get(std::string_view ns, std::string_view key) = 0;
    // All or nothing.
    virtual void apply(std::span<const KvWrite> writes) = 0;
    // KeyValueStore::kvCompareAndSet's contract.
    virtual bool compareAndSet(std::string_view ns, std::string_view key,
                               const std::optional<std::string>& expected,
                               const std::optional<std::string>& desired) = 0;
    // Returns whether the key was there.
    virtual bool erase(std::string_view ns, std::string_view key) = 0;
    // A cursor that keeps this backend's connection (and snapshot) while open.
    virtual std::unique_ptr<KvCursor> scan(std::string_view ns, const KvBounds& bounds) = 0;
    virtual void beginSnapshot() = 0;
    virtual void endSnapshot() noexcept = 0;

    Lease& lease() { return *lease_; }

protected:
    std::shared_ptr<Lease> owner_;  // null on a borrowed lease
    Lease* lease_;
};

// The SQL statements of core's table, built once per database from the
// driver's KeyValueTable.
struct KvTableSql {
    std::string create;
    std::string probe;  // succeeds when the table exists
    std::string get;
    std::string upsert;
    std::string insert;
    std::string insertIfAbsent;  // empty: insert, refused by the primary key
    std::string insertHead;      // "INSERT INTO ... VALUES ": rows follow
    std::string upsertTail;      // after the rows: replaces an existing key's value
    std::string eraseIn;         // "DELETE ... WHERE ns = ? AND k IN (": keys and ")" follow
    std::string updateIf;
    std::string erase;
    std::string eraseIf;
    std::string table;     // quoted
    std::string ns, k, v;  // quoted column names
    KvLimits limits;
    std::optional<std::string> beginSnapshot;  // empty: Connection::begin()
};

// What one database's key-value side shares across its KeyValue objects.
struct KvShared {
    std::once_flag created;  // core's table, on SQL engines
    std::mutex mutex;        // guards limits until limitsKnown
    KvLimits limits;
    // Set once limits is written: read without the mutex from then on.
    std::atomic<bool> limitsKnown{false};
    // Whether the driver's connections are a KeyValueStore, once a first one
    // told: a SQL engine's point calls then skip the native attempt.
    std::atomic<bool> tableOnly{false};
    // The first KeyValueStore's class and where that base lies in it, set
    // once: a connection of that class needs no dynamic_cast (which costs a
    // fifth of core's share of a point call).
    std::atomic<const std::type_info*> storeClass{nullptr};
    std::ptrdiff_t storeOffset = 0;   // written before storeClass
    std::optional<KvTableSql> table;  // on a driver with a KeyValueTable
};

// A KeyValue's link to its database.
struct KvContext {
    std::shared_ptr<DatabaseCore> core;
    std::chrono::milliseconds timeout{0};
    std::shared_ptr<KvShared> shared;

    // Borrows a connection and the backend serving it.
    std::unique_ptr<KvBackend> open() const;
    // Runs fn(KvBackend&) on a borrowed connection: a point call, which keeps
    // nothing after it returns, so an engine's own store needs no allocation.
    template <class Fn>
    auto run(Fn&& fn) const -> decltype(fn(std::declval<KvBackend&>())) {
        using R = decltype(fn(std::declval<KvBackend&>()));
        if constexpr (std::is_void_v<R>) {
            runWith(
                [](void* f, KvBackend& b) { (*static_cast<std::remove_reference_t<Fn>*>(f))(b); },
                &fn);
        } else {
            std::optional<R> result;
            auto store = [&](KvBackend& b) { result.emplace(fn(b)); };
            runWith([](void* f, KvBackend& b) { (*static_cast<decltype(store)*>(f))(b); }, &store);
            return std::move(*result);
        }
    }
    // The limits in force (the first call may borrow a connection to ask the engine).
    KvLimits limits() const;
    Metrics& metrics() const { return core->metrics(); }

private:
    void runWith(void (*fn)(void*, KvBackend&), void* arg) const;
    void learnLimits(Lease& lease, KeyValueStore* store) const;
    KeyValueStore* storeOf(Connection& connection) const;
};

std::shared_ptr<KvContext> kvContextFor(const std::shared_ptr<DatabaseCore>& core,
                                        std::chrono::milliseconds timeout);

std::unique_ptr<KvBackend> nativeKvBackend(std::shared_ptr<Lease> lease, KeyValueStore& store);
// Runs fn on a native backend over `lease`, built on the stack.
void withNativeKvBackend(Lease& lease, KeyValueStore& store, void (*fn)(void*, KvBackend&),
                         void* arg);
std::unique_ptr<KvBackend> tableKvBackend(std::shared_ptr<Lease> lease, const KvTableSql& sql,
                                          std::once_flag& created);
KvTableSql kvTableSql(const KeyValueTable& table, const DatabaseCore& core);

// Records a key-value operation's latency when it goes out of scope.
class KvTimer {
public:
    KvTimer(Metrics& metrics, Operation operation)
        : metrics_(metrics), operation_(operation), start_(std::chrono::steady_clock::now()) {}
    ~KvTimer() { metrics_.recordLatency(operation_, std::chrono::steady_clock::now() - start_); }
    KvTimer(const KvTimer&) = delete;
    KvTimer& operator=(const KvTimer&) = delete;

private:
    Metrics& metrics_;
    Operation operation_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace plugdb::detail
