// secrets::mask and secrets::remember: what leaves the process never shows a password.
#include "plugdb/secrets.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using namespace plugdb;

// Secrets are remembered for the life of the process, so every test uses its own.

TEST(Secrets, UrlPasswordsAreMasked) {
    EXPECT_EQ(secrets::mask("connecting to postgres://app:pw1@db:5432/shop failed"),
              "connecting to postgres://app:****@db:5432/shop failed");
    EXPECT_EQ(secrets::mask("mysql://root:p%40ss@h/db and redis://u:x@cache"),
              "mysql://root:****@h/db and redis://u:****@cache");
    EXPECT_EQ(secrets::mask("postgresql+asyncpg://u:a:b@h"), "postgresql+asyncpg://u:****@h")
        << "the password runs from the first ':' to the last '@'";
    EXPECT_EQ(secrets::mask("'postgres://u:zz@h/db'"), "'postgres://u:****@h/db'");
}

TEST(Secrets, UrlsWithoutPasswordsAreUnchanged) {
    for (const char* text :
         {"postgres://app@db:5432/shop", "postgres://db:5432/shop", "postgres://app:@db/shop",
          "sqlite:./var/plugdb.db", "http://127.0.0.1:8080/health", "see https://x.org/a:b@c"}) {
        EXPECT_EQ(secrets::mask(text), text);
    }
}

TEST(Secrets, KeyValuePasswordsAreMasked) {
    EXPECT_EQ(secrets::mask("host=db password=kv1 dbname=shop"),
              "host=db password=**** dbname=shop");
    EXPECT_EQ(secrets::mask("Server=db;Uid=app;Pwd=kv2;Database=x"),
              "Server=db;Uid=app;Pwd=****;Database=x");
    EXPECT_EQ(secrets::mask("sqlite:x.db?mode=ro&password=kv3&cache=shared"),
              "sqlite:x.db?mode=ro&password=****&cache=shared");
    EXPECT_EQ(secrets::mask("passwd=a,secret=b,token=c,other=d"),
              "passwd=****,secret=****,token=****,other=d");
    EXPECT_EQ(secrets::mask("PASSWORD=kv4 SslPassword=kv5"), "PASSWORD=**** SslPassword=****");
    EXPECT_EQ(secrets::mask("--set db.password=kv6"), "--set db.password=****");
    EXPECT_EQ(secrets::mask("password = kv7 next"), "password = **** next");
}

TEST(Secrets, QuotedKeyValuePasswordsAreMasked) {
    EXPECT_EQ(secrets::mask("host=db password='two words' user=app"),
              "host=db password='****' user=app");
    EXPECT_EQ(secrets::mask(R"(password='it\'s' x=1)"), "password='****' x=1");
    EXPECT_EQ(secrets::mask(R"(password="dq value" x=1)"), R"(password="****" x=1)");
}

TEST(Secrets, JsonPasswordsAreMasked) {
    EXPECT_EQ(secrets::mask(R"({"user":"app","password":"js1","port":5432})"),
              R"({"user":"app","password":"****","port":5432})");
    EXPECT_EQ(secrets::mask(R"({"db_password" : "js2", "token": 12345})"),
              R"({"db_password" : "****", "token": ****})");
    EXPECT_EQ(secrets::mask(R"({"password":"with \"quote\"","x":1})"),
              R"({"password":"****","x":1})");
    EXPECT_EQ(secrets::mask(R"({"password": null})"), R"({"password": null})");
}

TEST(Secrets, SimilarKeysAreNotMasked) {
    for (const char* text :
         {"password_file=/run/secrets/db", "tokens=3", "user=app", "password is wrong",
          "passwordless login", "x == password", R"({"password_file":"/run/pw"})"}) {
        EXPECT_EQ(secrets::mask(text), text);
    }
}

TEST(Secrets, RememberedSecretsAreMaskedAnywhere) {
    secrets::remember("Remembered-Secret-1");
    EXPECT_EQ(secrets::mask("auth failed with Remembered-Secret-1 for app"),
              "auth failed with **** for app");
    EXPECT_EQ(secrets::mask("Remembered-Secret-1Remembered-Secret-1"), "********");
}

TEST(Secrets, LongestRememberedSecretWins) {
    secrets::remember("abc-overlap");
    secrets::remember("abc-overlap-longer");
    EXPECT_EQ(secrets::mask("x abc-overlap-longer y"), "x **** y")
        << "a shorter secret inside a longer one must not leave the rest visible";
}

TEST(Secrets, ShortSecretsOnlyMaskedStructurally) {
    secrets::remember("ab");
    EXPECT_EQ(secrets::mask("table ab and tab"), "table ab and tab");
    EXPECT_EQ(secrets::mask("postgres://u:ab@h"), "postgres://u:****@h");
    secrets::remember("");
    EXPECT_EQ(secrets::mask("nothing"), "nothing");
}

TEST(Secrets, PlainTextIsUnchanged) {
    const std::string text = "SELECT id, name FROM users WHERE name = 'x' -- ok";
    EXPECT_EQ(secrets::mask(text), text);
    EXPECT_EQ(secrets::mask(""), "");
}

TEST(Secrets, RememberAndMaskAreThreadSafe) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i) {
                const std::string secret =
                    "thread-" + std::to_string(t) + "-secret-" + std::to_string(i);
                secrets::remember(secret);
                EXPECT_EQ(secrets::mask("v=" + secret + "."), "v=****.");
            }
        });
    }
    for (auto& thread : threads) thread.join();
}

// One rule for configuration keys, driver options and the pairs mask() hides.
TEST(Secrets, SecretNames) {
    for (const char* name :
         {"password", "PGPASSWORD", "db_password", "sslpassword", "Pwd", "passwd", "token",
          "auth_token", "client_secret", "secret_key", "password-hash", "api_token_v2",
          "db.password", "db.options.sslpassword", "db.options.key", "DB.OPTIONS.KEY"}) {
        EXPECT_TRUE(secrets::isSecretName(name)) << name;
    }
    for (const char* name :
         {"password_file", "db.password_file", "DB_PASSWORD_FILE", "tokens", "passwordless", "user",
          "key", "sslkey", "db.options.sslkey", "primary_key", "db.url", ""}) {
        EXPECT_FALSE(secrets::isSecretName(name)) << name;
    }
}

TEST(Secrets, MaskingFollowsTheSecretNameRule) {
    // Names the configuration always treated as secrets are masked in text too.
    EXPECT_EQ(secrets::mask("secret_key=sn1 x=1"), "secret_key=**** x=1");
    EXPECT_EQ(secrets::mask("--set db.options.key=sn2"), "--set db.options.key=****");
    EXPECT_EQ(secrets::mask(R"({"api_token_v2":"sn3"})"), R"({"api_token_v2":"****"})");
    EXPECT_EQ(secrets::mask("--set KEY=VALUE"), "--set KEY=VALUE") << "a bare key is no secret";
}
