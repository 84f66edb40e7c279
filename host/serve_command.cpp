// plugdb serve: keeps the database open and answers health probes over HTTP.
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Timestamp.h>

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "commands.h"
#include "logging.h"
#include "observability.h"
#include "output.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/registry.h"
#include "plugdb/secrets.h"

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace plugdb::host {
namespace {

// How long a readiness check may wait for a free connection and its ping: an
// exhausted pool makes the probe answer "not ready" promptly instead of holding
// one of the server's threads for pool.acquire_timeout.
constexpr std::chrono::seconds kHealthCheckWait{2};

// Opens the database in the background, retrying with backoff, so the server
// answers probes (not ready) while the database is unreachable.
class DatabaseHolder {
public:
    explicit DatabaseHolder(const Config& config) : config_(config) {
        driverName_ = config.getString("db.driver");
        // Name the driver of the URL's scheme before the database opens, so
        // probes and metrics say which backend is unreachable.
        const std::string url = config.getString("db.url", "");
        if (driverName_.empty() && !url.empty()) {
            try {
                driverName_ = DriverRegistry::instance().driverForScheme(Url::parse(url).scheme,
                                                                         config.pluginSearchPath());
            } catch (const Error&) {
                // Database::open reports a bad URL or plugin with the whole story.
            }
        }
    }

    ~DatabaseHolder() { stop(); }

    void start() {
        opener_ = std::thread([this] { openLoop(); });
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (opener_.joinable()) opener_.join();
    }

    struct Status {
        bool healthy = false;
        std::string driver;
        std::string error;           // masked
        std::string migrations;      // "off", "applying", "version N", "failed"
        std::string migrationError;  // masked; set when failed
    };

    // Pings through the pool, so an exhausted pool (acquire timeout) or an
    // unreachable server both count as not healthy. Logs changes of state only,
    // since probes come often.
    Status check() {
        Database* db = database();
        Status status;
        status.driver = driver();
        status.error = lastError();
        {
            std::lock_guard lock(mutex_);
            status.migrations = migrationState_;
            status.migrationError = migrationError_;
        }
        if (!db) {
            if (status.error.empty()) status.error = "database not opened yet";
            return status;
        }
        try {
            db->ping(kHealthCheckWait);
            status.healthy = true;
            status.error.clear();
        } catch (const Error& e) {
            status.error = secrets::mask(e.what());
        }
        std::lock_guard lock(mutex_);
        if (!status.healthy) lastError_ = status.error;
        if (status.healthy != lastCheckHealthy_) {
            if (status.healthy)
                logger().information("database is ready");
            else
                logger().warning("database is not ready: " + status.error);
        }
        lastCheckHealthy_ = status.healthy;
        return status;
    }

    // The open database, or null before it opened. Once set it stays until the
    // holder is destroyed, after the HTTP server stopped, so callers may use
    // it without the lock (Database is thread-safe).
    Database* database() {
        std::lock_guard lock(mutex_);
        return db_ ? &*db_ : nullptr;
    }

    std::string driver() {
        std::lock_guard lock(mutex_);
        return driverName_.empty() ? "unknown" : driverName_;
    }

    std::string lastError() {
        std::lock_guard lock(mutex_);
        return lastError_;
    }

    std::string serverVersion() {
        std::lock_guard lock(mutex_);
        return serverVersion_;
    }

    bool lastCheckHealthy() {
        std::lock_guard lock(mutex_);
        return lastCheckHealthy_;
    }

private:
    void openLoop() {
        auto delay = std::chrono::seconds(1);
        const auto maxDelay = std::chrono::seconds(16);
        for (;;) {
            try {
                Database db = Database::open(config_);
                if (!applyMigrations(db)) return;  // stays not ready with the migration's error
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
                lastError_.clear();
                return;
            } catch (const Error& e) {
                std::unique_lock lock(mutex_);
                lastError_ = secrets::mask(e.what());
                // Configuration and plugin errors will not fix themselves, but an
                // operator may fix the file system or install a plugin: keep trying, slowly.
                logger().warning("cannot open the database (" +
                                 std::string(toString(e.category())) + "): " + lastError_ +
                                 "; retrying in " + std::to_string(delay.count()) + "s");
                if (wake_.wait_for(lock, delay, [&] { return stopping_; })) return;
                delay = std::min(delay * 2, maxDelay);
            }
        }
    }

    // Applies pending migrations when migrate.auto says so (default: SQLite
    // only). False when they failed: retrying would fail the same way.
    bool applyMigrations(Database& db) {
        if (!config_.getBool("migrate.auto", db.info().driver == "sqlite")) {
            setMigrationState("off");
            return true;
        }
        const Setting* path = config_.find("migrations.path");
        const migrate::Options options = migrate::Options::fromConfig(config_);
        std::error_code ec;
        if ((path == nullptr || path->layer == Layer::Default) &&
            !std::filesystem::is_directory(options.path, ec)) {
            logger().information("no migrations folder at " + options.path +
                                 "; nothing to migrate");
            setMigrationState("off");
            return true;
        }
        {
            std::lock_guard lock(mutex_);
            driverName_ = db.info().driver;
            lastError_ = "applying migrations";
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
            std::lock_guard lock(mutex_);
            lastError_ = "migration failed: " + secrets::mask(e.what());
            migrationState_ = "failed";
            migrationError_ = secrets::mask(e.what());
            logger().error(lastError_ + "; not ready until fixed and restarted");
            return false;
        }
    }

    void setMigrationState(const std::string& state) {
        std::lock_guard lock(mutex_);
        migrationState_ = state;
    }

    Config config_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread opener_;
    bool stopping_ = false;
    std::optional<Database> db_;
    std::string driverName_;
    std::string lastError_;
    std::string serverVersion_;
    bool lastCheckHealthy_ = false;
    std::string migrationState_ = "not started";
    std::string migrationError_;
};

std::string formatUptime(std::chrono::steady_clock::duration elapsed) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    const auto hours = seconds / 3600;
    const auto minutes = seconds / 60 % 60;
    seconds %= 60;
    std::string out;
    if (hours) out += std::to_string(hours) + "h ";
    if (hours || minutes) out += std::to_string(minutes) + "m ";
    return out + std::to_string(seconds) + "s";
}

std::string timestampNow() {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%SZ");
}

class HealthHandler : public HTTPRequestHandler {
public:
    HealthHandler(DatabaseHolder& holder, std::chrono::steady_clock::time_point started)
        : holder_(holder), started_(started) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        std::string path = request.getURI();
        if (auto query = path.find('?'); query != std::string::npos) path.resize(query);
        try {
            route(request.getMethod(), path, response);
        } catch (const std::exception& e) {
            const std::string error = secrets::mask(e.what());
            logger().warning(request.getMethod() + " " + path + " failed: " + error);
            if (!response.sent())
                send(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     "{\"error\":" + jsonString(error) + "}");
        }
        if (logger().debug())
            logger().debug(request.getMethod() + " " + secrets::mask(path) + " " +
                           std::to_string(static_cast<int>(response.getStatus())) + " from " +
                           request.clientAddress().toString());
    }

private:
    void route(const std::string& method, const std::string& path, HTTPServerResponse& response) {
        if (method != "GET" && method != "HEAD")
            return send(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
                        "{\"error\":\"only GET and HEAD are allowed\"}");
        const auto elapsed = std::chrono::steady_clock::now() - started_;
        const std::string uptime = formatUptime(elapsed);
        if (path == "/live" || path == "/livez")
            return send(response, HTTPResponse::HTTP_OK,
                        "{\"status\":\"alive\",\"uptime\":" + jsonString(uptime) + "}");
        if (path == "/metrics") return sendMetrics(response, elapsed);
        if (path == "/health/database") return sendDatabaseHealth(response);
        if (path == "/health/detailed") return sendDetailedHealth(response, elapsed);
        if (path == "/health" || path == "/ready" || path == "/readyz") {
            const auto status = holder_.check();
            const auto code =
                status.healthy ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
            const std::string database = status.healthy ? "healthy" : "unhealthy";
            std::string error;
            if (!status.error.empty()) error = ",\"error\":" + jsonString(status.error);
            if (path == "/health") {
                return send(response, code,
                            "{\"status\":" + jsonString(database) + ",\"timestamp\":" +
                                jsonString(timestampNow()) + ",\"uptime\":" + jsonString(uptime) +
                                ",\"version\":" + jsonString(PLUGDB_VERSION) +
                                ",\"db_driver\":" + jsonString(status.driver) +
                                ",\"services\":{\"database\":" + jsonString(database) + "}" +
                                ",\"migrations\":" + jsonString(status.migrations) + error + "}");
            }
            return send(response, code,
                        "{\"status\":" + jsonString(status.healthy ? "ready" : "not ready") +
                            ",\"db_driver\":" + jsonString(status.driver) +
                            ",\"database\":" + jsonString(database) + error + "}");
        }
        send(response, HTTPResponse::HTTP_NOT_FOUND,
             "{\"error\":\"not found\",\"endpoints\":[\"/health\",\"/health/database\","
             "\"/health/detailed\",\"/ready\",\"/readyz\",\"/live\",\"/livez\",\"/metrics\"]}");
    }

    // The seed's shape: {"status", "timestamp", "database": {"connectivity", "pool_stats"}}.
    void sendDatabaseHealth(HTTPServerResponse& response) {
        const auto status = holder_.check();
        const std::string health = status.healthy ? "healthy" : "unhealthy";
        std::string body = "{\"status\":" + jsonString(health) +
                           ",\"timestamp\":" + jsonString(timestampNow()) +
                           ",\"database\":{\"connectivity\":" + jsonString(health) +
                           ",\"driver\":" + jsonString(status.driver) +
                           ",\"pool_stats\":" + poolStatsOf(holder_.database());
        if (!status.error.empty()) body += ",\"error\":" + jsonString(status.error);
        send(response,
             status.healthy ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
             body + "}}");
    }

    void sendDetailedHealth(HTTPServerResponse& response,
                            std::chrono::steady_clock::duration elapsed) {
        const auto status = holder_.check();
        Database* db = holder_.database();
        const std::string health = status.healthy ? "healthy" : "unhealthy";
        std::string database =
            "{\"connectivity\":" + jsonString(health) + ",\"driver\":" + jsonString(status.driver);
        if (db) {
            const DatabaseInfo& info = db->info();
            database += ",\"driver_version\":" + jsonString(info.driverVersion) +
                        ",\"server_version\":" + jsonString(holder_.serverVersion()) +
                        ",\"target\":" + jsonString(secrets::mask(info.target));
        }
        database += ",\"pool_stats\":" + poolStatsOf(db);
        const std::string lastError = holder_.lastError();
        database +=
            ",\"last_error\":" + (lastError.empty() ? std::string("null") : jsonString(lastError)) +
            "}";
        // The migration state and its error, as the migration engine reports them.
        std::string migrations = "{\"state\":" + jsonString(status.migrations);
        if (!status.migrationError.empty())
            migrations += ",\"error\":" + jsonString(status.migrationError);
        migrations += "}";
        std::string error;
        if (!status.error.empty()) error = ",\"error\":" + jsonString(status.error);
        const double seconds = std::chrono::duration<double>(elapsed).count();
        send(response,
             status.healthy ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
             "{\"status\":" + jsonString(health) + ",\"timestamp\":" + jsonString(timestampNow()) +
                 ",\"uptime\":" + jsonString(formatUptime(elapsed)) + ",\"uptime_seconds\":" +
                 std::to_string(seconds) + ",\"version\":" + jsonString(PLUGDB_VERSION) +
                 ",\"db_driver\":" + jsonString(status.driver) +
                 ",\"services\":{\"database\":" + jsonString(health) + "}" +
                 ",\"database\":" + database + ",\"migrations\":" + migrations + error + "}");
    }

    // Never fails and never pings: a scrape must not wait on the database.
    void sendMetrics(HTTPServerResponse& response, std::chrono::steady_clock::duration elapsed) {
        MetricsSnapshot snapshot;
        snapshot.driver = holder_.driver();
        snapshot.ready = holder_.lastCheckHealthy();
        snapshot.uptimeSeconds = std::chrono::duration<double>(elapsed).count();
        if (Database* db = holder_.database()) {
            snapshot.stats = db->poolStats();
            snapshot.metrics = db->metrics();
        }
        send(response, HTTPResponse::HTTP_OK, secrets::mask(prometheusText(snapshot)),
             "text/plain; version=0.0.4; charset=utf-8");
    }

    static std::string poolStatsOf(Database* db) {
        return db ? poolStatsJson(db->poolStats()) : std::string("null");
    }

    static void send(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                     const std::string& body, const std::string& contentType = "application/json") {
        response.setStatus(status);
        response.setContentType(contentType);
        response.set("Cache-Control", "no-store");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

    DatabaseHolder& holder_;
    std::chrono::steady_clock::time_point started_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    HandlerFactory(DatabaseHolder& holder, std::chrono::steady_clock::time_point started)
        : holder_(holder), started_(started) {}
    HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new HealthHandler(holder_, started_);
    }

private:
    DatabaseHolder& holder_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace

int runServe(const Invocation& inv) {
    if (!inv.args.empty()) throw Error(ErrorCategory::InvalidArgument, "serve takes no arguments");
    const std::string listen = inv.config.getString("http.listen", "127.0.0.1:8080");
    Poco::Net::SocketAddress address;
    try {
        address = Poco::Net::SocketAddress(listen);
    } catch (const Poco::Exception& e) {
        throw Error(ErrorCategory::Config,
                    "http.listen '" + listen + "' is not HOST:PORT (" + e.displayText() + ")");
    }

    // Block the shutdown signals before any thread starts, then wait for them here.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Poco::Net::ServerSocket socket;
    try {
        socket.bind(address, /*reuseAddress=*/true);
        socket.listen();
    } catch (const Poco::Exception& e) {
        throw Error(ErrorCategory::Config, "cannot listen on " + listen + ": " + e.displayText());
    }
    const auto started = std::chrono::steady_clock::now();
    DatabaseHolder holder(inv.config);
    holder.start();

    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    Poco::Net::HTTPServer server(new HandlerFactory(holder, started), socket, params);
    server.start();
    const auto bound = socket.address();
    const std::string host = bound.family() == Poco::Net::SocketAddress::IPv6
                                 ? "[" + bound.host().toString() + "]"
                                 : bound.host().toString();
    std::cout << "listening on http://" << host << ":" << bound.port() << std::endl;
    logger().information("serving health endpoints on http://" + host + ":" +
                         std::to_string(bound.port()));

    int received = 0;
    sigwait(&signals, &received);
    logger().information(std::string("received ") + (received == SIGTERM ? "SIGTERM" : "SIGINT") +
                         ", shutting down");
    server.stopAll(true);
    holder.stop();
    return kExitOk;
}

}  // namespace plugdb::host
