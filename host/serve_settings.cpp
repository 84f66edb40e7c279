#include "serve_settings.h"

#include "plugdb/backoff.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/settings.h"

namespace plugdb::host {
namespace {

http::Limits limitsFrom(const Config& config) {
    http::Limits limits;
    limits.headTimeout = settings::duration(config, "http.header_timeout");
    if (limits.headTimeout.count() <= 0)
        throw Error(ErrorCategory::Config, "http.header_timeout must be longer than 0");
    limits.maxConnections =
        static_cast<std::size_t>(settings::integer(config, "http.max_connections"));
    return limits;
}

Poco::Net::SocketAddress listenAddress(const Config& config) {
    const std::string listen = settings::text(config, "http.listen");
    try {
        return Poco::Net::SocketAddress(listen);
    } catch (const Poco::Exception& e) {
        throw Error(ErrorCategory::Config,
                    "http.listen '" + listen + "' is not HOST:PORT (" + e.displayText() + ")");
    }
}

// Checked here rather than when the database opens, where a bad value would
// be retried as if the database were unreachable.
void checkDatabaseSettings(const Config& config) {
    const bool migrateAuto = config.getBool("migrate.auto", true);  // a boolean, or empty
    if (migrateAuto) (void)migrate::Options::fromConfig(config);
    (void)Backoff::fromConfig(config, "connect.backoff");
}

}  // namespace

ServeSettings ServeSettings::fromConfig(const Config& config) {
    ServeSettings result;
    result.limits = limitsFrom(config);
    checkDatabaseSettings(config);
    result.listen = listenAddress(config);
    return result;
}

}  // namespace plugdb::host
