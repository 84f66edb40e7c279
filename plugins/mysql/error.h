// Mapping MySQL/MariaDB error numbers to plugdb::Error.
#pragma once

#include <mysql.h>

#include <string>

#include "plugdb/error.h"

namespace plugdb::mysql {

ErrorCategory categoryForErrno(unsigned code);

Error errorFrom(unsigned code, const char* sqlState, const char* message,
                const std::string& context = {});
Error connectionError(MYSQL* conn, const std::string& context = {});
Error statementError(MYSQL_STMT* statement, MYSQL* conn);

}  // namespace plugdb::mysql
