// CockroachDB's errors: PostgreSQL's SQLSTATEs, with CockroachDB's own
// meanings and codes next to them.
#pragma once

#include <string>

#include "postgres/error.h"

namespace plugdb::cockroach {

ErrorCategory categoryForSqlState(const std::string& sqlState);

const postgres::ErrorFlavor& cockroachErrors();

}  // namespace plugdb::cockroach
