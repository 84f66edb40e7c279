// The settings table: its defaults are of their kind, readers fall back to
// them, and config/README.md's "Every key" table lists exactly its keys with
// the same defaults and environment variables.
#include "plugdb/settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"

using namespace plugdb;
using std::chrono::milliseconds;

namespace {

struct DocumentedKey {
    std::string key;
    std::vector<std::string> environment;
    std::string defaultValue;
    bool hasDefault = true;  // false for "—"
};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// "`x`" -> "x"; fails the test for any other form.
std::string unquote(const std::string& cell) {
    if (cell.size() < 2 || cell.front() != '`' || cell.back() != '`') {
        ADD_FAILURE() << "expected `...`, got '" << cell << "'";
        return cell;
    }
    return cell.substr(1, cell.size() - 2);
}

// The rows of the table under "## Every key": | key | environment | default | meaning |
std::vector<DocumentedKey> documentedKeys() {
    std::ifstream in(std::string(PLUGDB_SOURCE_DIR) + "/config/README.md");
    EXPECT_TRUE(in) << "cannot read config/README.md";
    std::vector<DocumentedKey> keys;
    bool inSection = false;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("## ")) inSection = line == "## Every key";
        if (!inSection || !line.starts_with("| `")) continue;
        std::vector<std::string> cells;
        std::size_t start = 1;
        for (int i = 0; i < 3; ++i) {  // the meaning may hold anything
            const auto bar = line.find('|', start);
            if (bar == std::string::npos) break;
            cells.push_back(trimmed(line.substr(start, bar - start)));
            start = bar + 1;
        }
        if (cells.size() != 3) {
            ADD_FAILURE() << "malformed row: " << line;
            continue;
        }
        DocumentedKey key;
        key.key = unquote(cells[0]);
        if (cells[1] != "—") {
            std::stringstream variables(cells[1]);
            for (std::string variable; std::getline(variables, variable, ',');)
                key.environment.push_back(unquote(trimmed(variable)));
        }
        if (cells[2] == "—")
            key.hasDefault = false;
        else if (cells[2] != "*(empty)*")
            key.defaultValue = unquote(cells[2]);
        keys.push_back(key);
    }
    return keys;
}

}  // namespace

TEST(Settings, ReadmeListsEveryKeyWithItsDefaultAndVariables) {
    const std::vector<DocumentedKey> documented = documentedKeys();
    std::vector<DocumentedKey> keys;
    for (const DocumentedKey& key : documented) {
        // The family of driver options, not a key of its own.
        if (key.key == std::string(settings::kDriverOptionPrefix) + "NAME") {
            EXPECT_FALSE(key.hasDefault);
            EXPECT_TRUE(key.environment.empty());
            continue;
        }
        keys.push_back(key);
    }
    std::vector<std::string> documentedNames, tableNames;
    for (const DocumentedKey& key : keys) documentedNames.push_back(key.key);
    for (const settings::Definition& definition : settings::all())
        tableNames.push_back(definition.key);
    ASSERT_EQ(documentedNames, tableNames) << "config/README.md lists other keys, or in another "
                                              "order, than the settings table";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const settings::Definition& definition = settings::all()[i];
        EXPECT_TRUE(keys[i].hasDefault) << definition.key;
        EXPECT_EQ(keys[i].defaultValue, definition.defaultValue) << definition.key;
        std::vector<std::string> variables;
        for (const std::string_view variable : definition.environment)
            if (!variable.empty()) variables.emplace_back(variable);
        EXPECT_EQ(keys[i].environment, variables) << definition.key;
    }
}

TEST(Settings, EveryDefaultIsOfItsKind) {
    std::set<std::string> seen;
    for (const settings::Definition& definition : settings::all()) {
        EXPECT_TRUE(seen.insert(definition.key).second) << "twice: " << definition.key;
        EXPECT_FALSE(definition.description.empty()) << definition.key;
        const std::string& value = definition.defaultValue;
        switch (definition.kind) {
            case settings::Kind::Integer:
                EXPECT_GE(settings::defaultInteger(definition.key), definition.minimum)
                    << definition.key;
                break;
            case settings::Kind::Duration:
                EXPECT_TRUE(parseDuration(value)) << definition.key << " = " << value;
                break;
            case settings::Kind::Boolean:
                EXPECT_TRUE(value.empty() || value == "true" || value == "false")
                    << definition.key << " = " << value;
                break;
            case settings::Kind::Text:
            case settings::Kind::List:
                break;
        }
    }
}

TEST(Settings, ReadersFallBackToTheTableDefault) {
    Config config;  // no layer at all: every key unset
    EXPECT_EQ(settings::integer(config, "pool.max_open"),
              settings::defaultInteger("pool.max_open"));
    EXPECT_EQ(settings::duration(config, "pool.acquire_timeout"),
              *parseDuration(settings::defaultOf("pool.acquire_timeout")));
    EXPECT_EQ(settings::text(config, "http.listen"), settings::defaultOf("http.listen"));
    EXPECT_EQ(settings::boolean(config, "migrations.allow_gaps"),
              settings::defaultOf("migrations.allow_gaps") == "true");

    config.set("http.listen", "  ", Layer::File, "f");
    EXPECT_EQ(settings::text(config, "http.listen"), settings::defaultOf("http.listen"))
        << "empty means unset";
    config.set("pool.max_open", "", Layer::File, "f");
    EXPECT_EQ(settings::integer(config, "pool.max_open"),
              settings::defaultInteger("pool.max_open"));

    config.set("pool.max_open", "7", Layer::File, "f");
    config.set("connect.backoff_max", "3s", Layer::File, "f");
    config.set("migrations.path", "./db", Layer::File, "f");
    EXPECT_EQ(settings::integer(config, "pool.max_open"), 7);
    EXPECT_EQ(settings::duration(config, "CONNECT.backoff_max"), milliseconds(3000));
    EXPECT_EQ(settings::text(config, "migrations.path"), "./db");
}

TEST(Settings, ReadersCheckTheKindAndMinimum) {
    Config config;
    config.set("connect.attempts", "0", Layer::Environment, "env X");
    try {
        (void)settings::integer(config, "connect.attempts");
        FAIL() << "connect.attempts has a minimum of 1";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_NE(std::string(e.what()).find("connect.attempts"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(">= 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)settings::integer(config, "no.such.key"), std::invalid_argument);
    EXPECT_THROW((void)settings::duration(config, "pool.max_open"), std::invalid_argument)
        << "a key read as another kind than the table's is a bug";
    EXPECT_THROW((void)settings::boolean(config, "migrate.auto"), std::invalid_argument)
        << "a key without a default is read with the caller's fallback";
    EXPECT_THROW((void)settings::defaultOf("no.such.key"), std::invalid_argument);
}

TEST(Settings, KnownKeys) {
    EXPECT_TRUE(settings::isKnown("db.url"));
    EXPECT_TRUE(settings::isKnown("DB.URL"));
    EXPECT_TRUE(settings::isKnown("db.options.busy_timeout"));
    EXPECT_FALSE(settings::isKnown("db.options."));
    EXPECT_FALSE(settings::isKnown("db.urll"));
    EXPECT_EQ(settings::find("db.urll"), nullptr);
}

TEST(Settings, MigrationOptionsTakeTheTableDefaults) {
    const migrate::Options options = migrate::Options::fromConfig(Config());
    EXPECT_EQ(options.path, settings::defaultOf("migrations.path"));
    EXPECT_EQ(options.table, settings::defaultOf("migrations.table"));
    EXPECT_EQ(options.lock, settings::defaultOf("migrations.lock"));
    EXPECT_EQ(options.lockTimeout, settings::defaultDuration("migrations.lock_timeout"));
    EXPECT_EQ(options.lockLease, settings::defaultDuration("migrations.lock_lease"));
    EXPECT_EQ(options.maxFileBytes,
              static_cast<std::size_t>(settings::defaultInteger("limits.sql_file_bytes")));
}
