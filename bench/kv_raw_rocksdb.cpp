// RocksDB's own C++ API: the baseline of the rocksdb driver.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <stdexcept>
#include <vector>

#include "engine_options.h"
#include "kv_contenders.h"

namespace plugdb::bench {
namespace {

void check(const rocksdb::Status& status) {
    if (!status.ok()) throw std::runtime_error("rocksdb: " + status.ToString());
}

class RawRocksdb final : public KvContender {
public:
    explicit RawRocksdb(const std::string& directory) {
        // The driver's defaults: 32 MiB block cache, lz4 (see plugins/rocksdb/settings.h).
        rocksdb::Options options = rocks::engineOptions(32ull << 20, rocksdb::kLZ4Compression);
        options.create_if_missing = true;
        // As the driver: each namespace is a column family of its own.
        std::vector<rocksdb::ColumnFamilyDescriptor> families{
            {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(options)}};
        std::vector<rocksdb::ColumnFamilyHandle*> handles;
        rocksdb::DB* raw = nullptr;
        check(rocksdb::DB::Open(options, directory, families, &handles, &raw));
        db_.reset(raw);
        defaultFamily_ = handles.front();
        check(db_->CreateColumnFamily(rocksdb::ColumnFamilyOptions(options), "bench", &family_));
        check(db_->CreateColumnFamily(rocksdb::ColumnFamilyOptions(options), "bench_batch",
                                      &batchFamily_));
    }
    ~RawRocksdb() override {
        db_->DestroyColumnFamilyHandle(family_);
        db_->DestroyColumnFamilyHandle(batchFamily_);
        db_->DestroyColumnFamilyHandle(defaultFamily_);
        db_->Close();
    }

    void batchPut(std::span<const KvPair> pairs, bool load) override {
        rocksdb::WriteBatch batch;
        rocksdb::ColumnFamilyHandle* family = load ? family_ : batchFamily_;
        for (const auto& [key, value] : pairs) check(batch.Put(family, key, value));
        check(db_->Write(writeOptions_, &batch));
    }

    void put(std::string_view key, std::string_view value) override {
        check(db_->Put(writeOptions_, family_, key, value));
    }

    bool get(std::string_view key, std::uint64_t& checksum) override {
        std::string value;
        const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), family_, key, &value);
        if (status.IsNotFound()) return false;
        check(status);
        checksum += value.size() + static_cast<unsigned char>(value.empty() ? 0 : value[0]);
        return true;
    }

    std::uint64_t scanPrefix(std::string_view prefix, std::uint64_t& checksum) override {
        std::string end(prefix);  // the first key after the prefix (never all 0xff here)
        end.back() = static_cast<char>(end.back() + 1);
        const rocksdb::Slice upper(end);
        rocksdb::ReadOptions options;
        options.iterate_upper_bound = &upper;
        std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
        std::uint64_t count = 0;
        for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
            checksum += it->key().size() + it->value().size();
            ++count;
        }
        check(it->status());
        return count;
    }

private:
    std::unique_ptr<rocksdb::DB> db_;
    rocksdb::ColumnFamilyHandle* defaultFamily_ = nullptr;
    rocksdb::ColumnFamilyHandle* family_ = nullptr;
    rocksdb::ColumnFamilyHandle* batchFamily_ = nullptr;
    rocksdb::WriteOptions writeOptions_;  // sync off, as the plugdb side's ?sync=false
};

}  // namespace

std::unique_ptr<KvContender> rawRocksdb(const std::string& directory) {
    return std::make_unique<RawRocksdb>(directory);
}

}  // namespace plugdb::bench
