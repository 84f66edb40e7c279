// Running named queries on a borrowed connection, and loading them when a
// Database opens. Private to core: Database, Session and Transaction call it.
#pragma once

#include <string_view>
#include <vector>

#include "lease.h"
#include "plugdb/named_queries.h"

namespace plugdb {
class Config;
}

namespace plugdb::detail {

// The queries of queries.path: none when the default folder is absent; a
// configured folder that is absent is a config error. Engine suffixes are
// the names and aliases of the plugins on the search path.
NamedQueries loadNamedQueries(const Config& config, const std::vector<std::string>& searchPath);

Rows queryNamed(Lease& lease, std::string_view name, const NamedParams& params);
Result execNamed(Lease& lease, std::string_view name, const NamedParams& params);

// Prepares every query for this connection's engine (cached for reuse).
// Throws plugdb::Error naming the query, its file and line when one fails.
void prepareNamedQueries(Lease& lease);

}  // namespace plugdb::detail
