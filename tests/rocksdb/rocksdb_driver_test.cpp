// The RocksDB plugin through the driver ABI and its key-value interface, on
// real database directories: open/close/reopen, options, namespaces (column
// families), scans, snapshots, compare-and-set, SQL refused, and two
// processes: a writer killed mid-stream, a second opener refused.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/error.h"
#include "plugdb/key_value_store.h"
#include "plugdb/registry.h"

extern char** environ;

namespace fs = std::filesystem;
using plugdb::Connection;
using plugdb::Error;
using plugdb::ErrorCategory;
using plugdb::KeyValueStore;
using plugdb::KvBounds;
using plugdb::KvWrite;

namespace {

using Options = std::map<std::string, std::string>;
using Pairs = std::vector<std::pair<std::string, std::string>>;

plugdb::Driver& driver() {
    static const plugdb::LoadedDriver loaded =
        plugdb::DriverRegistry::instance().load("rocksdb", {PLUGDB_TEST_PLUGIN_DIR});
    return *loaded.driver;
}

// A connection and its key-value interface, found as core finds it.
struct Kv {
    std::unique_ptr<Connection> connection;
    KeyValueStore* store = nullptr;
    KeyValueStore* operator->() const { return store; }
};

Kv connectTo(const fs::path& dir, const Options& options = {}) {
    plugdb::DataSource source;
    source.driver = "rocksdb";
    source.database = dir.string();
    source.options = options;
    // As a host does before connect: the options are checked against the driver's declaration.
    if (const auto* declared = plugdb::declaredOptions(driver()))
        plugdb::checkOptions("rocksdb", *declared, source);
    Kv kv;
    kv.connection = driver().connect(source);
    kv.store = dynamic_cast<KeyValueStore*>(kv.connection.get());
    if (kv.store == nullptr) ADD_FAILURE() << "the rocksdb connection is no KeyValueStore";
    return kv;
}

void put(const Kv& kv, const std::string& ns, const std::string& key, const std::string& value) {
    const KvWrite write{KvWrite::Kind::Put, ns, key, value};
    kv->kvApply({&write, 1});
}

void erase(const Kv& kv, const std::string& ns, const std::string& key) {
    const KvWrite write{KvWrite::Kind::Erase, ns, key, {}};
    kv->kvApply({&write, 1});
}

Pairs scan(const Kv& kv, const std::string& ns, const KvBounds& bounds = {}) {
    Pairs pairs;
    auto cursor = kv->kvScan(ns, bounds);
    while (cursor->next()) pairs.emplace_back(cursor->key(), cursor->value());
    return pairs;
}

std::vector<std::string> keysOf(const Pairs& pairs) {
    std::vector<std::string> keys;
    for (const auto& pair : pairs) keys.push_back(pair.first);
    return keys;
}

Error errorFrom(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return Error(ErrorCategory::Other, "(no error was thrown)");
}

// A child process (plugdb-rocksdb-child) with its stdin and stdout on pipes.
class Child {
public:
    Child(const std::string& mode, const fs::path& dir) {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        const std::string program = PLUGDB_TEST_CHILD;
        const std::string path = dir.string();
        char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(mode.c_str()),
                        const_cast<char*>(path.c_str()), nullptr};
        const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        toChild_ = in[1];
        fromChild_ = out[0];
        if (rc != 0) throw std::runtime_error("posix_spawn " + program);
    }
    ~Child() {
        closeStdin();
        if (fromChild_ >= 0) ::close(fromChild_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    pid_t pid() const { return pid_; }

    // The next line the child writes, without its newline; empty at its end.
    std::string readLine() {
        std::string line;
        char c;
        while (::read(fromChild_, &c, 1) == 1) {
            if (c == '\n') return line;
            line += c;
        }
        return line;
    }
    void closeStdin() {
        if (toChild_ >= 0) ::close(toChild_);
        toChild_ = -1;
    }
    // SIGKILL, then the exit status.
    int kill() {
        ::kill(pid_, SIGKILL);
        return wait();
    }
    int wait() {
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }

private:
    pid_t pid_ = -1;
    int toChild_ = -1;
    int fromChild_ = -1;
};

class RocksdbTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        root_ = fs::temp_directory_path() /
                ("plugdb-rocksdb-" + std::to_string(::getpid()) + "-" + info->name());
        fs::remove_all(root_);
        fs::create_directories(root_);
        dir_ = root_ / "kv";
    }
    void TearDown() override { fs::remove_all(root_); }

    fs::path root_;
    fs::path dir_;
};

TEST_F(RocksdbTest, OpensCreatesAndReopens) {
    {
        auto kv = connectTo(dir_);
        EXPECT_TRUE(fs::exists(dir_ / "CURRENT"));
        put(kv, "default", "a", "1");
        put(kv, "default", "empty", "");
        EXPECT_EQ(kv->kvGet("default", "a"), "1");
    }
    auto kv = connectTo(dir_);
    EXPECT_EQ(kv->kvGet("default", "a"), "1");
    EXPECT_EQ(kv->kvGet("default", "empty"), "");  // an empty value is a value
    EXPECT_EQ(kv->kvGet("default", "absent"), std::nullopt);
    erase(kv, "default", "a");
    EXPECT_EQ(kv->kvGet("default", "a"), std::nullopt);
}

TEST_F(RocksdbTest, ReportsVersionPingsAndLimits) {
    auto kv = connectTo(dir_);
    EXPECT_EQ(kv.connection->serverVersion().rfind("RocksDB 7.", 0), 0u)
        << kv.connection->serverVersion();
    EXPECT_NO_THROW(kv.connection->ping());
    const plugdb::KvLimits limits = kv->kvLimits();
    EXPECT_EQ(limits.maxKeyBytes, 8u << 20);
    EXPECT_EQ(limits.maxValueBytes, 64u << 20);
    const std::string big(1 << 20, '\xab');
    put(kv, "default", "big", big);
    EXPECT_EQ(kv->kvGet("default", "big"), big);
}

TEST_F(RocksdbTest, RefusesSqlWithTheCommandsThatApply) {
    auto kv = connectTo(dir_);
    for (const auto& action : std::vector<std::function<void()>>{
             [&] { kv.connection->prepare("SELECT 1"); },
             [&] { kv.connection->executeScript("CREATE TABLE t (x INTEGER)"); },
             [&] { kv.connection->begin(); }, [&] { kv.connection->commit(); }}) {
        const Error e = errorFrom(action);
        EXPECT_EQ(e.category(), ErrorCategory::Unsupported);
        EXPECT_NE(std::string(e.what()).find("rocksdb is a key-value engine"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("plugdb kv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("code-based migrations"), std::string::npos);
    }
    EXPECT_NO_THROW(kv.connection->rollback());  // nothing open: succeeds doing nothing
}

TEST_F(RocksdbTest, DeclaresAndChecksItsOptions) {
    const auto* declared = plugdb::declaredOptions(driver());
    ASSERT_NE(declared, nullptr);
    std::vector<std::string> names;
    for (const auto& option : declared->options) names.push_back(option.name);
    EXPECT_EQ(names, (std::vector<std::string>{"sync", "block_cache_size", "compression",
                                               "create_if_missing", "read_only"}));
    const Error unknown = errorFrom([&] { connectTo(dir_, {{"compression", "brotli"}}); });
    EXPECT_EQ(unknown.category(), ErrorCategory::Config);
    EXPECT_NE(std::string(unknown.what()).find("brotli"), std::string::npos) << unknown.what();
    const Error memory = errorFrom([&] { connectTo(":memory:"); });
    EXPECT_EQ(memory.category(), ErrorCategory::Config);
    EXPECT_NE(std::string(memory.what()).find("directory"), std::string::npos) << memory.what();
}

TEST_F(RocksdbTest, EachCompressionOpensWritesAndReads) {
    for (const std::string compression : {"zstd", "lz4", "snappy", "none"}) {
        const fs::path dir = root_ / compression;
        auto kv = connectTo(dir, {{"compression", compression}, {"block_cache_size", "1048576"}});
        put(kv, "default", "k", std::string(10000, 'x'));
        EXPECT_EQ(kv->kvGet("default", "k"), std::string(10000, 'x')) << compression;
    }
}

TEST_F(RocksdbTest, SyncOffAndNoBlockCacheStillStore) {
    {
        auto kv = connectTo(dir_, {{"sync", "off"}, {"block_cache_size", "0"}});
        for (int i = 0; i < 100; ++i) put(kv, "default", "k" + std::to_string(i), "v");
    }
    auto kv = connectTo(dir_);
    EXPECT_EQ(scan(kv, "default").size(), 100u);
}

TEST_F(RocksdbTest, CreateIfMissingFalseAndReadOnlyNeedADatabase) {
    const Error missing = errorFrom([&] { connectTo(dir_, {{"create_if_missing", "false"}}); });
    EXPECT_EQ(missing.category(), ErrorCategory::Connection);
    EXPECT_NE(std::string(missing.what()).find("create_if_missing"), std::string::npos);
    const Error readOnly = errorFrom([&] { connectTo(dir_, {{"read_only", "true"}}); });
    EXPECT_NE(std::string(readOnly.what()).find("read-only"), std::string::npos) << readOnly.what();
    EXPECT_FALSE(fs::exists(dir_));
    fs::create_directories(root_ / "file-parent");
    std::ofstream(root_ / "file-parent" / "plain") << "x";
    const Error file = errorFrom([&] { connectTo(root_ / "file-parent" / "plain"); });
    EXPECT_NE(std::string(file.what()).find("is a file"), std::string::npos) << file.what();
}

TEST_F(RocksdbTest, ReadOnlyReadsAndRefusesWrites) {
    {
        auto kv = connectTo(dir_);
        put(kv, "users", "a", "1");
    }
    auto kv = connectTo(dir_, {{"read_only", "true"}});
    EXPECT_EQ(kv->kvGet("users", "a"), "1");
    const Error e = errorFrom([&] { put(kv, "users", "b", "2"); });
    EXPECT_EQ(e.category(), ErrorCategory::Permission);
    EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    EXPECT_EQ(errorFrom([&] { kv->kvCompareAndSet("users", "a", "1", "2"); }).category(),
              ErrorCategory::Permission);
    // A read-write connection cannot share the read-only handle of this process.
    const Error writer = errorFrom([&] { connectTo(dir_); });
    EXPECT_EQ(writer.category(), ErrorCategory::Config);
    EXPECT_NE(std::string(writer.what()).find("read_only"), std::string::npos) << writer.what();
}

TEST_F(RocksdbTest, NamespacesAreColumnFamiliesKeptAcrossReopen) {
    {
        auto kv = connectTo(dir_);
        put(kv, "users", "k", "user");
        put(kv, "orders", "k", "order");
        put(kv, "default", "k", "default");
        EXPECT_EQ(kv->kvGet("nowhere", "k"), std::nullopt);
        EXPECT_TRUE(scan(kv, "nowhere").empty());
        erase(kv, "nowhere", "k");  // erasing in a namespace that does not exist: nothing
        EXPECT_TRUE(kv->kvCompareAndSet("nowhere2", "k", std::nullopt, std::nullopt));
    }
    auto kv = connectTo(dir_);
    EXPECT_EQ(kv->kvGet("users", "k"), "user");
    EXPECT_EQ(kv->kvGet("orders", "k"), "order");
    EXPECT_EQ(kv->kvGet("default", "k"), "default");
    EXPECT_EQ(kv->kvGet("nowhere", "k"), std::nullopt);
    EXPECT_EQ(scan(kv, "users").size(), 1u);
}

TEST_F(RocksdbTest, ConnectionsOfAProcessShareOneHandle) {
    auto first = connectTo(dir_);
    auto second = connectTo(dir_.string() + "/");  // the same directory, spelled otherwise
    put(first, "default", "a", "1");
    EXPECT_EQ(second->kvGet("default", "a"), "1");
    // Another block cache for the same open handle is refused, not ignored.
    const Error other = errorFrom([&] { connectTo(dir_, {{"block_cache_size", "1"}}); });
    EXPECT_EQ(other.category(), ErrorCategory::Config);
    EXPECT_NE(std::string(other.what()).find("block_cache_size"), std::string::npos);
    first = {};
    put(second, "default", "b", "2");  // still open for the second
    second = {};
    auto again = connectTo(dir_);  // the last one closed it: the lock is free again
    EXPECT_EQ(again->kvGet("default", "b"), "2");
}

TEST_F(RocksdbTest, BatchesApplyEveryWrite) {
    auto kv = connectTo(dir_);
    put(kv, "a", "gone", "x");
    const std::vector<KvWrite> writes{{KvWrite::Kind::Put, "a", "1", "one"},
                                      {KvWrite::Kind::Put, "b", "2", "two"},
                                      {KvWrite::Kind::Erase, "a", "gone", {}},
                                      {KvWrite::Kind::Put, "a", "1", "uno"}};
    kv->kvApply(writes);
    EXPECT_EQ(kv->kvGet("a", "1"), "uno");  // the later write of a key wins
    EXPECT_EQ(kv->kvGet("b", "2"), "two");
    EXPECT_EQ(kv->kvGet("a", "gone"), std::nullopt);
}

TEST_F(RocksdbTest, ScansInByteOrderWithBoundsReverseAndLimit) {
    auto kv = connectTo(dir_);
    const std::vector<std::string> keys{std::string("\x00", 1),
                                        std::string("\x00\x00", 2),
                                        "a",
                                        "ab",
                                        "abc",
                                        "b",
                                        "\x7f",
                                        "\x80",
                                        "\xff",
                                        "\xff\xff"};
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) put(kv, "s", *it, "v" + *it);
    EXPECT_EQ(keysOf(scan(kv, "s")), keys);

    EXPECT_EQ(keysOf(scan(kv, "s", {"a", std::string("b")})),
              (std::vector<std::string>{"a", "ab", "abc"}));
    EXPECT_EQ(keysOf(scan(kv, "s", {"a", std::string("b"), true})),
              (std::vector<std::string>{"abc", "ab", "a"}));
    EXPECT_EQ(keysOf(scan(kv, "s", {"ab", std::nullopt, true, 3})),
              (std::vector<std::string>{"\xff\xff", "\xff", "\x80"}));
    EXPECT_EQ(keysOf(scan(kv, "s", {"", std::string("a"), true})),
              (std::vector<std::string>{std::string("\x00\x00", 2), std::string("\x00", 1)}));
    EXPECT_EQ(keysOf(scan(kv, "s", {"ab", std::string("ab")})), std::vector<std::string>{});
    EXPECT_EQ(keysOf(scan(kv, "s", {"b", std::string("a")})), std::vector<std::string>{});
    EXPECT_EQ(keysOf(scan(kv, "s", {"", std::nullopt, false, 2})),
              (std::vector<std::string>{std::string("\x00", 1), std::string("\x00\x00", 2)}));
    // An end between keys, and a reverse scan whose end is absent from the data.
    EXPECT_EQ(keysOf(scan(kv, "s", {"abd", std::string("c"), true})),
              (std::vector<std::string>{"b"}));
    EXPECT_EQ(scan(kv, "s", {"ab", std::string("abc")}).front().second, "vab");
}

TEST_F(RocksdbTest, CursorStreamsWhileOthersWrite) {
    auto kv = connectTo(dir_);
    auto other = connectTo(dir_);
    for (int i = 0; i < 1000; ++i) put(kv, "s", "k" + std::to_string(10000 + i), "v");
    auto cursor = kv->kvScan("s", {});
    std::size_t seen = 0;
    while (cursor->next()) {
        if (seen++ % 100 == 0) put(other, "s", "k" + std::to_string(10000 + seen) + "x", "new");
    }
    EXPECT_GE(seen, 1000u);
}

TEST_F(RocksdbTest, SnapshotsSeeTheStoreAsItWas) {
    auto reader = connectTo(dir_);
    auto writer = connectTo(dir_);
    put(writer, "s", "a", "old");
    put(writer, "s", "b", "old");
    reader->kvBeginSnapshot();
    put(writer, "s", "a", "new");
    erase(writer, "s", "b");
    put(writer, "s", "c", "new");
    put(writer, "later", "x", "new");  // a namespace created after the snapshot
    EXPECT_EQ(reader->kvGet("s", "a"), "old");
    EXPECT_EQ(reader->kvGet("s", "b"), "old");
    EXPECT_EQ(reader->kvGet("later", "x"), std::nullopt);
    EXPECT_EQ(scan(reader, "s"), (Pairs{{"a", "old"}, {"b", "old"}}));
    // Compare-and-set checks the latest value, not the snapshot's.
    EXPECT_FALSE(reader->kvCompareAndSet("s", "a", "old", "mine"));
    EXPECT_TRUE(reader->kvCompareAndSet("s", "a", "new", "mine"));
    EXPECT_EQ(reader->kvGet("s", "a"), "old");
    reader->kvEndSnapshot();
    EXPECT_EQ(reader->kvGet("s", "a"), "mine");
    EXPECT_EQ(scan(reader, "s"), (Pairs{{"a", "mine"}, {"c", "new"}}));
}

TEST_F(RocksdbTest, CompareAndSetSemantics) {
    auto kv = connectTo(dir_);
    EXPECT_TRUE(kv->kvCompareAndSet("c", "k", std::nullopt, "1"));  // absent -> 1
    EXPECT_FALSE(kv->kvCompareAndSet("c", "k", std::nullopt, "2"));
    EXPECT_FALSE(kv->kvCompareAndSet("c", "k", "0", "2"));
    EXPECT_TRUE(kv->kvCompareAndSet("c", "k", "1", ""));  // an empty value is not absence
    EXPECT_FALSE(kv->kvCompareAndSet("c", "k", std::nullopt, "3"));
    EXPECT_TRUE(kv->kvCompareAndSet("c", "k", "", std::nullopt));  // erase
    EXPECT_EQ(kv->kvGet("c", "k"), std::nullopt);
}

TEST_F(RocksdbTest, CompareAndSetIsAtomicAcrossConnections) {
    constexpr int kThreads = 8;
    constexpr int kIncrements = 200;
    std::vector<Kv> connections;
    for (int i = 0; i < kThreads; ++i) connections.push_back(connectTo(dir_, {{"sync", "off"}}));
    put(connections[0], "c", "n", "0");
    std::atomic<long> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            const Kv& kv = connections[static_cast<std::size_t>(t)];
            for (int i = 0; i < kIncrements; ++i) {
                while (true) {
                    const std::string current = kv->kvGet("c", "n").value_or("0");
                    const std::string next = std::to_string(std::stol(current) + 1);
                    if (kv->kvCompareAndSet("c", "n", current, next)) break;
                    ++conflicts;
                }
                // Plain writes run meanwhile; they must not slip between a CAS's read and write.
                put(kv, "c", "noise" + std::to_string(t), std::to_string(i));
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(connections[0]->kvGet("c", "n"), std::to_string(kThreads * kIncrements));
}

// A writer with sync on, killed at an arbitrary point: every write it
// acknowledged is there on reopen. (SIGKILL keeps what reached the kernel;
// sync on is what also keeps it through a power loss, which no test here makes.)
TEST_F(RocksdbTest, AcknowledgedWritesSurviveSigkill) {
    fs::create_directories(dir_);
    long acknowledged = -1;
    {
        Child writer("write", dir_);
        std::mt19937 random(std::random_device{}());
        const long killAt = 200 + static_cast<long>(random() % 300);
        while (acknowledged < killAt) {
            const std::string line = writer.readLine();
            ASSERT_FALSE(line.empty()) << "the writer stopped after " << acknowledged;
            acknowledged = std::stol(line);
        }
        const int status = writer.kill();
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        // Acknowledgements already in the pipe count too.
        for (std::string line = writer.readLine(); !line.empty(); line = writer.readLine())
            acknowledged = std::stol(line);
    }
    auto kv = connectTo(dir_);
    long missing = 0;
    for (long i = 0; i <= acknowledged; ++i)
        if (kv->kvGet("crash", "k" + std::to_string(i)) != "v" + std::to_string(i)) ++missing;
    EXPECT_EQ(missing, 0) << "of " << acknowledged + 1 << " acknowledged writes";
}

TEST_F(RocksdbTest, SecondProcessIsRefusedNamingTheLockFileAndHolder) {
    { auto kv = connectTo(dir_); }
    Child holder("hold", dir_);
    ASSERT_EQ(holder.readLine(), "open");
    const Error e = errorFrom([&] { connectTo(dir_); });
    const std::string message = e.what();
    EXPECT_EQ(e.category(), ErrorCategory::Connection);
    EXPECT_NE(message.find((dir_ / "LOCK").string()), std::string::npos) << message;
    EXPECT_NE(message.find("process " + std::to_string(holder.pid())), std::string::npos)
        << message;
    EXPECT_NE(message.find("read_only=true"), std::string::npos) << message;
    // Read-only takes no lock: a second process may read meanwhile.
    {
        auto reader = connectTo(dir_, {{"read_only", "true"}});
        EXPECT_NO_THROW(reader.connection->ping());
    }
    holder.closeStdin();
    EXPECT_EQ(holder.wait(), 0);
    EXPECT_NO_THROW(connectTo(dir_));  // released with the process
}

TEST_F(RocksdbTest, ChildIsRefusedWhileThisProcessHoldsIt) {
    auto kv = connectTo(dir_);
    Child opener("open", dir_);
    const std::string message = opener.readLine();
    EXPECT_NE(message.find("process " + std::to_string(::getpid())), std::string::npos) << message;
    EXPECT_NE(message.find("LOCK"), std::string::npos) << message;
    EXPECT_NE(opener.wait(), 0);
}

}  // namespace
