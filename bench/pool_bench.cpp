// The connection pool's own cost: acquire + release of an idle connection,
// uncontended and with 32 threads sharing 8 connections. The connections are
// stand-ins that are never used, so only the pool's bookkeeping is measured.
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "harness.h"
#include "pool.h"

namespace plugdb::bench {
namespace {

class StandInConnection final : public Connection {
public:
    std::unique_ptr<Statement> prepare(std::string_view) override { throw unused(); }
    void executeScript(std::string_view) override { throw unused(); }
    void begin() override { throw unused(); }
    void commit() override { throw unused(); }
    void rollback() override { throw unused(); }
    void ping() override {}
    std::string serverVersion() override { return "stand-in"; }
    void interrupt() override {}

private:
    static std::logic_error unused() { return std::logic_error("a stand-in connection"); }
};

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct PoolFigures {
    double wallNsPerOp;  // elapsed time / operations, all threads together
    double cpuNsPerOp;   // process CPU / operations
    std::uint64_t waits;
};

PoolFigures measure(int threads, int connections, long opsPerThread) {
    detail::PoolSettings settings;
    settings.maxOpen = connections;
    settings.maxIdle = connections;
    settings.maxLifetime = settings.maxIdleTime = std::chrono::milliseconds(0);
    settings.pingIdleAfter = std::chrono::hours(1);
    detail::ConnectionPool pool(settings, [] { return std::make_unique<StandInConnection>(); });
    std::atomic<bool> go{false};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            while (!go) std::this_thread::yield();
            for (long i = 0; i < opsPerThread; ++i) pool.release(pool.acquire(), true);
        });
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = cpuSeconds();
    go = true;
    for (auto& worker : workers) worker.join();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const double ops = static_cast<double>(threads) * static_cast<double>(opsPerThread);
    return {wall * 1e9 / ops, (cpuSeconds() - cpu0) * 1e9 / ops, pool.stats().waitCount};
}

}  // namespace

void runPoolBenchmark(bool quick) {
    const long ops = quick ? 2'000 : 400'000;
    std::printf("\n### connection pool: acquire + release of an idle connection\n\n");
    std::printf(
        "| threads / connections | wall per op | CPU per op | waits |\n|---|---:|---:|---:|\n");
    for (auto [threads, connections] : {std::pair{1, 1}, std::pair{32, 8}}) {
        std::vector<PoolFigures> rounds;
        for (int r = 0; r < (quick ? 1 : 5); ++r)
            rounds.push_back(measure(threads, connections, ops / threads));
        std::sort(rounds.begin(), rounds.end(),
                  [](const auto& a, const auto& b) { return a.wallNsPerOp < b.wallNsPerOp; });
        const PoolFigures& median = rounds[rounds.size() / 2];
        std::printf("| %d / %d | %.0f ns | %.0f ns | %llu |\n", threads, connections,
                    median.wallNsPerOp, median.cpuNsPerOp,
                    static_cast<unsigned long long>(median.waits));
    }
    std::fflush(stdout);
}

}  // namespace plugdb::bench
