// The entry point the loader reads: the plugin descriptor and the Poco manifest.
#include "plugdb/plugin.h"

#include "driver.h"

PLUGDB_PLUGIN(plugdb::rocks::RocksDriver, "rocksdb", "0.1.0", "", "rocksdb",
              plugdb::kCapKeyValue | plugdb::kCapEmbedded | plugdb::kCapReadOnlyMode)
