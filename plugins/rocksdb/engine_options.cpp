#include "engine_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

namespace plugdb::rocks {

::rocksdb::Options engineOptions(std::uint64_t blockCacheBytes,
                                 ::rocksdb::CompressionType compression) {
    ::rocksdb::Options options;
    options.compression = compression;
    // Each open starts a new LOG and keeps the old one; 1000 by default would
    // fill the directory of a service that restarts often.
    options.keep_log_file_num = 5;
    ::rocksdb::BlockBasedTableOptions table;
    if (blockCacheBytes == 0)
        table.no_block_cache = true;
    else
        table.block_cache = ::rocksdb::NewLRUCache(blockCacheBytes);
    // A Bloom filter per SST file (10 bits a key, ~1% false positives): a get
    // of an absent key then rarely reads a data block.
    table.filter_policy.reset(::rocksdb::NewBloomFilterPolicy(10));
    options.table_factory.reset(::rocksdb::NewBlockBasedTableFactory(table));
    return options;
}

}  // namespace plugdb::rocks
