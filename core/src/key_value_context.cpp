#include <map>
#include <utility>

#include "key_value_backend.h"
#include "plugdb/error.h"

namespace plugdb::detail {
namespace {

// One KvShared per open database, so its table is created once and its
// statements built once, however many KeyValue views are made.
std::shared_ptr<KvShared> sharedFor(const std::shared_ptr<DatabaseCore>& core) {
    static std::mutex mutex;
    static std::map<std::weak_ptr<DatabaseCore>, std::shared_ptr<KvShared>,
                    std::owner_less<std::weak_ptr<DatabaseCore>>>
        byCore;
    const std::lock_guard lock(mutex);
    const auto found = byCore.find(core);
    if (found != byCore.end()) return found->second;
    std::erase_if(byCore, [](const auto& entry) { return entry.first.expired(); });
    auto shared = std::make_shared<KvShared>();
    if (const auto* provider = dynamic_cast<const KeyValueTableProvider*>(&core->driver()))
        shared->table = kvTableSql(provider->keyValueTable(), *core);
    byCore.emplace(core, shared);
    return shared;
}

}  // namespace

std::shared_ptr<KvContext> kvContextFor(const std::shared_ptr<DatabaseCore>& core,
                                        std::chrono::milliseconds timeout) {
    auto context = std::make_shared<KvContext>();
    context->core = core;
    context->timeout = timeout;
    context->shared = sharedFor(core);
    return context;
}

// Limits are written once, under the mutex; readers after limitsKnown need no lock.
void KvContext::learnLimits(Lease& lease, KeyValueStore* store) const {
    if (shared->limitsKnown.load(std::memory_order_acquire)) return;
    const std::lock_guard lock(shared->mutex);
    if (shared->limitsKnown.load(std::memory_order_relaxed)) return;
    shared->limits = store ? lease.call([&] { return store->kvLimits(); }) : shared->table->limits;
    shared->limitsKnown.store(true, std::memory_order_release);
}

// An object's base lies at the same offset in every object of its class.
KeyValueStore* KvContext::storeOf(Connection& connection) const {
    const std::type_info& type = typeid(connection);
    if (const std::type_info* known = shared->storeClass.load(std::memory_order_acquire);
        known != nullptr && *known == type)
        return reinterpret_cast<KeyValueStore*>(reinterpret_cast<char*>(&connection) +
                                                shared->storeOffset);
    auto* store = dynamic_cast<KeyValueStore*>(&connection);
    if (store != nullptr && shared->storeClass.load(std::memory_order_acquire) == nullptr) {
        const std::lock_guard lock(shared->mutex);
        if (shared->storeClass.load(std::memory_order_relaxed) == nullptr) {
            shared->storeOffset =
                reinterpret_cast<char*>(store) - reinterpret_cast<char*>(&connection);
            shared->storeClass.store(&type, std::memory_order_release);
        }
    }
    return store;
}

namespace {
void requireTable(const KvShared& shared, const DatabaseCore& core) {
    if (!shared.table)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + core.info().driver +
                        "' has no key-value API: its connections are not a KeyValueStore "
                        "(key_value_store.h) and it reports no KeyValueTable for core's table "
                        "(key_value_table.h)");
}
}  // namespace

std::unique_ptr<KvBackend> KvContext::open() const {
    auto lease = std::make_shared<Lease>(core, timeout);
    if (!shared->tableOnly.load(std::memory_order_relaxed)) {
        if (auto* store = storeOf(lease->connection())) {
            learnLimits(*lease, store);
            return nativeKvBackend(std::move(lease), *store);
        }
        shared->tableOnly.store(true, std::memory_order_relaxed);
    }
    requireTable(*shared, *core);
    learnLimits(*lease, nullptr);
    return tableKvBackend(std::move(lease), *shared->table, shared->created);
}

// A native backend's point call borrows on the stack: no lease or backend on
// the heap. The table's backend hands its lease to rows, so it keeps open().
void KvContext::runWith(void (*fn)(void*, KvBackend&), void* arg) const {
    if (!shared->tableOnly.load(std::memory_order_relaxed)) {
        Lease lease(core, timeout);
        if (auto* store = storeOf(lease.connection())) {
            learnLimits(lease, store);
            withNativeKvBackend(lease, *store, fn, arg);
            return;
        }
        shared->tableOnly.store(true, std::memory_order_relaxed);
    }
    fn(arg, *open());
}

KvLimits KvContext::limits() const {
    if (!shared->limitsKnown.load(std::memory_order_acquire)) open();  // learns them
    return shared->limits;
}

}  // namespace plugdb::detail
