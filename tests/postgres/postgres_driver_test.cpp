// What only PostgreSQL has: unix sockets, multi-host failover, TLS verify
// modes, server-side cancel, serialization failures. On the real server that
// tests/servers/start-postgres.sh started.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/registry.h"
#include "server_env.h"

using namespace plugdb;

namespace {

// The variables start-postgres.sh wrote (PLUGDB_PG_URL, _PORT, _SOCKET_DIR, _CA).
std::string var(const std::string& name) {
    return plugdb::test::requireServerVariable("postgres.env", name);
}

Database open(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    return Database::open(config);
}

const std::string kCredentials = "plugdb:plugdb-test-pw";

ErrorCategory categoryOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.category();
    }
    ADD_FAILURE() << "expected a plugdb::Error";
    return ErrorCategory::Other;
}

std::string percentEncode(const std::string& path) {
    std::string out;
    for (char c : path) out += c == '/' ? std::string("%2F") : std::string(1, c);
    return out;
}

}  // namespace

TEST(Postgres, ConnectsOverAUnixSocket) {
    Database db =
        open("postgres://" + kCredentials + "@" + percentEncode(var("PLUGDB_PG_SOCKET_DIR")) + ":" +
             var("PLUGDB_PG_PORT") + "/plugdb");
    Rows rows = db.query("SELECT inet_server_addr() IS NULL");  // NULL over a socket
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(rows.getBool(0));
}

TEST(Postgres, MultiHostUrlFailsOverToTheNextHost) {
    // Port 1 refuses; libpq moves on to the second host.
    Database db =
        open("postgres://" + kCredentials + "@127.0.0.1:1,127.0.0.1:" + var("PLUGDB_PG_PORT") +
             "/plugdb?target_session_attrs=read-write");
    db.ping();
}

TEST(Postgres, TlsVerifyFullWithTheTestCa) {
    Database db =
        open(var("PLUGDB_PG_URL") + "?sslmode=verify-full&sslrootcert=" + var("PLUGDB_PG_CA"));
    Rows rows = db.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(rows.getBool(0)) << "the session is encrypted";
}

TEST(Postgres, TlsVerifyFailsAgainstAnotherCa) {
    ASSERT_FALSE(var("PLUGDB_PG_CA").empty()) << "the test server must have TLS on";
    // The system's CA bundle does not know the throw-away test CA.
    try {
        open(var("PLUGDB_PG_URL") +
             "?sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt");
        FAIL() << "a server certificate from an unknown CA must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Connection);
        EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos) << e.what();
    }
}

TEST(Postgres, UnknownOptionIsRefusedByName) {
    try {
        open(var("PLUGDB_PG_URL") + "?sslmod=require");
        FAIL() << "a misspelt option must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_NE(std::string(e.what()).find("unknown option 'sslmod'"), std::string::npos)
            << e.what();
    }
}

TEST(Postgres, InterruptCancelsOnTheServerAsATimeout) {
    auto loaded = DriverRegistry::instance().load("postgres", {PLUGDB_TEST_PLUGIN_DIR});
    DataSource source;
    source.endpoints.push_back({"127.0.0.1", std::stoi(var("PLUGDB_PG_PORT"))});
    source.user = "plugdb";
    source.password = "plugdb-test-pw";
    source.database = "plugdb";
    auto conn = loaded.driver->connect(source);
    auto statement = conn->prepare("SELECT pg_sleep(30)");
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        conn->interrupt();
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(categoryOf([&] { statement->execute({}); }), ErrorCategory::Timeout);
    canceller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    conn->ping();  // the session survives a cancel
}

TEST(Postgres, StatementTimeoutIsATimeout) {
    Database db = open(var("PLUGDB_PG_URL") + "?options=-c%20statement_timeout%3D100");
    EXPECT_EQ(categoryOf([&] { db.exec("SELECT pg_sleep(5)"); }), ErrorCategory::Timeout);
}

TEST(Postgres, SerializationFailureIsRetryable) {
    Database db = open(var("PLUGDB_PG_URL"));
    db.exec("DROP TABLE IF EXISTS ser");
    db.exec("CREATE TABLE ser (k INT PRIMARY KEY, v INT)");
    db.exec("INSERT INTO ser VALUES (1, 0), (2, 0)");
    Transaction a = db.begin();
    Transaction b = db.begin();
    a.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    b.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    a.query("SELECT SUM(v) FROM ser").next();
    b.query("SELECT SUM(v) FROM ser").next();
    a.exec("UPDATE ser SET v = 1 WHERE k = 1");
    b.exec("UPDATE ser SET v = 1 WHERE k = 2");
    a.commit();
    try {
        b.commit();
        FAIL() << "write skew must fail under SERIALIZABLE";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Serialization);
        EXPECT_EQ(e.sqlState(), "40001");
        EXPECT_TRUE(e.retryable());
    }
}

TEST(Postgres, RollbackWorksAfterAFailureWithServerSideStatements) {
    Database db = open(var("PLUGDB_PG_URL"));
    db.exec("DROP TABLE IF EXISTS rb");
    db.exec("CREATE TABLE rb (k INT PRIMARY KEY)");
    Transaction tx = db.begin();
    {
        PreparedStatement insert = tx.prepare("INSERT INTO rb (k) VALUES (?)");
        insert.exec({1});
        insert.exec({2});                       // second run: prepared on the server
        EXPECT_THROW(insert.exec({1}), Error);  // the transaction fails
    }               // the server-side statement is now due for DEALLOCATE
    tx.rollback();  // must not be blocked by it
    Rows rows = db.query("SELECT COUNT(*) FROM rb");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 0);
}

// Issue 11, defect 2: an UPDATE with RETURNING run through exec counted 0 rows.
TEST(Postgres, UpdateReturningThroughExecCountsItsRows) {
    Database db = open(var("PLUGDB_PG_URL"));
    db.exec("DROP TABLE IF EXISTS upd_ret");
    db.exec("CREATE TABLE upd_ret (id INT PRIMARY KEY, v INT)");
    db.exec("INSERT INTO upd_ret SELECT g, 0 FROM generate_series(1, 5) g");
    EXPECT_EQ(db.exec("UPDATE upd_ret SET v = 1 WHERE id <= 3 RETURNING id").rowsAffected, 3);
    EXPECT_EQ(db.exec("UPDATE upd_ret SET v = 2 WHERE id <= ? RETURNING id", {2}).rowsAffected, 2);
}

// bytea_output = escape: the server's other bytea format decodes to the same bytes.
TEST(Postgres, ByteaInEscapeOutputDecodes) {
    Database db = open(var("PLUGDB_PG_URL") + "?options=-c%20bytea_output%3Descape");
    const Blob bytes{0x00, 'a', '\\', 0xff, 0x7f, '\n'};
    Rows rows = db.query("SELECT ?::bytea, current_setting('bytea_output')", {bytes});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(1), "escape");
    EXPECT_EQ(rows.getBlob(0), bytes);
}

// Types outside the built-in table are named from the catalog, once.
TEST(Postgres, UserTypesAreNamedFromTheCatalog) {
    Database db = open(var("PLUGDB_PG_URL"));
    db.exec("DROP TABLE IF EXISTS moods");
    db.exec("DROP TYPE IF EXISTS mood");
    db.exec("CREATE TYPE mood AS ENUM ('sad', 'happy')");
    db.exec("CREATE TABLE moods (m mood, ms mood[], l pg_lsn)");
    db.exec("INSERT INTO moods VALUES ('happy', '{sad}', '0/1')");
    for (int run = 0; run < 2; ++run) {  // the second run from the session's cache
        Rows rows = db.query("SELECT m, ms, l FROM moods");
        while (rows.next()) EXPECT_EQ(rows.getText(0), "happy");
        EXPECT_EQ(rows.columns()[0].declaredType, "mood") << "run " << run;
        EXPECT_EQ(rows.columns()[1].declaredType, "mood[]") << "run " << run;
        EXPECT_EQ(rows.columns()[2].declaredType, "pg_lsn") << "run " << run;
    }
}
