// A streamed scan over one column family: a RocksDB iterator bounded by the
// range, read forward or backward, stopped at the limit.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <string>

#include "plugdb/key_value_store.h"

namespace plugdb::rocks {

class RocksCursor final : public KvCursor {
public:
    // `snapshot` may be nullptr (the latest data). `where` names the namespace
    // and database in error messages.
    RocksCursor(::rocksdb::DB& db, ::rocksdb::ColumnFamilyHandle* family,
                const ::rocksdb::Snapshot* snapshot, const KvBounds& bounds, std::string where);

    bool next() override;
    std::string_view key() const override;
    std::string_view value() const override;

private:
    void position();

    // The bound slices point into these strings, and the iterator at the slices.
    std::string begin_;
    std::string end_;
    ::rocksdb::Slice lowerBound_;
    ::rocksdb::Slice upperBound_;
    bool hasEnd_;
    bool reverse_;
    std::uint64_t limit_;
    std::uint64_t returned_ = 0;
    bool started_ = false;
    bool done_ = false;
    std::string where_;
    std::unique_ptr<::rocksdb::Iterator> iterator_;
};

// The scan of a namespace that does not exist, or of an empty range.
class EmptyCursor final : public KvCursor {
public:
    bool next() override { return false; }
    std::string_view key() const override { return {}; }
    std::string_view value() const override { return {}; }
};

}  // namespace plugdb::rocks
