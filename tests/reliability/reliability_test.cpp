// Reliability against real PostgreSQL and MariaDB servers of this test's own
// (tests/servers scripts, fixture reliability_servers): a server killed with
// SIGKILL under a write load, pool exhaustion, idle connections killed by the
// server, and real serialization conflicts retried by transact().
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "server_env.h"

namespace fs = std::filesystem;
using namespace plugdb;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Engine {
    std::string name;     // "postgres" or "mysql"
    std::string envFile;  // written by the start script
    std::string prefix;   // of the variables in it
    std::string startScript;
    std::string sleepQuery;  // holds a connection for about half a second
    std::string backendIdQuery;
    std::string killBackend;  // with one placeholder: the backend id
};

const Engine kPostgres{"postgres",
                       "postgres.env",
                       "PLUGDB_PG_",
                       "start-postgres.sh",
                       "SELECT pg_sleep(0.5)",
                       "SELECT pg_backend_pid()",
                       "SELECT pg_terminate_backend(CAST(? AS integer))"};
const Engine kMysql{"mysql",
                    "mariadb.env",
                    "PLUGDB_MY_",
                    "start-mariadb.sh",
                    "SELECT SLEEP(0.5)",
                    "SELECT CONNECTION_ID()",
                    "KILL ?"};

void PrintTo(const Engine& engine, std::ostream* out) {
    *out << engine.name;
}

class Reliability : public ::testing::TestWithParam<Engine> {
protected:
    const Engine& engine() const { return GetParam(); }
    std::string var(const std::string& name) const {
        return test::requireServerVariable(engine().envFile, engine().prefix + name);
    }

    Database open(const std::map<std::string, std::string>& settings = {}) {
        Config c = Config::withDefaults();
        c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
        std::string url = var("URL");
        if (engine().name == "postgres") url += "?sslmode=disable";
        c.set("db.url", url, Layer::CommandLine, "test");
        for (const auto& [key, value] : settings) c.set(key, value, Layer::CommandLine, "test");
        return Database::open(c);
    }

    // SIGKILL to the server and, for PostgreSQL, its backends: a crash.
    void killServer() {
        const pid_t pid = std::stoi(var("PID"));
        std::vector<pid_t> victims{pid};
        for (const auto& entry : fs::directory_iterator("/proc")) {
            std::ifstream stat(entry.path() / "stat");
            std::string line;
            if (!std::getline(stat, line)) continue;
            // "pid (comm) state ppid ...": the comm may hold spaces, so parse after ')'.
            const auto close = line.rfind(')');
            if (close == std::string::npos) continue;
            std::istringstream rest(line.substr(close + 2));
            char state = 0;
            pid_t parent = 0;
            rest >> state >> parent;
            if (parent == pid) victims.push_back(std::stoi(entry.path().filename().string()));
        }
        for (pid_t victim : victims) ::kill(victim, SIGKILL);
        const auto deadline = Clock::now() + 10s;
        while (::kill(pid, 0) == 0 && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
        std::this_thread::sleep_for(200ms);  // let the backends go too
    }

    void startServer() {
        const std::string command = "bash '" + std::string(PLUGDB_SERVER_SCRIPTS_DIR) + "/" +
                                    engine().startScript + "' '" + PLUGDB_TEST_SERVERS_DIR +
                                    "' >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
};

}  // namespace

TEST_P(Reliability, AServerKilledUnderLoadLosesNoAcknowledgedCommit) {
    Database db = open({{"pool.max_open", "4"},
                        {"pool.acquire_timeout", "2s"},
                        {"db.query_timeout", "2s"},
                        {"connect.attempts", "1"}});
    db.exec("DROP TABLE IF EXISTS acked");
    db.exec("CREATE TABLE acked (id BIGINT PRIMARY KEY)");

    std::mutex mutex;
    std::set<std::int64_t> acknowledged;
    std::atomic<std::int64_t> nextId{1};
    std::atomic<bool> stop{false};
    std::atomic<long long> longestCallMs{0}, failures{0};
    std::atomic<Clock::rep> lastSuccess{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w)
        writers.emplace_back([&] {
            while (!stop) {
                const std::int64_t id = nextId++;
                const auto start = Clock::now();
                try {
                    db.exec("INSERT INTO acked (id) VALUES (?)", {id});
                    std::lock_guard lock(mutex);
                    acknowledged.insert(id);
                    lastSuccess = Clock::now().time_since_epoch().count();
                } catch (const Error&) {
                    ++failures;
                    std::this_thread::sleep_for(10ms);
                }
                const long long ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)
                        .count();
                long long seen = longestCallMs;
                while (ms > seen && !longestCallMs.compare_exchange_weak(seen, ms)) {
                }
            }
        });

    std::this_thread::sleep_for(500ms);
    killServer();
    std::this_thread::sleep_for(1s);  // writers meet a dead server meanwhile
    startServer();
    const auto back = Clock::now();
    // Recovery: the first acknowledged write after the server is back.
    while (Clock::now() - back < 30s &&
           Clock::time_point(Clock::duration(lastSuccess.load())) < back)
        std::this_thread::sleep_for(10ms);
    const auto recovered = Clock::time_point(Clock::duration(lastSuccess.load()));
    std::this_thread::sleep_for(300ms);
    stop = true;
    for (auto& writer : writers) writer.join();

    ASSERT_GT(recovered, back) << "no write succeeded after the restart";
    const auto recoveryMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(recovered - back).count();
    std::cout << "[ measured ] " << engine().name << ": pool served again " << recoveryMs
              << " ms after the server was back; " << acknowledged.size()
              << " acknowledged writes, " << failures << " failed, longest call " << longestCallMs
              << " ms\n";
    EXPECT_LT(recoveryMs, 5000) << "the pool must serve again within 5 s";
    EXPECT_GT(failures.load(), 0) << "the kill went unnoticed: the test proved nothing";
    // Every call ends within its limits: acquire (2 s) + connect + statement (2 s).
    EXPECT_LT(longestCallMs.load(), 8000);

    std::set<std::int64_t> stored;
    Rows rows = db.query("SELECT id FROM acked");
    while (rows.next()) stored.insert(rows.getInt(0));
    std::vector<std::int64_t> lost;
    for (auto id : acknowledged)
        if (!stored.count(id)) lost.push_back(id);
    EXPECT_TRUE(lost.empty()) << lost.size() << " acknowledged rows are missing, e.g. id "
                              << (lost.empty() ? 0 : lost.front());
}

TEST_P(Reliability, MoreCallersThanConnectionsGetTimeoutsNotHangs) {
    Database db = open({{"pool.max_open", "2"}, {"pool.acquire_timeout", "300ms"}});
    std::atomic<int> timeouts{0}, completed{0}, otherErrors{0};
    std::vector<std::thread> callers;
    for (int i = 0; i < 8; ++i)
        callers.emplace_back([&] {
            try {
                Rows rows = db.query(engine().sleepQuery);
                while (rows.next()) {
                }
                ++completed;
            } catch (const Error& e) {
                if (e.category() == ErrorCategory::Timeout &&
                    std::string(e.what()).find("pool exhausted") != std::string::npos)
                    ++timeouts;
                else
                    ++otherErrors;
            }
        });
    for (auto& caller : callers) caller.join();
    EXPECT_GT(timeouts.load(), 0);
    EXPECT_GE(completed.load(), 2);
    EXPECT_EQ(timeouts + completed, 8);
    EXPECT_EQ(otherErrors.load(), 0);
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.acquireTimeouts, static_cast<std::uint64_t>(timeouts.load()));
    EXPECT_GE(s.waitCount, s.acquireTimeouts);
    EXPECT_LE(s.openConnections, 2);
}

TEST_P(Reliability, AnIdleConnectionKilledByTheServerIsReplaced) {
    Database db = open({{"pool.max_open", "1"}, {"pool.ping_idle_after", "100ms"}});
    std::int64_t backend = 0;
    {
        Rows rows = db.query(engine().backendIdQuery);
        ASSERT_TRUE(rows.next());
        backend = rows.getInt(0);
    }
    Database killer = open();
    killer.exec(engine().killBackend, {backend});
    std::this_thread::sleep_for(300ms);  // idle past ping_idle_after: validated before reuse
    Rows rows = db.query(engine().backendIdQuery);
    ASSERT_TRUE(rows.next());
    EXPECT_NE(rows.getInt(0), backend) << "a new connection replaced the killed one";
    EXPECT_EQ(db.poolStats().brokenClosed, 1u);
}

TEST_P(Reliability, RealSerializationConflictsAreRetriedUntilBothComplete) {
    Database db = open({{"pool.max_open", "4"}, {"transaction.backoff_initial", "5ms"}});
    db.exec("DROP TABLE IF EXISTS conflict");
    db.exec("CREATE TABLE conflict (id INT PRIMARY KEY, v INT)");
    db.exec("INSERT INTO conflict (id, v) VALUES (1, 0), (2, 0)");
    // Both first attempts meet here, so their transactions overlap for real.
    std::barrier meet(2);
    std::atomic<int> attempts{0};
    auto work = [&](int first, int second) {
        db.transact([&](Transaction& tx) {
            const bool firstAttempt = attempts++ < 2;
            if (engine().name == "postgres") {
                // Write skew under SERIALIZABLE: each reads both rows, then writes one.
                tx.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                Rows sum = tx.query("SELECT SUM(v) FROM conflict");
                sum.next();
                const std::int64_t total = sum.getInt(0);
                if (firstAttempt) meet.arrive_and_wait();
                tx.exec("UPDATE conflict SET v = ? WHERE id = ?", {total + 1, first});
            } else {
                // Opposite lock order: InnoDB detects the deadlock (1213).
                tx.exec("UPDATE conflict SET v = v + 1 WHERE id = ?", {first});
                if (firstAttempt) meet.arrive_and_wait();
                tx.exec("UPDATE conflict SET v = v + 1 WHERE id = ?", {second});
            }
        });
    };
    std::thread a(work, 1, 2), b(work, 2, 1);
    a.join();
    b.join();
    EXPECT_GT(attempts.load(), 2) << "no conflict happened: the test proved nothing";
    EXPECT_GE(db.poolStats().transactionRetries, 1u);
    Rows rows = db.query("SELECT SUM(v) FROM conflict");
    ASSERT_TRUE(rows.next());
    EXPECT_GT(rows.getInt(0), 0);
}

INSTANTIATE_TEST_SUITE_P(Servers, Reliability, ::testing::Values(kPostgres, kMysql),
                         [](const auto& param) { return param.param.name; });
