// The plugdb subcommands. Each returns the process exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plugdb/config.h"

namespace plugdb::host {

// Exit codes (sysexits.h values, so scripts can tell failures apart).
enum ExitCode {
    kExitOk = 0,
    kExitNotFound = 1,       // kv get/del: the key is absent (not a failure of plugdb)
    kExitUsage = 64,         // bad command line, wrong parameter count
    kExitSqlError = 65,      // the database rejected a statement
    kExitNoInput = 66,       // an input file is missing or unreadable
    kExitUnavailable = 69,   // database or driver unavailable: connection, auth, timeout, plugin
    kExitSoftware = 70,      // internal error
    kExitNoPermission = 77,  // permission denied by the database
    kExitConfig = 78,        // configuration error
};

// The options of plugdb kv; unset when not given.
struct KvOptions {
    std::optional<std::string> ns;      // --ns
    std::optional<std::string> prefix;  // --prefix
    std::optional<std::string> from;    // --from
    std::optional<std::string> to;      // --to
    bool reverse = false;               // --reverse
    std::optional<std::string> limit;   // --limit, checked by the command
    std::optional<std::string> out;     // --out
    std::optional<std::string> in;      // --in
};

struct Invocation {
    std::string command;              // "sql", "ping", ...
    std::vector<std::string> args;    // positional arguments after the command
    std::vector<std::string> params;  // --param, in order
    std::string named;                // --named: a named query to run
    std::string file;                 // --file
    std::string format = "table";     // --format
    bool yes = false;                 // --yes: no confirmation questions
    bool outOfOrder = false;          // --out-of-order
    KvOptions kv;                     // --ns, --prefix, ... (plugdb kv)
    std::vector<std::string> given;   // long names of the options given, in order
    Config config;                    // all layers applied
};

// The configuration for a one-shot command: a single connection attempt
// unless connect.attempts was set, so an operator hears about a down server at once.
Config oneShot(const Config& config);

int runDrivers(const Invocation& inv);
int runPing(const Invocation& inv);
int runSql(const Invocation& inv);
int runConfig(const Invocation& inv);
int runServe(const Invocation& inv);
int runMigrate(const Invocation& inv);
int runKv(const Invocation& inv);
int runQueries(const Invocation& inv);

}  // namespace plugdb::host
