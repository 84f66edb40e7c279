// The loader refuses every kind of broken plugin with one sentence naming the
// file and the cause, and loads a good one by name, alias and scheme.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugdb/error.h"
#include "plugdb/registry.h"

namespace fs = std::filesystem;
using plugdb::DriverRegistry;
using plugdb::Error;
using plugdb::ErrorCategory;

namespace {

const std::string kBrokenDir = PLUGDB_TEST_BROKEN_DIR;
const std::string kPluginDir = PLUGDB_TEST_PLUGIN_DIR;

std::string brokenFile(const std::string& name) {
    return (fs::path(kBrokenDir) / ("libplugdb-" + name + ".so")).lexically_normal().string();
}

// The message of the plugin error thrown when loading `name` from the broken directory.
std::string refusal(const std::string& name, std::vector<std::string> path = {kBrokenDir}) {
    try {
        DriverRegistry::instance().load(name, path);
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Plugin) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "loading '" << name << "' should have been refused";
    return {};
}

std::string problemFor(const std::string& file) {
    const auto scan = DriverRegistry::instance().scan({kBrokenDir});
    for (const auto& problem : scan.problems)
        if (problem.file == file) return problem.reason;
    return {};
}

}  // namespace

TEST(Loader, LoadsTheSqliteDriverByNameAliasAndScheme) {
    auto& registry = DriverRegistry::instance();
    auto byName = registry.load("sqlite", {kPluginDir});
    EXPECT_EQ(byName.info.name, "sqlite");
    EXPECT_NE(byName.driver, nullptr);
    auto byAlias = registry.load("sqlite3", {kPluginDir});
    EXPECT_EQ(byAlias.driver, byName.driver) << "one driver instance per plugin file";
    EXPECT_EQ(registry.driverForScheme("sqlite", {kPluginDir}), "sqlite");
    EXPECT_EQ(registry.driverForScheme("nosuchscheme", {kPluginDir}), "");
}

TEST(Loader, UnknownNameListsTheAvailableDrivers) {
    const std::string message = refusal("nosuch", {kPluginDir});
    EXPECT_NE(message.find("no driver named 'nosuch'"), std::string::npos) << message;
    EXPECT_NE(message.find("libplugdb-nosuch.so was not found"), std::string::npos) << message;
    EXPECT_NE(message.find("plugin path: " + kPluginDir), std::string::npos) << message;
    const auto list = message.find("available drivers: ");
    ASSERT_NE(list, std::string::npos) << message;
    EXPECT_NE(message.find("sqlite", list), std::string::npos) << message;
}

TEST(Loader, EmptyPathSaysSo) {
    const std::string message = refusal("sqlite", {});
    EXPECT_NE(message.find("plugin path: (empty)"), std::string::npos) << message;
    EXPECT_NE(message.find("available drivers: none"), std::string::npos) << message;
}

TEST(Loader, RefusesAFileWithoutDescriptor) {
    const std::string message = refusal("nodescriptor");
    EXPECT_NE(message.find(brokenFile("nodescriptor")), std::string::npos) << message;
    EXPECT_NE(message.find("not a plugdb plugin"), std::string::npos) << message;
}

TEST(Loader, RefusesABadMagicNumber) {
    const std::string message = refusal("badmagic");
    EXPECT_NE(message.find("wrong magic number"), std::string::npos) << message;
}

TEST(Loader, RefusesAnotherAbiMajorNamingBothVersions) {
    const std::string message = refusal("abimajor");
    EXPECT_NE(message.find(brokenFile("abimajor")), std::string::npos) << message;
    EXPECT_NE(message.find("built for plugdb ABI 2.0"), std::string::npos) << message;
    EXPECT_NE(message.find("this host speaks ABI 1." + std::to_string(plugdb::kAbiMinor)),
              std::string::npos)
        << message;
}

TEST(Loader, RefusesANewerAbiMinor) {
    const std::string message = refusal("abiminor");
    EXPECT_NE(message.find("needs plugdb ABI 1.99, newer than this host's ABI 1." +
                           std::to_string(plugdb::kAbiMinor)),
              std::string::npos)
        << message;
}

TEST(Loader, RefusesAnotherCxxRuntime) {
    const std::string message = refusal("buildtag");
    EXPECT_NE(message.find("other-compiler/other-stdlib"), std::string::npos) << message;
}

TEST(Loader, RefusesAPluginWithoutManifest) {
    const std::string message = refusal("nomanifest");
    EXPECT_NE(message.find(brokenFile("nomanifest")), std::string::npos) << message;
    EXPECT_NE(message.find("Poco manifest is unusable"), std::string::npos) << message;
}

TEST(Loader, ReportsAThrowingConstructor) {
    const std::string message = refusal("throws");
    EXPECT_NE(message.find("failed to start: cannot initialise the test engine"), std::string::npos)
        << message;
}

TEST(Loader, ReportsAnUnresolvedSymbolInTheLoadersWords) {
    const std::string message = refusal("unresolved");
    EXPECT_NE(message.find(brokenFile("unresolved")), std::string::npos) << message;
    EXPECT_NE(message.find("undefined symbol: plugdb_test_symbol_that_does_not_exist"),
              std::string::npos)
        << message;
}

TEST(Loader, ReportsAMissingDependencyInTheLoadersWords) {
    const std::string message = refusal("missingdep");
    EXPECT_NE(message.find("libplugdb-test-dependency.so: cannot open shared object file"),
              std::string::npos)
        << message;
}

TEST(Loader, RefusesTwoPluginsClaimingOneName) {
    const std::string message = refusal("twin");
    EXPECT_NE(message.find("claimed by both"), std::string::npos) << message;
    EXPECT_NE(message.find(brokenFile("twina")), std::string::npos) << message;
    EXPECT_NE(message.find(brokenFile("twinb")), std::string::npos) << message;
    // Each plugin is still reachable by its own unique name.
    EXPECT_EQ(DriverRegistry::instance().load("twina", {kBrokenDir}).info.name, "twina");
}

// The test plugins are one source: every one names its class
// plugdb::test::TestDriver. Each must still get its own, not the class of
// the plugin loaded first (here one whose constructor throws).
TEST(Loader, EachPluginGetsItsOwnClassWhenTwoNameTheirClassAlike) {
    EXPECT_NE(refusal("throws").find("failed to start"), std::string::npos);
    EXPECT_EQ(DriverRegistry::instance().load("twina", {kBrokenDir}).info.name, "twina");
}

TEST(Loader, RefusesAFileThatClaimsAnotherName) {
    const std::string message = problemFor(brokenFile("impostor"));
    EXPECT_NE(message.find("its file name says 'impostor' but it declares driver 'liar'"),
              std::string::npos)
        << message;
}

TEST(Loader, RefusesGarbageWithoutCrashing) {
    const fs::path dir = fs::temp_directory_path() / ("plugdb-garbage-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "libplugdb-garbage.so") << "this is not a shared library";
    const std::string message = refusal("garbage", {dir.string()});
    fs::remove_all(dir);
    EXPECT_NE(message.find("libplugdb-garbage.so"), std::string::npos) << message;
    EXPECT_NE(message.find("the dynamic loader failed"), std::string::npos) << message;
}

TEST(Loader, RefusesAFifoOrDirectoryWithoutOpeningIt) {
    const fs::path dir = fs::temp_directory_path() / ("plugdb-fifo-" + std::to_string(getpid()));
    fs::create_directories(dir / "libplugdb-dir.so");
    ASSERT_EQ(::mkfifo((dir / "libplugdb-fifo.so").c_str(), 0600), 0);
    // dlopen on the FIFO would wait for a writer forever.
    const std::string message = refusal("fifo", {dir.string()});
    EXPECT_NE(message.find("libplugdb-fifo.so"), std::string::npos) << message;
    EXPECT_NE(message.find("not a regular file"), std::string::npos) << message;
    const auto scan = DriverRegistry::instance().scan({dir.string(), kPluginDir});
    fs::remove_all(dir);
    EXPECT_EQ(scan.problems.size(), 2u);
    bool sqliteFound = false;
    for (const auto& plugin : scan.plugins) sqliteFound = sqliteFound || plugin.name == "sqlite";
    EXPECT_TRUE(sqliteFound) << "the good plugins after them are still found";
}

TEST(Loader, EarlierDirectoriesShadowLaterOnes) {
    const fs::path dir = fs::temp_directory_path() / ("plugdb-shadow-" + std::to_string(getpid()));
    fs::create_directories(dir);
    fs::copy_file(fs::path(kPluginDir) / "libplugdb-sqlite.so", dir / "libplugdb-sqlite.so");
    const auto scan = DriverRegistry::instance().scan({dir.string(), kPluginDir});
    fs::remove_all(dir);
    int sqliteCount = 0;
    for (const auto& plugin : scan.plugins)
        if (plugin.name == "sqlite") {
            ++sqliteCount;
            EXPECT_EQ(plugin.file, (dir / "libplugdb-sqlite.so").string());
        }
    EXPECT_EQ(sqliteCount, 1);
    EXPECT_TRUE(scan.problems.empty()) << scan.problems.front().reason;
}

TEST(Loader, ScanListsEveryBrokenFile) {
    const auto scan = DriverRegistry::instance().scan({kBrokenDir});
    for (const char* name : {"nodescriptor", "badmagic", "abimajor", "abiminor", "buildtag",
                             "unresolved", "missingdep", "impostor"}) {
        EXPECT_FALSE(problemFor(brokenFile(name)).empty()) << name << " should be listed as broken";
    }
    EXPECT_GE(scan.problems.size(), 9u);
}
