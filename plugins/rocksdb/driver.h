// The RocksDB driver: a key-value engine (kCapKeyValue); its connections
// implement KeyValueStore and refuse SQL.
#pragma once

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"

namespace plugdb::rocks {

// The namespace is plugdb::rocks, not plugdb::rocksdb, which would hide the
// library's ::rocksdb inside it.
class RocksDriver final : public Driver, public DriverOptionsProvider {
public:
    const Dialect& dialect() const override;
    // sync, block_cache_size, compression, create_if_missing, read_only.
    const DriverOptions& driverOptions() const override;
    // source.database is the database directory.
    std::unique_ptr<Connection> connect(const DataSource& source) override;
};

}  // namespace plugdb::rocks
