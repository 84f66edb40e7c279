// The key-value part of the conformance kit: Database::kv() on one driver,
// whether its connections are a key-value store or core keeps a table on a
// SQL engine. A driver's fixture file reuses its Quirks and adds one line:
//
//     PLUGDB_KV_CONFORMANCE(MyEngine, KvQuirks{myEngineQuirks()});
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "conformance.h"

namespace plugdb::conformance {

struct KvQuirks {
    Quirks base;  // how to reach a fresh database; only name, pluginPath and the
                  // fresh/drop functions are used here
    // A script that makes the engine refuse to store `key` (given in hex,
    // lower case, e.g. "6b01") in namespace `ns`, run after the first write
    // to the namespace: the batch test checks that nothing of a batch is
    // applied when its last put fails. nullopt: the test is skipped with
    // whyNoRefusal.
    std::function<std::optional<std::string>(const std::string& keyHex)> refuseKey =
        [](const std::string&) { return std::nullopt; };
    std::string whyNoRefusal = "the fixture has no way to make the engine refuse one write";

    friend void PrintTo(const KvQuirks& quirks, std::ostream* out) { *out << quirks.base.name; }
};

class KeyValueConformance : public ::testing::TestWithParam<KvQuirks> {
protected:
    void SetUp() override;
    void TearDown() override;

    const KvQuirks& quirks() const { return GetParam(); }
    Config configFor(const std::string& url) const;
    Database& db() { return *db_; }
    const std::string& url() const { return url_; }

private:
    std::string url_;
    std::optional<Database> db_;
};

}  // namespace plugdb::conformance

// Expands the key-value suite for one driver description.
#define PLUGDB_KV_CONFORMANCE(Prefix, quirks)                                        \
    using ::plugdb::conformance::KeyValueConformance;                                \
    INSTANTIATE_TEST_SUITE_P(Prefix, KeyValueConformance, ::testing::Values(quirks), \
                             [](const auto& test) { return test.param.base.name; })
