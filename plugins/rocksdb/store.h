// One open RocksDB database per directory and process, shared by every
// connection to it: RocksDB's LOCK file admits one opener per process, and
// pooled connections are many.
#pragma once

#include <rocksdb/db.h>

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "settings.h"

namespace plugdb::rocks {

class Store {
public:
    // The store of settings.path: opened by the first connection of the
    // process, closed when the last one lets go of it. Throws plugdb::Error
    // when it cannot be opened (another process holds the lock, no database
    // and not to be created, ...) or was opened here with other settings.
    static std::shared_ptr<Store> acquire(const Settings& settings);

    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    ~Store();

    ::rocksdb::DB& db() { return *db_; }
    const std::string& path() const { return settings_.path; }
    bool readOnly() const { return settings_.readOnly; }

    // The column family of namespace `ns`, or nullptr when it does not exist.
    ::rocksdb::ColumnFamilyHandle* find(std::string_view ns);
    // The column family of namespace `ns`, created when it does not exist.
    ::rocksdb::ColumnFamilyHandle* findOrCreate(std::string_view ns);

    // Plain writes hold it shared, compare-and-set exclusively: a CAS's read
    // and write are then atomic against every write of the process, while
    // plain writes still reach RocksDB together and share its WAL syncs
    // (group commit), which one mutex around every write would forfeit.
    std::shared_mutex& writeGate() { return writeGate_; }

private:
    Store(Settings settings, std::unique_ptr<::rocksdb::DB> db,
          std::map<std::string, ::rocksdb::ColumnFamilyHandle*, std::less<>> families,
          ::rocksdb::ColumnFamilyOptions familyOptions);
    static std::unique_ptr<Store> open(const Settings& settings);

    Settings settings_;  // those of the first connection; sync is per connection
    std::unique_ptr<::rocksdb::DB> db_;
    ::rocksdb::ColumnFamilyOptions familyOptions_;
    std::shared_mutex familiesMutex_;
    std::map<std::string, ::rocksdb::ColumnFamilyHandle*, std::less<>> families_;
    std::shared_mutex writeGate_;
};

}  // namespace plugdb::rocks
