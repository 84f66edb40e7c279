// What a connection asks of the store: the options of the URL and db.options.*.
#pragma once

#include <rocksdb/compression_type.h>

#include <cstdint>
#include <string>

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"

namespace plugdb::rocks {

struct Settings {
    std::string path;  // the database directory, as configured
    // Per connection: each write's WriteOptions::sync.
    bool sync = true;
    // For the whole database handle (store.h), fixed by the first connection of the process.
    std::uint64_t blockCacheBytes = 32ull << 20;
    ::rocksdb::CompressionType compression = ::rocksdb::kLZ4Compression;
    std::string compressionName = "lz4";
    bool createIfMissing = true;
    bool readOnly = false;
};

// The options the driver declares (core checks them before connect).
const DriverOptions& declaredDriverOptions();

// The settings for `source`, whose options core already checked; throws
// plugdb::Error (config) for a compression this librocksdb was built without.
Settings settingsFor(const DataSource& source);

}  // namespace plugdb::rocks
