// Mapping PostgreSQL errors (SQLSTATE) to plugdb::Error, for every engine that
// speaks PostgreSQL's protocol through this code (the postgres and cockroach
// plugins): what differs between them is an ErrorFlavor.
#pragma once

#include <libpq-fe.h>

#include <string>

#include "plugdb/error.h"

namespace plugdb::postgres {

// How one engine names itself in errors and classifies its SQLSTATEs.
struct ErrorFlavor {
    const char* engine;  // "postgres": ErrorDetails::engine and the prefix of messages
    ErrorCategory (*category)(const std::string& sqlState);
    // True when retrying the whole transaction is safe after this SQLSTATE
    // although its category is not Serialization (ErrorDetails::retryable).
    bool (*retryable)(const std::string& sqlState);
};

// PostgreSQL's own.
const ErrorFlavor& postgresErrors();

inline ErrorDetails pluginDetails(const ErrorFlavor& flavor, std::string sqlState = {}) {
    return ErrorDetails{flavor.engine, 0, std::move(sqlState)};
}

ErrorCategory categoryForSqlState(const std::string& sqlState);

// The error a failed result carries.
Error resultError(const PGresult* result, PGconn* conn, const ErrorFlavor& flavor);

// A failed connection attempt, classified from libpq's message (libpq gives no
// SQLSTATE before the session exists), with a hint for the common causes.
Error connectError(PGconn* conn, const std::string& target, const ErrorFlavor& flavor);

}  // namespace plugdb::postgres
