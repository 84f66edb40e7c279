// The RocksDB options every database of the driver opens with. The benchmark
// (bench/) opens its raw RocksDB database with the same function, so both sides
// of the comparison run on identical settings.
#pragma once

#include <rocksdb/compression_type.h>
#include <rocksdb/options.h>

#include <cstdint>

namespace plugdb::rocks {

::rocksdb::Options engineOptions(std::uint64_t blockCacheBytes,
                                 ::rocksdb::CompressionType compression);

}  // namespace plugdb::rocks
