// Turning SQLite result codes into plugdb::Error.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "plugdb/error.h"

namespace plugdb::sqlite {

// Facts about the connection that make an error message useful.
struct ErrorContext {
    std::string file;       // the database file as configured, or ":memory:"
    int busyTimeoutMs = 0;  // quoted when a lock wait runs out
};

// The error for result code `rc` (extended) just returned by a call on `db`,
// with the engine's message. `doing` adds context, e.g. "opening app.db".
Error engineError(sqlite3* db, int rc, const ErrorContext& context, std::string_view doing = {});

// Same, but SQLITE_ERROR always means the SQL itself was refused: for sqlite3_prepare.
Error prepareError(sqlite3* db, int rc, const ErrorContext& context);

// Throws engineError unless rc reports success (SQLITE_OK, SQLITE_ROW, SQLITE_DONE).
void check(sqlite3* db, int rc, const ErrorContext& context, std::string_view doing = {});

// Details for errors raised by the plugin itself rather than the engine.
ErrorDetails pluginDetails(int nativeCode = 0);

}  // namespace plugdb::sqlite
