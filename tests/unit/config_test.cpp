// Config: defaults, files, environment and command line in layers, with origins.
#include "plugdb/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "config_file_fixture.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"

namespace fs = std::filesystem;
using namespace plugdb;
using plugdb::test::contains;
using plugdb::test::fakeEnv;
using plugdb::test::kNoEnv;
using std::chrono::milliseconds;

namespace {

class ConfigFiles : public plugdb::test::ConfigFileFixture {};

}  // namespace

TEST(Config, DefaultsCoverEveryKey) {
    // The defaults themselves are checked against config/README.md (settings_test.cpp).
    const Config config = Config::withDefaults();
    ASSERT_EQ(config.settings().size(), settings::all().size());
    for (const settings::Definition& definition : settings::all()) {
        const Setting* setting = config.find(definition.key);
        ASSERT_NE(setting, nullptr) << definition.key;
        EXPECT_EQ(setting->value, definition.defaultValue) << definition.key;
        EXPECT_EQ(setting->layer, Layer::Default) << definition.key;
        EXPECT_EQ(setting->origin, "built-in") << definition.key;
    }
    EXPECT_EQ(config.getDuration("no.such.key", milliseconds(7)), milliseconds(7))
        << "an unset key yields the caller's fallback";
}

TEST(Config, LayerNames) {
    EXPECT_STREQ(toString(Layer::Default), "default");
    EXPECT_STREQ(toString(Layer::File), "file");
    EXPECT_STREQ(toString(Layer::Environment), "environment");
    EXPECT_STREQ(toString(Layer::CommandLine), "command line");
}

TEST(Config, HigherLayersWinRegardlessOfOrder) {
    Config config = Config::withDefaults();
    config.set("db.url", "sqlite:cli.db", Layer::CommandLine, "--url");
    config.set("db.url", "sqlite:env.db", Layer::Environment, "env DATABASE_URL");
    config.set("db.url", "sqlite:file.db", Layer::File, "plugdb.json");
    config.set("db.url", "sqlite:default.db", Layer::Default, "built-in");
    const Setting* url = config.find("db.url");
    ASSERT_NE(url, nullptr);
    EXPECT_EQ(url->value, "sqlite:cli.db");
    EXPECT_EQ(url->layer, Layer::CommandLine);
    EXPECT_EQ(url->origin, "--url");

    config.set("db.name", "from-file", Layer::File, "a.json");
    config.set("db.name", "from-env", Layer::Environment, "env DB_NAME");
    EXPECT_EQ(config.getString("db.name"), "from-env");
    EXPECT_EQ(config.find("db.name")->origin, "env DB_NAME");
}

TEST(Config, SameLayerOverwrites) {
    Config config;
    config.set("log.level", "debug", Layer::File, "a.json");
    config.set("log.level", "warning", Layer::File, "b.json");
    EXPECT_EQ(config.getString("log.level"), "warning");
    EXPECT_EQ(config.find("log.level")->origin, "b.json");
}

TEST(Config, KeysAreCaseInsensitive) {
    Config config;
    config.set("DB.Url", "sqlite:x.db", Layer::CommandLine, "--set");
    ASSERT_NE(config.find("db.url"), nullptr);
    EXPECT_EQ(config.getString("db.url"), "sqlite:x.db");
    EXPECT_EQ(config.getString("DB.URL"), "sqlite:x.db");
    EXPECT_THROW(config.set("  ", "x", Layer::CommandLine, "--set"), Error);
}

TEST(Config, GettersAndFallbacks) {
    Config config;
    config.set("present", "value", Layer::File, "f");
    config.set("empty", "", Layer::File, "f");
    EXPECT_EQ(config.get("present"), "value");
    EXPECT_EQ(config.get("absent"), std::nullopt);
    EXPECT_EQ(config.getString("absent", "fallback"), "fallback");
    EXPECT_EQ(config.getString("empty", "fallback"), "");
    EXPECT_EQ(config.find("absent"), nullptr);
}

TEST(Config, Booleans) {
    Config config;
    for (const char* yes : {"true", "TRUE", "1", "yes", "Yes", "on", " ON "}) {
        config.set("migrate.auto", yes, Layer::File, "f");
        EXPECT_TRUE(config.getBool("migrate.auto", false)) << yes;
    }
    for (const char* no : {"false", "False", "0", "no", "NO", "off", "Off"}) {
        config.set("migrate.auto", no, Layer::File, "f");
        EXPECT_FALSE(config.getBool("migrate.auto", true)) << no;
    }
    config.set("migrate.auto", "", Layer::File, "f");
    EXPECT_TRUE(config.getBool("migrate.auto", true)) << "empty means the fallback";
    EXPECT_FALSE(config.getBool("absent", false));

    config.set("migrate.auto", "maybe", Layer::Environment, "env DB_AUTO_MIGRATE");
    try {
        config.getBool("migrate.auto", false);
        FAIL() << "'maybe' is not a boolean";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_TRUE(contains(e.what(), "migrate.auto")) << e.what();
        EXPECT_TRUE(contains(e.what(), "maybe")) << e.what();
    }
}

TEST(Config, Durations) {
    Config config;
    config.set("pool.max_lifetime", "1h30m", Layer::File, "f");
    EXPECT_EQ(config.getDuration("pool.max_lifetime", milliseconds(1)), milliseconds(5'400'000));
    EXPECT_EQ(config.getDuration("absent", milliseconds(42)), milliseconds(42));
    config.set("pool.acquire_timeout", "", Layer::File, "f");
    EXPECT_EQ(config.getDuration("pool.acquire_timeout", milliseconds(7)), milliseconds(7));

    config.set("pool.acquire_timeout", "soon", Layer::Environment, "env DB_POOL_ACQUIRE_TIMEOUT");
    try {
        config.getDuration("pool.acquire_timeout", milliseconds(0));
        FAIL() << "'soon' is not a duration";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_TRUE(contains(e.what(), "pool.acquire_timeout")) << e.what();
        EXPECT_TRUE(contains(e.what(), "'soon'")) << e.what();
        EXPECT_TRUE(contains(e.what(), "env DB_POOL_ACQUIRE_TIMEOUT")) << e.what();
    }
}

TEST(Config, DurationsShorterThanAMillisecondAreRefused) {
    // They would round to 0, which means "no limit" for every duration key.
    for (const char* text : {"0.0000001s", "0.4ms", "0.000001m"}) {
        Config config;
        config.set("db.query_timeout", text, Layer::Environment, "env DB_QUERY_TIMEOUT");
        try {
            config.getDuration("db.query_timeout", milliseconds(0));
            ADD_FAILURE() << text << " was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            EXPECT_TRUE(contains(e.what(), "shorter than 1ms")) << e.what();
            EXPECT_TRUE(contains(e.what(), "db.query_timeout")) << e.what();
        }
    }
    Config config;
    config.set("db.query_timeout", "0.6ms", Layer::File, "f");
    EXPECT_EQ(config.getDuration("db.query_timeout", milliseconds(0)), milliseconds(1));
    config.set("db.query_timeout", "0", Layer::Environment, "env");
    EXPECT_EQ(config.getDuration("db.query_timeout", milliseconds(5)), milliseconds(0));
}

TEST(Config, ANulByteInAValueIsRefused) {
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"db.url", std::string("sqlite:./a\0b.db", 15)}, {"db.path", std::string("x\0", 2)}}) {
        Config config;
        try {
            config.set(key, value, Layer::File, "plugdb.json");
            ADD_FAILURE() << key << " accepted a NUL byte";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            EXPECT_TRUE(contains(e.what(), "NUL")) << e.what();
            EXPECT_TRUE(contains(e.what(), key)) << e.what();
            EXPECT_TRUE(contains(e.what(), "plugdb.json")) << e.what();
        }
        EXPECT_EQ(config.find(key), nullptr);
    }
}

TEST(Config, EnvironmentVariables) {
    Config config = Config::withDefaults();
    config.loadEnvironment(fakeEnv({{"DATABASE_URL", "postgres://app@db/shop"},
                                    {"DB_HOST", "env-host"},
                                    {"DB_PORT", ""},
                                    {"DB_MAX_OPEN_CONNS", "50"},
                                    {"DB_CONN_MAX_LIFETIME", "10m"},
                                    {"PLUGDB_LOG_LEVEL", "debug"},
                                    {"UNRELATED", "x"}}));
    EXPECT_EQ(config.getString("db.url"), "postgres://app@db/shop");
    EXPECT_EQ(config.find("db.url")->origin, "env DATABASE_URL");
    EXPECT_EQ(config.find("db.url")->layer, Layer::Environment);
    EXPECT_EQ(config.getString("db.host"), "env-host");
    EXPECT_EQ(config.find("db.port")->layer, Layer::Default) << "an empty variable is not applied";
    EXPECT_EQ(config.getString("pool.max_open"), "50");
    EXPECT_EQ(config.find("pool.max_open")->origin, "env DB_MAX_OPEN_CONNS");
    EXPECT_EQ(config.getDuration("pool.max_lifetime", milliseconds(0)), milliseconds(600'000));
    EXPECT_EQ(config.getString("log.level"), "debug");
    EXPECT_EQ(config.find("unrelated"), nullptr);
}

TEST(Config, SeedSslModeSpellingIsAnAlias) {
    Config config = Config::withDefaults();
    config.loadEnvironment(fakeEnv({{"DB_SSL_MODE", "require"}}));
    EXPECT_EQ(config.getString("db.sslmode"), "require");
    EXPECT_EQ(config.find("db.sslmode")->origin, "env DB_SSL_MODE");
}

TEST(Config, EnvironmentNamesAreCompleteAndOrdered) {
    // In the settings table's order; only the order of DB_SSLMODE and its
    // alias DB_SSL_MODE matters (the later wins).
    const std::vector<std::pair<std::string, std::string>> expected{
        {"DB_DRIVER", "db.driver"},
        {"DATABASE_URL", "db.url"},
        {"DB_HOST", "db.host"},
        {"DB_PORT", "db.port"},
        {"DB_USER", "db.user"},
        {"DB_PASSWORD", "db.password"},
        {"DB_PASSWORD_FILE", "db.password_file"},
        {"DB_NAME", "db.name"},
        {"DB_SSLMODE", "db.sslmode"},
        {"DB_SSL_MODE", "db.sslmode"},
        {"DB_PATH", "db.path"},
        {"DB_QUERY_TIMEOUT", "db.query_timeout"},
        {"PLUGDB_PLUGIN_PATH", "plugins.path"},
        {"PLUGDB_LISTEN", "http.listen"},
        {"PLUGDB_LOG_LEVEL", "log.level"},
        {"PLUGDB_LOG_FORMAT", "log.format"},
        {"DB_MAX_OPEN_CONNS", "pool.max_open"},
        {"DB_MAX_IDLE_CONNS", "pool.max_idle"},
        {"DB_CONN_MAX_LIFETIME", "pool.max_lifetime"},
        {"DB_CONN_MAX_IDLE_TIME", "pool.max_idle_time"},
        {"DB_POOL_ACQUIRE_TIMEOUT", "pool.acquire_timeout"},
        {"DB_MIGRATE_PATH", "migrations.path"},
        {"DB_AUTO_MIGRATE", "migrate.auto"},
        {"PLUGDB_QUERIES_PATH", "queries.path"},
    };
    EXPECT_EQ(Config::environmentNames(), expected);
    // Every variable lands in its key, whether or not that key has a default.
    std::map<std::string, std::string> env;
    for (const auto& [variable, key] : expected) env[variable] = "value-of-" + variable;
    env["DB_SSL_MODE"] = env["DB_SSLMODE"];  // the alias must agree, or order would matter
    Config config = Config::withDefaults();
    config.loadEnvironment([&](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    });
    for (const auto& [variable, key] : expected) {
        const Setting* setting = config.find(key);
        ASSERT_NE(setting, nullptr) << variable;
        EXPECT_EQ(setting->layer, Layer::Environment) << variable;
    }
}

TEST(Config, ProcessEnvironmentReadsGetenv) {
    const std::string name = "PLUGDB_UNIT_TEST_VARIABLE_" + std::to_string(getpid());
    const Config::EnvLookup env = Config::processEnvironment();
    EXPECT_EQ(env(name), std::nullopt);
    ASSERT_EQ(setenv(name.c_str(), "value", 1), 0);
    EXPECT_EQ(env(name), "value");
    unsetenv(name.c_str());
}

TEST(Config, SecretKeys) {
    // The rule is secrets::isSecretName (tests/unit/secrets_test.cpp); these
    // are the configuration's own keys.
    for (const char* key :
         {"db.password", "DB.PASSWORD", "db.options.sslpassword", "db.options.key",
          "db.options.pwd", "db.options.auth_token", "http.secret", "db.options.client_secret"}) {
        EXPECT_TRUE(secrets::isSecretName(key)) << key;
    }
    for (const char* key : {"db.password_file", "db.user", "db.url", "db.options.sslkey",
                            "db.options.busy_timeout", "key", "pool.max_open"}) {
        EXPECT_FALSE(secrets::isSecretName(key)) << key;
    }
}

TEST(Config, SecretValuesOfDriverOptionsAreRemembered) {
    // The same rule as for masking: a driver option named like a secret.
    Config config;
    config.set("db.options.api_token", "config-option-secret", Layer::File, "f");
    EXPECT_EQ(secrets::mask("got config-option-secret"), "got ****");
    (void)Url::parse("sqlite:x.db?secret_key=url-option-secret");
    EXPECT_EQ(secrets::mask("got url-option-secret"), "got ****");
}

TEST(Config, SecretValuesAreRemembered) {
    Config config;
    config.set("db.password", "config-set-secret", Layer::CommandLine, "--set");
    EXPECT_EQ(secrets::mask("failed: config-set-secret"), "failed: ****");
    config.set("db.url", "postgres://app:config-url-secret@h/db", Layer::Environment, "env");
    EXPECT_EQ(secrets::mask("config-url-secret"), "****");
    config.set("db.user", "config-not-a-secret", Layer::CommandLine, "--set");
    EXPECT_EQ(secrets::mask("config-not-a-secret"), "config-not-a-secret");
}

TEST(Config, PluginSearchPath) {
    Config config = Config::withDefaults();
    config.set("plugins.path", "/opt/a::/opt/b:/opt/a:/opt/b/", Layer::CommandLine,
               "--plugin-path");
    const std::vector<std::string> path = config.pluginSearchPath();
    ASSERT_GE(path.size(), 3u);
    EXPECT_EQ(path[0], "/opt/a");
    EXPECT_EQ(path[1], "/opt/b");
    EXPECT_NE(path[2], "/opt/b/") << "duplicates are dropped";

    const fs::path program = fs::read_symlink("/proc/self/exe");
    const std::string besideProgram =
        (program.parent_path() / ".." / "lib" / "plugdb" / "plugins").lexically_normal().string();
    EXPECT_NE(std::find(path.begin(), path.end(), besideProgram), path.end()) << besideProgram;
    for (std::size_t i = 2; i < path.size(); ++i) {
        EXPECT_TRUE(path[i].ends_with("plugdb/plugins")) << path[i];
        EXPECT_EQ(std::count(path.begin(), path.end(), path[i]), 1) << path[i];
    }

    const Config defaults = Config::withDefaults();
    const auto builtIn = defaults.pluginSearchPath();
    ASSERT_FALSE(builtIn.empty());
    EXPECT_EQ(builtIn.front(), besideProgram) << "nothing configured: the installed layout first";
}

TEST_F(ConfigFiles, NestedJson) {
    const std::string file = write("plugdb.json", R"({
        "db": {
            "url": "postgres://app@db:5432/shop",
            "name": "shop",
            "options": {"busy_timeout": 5000, "synchronous": "FULL"}
        },
        "pool": {"max_open": 10, "max_lifetime": "10m"},
        "log": {"level": "debug", "json": true, "unset": null},
        "db.sslmode": "require",
        "Custom": {"Thing": "kept"}
    })");
    Config config = Config::withDefaults();
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.url"), "postgres://app@db:5432/shop");
    EXPECT_EQ(config.find("db.url")->layer, Layer::File);
    EXPECT_EQ(config.find("db.url")->origin, file);
    EXPECT_EQ(config.getString("db.name"), "shop");
    EXPECT_EQ(config.getString("db.options.busy_timeout"), "5000");
    EXPECT_EQ(config.getString("db.options.synchronous"), "FULL") << "values keep their case";
    EXPECT_EQ(config.getString("pool.max_open"), "10");
    EXPECT_EQ(config.getDuration("pool.max_lifetime", milliseconds(0)), milliseconds(600'000));
    EXPECT_EQ(config.getString("log.level"), "debug");
    EXPECT_TRUE(config.getBool("log.json", false));
    EXPECT_EQ(config.find("log.unset"), nullptr) << "null means not set";
    EXPECT_EQ(config.getString("db.sslmode"), "require") << "dotted names work in JSON too";
    EXPECT_EQ(config.getString("custom.thing"), "kept") << "unknown keys are kept, lower-cased";
}

TEST_F(ConfigFiles, SeedJsonKeys) {
    const std::string file = write("modula.json", R"({
        "db_driver": "mysql",
        "db_url": "localhost:3306",
        "db_name": "modulacms",
        "db_username": "root",
        "db_password": "seed-json-secret",
        "port": ":8080"
    })");
    Config config = Config::withDefaults();
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.driver"), "mysql");
    EXPECT_EQ(config.getString("db.url"), "localhost:3306") << "kept as written";
    EXPECT_EQ(config.getString("db.name"), "modulacms");
    EXPECT_EQ(config.getString("db.user"), "root");
    EXPECT_EQ(config.getString("db.password"), "seed-json-secret");
    EXPECT_EQ(config.find("db.password")->origin, file);
    EXPECT_EQ(config.getString("port"), ":8080");
    EXPECT_EQ(secrets::mask("seed-json-secret"), "****");

    const std::string sqlite =
        write("sqlite.json", R"({"db_driver": "sqlite", "db_url": "./modula.db"})");
    Config second = Config::withDefaults();
    second.loadFile(sqlite, kNoEnv);
    EXPECT_EQ(second.getString("db.url"), "./modula.db");
}

TEST_F(ConfigFiles, CanonicalKeysWinOverSeedAliasesInOneFile) {
    const std::string file = write(
        "both.json", R"({"db_url": "sqlite:alias.db", "db": {"url": "sqlite:canonical.db"}})");
    Config config;
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.url"), "sqlite:canonical.db");
}

TEST_F(ConfigFiles, IniSections) {
    const std::string file = write("plugdb.ini",
                                   "; plugdb settings\n"
                                   "[db]\n"
                                   "url = postgres://app@db/shop\n"
                                   "User = app\n"
                                   "[db.options]\n"
                                   "busy_timeout = 3000\n"
                                   "[Pool]\n"
                                   "max_open = 12\n");
    Config config = Config::withDefaults();
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.url"), "postgres://app@db/shop");
    EXPECT_EQ(config.getString("db.user"), "app");
    EXPECT_EQ(config.getString("db.options.busy_timeout"), "3000");
    EXPECT_EQ(config.getString("pool.max_open"), "12");
    EXPECT_EQ(config.find("pool.max_open")->origin, file);
    EXPECT_EQ(config.find("pool.max_open")->layer, Layer::File);
}

TEST_F(ConfigFiles, PropertiesAndConf) {
    const std::string content =
        "# plugdb settings\n"
        "db.url = sqlite:./var/app.db\n"
        "pool.max_idle: 3\n"
        "DB.Options.Journal_Mode = WAL\n";
    for (const char* name : {"plugdb.properties", "plugdb.conf"}) {
        const std::string file = write(name, content);
        Config config = Config::withDefaults();
        config.loadFile(file, kNoEnv);
        EXPECT_EQ(config.getString("db.url"), "sqlite:./var/app.db") << name;
        EXPECT_EQ(config.getString("pool.max_idle"), "3") << name;
        EXPECT_EQ(config.getString("db.options.journal_mode"), "WAL") << name;
        EXPECT_EQ(config.find("db.url")->origin, file);
    }
}

TEST_F(ConfigFiles, FileLayerOrderingAgainstEnvironmentAndCommandLine) {
    const std::string file = write(
        "plugdb.json", R"({"db": {"url": "sqlite:file.db", "name": "file", "user": "file"}})");
    Config config = Config::withDefaults();
    // Applied in the "wrong" order on purpose: the layers decide, not the calls.
    config.set("db.url", "sqlite:cli.db", Layer::CommandLine, "--url");
    config.loadEnvironment(fakeEnv({{"DATABASE_URL", "sqlite:env.db"}, {"DB_NAME", "env"}}));
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.url"), "sqlite:cli.db");
    EXPECT_EQ(config.find("db.url")->origin, "--url");
    EXPECT_EQ(config.getString("db.name"), "env");
    EXPECT_EQ(config.find("db.name")->origin, "env DB_NAME");
    EXPECT_EQ(config.getString("db.user"), "file");
    EXPECT_EQ(config.find("db.user")->origin, file);
    EXPECT_EQ(config.find("db.driver")->origin, "built-in");
}

TEST_F(ConfigFiles, Interpolation) {
    const std::string file = write("plugdb.json", R"({
        "db": {
            "url": "postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST:-localhost}:${DB_PORT:-5432}/shop",
            "name": "${EMPTY:-fallback-for-empty}",
            "user": "${EMPTY}",
            "options": {"application_name": "cost $$5 and $ alone"}
        }
    })");
    Config config;
    config.loadFile(file, fakeEnv({{"DB_USER", "app"},
                                   {"DB_PASSWORD", "interp-secret"},
                                   {"DB_PORT", "6432"},
                                   {"EMPTY", ""}}));
    EXPECT_EQ(config.getString("db.url"), "postgres://app:interp-secret@localhost:6432/shop");
    EXPECT_EQ(config.getString("db.name"), "fallback-for-empty");
    EXPECT_EQ(config.getString("db.user"), "");
    EXPECT_EQ(config.getString("db.options.application_name"), "cost $5 and $ alone");
    EXPECT_EQ(secrets::mask("interp-secret"), "****") << "the URL's password is remembered";
}

TEST_F(ConfigFiles, MissingVariableIsAnErrorNamingKeyVariableAndFile) {
    const std::string file = write("plugdb.ini", "[db]\npassword = ${PLUGDB_UNSET_VARIABLE}\n");
    const std::string message = configError([&] {
        Config config;
        config.loadFile(file, kNoEnv);
    });
    EXPECT_TRUE(contains(message, "db.password")) << message;
    EXPECT_TRUE(contains(message, "PLUGDB_UNSET_VARIABLE")) << message;
    EXPECT_TRUE(contains(message, file)) << message;

    const std::string unclosed = write("unclosed.properties", "db.url = sqlite:${HOME\n");
    EXPECT_TRUE(contains(configError([&] {
                             Config config;
                             config.loadFile(unclosed, kNoEnv);
                         }),
                         "db.url"));
}

TEST_F(ConfigFiles, MissingFileIsAnErrorNamingTheFile) {
    const std::string missing = (dir_ / "nowhere.json").string();
    const std::string message = configError([&] {
        Config config;
        config.loadFile(missing, kNoEnv);
    });
    EXPECT_TRUE(contains(message, missing)) << message;

    const std::string directory = (dir_ / "adir.json").string();
    fs::create_directories(directory);
    EXPECT_TRUE(contains(configError([&] {
                             Config config;
                             config.loadFile(directory, kNoEnv);
                         }),
                         directory));
}

TEST_F(ConfigFiles, ParseErrorsNameTheFile) {
    for (const auto& [name, content] : std::vector<std::pair<std::string, std::string>>{
             {"broken.json", R"({"db": {"url": )"}, {"array.json", "[1, 2]"}}) {
        const std::string file = write(name, content);
        const std::string message = configError([&] {
            Config config;
            config.loadFile(file, kNoEnv);
        });
        EXPECT_TRUE(contains(message, file)) << message;
    }
}

TEST_F(ConfigFiles, UnknownExtensionIsAnError) {
    const std::string file = write("plugdb.yaml", "db:\n  url: x\n");
    const std::string message = configError([&] {
        Config config;
        config.loadFile(file, kNoEnv);
    });
    EXPECT_TRUE(contains(message, file)) << message;
    EXPECT_TRUE(contains(message, ".json")) << message;
}

TEST_F(ConfigFiles, ExtensionIsCaseInsensitive) {
    const std::string file = write("PLUGDB.JSON", R"({"db": {"name": "upper"}})");
    Config config;
    config.loadFile(file, kNoEnv);
    EXPECT_EQ(config.getString("db.name"), "upper");
}
