// What the main() of plugdb-bench and plugdb-kv-bench share: the flags both
// take, the work directory, and the servers that tests/servers started.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace plugdb::bench {

// --engines, --servers and --workdir.
struct CommonFlags {
    std::optional<std::set<std::string>> engines;  // none: every engine the program finds
    std::filesystem::path servers;
    std::filesystem::path workdir;

    // Named by --engines, or any engine without it.
    bool wanted(const std::string& engine) const;
};

// The value after the flag being read; exits 64 with the usage when there is none.
using FlagValue = std::function<std::string()>;

// Reads the command line: the common flags into the result, --help / -h prints
// the usage and exits 0, and every other argument goes to `programFlag`, which
// returns false for one it does not know (the program then exits 64 naming it).
CommonFlags parseCommandLine(
    int argc, char** argv, const std::string& program, const char* usage,
    const std::function<bool(const std::string& flag, const FlagValue& value)>& programFlag);

// "a,b,c" as {"a", "b", "c"}.
std::set<std::string> commaList(const std::string& list);

// A new directory "<program>-XXXXXX" in the temporary directory, for a run
// without --workdir; exits 70 when it cannot be made.
std::filesystem::path makeTemporaryWorkdir(const std::string& program);

// What start-postgres.sh or start-mariadb.sh wrote about its server.
struct ServerSettings {
    std::string engine;                         // "postgres" or "mysql"
    std::string prefix;                         // of the names: "PLUGDB_PG_" or "PLUGDB_MY_"
    std::map<std::string, std::string> values;  // the file's NAME=value lines

    // The value of prefix + name, e.g. get("URL"); empty when the file has none.
    std::string get(const std::string& name) const;
};

// The wanted servers among postgres and mysql (in that order) that have a URL
// in --servers. When --engines named one that has none, says so on stderr and
// returns nothing: the program exits 69.
std::optional<std::vector<ServerSettings>> findServers(const CommonFlags& flags,
                                                       const std::string& program);

}  // namespace plugdb::bench
