#include "plugdb/settings.h"

#include <stdexcept>
#include <vector>

#include "ascii_text.h"
#include "plugdb/config.h"
#include "plugdb/duration.h"
#include "plugdb/input_file.h"

namespace plugdb::settings {
namespace {

using K = Kind;

// One row per key: key, default, environment variables, kind, minimum (for
// integers), description. The order is config/README.md's.
std::vector<Definition> makeTable() {
    // clang-format off
    return {
        {"db.driver", "", {"DB_DRIVER"}, K::Text, 0,
         "driver plugin name; empty: from the URL's scheme, else sqlite"},
        {"db.url", "", {"DATABASE_URL"}, K::Text, 0,
         "connection URL; empty: SQLite at ./var/plugdb.db unless db.* keys say otherwise"},
        {"db.host", "", {"DB_HOST"}, K::Text, 0,
         "server host, host:port, a comma-separated list or a socket directory"},
        {"db.port", "", {"DB_PORT"}, K::Text, 0,
         "server port for every host; empty: the driver's"},
        {"db.user", "", {"DB_USER"}, K::Text, 0,
         "user name"},
        {"db.password", "", {"DB_PASSWORD"}, K::Text, 0,
         "password (always masked)"},
        {"db.password_file", "", {"DB_PASSWORD_FILE"}, K::Text, 0,
         "file holding the password, used when no password is given otherwise"},
        {"db.name", "", {"DB_NAME"}, K::Text, 0,
         "database name on the server"},
        {"db.sslmode", "", {"DB_SSLMODE", "DB_SSL_MODE"}, K::Text, 0,
         "TLS mode, passed to the driver as option sslmode"},
        {"db.path", "", {"DB_PATH"}, K::Text, 0,
         "database file of an embedded engine"},
        {"db.query_timeout", "0", {"DB_QUERY_TIMEOUT"}, K::Duration, 0,
         "longest run of one statement call before it is cancelled; 0: no limit"},
        {"plugins.path", "", {"PLUGDB_PLUGIN_PATH"}, K::List, 0,
         "directories searched first for driver plugins, ':'-separated"},
        {"http.listen", "127.0.0.1:8080", {"PLUGDB_LISTEN"}, K::Text, 0,
         "HOST:PORT plugdb serve listens on"},
        {"http.header_timeout", "5s", {}, K::Duration, 0,
         "plugdb serve: time to receive a whole request head"},
        {"http.max_connections", "256", {}, K::Integer, 1,
         "plugdb serve: open connections at most"},
        {"log.level", "information", {"PLUGDB_LOG_LEVEL"}, K::Text, 0,
         "error, warning, information, debug or trace"},
        {"log.format", "plain", {"PLUGDB_LOG_FORMAT"}, K::Text, 0,
         "plain text or json lines"},
        {"pool.max_open", "25", {"DB_MAX_OPEN_CONNS"}, K::Integer, 0,
         "connections open at once, in use and idle; 0: no limit"},
        {"pool.max_idle", "5", {"DB_MAX_IDLE_CONNS"}, K::Integer, 0,
         "idle connections kept for reuse, at most pool.max_open"},
        {"pool.max_lifetime", "5m", {"DB_CONN_MAX_LIFETIME"}, K::Duration, 0,
         "age after which a connection is closed instead of reused; 0: no limit"},
        {"pool.max_idle_time", "5m", {"DB_CONN_MAX_IDLE_TIME"}, K::Duration, 0,
         "idle time after which a connection is closed; 0: no limit"},
        {"pool.acquire_timeout", "30s", {"DB_POOL_ACQUIRE_TIMEOUT"}, K::Duration, 0,
         "longest wait for a free connection; 0: fail at once"},
        {"pool.ping_idle_after", "1s", {}, K::Duration, 0,
         "idle time after which a connection is pinged before use"},
        {"connect.attempts", "5", {}, K::Integer, 1,
         "tries to open the first connection while the server is unreachable"},
        {"connect.backoff_initial", "1s", {}, K::Duration, 0,
         "wait before the second try, doubled after each one"},
        {"connect.backoff_max", "16s", {}, K::Duration, 0,
         "longest wait between tries"},
        {"transaction.max_attempts", "5", {}, K::Integer, 1,
         "runs of a transact() function failing with a retryable error"},
        {"transaction.backoff_initial", "10ms", {}, K::Duration, 0,
         "wait before the second run, doubled after each one"},
        {"transaction.backoff_max", "1s", {}, K::Duration, 0,
         "longest wait between runs"},
        {"migrations.path", "./migrations", {"DB_MIGRATE_PATH"}, K::Text, 0,
         "folder of migrations, one NNNN_name/ folder per version"},
        {"migrations.table", "plugdb_migrations", {}, K::Text, 0,
         "table recording the applied migrations"},
        {"migrations.allow_gaps", "false", {}, K::Boolean, 0,
         "accept versions that are not consecutive"},
        {"migrations.lock", "auto", {}, K::Text, 0,
         "how migrators exclude each other: auto or table"},
        {"migrations.lock_timeout", "5m", {}, K::Duration, 0,
         "longest wait for another migrator to finish"},
        {"migrations.lock_lease", "30s", {}, K::Duration, 0,
         "with migrations.lock=table: a lease not renewed this long is taken over"},
        {"migrate.auto", "", {"DB_AUTO_MIGRATE"}, K::Boolean, 0,
         "plugdb serve applies pending migrations; empty: true for embedded SQL engines (SQLite)"},
        {"migrate.out_of_order", "false", {}, K::Boolean, 0,
         "apply a pending version lower than an applied one"},
        {"queries.path", "./queries", {"PLUGDB_QUERIES_PATH"}, K::Text, 0,
         "folder of named queries (*.sql with '-- name:' blocks); a missing default folder or an "
         "empty value is none"},
        {"queries.prepare_on_open", "true", {}, K::Boolean, 0,
         "Database::open prepares every named query once, so a typo fails there"},
        {"limits.sql_file_bytes", std::to_string(InputFileLimits::kSqlBytes), {}, K::Integer, 1,
         "largest SQL file read, in bytes (plugdb sql --file, migration files)"},
    };
    // clang-format on
}

const std::vector<Definition>& table() {
    static const std::vector<Definition> kTable = makeTable();
    return kTable;
}

const Definition& definitionOf(std::string_view key) {
    const Definition* definition = find(key);
    if (definition == nullptr)
        throw std::invalid_argument("the settings table has no key '" + std::string(key) + "'");
    return *definition;
}

const Definition& ofKind(std::string_view key, Kind kind) {
    const Definition& definition = definitionOf(key);
    if (definition.kind != kind)
        throw std::invalid_argument("the setting " + definition.key + " is " +
                                    toString(definition.kind) + ", not " + toString(kind));
    return definition;
}

}  // namespace

const char* toString(Kind kind) {
    switch (kind) {
        case Kind::Text:
            return "text";
        case Kind::Integer:
            return "integer";
        case Kind::Boolean:
            return "boolean";
        case Kind::Duration:
            return "duration";
        case Kind::List:
            return "list";
    }
    return "unknown";
}

std::span<const Definition> all() {
    return table();
}

const Definition* find(std::string_view key) {
    const std::string lowered = ascii::lowerCase(key);
    for (const Definition& definition : table())
        if (definition.key == lowered) return &definition;
    return nullptr;
}

const std::string& defaultOf(std::string_view key) {
    return definitionOf(key).defaultValue;
}

bool isKnown(std::string_view key) {
    const std::string lowered = ascii::lowerCase(key);
    return find(lowered) != nullptr || (lowered.starts_with(kDriverOptionPrefix) &&
                                        lowered.size() > kDriverOptionPrefix.size());
}

std::string text(const Config& config, std::string_view key) {
    const Definition& definition = definitionOf(key);
    if (definition.kind != Kind::List) (void)ofKind(key, Kind::Text);
    const std::string value = config.getString(definition.key);
    return ascii::trim(value).empty() ? definition.defaultValue : value;
}

int integer(const Config& config, std::string_view key) {
    const Definition& definition = ofKind(key, Kind::Integer);
    return config.getInt(definition.key, defaultInteger(key), definition.minimum);
}

bool boolean(const Config& config, std::string_view key) {
    const Definition& definition = ofKind(key, Kind::Boolean);
    if (definition.defaultValue.empty())
        throw std::invalid_argument("the setting " + definition.key +
                                    " has no default; read it with Config::getBool and a fallback");
    return config.getBool(definition.key, definition.defaultValue == "true");
}

std::chrono::milliseconds duration(const Config& config, std::string_view key) {
    const Definition& definition = ofKind(key, Kind::Duration);
    return config.getDuration(definition.key, defaultDuration(key));
}

int defaultInteger(std::string_view key) {
    return std::stoi(ofKind(key, Kind::Integer).defaultValue);
}

std::chrono::milliseconds defaultDuration(std::string_view key) {
    const Definition& definition = ofKind(key, Kind::Duration);
    const auto parsed = parseDuration(definition.defaultValue);
    if (!parsed)
        throw std::invalid_argument("the default of " + definition.key + " is not a duration");
    return *parsed;
}

}  // namespace plugdb::settings
