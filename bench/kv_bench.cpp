// plugdb-kv-bench: plugdb's key-value API against RocksDB's own C++ API on the
// rocksdb driver (same process, same options), and the same workload on the
// key-value table of SQLite, PostgreSQL and MySQL. See README.md here.
#include <rocksdb/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "kv_contenders.h"
#include "program_setup.h"
#include "samples.h"

namespace fs = std::filesystem;
using namespace plugdb::bench;
using Clock = std::chrono::steady_clock;

namespace {

const char* kUsage = R"(usage: plugdb-kv-bench [options]
  --engines LIST   rocksdb,sqlite,postgres,mysql (default: rocksdb and sqlite, plus the servers found)
  --servers DIR    where tests/servers wrote postgres.env and mariadb.env
  --keys N         keys loaded before the rounds (default 100000; the prefix scans need >= 100000)
  --rounds N       rounds of gets, puts and scans (default 7)
  --batch-rounds N rounds of the 100,000-key batch (default 3)
  --quick          a smoke run: few keys and one round, still checks every client's results
  --workdir DIR    where the RocksDB directories and the SQLite file go (default: a new temporary one)
)";

struct Options {
    std::int64_t keys = 100'000;
    std::int64_t batchKeys = 100'000;
    int rounds = 7;
    int batchRounds = 3;
    int pointOps = 20'000;       // gets and puts per client and round (embedded)
    int pointOpsServer = 2'000;  // the same over loopback TCP
    int scans = 20;              // prefix scans of 10,000 keys per round (embedded)
    int scansServer = 5;
};

std::string keyFor(std::int64_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "user:%08lld", static_cast<long long>(i));
    return buf;
}

// 100 bytes, different for every key.
std::string valueFor(std::int64_t i, int generation = 0) {
    std::string value = keyFor(i) + "/" + std::to_string(generation) + "/";
    while (value.size() < 100) value += static_cast<char>('a' + (i + value.size()) % 26);
    return value;
}

struct ContenderFactory {
    std::string name;  // "raw rocksdb", "plugdb"
    std::function<std::unique_ptr<KvContender>()> create;
};

struct Target {
    std::string title;
    bool server = false;
    std::vector<ContenderFactory> contenders;  // the first is the baseline of "vs"
};

const std::vector<std::string> kScenarios{"get (hit)", "get (miss)", "put", "batch put, per key",
                                          "prefix scan, per key"};

// contender -> scenario -> nanoseconds per operation (or per key for batches and
// scans), one per round.
using Results = std::map<std::string, std::map<std::string, Samples>>;

template <class Fn>
double timeNs(Fn&& fn, double per) {
    const auto start = Clock::now();
    fn();
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / per;
}

std::string formatNs(double ns) {
    char buf[32];
    if (ns >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2f ms", ns / 1e6);
    else if (ns >= 1e3)
        std::snprintf(buf, sizeof buf, "%.2f us", ns / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f ns", ns);
    return buf;
}

// Runs every scenario for every contender of the target, interleaved slice by
// slice in a rotated order. Returns false when contenders disagree on what they read.
bool runTarget(const Target& target, const Options& o, Results& results) {
    std::vector<std::unique_ptr<KvContender>> clients;
    for (const auto& factory : target.contenders) clients.push_back(factory.create());
    const int pointOps = target.server ? o.pointOpsServer : o.pointOps;
    const int scans = target.server ? o.scansServer : o.scans;

    std::vector<KvPair> load;
    for (std::int64_t i = 0; i < o.keys; ++i) load.emplace_back(keyFor(i), valueFor(i));
    for (auto& client : clients) client->batchPut(load, true);

    std::mt19937_64 random(42);
    bool agree = true;
    const auto rounds = std::max(o.rounds, o.batchRounds);
    for (int round = 0; round < rounds; ++round) {
        std::vector<std::string> hits, misses;
        for (int i = 0; i < pointOps; ++i) {
            hits.push_back(keyFor(static_cast<std::int64_t>(random() % o.keys)));
            // Absent keys among the present ones: keys past the last one would
            // all walk one path of the engine's index, timing that path alone.
            misses.push_back(keyFor(static_cast<std::int64_t>(random() % o.keys)) + "-");
        }
        std::vector<std::string> prefixes;
        for (int i = 0; i < scans; ++i)  // "user:0000d": 10,000 keys each
            prefixes.push_back("user:0000" + std::to_string(random() % std::max<std::int64_t>(
                                                                           1, o.keys / 10'000)));
        std::vector<KvPair> batch;
        if (round < o.batchRounds)
            for (std::int64_t i = 0; i < o.batchKeys; ++i)
                batch.emplace_back("batch" + std::to_string(round) + ":" + keyFor(i),
                                   valueFor(i, round));

        // Per scenario the work is cut into slices that the clients take turns
        // at, so a burst of background work (a compaction, another process)
        // lands on all of them rather than on whoever ran at that moment.
        std::map<std::string, std::vector<std::uint64_t>> checksums;  // scenario -> per client
        const auto interleaved =
            [&](const std::string& scenario, std::size_t items, std::size_t slices, double per,
                const std::function<std::uint64_t(KvContender&, std::size_t, std::size_t)>& work) {
                std::vector<double> ns(clients.size(), 0);
                std::vector<std::uint64_t> sums(clients.size(), 0);
                for (std::size_t slice = 0; slice < slices; ++slice) {
                    const std::size_t from = items * slice / slices,
                                      to = items * (slice + 1) / slices;
                    for (std::size_t turn = 0; turn < clients.size(); ++turn) {
                        const std::size_t index =
                            (turn + slice + static_cast<std::size_t>(round)) % clients.size();
                        ns[index] +=
                            timeNs([&] { sums[index] += work(*clients[index], from, to); }, 1);
                    }
                }
                for (std::size_t i = 0; i < clients.size(); ++i)
                    results[target.contenders[i].name][scenario].values.push_back(ns[i] / per);
                checksums[scenario] = sums;
            };
        const std::size_t pointSlices = static_cast<std::size_t>(std::max(1, pointOps / 500));
        const auto gets = [](const std::vector<std::string>& keys) {
            return [&keys](KvContender& c, std::size_t from, std::size_t to) {
                std::uint64_t sum = 0;
                for (std::size_t i = from; i < to; ++i) sum += c.get(keys[i], sum) ? 1 : 0;
                return sum;
            };
        };
        if (round < o.rounds) {
            interleaved("get (hit)", hits.size(), pointSlices, pointOps, gets(hits));
            interleaved("get (miss)", misses.size(), pointSlices, pointOps, gets(misses));
            const std::string value = valueFor(0, round);
            interleaved("put", hits.size(), pointSlices, pointOps,
                        [&](KvContender& c, std::size_t from, std::size_t to) {
                            for (std::size_t i = from; i < to; ++i) c.put(hits[i], value);
                            return std::uint64_t{0};
                        });
            interleaved("prefix scan, per key", prefixes.size(), prefixes.size(),
                        10'000.0 * static_cast<double>(prefixes.size()),
                        [&](KvContender& c, std::size_t from, std::size_t to) {
                            std::uint64_t sum = 0;
                            for (std::size_t i = from; i < to; ++i)
                                sum += c.scanPrefix(prefixes[i], sum);
                            return sum;
                        });
        }
        if (round < o.batchRounds)
            interleaved("batch put, per key", 1, 1, static_cast<double>(o.batchKeys),
                        [&](KvContender& c, std::size_t, std::size_t) {
                            c.batchPut(batch);
                            return std::uint64_t{0};
                        });
        for (const auto& [scenario, sums] : checksums)
            if (std::adjacent_find(sums.begin(), sums.end(), std::not_equal_to<>()) != sums.end()) {
                std::fprintf(stderr, "plugdb-kv-bench: %s: the clients disagree on %s\n",
                             target.title.c_str(), scenario.c_str());
                agree = false;
            }
    }
    return agree;
}

void printTarget(const Target& target, const Results& results) {
    std::printf("\n## %s\n\n| scenario |", target.title.c_str());
    for (const auto& c : target.contenders) std::printf(" %s |", c.name.c_str());
    if (target.contenders.size() > 1)
        for (std::size_t i = 1; i < target.contenders.size(); ++i)
            std::printf(" %s vs %s (medians; best rounds) |", target.contenders[i].name.c_str(),
                        target.contenders[0].name.c_str());
    std::printf("\n| --- |");
    for (std::size_t i = 0; i < 2 * target.contenders.size() - 1; ++i) std::printf(" --- |");
    std::printf("\n");
    for (const auto& scenario : kScenarios) {
        std::printf("| %s |", scenario.c_str());
        for (const auto& c : target.contenders) {
            const Samples& s = results.at(c.name).at(scenario);
            std::printf(" %s (%s..%s) |", formatNs(s.upperMedian()).c_str(),
                        formatNs(s.min()).c_str(), formatNs(s.max()).c_str());
        }
        // The best round too: on a busy machine noise only ever adds time.
        const Samples& base = results.at(target.contenders[0].name).at(scenario);
        for (std::size_t i = 1; i < target.contenders.size(); ++i) {
            const Samples& s = results.at(target.contenders[i].name).at(scenario);
            std::printf(" %.2fx; %.2fx |", s.upperMedian() / base.upperMedian(),
                        s.min() / base.min());
        }
        std::printf("\n");
    }
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    const auto programFlag = [&](const std::string& flag, const FlagValue& value) {
        if (flag == "--keys") {
            options.keys = std::stoll(value());
        } else if (flag == "--rounds") {
            options.rounds = std::stoi(value());
        } else if (flag == "--batch-rounds") {
            options.batchRounds = std::stoi(value());
        } else if (flag == "--quick") {
            options = Options{20'000, 2'000, 1, 1, 200, 50, 2, 1};
        } else {
            return false;
        }
        return true;
    };
    CommonFlags flags = parseCommandLine(argc, argv, "plugdb-kv-bench", kUsage, programFlag);
    if (options.keys < 10'000 || options.rounds < 1 || options.batchRounds < 1) {
        std::cerr << "plugdb-kv-bench: --keys must be at least 10000, the rounds positive\n";
        return 64;
    }

    const bool ownWorkdir = flags.workdir.empty();
    if (ownWorkdir) flags.workdir = makeTemporaryWorkdir("plugdb-kv-bench");
    const fs::path& workdir = flags.workdir;

    std::vector<Target> targets;
    if (flags.wanted("rocksdb")) {
        // Fresh directories also in a --workdir used before: both start empty.
        fs::remove_all(workdir / "raw-rocksdb");
        fs::remove_all(workdir / "plugdb-rocksdb");
        const std::string raw = (workdir / "raw-rocksdb").string();
        const std::string url = "rocksdb:" + (workdir / "plugdb-rocksdb").string() + "?sync=false";
        targets.push_back({"rocksdb (sync off, lz4, 32 MiB block cache)",
                           false,
                           {{"raw rocksdb", [raw] { return rawRocksdb(raw); }},
                            {"plugdb", [url] { return plugdbKv(url); }}}});
    }
    if (flags.wanted("sqlite")) {
        const std::string url = "sqlite:" + (workdir / "kv.db").string();
        targets.push_back({"sqlite (file, WAL, synchronous=NORMAL)",
                           false,
                           {{"plugdb", [url] { return plugdbKv(url); }}}});
    }
    const auto servers = findServers(flags, "plugdb-kv-bench");
    if (!servers) return 69;
    for (const auto& server : *servers) {
        std::string url = server.get("URL");
        if (server.engine == "postgres") url += "?sslmode=disable";
        targets.push_back({server.engine + " (loopback TCP)", true, {{"plugdb", [url] {
                                                                          return plugdbKv(url);
                                                                      }}}});
    }

    std::printf(
        "# plugdb-kv-bench\n\nRocksDB %d.%d.%d; %ld keys of 100-byte values loaded, then per "
        "round: gets of present and absent keys, single puts, prefix scans of 10,000 keys, and "
        "one batch of %lld new keys.\nTimes are per operation, or per key for batches and scans "
        "(lower is better): median (min..max) of the rounds.\n",
        ROCKSDB_MAJOR, ROCKSDB_MINOR, ROCKSDB_PATCH, static_cast<long>(options.keys),
        static_cast<long long>(options.batchKeys));

    bool ok = true;
    std::vector<std::pair<std::string, std::map<std::string, Samples>>> all;  // target order
    for (const auto& target : targets) {
        Results results;
        try {
            ok = runTarget(target, options, results) && ok;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "plugdb-kv-bench: %s: %s\n", target.title.c_str(), e.what());
            ok = false;
            continue;
        }
        printTarget(target, results);
        all.emplace_back(target.title, results["plugdb"]);
    }

    if (all.size() > 1) {  // plugdb's key-value API on each engine, for a user choosing one
        std::printf("\n## plugdb kv on each engine (medians)\n\n| scenario |");
        for (const auto& [title, results] : all) std::printf(" %s |", title.c_str());
        std::printf("\n| --- |");
        for (std::size_t i = 0; i < all.size(); ++i) std::printf(" --- |");
        std::printf("\n");
        for (const auto& scenario : kScenarios) {
            std::printf("| %s |", scenario.c_str());
            for (const auto& [title, results] : all)
                std::printf(" %s |", formatNs(results.at(scenario).upperMedian()).c_str());
            std::printf("\n");
        }
    }
    if (ownWorkdir) fs::remove_all(workdir);
    return ok ? 0 : 1;
}
