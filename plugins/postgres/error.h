// Mapping PostgreSQL errors (SQLSTATE) to plugdb::Error.
#pragma once

#include <libpq-fe.h>

#include <string>

#include "plugdb/error.h"

namespace plugdb::postgres {

inline ErrorDetails pluginDetails(std::string sqlState = {}) {
    return ErrorDetails{"postgres", 0, std::move(sqlState)};
}

ErrorCategory categoryForSqlState(const std::string& sqlState);

// The error a failed result carries.
Error resultError(const PGresult* result, PGconn* conn);

// A failed connection attempt, classified from libpq's message (libpq gives no
// SQLSTATE before the session exists), with a hint for the common causes.
Error connectError(PGconn* conn, const std::string& target);

}  // namespace plugdb::postgres
