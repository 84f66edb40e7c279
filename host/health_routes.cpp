#include "health_routes.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "observability.h"
#include "output.h"
#include "plugdb/secrets.h"

namespace plugdb::host {
namespace {

using Clock = std::chrono::steady_clock;

std::string formatUptime(Clock::duration elapsed) {
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

http::Response json(int status, std::string body) {
    return {status, "application/json", std::move(body), {}};
}

int statusOf(const DatabaseHolder::Status& status) {
    return status.healthy ? 200 : 503;
}

std::string poolStatsOf(Database* db) {
    return db ? poolStatsJson(db->poolStats()) : std::string("null");
}

// The short reason, never the error text: that names the server and database.
std::string reasonField(const DatabaseHolder::Status& status) {
    return status.reason.empty() ? "" : ",\"error\":" + jsonString(status.reason);
}

class Endpoints {
public:
    Endpoints(DatabaseHolder& holder, Clock::time_point started)
        : holder_(holder), started_(started) {}

    http::Response live() const {
        return json(200, "{\"status\":\"alive\",\"uptime\":" +
                             jsonString(formatUptime(Clock::now() - started_)) + "}");
    }

    http::Response ready() const {
        const auto status = holder_.check();
        return json(statusOf(status),
                    "{\"status\":" + jsonString(status.healthy ? "ready" : "not ready") +
                        ",\"db_driver\":" + jsonString(status.driver) +
                        ",\"database\":" + jsonString(health(status)) + reasonField(status) + "}");
    }

    http::Response summary() const {
        const auto status = holder_.check();
        return json(statusOf(status),
                    "{\"status\":" + jsonString(health(status)) +
                        ",\"timestamp\":" + jsonString(timestampNow()) +
                        ",\"uptime\":" + jsonString(formatUptime(Clock::now() - started_)) +
                        ",\"version\":" + jsonString(PLUGDB_VERSION) +
                        ",\"db_driver\":" + jsonString(status.driver) +
                        ",\"services\":{\"database\":" + jsonString(health(status)) + "}" +
                        ",\"migrations\":" + jsonString(status.migrations) + reasonField(status) +
                        "}");
    }

    // The seed's shape: {"status", "timestamp", "database": {"connectivity", "pool_stats"}}.
    http::Response database() const {
        const auto status = holder_.check();
        return json(statusOf(status),
                    "{\"status\":" + jsonString(health(status)) +
                        ",\"timestamp\":" + jsonString(timestampNow()) +
                        ",\"database\":{\"connectivity\":" + jsonString(health(status)) +
                        ",\"driver\":" + jsonString(status.driver) + ",\"pool_stats\":" +
                        poolStatsOf(holder_.database()) + reasonField(status) + "}}");
    }

    http::Response detailed() const {
        const auto status = holder_.check();
        const auto elapsed = Clock::now() - started_;
        Database* db = holder_.database();
        std::string database = "{\"connectivity\":" + jsonString(health(status)) +
                               ",\"driver\":" + jsonString(status.driver);
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
        return json(
            statusOf(status),
            "{\"status\":" + jsonString(health(status)) + ",\"timestamp\":" +
                jsonString(timestampNow()) + ",\"uptime\":" + jsonString(formatUptime(elapsed)) +
                ",\"uptime_seconds\":" + std::to_string(seconds) + ",\"version\":" +
                jsonString(PLUGDB_VERSION) + ",\"db_driver\":" + jsonString(status.driver) +
                ",\"services\":{\"database\":" + jsonString(health(status)) + "}" +
                ",\"database\":" + database + ",\"migrations\":" + migrations + error + "}");
    }

    // Never fails and never pings: a scrape must not wait on the database.
    http::Response metrics() const {
        MetricsSnapshot snapshot;
        snapshot.driver = holder_.driver();
        snapshot.ready = holder_.lastCheckHealthy();
        snapshot.uptimeSeconds = std::chrono::duration<double>(Clock::now() - started_).count();
        snapshot.openRetries = holder_.openRetries();
        if (Database* db = holder_.database()) {
            snapshot.stats = db->poolStats();
            snapshot.metrics = db->metrics();
        }
        return {200,
                "text/plain; version=0.0.4; charset=utf-8",
                secrets::mask(prometheusText(snapshot)),
                {}};
    }

private:
    static std::string health(const DatabaseHolder::Status& status) {
        return status.healthy ? "healthy" : "unhealthy";
    }

    DatabaseHolder& holder_;
    Clock::time_point started_;
};

}  // namespace

std::vector<http::Route> healthRoutes(DatabaseHolder& holder, Clock::time_point started) {
    auto endpoints = std::make_shared<Endpoints>(holder, started);
    auto to = [endpoints](http::Response (Endpoints::*member)() const) {
        return [endpoints, member](const http::Request&) { return (*endpoints.*member)(); };
    };
    // Liveness is answered at once, never behind a check that waits on the database.
    return {
        {"/health", to(&Endpoints::summary), false},
        {"/health/database", to(&Endpoints::database), false},
        {"/health/detailed", to(&Endpoints::detailed), false},
        {"/ready", to(&Endpoints::ready), false},
        {"/readyz", to(&Endpoints::ready), false},
        {"/live", to(&Endpoints::live), true},
        {"/livez", to(&Endpoints::live), true},
        {"/metrics", to(&Endpoints::metrics), false},
    };
}

}  // namespace plugdb::host
