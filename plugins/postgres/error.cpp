#include "error.h"

namespace plugdb::postgres {
namespace {

bool contains(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
}

// libpq's messages span lines ("...\n\tIs the server running..."): one line each.
std::string trimmed(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

ErrorCategory categoryForSqlState(const std::string& s) {
    if (s == "23505") return ErrorCategory::UniqueViolation;
    if (s == "23503") return ErrorCategory::ForeignKey;
    if (s == "23502") return ErrorCategory::NotNull;
    if (s == "23514") return ErrorCategory::Check;
    if (s.starts_with("23")) return ErrorCategory::Constraint;
    if (s == "40001" || s == "40P01") return ErrorCategory::Serialization;
    if (s == "57014" || s == "55P03")
        return ErrorCategory::Timeout;  // canceled, lock not available
    if (s == "28P01" || s == "28000") return ErrorCategory::Auth;
    if (s == "42501") return ErrorCategory::Permission;
    if (s == "25006") return ErrorCategory::Permission;  // read-only transaction
    if (s.starts_with("42")) return ErrorCategory::Syntax;
    if (s.starts_with("08") || s == "3D000" || s.starts_with("57P"))
        return ErrorCategory::Connection;
    if (s.starts_with("22")) return ErrorCategory::DataException;  // class 22: data exception
    if (s == "0A000") return ErrorCategory::Unsupported;
    return ErrorCategory::Other;
}

const ErrorFlavor& postgresErrors() {
    // lock_not_available: the lock may be free next time.
    static const ErrorFlavor kFlavor{"postgres", categoryForSqlState,
                                     [](const std::string& s) { return s == "55P03"; }};
    return kFlavor;
}

Error resultError(const PGresult* result, PGconn* conn, const ErrorFlavor& flavor) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = primary ? primary : trimmed(PQerrorMessage(conn));
    if (const char* detail = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr)
        message += " (" + std::string(detail) + ")";
    // No SQLSTATE: the connection itself failed (server gone, network).
    const std::string sqlState = state ? state : "";
    const ErrorCategory category =
        state
            ? flavor.category(sqlState)
            : (PQstatus(conn) == CONNECTION_BAD ? ErrorCategory::Connection : ErrorCategory::Other);
    ErrorDetails details = pluginDetails(flavor, sqlState);
    details.retryable = flavor.retryable(sqlState);
    return Error(category, std::string(flavor.engine) + ": " + message, details);
}

Error connectError(PGconn* conn, const std::string& target, const ErrorFlavor& flavor) {
    const std::string why = trimmed(conn ? PQerrorMessage(conn) : "out of memory");
    const std::string prefix = std::string(flavor.engine) + ": cannot connect to " + target + ": ";
    if (contains(why, "password authentication failed") || contains(why, "no password supplied") ||
        contains(why, "authentication failed"))
        return Error(ErrorCategory::Auth,
                     prefix + why + "; check the user and password (DB_USER, DB_PASSWORD)",
                     pluginDetails(flavor, "28P01"));
    if (contains(why, "does not exist") && contains(why, "database"))
        return Error(ErrorCategory::Connection,
                     prefix + why + "; create it or fix the database name (DB_NAME)",
                     pluginDetails(flavor, "3D000"));
    if (contains(why, "Connection refused") || contains(why, "No such file or directory"))
        return Error(ErrorCategory::Connection,
                     prefix + why +
                         (contains(why, "Is the server running")
                              ? ""
                              : "; is the server running and listening on that host and port?"),
                     pluginDetails(flavor, "08001"));
    return Error(ErrorCategory::Connection, prefix + why, pluginDetails(flavor, "08001"));
}

}  // namespace plugdb::postgres
