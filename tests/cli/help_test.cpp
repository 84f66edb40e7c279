// plugdb's help screens and command-line parsing, as a new user meets them.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "process.h"

using plugdb::test::ProcessOptions;
using plugdb::test::ProcessResult;
using plugdb::test::runProcess;

namespace {

ProcessResult runPlugdb(std::vector<std::string> args) {
    args.insert(args.begin(), PLUGDB_TEST_BINARY);
    return runProcess(args, ProcessOptions{});
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::vector<std::string> kCommands{"drivers", "ping", "sql", "config", "serve", "migrate"};

}  // namespace

TEST(Help, EveryScreenStartsWithOneUsageLine) {
    std::vector<std::vector<std::string>> screens{{"--help"}, {"help"}};
    for (const auto& command : kCommands) {
        screens.push_back({command, "--help"});
        screens.push_back({"help", command});
    }
    for (const auto& args : screens) {
        const ProcessResult r = runPlugdb(args);
        EXPECT_EQ(r.exitCode, 0) << args.front();
        EXPECT_TRUE(r.out.starts_with("usage: plugdb [global options] ")) << r.out;
        std::size_t usageLines = 0;
        for (std::size_t at = r.out.find("usage:"); at != std::string::npos;
             at = r.out.find("usage:", at + 1))
            ++usageLines;
        EXPECT_EQ(usageLines, 1u) << r.out;
        EXPECT_TRUE(contains(r.out, "exit codes")) << r.out;
    }
}

TEST(Help, ACommandListsItsOwnOptionsNotTheGlobalOnes) {
    const ProcessResult sql = runPlugdb({"sql", "--help"});
    EXPECT_TRUE(contains(sql.out, "--param=VALUE")) << sql.out;
    EXPECT_TRUE(contains(sql.out, "--file=FILE")) << sql.out;
    for (const char* global : {"--plugin-path", "--set=", "--log-format", "--listen"})
        EXPECT_FALSE(contains(sql.out, global)) << global << " in:\n" << sql.out;
    EXPECT_TRUE(contains(sql.out, "plugdb --help")) << "points to the global options";

    const ProcessResult ping = runPlugdb({"ping", "--help"});
    EXPECT_FALSE(contains(ping.out, "options:\n")) << "ping has no options of its own:\n"
                                                   << ping.out;
}

TEST(Help, TheMainScreenListsTheGlobalOptionsAndEveryLogLevel) {
    const ProcessResult r = runPlugdb({"--help"});
    for (const char* option : {"--config=FILE", "--url=URL", "--set=KEY=VALUE", "--log-level"})
        EXPECT_TRUE(contains(r.out, option)) << option << " missing:\n" << r.out;
    EXPECT_TRUE(contains(r.out, "debug, trace")) << r.out;
    EXPECT_FALSE(contains(r.out, "--param=VALUE")) << "a command's option is not global:\n"
                                                   << r.out;
}

TEST(CommandLine, ShortOptionsTakeTheNextArgument) {
    const ProcessResult r =
        runPlugdb({"--url", "sqlite::memory:", "sql", "-p", "5", "select ? as v"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "5")) << r.out;
}

// Option handling must be linear in the number of options: Poco's own loop
// erased each option from the front of a vector (20,000 options took 1.5 s of
// CPU, 70,000 took 19 s). Four times the options may take about four times as
// long, never sixteen.
TEST(CommandLine, ManyOptionsTakeLinearTime) {
    const auto timeWith = [](int count) {
        std::vector<std::string> args{"--url", "sqlite::memory:"};
        for (int i = 0; i < count; ++i) {
            args.push_back("--set");
            args.push_back("x.key" + std::to_string(i) + "=v");
        }
        args.insert(args.end(), {"sql", "select 1"});
        const auto started = std::chrono::steady_clock::now();
        const ProcessResult r = runPlugdb(args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    const double small = timeWith(15'000);
    const double large = timeWith(60'000);
    std::cout << "15,000 options: " << small << " s, 60,000 options: " << large << " s\n";
    EXPECT_LT(large, 8 * small) << "quadratic option handling";
}

TEST(CommandLine, AnUnknownFormatListsTheFormatsThatCommandTakes) {
    const ProcessResult sql =
        runPlugdb({"--url", "sqlite::memory:", "sql", "--format", "xml", "select 1"});
    EXPECT_EQ(sql.exitCode, 64);
    EXPECT_TRUE(contains(sql.err, "--format must be table, csv or json, not 'xml'")) << sql.err;
    const ProcessResult drivers = runPlugdb({"drivers", "--format", "csv"});
    EXPECT_EQ(drivers.exitCode, 64);
    EXPECT_TRUE(contains(drivers.err, "--format must be table or json, not 'csv'")) << drivers.err;
}
