// The clients the benchmark compares, per engine.
#pragma once

#include <memory>
#include <string>

#include "harness.h"

namespace plugdb::bench {

// How to reach a server: TCP when socket is empty, else the unix socket
// (PostgreSQL: its directory; MySQL: the socket file).
struct ServerSpec {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string socket;
    std::string user;
    std::string password;
    std::string database;
};

std::unique_ptr<Contender> rawSqlite(const std::string& path);
std::unique_ptr<Contender> rawPostgres(const ServerSpec& server);
std::unique_ptr<Contender> rawMysql(const ServerSpec& server);

// plugdb through its public API, opened by URL.
std::unique_ptr<Contender> plugdbClient(const std::string& url);

// Poco::Data used directly: connector "SQLite", "PostgreSQL" or "MySQL".
std::unique_ptr<Contender> pocoClient(const std::string& connector,
                                      const std::string& connectionString);

// SOCI 4 with its backend loaded by name: "sqlite3", "postgresql" or "mysql".
std::unique_ptr<Contender> sociClient(const std::string& backend, const std::string& connectString);

}  // namespace plugdb::bench
