// The clients of the key-value benchmark (kv_bench.cpp): RocksDB's own C++
// API, and plugdb's Database::kv on any engine.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace plugdb::bench {

using KvPair = std::pair<std::string, std::string>;

// One client on one database. Gets, puts and scans use namespace "bench";
// the timed batches go to "bench_batch", so their growing data stays out of
// the LSM tree the gets read. Implementations keep their handles between
// calls, as an application would.
class KvContender {
public:
    virtual ~KvContender() = default;
    // Stores every pair in one atomic batch, in "bench_batch" (or "bench" for the load).
    virtual void batchPut(std::span<const KvPair> pairs, bool load = false) = 0;
    virtual void put(std::string_view key, std::string_view value) = 0;
    // Adds the value's size and first byte to checksum when the key is there.
    virtual bool get(std::string_view key, std::uint64_t& checksum) = 0;
    // Reads every pair whose key starts with prefix; returns how many, adds
    // their sizes to checksum.
    virtual std::uint64_t scanPrefix(std::string_view prefix, std::uint64_t& checksum) = 0;
};

// RocksDB's C++ API on the directory, with the options the rocksdb driver
// opens with (its engine_options.cpp is compiled in) and WriteOptions::sync off.
std::unique_ptr<KvContender> rawRocksdb(const std::string& directory);

// plugdb's Database::kv on the database of `url`.
std::unique_ptr<KvContender> plugdbKv(const std::string& url);

}  // namespace plugdb::bench
