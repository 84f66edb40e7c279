// The entry point the plugdb loader reads: name, version, aliases, URL schemes
// and capabilities. The file must be libplugdb-tinysql.so to match "tinysql".
#include "plugdb/plugin.h"

#include "tinysql.h"

PLUGDB_PLUGIN(tinysql::TinyDriver, "tinysql", "0.1.0", /*aliases*/ "", /*schemes*/ "tinysql",
              plugdb::kCapTransactions | plugdb::kCapSavepoints | plugdb::kCapReturning |
                  plugdb::kCapLastInsertId | plugdb::kCapTransactionalDdl | plugdb::kCapInterrupt |
                  plugdb::kCapEmbedded)
