// plugdb-bench: plugdb side by side with the raw client libraries, Poco::Data
// and SOCI on SQLite, PostgreSQL and MySQL/MariaDB. See bench/README.md.
#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include "contenders.h"
#include "program_setup.h"

namespace fs = std::filesystem;
using namespace plugdb::bench;

namespace {

const char* kUsage = R"(usage: plugdb-bench [options]
  --engines LIST     sqlite,postgres,mysql (default: sqlite, plus the servers found)
  --clients LIST     raw,plugdb,poco,soci (default: all; raw always runs)
  --servers DIR      where tests/servers wrote postgres.env and mariadb.env
  --rows N           rows in the table and per bulk insert (default 100000)
  --rounds N         rounds of point selects and scans (default 7)
  --bulk-rounds N    rounds of bulk inserts (default 3)
  --quick            a smoke run: few rows and one round, still checks every client's results
  --no-pool          skip the connection pool benchmark
  --workdir DIR      where the SQLite file goes (default: a new temporary directory)
)";

std::string percentEncode(const std::string& text) {
    std::string out;
    char buf[4];
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// user, password and database from "scheme://user:password@host:port/database".
void credentialsFromUrl(const std::string& url, ServerSpec& spec) {
    const auto start = url.find("://") + 3;
    const auto at = url.find('@', start);
    const auto colon = url.find(':', start);
    spec.user = url.substr(start, colon - start);
    spec.password = url.substr(colon + 1, at - colon - 1);
    const auto slash = url.find('/', at);
    spec.database = url.substr(slash + 1, url.find('?', slash) - slash - 1);
}

std::string pgKeywords(const ServerSpec& s) {
    return "host=" + (s.socket.empty() ? s.host : s.socket) + " port=" + std::to_string(s.port) +
           " user=" + s.user + " password=" + s.password + " dbname=" + s.database +
           " sslmode=disable";
}

Target postgresTarget(const ServerSpec& s, const std::string& how) {
    const std::string hostPart = s.socket.empty() ? s.host : percentEncode(s.socket);
    const std::string url = "postgres://" + percentEncode(s.user) + ":" +
                            percentEncode(s.password) + "@" + hostPart + ":" +
                            std::to_string(s.port) + "/" + s.database + "?sslmode=disable";
    return {"postgres (" + how + ")",
            "CREATE TABLE {table} (id integer PRIMARY KEY, name varchar(64), v integer)",
            {{"raw", [s] { return rawPostgres(s); }},
             {"plugdb", [url] { return plugdbClient(url); }},
             {"poco", [s] { return pocoClient("PostgreSQL", pgKeywords(s)); }},
             {"soci", [s] { return sociClient("postgresql", pgKeywords(s)); }}}};
}

Target mysqlTarget(const ServerSpec& s, const std::string& how) {
    const bool socket = !s.socket.empty();
    const std::string url = "mysql://" + percentEncode(s.user) + ":" + percentEncode(s.password) +
                            "@" + (socket ? "localhost" : s.host + ":" + std::to_string(s.port)) +
                            "/" + s.database + (socket ? "?socket=" + percentEncode(s.socket) : "");
    // Poco's MySQL connector has no socket setting; the client library then
    // takes the socket from MYSQL_UNIX_PORT for host "localhost".
    const std::string poco = "host=" + std::string(socket ? "localhost" : s.host) +
                             ";port=" + std::to_string(s.port) + ";user=" + s.user +
                             ";password=" + s.password + ";db=" + s.database +
                             ";compress=false;auto-reconnect=false";
    const std::string soci =
        "db=" + s.database + " user=" + s.user + " password='" + s.password + "' " +
        (socket ? "unix_socket=" + s.socket : "host=" + s.host + " port=" + std::to_string(s.port));
    return {"mysql (" + how + ")",
            "CREATE TABLE {table} (id integer PRIMARY KEY, name varchar(64), v integer)",
            {{"raw", [s] { return rawMysql(s); }},
             {"plugdb", [url] { return plugdbClient(url); }},
             {"poco",
              [poco, s] {
                  if (!s.socket.empty()) ::setenv("MYSQL_UNIX_PORT", s.socket.c_str(), 1);
                  return pocoClient("MySQL", poco);
              }},
             {"soci", [soci] { return sociClient("mysql", soci); }}}};
}

std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    std::optional<std::set<std::string>> clients;
    bool quick = false, poolBenchmark = true;
    const auto programFlag = [&](const std::string& flag, const FlagValue& value) {
        if (flag == "--clients") {
            clients = commaList(value());
        } else if (flag == "--rows") {
            options.rows = std::stoll(value());
        } else if (flag == "--rounds") {
            options.rounds = std::stoi(value());
        } else if (flag == "--bulk-rounds") {
            options.bulkRounds = std::stoi(value());
        } else if (flag == "--quick") {
            options = Options{2'000, 1, 1, 200, 50};
            quick = true;
        } else if (flag == "--no-pool") {
            poolBenchmark = false;
        } else {
            return false;
        }
        return true;
    };
    CommonFlags flags = parseCommandLine(argc, argv, "plugdb-bench", kUsage, programFlag);
    if (options.rows < 1 || options.rounds < 1 || options.bulkRounds < 1) {
        std::cerr << "plugdb-bench: --rows, --rounds and --bulk-rounds must be positive\n";
        return 64;
    }

    const bool ownWorkdir = flags.workdir.empty();
    if (ownWorkdir) flags.workdir = makeTemporaryWorkdir("plugdb-bench");
    const fs::path& workdir = flags.workdir;

    std::vector<Target> targets;
    if (flags.wanted("sqlite")) {
        const std::string path = (workdir / "bench.db").string();
        targets.push_back({"sqlite (file, WAL, synchronous=NORMAL)",
                           "CREATE TABLE {table} (id integer PRIMARY KEY, name varchar(64), "
                           "v integer)",
                           {{"raw", [path] { return rawSqlite(path); }},
                            {"plugdb", [path] { return plugdbClient("sqlite:" + path); }},
                            {"poco",
                             [path] {
                                 auto c = pocoClient("SQLite", path);
                                 c->execute("PRAGMA synchronous=NORMAL");
                                 return c;
                             }},
                            {"soci", [path] {
                                 auto c = sociClient("sqlite3", "db=" + path);
                                 c->execute("PRAGMA synchronous=NORMAL");
                                 return c;
                             }}}});
    }
    const auto servers = findServers(flags, "plugdb-bench");
    if (!servers) return 69;
    for (const auto& server : *servers) {
        ServerSpec tcp;
        credentialsFromUrl(server.get("URL"), tcp);
        tcp.port = std::stoi(server.get("PORT"));
        ServerSpec socket = tcp;
        const bool pg = server.engine == "postgres";
        socket.socket = server.get(pg ? "SOCKET_DIR" : "SOCKET");
        targets.push_back(pg ? postgresTarget(tcp, "loopback TCP")
                             : mysqlTarget(tcp, "loopback TCP"));
        targets.push_back(pg ? postgresTarget(socket, "unix socket")
                             : mysqlTarget(socket, "unix socket"));
    }

    std::printf("# plugdb-bench\n\n%s, %ld cores; SQLite %s, libpq %d, MariaDB Connector/C %s\n",
                cpuModel().c_str(), ::sysconf(_SC_NPROCESSORS_ONLN), sqlite3_libversion(),
                PQlibVersion(), mysql_get_client_info());
    std::printf(
        "Times are per operation (lower is better); rates are rows per second "
        "(higher is better); \"vs raw\" divides the median by the raw client's.\n");

    bool ok = true;
    for (auto& target : targets) {
        if (clients)
            std::erase_if(target.contenders, [&](const ContenderFactory& f) {
                return f.name != "raw" && !clients->count(f.name);
            });
        options.serverEngine = target.title.rfind("sqlite", 0) != 0;
        try {
            ok = runTarget(target, options) && ok;
        } catch (const std::exception& e) {
            std::cerr << "plugdb-bench: " << target.title << ": " << e.what() << "\n";
            ok = false;
        }
    }
    if (poolBenchmark) runPoolBenchmark(quick);
    if (ownWorkdir) fs::remove_all(workdir);
    return ok ? 0 : 1;
}
