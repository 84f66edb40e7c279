// A connection to a RocksDB store: the key-value interface on the shared
// handle, SQL refused.
#pragma once

#include <rocksdb/db.h>

#include <memory>

#include "plugdb/driver.h"
#include "plugdb/key_value_store.h"
#include "settings.h"
#include "store.h"

namespace plugdb::rocks {

class RocksConnection final : public Connection, public KeyValueStore {
public:
    RocksConnection(std::shared_ptr<Store> store, const Settings& settings);
    ~RocksConnection() override;
    RocksConnection(const RocksConnection&) = delete;
    RocksConnection& operator=(const RocksConnection&) = delete;

    // SQL: refused with the sentence naming the commands that apply.
    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void executeScript(std::string_view sql) override;
    // No SQL transactions (no kCapTransactions): atomic write batches take
    // their place. rollback() has nothing to undo and succeeds.
    void begin() override;
    void commit() override;
    void rollback() override;
    void ping() override;
    std::string serverVersion() override;

    KvLimits kvLimits() const override;
    std::optional<std::string> kvGet(std::string_view ns, std::string_view key) override;
    void kvApply(std::span<const KvWrite> writes) override;
    bool kvCompareAndSet(std::string_view ns, std::string_view key,
                         const std::optional<std::string>& expected,
                         const std::optional<std::string>& desired) override;
    std::unique_ptr<KvCursor> kvScan(std::string_view ns, const KvBounds& bounds) override;
    void kvBeginSnapshot() override;
    void kvEndSnapshot() override;

private:
    // "namespace <ns> of <path>", for error messages.
    std::string where(std::string_view ns) const;
    void refuseWrites(std::string_view ns) const;
    void write(::rocksdb::WriteBatch& batch, std::string_view ns);

    std::shared_ptr<Store> store_;
    ::rocksdb::DB& db_;
    ::rocksdb::WriteOptions writeOptions_;
    bool readOnly_;
    const ::rocksdb::Snapshot* snapshot_ = nullptr;
};

}  // namespace plugdb::rocks
