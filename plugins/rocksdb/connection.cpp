#include "connection.h"

#include <rocksdb/version.h>
#include <rocksdb/write_batch.h>

#include <mutex>
#include <shared_mutex>

#include "cursor.h"
#include "error.h"

namespace plugdb::rocks {
namespace {

// RocksDB's FAQ recommends keys up to 8 MB and values up to 3 GB (a length is
// a 32-bit varint in the WAL). Values stop at 64 MiB instead: that is the
// default memtable (write_buffer_size), so a larger value would fill one on its
// own and force a flush per write, and each passes through core in memory.
constexpr KvLimits kLimits{8ull << 20, 64ull << 20};

}  // namespace

RocksConnection::RocksConnection(std::shared_ptr<Store> store, const Settings& settings)
    : store_(std::move(store)),
      db_(store_->db()),
      readOnly_(settings.readOnly || store_->readOnly()) {
    writeOptions_.sync = settings.sync;
}

RocksConnection::~RocksConnection() {
    if (snapshot_ != nullptr) db_.ReleaseSnapshot(snapshot_);
}

std::unique_ptr<Statement> RocksConnection::prepare(std::string_view) {
    throw sqlRefused("SQL");
}

void RocksConnection::executeScript(std::string_view) {
    throw sqlRefused("SQL");
}

void RocksConnection::begin() {
    throw sqlRefused("a SQL transaction");
}

void RocksConnection::commit() {
    throw sqlRefused("a SQL transaction");
}

void RocksConnection::rollback() {}

// A read proves the handle works; RocksDB has no connection to lose.
void RocksConnection::ping() {
    std::string ignored;
    const ::rocksdb::Status status =
        db_.Get(::rocksdb::ReadOptions(), db_.DefaultColumnFamily(), "", &ignored);
    if (!status.ok() && !status.IsNotFound())
        throw statusError(status, "ping of " + store_->path());
}

std::string RocksConnection::serverVersion() {
    return "RocksDB " + ::rocksdb::GetRocksVersionAsString();
}

KvLimits RocksConnection::kvLimits() const {
    return kLimits;
}

std::string RocksConnection::where(std::string_view ns) const {
    return "namespace " + std::string(ns) + " of " + store_->path();
}

void RocksConnection::refuseWrites(std::string_view ns) const {
    if (readOnly_)
        throw Error(ErrorCategory::Permission,
                    "rocksdb: cannot write to " + where(ns) + ": it is open read-only",
                    pluginDetails());
}

std::optional<std::string> RocksConnection::kvGet(std::string_view ns, std::string_view key) {
    ::rocksdb::ColumnFamilyHandle* family = store_->find(ns);
    if (family == nullptr) return std::nullopt;
    ::rocksdb::ReadOptions options;
    options.snapshot = snapshot_;
    std::string value;
    const ::rocksdb::Status status = db_.Get(options, family, key, &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) throw statusError(status, "reading " + where(ns));
    return value;
}

void RocksConnection::write(::rocksdb::WriteBatch& batch, std::string_view ns) {
    std::shared_lock gate(store_->writeGate());
    const ::rocksdb::Status status = db_.Write(writeOptions_, &batch);
    if (!status.ok()) throw statusError(status, "writing " + where(ns));
}

void RocksConnection::kvApply(std::span<const KvWrite> writes) {
    if (writes.empty()) return;
    refuseWrites(writes.front().ns);
    // Sized up front: a record is a tag, a column family id and two lengths
    // (varints, at most 5 bytes each) besides the bytes, after a 12-byte header.
    std::size_t bytes = 12;
    for (const KvWrite& w : writes) bytes += 16 + w.key.size() + w.value.size();
    ::rocksdb::WriteBatch batch(bytes);
    // Batches mostly write one namespace: look its family up once per run of it.
    std::string_view lastNs;
    ::rocksdb::ColumnFamilyHandle* family = nullptr;
    for (const KvWrite& w : writes) {
        if (family == nullptr || w.ns != lastNs) {
            family = w.kind == KvWrite::Kind::Put ? store_->findOrCreate(w.ns) : store_->find(w.ns);
            lastNs = w.ns;
        }
        ::rocksdb::Status status;
        if (w.kind == KvWrite::Kind::Put) {
            status = batch.Put(family, w.key, w.value);
        } else if (family != nullptr) {
            status = batch.Delete(family, w.key);
        }  // erasing from a namespace that does not exist changes nothing
        if (!status.ok()) throw statusError(status, "preparing a write to " + where(w.ns));
    }
    if (batch.Count() > 0) write(batch, writes.front().ns);
}

bool RocksConnection::kvCompareAndSet(std::string_view ns, std::string_view key,
                                      const std::optional<std::string>& expected,
                                      const std::optional<std::string>& desired) {
    refuseWrites(ns);
    std::unique_lock gate(store_->writeGate());
    ::rocksdb::ColumnFamilyHandle* family = store_->find(ns);
    std::optional<std::string> current;
    if (family != nullptr) {
        std::string value;  // the latest value, whatever snapshot this connection holds
        const ::rocksdb::Status status = db_.Get(::rocksdb::ReadOptions(), family, key, &value);
        if (status.ok())
            current = std::move(value);
        else if (!status.IsNotFound())
            throw statusError(status, "reading " + where(ns));
    }
    if (current != expected) return false;
    ::rocksdb::Status status;
    if (desired)
        status = db_.Put(writeOptions_, family != nullptr ? family : store_->findOrCreate(ns), key,
                         *desired);
    else if (current)
        status = db_.Delete(writeOptions_, family, key);
    if (!status.ok()) throw statusError(status, "writing " + where(ns));
    return true;
}

std::unique_ptr<KvCursor> RocksConnection::kvScan(std::string_view ns, const KvBounds& bounds) {
    ::rocksdb::ColumnFamilyHandle* family = store_->find(ns);
    if (family == nullptr || (bounds.end && bounds.begin >= *bounds.end))
        return std::make_unique<EmptyCursor>();
    return std::make_unique<RocksCursor>(db_, family, snapshot_, bounds, where(ns));
}

void RocksConnection::kvBeginSnapshot() {
    if (snapshot_ != nullptr) db_.ReleaseSnapshot(snapshot_);
    snapshot_ = db_.GetSnapshot();
}

void RocksConnection::kvEndSnapshot() {
    if (snapshot_ != nullptr) db_.ReleaseSnapshot(snapshot_);
    snapshot_ = nullptr;
}

}  // namespace plugdb::rocks
