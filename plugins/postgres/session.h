// Opening a libpq session from a DataSource, for every engine that speaks
// PostgreSQL's protocol through this code.
#pragma once

#include <memory>

#include "connection.h"
#include "error.h"
#include "plugdb/driver.h"

namespace plugdb::postgres {

// Connects to the endpoints in order (libpq's multi-host: the next when one
// is down or, with target_session_attrs, not what was asked for). An endpoint
// with port 0 gets defaultPort; defaultPort 0 leaves it to libpq (5432).
// Throws plugdb::Error (connection, auth) in the flavor's words.
std::shared_ptr<Handle> openSession(const DataSource& source, const ErrorFlavor& flavor,
                                    int defaultPort = 0);

}  // namespace plugdb::postgres
