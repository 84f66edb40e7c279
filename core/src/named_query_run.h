// Running named queries on a borrowed connection. Private to core: Database,
// Session and Transaction call it. (NamedQueries::fromConfig is defined here too.)
#pragma once

#include <string_view>
#include <vector>

#include "lease.h"
#include "plugdb/named_queries.h"

namespace plugdb::detail {

Rows queryNamed(Lease& lease, std::string_view name, const NamedParams& params);
Result execNamed(Lease& lease, std::string_view name, const NamedParams& params);

// Prepares every query for this connection's engine (cached for reuse).
// Throws plugdb::Error naming the query, its file and line when one fails.
void prepareNamedQueries(Lease& lease);

}  // namespace plugdb::detail
