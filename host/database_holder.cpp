#include "database_holder.h"

#include <filesystem>

#include "logging.h"
#include "plugdb/migrate.h"
#include "plugdb/registry.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"

namespace plugdb::host {
namespace {

// How long a readiness check may wait for a free connection and its ping: an
// exhausted pool makes the probe answer "not ready" promptly instead of holding
// a worker of the server for pool.acquire_timeout.
constexpr std::chrono::seconds kHealthCheckWait{2};

// The connection tries of connect.* happen in the open loop here, one per
// Database::open, so a stop does not wait for a whole series of retries.
Config singleAttempt(const Config& config) {
    Config result = config;
    result.set("connect.attempts", "1", Layer::CommandLine, "serve (retries between attempts)");
    return result;
}

bool unreachable(ErrorCategory category) {
    return category == ErrorCategory::Connection || category == ErrorCategory::Auth ||
           category == ErrorCategory::Timeout;
}

}  // namespace

std::string unavailableReason(const Error& error) {
    return std::string("database unavailable (") + toString(error.category()) + ")";
}

DatabaseHolder::DatabaseHolder(const Config& config, std::function<void()> onFatal)
    : config_(singleAttempt(config)),
      backoff_(Backoff::fromConfig(config, "connect.backoff")),
      onFatal_(std::move(onFatal)) {
    // Named queries are prepared once the migrations made their tables.
    const Setting* prepare = config.find("queries.prepare_on_open");
    prepareQueries_ = prepare == nullptr || prepare->layer == Layer::Default ||
                      settings::boolean(config, "queries.prepare_on_open");
    config_.set("queries.prepare_on_open", "false", Layer::CommandLine,
                "serve (prepared after migrations)");
    driverName_ = config.getString("db.driver");
    // Name the driver of the URL's scheme before the database opens, so
    // probes and metrics say which backend is unreachable.
    const std::string url = config.getString("db.url");
    if (driverName_.empty() && !url.empty()) {
        try {
            driverName_ = DriverRegistry::instance().driverForScheme(Url::parse(url).scheme,
                                                                     config.pluginSearchPath());
        } catch (const Error&) {
            // Database::open reports a bad URL or plugin with the whole story.
        }
    }
}

DatabaseHolder::~DatabaseHolder() {
    stop();
}

void DatabaseHolder::start() {
    opener_ = std::thread([this] { openLoop(); });
}

void DatabaseHolder::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (opener_.joinable()) opener_.join();
}

DatabaseHolder::Status DatabaseHolder::check() {
    Database* db = database();
    Status status;
    status.driver = driver();
    {
        std::lock_guard lock(mutex_);
        status.reason = reason_;
        status.error = lastError_;
        status.migrations = migrationState_;
        status.migrationError = migrationError_;
    }
    if (!db) {
        if (status.reason.empty()) status.reason = status.error = "database not opened yet";
        return status;
    }
    try {
        db->ping(kHealthCheckWait);
        status.healthy = true;
        status.reason.clear();
        status.error.clear();
    } catch (const Error& e) {
        status.reason = unavailableReason(e);
        status.error = secrets::mask(e.what());
    }
    std::lock_guard lock(mutex_);
    if (!status.healthy) {
        reason_ = status.reason;
        lastError_ = status.error;
    }
    if (status.healthy != lastCheckHealthy_) {
        if (status.healthy)
            logger().information("database is ready");
        else
            logger().warning("database is not ready: " + status.error);
    }
    lastCheckHealthy_ = status.healthy;
    return status;
}

Database* DatabaseHolder::database() {
    std::lock_guard lock(mutex_);
    return db_ ? &*db_ : nullptr;
}

std::string DatabaseHolder::driver() {
    std::lock_guard lock(mutex_);
    return driverName_.empty() ? "unknown" : driverName_;
}

std::string DatabaseHolder::lastError() {
    std::lock_guard lock(mutex_);
    return lastError_;
}

std::string DatabaseHolder::serverVersion() {
    std::lock_guard lock(mutex_);
    return serverVersion_;
}

bool DatabaseHolder::lastCheckHealthy() {
    std::lock_guard lock(mutex_);
    return lastCheckHealthy_;
}

std::uint64_t DatabaseHolder::openRetries() {
    std::lock_guard lock(mutex_);
    return openRetries_;
}

std::optional<Error> DatabaseHolder::fatalError() {
    std::lock_guard lock(mutex_);
    return fatal_;
}

void DatabaseHolder::recordFailure(const std::string& reason, const std::string& error) {
    reason_ = reason;
    lastError_ = error;
}

void DatabaseHolder::openLoop() {
    for (int failures = 0;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        try {
            Database db = Database::open(config_);
            if (!applyMigrations(db)) return;  // stays not ready with the migration's error
            // Likewise with the error of a named query that does not prepare.
            if (!prepareNamedQueries(db)) return;
            std::string version;
            try {
                version = secrets::mask(db.serverVersion());
            } catch (const Error& e) {
                logger().warning("cannot read the server version: " + secrets::mask(e.what()));
            }
            std::lock_guard lock(mutex_);
            serverVersion_ = version;
            logger().information("database ready: " + db.info().target + " (driver " +
                                 db.info().driver + " " + db.info().driverVersion + ")");
            driverName_ = db.info().driver;
            db_.emplace(std::move(db));
            recordFailure("", "");
            return;
        } catch (const Error& e) {
            const std::string error = secrets::mask(e.what());
            if (e.category() == ErrorCategory::Config) {
                // A bad key or value will not fix itself: retrying only hides it.
                logger().error("cannot open the database: " + error +
                               "; configuration errors are not retried");
                {
                    std::lock_guard lock(mutex_);
                    recordFailure(unavailableReason(e), error);
                    fatal_ = e;
                }
                if (onFatal_) onFatal_();
                return;
            }
            std::unique_lock lock(mutex_);
            recordFailure(unavailableReason(e), error);
            ++failures;
            ++openRetries_;
            // An unreachable server may come up: back off as connect.* says.
            // Anything else (a missing plugin, which an operator may install)
            // is retried slowly.
            const auto delay =
                unreachable(e.category()) ? backoff_.delayAfter(failures) : backoff_.max();
            logger().warning("cannot open the database (" + std::string(toString(e.category())) +
                             "): " + error + "; retrying in " + std::to_string(delay.count()) +
                             " ms");
            if (wake_.wait_for(lock, delay, [&] { return stopping_; })) return;
        }
    }
}

// Applies pending migrations when migrate.auto says so (default: embedded SQL
// engines such as SQLite, whose database the host owns; a server's schema is
// its operators', and a key-value engine's migrations are code in its
// application, not the folder's SQL). False when they failed: retrying would
// fail the same way.
bool DatabaseHolder::applyMigrations(Database& db) {
    const bool embeddedSql = db.has(kCapEmbedded) && !db.has(kCapKeyValue);
    if (!config_.getBool("migrate.auto", embeddedSql)) {
        setMigrationState("off");
        return true;
    }
    const Setting* path = config_.find("migrations.path");
    const migrate::Options options = migrate::Options::fromConfig(config_);
    std::error_code ec;
    if ((path == nullptr || path->layer == Layer::Default) &&
        !std::filesystem::is_directory(options.path, ec)) {
        logger().information("no migrations folder at " + options.path + "; nothing to migrate");
        setMigrationState("off");
        return true;
    }
    {
        std::lock_guard lock(mutex_);
        driverName_ = db.info().driver;
        recordFailure("applying migrations", "applying migrations");
        migrationState_ = "applying";
    }
    try {
        migrate::Options run = options;
        run.log = [](const std::string& line) { logger().information("migrate: " + line); };
        migrate::Migrator migrator(db, run);
        const int applied = migrator.up();
        logger().information("migrations: applied " + std::to_string(applied) +
                             ", now at version " + std::to_string(migrator.currentVersion()));
        setMigrationState("version " + std::to_string(migrator.currentVersion()));
        return true;
    } catch (const Error& e) {
        const std::string error = "migration failed: " + secrets::mask(e.what());
        std::lock_guard lock(mutex_);
        // Which file and statement failed helps whoever reads /ready; an error
        // of the connection itself names the server, so only its category.
        recordFailure(
            unreachable(e.category()) ? "migration failed: " + unavailableReason(e) : error, error);
        migrationState_ = "failed";
        migrationError_ = secrets::mask(e.what());
        logger().error(error + "; not ready until fixed and restarted");
        return false;
    }
}

// Prepares every named query (a typo fails start-up, not a request); false
// when one does not prepare: serve stays not ready with its error.
bool DatabaseHolder::prepareNamedQueries(Database& db) {
    if (!prepareQueries_ || db.namedQueries().empty()) return true;
    try {
        db.checkNamedQueries();
        logger().information("named queries: " + std::to_string(db.namedQueries().all().size()) +
                             " prepared from " + db.namedQueries().folder());
        return true;
    } catch (const Error& e) {
        const std::string error = "named queries: " + secrets::mask(e.what());
        std::lock_guard lock(mutex_);
        recordFailure(unreachable(e.category()) ? "named queries: " + unavailableReason(e) : error,
                      error);
        logger().error(error + "; not ready until fixed and restarted");
        return false;
    }
}

void DatabaseHolder::setMigrationState(const std::string& state) {
    std::lock_guard lock(mutex_);
    migrationState_ = state;
}

}  // namespace plugdb::host
