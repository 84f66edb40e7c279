// The key-value part of the conformance kit run against the RocksDB driver:
// a fresh store directory per test. (The SQL suite does not apply: the engine
// has no SQL.)
#include <unistd.h>

#include <filesystem>

#include "key_value_conformance.h"

namespace fs = std::filesystem;

namespace {

fs::path scratchDir() {
    static const fs::path dir =
        fs::temp_directory_path() / ("plugdb-conformance-rocksdb-" + std::to_string(getpid()));
    return dir;
}

plugdb::conformance::KvQuirks rocksdbQuirks() {
    plugdb::conformance::KvQuirks q;
    q.base.name = "rocksdb";
    q.base.pluginPath = {PLUGDB_TEST_PLUGIN_DIR};
    q.base.freshDatabase = [](const std::string& test) {
        fs::create_directories(scratchDir());
        return "rocksdb:" + (scratchDir() / test).string();
    };
    q.base.dropDatabase = [](const std::string&) { fs::remove_all(scratchDir()); };
    q.whyNoRefusal =
        "a batch is one RocksDB WriteBatch, which the engine applies whole; nothing makes it "
        "refuse one of its writes";
    return q;
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DriverConformance);  // no SQL

PLUGDB_KV_CONFORMANCE(Rocksdb, rocksdbQuirks());
