#include "harness.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

#include "samples.h"

namespace plugdb::bench {

std::string nameFor(std::int64_t id) {
    return "name-" + std::to_string(id * 2654435761 % 1'000'000'007);
}

std::int64_t valueFor(std::int64_t id) {
    return id * 7919 % 1'000'003;
}

namespace {

double cpuNanos() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double wallNanos() {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// Wall and CPU time of one call.
template <class Fn>
std::pair<double, double> timed(Fn&& fn) {
    const double wall0 = wallNanos(), cpu0 = cpuNanos();
    fn();
    return {wallNanos() - wall0, cpuNanos() - cpu0};
}

std::string formatNanos(double ns) {
    char buf[32];
    if (ns < 1000)
        std::snprintf(buf, sizeof buf, "%.0f ns", ns);
    else
        std::snprintf(buf, sizeof buf, "%.2f us", ns / 1000);
    return buf;
}

std::string formatRate(double rowsPerSecond) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f M rows/s", rowsPerSecond / 1e6);
    return buf;
}

std::string formatRange(double low, double high, bool rate) {
    char buf[48];
    if (rate)
        std::snprintf(buf, sizeof buf, "%.3f..%.3f", low / 1e6, high / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%.2f..%.2f", low / 1000, high / 1000);
    return buf;
}

// One scenario's figures for every contender, printed as table rows.
void printScenario(const std::string& scenario, const std::vector<std::string>& names,
                   const std::vector<Samples>& series, bool rate) {
    const double raw = series.front().median();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (series[i].values.empty()) {
            std::printf("| %s | %s | n/a | | |\n", scenario.c_str(), names[i].c_str());
            continue;
        }
        const double median = series[i].median();
        std::printf("| %s | %s | %s | %s | %.2fx |\n", scenario.c_str(), names[i].c_str(),
                    (rate ? formatRate(median) : formatNanos(median)).c_str(),
                    formatRange(series[i].min(), series[i].max(), rate).c_str(),
                    raw > 0 ? median / raw : 0.0);
    }
}

std::int64_t checksumOf(const std::vector<Row>& rows) {
    std::int64_t sum = 0;
    for (const auto& row : rows)
        sum += row.id * 3 + row.v + static_cast<std::int64_t>(row.name.size()) + row.name.back();
    return sum;
}

}  // namespace

bool runTarget(const Target& target, const Options& options) {
    std::vector<std::string> names;
    std::vector<std::unique_ptr<Contender>> clients;
    for (const auto& factory : target.contenders) {
        try {
            clients.push_back(factory.create());
            names.push_back(factory.name);
        } catch (const std::exception& e) {
            std::cerr << target.title << ": " << factory.name << " unavailable: " << e.what()
                      << "\n";
            if (clients.empty()) return false;  // no raw client: nothing to compare with
        }
    }
    const std::size_t n = clients.size();
    Contender& admin = *clients.front();

    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(options.rows));
    for (std::int64_t id = 1; id <= options.rows; ++id)
        rows.push_back({id, nameFor(id), valueFor(id)});
    const std::int64_t expectedChecksum = checksumOf(rows);
    auto createTable = [&](const std::string& table) {
        admin.execute("DROP TABLE IF EXISTS " + table);
        std::string ddl = target.createTable;
        ddl.replace(ddl.find("{table}"), 7, table);
        admin.execute(ddl);
    };
    createTable("t_bulk");  // loaded by the raw client, then renamed to t
    admin.bulkInsert(rows);
    admin.execute("DROP TABLE IF EXISTS t");
    admin.execute("ALTER TABLE t_bulk RENAME TO t");

    bool agreed = true;
    auto disagree = [&](const std::string& what, std::size_t client) {
        std::cerr << target.title << ": " << names[client] << " " << what << "\n";
        agreed = false;
    };

    // Point selects: the same random ids for every contender in a round.
    std::mt19937_64 random(42);
    std::uniform_int_distribution<std::int64_t> pick(1, options.rows);
    const int ops = options.serverEngine ? options.pointOpsServer : options.pointOps;
    std::vector<Samples> wall(n), cpu(n);
    for (int round = -1; round < options.rounds; ++round) {  // round -1 warms up
        std::vector<std::int64_t> ids(static_cast<std::size_t>(round < 0 ? ops / 10 + 1 : ops));
        for (auto& id : ids) id = pick(random);
        std::int64_t expected = 0;
        for (auto id : ids)
            expected += valueFor(id) + static_cast<std::int64_t>(nameFor(id).size());
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t c = (k + static_cast<std::size_t>(round + 1)) % n;
            std::int64_t checksum = 0;
            auto [w, u] = timed([&] { clients[c]->pointSelect(ids, checksum); });
            if (checksum != expected) disagree("read wrong values in point selects", c);
            if (round < 0) continue;
            wall[c].values.push_back(w / static_cast<double>(ids.size()));
            cpu[c].values.push_back(u / static_cast<double>(ids.size()));
        }
    }

    // Bulk insert into a fresh t_bulk each time.
    std::vector<Samples> bulk(n), bulkCpu(n);
    for (int round = 0; round < options.bulkRounds; ++round) {
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t c = (k + static_cast<std::size_t>(round)) % n;
            createTable("t_bulk");
            auto [w, u] = timed([&] { clients[c]->bulkInsert(rows); });
            bulk[c].values.push_back(static_cast<double>(rows.size()) / (w / 1e9));
            bulkCpu[c].values.push_back(u / static_cast<double>(rows.size()));
            if (checksumOf(admin.scan("t_bulk")) != expectedChecksum)
                disagree("stored wrong rows in the bulk insert", c);
        }
    }
    admin.execute("DROP TABLE IF EXISTS t_bulk");

    // Full scans into memory.
    std::vector<Samples> scan(n), scanCpu(n);
    for (int round = -1; round < options.rounds; ++round) {
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t c = (k + static_cast<std::size_t>(round + 1)) % n;
            std::vector<Row> read;
            auto [w, u] = timed([&] { read = clients[c]->scan("t"); });
            if (checksumOf(read) != expectedChecksum) disagree("read wrong rows in the scan", c);
            if (round < 0) continue;
            scan[c].values.push_back(static_cast<double>(read.size()) / (w / 1e9));
            scanCpu[c].values.push_back(u / static_cast<double>(read.size()));
        }
    }

    std::printf("\n### %s: %lld rows, %d rounds (bulk %d)\n\n", target.title.c_str(),
                static_cast<long long>(options.rows), options.rounds, options.bulkRounds);
    std::printf("| scenario | client | median | min..max (us or M rows/s) | vs raw |\n");
    std::printf("|---|---|---:|---:|---:|\n");
    printScenario("point select, wall/op", names, wall, false);
    printScenario("point select, client CPU/op", names, cpu, false);
    printScenario("bulk insert", names, bulk, true);
    printScenario("bulk insert, client CPU/row", names, bulkCpu, false);
    printScenario("scan into memory", names, scan, true);
    printScenario("scan, client CPU/row", names, scanCpu, false);
    std::fflush(stdout);
    return agreed;
}

}  // namespace plugdb::bench
