// The entry point the loader reads: the plugin descriptor and the Poco manifest.
#include "plugdb/plugin.h"

#include "driver.h"

PLUGDB_PLUGIN(plugdb::mysql::MysqlDriver, "mysql", "0.1.0", "mariadb", "mysql,mariadb",
              plugdb::kCapTransactions | plugdb::kCapSavepoints | plugdb::kCapLastInsertId |
                  plugdb::kCapAdvisoryLocks | plugdb::kCapInterrupt)
