// Url::parse: the connection URL forms plugdb accepts, and how it refuses bad ones.
#include <gtest/gtest.h>

#include <string>

#include "plugdb/config.h"
#include "plugdb/error.h"

using namespace plugdb;

namespace {

// The Error a parse throws; fails the test when it does not throw one.
Error parseError(const std::string& text) {
    try {
        Url::parse(text);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected '" << text << "' to be refused";
    return Error(ErrorCategory::Other, "no error");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(Url, PostgresWithEveryPart) {
    const Url url = Url::parse(
        "postgres://app:s3cret@db.example.com:6543/shop?sslmode=require&application_name=plugdb");
    EXPECT_EQ(url.scheme, "postgres");
    EXPECT_TRUE(url.hasAuthority);
    EXPECT_EQ(url.user, "app");
    ASSERT_TRUE(url.password.has_value());
    EXPECT_EQ(*url.password, "s3cret");
    ASSERT_EQ(url.hosts.size(), 1u);
    EXPECT_EQ(url.hosts[0].host, "db.example.com");
    EXPECT_EQ(url.hosts[0].port, 6543);
    EXPECT_EQ(url.path, "/shop");
    ASSERT_EQ(url.query.size(), 2u);
    EXPECT_EQ(url.query[0], (std::pair<std::string, std::string>{"sslmode", "require"}));
    EXPECT_EQ(url.query[1], (std::pair<std::string, std::string>{"application_name", "plugdb"}));
}

TEST(Url, SchemeIsLowerCasedAndPortIsOptional) {
    const Url url = Url::parse("PostgreSQL://db/shop");
    EXPECT_EQ(url.scheme, "postgresql");
    ASSERT_EQ(url.hosts.size(), 1u);
    EXPECT_EQ(url.hosts[0].host, "db");
    EXPECT_EQ(url.hosts[0].port, 0);
    EXPECT_EQ(url.user, "");
    EXPECT_FALSE(url.password.has_value());
}

TEST(Url, UserWithoutPasswordAndEmptyPassword) {
    const Url noPassword = Url::parse("postgres://app@db/shop");
    EXPECT_EQ(noPassword.user, "app");
    EXPECT_FALSE(noPassword.password.has_value());

    const Url emptyPassword = Url::parse("postgres://app:@db/shop");
    EXPECT_EQ(emptyPassword.user, "app");
    ASSERT_TRUE(emptyPassword.password.has_value());
    EXPECT_EQ(*emptyPassword.password, "");
}

TEST(Url, PercentDecoding) {
    const Url url = Url::parse(
        "postgres://us%65r:p%40ss%3Aw%2Fd@%2Fvar%2Frun%2Fpostgresql/my%20db?opt%3D=a%26b");
    EXPECT_EQ(url.user, "user");
    ASSERT_TRUE(url.password.has_value());
    EXPECT_EQ(*url.password, "p@ss:w/d");
    ASSERT_EQ(url.hosts.size(), 1u);
    EXPECT_EQ(url.hosts[0].host, "/var/run/postgresql") << "a %2F host is a unix socket directory";
    EXPECT_EQ(url.path, "/my db");
    ASSERT_EQ(url.query.size(), 1u);
    EXPECT_EQ(url.query[0].first, "opt=");
    EXPECT_EQ(url.query[0].second, "a&b");
}

TEST(Url, PlusIsNotASpace) {
    const Url url = Url::parse("postgres://u:a+b@h/d+b?x=1+2");
    EXPECT_EQ(*url.password, "a+b");
    EXPECT_EQ(url.path, "/d+b");
    EXPECT_EQ(url.query[0].second, "1+2");
}

TEST(Url, UserinfoEndsAtTheLastAt) {
    const Url url = Url::parse("mysql://me@example.com:p@ss@db:3306/app");
    EXPECT_EQ(url.user, "me@example.com");
    EXPECT_EQ(*url.password, "p@ss");
    ASSERT_EQ(url.hosts.size(), 1u);
    EXPECT_EQ(url.hosts[0].host, "db");
    EXPECT_EQ(url.hosts[0].port, 3306);
}

TEST(Url, Ipv6Hosts) {
    const Url url = Url::parse("postgres://u@[::1]:5432/db");
    ASSERT_EQ(url.hosts.size(), 1u);
    EXPECT_EQ(url.hosts[0].host, "::1");
    EXPECT_EQ(url.hosts[0].port, 5432);

    const Url noPort = Url::parse("postgres://[fe80::1%25eth0]/db");
    ASSERT_EQ(noPort.hosts.size(), 1u);
    EXPECT_EQ(noPort.hosts[0].host, "fe80::1%eth0");
    EXPECT_EQ(noPort.hosts[0].port, 0);
}

TEST(Url, MultipleHosts) {
    const Url url =
        Url::parse("postgres://u:pw@a:1,b:2,[::1]:3,c/db?target_session_attrs=read-write");
    ASSERT_EQ(url.hosts.size(), 4u);
    EXPECT_EQ(url.hosts[0].host, "a");
    EXPECT_EQ(url.hosts[0].port, 1);
    EXPECT_EQ(url.hosts[1].host, "b");
    EXPECT_EQ(url.hosts[1].port, 2);
    EXPECT_EQ(url.hosts[2].host, "::1");
    EXPECT_EQ(url.hosts[2].port, 3);
    EXPECT_EQ(url.hosts[3].host, "c");
    EXPECT_EQ(url.hosts[3].port, 0);
    EXPECT_EQ(url.path, "/db");
}

TEST(Url, SqliteForms) {
    const Url absolute = Url::parse("sqlite:/tmp/x.db");
    EXPECT_EQ(absolute.scheme, "sqlite");
    EXPECT_FALSE(absolute.hasAuthority);
    EXPECT_TRUE(absolute.hosts.empty());
    EXPECT_EQ(absolute.path, "/tmp/x.db");

    const Url memory = Url::parse("sqlite::memory:");
    EXPECT_FALSE(memory.hasAuthority);
    EXPECT_EQ(memory.path, ":memory:");

    const Url relative = Url::parse("sqlite:x.db");
    EXPECT_EQ(relative.path, "x.db");

    const Url dotted = Url::parse("sqlite:./var/app.db?mode=ro&cache");
    EXPECT_EQ(dotted.path, "./var/app.db");
    ASSERT_EQ(dotted.query.size(), 2u);
    EXPECT_EQ(dotted.query[0], (std::pair<std::string, std::string>{"mode", "ro"}));
    EXPECT_EQ(dotted.query[1], (std::pair<std::string, std::string>{"cache", ""}))
        << "a key without '=' has an empty value";

    const Url tripleSlash = Url::parse("sqlite:///tmp/x.db");
    EXPECT_TRUE(tripleSlash.hasAuthority);
    EXPECT_TRUE(tripleSlash.hosts.empty());
    EXPECT_EQ(tripleSlash.path, "/tmp/x.db");
}

TEST(Url, RepeatedQueryKeysKeepTheirOrder) {
    const Url url = Url::parse("mysql://h/db?init=a&&init=b&flag");
    ASSERT_EQ(url.query.size(), 3u);
    EXPECT_EQ(url.query[0].second, "a");
    EXPECT_EQ(url.query[1].first, "init");
    EXPECT_EQ(url.query[1].second, "b");
    EXPECT_EQ(url.query[2].first, "flag");
}

TEST(Url, MysqlUrl) {
    const Url url = Url::parse("mysql://root:rootpw@127.0.0.1:3306/modulacms?charset=utf8mb4");
    EXPECT_EQ(url.scheme, "mysql");
    EXPECT_EQ(url.user, "root");
    EXPECT_EQ(*url.password, "rootpw");
    EXPECT_EQ(url.hosts.at(0).host, "127.0.0.1");
    EXPECT_EQ(url.hosts.at(0).port, 3306);
    EXPECT_EQ(url.path, "/modulacms");
}

TEST(Url, BadPortsAreConfigErrors) {
    for (const char* text :
         {"postgres://h:0/db", "postgres://h:65536/db", "postgres://h:99999/db",
          "postgres://h:x/db", "postgres://h:/db", "postgres://h:-1/db",
          "postgres://[::1]:123456/db", "postgres://a:1,b:zz/db", "postgres://::1:5432/db"}) {
        const Error e = parseError(text);
        EXPECT_EQ(e.category(), ErrorCategory::Config) << text;
        EXPECT_TRUE(contains(e.what(), "port")) << e.what();
    }
    EXPECT_EQ(Url::parse("postgres://h:65535/db").hosts.at(0).port, 65535);
    EXPECT_EQ(Url::parse("postgres://h:1/db").hosts.at(0).port, 1);
}

TEST(Url, MissingSchemeIsAConfigError) {
    for (const char* text : {"./modula.db", "//host/db", "1pg://h/db", ":memory:", "", "db"}) {
        const Error e = parseError(text);
        EXPECT_EQ(e.category(), ErrorCategory::Config) << text;
        EXPECT_TRUE(contains(e.what(), "scheme")) << e.what();
    }
}

TEST(Url, OtherMalformedUrls) {
    EXPECT_EQ(parseError("postgres://[::1/db").category(), ErrorCategory::Config);
    EXPECT_EQ(parseError("postgres://[::1]x/db").category(), ErrorCategory::Config);
    EXPECT_EQ(parseError("postgres://a,,b/db").category(), ErrorCategory::Config);
}

TEST(Url, MalformedPercentEscapesAreConfigErrors) {
    for (const char* text : {"postgres://u:p%zzw@h/db", "postgres://h/db%", "postgres://h/db%4",
                             "sqlite:/tmp/%G0.db", "postgres://h/db?x=%2"}) {
        const Error e = parseError(text);
        EXPECT_EQ(e.category(), ErrorCategory::Config) << text;
        EXPECT_TRUE(contains(e.what(), "percent")) << e.what();
    }
}

TEST(Url, ErrorMessagesNeverShowThePassword) {
    const std::string password = "Hunter2-url-secret";
    for (const std::string& text :
         {"postgres://app:" + password + "@db:99999/shop", "postgres://app:" + password + "@db/%zz",
          "postgres://app:" + password + "@[::1/shop"}) {
        const Error e = parseError(text);
        EXPECT_FALSE(contains(e.what(), password)) << e.what();
        // Not even the user name: in a malformed URL the parser cannot tell where it ends.
        EXPECT_TRUE(contains(e.what(), "postgres://****@")) << e.what();
    }
    // A password that is itself a malformed escape must not leak either.
    const Error e = parseError("postgres://app:bad%zzpass@db/shop");
    EXPECT_FALSE(contains(e.what(), "bad%zzpass")) << e.what();
}

TEST(Url, MalformedUserInfoNeverAppearsInTheError) {
    // Unencoded '@', ':', '/', '%', quotes in the password: the parser cannot tell
    // where it ends, so the error hides everything before the last '@'.
    const std::string text = "postgres://sp:p@ss:w/rd%;'\"x@127.0.0.1:5432/db";
    const std::string message = parseError(text).what();
    for (const char* part : {"p@ss", "ss:w", "w/rd", "rd%", "\"x", "sp:"})
        EXPECT_FALSE(contains(message, part)) << part << " in: " << message;
    EXPECT_TRUE(contains(message, "postgres://****@127.0.0.1:5432/db")) << message;
}
