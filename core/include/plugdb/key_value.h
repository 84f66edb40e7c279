// The key-value API: Database::kv(namespace), the same on every engine.
//
// On a driver whose connections are key-value stores (key_value_store.h,
// e.g. rocksdb) the calls go to the engine; on a SQL engine core keeps the
// pairs in one table, plugdb_kv(ns, k, v), created on first use, with keys
// in a binary column so the order is byte order there too (the driver spells
// it: key_value_table.h). On a driver with neither, every call fails with
// unsupported.
//
// Keys and values are bytes held in std::string (any byte, 0x00 included).
// Keys order by unsigned byte comparison; a key sorts before every longer key
// it is a prefix of. An empty value is a value; an absent key is std::nullopt.
// Errors are plugdb::Error: invalid_argument for a key or value above the
// engine's limit (the message names the limit) or an empty key.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/key_value_store.h"

namespace plugdb {

class Database;
class KeyValue;

namespace detail {
struct KvContext;
struct KvScanState;
struct KvBatchState;
struct KvSnapshotState;
// A namespace core keeps for itself ("plugdb." prefix, e.g. the migration
// history on key-value engines); Database::kv() refuses those names.
KeyValue reservedKeyValue(Database& db, std::string_view ns);
}  // namespace detail

// A streamed scan, read forward once. Holds its connection until exhausted or
// destroyed; other writes may go on meanwhile (outside a snapshot the scan may
// or may not see them).
class KvScan {
public:
    KvScan(KvScan&&) noexcept;
    KvScan& operator=(KvScan&&) noexcept;
    ~KvScan();

    // Advances to the next pair; false at the end of the range or the limit.
    bool next();
    const std::string& key() const;
    const std::string& value() const;

private:
    friend class KeyValue;
    friend class KvSnapshot;
    explicit KvScan(std::unique_ptr<detail::KvScanState> state);
    std::unique_ptr<detail::KvScanState> state_;
};

// How a scan runs; see KvBounds for the range itself.
struct KvScanOptions {
    bool reverse = false;
    std::uint64_t limit = 0;  // 0: all
};

// Puts and erases applied all or nothing by commit(). Destroyed without
// commit(), it writes nothing.
class KvBatch {
public:
    KvBatch(KvBatch&&) noexcept;
    KvBatch& operator=(KvBatch&&) noexcept;
    ~KvBatch();

    // Checked at once (sizes, empty key); nothing is written before commit().
    KvBatch& put(std::string_view key, std::string_view value);
    KvBatch& erase(std::string_view key);
    std::size_t size() const;
    void commit();

private:
    friend class KeyValue;
    explicit KvBatch(std::unique_ptr<detail::KvBatchState> state);
    std::unique_ptr<detail::KvBatchState> state_;
};

// A consistent view of the namespace as of snapshot(): every get and scan
// through it sees the same data, whatever is written meanwhile. Holds one
// connection until it and the scans opened through it are destroyed.
class KvSnapshot {
public:
    KvSnapshot(KvSnapshot&&) noexcept;
    KvSnapshot& operator=(KvSnapshot&&) noexcept;
    ~KvSnapshot();

    std::optional<std::string> get(std::string_view key);
    bool contains(std::string_view key);
    KvScan scan(KvBounds bounds);
    KvScan scanPrefix(std::string_view prefix, KvScanOptions options = {});

private:
    friend class KeyValue;
    explicit KvSnapshot(std::unique_ptr<detail::KvSnapshotState> state);
    std::unique_ptr<detail::KvSnapshotState> state_;
};

// One namespace of a database's key-value pairs. Cheap to copy; thread-safe
// like Database (each call borrows a connection).
class KeyValue {
public:
    const std::string& ns() const { return ns_; }

    std::optional<std::string> get(std::string_view key);
    // One result per key, in the order given.
    std::vector<std::optional<std::string>> getMany(std::span<const std::string> keys);
    bool contains(std::string_view key);
    void put(std::string_view key, std::string_view value);
    // Returns whether the key was there.
    bool erase(std::string_view key);

    // Optimistic concurrency: stores `desired` only when the current value is
    // `expected` (std::nullopt: the key is absent); returns whether it did.
    bool compareAndSet(std::string_view key, const std::optional<std::string>& expected,
                       std::string_view desired);
    // compareAndSet(key, std::nullopt, value).
    bool putIfAbsent(std::string_view key, std::string_view value);
    // Erases the key only when its current value is `expected`.
    bool eraseIf(std::string_view key, std::string_view expected);

    KvBatch batch();
    KvScan scan(KvBounds bounds);
    // Every key starting with `prefix` (all keys for an empty prefix).
    KvScan scanPrefix(std::string_view prefix, KvScanOptions options = {});
    KvSnapshot snapshot();

    // The limits in force: the engine's, or those of core's table.
    KvLimits limits() const;

private:
    friend class Database;
    friend KeyValue detail::reservedKeyValue(Database& db, std::string_view ns);
    KeyValue(std::shared_ptr<detail::KvContext> context, std::string ns);
    std::shared_ptr<detail::KvContext> context_;  // the database, its timeout, its table
    std::string ns_;
};

}  // namespace plugdb
