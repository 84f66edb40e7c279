#include "observability.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <limits>
#include <string_view>

#include "plugdb/error.h"

namespace plugdb::host {
namespace {

// "whole.fraction" of count/unit with the fraction's trailing zeros dropped.
std::string decimal(std::int64_t count, std::int64_t unit, int fractionDigits) {
    std::string out = std::to_string(count / unit);
    std::string fraction = std::to_string(count % unit);
    fraction.insert(0, static_cast<std::size_t>(fractionDigits) - fraction.size(), '0');
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (!fraction.empty()) out += "." + fraction;
    return out;
}

prometheus::ClientMetric::Label label(std::string name, std::string value) {
    return {std::move(name), std::move(value)};
}

class FamilyBuilder {
public:
    explicit FamilyBuilder(std::string driver) : driver_(std::move(driver)) {}

    void gauge(const std::string& name, const std::string& help, double value) {
        prometheus::ClientMetric metric;
        metric.label = {label("driver", driver_)};
        metric.gauge.value = value;
        families_.push_back({name, help, prometheus::MetricType::Gauge, {metric}});
    }

    void counter(const std::string& name, const std::string& help, double value) {
        prometheus::ClientMetric metric;
        metric.label = {label("driver", driver_)};
        metric.counter.value = value;
        families_.push_back({name, help, prometheus::MetricType::Counter, {metric}});
    }

    void add(prometheus::MetricFamily family) { families_.push_back(std::move(family)); }

    const std::string& driver() const { return driver_; }
    const std::vector<prometheus::MetricFamily>& families() const { return families_; }

private:
    std::string driver_;
    std::vector<prometheus::MetricFamily> families_;
};

void addPoolFamilies(FamilyBuilder& out, const PoolStats& stats) {
    out.gauge("plugdb_sql_max_open_connections",
              "Maximum number of open connections to the database (0: unlimited).",
              stats.maxOpenConnections);
    out.gauge("plugdb_sql_open_connections",
              "The number of established connections both in use and idle.", stats.openConnections);
    out.gauge("plugdb_sql_in_use_connections", "The number of connections currently in use.",
              stats.inUse);
    out.gauge("plugdb_sql_idle_connections", "The number of idle connections.", stats.idle);
    out.counter("plugdb_sql_wait_count_total", "The total number of connections waited for.",
                static_cast<double>(stats.waitCount));
    out.counter("plugdb_sql_wait_duration_seconds_total",
                "The total time blocked waiting for a new connection.",
                std::chrono::duration<double>(stats.waitDuration).count());
    out.counter("plugdb_sql_max_idle_closed_total",
                "The total number of connections closed due to pool.max_idle.",
                static_cast<double>(stats.maxIdleClosed));
    out.counter("plugdb_sql_max_idle_time_closed_total",
                "The total number of connections closed due to pool.max_idle_time.",
                static_cast<double>(stats.maxIdleTimeClosed));
    out.counter("plugdb_sql_max_lifetime_closed_total",
                "The total number of connections closed due to pool.max_lifetime.",
                static_cast<double>(stats.maxLifetimeClosed));
    out.counter("plugdb_sql_acquire_timeouts_total",
                "The total number of borrowers that gave up after pool.acquire_timeout.",
                static_cast<double>(stats.acquireTimeouts));
    out.counter("plugdb_sql_connections_created_total", "The total number of connections opened.",
                static_cast<double>(stats.created));
    out.counter("plugdb_sql_connections_closed_total",
                "The total number of connections closed, for any reason.",
                static_cast<double>(stats.closed));
    out.counter("plugdb_sql_broken_connections_closed_total",
                "The total number of connections closed because they broke or failed a ping.",
                static_cast<double>(stats.brokenClosed));
    out.counter("plugdb_sql_transaction_retries_total",
                "The total number of transactions run again after a retryable error.",
                static_cast<double>(stats.transactionRetries));
}

void addStatementFamilies(FamilyBuilder& out, const DatabaseMetrics& metrics,
                          std::uint64_t openRetries) {
    out.counter("plugdb_sql_connect_retries_total",
                "The total number of failed connection attempts that were retried.",
                static_cast<double>(metrics.connectRetries + openRetries));

    prometheus::MetricFamily errors{"plugdb_sql_errors_total",
                                    "The total number of failed statements by error category.",
                                    prometheus::MetricType::Counter,
                                    {}};
    for (const auto& [category, count] : metrics.errors) {
        prometheus::ClientMetric metric;
        metric.label = {label("category", toString(category)), label("driver", out.driver())};
        metric.counter.value = static_cast<double>(count);
        errors.metric.push_back(std::move(metric));
    }
    out.add(std::move(errors));

    // Statements and key-value calls are separate families: a scrape of a
    // key-value engine shows no SQL, and a dashboard sums each on its own.
    prometheus::MetricFamily latency{"plugdb_sql_query_duration_seconds",
                                     "Statement latency by operation.",
                                     prometheus::MetricType::Histogram,
                                     {}};
    prometheus::MetricFamily kvLatency{"plugdb_kv_operation_duration_seconds",
                                       "Key-value call latency by operation.",
                                       prometheus::MetricType::Histogram,
                                       {}};
    constexpr std::string_view kvPrefix = "kv_";
    for (const auto& operation : metrics.latencies) {
        const bool kv = std::string_view(operation.operation).starts_with(kvPrefix);
        prometheus::ClientMetric metric;
        metric.label = {label("driver", out.driver()),
                        label("operation", kv ? operation.operation.substr(kvPrefix.size())
                                              : operation.operation)};
        metric.histogram.sample_count = operation.count;
        metric.histogram.sample_sum = operation.sumSeconds;
        for (std::size_t i = 0; i < DatabaseMetrics::kLatencyBuckets.size(); ++i)
            metric.histogram.bucket.push_back(
                {operation.cumulativeCounts[i], DatabaseMetrics::kLatencyBuckets[i]});
        // The count includes statements above the last bound: that is the +Inf bucket.
        metric.histogram.bucket.push_back(
            {operation.count, std::numeric_limits<double>::infinity()});
        (kv ? kvLatency : latency).metric.push_back(std::move(metric));
    }
    out.add(std::move(latency));
    out.add(std::move(kvLatency));
}

}  // namespace

std::string goDuration(std::chrono::nanoseconds duration) {
    std::int64_t ns = duration.count();
    if (ns == 0) return "0s";
    std::string sign;
    if (ns < 0) {
        sign = "-";
        ns = -ns;
    }
    if (ns < 1'000) return sign + std::to_string(ns) + "ns";
    if (ns < 1'000'000) return sign + decimal(ns, 1'000, 3) + "\u00b5s";
    if (ns < 1'000'000'000) return sign + decimal(ns, 1'000'000, 6) + "ms";
    const std::int64_t hours = ns / 3'600'000'000'000;
    const std::int64_t minutes = ns / 60'000'000'000 % 60;
    std::string out = sign;
    if (hours) out += std::to_string(hours) + "h";
    if (hours || minutes) out += std::to_string(minutes) + "m";
    return out + decimal(ns % 60'000'000'000, 1'000'000'000, 9) + "s";
}

std::string poolStatsJson(const PoolStats& stats) {
    const auto field = [](const char* name, auto value) {
        return std::string("\"") + name + "\":" + std::to_string(value);
    };
    const double waitSeconds = std::chrono::duration<double>(stats.waitDuration).count();
    return "{" + field("max_open_connections", stats.maxOpenConnections) + "," +
           field("open_connections", stats.openConnections) + "," + field("in_use", stats.inUse) +
           "," + field("idle", stats.idle) + "," + field("wait_count", stats.waitCount) +
           ",\"wait_duration\":\"" + goDuration(stats.waitDuration) + "\"" +
           ",\"wait_duration_seconds\":" + std::to_string(waitSeconds) + "," +
           field("max_idle_closed", stats.maxIdleClosed) + "," +
           field("max_idle_time_closed", stats.maxIdleTimeClosed) + "," +
           field("max_lifetime_closed", stats.maxLifetimeClosed) + "," +
           field("acquire_timeouts", stats.acquireTimeouts) + "," +
           field("created", stats.created) + "," + field("closed", stats.closed) + "," +
           field("broken_closed", stats.brokenClosed) + "," +
           field("transaction_retries", stats.transactionRetries) + "}";
}

std::string prometheusText(const MetricsSnapshot& snapshot) {
    FamilyBuilder out(snapshot.driver);
    out.gauge("plugdb_up", "1 once the database has been opened, 0 before.",
              snapshot.stats ? 1 : 0);
    out.gauge("plugdb_database_ready",
              "1 when the last readiness check passed a ping through the pool.",
              snapshot.ready ? 1 : 0);
    out.gauge("plugdb_uptime_seconds", "Seconds since plugdb serve started.",
              snapshot.uptimeSeconds);
    if (snapshot.stats) addPoolFamilies(out, *snapshot.stats);
    if (snapshot.metrics) addStatementFamilies(out, *snapshot.metrics, snapshot.openRetries);
    return prometheus::TextSerializer().Serialize(out.families());
}

}  // namespace plugdb::host
