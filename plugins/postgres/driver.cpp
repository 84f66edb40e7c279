#include "driver.h"

#include <array>
#include <set>

#include "connection.h"
#include "error.h"

namespace plugdb::postgres {
namespace {

// libpq keywords a URL query or db.options.* may set; anything else is refused
// by name rather than silently ignored.
const std::set<std::string>& knownOptions() {
    static const std::set<std::string> kOptions{"application_name",
                                                "channel_binding",
                                                "connect_timeout",
                                                "gssencmode",
                                                "host",
                                                "hostaddr",
                                                "keepalives",
                                                "keepalives_count",
                                                "keepalives_idle",
                                                "keepalives_interval",
                                                "options",
                                                "passfile",
                                                "port",
                                                "sslcert",
                                                "sslcrl",
                                                "sslkey",
                                                "sslmode",
                                                "sslpassword",
                                                "sslrootcert",
                                                "target_session_attrs",
                                                "tcp_user_timeout"};
    return kOptions;
}

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

ConnectParams paramsFor(const DataSource& source) {
    ConnectParams p;
    std::string hosts, ports;
    for (std::size_t i = 0; i < source.endpoints.size(); ++i) {
        hosts += (i ? "," : "") + source.endpoints[i].host;
        ports += (i ? "," : "") +
                 (source.endpoints[i].port ? std::to_string(source.endpoints[i].port) : "");
    }
    if (!hosts.empty()) p.set("host", hosts);
    if (ports.find_first_not_of(',') != std::string::npos) p.set("port", ports);
    if (!source.user.empty()) p.set("user", source.user);
    if (!source.password.empty()) p.set("password", source.password);
    if (!source.database.empty()) p.set("dbname", source.database);
    p.set("client_encoding", "UTF8");
    p.set("application_name", "plugdb");
    p.set("connect_timeout", "10");  // never hang on an unreachable host
    for (const auto& [key, value] : source.options) {
        if (!knownOptions().contains(key)) {
            std::string known;
            for (const auto& k : knownOptions()) known += (known.empty() ? "" : ", ") + k;
            throw Error(ErrorCategory::Config,
                        "postgres: unknown option '" + key + "'; known options: " + known,
                        pluginDetails());
        }
        p.set(key, value);
    }
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

const Dialect& PostgresDriver::dialect() const {
    static const Dialect kDialect{Dialect::Placeholders::DollarNumber, '"'};
    return kDialect;
}

std::unique_ptr<Connection> PostgresDriver::connect(const DataSource& source) {
    const ConnectParams params = paramsFor(source);
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
        Error error = connectError(conn, describe(params));
        PQfinish(conn);
        throw error;
    }
    // libpq prints server notices to stderr by default; a library must not.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    auto handle = std::make_shared<Handle>(conn, PQgetCancel(conn));
    return std::make_unique<PgConnection>(std::move(handle));
}

}  // namespace plugdb::postgres
