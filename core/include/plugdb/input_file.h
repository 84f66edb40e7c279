// Reading files that a user named (password files, SQL scripts, migrations,
// configuration): regular files only, never more than a limit, and never
// blocking on a FIFO or device. Standard input is the caller's business.
#pragma once

#include <cstddef>
#include <string>

#include "plugdb/error.h"

namespace plugdb {

struct InputFileLimits {
    // A password file holds one line.
    static constexpr std::size_t kPasswordBytes = 64 * 1024;
    // Configuration files are written by hand.
    static constexpr std::size_t kConfigBytes = 16 * 1024 * 1024;
    // Default for SQL scripts and migration files (limits.sql_file_bytes).
    static constexpr std::size_t kSqlBytes = 256 * 1024 * 1024;
};

// The whole content of the regular file at `path` (symbolic links followed).
// `what` names the file in errors ("the password file"). Throws plugdb::Error
// of `category` when the path is missing or unreadable, is a directory, FIFO,
// device or socket (refused without reading), or holds more than maxBytes.
std::string readInputFile(const std::string& path, std::size_t maxBytes, const std::string& what,
                          ErrorCategory category = ErrorCategory::Config);

// True when `path` names a regular file (after symbolic links); never opens it.
bool isRegularFile(const std::string& path);

}  // namespace plugdb
