// The database of plugdb serve: opened in the background, one connection
// attempt at a time with backoff between them, so the server answers probes
// while the database is unreachable and a stop is seen between attempts.
// A configuration error is not retried: it ends serve.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "plugdb/backoff.h"
#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"

namespace plugdb::host {

class DatabaseHolder {
public:
    // onFatal runs on the opening thread when opening failed for good (a
    // configuration error); fatalError() then says why.
    DatabaseHolder(const Config& config, std::function<void()> onFatal);
    ~DatabaseHolder();

    void start();
    void stop();

    struct Status {
        bool healthy = false;
        std::string driver;
        // Short and free of connection details ("database unavailable
        // (connection)"), for the bodies of /ready and /health.
        std::string reason;
        std::string error;           // the whole error, masked: for /health/detailed
        std::string migrations;      // "off", "applying", "version N", "failed"
        std::string migrationError;  // masked; set when failed
    };

    // Pings through the pool, so an exhausted pool (acquire timeout) or an
    // unreachable server both count as not healthy. Logs changes of state only,
    // since probes come often.
    Status check();

    // The open database, or null before it opened. Once set it stays until the
    // holder is destroyed, after the HTTP server stopped, so callers may use
    // it without the lock (Database is thread-safe).
    Database* database();
    std::string driver();
    std::string lastError();
    std::string serverVersion();
    bool lastCheckHealthy();
    // Failed open attempts that were retried (each attempt is one connection try).
    std::uint64_t openRetries();
    std::optional<Error> fatalError();

private:
    void openLoop();
    bool applyMigrations(Database& db);
    bool prepareNamedQueries(Database& db);
    void setMigrationState(const std::string& state);
    void recordFailure(const std::string& reason, const std::string& error);

    Config config_;
    // queries.prepare_on_open: serve prepares them after the migrations.
    bool prepareQueries_ = true;
    Backoff backoff_;  // connect.backoff_*: between open attempts
    std::function<void()> onFatal_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread opener_;
    bool stopping_ = false;
    std::optional<Database> db_;
    std::optional<Error> fatal_;
    std::string driverName_;
    std::string reason_;
    std::string lastError_;
    std::string serverVersion_;
    bool lastCheckHealthy_ = false;
    std::uint64_t openRetries_ = 0;
    std::string migrationState_ = "not started";
    std::string migrationError_;
};

// "database unavailable (connection)": what probes may say about an error.
std::string unavailableReason(const Error& error);

}  // namespace plugdb::host
