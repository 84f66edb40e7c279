// The plugdb binary with DATABASE_URL=cockroach://..., pointed at the
// PostgreSQL test server: drivers, ping, sql, migrate (the example schema,
// translated for CockroachDB, under the lease-table lock) and serve.
#include <gtest/gtest.h>
#include <signal.h>

#include "cockroach_env.h"
#include "http_get.h"
#include "process.h"

using plugdb::test::Child;
using plugdb::test::httpGet;
using plugdb::test::HttpReply;
using plugdb::test::listeningPort;
using plugdb::test::pollUntil;
using plugdb::test::ProcessOptions;
using plugdb::test::ProcessResult;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class CockroachCli : public ::testing::Test {
protected:
    void SetUp() override {
        // One database per test: ctest runs them side by side.
        name_ = plugdb::test::databaseNameFor(
            std::string("crdb_cli_") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        url_ = plugdb::test::freshCockroachDatabase(name_);
        options_.env["PLUGDB_PLUGIN_PATH"] = PLUGDB_TEST_PLUGIN_DIR;
        options_.env["DATABASE_URL"] = url_;
        options_.env["DB_MIGRATE_PATH"] = PLUGDB_TEST_MIGRATIONS_DIR;
    }
    void TearDown() override { plugdb::test::dropCockroachDatabase(name_); }

    ProcessResult plugdb(std::vector<std::string> args) {
        args.insert(args.begin(), PLUGDB_TEST_BINARY);
        return plugdb::test::runProcess(args, options_);
    }

    std::string name_, url_;
    ProcessOptions options_;
};

}  // namespace

TEST_F(CockroachCli, DriversListsCockroachWithItsCapabilities) {
    const ProcessResult r = plugdb({"drivers"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string line;
    for (std::size_t at = 0; at < r.out.size();) {
        const std::size_t end = r.out.find('\n', at);
        const std::string candidate = r.out.substr(at, end - at);
        if (candidate.starts_with("cockroach ")) line = candidate;
        at = end == std::string::npos ? r.out.size() : end + 1;
    }
    ASSERT_FALSE(line.empty()) << r.out;
    EXPECT_TRUE(contains(line, "cockroachdb,crdb")) << line;
    EXPECT_TRUE(contains(line, "cockroach,cockroachdb")) << line;
    EXPECT_TRUE(contains(line, "transactions,savepoints,returning,bulk_load,interrupt")) << line;
    EXPECT_FALSE(contains(line, "advisory_locks")) << line;
    EXPECT_TRUE(contains(line, "libplugdb-cockroach.so")) << line;
}

TEST_F(CockroachCli, PingSqlMigrateAndServe) {
    ProcessResult r = plugdb({"ping"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "driver: cockroach")) << r.out;

    r = plugdb({"sql", "SELECT 40 + 2 AS answer"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "42")) << r.out;

    // The example schema in the cockroach dialect.
    r = plugdb({"migrate", "plan"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "id INT8 DEFAULT unique_rowid() PRIMARY KEY,")) << r.out;
    EXPECT_TRUE(contains(r.out, "priority INT8 NOT NULL")) << r.out;
    EXPECT_TRUE(contains(r.out, "TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP")) << r.out;
    EXPECT_FALSE(contains(r.out, "AUTOINCREMENT")) << r.out;

    r = plugdb({"migrate", "up", "--yes"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "now at version 4")) << r.out;
    // No advisory locks: the migration lock was the lease table.
    r = plugdb({"sql",
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = "
                "'plugdb_migrations_lock'"});
    EXPECT_TRUE(contains(r.out, "\n1\n")) << r.out;
    r = plugdb({"sql", "INSERT INTO tenants (id, name, slug) VALUES ('t1', 'T', 't')"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = plugdb({"sql",
                "INSERT INTO rules (id, tenant_id, name, expression) VALUES "
                "('r1', 't1', 'n', 'true')"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = plugdb({"sql",
                "INSERT INTO rule_events (rule_id, event) VALUES ('r1', 'created') "
                "RETURNING id > 0 AS numbered"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "true")) << r.out;
    r = plugdb({"migrate", "status"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "current version: 4")) << r.out;

    Child child({PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"}, options_);
    const std::optional<int> listening = listeningPort(child);
    ASSERT_TRUE(listening) << child.stderrText();
    const int port = *listening;
    const HttpReply ready = pollUntil(
        port, "/ready", [](const HttpReply& reply) { return reply.status == 200; }, 100);
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_TRUE(contains(ready.body, R"("db_driver":"cockroach")")) << ready.body;
    EXPECT_EQ(httpGet(port, "/livez").status, 200);
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(), 0) << child.stderrText();
}
