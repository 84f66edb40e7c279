// plugdb-example-kv-migrations: a program that registers code migrations
// (app_migrations.cpp) next to an SQL folder and runs them, the way an
// application would at start-up or from its own command line. The same
// program runs on SQLite, PostgreSQL, MySQL/MariaDB and RocksDB, chosen by
// the URL (--url, else DATABASE_URL and the other settings plugdb reads).
//
//   plugdb-example-kv-migrations [--url URL] [--sql DIR] COMMAND
//     seed       writes two users in layout 1 (before 'up', to see the rewrite)
//     up [N]     applies the pending migrations, or the next N
//     down [N]   reverts the last one, or the last N
//     status     one line per migration
//     dump       the pairs of namespace "app"
//
// --sql DIR adds the SQL migrations of DIR (this folder's sql/) on SQL
// engines; a key-value engine runs only the code migrations.
#include <iostream>
#include <string>
#include <vector>

#include "app_migrations.h"
#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"

namespace {

int usage() {
    std::cerr << "usage: plugdb-example-kv-migrations [--url URL] [--sql DIR] "
                 "seed | up [N] | down [N] | status | dump\n";
    return 64;
}

int status(plugdb::migrate::Migrator& migrator) {
    for (const auto& entry : migrator.status()) {
        std::cout << entry.version << " " << entry.name << " "
                  << plugdb::migrate::toString(entry.state);
        if (!entry.error.empty()) std::cout << " (" << entry.error << ")";
        std::cout << "\n";
    }
    std::cout << "current version: " << migrator.currentVersion() << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    plugdb::Config config = plugdb::Config::withDefaults();
    std::string sqlDir;
    try {
        config.loadEnvironment();
        while (args.size() >= 2 && (args[0] == "--url" || args[0] == "--sql")) {
            if (args[0] == "--url")
                config.set("db.url", args[1], plugdb::Layer::CommandLine, "--url");
            else
                sqlDir = args[1];
            args.erase(args.begin(), args.begin() + 2);
        }
        if (args.empty() || args.size() > 2) return usage();
        const std::string command = args[0];
        const int count = args.size() == 2 ? std::stoi(args[1]) : 0;

        plugdb::Database db = plugdb::Database::open(config);
        plugdb::KeyValue app = db.kv(example::kNamespace);
        if (command == "seed") {
            app.put("user:1", "Ada");
            app.put("user:2", "Grace \"Amazing\" Hopper");
            return 0;
        }
        if (command == "dump") {
            auto pairs = app.scanPrefix("");
            while (pairs.next()) std::cout << pairs.key() << "=" << pairs.value() << "\n";
            return 0;
        }

        plugdb::migrate::Options options = plugdb::migrate::Options::fromConfig(config);
        // The SQL folder applies to SQL engines; a key-value engine would refuse it.
        options.path = db.has(plugdb::kCapKeyValue) ? "" : sqlDir;
        options.code = example::appMigrations();
        options.log = [](const std::string& line) { std::cout << line << "\n"; };
        plugdb::migrate::Migrator migrator(db, options);
        if (command == "up") {
            const int applied = count > 0 ? migrator.up(count) : migrator.up();
            std::cout << "applied " << applied << ", now at version " << migrator.currentVersion()
                      << "\n";
        } else if (command == "down") {
            const int reverted = migrator.down(count > 0 ? count : 1);
            std::cout << "reverted " << reverted << ", now at version " << migrator.currentVersion()
                      << "\n";
        } else if (command == "status") {
            return status(migrator);
        } else {
            return usage();
        }
        return 0;
    } catch (const plugdb::Error& e) {
        std::cerr << "plugdb-example-kv-migrations: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {  // std::stoi
        std::cerr << "plugdb-example-kv-migrations: " << e.what() << "\n";
        return usage();
    }
}
