#include "error.h"

namespace plugdb::sqlite {
namespace {

// SQLITE_ERROR is SQLite's catch-all; these messages mean the SQL named
// something wrong rather than the data or the engine failing.
bool refersToBadSql(std::string_view message) {
    for (std::string_view marker : {"syntax error", "no such ", "unrecognized token",
                                    "incomplete input", "has no column named"})
        if (message.find(marker) != std::string_view::npos) return true;
    return false;
}

ErrorCategory categoryOf(int rc, std::string_view message) {
    switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return ErrorCategory::UniqueViolation;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return ErrorCategory::ForeignKey;
        case SQLITE_CONSTRAINT_NOTNULL:
            return ErrorCategory::NotNull;
        case SQLITE_CONSTRAINT_CHECK:
            return ErrorCategory::Check;
        case SQLITE_CONSTRAINT_DATATYPE:  // a STRICT table's column refuses the value's type
            return ErrorCategory::DataException;
        case SQLITE_BUSY_SNAPSHOT:
            return ErrorCategory::Serialization;
        default:
            break;
    }
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return ErrorCategory::Constraint;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_INTERRUPT:
            return ErrorCategory::Timeout;
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return ErrorCategory::Permission;
        case SQLITE_CANTOPEN:
        case SQLITE_NOTADB:
            return ErrorCategory::Connection;
        case SQLITE_RANGE:
            return ErrorCategory::Syntax;
        case SQLITE_ERROR:
            if (refersToBadSql(message)) return ErrorCategory::Syntax;
            // abs(), sum() and friends on the int64 limits.
            if (message.find("integer overflow") != std::string_view::npos)
                return ErrorCategory::DataException;
            return ErrorCategory::Other;
        case SQLITE_MISMATCH:  // a non-integer into an INTEGER PRIMARY KEY
        case SQLITE_TOOBIG:    // a string or blob over SQLITE_LIMIT_LENGTH
            return ErrorCategory::DataException;
        default:
            return ErrorCategory::Other;
    }
}

std::string describe(sqlite3* db, int rc, const ErrorContext& context, std::string_view doing) {
    std::string message = "sqlite: ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string notes;
    if (rc == SQLITE_BUSY_SNAPSHOT) {
        notes = "another connection wrote since this transaction read; retry the transaction";
    } else if ((rc & 0xff) == SQLITE_BUSY) {
        notes = "busy_timeout " + std::to_string(context.busyTimeoutMs) + " ms";
    }
    if (!doing.empty()) {
        if (!notes.empty()) notes += "; ";
        notes += doing;
    }
    if (!notes.empty()) message += " (" + notes + ")";
    return message;
}

}  // namespace

ErrorDetails pluginDetails(int nativeCode) {
    return {"sqlite", nativeCode, {}};
}

Error engineError(sqlite3* db, int rc, const ErrorContext& context, std::string_view doing) {
    const std::string message = describe(db, rc, context, doing);
    return Error(categoryOf(rc, message), message, pluginDetails(rc));
}

Error prepareError(sqlite3* db, int rc, const ErrorContext& context) {
    if ((rc & 0xff) != SQLITE_ERROR) return engineError(db, rc, context);
    return Error(ErrorCategory::Syntax, describe(db, rc, context, {}), pluginDetails(rc));
}

void check(sqlite3* db, int rc, const ErrorContext& context, std::string_view doing) {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        throw engineError(db, rc, context, doing);
}

}  // namespace plugdb::sqlite
