// The key-value suite (key_value_conformance.h): the same tests on every engine.
#include "key_value_conformance.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace plugdb::conformance {
namespace {

std::string testName() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name)
        if (c == '/') c = '_';
    return name;
}

// Keys and values print in hex: most of them are not text.
std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 0xf];
    }
    return out;
}

std::string hexOrAbsent(const std::optional<std::string>& bytes) {
    return bytes ? hex(*bytes) : "(absent)";
}

std::vector<std::string> hexAll(const std::vector<std::string>& keys) {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(hex(k));
    return out;
}

struct Pair {
    std::string key, value;
};

std::vector<Pair> readAll(KvScan scan) {
    std::vector<Pair> pairs;
    while (scan.next()) pairs.push_back({scan.key(), scan.value()});
    return pairs;
}

std::vector<std::string> keysOf(const std::vector<Pair>& pairs) {
    std::vector<std::string> keys;
    for (const auto& p : pairs) keys.push_back(p.key);
    return keys;
}

std::vector<std::string> keysOf(KvScan scan) {
    return keysOf(readAll(std::move(scan)));
}

// The message of the plugdb::Error fn throws, after checking its category.
std::string errorOf(const std::function<void()>& fn, ErrorCategory category) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), category) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "expected a plugdb::Error (" << toString(category) << ")";
    return {};
}

std::string key(int i) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "k%03d", i);
    return buffer;
}

}  // namespace

// A driver's fixture file may leave the key-value suite out (a driver still
// without a key-value table): that is not an error of its test binary.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(KeyValueConformance);

void KeyValueConformance::SetUp() {
    url_ = quirks().base.freshDatabase(quirks().base.name + "_kv_" + testName());
    db_.emplace(Database::open(configFor(url_)));
}

void KeyValueConformance::TearDown() {
    db_.reset();
    if (!url_.empty()) quirks().base.dropDatabase(url_);
}

Config KeyValueConformance::configFor(const std::string& url) const {
    Config config = Config::withDefaults();
    std::string path;
    for (const auto& dir : quirks().base.pluginPath) path += (path.empty() ? "" : ":") + dir;
    config.set("plugins.path", path, Layer::CommandLine, "conformance kit");
    config.set("db.url", url, Layer::CommandLine, "conformance kit");
    config.set("connect.attempts", "1", Layer::CommandLine, "conformance kit");
    return config;
}

// Unsigned byte order: 0x00 first, 0xff last, a key before the longer keys it
// is a prefix of.
TEST_P(KeyValueConformance, OrdersKeysAsUnsignedBytes) {
    KeyValue kv = db().kv("order");
    const std::vector<std::string> sorted = {std::string("\x00", 1),
                                             std::string("\x00\x00", 2),
                                             std::string("\x00\x01", 2),
                                             "\x01",
                                             "A",
                                             "a",
                                             std::string("a\x00", 2),
                                             "ab",
                                             "abc",
                                             "a\x7f",
                                             "a\x80",
                                             "b",
                                             "\x7f",
                                             "\x80",
                                             "\xfe",
                                             "\xff",
                                             std::string("\xff\x00", 2),
                                             "\xff\xff"};
    std::vector<std::string> shuffled = sorted;
    std::reverse(shuffled.begin(), shuffled.end());
    std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
    for (const auto& k : shuffled) kv.put(k, "v" + hex(k));
    const auto pairs = readAll(kv.scan({}));
    EXPECT_EQ(hexAll(keysOf(pairs)), hexAll(sorted));
    for (const auto& p : pairs) EXPECT_EQ(p.value, "v" + hex(p.key)) << hex(p.key);
    std::vector<std::string> reversed(sorted.rbegin(), sorted.rend());
    EXPECT_EQ(hexAll(keysOf(kv.scan({.reverse = true}))), hexAll(reversed));
    for (const auto& k : sorted) EXPECT_EQ(hexOrAbsent(kv.get(k)), hex("v" + hex(k))) << hex(k);
}

TEST_P(KeyValueConformance, EmptyValueIsNotAbsence) {
    KeyValue kv = db().kv("empty");
    EXPECT_EQ(kv.get("k"), std::nullopt);
    EXPECT_FALSE(kv.contains("k"));
    kv.put("k", "");
    ASSERT_TRUE(kv.get("k").has_value());
    EXPECT_EQ(*kv.get("k"), "");
    EXPECT_TRUE(kv.contains("k"));
    const auto pairs = readAll(kv.scanPrefix(""));
    ASSERT_EQ(pairs.size(), 1u);
    EXPECT_EQ(pairs[0].value, "");
    EXPECT_TRUE(kv.erase("k"));
    EXPECT_FALSE(kv.erase("k"));
    EXPECT_EQ(kv.get("k"), std::nullopt);
}

TEST_P(KeyValueConformance, PutReplacesAndGetManyKeepsOrder) {
    KeyValue kv = db().kv("many");
    kv.put("a", "1");
    kv.put("a", "2");
    kv.put("c", std::string("\x00\xff", 2));
    const std::vector<std::string> keys = {"c", "b", "a", "a"};
    const auto values = kv.getMany(keys);
    ASSERT_EQ(values.size(), 4u);
    EXPECT_EQ(hexOrAbsent(values[0]), "00ff");
    EXPECT_EQ(values[1], std::nullopt);
    EXPECT_EQ(values[2], "2");
    EXPECT_EQ(values[3], "2");
}

TEST_P(KeyValueConformance, StoresOneMebibyteValues) {
    KeyValue kv = db().kv("large");
    std::string value(1u << 20, '\0');
    for (std::size_t i = 0; i < value.size(); ++i)
        value[i] = static_cast<char>((i * 131 + i / 256) & 0xff);
    kv.put("big", value);
    const auto back = kv.get("big");
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->size(), value.size());
    EXPECT_TRUE(*back == value) << "the 1 MiB value came back changed";
    const auto pairs = readAll(kv.scanPrefix("b"));
    ASSERT_EQ(pairs.size(), 1u);
    EXPECT_TRUE(pairs[0].value == value);
}

TEST_P(KeyValueConformance, RefusesWhatIsAboveTheLimitsNamingThem) {
    KeyValue kv = db().kv("limits");
    const KvLimits limits = kv.limits();
    EXPECT_NE(errorOf([&] { kv.put("", "v"); }, ErrorCategory::InvalidArgument).find("empty"),
              std::string::npos);
    EXPECT_THROW(kv.get(""), Error);
    EXPECT_THROW(kv.batch().put("", "v"), Error);
    constexpr std::uint64_t kTestable = 64u << 20;
    if (limits.maxKeyBytes != 0 && limits.maxKeyBytes < kTestable) {
        const std::string atLimit(limits.maxKeyBytes, '\x01');
        kv.put(atLimit, "at the limit");
        EXPECT_EQ(kv.get(atLimit), "at the limit");
        const std::string above(limits.maxKeyBytes + 1, '\x01');
        const std::string message =
            errorOf([&] { kv.put(above, "v"); }, ErrorCategory::InvalidArgument);
        EXPECT_NE(message.find("maxKeyBytes"), std::string::npos) << message;
        EXPECT_NE(message.find(std::to_string(limits.maxKeyBytes)), std::string::npos) << message;
        EXPECT_THROW(kv.batch().put(above, "v"), Error);
    }
    if (limits.maxValueBytes != 0 && limits.maxValueBytes < kTestable) {
        const std::string atLimit(limits.maxValueBytes, 'v');
        kv.put("at-limit", atLimit);
        const auto back = kv.get("at-limit");
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(back->size(), atLimit.size());
        const std::string above(limits.maxValueBytes + 1, 'v');
        const std::string message =
            errorOf([&] { kv.put("k", above); }, ErrorCategory::InvalidArgument);
        EXPECT_NE(message.find("maxValueBytes"), std::string::npos) << message;
        EXPECT_NE(message.find(std::to_string(limits.maxValueBytes)), std::string::npos) << message;
        EXPECT_THROW(kv.compareAndSet("k", std::nullopt, above), Error);
        EXPECT_EQ(kv.get("k"), std::nullopt);
    }
    if (limits.maxKeyBytes == 0 && limits.maxValueBytes == 0)
        GTEST_SKIP() << "the engine reports no key or value limit";
}

TEST_P(KeyValueConformance, RefusesBadNamespaces) {
    for (const std::string& ns :
         {std::string(), std::string(65, 'a'), std::string("a b"), std::string("a/b"),
          std::string("plugdb.history"), std::string("\xc3\xa9")})
        EXPECT_EQ(errorOf([&] { db().kv(ns); }, ErrorCategory::InvalidArgument).empty(), false)
            << "namespace '" << ns << "'";
    KeyValue longest = db().kv(std::string(64, 'n'));
    longest.put("k", "v");
    EXPECT_EQ(longest.get("k"), "v");
    EXPECT_EQ(db().kv("Aa_0.9-z").ns(), "Aa_0.9-z");
}

TEST_P(KeyValueConformance, NamespacesAreIsolated) {
    KeyValue a = db().kv("a");
    KeyValue b = db().kv("b");
    KeyValue upper = db().kv("A");
    a.put("k", "in a");
    a.put("k2", "in a");
    EXPECT_EQ(b.get("k"), std::nullopt);
    EXPECT_EQ(upper.get("k"), std::nullopt);
    EXPECT_TRUE(keysOf(b.scan({})).empty());
    b.put("k", "in b");
    EXPECT_EQ(a.get("k"), "in a");
    EXPECT_TRUE(b.erase("k"));
    EXPECT_EQ(a.get("k"), "in a");
    EXPECT_EQ(keysOf(a.scan({})), (std::vector<std::string>{"k", "k2"}));
}

TEST_P(KeyValueConformance, BatchAppliesEverythingOrNothing) {
    KeyValue kv = db().kv("batch");
    kv.put("keep", "1");
    kv.put("gone", "1");
    {
        KvBatch dropped = kv.batch();
        dropped.put("never", "1").erase("keep");
        EXPECT_EQ(dropped.size(), 2u);
    }  // destroyed without commit
    EXPECT_EQ(kv.get("never"), std::nullopt);
    EXPECT_EQ(kv.get("keep"), "1");

    KvBatch batch = kv.batch();
    batch.put("a", "1").put("b", "2").erase("gone").put("a", "3").erase("absent");
    batch.commit();
    EXPECT_EQ(kv.get("a"), "3");
    EXPECT_EQ(kv.get("b"), "2");
    EXPECT_EQ(kv.get("gone"), std::nullopt);
    batch.commit();  // nothing left: a no-op
    // Used again after its commit, it writes only what was added since, and
    // a large value next to small ones.
    const std::string large(200 * 1024, 'L');
    batch.put("again", "4").put("large", large).put("empty", "");
    EXPECT_EQ(batch.size(), 3u);
    batch.commit();
    EXPECT_EQ(kv.get("a"), "3");
    EXPECT_EQ(kv.get("again"), "4");
    EXPECT_EQ(kv.get("large"), large);
    EXPECT_EQ(kv.get("empty"), "");

    const std::string refused = std::string("refused\x01", 8);
    const auto script = quirks().refuseKey(hex(refused));
    if (!script) GTEST_SKIP() << quirks().whyNoRefusal;
    db().session().executeScript(*script);
    KvBatch failing = kv.batch();
    failing.put("c", "new").erase("keep").put("a", "changed").put(refused, "x");
    EXPECT_THROW(failing.commit(), Error);
    EXPECT_EQ(kv.get("c"), std::nullopt);
    EXPECT_EQ(kv.get("keep"), "1");
    EXPECT_EQ(kv.get("a"), "3");
    EXPECT_EQ(kv.get(refused), std::nullopt);
    kv.put("after", "works");  // the connection that failed is usable or retired
    EXPECT_EQ(kv.get("after"), "works");
}

// A batch of many writes, keys written several times, large values among
// them: the result is what applying them one after another gives.
TEST_P(KeyValueConformance, LargeBatchesApplyInOrder) {
    KeyValue kv = db().kv("big-batch");
    std::map<std::string, std::string> expected;
    KvBatch batch = kv.batch();
    const auto put = [&](const std::string& k, const std::string& v) {
        batch.put(k, v);
        expected[k] = v;
    };
    const auto erase = [&](const std::string& k) {
        batch.erase(k);
        expected.erase(k);
    };
    for (int i = 0; i < 1200; ++i) put(key(i % 1000), "first " + std::to_string(i));
    for (int i = 0; i < 1000; i += 3) erase(key(i));
    for (int i = 0; i < 1000; i += 9) put(key(i), "again");
    put(key(5), std::string(600u << 10, 'x'));
    put(key(6), std::string(700u << 10, 'y'));
    put(key(5), std::string(300u << 10, 'z'));
    erase(key(7));
    put(key(7), "");
    batch.commit();
    std::map<std::string, std::string> stored;
    KvScan scan = kv.scan({});
    while (scan.next()) stored[scan.key()] = scan.value();
    EXPECT_EQ(stored.size(), expected.size());
    for (const auto& [k, v] : expected) {
        const auto found = stored.find(k);
        if (found == stored.end()) {
            ADD_FAILURE() << hex(k) << " is missing";
        } else if (found->second != v) {
            ADD_FAILURE() << hex(k) << " holds " << found->second.size() << " bytes, not the "
                          << v.size() << " expected";
        }
    }
}

TEST_P(KeyValueConformance, ScansBoundsPrefixReverseLimit) {
    KeyValue kv = db().kv("scan");
    std::vector<std::string> all;
    for (int i = 0; i < 20; ++i) {
        kv.put(key(i), std::to_string(i));
        all.push_back(key(i));
    }
    kv.put("j", "before");
    kv.put("l", "after");
    const auto slice = [&](int from, int to) {
        return std::vector<std::string>(all.begin() + from, all.begin() + to);
    };
    const auto reversed = [](std::vector<std::string> keys) {
        std::reverse(keys.begin(), keys.end());
        return keys;
    };
    EXPECT_EQ(keysOf(kv.scan({key(5), key(10)})), slice(5, 10));
    EXPECT_EQ(keysOf(kv.scan({key(5), key(10), true})), reversed(slice(5, 10)));
    EXPECT_EQ(keysOf(kv.scan({key(5), key(10), false, 3})), slice(5, 8));
    EXPECT_EQ(keysOf(kv.scan({key(5), key(10), true, 3})), reversed(slice(7, 10)));
    EXPECT_EQ(keysOf(kv.scan({"k", std::nullopt, false, 2})), slice(0, 2));
    EXPECT_EQ(keysOf(kv.scan({"", std::string("k"), false, 0})), (std::vector<std::string>{"j"}));
    EXPECT_EQ(keysOf(kv.scan({key(18), std::nullopt, true, 0})),
              (std::vector<std::string>{"l", key(19), key(18)}));
    EXPECT_EQ(keysOf(kv.scan({"k005x", "k007"})), slice(6, 7)) << "bounds between keys";
    EXPECT_TRUE(keysOf(kv.scan({key(9), key(9)})).empty()) << "empty range";
    EXPECT_TRUE(keysOf(kv.scan({key(9), key(3)})).empty()) << "end before begin";
    EXPECT_EQ(keysOf(kv.scanPrefix("k")), all);
    EXPECT_EQ(keysOf(kv.scanPrefix("k01")), slice(10, 20));
    EXPECT_EQ(keysOf(kv.scanPrefix("k01", {.reverse = true, .limit = 2})),
              (std::vector<std::string>{key(19), key(18)}));
    EXPECT_TRUE(keysOf(kv.scanPrefix("kx")).empty());
    EXPECT_EQ(keysOf(kv.scanPrefix("")).size(), 22u);

    // A prefix ending in 0xff has no simple successor.
    KeyValue high = db().kv("scan-high");
    const std::vector<std::string> ff = {"\xfe\xff", "\xff", std::string("\xff\x00", 2), "\xff\xff",
                                         "\xff\xff\xff"};
    for (const auto& k : ff) high.put(k, "v");
    EXPECT_EQ(hexAll(keysOf(high.scanPrefix("\xff"))),
              hexAll(std::vector<std::string>(ff.begin() + 1, ff.end())));
    EXPECT_EQ(hexAll(keysOf(high.scanPrefix("\xff\xff"))),
              hexAll(std::vector<std::string>{"\xff\xff", "\xff\xff\xff"}));
    EXPECT_EQ(hexAll(keysOf(high.scanPrefix("\xfe"))), hexAll({"\xfe\xff"}));
}

TEST_P(KeyValueConformance, SnapshotIgnoresLaterWrites) {
    KeyValue kv = db().kv("snap");
    kv.put("a", "1");
    kv.put("b", "1");
    kv.put("c", "1");
    KvSnapshot snapshot = kv.snapshot();
    // Written through other connections of the pool (the snapshot holds its own).
    kv.put("a", "2");
    EXPECT_TRUE(kv.erase("b"));
    kv.put("d", "new");
    KvBatch batch = kv.batch();
    batch.put("c", "2").put("e", "new");
    batch.commit();
    std::thread([&] { kv.put("f", "from another thread"); }).join();

    EXPECT_EQ(snapshot.get("a"), "1");
    EXPECT_EQ(snapshot.get("b"), "1");
    EXPECT_TRUE(snapshot.contains("c"));
    EXPECT_EQ(snapshot.get("c"), "1");
    EXPECT_EQ(snapshot.get("d"), std::nullopt);
    EXPECT_EQ(keysOf(snapshot.scan({})), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(keysOf(snapshot.scanPrefix("", {.reverse = true, .limit = 2})),
              (std::vector<std::string>{"c", "b"}));
    {  // a scan and gets interleaved in the snapshot
        KvScan scan = snapshot.scan({});
        ASSERT_TRUE(scan.next());
        EXPECT_EQ(scan.key(), "a");
        EXPECT_EQ(snapshot.get("e"), std::nullopt);
        ASSERT_TRUE(scan.next());
        EXPECT_EQ(scan.key(), "b");
        kv.put("bb", "new");
        ASSERT_TRUE(scan.next());
        EXPECT_EQ(scan.key(), "c");
        EXPECT_EQ(scan.value(), "1");
        EXPECT_FALSE(scan.next());
    }
    snapshot = kv.snapshot();  // a new one sees everything so far
    EXPECT_EQ(snapshot.get("a"), "2");
    EXPECT_EQ(keysOf(snapshot.scan({})), (std::vector<std::string>{"a", "bb", "c", "d", "e", "f"}));
}

TEST_P(KeyValueConformance, CompareAndSet) {
    KeyValue kv = db().kv("cas");
    EXPECT_TRUE(kv.putIfAbsent("k", "1"));
    EXPECT_FALSE(kv.putIfAbsent("k", "2"));
    EXPECT_EQ(kv.get("k"), "1");
    EXPECT_FALSE(kv.compareAndSet("k", std::string("0"), "2"));
    EXPECT_FALSE(kv.compareAndSet("k", std::nullopt, "2"));
    EXPECT_TRUE(kv.compareAndSet("k", std::string("1"), "2"));
    EXPECT_TRUE(kv.compareAndSet("k", std::string("2"), "2")) << "same value";
    EXPECT_EQ(kv.get("k"), "2");
    EXPECT_FALSE(kv.eraseIf("k", "1"));
    EXPECT_TRUE(kv.eraseIf("k", "2"));
    EXPECT_EQ(kv.get("k"), std::nullopt);
    EXPECT_FALSE(kv.eraseIf("k", "2"));
    kv.put("e", "");
    EXPECT_FALSE(kv.putIfAbsent("e", "x")) << "an empty value is present";
    EXPECT_TRUE(kv.compareAndSet("e", std::string(), "x"));
    EXPECT_EQ(kv.get("e"), "x");
}

// Eight threads increment one counter with compare-and-set loops: every
// successful CAS is one increment, none lost.
TEST_P(KeyValueConformance, CompareAndSetRacesLoseNothing) {
    KeyValue kv = db().kv("race");
    constexpr int kThreads = 8;
    constexpr int kIncrements = 40;
    std::atomic<int> successes{0};
    std::atomic<int> firstPuts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            try {
                if (kv.putIfAbsent("first", "x")) ++firstPuts;
                for (int done = 0; done < kIncrements;) {
                    const auto current = kv.get("counter");
                    const std::string next = std::to_string(current ? std::stoi(*current) + 1 : 1);
                    if (kv.compareAndSet("counter", current, next)) {
                        ++successes;
                        ++done;
                    }
                }
            } catch (const Error& e) {
                ADD_FAILURE() << e.what();
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(firstPuts.load(), 1);
    EXPECT_EQ(successes.load(), kThreads * kIncrements);
    EXPECT_EQ(kv.get("counter"), std::to_string(successes.load()));
}

// A scan left open while other connections write goes on to its end in key
// order and sees every key that was there before and still is.
TEST_P(KeyValueConformance, OpenScanSurvivesConcurrentWrites) {
    KeyValue kv = db().kv("open");
    KvBatch fill = kv.batch();
    for (int i = 0; i < 200; i += 2) fill.put(key(i), "old");
    fill.commit();
    KvScan scan = kv.scanPrefix("k");
    std::vector<std::string> seen;
    for (int i = 0; i < 10 && scan.next(); ++i) seen.push_back(scan.key());
    std::thread writer([&] {
        try {
            for (int i = 1; i < 200; i += 2) kv.put(key(i), "new");
            for (int i = 0; i < 200; i += 10) kv.put(key(i), "changed");
            KvBatch more = kv.batch();
            for (int i = 0; i < 50; ++i) more.put("kz" + std::to_string(i), "new");
            more.commit();
        } catch (const Error& e) {
            ADD_FAILURE() << e.what();
        }
    });
    writer.join();
    while (scan.next()) seen.push_back(scan.key());
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end()) << "a key twice";
    for (int i = 0; i < 200; i += 2)
        EXPECT_TRUE(std::binary_search(seen.begin(), seen.end(), key(i))) << key(i);
    EXPECT_EQ(keysOf(kv.scanPrefix("k")).size(), 250u);
}

TEST_P(KeyValueConformance, RecordsLatencies) {
    KeyValue kv = db().kv("metrics");
    kv.put("a", "1");
    kv.get("a");
    readAll(kv.scanPrefix(""));
    KvBatch batch = kv.batch();
    batch.put("b", "2").put("c", "3");
    batch.commit();
    const DatabaseMetrics metrics = db().metrics();
    for (const char* operation : {"kv_get", "kv_put", "kv_scan", "kv_batch"}) {
        const auto found =
            std::find_if(metrics.latencies.begin(), metrics.latencies.end(),
                         [&](const auto& latency) { return latency.operation == operation; });
        ASSERT_NE(found, metrics.latencies.end()) << operation;
        EXPECT_GE(found->count, 1u) << operation;
    }
}

}  // namespace plugdb::conformance
