// plugdb-example-named-queries: a program that keeps its SQL in the
// repository's queries/ folder and runs it by name, the way an application
// would. It opens the database by configuration (--url, else DATABASE_URL and
// the other settings plugdb reads), applies the example schema of
// migrations/ when that folder is there, then checks every named query
// against it, adds a tenant with two users and a rule, and prints what the
// queries return. The same program runs on SQLite, PostgreSQL and
// MySQL/MariaDB; each engine gets its own variant of a query where it has one.
//
//   plugdb-example-named-queries [--url URL] [--queries DIR] [--migrations DIR]
//
// Run from the repository root, the defaults ./queries and ./migrations apply.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/uuid.h"

namespace {

void print(plugdb::Rows rows) {
    while (rows.next()) {
        std::cout << " ";
        for (std::size_t i = 0; i < rows.columns().size(); ++i)
            std::cout << " " << rows.columns()[i].name << "=" << rows.value(i).toString();
        std::cout << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    plugdb::Config config = plugdb::Config::withDefaults();
    try {
        config.loadEnvironment();
        const std::vector<std::pair<std::string, std::string>> flags{
            {"--url", "db.url"},
            {"--queries", "queries.path"},
            {"--migrations", "migrations.path"}};
        while (args.size() >= 2) {
            bool known = false;
            for (const auto& [flag, key] : flags)
                if (args[0] == flag) {
                    config.set(key, args[1], plugdb::Layer::CommandLine, flag);
                    known = true;
                }
            if (!known) break;
            args.erase(args.begin(), args.begin() + 2);
        }
        if (!args.empty()) {
            std::cerr << "usage: plugdb-example-named-queries [--url URL] [--queries DIR] "
                         "[--migrations DIR]\n";
            return 64;
        }
        // The tables come from the migrations, after the database opened: the
        // queries are prepared (checked) once they exist, not in open().
        config.set("queries.prepare_on_open", "false", plugdb::Layer::CommandLine, "example");
        plugdb::Database db = plugdb::Database::open(config);
        plugdb::migrate::Options options = plugdb::migrate::Options::fromConfig(config);
        std::error_code ec;
        if (std::filesystem::is_directory(options.path, ec))
            plugdb::migrate::Migrator(db, options).up();
        db.checkNamedQueries();
        std::cout << db.namedQueries().all().size() << " named queries from "
                  << db.namedQueries().folder() << " checked on " << db.info().driver << "\n";

        const std::string tenant = plugdb::newUuidV7();
        const std::string ada = plugdb::newUuidV7();
        const std::string rule = plugdb::newUuidV7();
        const std::string slug = "example-" + tenant.substr(tenant.size() - 8);
        db.transact([&](plugdb::Transaction& tx) {
            tx.namedExec("create-tenant",
                         {{"id", tenant}, {"name", "Example Ltd"}, {"slug", slug}});
            tx.namedExec("create-user", {{"id", ada},
                                         {"tenant_id", tenant},
                                         {"email", "ada@example.test"},
                                         {"display_name", "Ada Lovelace"},
                                         {"role", "owner"}});
            tx.namedExec("create-user", {{"id", plugdb::newUuidV7()},
                                         {"tenant_id", tenant},
                                         {"email", "grace@example.test"},
                                         {"display_name", "Grace Hopper"},
                                         {"role", "member"}});
            tx.namedExec("create-rule", {{"id", rule},
                                         {"tenant_id", tenant},
                                         {"created_by", ada},
                                         {"name", "large-order"},
                                         {"expression", "order.total > 1000"},
                                         {"priority", 10}});
            for (const char* event : {"created", "evaluated"})
                tx.namedExec("log-rule-event",
                             {{"rule_id", rule}, {"event", event}, {"detail", nullptr}});
        });

        std::cout << "get-tenant:\n";
        print(db.named("get-tenant", {{"tenant_id", tenant}}));
        std::cout << "tenant-users:\n";
        print(db.named("tenant-users", {{"tenant_id", tenant}}));
        std::cout << "find-users '%HOPPER%':\n";
        print(db.named("find-users", {{"tenant_id", tenant}, {"pattern", "%HOPPER%"}}));
        std::cout << "user-labels:\n";
        print(db.named("user-labels", {{"tenant_id", tenant}}));
        std::cout << "count-rules:\n";
        print(db.named("count-rules", {{"tenant_id", tenant}}));
        std::cout << "rule-event-counts:\n";
        print(db.named("rule-event-counts", {{"tenant_id", tenant}}));
        return 0;
    } catch (const plugdb::Error& e) {
        std::cerr << "plugdb-example-named-queries: " << e.what() << "\n";
        return 1;
    }
}
