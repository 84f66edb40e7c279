#include "error.h"

#include <errmsg.h>

namespace plugdb::mysql {

ErrorCategory categoryForErrno(unsigned code) {
    // Each code's server name is on its own line: a comment after a return
    // would describe the case above it.
    switch (code) {
        case 1062:  // ER_DUP_ENTRY
        case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
            return ErrorCategory::UniqueViolation;
        case 1451:  // ER_ROW_IS_REFERENCED_2
        case 1452:  // ER_NO_REFERENCED_ROW_2
            return ErrorCategory::ForeignKey;
        case 1048:  // ER_BAD_NULL_ERROR
        case 1364:  // ER_NO_DEFAULT_FOR_FIELD
            return ErrorCategory::NotNull;
        case 4025:  // MariaDB ER_CONSTRAINT_FAILED
        case 3819:  // MySQL ER_CHECK_CONSTRAINT_VIOLATED
            return ErrorCategory::Check;
        case 1213:  // ER_LOCK_DEADLOCK
            return ErrorCategory::Serialization;
        case 1205:  // ER_LOCK_WAIT_TIMEOUT
        case 1317:  // ER_QUERY_INTERRUPTED
        case 1927:  // MariaDB ER_CONNECTION_KILLED (statement killed)
        case 1969:  // MariaDB ER_STATEMENT_TIMEOUT
        case 3024:  // MySQL ER_QUERY_TIMEOUT (max_execution_time)
            return ErrorCategory::Timeout;
        case 1044:  // ER_DBACCESS_DENIED_ERROR
        case 1045:  // ER_ACCESS_DENIED_ERROR
            return ErrorCategory::Auth;
        case 1142:  // ER_TABLEACCESS_DENIED_ERROR
        case 1143:  // ER_COLUMNACCESS_DENIED_ERROR
        case 1227:  // ER_SPECIFIC_ACCESS_DENIED_ERROR
        case 1290:  // ER_OPTION_PREVENTS_STATEMENT (e.g. a read-only server)
            return ErrorCategory::Permission;
        case 1049:  // ER_BAD_DB_ERROR: unknown database
            return ErrorCategory::Connection;
        case 1064:  // ER_PARSE_ERROR
        case 1054:  // ER_BAD_FIELD_ERROR
        case 1146:  // ER_NO_SUCH_TABLE
        case 1149:  // ER_SYNTAX_ERROR
            return ErrorCategory::Syntax;
        case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
        case 1265:  // WARN_DATA_TRUNCATED (strict mode)
        case 1292:  // ER_TRUNCATED_WRONG_VALUE: incorrect datetime, double, ... value
        case 1365:  // ER_DIVISION_BY_ZERO
        case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
        case 1406:  // ER_DATA_TOO_LONG
        case 1411:  // ER_WRONG_VALUE_FOR_TYPE
        case 1441:  // ER_DATETIME_FUNCTION_OVERFLOW
        case 1690:  // ER_DATA_OUT_OF_RANGE: an expression overflowed
            return ErrorCategory::DataException;
        case 1210:
            return ErrorCategory::InvalidArgument;  // wrong arguments to statement
        case CR_CONNECTION_ERROR:
        case CR_CONN_HOST_ERROR:
        case CR_SERVER_GONE_ERROR:
        case CR_SERVER_LOST:
        case CR_UNKNOWN_HOST:
        case 2026:  // CR_SSL_CONNECTION_ERROR
        case 1040:  // ER_CON_COUNT_ERROR
        case 1053:  // ER_SERVER_SHUTDOWN
            return ErrorCategory::Connection;
        default:
            return ErrorCategory::Other;
    }
}

Error errorFrom(unsigned code, const char* sqlState, const char* message,
                const std::string& context) {
    std::string text = "mysql: ";
    if (!context.empty()) text += context + ": ";
    text += message ? message : "unknown error";
    switch (code) {  // troubleshooting hints for the common failures
        case 1045:
            text += "; check the user and password (DB_USER, DB_PASSWORD)";
            break;
        case 1049:
            text += "; create the database or fix its name (DB_NAME)";
            break;
        case CR_CONN_HOST_ERROR:
        case CR_CONNECTION_ERROR:
            text += "; is the server running and listening on that host and port?";
            break;
        default:
            break;
    }
    std::string state = sqlState ? sqlState : "";
    if (state == "00000" || state == "HY000") state.clear();  // no SQLSTATE of its own
    // A lock wait timeout rolls back only the statement; retrying the whole
    // transaction (which transact() rolls back first) is safe.
    ErrorCategory category = categoryForErrno(code);
    // Numbers not listed above that carry SQLSTATE class 22 are data exceptions too.
    if (category == ErrorCategory::Other && state.starts_with("22"))
        category = ErrorCategory::DataException;
    return Error(category, text,
                 ErrorDetails{"mysql", static_cast<int>(code), state, code == 1205});
}

Error connectionError(MYSQL* conn, const std::string& context) {
    return errorFrom(mysql_errno(conn), mysql_sqlstate(conn), mysql_error(conn), context);
}

Error statementError(MYSQL_STMT* statement, MYSQL* conn) {
    // Some failures (a killed query among them) are recorded on the session only.
    if (mysql_stmt_errno(statement) == 0 && conn != nullptr && mysql_errno(conn) != 0)
        return connectionError(conn);
    return errorFrom(mysql_stmt_errno(statement), mysql_stmt_sqlstate(statement),
                     mysql_stmt_error(statement));
}

}  // namespace plugdb::mysql
