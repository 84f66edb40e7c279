// How plugdb serve starts and stops: a taken address is an error at start,
// configuration errors end it at once with exit 78, SIGTERM ends it promptly
// while the database is unreachable, and only /health/detailed carries the
// database's error text.
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "raw_http.h"
#include "serve_probe.h"

namespace fs = std::filesystem;
using namespace plugdb::test;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class ServeLifecycle : public ServeTest {
protected:
    void SetUp() override {
        ServeTest::SetUp();
        useSqlite();
    }

    // Runs serve until it exits on its own (at most timeout): its exit code, stdout
    // and stderr, and how long it ran. A serve still running after timeout is killed
    // and reported with exit code -2.
    struct Ended {
        int code = -2;
        std::string out, err;
        std::chrono::steady_clock::duration ran{};
    };
    Ended runUntilExit(std::vector<std::string> args, std::chrono::seconds timeout = 10s) {
        std::vector<std::string> argv{PLUGDB_TEST_BINARY, "serve"};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto started = std::chrono::steady_clock::now();
        Child child(argv, options_);
        Ended ended;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                started + timeout - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            auto line = child.readLine(static_cast<int>(left.count()));
            if (!line) break;  // EOF: the process ended (or the time is up)
            ended.out += *line + "\n";
        }
        ended.ran = std::chrono::steady_clock::now() - started;
        if (ended.ran >= timeout) {
            ended.err = child.stderrText();
            return ended;  // ~Child kills it
        }
        ended.code = child.wait();
        ended.err = child.stderrText();
        return ended;
    }
};

}  // namespace

TEST_F(ServeLifecycle, ASecondServeOnTheSameAddressFailsAtStart) {
    ServeProcess first(options_);
    const std::string address = "127.0.0.1:" + std::to_string(first.port());
    const auto second = runUntilExit({"--listen", address});
    EXPECT_EQ(second.code, 69) << second.out << second.err;
    EXPECT_FALSE(contains(second.out, "listening on")) << second.out;
    EXPECT_TRUE(contains(second.err, address)) << second.err;
    EXPECT_TRUE(contains(second.err, "already in use")) << second.err;
    EXPECT_EQ(first.get("/live").status, 200) << "the first one keeps serving";
}

TEST_F(ServeLifecycle, AnAddressThatCannotBeParsedIsAConfigurationError) {
    const auto ended = runUntilExit({"--listen", "127.0.0.1:notaport"});
    EXPECT_EQ(ended.code, 78) << ended.err;
    EXPECT_TRUE(contains(ended.err, "http.listen")) << ended.err;
}

TEST_F(ServeLifecycle, ABadMigrateAutoExits78AtOnceNamingTheKey) {
    options_.env["DB_AUTO_MIGRATE"] = "maybe";
    const auto ended = runUntilExit({"--listen", "127.0.0.1:0"});
    EXPECT_EQ(ended.code, 78) << ended.out << ended.err;
    EXPECT_LT(ended.ran, 3s);
    EXPECT_TRUE(contains(ended.err, "migrate.auto")) << ended.err;
    EXPECT_TRUE(contains(ended.err, "DB_AUTO_MIGRATE")) << ended.err;
    EXPECT_FALSE(contains(ended.err, "retrying")) << ended.err;
}

TEST_F(ServeLifecycle, ABadHttpLimitExits78) {
    const auto ended = runUntilExit({"--listen", "127.0.0.1:0", "--set", "http.max_connections=0"});
    EXPECT_EQ(ended.code, 78) << ended.err;
    EXPECT_TRUE(contains(ended.err, "http.max_connections")) << ended.err;
}

TEST_F(ServeLifecycle, AConfigurationErrorFromOpeningTheDatabaseExits78) {
    const auto ended = runUntilExit({"--listen", "127.0.0.1:0", "--set", "pool.max_open=many"});
    EXPECT_EQ(ended.code, 78) << ended.out << ended.err;
    EXPECT_LT(ended.ran, 3s);
    EXPECT_TRUE(contains(ended.err, "pool.max_open")) << ended.err;
    EXPECT_FALSE(contains(ended.err, "retrying")) << ended.err;
}

TEST_F(ServeLifecycle, AMissingPluginIsRetriedAsTheOperatorMayInstallIt) {
    options_.env.erase("DATABASE_URL");
    options_.env["DB_DRIVER"] = "nosuchengine";
    ServeProcess serve(options_);
    std::this_thread::sleep_for(300ms);
    const auto ready = serve.get("/ready");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_TRUE(contains(ready.body, "database unavailable (plugin)")) << ready.body;
    auto [code, logs] = serve.stop();
    EXPECT_EQ(code, 0) << logs;
}

TEST_F(ServeLifecycle, OnlyDetailedHealthCarriesTheDatabaseError) {
    const std::string port = std::to_string(closedPort());
    options_.env["DATABASE_URL"] = "postgres://obsuser:Lifecycle-Pw@127.0.0.1:" + port + "/obsdb";
    ServeProcess serve(options_);
    HttpReply detailed;
    for (int attempt = 0; attempt < 100; ++attempt) {
        detailed = serve.get("/health/detailed");
        if (contains(detailed.body, "obsdb")) break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(detailed.status, 503);
    EXPECT_TRUE(contains(detailed.body, port)) << detailed.body;
    EXPECT_TRUE(contains(detailed.body, "obsdb")) << detailed.body;

    for (const char* path : {"/ready", "/readyz", "/health", "/health/database"}) {
        const auto reply = serve.get(path);
        EXPECT_EQ(reply.status, 503) << path;
        EXPECT_TRUE(contains(reply.body, "database unavailable (connection)"))
            << path << ": " << reply.body;
        for (const std::string& detail : {port, std::string("obsdb"), std::string("obsuser"),
                                          std::string("127.0.0.1"), std::string("Lifecycle-Pw")})
            EXPECT_FALSE(contains(reply.body, detail))
                << path << " names " << detail << ": " << reply.body;
    }
    EXPECT_FALSE(contains(detailed.body, "Lifecycle-Pw")) << detailed.body;
}

TEST_F(ServeLifecycle, SigtermDuringAnOutageEndsServePromptly) {
    options_.env["DATABASE_URL"] =
        "postgres://obsuser@127.0.0.1:" + std::to_string(closedPort()) + "/obsdb";
    // The default connect.* settings: five attempts with backoff inside each open.
    ServeProcess serve(options_);
    std::this_thread::sleep_for(1500ms);  // inside the backoff after failed attempts
    EXPECT_EQ(serve.get("/ready").status, 503);
    const auto started = std::chrono::steady_clock::now();
    auto [code, logs] = serve.stop();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(code, 0) << logs;
    EXPECT_LT(took, 2s) << logs;
}
