// The entry point the loader reads: the plugin descriptor and the Poco manifest.
#include "plugdb/plugin.h"

#include "driver.h"

PLUGDB_PLUGIN(plugdb::sqlite::SqliteDriver, "sqlite", "0.1.0", "sqlite3", "sqlite,sqlite3,file",
              plugdb::kCapTransactions | plugdb::kCapSavepoints | plugdb::kCapReturning |
                  plugdb::kCapLastInsertId | plugdb::kCapTransactionalDdl | plugdb::kCapInterrupt |
                  plugdb::kCapEmbedded | plugdb::kCapReadOnlyMode | plugdb::kCapConcurrentCursors)
