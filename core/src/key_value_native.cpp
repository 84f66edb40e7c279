// The backend of an engine whose connections are a KeyValueStore: every call
// goes to the engine, through the lease (timeouts, a broken connection retired).
#include <utility>

#include "key_value_backend.h"

namespace plugdb::detail {
namespace {

// The engine's cursor, with the connection it reads kept borrowed.
class NativeCursor final : public KvCursor {
public:
    NativeCursor(std::shared_ptr<Lease> lease, std::unique_ptr<KvCursor> cursor)
        : lease_(std::move(lease)), cursor_(std::move(cursor)) {}
    bool next() override {
        return lease_->call([&] { return cursor_->next(); });
    }
    std::string_view key() const override { return cursor_->key(); }
    std::string_view value() const override { return cursor_->value(); }

private:
    std::shared_ptr<Lease> lease_;      // declared first: outlives the cursor
    std::unique_ptr<KvCursor> cursor_;  // destroyed before the connection
};

class NativeBackend final : public KvBackend {
public:
    NativeBackend(std::shared_ptr<Lease> lease, KeyValueStore& store)
        : KvBackend(std::move(lease)), store_(store) {}
    NativeBackend(Lease& lease, KeyValueStore& store) : KvBackend(lease), store_(store) {}

    std::optional<std::string> get(std::string_view ns, std::string_view key) override {
        return lease_->call([&] { return store_.kvGet(ns, key); });
    }

    void apply(std::span<const KvWrite> writes) override {
        lease_->call([&] { store_.kvApply(writes); });
    }

    bool compareAndSet(std::string_view ns, std::string_view key,
                       const std::optional<std::string>& expected,
                       const std::optional<std::string>& desired) override {
        return lease_->call([&] { return store_.kvCompareAndSet(ns, key, expected, desired); });
    }

    // The store has no erase that reports; a compare-and-set on the value
    // just read tells, and retries when another writer came between.
    bool erase(std::string_view ns, std::string_view key) override {
        for (;;) {
            const auto current = get(ns, key);
            if (!current) return false;
            if (compareAndSet(ns, key, current, std::nullopt)) return true;
        }
    }

    std::unique_ptr<KvCursor> scan(std::string_view ns, const KvBounds& bounds) override {
        if (!owner_)
            throw Error(ErrorCategory::Other, "internal: a scan on a point call's backend");
        auto cursor = lease_->call([&] { return store_.kvScan(ns, bounds); });
        return std::make_unique<NativeCursor>(owner_, std::move(cursor));
    }

    // Marked as a transaction meanwhile: a connection whose snapshot could
    // not be ended is retired rather than pooled.
    void beginSnapshot() override {
        lease_->call([&] { store_.kvBeginSnapshot(); });
        lease_->setInTransaction(true);
    }

    void endSnapshot() noexcept override {
        try {
            lease_->call([&] { store_.kvEndSnapshot(); });
            lease_->setInTransaction(false);
        } catch (...) {
        }
    }

private:
    KeyValueStore& store_;  // the lease's connection
};

}  // namespace

std::unique_ptr<KvBackend> nativeKvBackend(std::shared_ptr<Lease> lease, KeyValueStore& store) {
    return std::make_unique<NativeBackend>(std::move(lease), store);
}

void withNativeKvBackend(Lease& lease, KeyValueStore& store, void (*fn)(void*, KvBackend&),
                         void* arg) {
    NativeBackend backend(lease, store);
    fn(arg, backend);
}

}  // namespace plugdb::detail
