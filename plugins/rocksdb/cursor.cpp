#include "cursor.h"

#include "error.h"

namespace plugdb::rocks {

RocksCursor::RocksCursor(::rocksdb::DB& db, ::rocksdb::ColumnFamilyHandle* family,
                         const ::rocksdb::Snapshot* snapshot, const KvBounds& bounds,
                         std::string where)
    : begin_(bounds.begin),
      end_(bounds.end.value_or(std::string())),
      lowerBound_(begin_),
      upperBound_(end_),
      hasEnd_(bounds.end.has_value()),
      reverse_(bounds.reverse),
      limit_(bounds.limit),
      where_(std::move(where)) {
    ::rocksdb::ReadOptions options;
    options.snapshot = snapshot;
    // The bounds let RocksDB stop at the range's edge instead of reading on
    // into the next keys (and skip SST files wholly outside the range).
    if (!begin_.empty()) options.iterate_lower_bound = &lowerBound_;
    if (hasEnd_) options.iterate_upper_bound = &upperBound_;
    iterator_.reset(db.NewIterator(options, family));
}

void RocksCursor::position() {
    if (!reverse_) {
        iterator_->Seek(begin_);
    } else if (hasEnd_) {
        // The last key <= end, stepping off end itself: the range excludes it.
        iterator_->SeekForPrev(end_);
        if (iterator_->Valid() && iterator_->key() == ::rocksdb::Slice(end_)) iterator_->Prev();
    } else {
        iterator_->SeekToLast();
    }
}

bool RocksCursor::next() {
    if (done_ || (limit_ != 0 && returned_ >= limit_)) return false;
    if (!started_) {
        started_ = true;
        position();
    } else if (reverse_) {
        iterator_->Prev();
    } else {
        iterator_->Next();
    }
    if (!iterator_->Valid()) {
        done_ = true;
        check(iterator_->status(), "scanning " + where_);
        return false;
    }
    ++returned_;
    return true;
}

std::string_view RocksCursor::key() const {
    const ::rocksdb::Slice k = iterator_->key();
    return {k.data(), k.size()};
}

std::string_view RocksCursor::value() const {
    const ::rocksdb::Slice v = iterator_->value();
    return {v.data(), v.size()};
}

}  // namespace plugdb::rocks
