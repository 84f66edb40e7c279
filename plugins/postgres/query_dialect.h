// How the engines speaking PostgreSQL's protocol spell what the query builder
// writes: the same answer for each of them.
#pragma once

#include "plugdb/query_dialect.h"

namespace plugdb::postgres {

// Upserts with ON CONFLICT; OFFSET needs no LIMIT before it.
const QueryDialect& onConflictQueryDialect();

}  // namespace plugdb::postgres
