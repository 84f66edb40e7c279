// The driver conformance kit. A driver author describes their engine once
// (a Quirks value: how to reach an empty test database, and the few bits of
// SQL that differ) and instantiates the whole suite with one line:
//
//     PLUGDB_CONFORMANCE(MyEngine, myEngineQuirks());
//
// (shorthand for INSTANTIATE_TEST_SUITE_P over DriverConformance, named by Quirks::name).
// Tests that need a capability the plugin does not declare are skipped with
// the reason. Link the test with plugdb-conformance (whole archive) and GTest.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/database.h"

namespace plugdb {
// How the kit's assertions print values: the type and the exact value (doubles
// with 17 significant digits, text quoted, blobs in hex).
void PrintTo(const Value& value, std::ostream* out);
}  // namespace plugdb

namespace plugdb::conformance {

struct Quirks {
    std::string name;  // shown in test names, e.g. "sqlite"
    // Plugin directories to search (before the default locations).
    std::vector<std::string> pluginPath;
    // A URL of an empty database for one test; called once per test.
    std::function<std::string(const std::string& testName)> freshDatabase;
    // Called after each test with the URL freshDatabase returned.
    std::function<void(const std::string& url)> dropDatabase = [](const std::string&) {};

    // Column types for the portable table the kit creates.
    std::string bigintType = "BIGINT";
    std::string doubleType = "DOUBLE PRECISION";
    std::string textType = "TEXT";
    std::string blobType = "BLOB";
    std::string boolType = "BOOLEAN";
    std::string timestampType = "TIMESTAMP";
    // An auto-numbered integer primary key column definition.
    std::string autoIdColumn = "id INTEGER PRIMARY KEY";

    // Column types as written in CREATE TABLE and the Column::declaredType the
    // engine reports for them, as it spells them. The default is an engine that
    // reports the declared text verbatim (SQLite).
    std::vector<std::pair<std::string, std::string>> declaredTypes = {
        {"BIGINT", "BIGINT"},
        {"VARCHAR(64)", "VARCHAR(64)"},
        {"DECIMAL(10,2)", "DECIMAL(10,2)"},
        {"TIMESTAMP", "TIMESTAMP"},
    };

    // Does the engine keep the sign of -0.0 in a double column?
    bool keepsNegativeZero = true;
    // After a failed statement inside a transaction, must the transaction be
    // rolled back before anything else works (PostgreSQL), or does it go on?
    bool failedStatementAbortsTransaction = false;
    // A query returning the integers 1..n in a column named x.
    std::function<std::string(long n)> seriesQuery = [](long n) {
        return "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < " +
               std::to_string(n) + ") SELECT x FROM s";
    };
    // A statement that runs for many seconds (at least 20), to be cancelled by
    // the query timeout; nullopt skips that test with a reason.
    std::optional<std::string> slowQuery;

    // Appended to the CREATE TABLE of the data-exception test so the engine checks
    // each value against its column's type (SQLite: " STRICT").
    std::string typeCheckedTable;
    // Set when the engine never rejects a value for its column's type (it stores
    // any value anywhere): the data-exception test is skipped with this reason.
    std::optional<std::string> whyNoDataExceptions;

    // URLs that must fail with a given category; nullopt skips the check with a reason.
    std::optional<std::string> wrongPortUrl;        // -> connection
    std::optional<std::string> wrongPasswordUrl;    // -> auth
    std::optional<std::string> unknownDatabaseUrl;  // -> connection (or config)
    std::string whyNoConnectionChecks = "the engine has no server to reach";

    // gtest prints the parameter with this.
    friend void PrintTo(const Quirks& quirks, std::ostream* out) { *out << quirks.name; }
};

class DriverConformance : public ::testing::TestWithParam<Quirks> {
protected:
    void SetUp() override;
    void TearDown() override;

    const Quirks& quirks() const { return GetParam(); }
    Config configFor(const std::string& url) const;
    Database& db() { return *db_; }
    const std::string& url() const { return url_; }  // of this test's database

private:
    std::string url_;
    std::optional<Database> db_;
};

}  // namespace plugdb::conformance

// Expands the whole conformance suite for one driver description.
// (gtest pastes the suite name into identifiers, so it must be unqualified.)
#define PLUGDB_CONFORMANCE(Prefix, quirks)                                         \
    using ::plugdb::conformance::DriverConformance;                                \
    INSTANTIATE_TEST_SUITE_P(Prefix, DriverConformance, ::testing::Values(quirks), \
                             [](const auto& test) { return test.param.name; })
