// The entry point the loader reads: the plugin descriptor and the Poco manifest.
#include "plugdb/plugin.h"

#include "driver.h"

PLUGDB_PLUGIN(plugdb::postgres::PostgresDriver, "postgres", "0.1.0", "postgresql",
              "postgres,postgresql",
              plugdb::kCapTransactions | plugdb::kCapSavepoints | plugdb::kCapReturning |
                  plugdb::kCapTransactionalDdl | plugdb::kCapAdvisoryLocks | plugdb::kCapInterrupt |
                  plugdb::kCapBulkLoad)
