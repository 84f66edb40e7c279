// The cockroach driver pointed at the PostgreSQL test server (tests/servers):
// CockroachDB itself cannot be installed on the test machines, so what is
// wire-level is tested against PostgreSQL answering through this driver.
#pragma once

#include <string>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "server_env.h"

namespace plugdb::test {

// cockroach://plugdb:...@127.0.0.1:<port>/plugdb, the server's URL with this scheme.
inline std::string cockroachUrl() {
    const std::string url = requireServerVariable("postgres.env", "PLUGDB_PG_URL");
    return "cockroach" + url.substr(url.find("://"));
}

inline Database openCockroach(const std::string& url, int maxAttempts = 0) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    if (maxAttempts > 0)
        config.set("transaction.max_attempts", std::to_string(maxAttempts), Layer::CommandLine,
                   "test");
    return Database::open(config);
}

// A fresh database on the test server with what CockroachDB has built in
// and PostgreSQL lacks: unique_rowid(), here a stand-in on a sequence
// (CockroachDB's values are unique but neither consecutive nor from a
// sequence). Returns its cockroach:// URL.
inline std::string freshCockroachDatabase(const std::string& name) {
    Database admin = openCockroach(cockroachUrl());
    admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    admin.exec("CREATE DATABASE " + name);
    const std::string url = withDatabase(cockroachUrl(), name);
    Database db = openCockroach(url);
    db.exec("CREATE SEQUENCE plugdb_test_rowid");
    db.exec(
        "CREATE FUNCTION unique_rowid() RETURNS INT8 LANGUAGE SQL "
        "AS 'SELECT nextval(''plugdb_test_rowid'')'");
    return url;
}

inline void dropCockroachDatabase(const std::string& name) {
    openCockroach(cockroachUrl()).exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

}  // namespace plugdb::test
