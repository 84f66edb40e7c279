#include "connection.h"

#include "error.h"
#include "plugdb/driver_options.h"
#include "statement.h"

namespace plugdb::mysql {
namespace {

std::string option(const DataSource& source, const char* a, const char* b) {
    const std::string first = source.option(a);
    return first.empty() ? source.option(b) : first;
}

// ssl-mode as MySQL spells it or as libpq does: disabled/disable, required/require,
// verify_ca/verify-ca, verify_identity/verify-full (core checked it against
// driverOptions(); the refusal below is for a host that does not check).
void applyTls(MYSQL* conn, const DataSource& source) {
    std::string mode = option(source, "ssl-mode", "sslmode");
    for (char& c : mode) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
    const std::string ca = option(source, "ssl-ca", "sslrootcert");
    const std::string cert = option(source, "ssl-cert", "sslcert");
    const std::string key = option(source, "ssl-key", "sslkey");
    if (!ca.empty()) mysql_optionsv(conn, MYSQL_OPT_SSL_CA, ca.c_str());
    if (!cert.empty()) mysql_optionsv(conn, MYSQL_OPT_SSL_CERT, cert.c_str());
    if (!key.empty()) mysql_optionsv(conn, MYSQL_OPT_SSL_KEY, key.c_str());
    my_bool enforce = 0, verify = 0;
    if (mode.empty() || mode == "disable" || mode == "disabled" || mode == "preferred" ||
        mode == "prefer") {
        // no TLS demanded
    } else if (mode == "require" || mode == "required") {
        enforce = 1;
    } else if (mode == "verify-ca" || mode == "verify-full" || mode == "verify-identity") {
        // Connector/C verifies the chain and the host name together.
        enforce = verify = 1;
    } else {
        throw Error(ErrorCategory::Config,
                    "mysql: ssl-mode '" + mode +
                        "' is not one of disabled, required, verify-ca, verify-full",
                    ErrorDetails{"mysql", 0, {}});
    }
    mysql_optionsv(conn, MYSQL_OPT_SSL_ENFORCE, &enforce);
    mysql_optionsv(conn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
}

}  // namespace

MYSQL* openSession(const DataSource& source) {
    // Core checked the options against driverOptions(): connect_timeout is a
    // whole number of seconds in range.
    unsigned timeout = 10;  // never hang on an unreachable host
    if (const auto seconds = parseOptionInt(source.option("connect_timeout")))
        timeout = static_cast<unsigned>(*seconds);
    MYSQL* conn = mysql_init(nullptr);
    if (conn == nullptr)
        throw Error(ErrorCategory::Other, "mysql: out of memory", ErrorDetails{"mysql", 0, {}});
    mysql_optionsv(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_optionsv(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    try {
        applyTls(conn, source);
    } catch (...) {
        mysql_close(conn);
        throw;
    }

    std::string host = "localhost", socket = source.option("socket");
    unsigned port = 0;
    if (!source.endpoints.empty()) {
        const auto& endpoint = source.endpoints.front();  // MySQL has no multi-host failover
        if (endpoint.host.starts_with('/'))
            socket = endpoint.host;
        else if (!endpoint.host.empty())
            host = endpoint.host;
        port = static_cast<unsigned>(endpoint.port);
    }
    const std::string target =
        (socket.empty() ? host + (port ? ":" + std::to_string(port) : "") : socket) + "/" +
        source.database;
    // CLIENT_FOUND_ROWS: UPDATE reports matched rows, as the other engines do.
    if (mysql_real_connect(conn, host.c_str(), source.user.c_str(), source.password.c_str(),
                           source.database.empty() ? nullptr : source.database.c_str(), port,
                           socket.empty() ? nullptr : socket.c_str(),
                           CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS) == nullptr) {
        Error error = connectionError(conn, "cannot connect to " + target);
        mysql_close(conn);
        throw error;
    }
    // TIMESTAMP columns convert through the session time zone: make it UTC.
    if (mysql_query(conn, "SET time_zone = '+00:00'") != 0) {
        Error error = connectionError(conn);
        mysql_close(conn);
        throw error;
    }
    return conn;
}

void Handle::run(const std::string& sql) {
    if (mysql_real_query(conn, sql.data(), sql.size()) != 0) throw connectionError(conn);
    // Every result of a multi-statement script must be read before the next command.
    for (;;) {
        if (MYSQL_RES* result = mysql_store_result(conn)) mysql_free_result(result);
        const int more = mysql_next_result(conn);
        if (more > 0) throw connectionError(conn);
        if (more < 0) break;
    }
}

std::unique_ptr<Statement> MyConnection::prepare(std::string_view sql) {
    return std::make_unique<MyStatement>(*handle_, sql);
}

void MyConnection::ping() {
    if (mysql_ping(handle_->conn) != 0) throw connectionError(handle_->conn);
}

std::string MyConnection::serverVersion() {
    return std::string("MySQL protocol server ") + mysql_get_server_info(handle_->conn);
}

// MariaDB 10.5 added INSERT ... RETURNING; MySQL has none.
void MyConnection::refine(EngineTraits& traits) {
    const std::string info = mysql_get_server_info(handle_->conn);
    if (info.find("MariaDB") != std::string::npos &&
        mysql_get_server_version(handle_->conn) >= 100500)
        traits.capabilities |= kCapReturning;
}

// KILL QUERY from a second session: the first is busy waiting for its result.
void MyConnection::interrupt() {
    MYSQL* side = openSession(handle_->source);
    const std::string kill = "KILL QUERY " + std::to_string(handle_->threadId);
    mysql_query(side, kill.c_str());
    mysql_close(side);
}

}  // namespace plugdb::mysql
