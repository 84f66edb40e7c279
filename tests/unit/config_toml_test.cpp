// Config::loadFile on TOML files: tables as dotted keys, every value type,
// ${VAR} references, and syntax errors with their line and column.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "config_file_fixture.h"
#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/secrets.h"

using namespace plugdb;
using plugdb::test::contains;
using plugdb::test::fakeEnv;
using plugdb::test::kNoEnv;
using std::chrono::milliseconds;

namespace {

class TomlConfig : public plugdb::test::ConfigFileFixture {
protected:
    // The message of the Config error loading `file` throws; fails the test otherwise.
    static std::string loadError(const std::string& file, const Config::EnvLookup& env = kNoEnv) {
        SCOPED_TRACE("loading " + file);
        return configError([&] {
            Config config;
            config.loadFile(file, env);
        });
    }
};

}  // namespace

TEST_F(TomlConfig, NestedTablesBecomeDottedKeys) {
    const std::string file = write("app.toml", R"(# the pool for the API servers
[db]
url = "postgres://app@db:5432/shop"
Name = "shop"

[db.options]
busy_timeout = 5000
synchronous = "FULL"

[pool]
max_open = 8
max_lifetime = "10m"

[log]
level = "debug"
json = true

"db.sslmode" = "top-level keys after a table belong to it"

[custom.deeper]
thing = { inline = "kept", nested = { leaf = 1 } }
)");
    Config config = Config::withDefaults();
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.url"), "postgres://app@db:5432/shop");
    EXPECT_EQ(config.find("db.url")->layer, Layer::File);
    EXPECT_EQ(config.find("db.url")->origin, file);
    EXPECT_EQ(config.getString("db.name"), "shop") << "keys are lower-cased";
    EXPECT_EQ(config.getString("db.options.busy_timeout"), "5000");
    EXPECT_EQ(config.getString("db.options.synchronous"), "FULL") << "values keep their case";
    EXPECT_EQ(config.getInt("pool.max_open", 0, 1), 8);
    EXPECT_EQ(config.getDuration("pool.max_lifetime", milliseconds(0)), milliseconds(600'000));
    EXPECT_EQ(config.getString("log.level"), "debug");
    EXPECT_TRUE(config.getBool("log.json", false));
    EXPECT_EQ(config.getString("log.db.sslmode"), "top-level keys after a table belong to it");
    EXPECT_EQ(config.getString("custom.deeper.thing.inline"), "kept") << "inline tables too";
    EXPECT_EQ(config.getString("custom.deeper.thing.nested.leaf"), "1");
}

TEST_F(TomlConfig, DottedKeysAndQuotedKeys) {
    const std::string file = write("dotted.toml", R"(
db.url = "sqlite:./var/app.db"
"pool.max_idle" = 3
pool.max_open = 9
)");
    Config config;
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.url"), "sqlite:./var/app.db");
    EXPECT_EQ(config.getString("pool.max_idle"), "3") << "a quoted key with dots, as in JSON";
    EXPECT_EQ(config.getString("pool.max_open"), "9");
}

TEST_F(TomlConfig, EveryValueTypeReadsAsTheTextJsonWouldGive) {
    const std::string file = write("types.toml", R"(
[v]
basic = "tab\there \u00e9"
literal = 'C:\no\escapes'
multiline = """
first
second"""
integer = 42
negative = -17
hex = 0xff
underscored = 1_000_000
float = 2.5
exponent = 6.02e23
infinity = inf
not_a_number = nan
yes = true
no = false
offset_date_time = 1979-05-27T07:32:00Z
offset_with_zone = 1979-05-27T00:32:00.5-07:00
local_date_time = 1979-05-27T07:32:00
local_date = 1979-05-27
local_time = 07:32:00
strings = ["a", "b \"quoted\""]
numbers = [1, 2.5, true]
nested = [[1, 2], ["x"]]
tables = [{ name = "a" }, { name = "b" }]
empty = []

[[servers]]
host = "a.example"
[[servers]]
host = "b.example"
)");
    Config config;
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("v.basic"), "tab\there \xc3\xa9");
    EXPECT_EQ(config.getString("v.literal"), "C:\\no\\escapes");
    EXPECT_EQ(config.getString("v.multiline"), "first\nsecond");
    EXPECT_EQ(config.getString("v.integer"), "42");
    EXPECT_EQ(config.getString("v.negative"), "-17");
    EXPECT_EQ(config.getString("v.hex"), "255");
    EXPECT_EQ(config.getString("v.underscored"), "1000000");
    EXPECT_EQ(config.getString("v.float"), "2.5");
    EXPECT_EQ(config.getString("v.exponent"), "6.02e+23");
    EXPECT_EQ(config.getString("v.infinity"), "inf");
    EXPECT_EQ(config.getString("v.not_a_number"), "nan");
    EXPECT_TRUE(config.getBool("v.yes", false));
    EXPECT_FALSE(config.getBool("v.no", true));
    EXPECT_EQ(config.getString("v.offset_date_time"), "1979-05-27T07:32:00Z");
    EXPECT_EQ(config.getString("v.offset_with_zone"), "1979-05-27T00:32:00.5-07:00");
    EXPECT_EQ(config.getString("v.local_date_time"), "1979-05-27T07:32:00");
    EXPECT_EQ(config.getString("v.local_date"), "1979-05-27");
    EXPECT_EQ(config.getString("v.local_time"), "07:32:00");
    // Arrays stay one value, the JSON text a JSON file's array gives.
    EXPECT_EQ(config.getString("v.strings"), R"(["a","b \"quoted\""])");
    EXPECT_EQ(config.getString("v.numbers"), "[1,2.5,true]");
    EXPECT_EQ(config.getString("v.nested"), R"([[1,2],["x"]])");
    EXPECT_EQ(config.getString("v.tables"), R"([{"name":"a"},{"name":"b"}])");
    EXPECT_EQ(config.getString("v.empty"), "[]");
    EXPECT_EQ(config.getString("servers"), R"([{"host":"a.example"},{"host":"b.example"}])");
}

TEST_F(TomlConfig, ArraysReadTheSameAsInJson) {
    // The same text in both formats; the control characters are escaped alike.
    const std::string list = R"(["p", 2, false, "control \b\f\u001f"])";
    Config toml;
    toml.loadFile(write("a.toml", "[x]\nlist = " + list + "\n"), kNoEnv);
    Config json;
    json.loadFile(write("a.json", R"({"x": {"list": )" + list + "}}"), kNoEnv);
    EXPECT_EQ(toml.getString("x.list"), json.getString("x.list"));
}

TEST_F(TomlConfig, EnvironmentReferencesAsInOtherFormats) {
    const std::string file = write("env.toml", R"(
[db]
url = "postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST:-localhost}:${DB_PORT:-5432}/shop"
name = "${EMPTY:-fallback-for-empty}"
user = "${EMPTY}"

[db.options]
application_name = "cost $$5 and $ alone"
)");
    Config config;
    config.loadFile(file, fakeEnv({{"DB_USER", "app"},
                                   {"DB_PASSWORD", "toml-interp-secret"},
                                   {"DB_PORT", "6432"},
                                   {"EMPTY", ""}}));
    EXPECT_EQ(config.getString("db.url"), "postgres://app:toml-interp-secret@localhost:6432/shop");
    EXPECT_EQ(config.getString("db.name"), "fallback-for-empty");
    EXPECT_EQ(config.getString("db.user"), "");
    EXPECT_EQ(config.getString("db.options.application_name"), "cost $5 and $ alone");
    EXPECT_EQ(secrets::mask("toml-interp-secret"), "****") << "the URL's password is remembered";

    const std::string missing = write("missing.toml", "[db]\npassword = \"${PLUGDB_UNSET_VAR}\"\n");
    const std::string message = loadError(missing);
    EXPECT_TRUE(contains(message, "db.password")) << message;
    EXPECT_TRUE(contains(message, "PLUGDB_UNSET_VAR")) << message;
    EXPECT_TRUE(contains(message, missing)) << message;
}

TEST_F(TomlConfig, SeedAliasesAndLayers) {
    const std::string file = write(
        "seed.toml", "db_driver = \"sqlite\"\ndb_url = \"./modula.db\"\n[db]\nname = \"x\"\n");
    Config config = Config::withDefaults();
    config.loadEnvironment(fakeEnv({{"DB_NAME", "from-env"}}));
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.driver"), "sqlite");
    EXPECT_EQ(config.getString("db.url"), "./modula.db");
    EXPECT_EQ(config.getString("db.name"), "from-env") << "the environment wins over the file";
    EXPECT_EQ(config.find("db.name")->origin, "env DB_NAME");
}

TEST_F(TomlConfig, SyntaxErrorsNameFileLineAndColumn) {
    struct Case {
        std::string content;
        std::string where;
    };
    const std::vector<Case> cases{
        {"[db]\nurl = \"sqlite:a.db\"\nname = \n", "line 3, column 8"},
        {"[pool]\nmax_open = 8\nmax_open = 9\n", "line 3"},
        {"[db]\nurl = \"unterminated\n", "line 2"},
        {"\n\n  = 3\n", "line 3, column 3"},
        {"[db\nurl = 1\n", "line 1"},
    };
    for (const Case& c : cases) {
        const std::string file = write("broken.toml", c.content);
        const std::string message = loadError(file);
        EXPECT_TRUE(contains(message, file)) << message;
        EXPECT_TRUE(contains(message, c.where)) << message;
    }
}

TEST_F(TomlConfig, SecretsInABrokenFileAreMasked) {
    Config config;
    config.set("db.password", "toml-known-secret", Layer::CommandLine, "--set");
    const std::string file = write("leak.toml", "[db]\npassword = toml-known-secret\n");
    const std::string message = loadError(file);
    EXPECT_FALSE(contains(message, "toml-known-secret")) << message;
    EXPECT_TRUE(contains(message, "line 2")) << message;
}

TEST_F(TomlConfig, FilesAreReadBounded) {
    const std::string fifo = (dir_ / "pipe.toml").string();
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_TRUE(contains(loadError(fifo), fifo)) << "refused without blocking";

    const std::string big =
        write("big.toml", "x = \"" + std::string(InputFileLimits::kConfigBytes, 'a') + "\"\n");
    EXPECT_TRUE(contains(loadError(big), big));
}

TEST_F(TomlConfig, ExtensionIsCaseInsensitive) {
    Config config;
    config.loadFile(write("APP.TOML", "[db]\nname = \"upper\"\n"), kNoEnv);
    EXPECT_EQ(config.getString("db.name"), "upper");
}

TEST_F(TomlConfig, TheExampleFileHoldsWhatTheJsonExampleHolds) {
    Config toml;
    toml.loadFile(std::string(PLUGDB_SOURCE_DIR) + "/config/plugdb.example.toml", kNoEnv);
    Config json;
    json.loadFile(std::string(PLUGDB_SOURCE_DIR) + "/config/plugdb.example.json", kNoEnv);
    ASSERT_EQ(toml.settings().size(), json.settings().size());
    for (const auto& [key, setting] : json.settings())
        EXPECT_EQ(toml.getString(key), setting.value) << key;
}
