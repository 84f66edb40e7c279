// plugdb with a TOML configuration file: --config and PLUGDB_CONFIG, the
// origins config show prints, and a malformed file refused by line and column.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "process.h"

namespace fs = std::filesystem;
using plugdb::test::ProcessOptions;
using plugdb::test::ProcessResult;
using plugdb::test::runProcess;

namespace {

class CliToml : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-cli-toml-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        options_.workDir = dir_.string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    ProcessResult plugdb(std::vector<std::string> args) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        return runProcess(args, options_);
    }

    void write(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / name, std::ios::binary) << content;
    }

    fs::path dir_;
    ProcessOptions options_;  // an empty environment: nothing configured
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The line of `config show` for `key`.
std::string lineOf(const std::string& out, const std::string& key) {
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(key + " ")) return line;
    return {};
}

const char* const kAppToml = R"(# TOML overrides for the pool
[db]
url = "sqlite:./var/app.db"
password = "${APP_DB_PASSWORD}"

[pool]
max_open = 8
max_lifetime = "10m"

[custom]
thing = "kept"
)";

}  // namespace

TEST_F(CliToml, ConfigShowNamesTheFileAsOrigin) {
    write("app.toml", kAppToml);
    options_.env["APP_DB_PASSWORD"] = "toml-cli-secret";
    ProcessResult r = plugdb({"--config", "app.toml", "config", "show"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string maxOpen = lineOf(r.out, "pool.max_open");
    EXPECT_TRUE(contains(maxOpen, "8")) << r.out;
    EXPECT_TRUE(contains(maxOpen, "file (app.toml)")) << maxOpen;
    EXPECT_TRUE(contains(lineOf(r.out, "pool.max_lifetime"), "10m")) << r.out;
    EXPECT_TRUE(contains(lineOf(r.out, "db.url"), "file (app.toml)")) << r.out;
    EXPECT_TRUE(contains(lineOf(r.out, "custom.thing"), "not a known key")) << r.out;
    EXPECT_TRUE(contains(lineOf(r.out, "pool.max_idle"), "default (built-in)")) << r.out;
    EXPECT_FALSE(contains(r.out + r.err, "toml-cli-secret")) << "the expanded password is masked";

    // The environment wins over the file, and says so.
    options_.env["DB_MAX_OPEN_CONNS"] = "3";
    r = plugdb({"--config", "app.toml", "config", "show"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(lineOf(r.out, "pool.max_open"), "env DB_MAX_OPEN_CONNS")) << r.out;
}

TEST_F(CliToml, PlugdbConfigNamesTheFileToo) {
    write("app.toml", kAppToml);
    options_.env["APP_DB_PASSWORD"] = "x";
    options_.env["PLUGDB_CONFIG"] = "app.toml";
    ProcessResult r = plugdb({"config", "show"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(lineOf(r.out, "pool.max_open"), "file (app.toml)")) << r.out;

    r = plugdb({"sql", "select 1"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir_ / "var" / "app.db")) << "db.url from the TOML file";
}

TEST_F(CliToml, AMalformedFileIsRefusedByLineAndColumn) {
    write("bad.toml", "[pool]\nmax_open = 8\nmax_idle = = 2\n");
    const ProcessResult r = plugdb({"--config", "bad.toml", "config", "show"});
    EXPECT_EQ(r.exitCode, 78) << r.err;
    EXPECT_TRUE(contains(r.err, "bad.toml")) << r.err;
    EXPECT_TRUE(contains(r.err, "line 3, column 12")) << r.err;
}

TEST_F(CliToml, AMissingVariableNamesKeyAndVariable) {
    write("app.toml", kAppToml);
    const ProcessResult r = plugdb({"--config", "app.toml", "config", "show"});
    EXPECT_EQ(r.exitCode, 78) << r.err;
    EXPECT_TRUE(contains(r.err, "APP_DB_PASSWORD")) << r.err;
    EXPECT_TRUE(contains(r.err, "password")) << r.err;
}
