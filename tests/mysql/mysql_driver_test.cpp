// What only MySQL/MariaDB has, on the real server tests/servers/start-mariadb.sh
// started: unix socket, TLS verify modes, deadlocks, KILL QUERY.
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

std::string var(const std::string& name) {
    return plugdb::test::requireServerVariable("mariadb.env", name);
}

Database open(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    return Database::open(config);
}

std::string percentEncode(const std::string& path) {
    std::string out;
    for (char c : path) out += c == '/' ? std::string("%2F") : std::string(1, c);
    return out;
}

}  // namespace

TEST(Mysql, ConnectsOverAUnixSocket) {
    Database db =
        open("mysql://plugdb:plugdb-test-pw@" + percentEncode(var("PLUGDB_MY_SOCKET")) + "/plugdb");
    Rows rows = db.query("SELECT @@character_set_connection");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getText(0), "utf8mb4");
}

TEST(Mysql, TlsVerifyFullWithTheTestCa) {
    Database db =
        open(var("PLUGDB_MY_URL") + "?ssl-mode=verify-full&ssl-ca=" + var("PLUGDB_MY_CA"));
    Rows rows = db.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    ASSERT_TRUE(rows.next());
    EXPECT_FALSE(rows.getText(1).empty()) << "the session is encrypted";
}

TEST(Mysql, TlsVerifyFailsAgainstAnotherCa) {
    ASSERT_FALSE(var("PLUGDB_MY_CA").empty());
    try {
        open(var("PLUGDB_MY_URL") +
             "?ssl-mode=verify-full&ssl-ca=/etc/ssl/certs/ca-certificates.crt");
        FAIL() << "a server certificate from an unknown CA must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Connection) << e.what();
    }
}

TEST(Mysql, BadSslModeIsRefused) {
    EXPECT_THROW(open(var("PLUGDB_MY_URL") + "?ssl-mode=sometimes"), Error);
}

TEST(Mysql, DeadlockIsARetryableSerializationFailure) {
    Database db = open(var("PLUGDB_MY_URL"));
    db.exec("DROP TABLE IF EXISTS dl");
    db.exec("CREATE TABLE dl (k INT PRIMARY KEY, v INT) ENGINE=InnoDB");
    db.exec("INSERT INTO dl VALUES (1, 0), (2, 0)");
    Transaction a = db.begin();
    Transaction b = db.begin();
    a.exec("UPDATE dl SET v = 1 WHERE k = 1");
    b.exec("UPDATE dl SET v = 1 WHERE k = 2");
    std::optional<ErrorCategory> fromA, fromB;
    std::thread waiter([&] {
        try {
            a.exec("UPDATE dl SET v = 2 WHERE k = 2");  // waits for b
        } catch (const Error& e) {
            fromA = e.category();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    try {
        b.exec("UPDATE dl SET v = 2 WHERE k = 1");  // closes the cycle
    } catch (const Error& e) {
        fromB = e.category();
    }
    if (!fromB) b.rollback();  // lets a go on if b won
    waiter.join();
    const int deadlocks =
        (fromA == ErrorCategory::Serialization) + (fromB == ErrorCategory::Serialization);
    EXPECT_EQ(deadlocks, 1) << "exactly one side is chosen as the deadlock victim";
}

TEST(Mysql, KillQueryInterruptsAsATimeout) {
    auto loaded = DriverRegistry::instance().load("mysql", {PLUGDB_TEST_PLUGIN_DIR});
    DataSource source;
    source.endpoints.push_back({"127.0.0.1", std::stoi(var("PLUGDB_MY_PORT"))});
    source.user = "plugdb";
    source.password = "plugdb-test-pw";
    source.database = "plugdb";
    auto conn = loaded.driver->connect(source);
    // Ten-fold cross join of ten digits: 10^10 rows to count. (SLEEP and
    // BENCHMARK just return early when killed; real work reports error 1317.)
    std::string digits = "SELECT 0 AS x";
    for (int i = 1; i < 10; ++i) digits += " UNION ALL SELECT " + std::to_string(i);
    std::string from;
    for (char t = 'a'; t < 'a' + 10; ++t) from += std::string(from.empty() ? "" : ", ") + "d " + t;
    auto statement = conn->prepare("WITH d AS (" + digits + ") SELECT COUNT(*) FROM " + from);
    std::thread killer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        conn->interrupt();
    });
    const auto start = std::chrono::steady_clock::now();
    try {
        statement->execute({});
        while (statement->next()) {
        }
        ADD_FAILURE() << "the query should have been killed";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Timeout) << e.what();
    }
    killer.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    conn->ping();  // KILL QUERY leaves the session usable
}
