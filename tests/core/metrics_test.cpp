// Database::metrics(): statement latency by operation and errors by category.
#include "metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"

namespace fs = std::filesystem;
using namespace plugdb;

TEST(Metrics, OperationsAreNamedByTheFirstKeyword) {
    using detail::Operation;
    using detail::operationOf;
    EXPECT_EQ(operationOf("SELECT 1"), Operation::Select);
    EXPECT_EQ(operationOf("  -- comment\n/* c */ (select 1)"), Operation::Select);
    EXPECT_EQ(operationOf("with x as (select 1) select * from x"), Operation::Select);
    EXPECT_EQ(operationOf("Insert into t values (1)"), Operation::Insert);
    EXPECT_EQ(operationOf("update t set v = 1"), Operation::Update);
    EXPECT_EQ(operationOf("DELETE FROM t"), Operation::Delete);
    EXPECT_EQ(operationOf("create table t (v int)"), Operation::Other);
    EXPECT_EQ(operationOf(""), Operation::Other);
    EXPECT_STREQ(detail::toString(Operation::Delete), "delete");
}

TEST(Metrics, StatementsAndErrorsAreCounted) {
    const fs::path file =
        fs::temp_directory_path() / ("plugdb-metrics-" + std::to_string(getpid()) + ".db");
    fs::remove(file);
    {
        Config c = Config::withDefaults();
        c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
        c.set("db.url", "sqlite:" + file.string(), Layer::CommandLine, "test");
        Database db = Database::open(c);
        db.exec("CREATE TABLE t (v INTEGER PRIMARY KEY)");
        PreparedStatement insert = db.prepare("INSERT INTO t (v) VALUES (?)");
        for (int i = 0; i < 5; ++i) insert.exec({i});
        db.transact([](Transaction& tx) { tx.query("SELECT * FROM t"); });
        EXPECT_THROW(db.exec("INSERT INTO t (v) VALUES (1)"), Error);
        EXPECT_THROW(db.exec("SELEC 1"), Error);

        const DatabaseMetrics m = db.metrics();
        auto latency = [&](const std::string& op) {
            for (const auto& l : m.latencies)
                if (l.operation == op) return l;
            ADD_FAILURE() << "no latency for " << op;
            return DatabaseMetrics::Latency{};
        };
        EXPECT_EQ(latency("insert").count, 6u) << "five prepared runs and one failed exec";
        EXPECT_EQ(latency("select").count, 1u);
        EXPECT_EQ(latency("begin").count, 1u);
        EXPECT_EQ(latency("commit").count, 1u);
        EXPECT_EQ(latency("other").count, 1u) << "CREATE TABLE";
        const auto inserts = latency("insert");
        EXPECT_EQ(inserts.cumulativeCounts.back(), inserts.count) << "none took over 5 s";
        EXPECT_GT(inserts.sumSeconds, 0.0);
        for (std::size_t b = 1; b < inserts.cumulativeCounts.size(); ++b)
            EXPECT_GE(inserts.cumulativeCounts[b], inserts.cumulativeCounts[b - 1]);
        std::map<ErrorCategory, std::uint64_t> errors(m.errors.begin(), m.errors.end());
        EXPECT_EQ(errors.size(), kErrorCategoryCount);
        EXPECT_EQ(errors[ErrorCategory::UniqueViolation], 1u);
        EXPECT_EQ(errors[ErrorCategory::Syntax], 1u);
        EXPECT_EQ(m.connectRetries, 0u);
    }
    fs::remove(file);
    fs::remove(file.string() + "-wal");
    fs::remove(file.string() + "-shm");
}

TEST(Metrics, ACategoryThisHostDoesNotKnowCountsAsOther) {
    // A plugin built against newer headers may report a category added later.
    detail::Metrics metrics;
    metrics.recordError(static_cast<ErrorCategory>(200));
    for (const auto& [category, count] : metrics.snapshot().errors)
        EXPECT_EQ(count, category == ErrorCategory::Other ? 1u : 0u) << toString(category);
}
