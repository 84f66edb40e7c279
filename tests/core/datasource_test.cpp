// Choosing the driver and filling in the DataSource from configuration.
#include "datasource.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugdb/driver_options.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

std::string schemes(const std::string& scheme) {
    if (scheme == "postgres" || scheme == "postgresql") return "postgres";
    if (scheme == "sqlite") return "sqlite";
    if (scheme == "mysql") return "mysql";
    return {};
}

PluginInfo info(const std::string& name, std::uint64_t caps = 0) {
    PluginInfo info;
    info.name = name;
    info.capabilities = caps;
    return info;
}

// A plugin as finishDataSource sees it, without a driver object (it declares no options).
LoadedDriver plugin(const std::string& name, std::uint64_t caps = 0) {
    return {info(name, caps), nullptr};
}

// The real SQLite plugin, which declares its options.
LoadedDriver sqlitePlugin() {
    return DriverRegistry::instance().load("sqlite", {PLUGDB_TEST_PLUGIN_DIR});
}

// Installed: postgres, mysql and an embedded sqlite, plus `extra`.
DriverLookup lookup(std::vector<PluginInfo> extra = {}) {
    return {schemes, [extra] {
                PluginScan scan;
                scan.plugins = {info("postgres"), info("mysql"), info("sqlite", kCapEmbedded)};
                scan.plugins.insert(scan.plugins.end(), extra.begin(), extra.end());
                return scan;
            }};
}

DriverLookup onlyInstalled(std::vector<PluginInfo> plugins) {
    return {schemes, [plugins] { return PluginScan{plugins, {}}; }};
}

DataSource resolve(const Config& config, const LoadedDriver& driver) {
    return finishDataSource(config, resolveDataSource(config, lookup()), driver);
}

}  // namespace

TEST(DataSource, NothingConfiguredMeansSqliteDefault) {
    Config c = Config::withDefaults();
    const auto resolved = resolveDataSource(c, lookup());
    EXPECT_EQ(resolved.driverName, "sqlite");
    EXPECT_TRUE(resolved.defaulted);
}

TEST(DataSource, DriverComesFromTheScheme) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgresql://app:pw@db.example:6543/shop?sslmode=require", Layer::Environment,
          "env DATABASE_URL");
    const auto resolved = resolveDataSource(c, lookup());
    EXPECT_EQ(resolved.driverName, "postgres");
    const DataSource s = finishDataSource(c, resolved, plugin("postgres"));
    ASSERT_EQ(s.endpoints.size(), 1u);
    EXPECT_EQ(s.endpoints[0].host, "db.example");
    EXPECT_EQ(s.endpoints[0].port, 6543);
    EXPECT_EQ(s.user, "app");
    EXPECT_EQ(s.password, "pw");
    EXPECT_EQ(s.database, "shop");
    EXPECT_EQ(s.option("sslmode"), "require");
}

TEST(DataSource, ExplicitDriverWinsOverTheScheme) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgresql://root@crdb:26257/app", Layer::File, "f");
    c.set("db.driver", "cockroach", Layer::File, "f");
    EXPECT_EQ(resolveDataSource(c, lookup()).driverName, "cockroach");
}

TEST(DataSource, ExplicitDriverTakesAUrlWhoseSchemeNoInstalledDriverClaims) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgresql://root@crdb:26257/app", Layer::File, "f");
    c.set("db.driver", "cockroach", Layer::File, "f");
    // Only the cockroach driver is installed: nothing claims postgresql://.
    const DriverLookup cockroachOnly{[](const std::string&) { return std::string(); },
                                     [] {
                                         return PluginScan{{info("cockroach")}, {}};
                                     }};
    const auto resolved = resolveDataSource(c, cockroachOnly);
    EXPECT_EQ(resolved.driverName, "cockroach");
    const DataSource s = finishDataSource(c, resolved, plugin("cockroach"));
    ASSERT_EQ(s.endpoints.size(), 1u);
    EXPECT_EQ(s.endpoints[0].host, "crdb");
    EXPECT_EQ(s.endpoints[0].port, 26257);
    EXPECT_EQ(s.user, "root");
    EXPECT_EQ(s.database, "app");
}

TEST(DataSource, KeysFromTheSameOrAHigherLayerRefineTheUrl) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgres://app@file-host/filedb", Layer::File, "f");
    c.set("db.host", "env-host", Layer::Environment, "env DB_HOST");
    c.set("db.port", "7000", Layer::Environment, "env DB_PORT");
    c.set("db.name", "lower", Layer::Default, "built-in");
    c.set("db.password", "from-env", Layer::Environment, "env DB_PASSWORD");
    const DataSource s = resolve(c, plugin("postgres"));
    ASSERT_EQ(s.endpoints.size(), 1u);
    EXPECT_EQ(s.endpoints[0].host, "env-host");
    EXPECT_EQ(s.endpoints[0].port, 7000);
    EXPECT_EQ(s.database, "filedb") << "a lower layer does not override the URL";
    EXPECT_EQ(s.password, "from-env");

    Config d = Config::withDefaults();
    d.set("db.url", "postgres://app@url-host/db", Layer::Environment, "env DATABASE_URL");
    d.set("db.host", "file-host", Layer::File, "f");
    EXPECT_EQ(resolve(d, plugin("postgres")).endpoints[0].host, "url-host");
    d.set("db.password", "from-file", Layer::File, "f");
    EXPECT_EQ(resolve(d, plugin("postgres")).password, "from-file")
        << "the URL has no password, so a lower layer may supply it";
}

TEST(DataSource, MultiHostAndIpv6) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgres://u@[::1]:5433,db2:5434/x", Layer::CommandLine, "--url");
    const DataSource s = resolve(c, plugin("postgres"));
    ASSERT_EQ(s.endpoints.size(), 2u);
    EXPECT_EQ(s.endpoints[0].host, "::1");
    EXPECT_EQ(s.endpoints[0].port, 5433);
    EXPECT_EQ(s.endpoints[1].host, "db2");
    EXPECT_EQ(describeTarget(s, info("postgres")), "postgres://u@[::1]:5433,db2:5434/x");
}

TEST(DataSource, SeedStyleUrlsWithoutScheme) {
    Config mysql = Config::withDefaults();
    mysql.set("db.driver", "mysql", Layer::File, "modula.json");
    mysql.set("db.url", "localhost:3306", Layer::File, "modula.json");
    mysql.set("db.name", "modulacms", Layer::File, "modula.json");
    const DataSource m = resolve(mysql, plugin("mysql"));
    ASSERT_EQ(m.endpoints.size(), 1u);
    EXPECT_EQ(m.endpoints[0].host, "localhost");
    EXPECT_EQ(m.endpoints[0].port, 3306);
    EXPECT_EQ(m.database, "modulacms");

    Config sqlite = Config::withDefaults();
    sqlite.set("db.driver", "sqlite", Layer::File, "modula.json");
    sqlite.set("db.url", "./modula.db", Layer::File, "modula.json");
    EXPECT_EQ(resolve(sqlite, plugin("sqlite", kCapEmbedded)).database, "./modula.db");

    Config bare = Config::withDefaults();
    bare.set("db.url", "./modula.db", Layer::File, "modula.json");
    try {
        resolveDataSource(bare, lookup());
        FAIL() << "a URL without scheme and without driver must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_NE(std::string(e.what()).find("has no URL scheme"), std::string::npos) << e.what();
    }
}

TEST(DataSource, EmbeddedPathsKeepTheirSlash) {
    for (const auto& [url, file] :
         std::vector<std::pair<std::string, std::string>>{{"sqlite:/tmp/x.db", "/tmp/x.db"},
                                                          {"sqlite:///tmp/x.db", "/tmp/x.db"},
                                                          {"sqlite:relative.db", "relative.db"},
                                                          {"sqlite::memory:", ":memory:"}}) {
        Config c = Config::withDefaults();
        c.set("db.url", url + "?mode=ro", Layer::CommandLine, "--url");
        const DataSource s = resolve(c, plugin("sqlite", kCapEmbedded));
        EXPECT_EQ(s.database, file) << url;
        EXPECT_EQ(s.option("mode"), "ro");
    }
}

TEST(DataSource, PasswordFileIsReadWhenNoPasswordIsGiven) {
    const fs::path file = fs::temp_directory_path() / ("plugdb-pw-" + std::to_string(getpid()));
    std::ofstream(file) << "from-file\n";
    Config c = Config::withDefaults();
    c.set("db.url", "postgres://app@h/db", Layer::Environment, "env");
    c.set("db.password_file", file.string(), Layer::Environment, "env DB_PASSWORD_FILE");
    EXPECT_EQ(resolve(c, plugin("postgres")).password, "from-file");
    fs::remove(file);
    try {
        resolve(c, plugin("postgres"));
        FAIL() << "a missing password file must be an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
}

TEST(DataSource, DriverOptionsComeFromKeysAndTheUrl) {
    Config c = Config::withDefaults();
    c.set("db.url", "sqlite:x.db?busy_timeout=100", Layer::Environment, "env");
    c.set("db.options.busy_timeout", "200", Layer::File, "f");
    c.set("db.options.synchronous", "FULL", Layer::File, "f");
    const DataSource s = resolve(c, plugin("sqlite", kCapEmbedded));
    EXPECT_EQ(s.option("busy_timeout"), "100") << "the URL is in a higher layer";
    EXPECT_EQ(s.option("synchronous"), "FULL");
}

TEST(DataSource, BadPortIsAConfigError) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgres://h/db", Layer::Environment, "env");
    c.set("db.port", "99999", Layer::Environment, "env DB_PORT");
    EXPECT_THROW(resolve(c, plugin("postgres")), Error);
}

TEST(DataSource, ReadOnlyModeCreatesNoDirectory) {
    const fs::path dir = fs::temp_directory_path() / ("plugdb-ro-" + std::to_string(getpid()));
    for (const char* option : {"mode=ro", "read_only=TRUE", "read_only=yes"}) {
        Config c = Config::withDefaults();
        c.set("db.url", "sqlite:" + (dir / "x.db").string() + "?" + std::string(option),
              Layer::CommandLine, "--url");
        resolve(c, sqlitePlugin());
        EXPECT_FALSE(fs::exists(dir)) << option;
    }
    Config c = Config::withDefaults();
    c.set("db.url", "sqlite:" + (dir / "x.db").string(), Layer::CommandLine, "--url");
    resolve(c, sqlitePlugin());
    EXPECT_TRUE(fs::exists(dir)) << "a writable database gets its directory";
    fs::remove_all(dir);
}

namespace {

// The message of the config error resolving `url` throws, or "" (and a failure).
std::string urlRefusal(const std::string& url, std::uint64_t caps = 0) {
    Config c = Config::withDefaults();
    c.set("db.url", url, Layer::Environment, "env DATABASE_URL");
    try {
        const auto resolved = resolveDataSource(c, lookup());
        finishDataSource(c, resolved, plugin(resolved.driverName, caps));
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config) << e.what();
        return e.what();
    }
    ADD_FAILURE() << url << " was accepted";
    return "";
}

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(DataSource, AMalformedUrlWithASchemeSaysWhatIsWrong) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"postgres://h:99999/db", "invalid port '99999'"},
        {"postgres://h:-1/db", "invalid port '-1'"},
        {"postgres://h:0/db", "invalid port '0'"},
        {"postgres://h:abc/db", "invalid port 'abc'"},
        {"postgres://h/d%zzb", "malformed percent escape"},
        {"postgres://[::1/db", "without its closing ']'"}};
    for (const auto& [url, expected] : cases) {
        const std::string message = urlRefusal(url);
        EXPECT_TRUE(mentions(message, expected)) << url << ": " << message;
        EXPECT_FALSE(mentions(message, "no URL scheme")) << url << ": " << message;
        EXPECT_TRUE(mentions(message, "env DATABASE_URL")) << url << ": " << message;
    }
    EXPECT_TRUE(mentions(urlRefusal("just some words"), "no URL scheme"));
}

TEST(DataSource, AnEmbeddedUrlWithoutAPathIsAnError) {
    for (const char* url : {"sqlite:", "sqlite://", "sqlite:?mode=ro", "sqlite://?mode=rw"}) {
        const std::string message = urlRefusal(url, kCapEmbedded);
        EXPECT_TRUE(mentions(message, "names no database file")) << url << ": " << message;
    }
    // Nothing configured at all still means the default file, and db.path fills in.
    Config none = Config::withDefaults();
    EXPECT_EQ(resolve(none, plugin("sqlite", kCapEmbedded)).database, Config::kDefaultSqlitePath);
    Config withPath = Config::withDefaults();
    withPath.set("db.url", "sqlite:?mode=ro", Layer::Environment, "env");
    withPath.set("db.path", "./given.db", Layer::Environment, "env DB_PATH");
    EXPECT_EQ(resolve(withPath, plugin("sqlite", kCapEmbedded)).database, "./given.db");
}

TEST(DataSource, AKeyValueEngineHasNoDefaultFile) {
    Config driverOnly = Config::withDefaults();
    driverOnly.set("db.driver", "kvstore", Layer::Environment, "env DB_DRIVER");
    try {
        finishDataSource(driverOnly,
                         resolveDataSource(driverOnly, lookup({info("kvstore", kCapEmbedded)})),
                         plugin("kvstore", kCapEmbedded | kCapKeyValue));
        ADD_FAILURE() << "a key-value store was given the SQL default file";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_TRUE(mentions(e.what(), "key-value engine") &&
                    mentions(e.what(), "kvstore:./var/kv"))
            << e.what();
    }
    driverOnly.set("db.path", "./kv-dir", Layer::Environment, "env DB_PATH");
    EXPECT_EQ(
        finishDataSource(driverOnly,
                         resolveDataSource(driverOnly, lookup({info("kvstore", kCapEmbedded)})),
                         plugin("kvstore", kCapEmbedded | kCapKeyValue))
            .database,
        "./kv-dir");
}

TEST(DataSource, APasswordFileMustBeASmallRegularFile) {
    const fs::path dir = fs::temp_directory_path() / ("plugdb-pwdir-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path big = dir / "big";
    std::ofstream(big) << std::string(InputFileLimits::kPasswordBytes + 1, 'x');
    for (const auto& [file, expected] :
         std::vector<std::pair<std::string, std::string>>{{"/dev/zero", "character device"},
                                                          {dir.string(), "a directory"},
                                                          {big.string(), "over the limit"}}) {
        Config c = Config::withDefaults();
        // Even an engine that needs no password refuses a bad password file.
        c.set("db.password_file", file, Layer::Environment, "env DB_PASSWORD_FILE");
        try {
            resolve(c, plugin("sqlite", kCapEmbedded));
            ADD_FAILURE() << file << " was accepted as a password file";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            EXPECT_TRUE(mentions(e.what(), expected)) << e.what();
        }
    }
    fs::remove_all(dir);
}

TEST(DataSource, NothingConfiguredMeansTheInstalledEmbeddedDriver) {
    const Config none = Config::withDefaults();
    EXPECT_EQ(resolveDataSource(none, onlyInstalled({info("postgres"), info("tiny", kCapEmbedded)}))
                  .driverName,
              "tiny")
        << "the one embedded driver, whatever its name";
    EXPECT_EQ(resolveDataSource(none, lookup({info("tiny", kCapEmbedded)})).driverName, "sqlite")
        << "of several embedded drivers, sqlite";
    try {
        resolveDataSource(none, onlyInstalled({info("a", kCapEmbedded), info("b", kCapEmbedded)}));
        ADD_FAILURE() << "two embedded drivers, neither preferred, were not refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_TRUE(mentions(e.what(), "(a, b)") && mentions(e.what(), "db.driver")) << e.what();
    }
    try {
        resolveDataSource(none, onlyInstalled({info("postgres"), info("mysql")}));
        ADD_FAILURE() << "no embedded driver installed, yet a default was chosen";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Plugin);
        EXPECT_TRUE(mentions(e.what(), "no embedded driver") &&
                    mentions(e.what(), "postgres, mysql"))
            << e.what();
    }
}

TEST(DataSource, AnOpaqueUrlIsDescribedAsWritten) {
    Config c = Config::withDefaults();
    c.set("db.url", "bridge:opaque-text", Layer::CommandLine, "--url");
    const DriverLookup bridge{[](const std::string& scheme) { return scheme; }, nullptr};
    const DataSource s = finishDataSource(c, resolveDataSource(c, bridge), plugin("bridge"));
    EXPECT_EQ(s.database, "opaque-text");
    EXPECT_EQ(describeTarget(s, info("bridge")), "bridge:opaque-text");
    Config local = Config::withDefaults();
    local.set("db.url", "postgres:///shop", Layer::CommandLine, "--url");
    EXPECT_EQ(describeTarget(resolve(local, plugin("postgres")), info("postgres")),
              "postgres:shop");
}

namespace {

// A driver that only declares options: finishDataSource checks against them.
class DeclaringDriver final : public Driver, public DriverOptionsProvider {
public:
    explicit DeclaringDriver(bool passUnknown) {
        using Kind = DriverOption::Kind;
        options_.passUnknownOptions = passUnknown;
        options_.options = {
            {"flag", Kind::Bool, "a flag"},
            {"count", Kind::Int, "a count", {}, 1, 10},
            {"wait", Kind::Duration, "a wait", {}, 0, 60'000},
            {"mode", Kind::Text, "a mode", {"fast", "safe"}},
            {"sslpassword", Kind::Text, "a secret"},
        };
    }
    const Dialect& dialect() const override {
        static const Dialect kDialect;
        return kDialect;
    }
    std::unique_ptr<Connection> connect(const DataSource&) override {
        throw Error(ErrorCategory::Unsupported, "declares options only");
    }
    const DriverOptions& driverOptions() const override { return options_; }

private:
    DriverOptions options_;
};

// The config error opening `query` on a DeclaringDriver gives, or "" when accepted.
std::string optionRefusal(const std::string& query, bool passUnknown = false) {
    Config c = Config::withDefaults();
    c.set("db.url", "postgres://h/db?" + query, Layer::CommandLine, "--url");
    const LoadedDriver driver{info("decl"), std::make_shared<DeclaringDriver>(passUnknown)};
    try {
        finishDataSource(c, resolveDataSource(c, lookup()), driver);
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config) << e.what();
        return e.what();
    }
    return "";
}

}  // namespace

TEST(DataSource, DeclaredDriverOptionsAreCheckedBeforeConnecting) {
    EXPECT_EQ(optionRefusal("flag=YES&count=10&wait=1m&mode=Safe&sslpassword=x"), "");
    const std::string unknown = optionRefusal("flg=1");
    EXPECT_TRUE(mentions(unknown, "decl: unknown option 'flg' (value '1')")) << unknown;
    EXPECT_TRUE(mentions(unknown, "known options: count, flag, mode, sslpassword, wait"))
        << unknown;
    for (const auto& [query, expected] : std::vector<std::pair<std::string, std::string>>{
             {"flag=maybe", "option flag='maybe' is invalid; expected true or false"},
             {"count=0", "option count='0' is invalid; expected a whole number from 1 to 10"},
             {"count=3x", "option count='3x'"},
             {"wait=soon", "option wait='soon' is invalid; expected a duration"},
             {"wait=61", "option wait='61'"},
             {"mode=slow", "option mode='slow' is invalid; expected one of fast, safe (a mode)"}}) {
        const std::string message = optionRefusal(query);
        EXPECT_TRUE(mentions(message, expected)) << query << ": " << message;
    }
}

TEST(DataSource, APassThroughDriverGetsUnknownOptionsButDeclaredOnesAreChecked) {
    EXPECT_EQ(optionRefusal("engine_setting=42&flag=on", true), "");
    EXPECT_TRUE(mentions(optionRefusal("engine_setting=42&count=99", true), "count='99'"));
}

TEST(DataSource, AnUnknownSecretOptionIsRefusedWithoutItsValue) {
    const std::string message = optionRefusal("db_password=hunter2hunter2");
    EXPECT_TRUE(mentions(message, "unknown option 'db_password'")) << message;
    EXPECT_FALSE(mentions(message, "hunter2")) << message;
}
