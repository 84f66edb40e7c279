// The RocksDB driver behind Database::kv, as an application uses it: options
// from db.options.*, pooled connections of one Database (and two Databases
// of one process) sharing the one handle, SQL refused through Database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/key_value.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

class RocksdbDatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-rocksdb-db-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    Config config(const std::string& query = {}) {
        Config c = Config::withDefaults();
        c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
        c.set("db.url", "rocksdb:" + (dir_ / "kv").string() + query, Layer::CommandLine, "test");
        return c;
    }

    fs::path dir_;
};

Error errorFrom(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return Error(ErrorCategory::Other, "(no error was thrown)");
}

TEST_F(RocksdbDatabaseTest, KeyValueThroughDatabaseWithOptions) {
    Config c = config("?sync=false");
    c.set("db.options.compression", "zstd", Layer::CommandLine, "test");
    c.set("db.options.block_cache_size", "4194304", Layer::CommandLine, "test");
    {
        Database db = Database::open(c);
        EXPECT_TRUE(db.has(kCapKeyValue));
        EXPECT_EQ(db.serverVersion().rfind("RocksDB ", 0), 0u);
        KeyValue users = db.kv("users");
        users.put("alice", "1");
        users.batch().put("bob", "2").put("carol", "3").commit();
        EXPECT_TRUE(users.putIfAbsent("dave", "4"));
        EXPECT_FALSE(users.putIfAbsent("dave", "5"));
        EXPECT_EQ(users.get("alice"), "1");
        EXPECT_EQ(db.kv("orders").get("alice"), std::nullopt);
        EXPECT_EQ(users.limits().maxValueBytes, 64u << 20);
    }
    Database db = Database::open(c);  // closed with the last connection, so it reopens
    std::vector<std::string> keys;
    for (KvScan scan = db.kv("users").scanPrefix(""); scan.next();) keys.push_back(scan.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"alice", "bob", "carol", "dave"}));
}

TEST_F(RocksdbDatabaseTest, PooledConnectionsAndTwoDatabasesShareTheHandle) {
    Config c = config();
    c.set("pool.max_open", "8", Layer::CommandLine, "test");
    Database first = Database::open(c);
    Database second = Database::open(c);  // a second open of the directory in this process
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            Database& db = t % 2 == 0 ? first : second;
            for (int i = 0; i < 50; ++i) {
                const std::string key = std::to_string(t) + "-" + std::to_string(i);
                db.kv("shared").put(key, "v");
                EXPECT_EQ((t % 2 == 0 ? second : first).kv("shared").get(key), "v");
            }
        });
    for (auto& thread : threads) thread.join();
    std::size_t count = 0;
    for (KvScan scan = first.kv("shared").scanPrefix(""); scan.next();) ++count;
    EXPECT_EQ(count, 400u);
}

TEST_F(RocksdbDatabaseTest, SqlThroughDatabaseIsRefusedWithTheSentence) {
    Database db = Database::open(config());
    const Error e = errorFrom([&] { db.exec("SELECT 1"); });
    EXPECT_EQ(e.category(), ErrorCategory::Unsupported);
    EXPECT_NE(std::string(e.what()).find("rocksdb is a key-value engine"), std::string::npos)
        << e.what();
    EXPECT_NO_THROW(db.ping());
}

TEST_F(RocksdbDatabaseTest, AValueAboveTheLimitIsRefusedNamingIt) {
    Database db = Database::open(config("?sync=false"));
    const Error e = errorFrom([&] { db.kv("big").put("k", std::string((64u << 20) + 1, 'x')); });
    EXPECT_EQ(e.category(), ErrorCategory::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find(std::to_string(64u << 20)), std::string::npos) << e.what();
}

}  // namespace
