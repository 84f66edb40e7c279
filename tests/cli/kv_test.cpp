// plugdb kv run as an operator would, the same cases on every engine: SQLite
// and RocksDB here, PostgreSQL and MariaDB when built with
// PLUGDB_KV_TEST_SERVERS (the test servers of tests/servers).
#include <Poco/Base64Encoder.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "process.h"
#ifdef PLUGDB_KV_TEST_SERVERS
#include "server_env.h"
#endif

namespace fs = std::filesystem;
using plugdb::test::ProcessOptions;
using plugdb::test::ProcessResult;
using plugdb::test::runProcess;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeFile(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// The dump plugdb kv export writes for these pairs (README "Key-value").
std::string dumpOf(const std::string& ns, const std::map<std::string, std::string>& pairs) {
    std::string dump = R"({"format":"plugdb-kv","version":1,"namespace":")" + ns + "\"}\n";
    for (const auto& [key, value] : pairs)  // std::string orders by unsigned bytes, as kv does
        dump +=
            R"({"key_base64":")" + base64(key) + R"(","value_base64":")" + base64(value) + "\"}\n";
    return dump + R"({"count":)" + std::to_string(pairs.size()) + "}\n";
}

// The database URL for an engine; `dir` is the test's scratch directory.
std::string urlFor(const std::string& engine, const fs::path& dir) {
    if (engine == "sqlite") return "sqlite:" + (dir / "kv.db").string();
    if (engine == "rocksdb") return "rocksdb:" + (dir / "kv").string();
#ifdef PLUGDB_KV_TEST_SERVERS
    if (engine == "postgres")
        return plugdb::test::requireServerVariable("postgres.env", "PLUGDB_PG_URL");
    if (engine == "mysql")
        return plugdb::test::requireServerVariable("mariadb.env", "PLUGDB_MY_URL");
#endif
    throw std::invalid_argument("no engine " + engine);
}

#ifdef PLUGDB_KV_TEST_SERVERS
const std::vector<std::string> kEngines{"postgres", "mysql"};
#elif defined(PLUGDB_TEST_HAVE_ROCKSDB)
const std::vector<std::string> kEngines{"sqlite", "rocksdb"};
#else
const std::vector<std::string> kEngines{"sqlite"};
#endif

// Export/import goes to the next engine of the list (to itself, in a second
// database, when there is one engine only).
std::string otherEngine(const std::string& engine) {
    const auto at = std::find(kEngines.begin(), kEngines.end(), engine);
    return kEngines[(static_cast<std::size_t>(at - kEngines.begin()) + 1) % kEngines.size()];
}

class KvCli : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        for (char& c : test)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '.';
        dir_ = fs::temp_directory_path() / ("plugdb-kv-" + std::to_string(getpid()) + "-" + test);
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "other");
        options_.workDir = dir_.string();
        url_ = urlFor(GetParam(), dir_);
        // The server databases are shared: one namespace per process and test.
        ns_ = ("cli." + std::to_string(getpid()) + "." + test).substr(0, 64);
    }
    void TearDown() override { fs::remove_all(dir_); }

    ProcessResult kvOn(const std::string& url, std::vector<std::string> args,
                       const std::string& input = {}) {
        // --ns once (Poco refuses a repeated option): the test's unless the case names one.
        if (std::find(args.begin(), args.end(), "--ns") == args.end())
            args.insert(args.begin(), {"--ns", ns_});
        args.insert(args.begin(), {PLUGDB_TEST_BINARY, "kv"});
        ProcessOptions options = options_;
        options.env["DATABASE_URL"] = url;
        options.input = input;
        return runProcess(args, options);
    }
    ProcessResult kv(std::vector<std::string> args, const std::string& input = {}) {
        return kvOn(url_, std::move(args), input);
    }
    void put(const std::string& key, const std::string& value) {
        const ProcessResult r = kv({"put", key, value});
        ASSERT_EQ(r.exitCode, 0) << key << ": " << r.err;
    }

    fs::path dir_;
    ProcessOptions options_;
    std::string url_;
    std::string ns_;
};

}  // namespace

TEST_P(KvCli, PutGetDel) {
    put("a", "1");
    ProcessResult r = kv({"get", "a"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "1\n");
    put("a", "h\xC3\xA9llo world");  // overwrites
    EXPECT_EQ(kv({"get", "a"}).out, "h\xC3\xA9llo world\n");
    EXPECT_EQ(kv({"get", "a", "--format", "json"}).out,
              "{\"key\":\"a\",\"value\":\"h\xC3\xA9llo world\"}\n");
    EXPECT_EQ(kv({"get", "a", "--format", "csv"}).out, "key,value\r\na,h\xC3\xA9llo world\r\n");

    r = kv({"get", "b"});
    EXPECT_EQ(r.exitCode, 1) << "an absent key has its own exit code";
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "no key 'b' in namespace '" + ns_ + "'")) << r.err;

    r = kv({"del", "a"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(kv({"get", "a"}).exitCode, 1);
    r = kv({"del", "a"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(contains(r.err, "no key 'a'")) << r.err;
}

TEST_P(KvCli, AnEmptyValueIsNotAnAbsentKey) {
    put("e", "");
    ProcessResult r = kv({"get", "e"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "\n");
    EXPECT_EQ(kv({"get", "e", "--format", "json"}).out, "{\"key\":\"e\",\"value\":\"\"}\n");
}

TEST_P(KvCli, BinaryKeysAndValuesRoundTripThroughHexAndBase64) {
    put("hex:00ff00", "base64:AAEC/w==");
    ProcessResult r = kv({"get", "base64:AP8A"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "hex:000102ff\n") << "shown as hex, so it can be typed back";
    r = kv({"get", "hex:00FF00", "--format", "json"});
    EXPECT_EQ(r.out, R"({"key_base64":"AP8A","value_base64":"AAEC/w=="})"
                     "\n");
    r = kv({"get", "hex:00ff00", "--out", "-"});
    EXPECT_EQ(r.out, std::string("\x00\x01\x02\xff", 4)) << "--out writes the exact bytes";
    r = kv({"scan", "--format", "csv"});
    EXPECT_EQ(r.out, "key,value\r\nhex:00ff00,hex:000102ff\r\n");

    // Text that would read as an escape is shown as hex; text: types it.
    put("text:hex:zz", "tab\there");
    r = kv({"get", "hex:6865783a7a7a"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "hex:7461620968657265\n");
    EXPECT_EQ(kv({"get", "text:hex:zz", "--format", "json"}).out,
              R"({"key":"hex:zz","value":"tab\there"})"
              "\n");

    for (const char* bad : {"hex:abc", "hex:zz", "base64:AP8", "base64:A===", "base64:AP9="}) {
        r = kv({"get", bad});
        EXPECT_EQ(r.exitCode, 64) << bad;
        EXPECT_TRUE(contains(r.err, "is not valid")) << bad << ": " << r.err;
    }
}

TEST_P(KvCli, ValuesFromAFileOrStandardInputAreBytes) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    writeFile(dir_ / "value.bin", all + all);
    ProcessResult r = kv({"put", "f", "--file", "value.bin"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = kv({"get", "f", "--out", "copy.bin"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(readFile(dir_ / "copy.bin"), all + all);

    r = kv({"put", "s"}, all);  // no VALUE: standard input
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(kv({"get", "s", "--out", "-"}).out, all);
    r = kv({"put", "s", "--file", "-"}, "line\n");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(kv({"get", "s"}).out, "hex:6c696e650a\n");

    r = kv({"put", "m", "--file", "missing.bin"});
    EXPECT_EQ(r.exitCode, 66) << r.err;
    r = kv({"put", "m", "--file", "."});
    EXPECT_EQ(r.exitCode, 66) << r.err;
    EXPECT_EQ(kv({"put", "m", "v", "--file", "value.bin"}).exitCode, 64);
}

TEST_P(KvCli, ScanOrdersByBytesWithPrefixBoundsReverseAndLimit) {
    for (const char* key : {"b", "a", "abc", "ab", "c", "hex:00", "hex:ff", "hex:ff00", "hex:61ff"})
        put(key, "v");
    auto keys = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"scan", "--format", "csv"});
        const ProcessResult r = kv(args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        std::string joined;
        std::istringstream lines(r.out);
        std::getline(lines, joined);  // the header
        joined.clear();
        for (std::string line; std::getline(lines, line);)
            joined += (joined.empty() ? "" : " ") + line.substr(0, line.find(','));
        return joined;
    };
    EXPECT_EQ(keys({}), "hex:00 a ab abc hex:61ff b c hex:ff hex:ff00");
    EXPECT_EQ(keys({"--prefix", "a"}), "a ab abc hex:61ff");
    EXPECT_EQ(keys({"--prefix", "a", "--reverse"}), "hex:61ff abc ab a");
    EXPECT_EQ(keys({"--prefix", "hex:ff"}), "hex:ff hex:ff00");
    EXPECT_EQ(keys({"--prefix", "a", "--limit", "2"}), "a ab");
    EXPECT_EQ(keys({"--from", "ab", "--to", "c"}), "ab abc hex:61ff b");
    EXPECT_EQ(keys({"--from", "ab", "--to", "c", "--reverse", "--limit", "2"}), "b hex:61ff");
    EXPECT_EQ(keys({"--from", "c"}), "c hex:ff hex:ff00");
    EXPECT_EQ(keys({"--to", "a"}), "hex:00");
    EXPECT_EQ(keys({"--reverse", "--limit", "1"}), "hex:ff00");
    EXPECT_EQ(keys({"--prefix", "x"}), "");

    EXPECT_EQ(kv({"scan", "--prefix", "a", "--from", "b"}).exitCode, 64);
    EXPECT_EQ(kv({"scan", "--limit", "0"}).exitCode, 64);
    EXPECT_EQ(kv({"scan", "--limit", "two"}).exitCode, 64);
}

TEST_P(KvCli, ScanFormats) {
    ProcessResult r = kv({"scan"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "(0 pairs)")) << r.out;
    EXPECT_EQ(kv({"scan", "--format", "json"}).out, "[]\n");
    EXPECT_EQ(kv({"scan", "--format", "csv"}).out, "key,value\r\n");

    put("k1", "one, \"quoted\"");
    put("k2", "hex:00");
    put("k3", "hex:ff");
    r = kv({"scan"});
    EXPECT_EQ(r.out,
              "key | value\n"
              "----+--------------\n"
              "k1  | one, \"quoted\"\n"
              "k2  | hex:00\n"
              "k3  | hex:ff\n"
              "(3 pairs)\n");
    EXPECT_EQ(kv({"scan", "--format", "csv"}).out,
              "key,value\r\nk1,\"one, \"\"quoted\"\"\"\r\nk2,hex:00\r\nk3,hex:ff\r\n");
    // JSON carries any UTF-8 text as a string (U+0000 escaped), other bytes as base64.
    EXPECT_EQ(kv({"scan", "--format", "json"}).out,
              "[\n {\"key\":\"k1\",\"value\":\"one, \\\"quoted\\\"\"},\n"
              " {\"key\":\"k2\",\"value\":\"\\u0000\"},\n"
              " {\"key\":\"k3\",\"value_base64\":\"/w==\"}\n]\n");
    EXPECT_EQ(kv({"scan", "--format", "xml"}).exitCode, 64);
}

TEST_P(KvCli, NamespacesAreSeparate) {
    put("a", "1");
    ProcessResult r = kv({"get", "a", "--ns", ns_ + "x"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "namespace '" + ns_ + "x'")) << r.err;
    EXPECT_EQ(kv({"get", "a"}).out, "1\n");
    r = kv({"get", "a", "--ns", "no spaces"});
    EXPECT_EQ(r.exitCode, 64) << r.err;
}

TEST_P(KvCli, AKeyAboveTheEngineLimitIsRefusedWithCoresMessage) {
    // 100 KiB: above the 4 KiB of core's table, within RocksDB's 8 MiB.
    const std::string key(100 * 1024, 'k');
    const ProcessResult r = kv({"put", key, "v"});
    if (GetParam() == "rocksdb") {
        EXPECT_EQ(r.exitCode, 0) << r.err;
    } else {
        EXPECT_EQ(r.exitCode, 64) << r.err;
        EXPECT_TRUE(contains(r.err, "above the engine's key limit")) << r.err;
    }
}

TEST_P(KvCli, ExportThenImportIntoAnotherEngineIsEqual) {
    // Enough pairs for three batches of the import; bytes 0x00 and 0xff, an
    // empty value, keys that are prefixes of each other and a 1 MiB value.
    std::map<std::string, std::string> pairs;
    for (int i = 0; i < 2500; ++i) pairs["k" + std::to_string(i)] = "value " + std::to_string(i);
    pairs[std::string("\x00", 1)] = std::string("\x00\xff", 2);
    pairs["\xff\xff"] = "";
    pairs["k"] = std::string(1 << 20, 'x');
    const std::string dump = dumpOf(ns_, pairs);
    writeFile(dir_ / "in.jsonl", dump);

    ProcessResult r = kv({"import", "--in", "in.jsonl"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "imported 2503 pairs into namespace '" + ns_ + "' in 3 batches"))
        << r.err;
    r = kv({"export", "--out", "out.jsonl"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(readFile(dir_ / "out.jsonl") == dump) << "the export is the imported dump";

    const std::string other = urlFor(otherEngine(GetParam()), dir_ / "other");
    r = kvOn(other, {"import"}, readFile(dir_ / "out.jsonl"));  // from standard input
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = kvOn(other, {"export"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.out == dump) << "the other engine holds the same pairs";
    EXPECT_EQ(kvOn(other, {"get", "hex:ffff", "--format", "json"}).out,
              R"({"key_base64":"//8=","value":""})"
              "\n");

    // --ns imports into another namespace than the dump's.
    r = kvOn(other, {"import", "--in", "out.jsonl", "--ns", ns_ + "2"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(kvOn(other, {"get", "k7", "--ns", ns_ + "2"}).out, "value 7\n");
}

TEST_P(KvCli, AMalformedDumpIsRefusedNamingTheLineAndNothingIsWritten) {
    const std::string header = R"({"format":"plugdb-kv","version":1,"namespace":"x"})";
    const std::string pair = R"({"key_base64":"YQ==","value_base64":"MQ=="})";
    const std::vector<std::pair<std::string, std::string>> cases{
        {header + "\n" + pair + "\n{\"key_base64\":\"Yg==\"\n{\"count\":2}\n",
         "line 3 is not valid JSON"},
        {header + "\n" + pair + "\n" + pair + "\n", "line 4 is the end of the dump"},
        {header + "\n" + pair + "\n{\"count\":2}\n", "line 3 is a trailer counting 2 pairs"},
        {header + "\n" + pair + "\n{\"count\":1}\n" + pair + "\n", "line 4 follows the trailer"},
        {header + "\n" +
             R"({"key_base64":"YQ","value_base64":"MQ=="})"
             "\n{\"count\":1}\n",
         "line 2 has a \"key_base64\" that is not padded base64"},
        {header + "\n" +
             R"({"key_base64":"","value_base64":"MQ=="})"
             "\n{\"count\":1}\n",
         "line 2 has an empty key"},
        {header + "\n" +
             R"({"key":"a","value":"1"})"
             "\n{\"count\":1}\n",
         "line 2 is neither a pair"},
        {R"({"format":"plugdb-kv","version":2,"namespace":"x"})"
         "\n{\"count\":0}\n",
         "line 1 has version 2"},
        {R"({"format":"csv"})"
         "\n",
         "line 1 is not a plugdb-kv header"},
        {"", "line 1 is empty"},
    };
    for (const auto& [text, message] : cases) {
        writeFile(dir_ / "bad.jsonl", text);
        const ProcessResult r = kv({"import", "--in", "bad.jsonl"});
        EXPECT_EQ(r.exitCode, 64) << message;
        EXPECT_TRUE(contains(r.err, message)) << r.err;
        EXPECT_TRUE(contains(r.err, "nothing was imported")) << r.err;
    }
    // The pairs before the bad line were not written either.
    EXPECT_EQ(kv({"get", "a"}).exitCode, 1);
    EXPECT_EQ(kv({"get", "a", "--ns", "x"}).exitCode, 1);
    EXPECT_EQ(kv({"import", "--in", "missing.jsonl"}).exitCode, 66);
}

TEST_P(KvCli, UsageErrors) {
    EXPECT_EQ(kv({}).exitCode, 64);
    EXPECT_EQ(kv({"frob"}).exitCode, 64);
    EXPECT_EQ(kv({"get"}).exitCode, 64);
    EXPECT_EQ(kv({"get", "a", "b"}).exitCode, 64);
    const ProcessResult r = kv({"get", "a", "--limit", "3"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(contains(r.err, "--limit does not apply to 'kv get'")) << r.err;
    EXPECT_EQ(kv({"put", "a", "1", "--reverse"}).exitCode, 64);
    EXPECT_EQ(kv({"get", "a", "--out", "-", "--format", "json"}).exitCode, 64);
    // A key starting with '-' goes after "--".
    ASSERT_EQ(kv({"put", "--", "-x", "v"}).exitCode, 0);
    EXPECT_EQ(kv({"get", "--", "-x"}).out, "v\n");
}

INSTANTIATE_TEST_SUITE_P(Engines, KvCli, ::testing::ValuesIn(kEngines),
                         [](const auto& test) { return test.param; });

#ifndef PLUGDB_KV_TEST_SERVERS

namespace {

class KvCliLocal : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-kv-local-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        options_.workDir = dir_.string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    ProcessResult plugdb(std::vector<std::string> args, const std::string& input = {}) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        ProcessOptions options = options_;
        options.input = input;
        return runProcess(args, options);
    }

    fs::path dir_;
    ProcessOptions options_;  // nothing configured: SQLite at ./var/plugdb.db
};

}  // namespace

TEST_F(KvCliLocal, TheIssuesCommandOnAFreshDirectory) {
#ifndef PLUGDB_TEST_HAVE_ROCKSDB
    GTEST_SKIP() << "the rocksdb plugin is not built";
#endif
    // The shell finds plugdb on PATH; DATABASE_URL holds for both commands.
    options_.env["PATH"] = fs::path(PLUGDB_TEST_BINARY).parent_path().string() + ":/usr/bin:/bin";
    const ProcessResult r =
        runProcess({"/bin/sh", "-c",
                    "export DATABASE_URL=rocksdb:./var/kv; plugdb kv put a 1 && plugdb kv get a"},
                   options_);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "1\n");
    EXPECT_TRUE(fs::is_directory(dir_ / "var" / "kv"));
    EXPECT_FALSE(fs::exists(dir_ / "var" / "plugdb.db"));

    // Typed as one line without export, the variable reaches the first command
    // only: the second reads the default SQLite database and says so.
    const ProcessResult literal = runProcess(
        {"/bin/sh", "-c", "DATABASE_URL=rocksdb:./var/kv plugdb kv put a 1 && plugdb kv get a"},
        options_);
    EXPECT_EQ(literal.exitCode, 1) << literal.err;
    EXPECT_TRUE(
        contains(literal.err, "no key 'a' in namespace 'default' of sqlite:./var/plugdb.db"))
        << literal.err;
}

TEST_F(KvCliLocal, NothingConfiguredUsesSqliteAndTheDefaultNamespace) {
    ProcessResult r = plugdb({"kv", "put", "a", "1"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir_ / "var" / "plugdb.db"));
    EXPECT_EQ(plugdb({"kv", "get", "a", "--ns", "default"}).out, "1\n");
    r = plugdb({"kv", "export"});
    EXPECT_TRUE(r.out.starts_with(R"({"format":"plugdb-kv","version":1,"namespace":"default"})"))
        << r.out;
    r = plugdb({"kv", "get", "b"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(contains(r.err, "no key 'b' in namespace 'default' of sqlite")) << r.err;
}

TEST_F(KvCliLocal, AValueAboveTheEngineLimitIsRefusedNamingIt) {
    // Core's table takes values up to 16 MiB.
    const std::string tooLong((16u << 20) + 1, 'v');
    writeFile(dir_ / "big", tooLong);
    ProcessResult r = plugdb({"kv", "put", "big", "--file", "big"});
    EXPECT_EQ(r.exitCode, 64) << r.err;
    EXPECT_TRUE(contains(r.err, "holds 16777217 bytes, above the engine's value limit of 16777216"))
        << r.err;
    r = plugdb({"kv", "put", "big"}, tooLong);
    EXPECT_EQ(r.exitCode, 64) << r.err;
    EXPECT_TRUE(contains(r.err, "than the engine's value limit of 16777216")) << r.err;
    EXPECT_EQ(plugdb({"kv", "get", "big"}).exitCode, 1);
    writeFile(dir_ / "fits", tooLong.substr(1));
    r = plugdb({"kv", "put", "big", "--file", "fits"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST_F(KvCliLocal, AnImportTheEngineRefusesSaysWhatWasWritten) {
#ifndef PLUGDB_TEST_HAVE_ROCKSDB
    GTEST_SKIP() << "the rocksdb plugin is not built";
#endif
    options_.env["DATABASE_URL"] = "rocksdb:./kv";
    ASSERT_EQ(plugdb({"kv", "put", "a", "1"}).exitCode, 0);
    writeFile(dir_ / "in.jsonl", dumpOf("default", {{"b", "2"}}));
    options_.env["DATABASE_URL"] = "rocksdb:./kv?read_only=true";
    const ProcessResult r = plugdb({"kv", "import", "--in", "in.jsonl"});
    EXPECT_EQ(r.exitCode, 77) << r.err;
    EXPECT_TRUE(contains(r.err, "import into namespace 'default' stopped at the batch of line 2: "))
        << r.err;
    EXPECT_TRUE(contains(r.err, "; nothing was imported")) << r.err;
}

TEST_F(KvCliLocal, HelpDocumentsTheEscapesTheDumpAndTheExitCode) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"kv", "--help"}, {"help", "kv"}}) {
        const ProcessResult r = plugdb(args);
        EXPECT_EQ(r.exitCode, 0);
        EXPECT_TRUE(r.out.starts_with("usage: plugdb [global options] kv get KEY")) << r.out;
        for (const char* part :
             {"hex:00ff", "base64:AP8=", "key_base64", "\"format\":\"plugdb-kv\"", "--prefix=P",
              "--ns=NAME", "1  kv get, kv del: the key is absent"})
            EXPECT_TRUE(contains(r.out, part)) << part << " in:\n" << r.out;
    }
    EXPECT_TRUE(contains(plugdb({"--help"}).out, "  kv get KEY")) << "listed with the commands";
}

#endif
