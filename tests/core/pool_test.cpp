// The connection pool through plugdb::Database on real SQLite files: sizes,
// waiting, the acquire timeout, idle and lifetime limits, statistics.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"

namespace fs = std::filesystem;
using namespace plugdb;
using namespace std::chrono_literals;

namespace {

class PoolTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-pool-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    Database open(const std::map<std::string, std::string>& pool) {
        Config c = Config::withDefaults();
        c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
        c.set("db.url", "sqlite:" + (dir_ / "pool.db").string(), Layer::CommandLine, "test");
        for (const auto& [key, value] : pool) c.set(key, value, Layer::CommandLine, "test");
        return Database::open(c);
    }

    fs::path dir_;
};

// Keeps a connection borrowed: a prepared statement holds its connection.
PreparedStatement borrow(Database& db) {
    return db.prepare("SELECT 1");
}

}  // namespace

TEST_F(PoolTest, StatisticsFollowBorrowingAndReturning) {
    Database db = open({{"pool.max_open", "4"}, {"pool.max_idle", "4"}});
    PoolStats s = db.poolStats();
    EXPECT_EQ(s.maxOpenConnections, 4);
    EXPECT_EQ(s.openConnections, 1) << "open() checks one connection and keeps it idle";
    EXPECT_EQ(s.idle, 1);
    EXPECT_EQ(s.inUse, 0);
    {
        std::vector<PreparedStatement> held;
        for (int i = 0; i < 3; ++i) held.push_back(borrow(db));
        s = db.poolStats();
        EXPECT_EQ(s.openConnections, 3);
        EXPECT_EQ(s.inUse, 3);
        EXPECT_EQ(s.idle, 0);
        EXPECT_EQ(s.created, 3u);
    }
    s = db.poolStats();
    EXPECT_EQ(s.openConnections, 3);
    EXPECT_EQ(s.idle, 3);
    EXPECT_EQ(s.inUse, 0);
    EXPECT_EQ(s.waitCount, 0u);
}

TEST_F(PoolTest, AnExhaustedPoolTimesOutWithATypedErrorNamingItsSize) {
    Database db = open({{"pool.max_open", "2"}, {"pool.acquire_timeout", "200ms"}});
    PreparedStatement a = borrow(db), b = borrow(db);
    const auto start = std::chrono::steady_clock::now();
    try {
        db.exec("SELECT 1");
        FAIL() << "a third borrower must not get a connection";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Timeout);
        EXPECT_NE(std::string(e.what()).find("pool exhausted: all 2 connections"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.acquireTimeouts, 1u);
    EXPECT_EQ(s.waitCount, 1u);
    EXPECT_GE(s.waitDuration, 200ms);
    EXPECT_EQ(s.openConnections, 2);
}

TEST_F(PoolTest, AWaitingBorrowerGetsTheNextReturnedConnection) {
    Database db = open({{"pool.max_open", "1"}, {"pool.acquire_timeout", "10s"}});
    std::optional<PreparedStatement> held = borrow(db);
    std::thread returner([&] {
        std::this_thread::sleep_for(100ms);
        held.reset();
    });
    Rows rows = db.query("SELECT 41 + 1");  // waits for the returner
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 42);
    returner.join();
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.waitCount, 1u);
    EXPECT_GE(s.waitDuration, 50ms);
    EXPECT_EQ(s.created, 1u) << "the returned connection was reused";
}

TEST_F(PoolTest, APingWithItsOwnWaitGivesUpBeforeTheAcquireTimeout) {
    Database db = open({{"pool.max_open", "1"}, {"pool.acquire_timeout", "60s"}});
    PreparedStatement held = borrow(db);
    const auto start = std::chrono::steady_clock::now();
    try {
        db.ping(100ms);
        FAIL() << "the only connection is borrowed";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Timeout);
        EXPECT_NE(std::string(e.what()).find("stayed in use for 100 ms"), std::string::npos)
            << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 30s) << "it waited for the pool's 60 s";
}

TEST_F(PoolTest, ZeroAcquireTimeoutFailsAtOnce) {
    Database db = open({{"pool.max_open", "1"}, {"pool.acquire_timeout", "0"}});
    PreparedStatement held = borrow(db);
    EXPECT_THROW(db.exec("SELECT 1"), Error);
    EXPECT_EQ(db.poolStats().acquireTimeouts, 1u);
}

TEST_F(PoolTest, IdleConnectionsBeyondMaxIdleAreClosed) {
    Database db = open({{"pool.max_open", "0"}, {"pool.max_idle", "1"}});
    {
        std::vector<PreparedStatement> held;
        for (int i = 0; i < 4; ++i) held.push_back(borrow(db));
        EXPECT_EQ(db.poolStats().openConnections, 4) << "max_open 0 means unlimited";
    }
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.idle, 1);
    EXPECT_EQ(s.openConnections, 1);
    EXPECT_EQ(s.maxIdleClosed, 3u);
    EXPECT_EQ(s.closed, 3u);
}

TEST_F(PoolTest, ConnectionsPastTheirLifetimeAreReplaced) {
    Database db = open({{"pool.max_lifetime", "150ms"}, {"pool.max_idle_time", "0"}});
    std::this_thread::sleep_for(250ms);
    db.exec("SELECT 1");
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.maxLifetimeClosed, 1u);
    EXPECT_EQ(s.created, 2u);
    EXPECT_EQ(s.openConnections, 1);
}

TEST_F(PoolTest, IdleConnectionsAreClosedAfterMaxIdleTimeWithoutAnyBorrower) {
    Database db = open({{"pool.max_idle_time", "1s"}, {"pool.max_lifetime", "0"}});
    ASSERT_EQ(db.poolStats().idle, 1);
    // The cleaner checks once a second at most; allow it two rounds.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (db.poolStats().idle != 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.idle, 0);
    EXPECT_EQ(s.openConnections, 0);
    EXPECT_EQ(s.maxIdleTimeClosed, 1u);
    db.exec("SELECT 1");  // and the pool opens a new one on demand
    EXPECT_EQ(db.poolStats().created, 2u);
}

TEST_F(PoolTest, ManyThreadsShareFewConnectionsWithoutExceedingMaxOpen) {
    Database db = open({{"pool.max_open", "3"}, {"pool.acquire_timeout", "30s"}});
    db.exec("CREATE TABLE hits (n INTEGER)");
    std::atomic<int> failures{0}, maxSeenOpen{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 12; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                try {
                    db.exec("INSERT INTO hits (n) VALUES (?)", {t * 1000 + i});
                    const int open = db.poolStats().openConnections;
                    int seen = maxSeenOpen.load();
                    while (open > seen && !maxSeenOpen.compare_exchange_weak(seen, open)) {
                    }
                } catch (const Error&) {
                    ++failures;
                }
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_LE(maxSeenOpen.load(), 3);
    {
        Rows rows = db.query("SELECT COUNT(*) FROM hits");
        ASSERT_TRUE(rows.next());
        EXPECT_EQ(rows.getInt(0), 600);
        EXPECT_EQ(db.poolStats().inUse, 1) << "rows keep their connection until destroyed";
    }
    const PoolStats s = db.poolStats();
    EXPECT_EQ(s.inUse, 0);
    EXPECT_LE(s.openConnections, 3);
}

TEST_F(PoolTest, BadPoolSettingsAreConfigErrors) {
    for (const auto& [key, value] :
         std::map<std::string, std::string>{{"pool.max_open", "-1"},
                                            {"pool.max_idle", "many"},
                                            {"pool.acquire_timeout", "soon"}}) {
        try {
            open({{key, value}});
            ADD_FAILURE() << key << "=" << value << " was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config) << e.what();
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
        }
    }
}
