// Reading what start-postgres.sh / start-mariadb.sh wrote about the servers
// they started (PLUGDB_TEST_SERVERS_DIR/postgres.env, mariadb.env).
#pragma once

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

namespace plugdb::test {

// `name` from the environment, else from PLUGDB_TEST_SERVERS_DIR/<file>.
inline std::optional<std::string> serverVariable(const std::string& file, const std::string& name) {
    if (const char* value = std::getenv(name.c_str())) return value;
    std::ifstream env(std::string(PLUGDB_TEST_SERVERS_DIR) + "/" + file);
    for (std::string line; std::getline(env, line);)
        if (line.starts_with(name + "=")) return line.substr(name.size() + 1);
    return std::nullopt;
}

inline std::string requireServerVariable(const std::string& file, const std::string& name) {
    if (auto value = serverVariable(file, name)) return *value;
    throw std::runtime_error("no " + name + ": start the test server (tests/servers, ctest does " +
                             "it through the db_servers fixture) or set " + name);
}

// The URL with another database name (the path after host[:port]).
inline std::string withDatabase(const std::string& url, const std::string& database) {
    const auto slash = url.find('/', url.find("://") + 3);
    const auto query = url.find('?', slash);
    return url.substr(0, slash) + "/" + database +
           (query == std::string::npos ? "" : url.substr(query));
}

// A database name for one test: lower-case letters, digits and underscores.
inline std::string databaseNameFor(const std::string& test) {
    std::string name = "conformance_";
    for (char c : test)
        name += std::isalnum(static_cast<unsigned char>(c))
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                    : '_';
    return name.substr(0, 63);
}

// The URL with its password replaced.
inline std::string withPassword(std::string url, const std::string& password) {
    const auto start = url.find(':', url.find("://") + 3) + 1;
    return url.replace(start, url.find('@') - start, password);
}

}  // namespace plugdb::test
