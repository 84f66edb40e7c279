// Database::named on SQLite and on the real PostgreSQL and MariaDB servers
// (tests/servers), with the example application's queries/ over its schema
// (migrations/): variant selection, parameters bound by name, reuse of the
// prepared statement per connection, and a typo caught when the database opens.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "server_env.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

struct Engine {
    const char* driver;
    const char* envFile;  // empty for SQLite
    const char* urlVariable;
};

[[maybe_unused]] void PrintTo(const Engine& engine, std::ostream* out) {
    *out << engine.driver;
}

Config configFor(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    return config;
}

class NamedQueriesOn : public ::testing::TestWithParam<Engine> {
public:
    void SetUp() override {
        std::string slug;
        for (char c : std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()))
            slug += std::isalnum(static_cast<unsigned char>(c))
                        ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                        : '_';
        dir_ =
            fs::temp_directory_path() / ("plugdb-named-" + std::to_string(getpid()) + "-" + slug);
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        fs::copy(PLUGDB_SOURCE_DIR "/queries", dir_ / "queries");
        if (driver() == "sqlite") {
            url_ = "sqlite:" + (dir_ / "test.db").string();
        } else {
            server_ = test::requireServerVariable(GetParam().envFile, GetParam().urlVariable);
            database_ = ("named_" + slug).substr(0, 60);
            auto admin = Database::open(configFor(server_));
            admin.exec("DROP DATABASE IF EXISTS " + database_ + force());
            admin.exec("CREATE DATABASE " + database_);
            url_ = test::withDatabase(server_, database_);
        }
        // The example schema, applied before the queries are checked against it.
        Config config = configFor(url_);
        config.set("queries.path", (dir_ / "queries").string(), Layer::CommandLine, "test");
        config.set("queries.prepare_on_open", "false", Layer::CommandLine, "test");
        Database db = Database::open(config);
        migrate::Options options = migrate::Options::fromConfig(config);
        options.path = PLUGDB_SOURCE_DIR "/migrations";
        migrate::Migrator(db, options).up();
    }

    void TearDown() override {
        fs::remove_all(dir_);
        if (database_.empty()) return;
        try {
            Database::open(configFor(server_))
                .exec("DROP DATABASE IF EXISTS " + database_ + force());
        } catch (const Error&) {
        }
    }

    std::string driver() const { return GetParam().driver; }
    std::string force() const { return driver() == "postgres" ? " WITH (FORCE)" : ""; }

    Config config(int maxOpen = 0) const {
        Config c = configFor(url_);
        c.set("queries.path", (dir_ / "queries").string(), Layer::CommandLine, "test");
        if (maxOpen > 0)
            c.set("pool.max_open", std::to_string(maxOpen), Layer::CommandLine, "test");
        return c;
    }

    void seed(Database& db) {
        db.namedExec("create-tenant", {{"id", "t1"}, {"name", "Acme"}, {"slug", "acme"}});
        db.namedExec("create-user", {{"id", "u1"},
                                     {"tenant_id", "t1"},
                                     {"email", "ada@acme.test"},
                                     {"display_name", "Ada Lovelace"},
                                     {"role", "owner"}});
        db.namedExec("create-user", {{"id", "u2"},
                                     {"tenant_id", "t1"},
                                     {"email", "grace@acme.test"},
                                     {"display_name", "Grace HOPPER"},
                                     {"role", "member"}});
    }

    fs::path dir_;
    std::string url_, server_, database_;
};

TEST_P(NamedQueriesOn, OpenPreparesTheExampleQueriesAndRunsThem) {
    Database db = Database::open(config());  // prepares every query: the schema fits
    EXPECT_FALSE(db.namedQueries().empty());
    seed(db);
    Rows tenant = db.named("get-tenant", {{"tenant_id", "t1"}});
    ASSERT_TRUE(tenant.next());
    EXPECT_EQ(tenant.getText(1), "Acme");
    EXPECT_EQ(tenant.getText(2), "acme");
    EXPECT_FALSE(tenant.next());

    // :pattern is given once and bound at both of its places.
    Rows found = db.named("find-users", {{"tenant_id", "t1"}, {"pattern", "%hopper%"}});
    ASSERT_TRUE(found.next());
    EXPECT_EQ(found.getText(0), "u2");
    EXPECT_FALSE(found.next());

    const Result deleted =
        db.namedExec("soft-delete-user", {{"tenant_id", "t1"}, {"user_id", "u2"}});
    EXPECT_EQ(deleted.rowsAffected, 1);
    Rows users = db.named("tenant-users", {{"tenant_id", "t1"}});
    ASSERT_TRUE(users.next());
    EXPECT_EQ(users.getText(1), "ada@acme.test");
    EXPECT_FALSE(users.next());
}

TEST_P(NamedQueriesOn, TheEngineVariantWins) {
    Database db = Database::open(config());
    seed(db);
    // user-labels has a :mysql block: MySQL would read the portable '||' as OR.
    Rows labels = db.named("user-labels", {{"tenant_id", "t1"}});
    ASSERT_TRUE(labels.next());
    EXPECT_EQ(labels.getText(0), "Ada Lovelace <ada@acme.test>");
    const NamedQuery* count = db.namedQueries().find("count-rules");
    ASSERT_NE(count, nullptr);
    const NamedQueryVariant* chosen = count->variantFor(db.info().driver);
    EXPECT_EQ(chosen->engine, driver() == "postgres" ? "postgres" : "");
    Rows rules = db.named("count-rules", {{"tenant_id", "t1"}});
    ASSERT_TRUE(rules.next());
    EXPECT_EQ(rules.getInt(0), 0);
    // On PostgreSQL the variant's ::integer cast made it int4, not COUNT's int8.
    if (driver() == "postgres") {
        EXPECT_EQ(rules.columns()[0].declaredType, "int4");
    }
}

TEST_P(NamedQueriesOn, SessionAndTransaction) {
    Database db = Database::open(config());
    db.transact([&](Transaction& tx) {
        tx.namedExec("create-tenant", {{"id", "t9"}, {"name", "Nine"}, {"slug", "nine"}});
        Rows in = tx.named("get-tenant-by-slug", {{"slug", "nine"}});
        EXPECT_TRUE(in.next());
    });
    Session session = db.session();
    Rows all = session.named("list-tenants");
    ASSERT_TRUE(all.next());
    EXPECT_EQ(all.getText(2), "nine");
}

// On one connection a query's statement is reused: rows of its last run are
// replaced when it runs again, as with PreparedStatement; another query's
// rows stay readable.
TEST_P(NamedQueriesOn, RowsOfAnEarlierRunOnOneSession) {
    Database db = Database::open(config());
    seed(db);
    Session session = db.session();
    Rows users = session.named("tenant-users", {{"tenant_id", "t1"}});
    Rows first = session.named("get-tenant", {{"tenant_id", "t1"}});
    Rows second = session.named("get-tenant", {{"tenant_id", "t1"}});
    EXPECT_THROW(first.next(), Error);
    ASSERT_TRUE(second.next());
    EXPECT_EQ(second.getText(1), "Acme");
    ASSERT_TRUE(users.next());
    EXPECT_EQ(users.getText(1), "ada@acme.test");
    ASSERT_TRUE(users.next());
    EXPECT_FALSE(users.next());
}

TEST_P(NamedQueriesOn, WrongParametersAreRefusedBeforeRunning) {
    Database db = Database::open(config());
    try {
        db.named("get-tenant", {{"tenant", "t1"}});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::InvalidArgument);
        EXPECT_STREQ(e.what(), "named query 'get-tenant' has no parameter :tenant");
    }
    EXPECT_THROW(db.named("get-tenant"), Error);
    try {
        db.named("no-such-query");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no named query 'no-such-query'"), std::string::npos);
    }
}

// Five runs on one pooled connection prepare the statement once: the engine's
// own count of prepared statements says so (SQLite has no such count).
TEST_P(NamedQueriesOn, PreparedOncePerConnection) {
    if (driver() == "sqlite") GTEST_SKIP() << "SQLite keeps no count of prepared statements";
    Database db = Database::open(config(1));
    seed(db);
    if (driver() == "mysql") {
        auto prepares = [&] {
            Rows r = db.query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'");
            EXPECT_TRUE(r.next());
            return std::stoll(r.getText(1));
        };
        const long long before = prepares();
        for (int i = 0; i < 5; ++i) {
            Rows r = db.named("tenant-users", {{"tenant_id", "t1"}});
            while (r.next()) {
            }
        }
        // The five runs reuse the statement prepared at open; only the second
        // SHOW is prepared in between.
        EXPECT_EQ(prepares() - before, 1);
    } else {
        for (int i = 0; i < 5; ++i) {
            Rows r = db.named("tenant-users", {{"tenant_id", "t1"}});
            while (r.next()) {
            }
        }
        // From its second run the driver keeps a statement prepared on the
        // server: one for the five runs, because the same Statement ran them.
        Rows r = db.query(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM users%'");
        ASSERT_TRUE(r.next());
        EXPECT_EQ(r.getInt(0), 1);
    }
}

TEST_P(NamedQueriesOn, ATypoFailsWhenTheDatabaseOpens) {
    std::ofstream(dir_ / "queries" / "broken.sql") << "\n\n-- name: broken\n"
                                                      "SELECT id FROM tenantz WHERE id = :id\n";
    try {
        Database::open(config());
        FAIL() << "open did not fail";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("named query 'broken' (" +
                               (dir_ / "queries" / "broken.sql").string() + ":3)"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("tenantz"), std::string::npos) << message;
    }
    // With prepare_on_open off, open succeeds and checkNamedQueries reports it.
    Config lazy = config();
    lazy.set("queries.prepare_on_open", "false", Layer::CommandLine, "test");
    Database db = Database::open(lazy);
    EXPECT_THROW(db.checkNamedQueries(), Error);
    EXPECT_THROW(db.named("broken", {{"id", "x"}}), Error);
    Rows ok = db.named("list-tenants");  // the others still run
    EXPECT_FALSE(ok.next());
}

TEST_P(NamedQueriesOn, AConfiguredFolderMustExist) {
    Config c = config();
    c.set("queries.path", (dir_ / "absent").string(), Layer::CommandLine, "test");
    try {
        Database::open(c);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
    }
    // The default folder (./queries, relative to the working directory) may be absent.
    Config defaults = configFor(url_);
    EXPECT_TRUE(Database::open(defaults).namedQueries().empty());
    // An empty value says "none", wherever the program runs.
    Config none = configFor(url_);
    none.set("queries.path", "", Layer::CommandLine, "test");
    EXPECT_TRUE(Database::open(none).namedQueries().empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, NamedQueriesOn,
                         ::testing::Values(Engine{"sqlite", "", ""},
                                           Engine{"postgres", "postgres.env", "PLUGDB_PG_URL"},
                                           Engine{"mysql", "mariadb.env", "PLUGDB_MY_URL"}),
                         [](const auto& test) { return std::string(test.param.driver); });

}  // namespace
