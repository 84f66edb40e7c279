// What an open database is: driver, version, target, capabilities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plugdb/sql_dialect.h"

namespace plugdb {

// Information about the open database, for ping, health and logs.
struct DatabaseInfo {
    std::string driver;              // plugin name, e.g. "sqlite"
    std::string driverVersion;       // plugin version
    std::string target;              // where it points, secrets masked
    std::uint64_t capabilities = 0;  // the plugin's, as its first connection refined them
    // The driver's SQL dialect (sql_dialect.h), refined likewise; empty when it reports none.
    std::optional<SqlDialect> sqlDialect;
};

}  // namespace plugdb
