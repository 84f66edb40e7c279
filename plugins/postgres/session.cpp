#include "session.h"

#include <string>
#include <vector>

namespace plugdb::postgres {
namespace {

struct ConnectParams {
    std::vector<std::string> keys, values;
    void set(const std::string& key, const std::string& value) {
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        keys.push_back(key);
        values.push_back(value);
    }
};

ConnectParams paramsFor(const DataSource& source, int defaultPort) {
    ConnectParams p;
    std::string hosts, ports;
    for (std::size_t i = 0; i < source.endpoints.size(); ++i) {
        hosts += (i ? "," : "") + source.endpoints[i].host;
        const int port = source.endpoints[i].port ? source.endpoints[i].port : defaultPort;
        ports += (i ? "," : "") + (port ? std::to_string(port) : "");
    }
    if (!hosts.empty()) p.set("host", hosts);
    if (ports.find_first_not_of(',') != std::string::npos) p.set("port", ports);
    if (source.endpoints.empty() && defaultPort) p.set("port", std::to_string(defaultPort));
    if (!source.user.empty()) p.set("user", source.user);
    if (!source.password.empty()) p.set("password", source.password);
    if (!source.database.empty()) p.set("dbname", source.database);
    p.set("client_encoding", "UTF8");
    p.set("application_name", "plugdb");
    p.set("connect_timeout", "10");  // never hang on an unreachable host
    // Core checked them against driverOptions(): libpq keywords only.
    for (const auto& [key, value] : source.options) p.set(key, value);
    return p;
}

// "host:port/db" for messages: never the password.
std::string describe(const ConnectParams& p) {
    std::string host = "localhost", port, db;
    for (std::size_t i = 0; i < p.keys.size(); ++i) {
        if (p.keys[i] == "host") host = p.values[i];
        if (p.keys[i] == "port") port = ":" + p.values[i];
        if (p.keys[i] == "dbname") db = "/" + p.values[i];
    }
    return host + port + db;
}

}  // namespace

std::shared_ptr<Handle> openSession(const DataSource& source, const ErrorFlavor& flavor,
                                    int defaultPort) {
    const ConnectParams params = paramsFor(source, defaultPort);
    std::vector<const char*> keys, values;
    for (std::size_t i = 0; i < params.keys.size(); ++i) {
        keys.push_back(params.keys[i].c_str());
        values.push_back(params.values[i].c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    // expand_dbname = 0: a database name is a name, never a connection string.
    PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 0);
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        Error error = connectError(conn, describe(params), flavor);
        PQfinish(conn);
        throw error;
    }
    // libpq prints server notices to stderr by default; a library must not.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return std::make_shared<Handle>(conn, PQgetCancel(conn), flavor);
}

}  // namespace plugdb::postgres
