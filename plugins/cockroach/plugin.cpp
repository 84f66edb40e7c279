// The entry point the loader reads: the plugin descriptor and the Poco manifest.
#include "plugdb/plugin.h"

#include "driver.h"

// No advisory locks (the migrator uses its lease table) and no transactional
// DDL: CockroachDB runs schema changes as background jobs, not atomically
// with the transaction that issued them.
PLUGDB_PLUGIN(plugdb::cockroach::CockroachDriver, "cockroach", "0.1.0", "cockroachdb,crdb",
              "cockroach,cockroachdb",
              plugdb::kCapTransactions | plugdb::kCapSavepoints | plugdb::kCapReturning |
                  plugdb::kCapInterrupt | plugdb::kCapBulkLoad)
