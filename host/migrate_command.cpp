// plugdb migrate: drives the core migration engine (core/include/plugdb/migrate.h).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "commands.h"
#include "output.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/registry.h"

namespace fs = std::filesystem;

namespace plugdb::host {
namespace {

Error usage(const std::string& message) {
    return Error(ErrorCategory::InvalidArgument, message + "; run 'plugdb migrate --help'");
}

std::int64_t parseNumber(const std::string& text, const std::string& what) {
    static const std::regex kNumber("[0-9]+");
    if (!std::regex_match(text, kNumber))
        throw usage(what + " must be a number, got '" + text + "'");
    try {
        return std::stoll(text);
    } catch (const std::exception&) {
        throw usage(what + " '" + text + "' is too large");
    }
}

void expectArgs(const Invocation& inv, std::size_t min, std::size_t max) {
    const std::size_t given = inv.args.size() - 1;
    if (given < min || given > max)
        throw usage("'migrate " + inv.args.front() + "' takes " +
                    (min == max ? std::to_string(min)
                                : std::to_string(min) + " to " + std::to_string(max)) +
                    " argument(s)");
}

migrate::Options optionsFor(const Invocation& inv) {
    migrate::Options options = migrate::Options::fromConfig(inv.config);
    if (inv.outOfOrder) options.allowOutOfOrder = true;
    options.log = [](const std::string& line) { std::cout << line << std::endl; };
    return options;
}

// Asks on the terminal; without one the caller must pass --yes.
bool confirm(const Invocation& inv, const std::string& question) {
    if (inv.yes) return true;
    if (isatty(STDIN_FILENO) == 0) throw usage(question + " needs confirmation: pass --yes");
    std::cout << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

int create(const Invocation& inv) {
    expectArgs(inv, 1, 1);
    const std::string& name = inv.args[1];
    static const std::regex kName("[A-Za-z0-9_\\-]+");
    if (!std::regex_match(name, kName))
        throw usage("a migration name uses letters, digits, '_' and '-', got '" + name + "'");
    const migrate::Options options = migrate::Options::fromConfig(inv.config);
    fs::create_directories(options.path);
    const auto existing =
        migrate::loadMigrations(options.path, "", options.allowGaps, options.maxFileBytes);
    const std::int64_t next = existing.empty() ? 1 : existing.back().version + 1;
    std::size_t width = 4;
    if (!existing.empty()) width = std::max(width, existing.back().directory.find('_'));
    std::string number = std::to_string(next);
    number.insert(0, width > number.size() ? width - number.size() : 0, '0');
    const fs::path folder = fs::path(options.path) / (number + "_" + name);
    fs::create_directories(folder);
    // Comments only: 'up' refuses the files until statements replace them.
    std::ofstream(folder / "up.sql")
        << "-- " << number << "_" << name
        << ": the change, in the portable subset (migrations/README.md).\n"
        << "-- Without statements it is refused; a migration meant to do nothing\n"
        << "-- says so with a line reading: -- plugdb:empty\n";
    std::ofstream(folder / "down.sql")
        << "-- " << number << "_" << name << ": undoes up.sql (the same rule for no statements)\n";
    std::cout << "created " << (folder / "up.sql").string() << " and "
              << (folder / "down.sql").string() << "\n";
    return kExitOk;
}

// `plan --driver NAME` with no database configured: the driver's declared
// dialect translates, and nothing is connected to.
bool plansOffline(const Invocation& inv) {
    const Setting* driver = inv.config.find("db.driver");
    if (driver == nullptr || driver->layer != Layer::CommandLine || driver->value.empty())
        return false;
    for (const char* key : {"db.url", "db.host", "db.port", "db.name", "db.path"})
        if (const Setting* setting = inv.config.find(key); setting && !setting->value.empty())
            return false;
    return true;
}

void printPlan(const std::vector<std::pair<migrate::Migration, std::vector<std::string>>>& plan,
               const std::string& where) {
    for (const auto& [migration, statements] : plan) {
        if (migration.code) {
            std::cout << "-- " << migration.directory << " (code migration, declared version '"
                      << migration.code->declaredVersion << "') " << where
                      << ": runs the program's function, no statements to show\n\n";
            continue;
        }
        std::cout << "-- " << migration.directory << " (" << migration.up->file << ") " << where
                  << "\n";
        for (const auto& statement : statements) std::cout << statement << ";\n";
        std::cout << "\n";
    }
}

int planOffline(const Invocation& inv, std::optional<int> count) {
    const LoadedDriver driver = DriverRegistry::instance().load(inv.config.getString("db.driver"),
                                                                inv.config.pluginSearchPath());
    auto plan = migrate::Migrator::planOffline(migrate::Options::fromConfig(inv.config),
                                               migrate::Target::of(driver));
    if (count && plan.size() > static_cast<std::size_t>(*count))
        plan.resize(static_cast<std::size_t>(*count));
    std::cout << "-- offline for " << driver.info.name
              << ": no database was consulted, so every migration is listed; against a database"
                 " 'plan' shows only the pending ones\n\n";
    if (plan.empty()) std::cout << "-- no migrations\n";
    printPlan(plan, "for " + driver.info.name);
    return kExitOk;
}

int status(const Invocation& inv, migrate::Migrator& migrator, std::int64_t current) {
    const Format format = parseFormat(inv.format, /*allowCsv=*/false);
    const auto entries = migrator.status();
    if (format == Format::Json) {
        std::cout << "{\"current\":" << current << ",\"migrations\":[";
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            std::cout << (i ? "," : "") << "{\"version\":" << e.version
                      << ",\"name\":" << jsonString(e.name)
                      << ",\"state\":" << jsonString(migrate::toString(e.state));
            if (e.state != migrate::State::Pending)
                std::cout << ",\"applied_at\":" << jsonString(e.appliedAt)
                          << ",\"execution_ms\":" << e.executionMs
                          << ",\"applied_by\":" << jsonString(e.appliedBy)
                          << ",\"statements_applied\":" << e.statementsApplied
                          << ",\"statements_total\":" << e.statementsTotal;
            if (!e.error.empty()) std::cout << ",\"error\":" << jsonString(e.error);
            std::cout << "}";
        }
        std::cout << "]}\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : entries) {
        const bool pending = e.state == migrate::State::Pending;
        rows.push_back({std::to_string(e.version), e.name, migrate::toString(e.state), e.appliedAt,
                        pending ? "" : std::to_string(e.executionMs), e.appliedBy,
                        pending ? ""
                                : std::to_string(e.statementsApplied) + "/" +
                                      std::to_string(e.statementsTotal)});
    }
    printTable({"version", "name", "state", "applied_at", "ms", "applied_by", "statements"}, rows,
               std::cout);
    std::cout << "current version: " << current << "\n";
    for (const auto& e : entries)
        if (!e.error.empty()) std::cout << "version " << e.version << ": " << e.error << "\n";
    return kExitOk;
}

}  // namespace

int runMigrate(const Invocation& inv) {
    if (inv.args.empty()) throw usage("'migrate' needs a subcommand");
    const std::string& action = inv.args.front();
    if (action == "create") return create(inv);
    std::optional<int> planCount;
    if (action == "plan") {
        expectArgs(inv, 0, 1);
        if (inv.args.size() > 1) planCount = static_cast<int>(parseNumber(inv.args[1], "N"));
        if (plansOffline(inv)) return planOffline(inv, planCount);
    }

    // plan runs nothing: like ping and sql it tries the server once.
    Database db = Database::open(action == "plan" ? oneShot(inv.config) : inv.config);
    migrate::Migrator migrator(db, optionsFor(inv));
    if (action == "up") {
        expectArgs(inv, 0, 1);
        std::optional<int> count;
        if (inv.args.size() > 1) count = static_cast<int>(parseNumber(inv.args[1], "N"));
        const int applied = migrator.up(count);
        std::cout << "applied " << applied << " migration(s); now at version "
                  << migrator.currentVersion() << "\n";
    } else if (action == "down") {
        expectArgs(inv, 0, 1);
        const int count = inv.args.size() > 1 ? static_cast<int>(parseNumber(inv.args[1], "N")) : 1;
        if (count > 1 && !confirm(inv, "revert " + std::to_string(count) + " migrations?"))
            return kExitUsage;
        const int reverted = migrator.down(count);
        std::cout << "reverted " << reverted << " migration(s); now at version "
                  << migrator.currentVersion() << "\n";
    } else if (action == "goto") {
        expectArgs(inv, 1, 1);
        const std::int64_t target = parseNumber(inv.args[1], "V");
        const std::int64_t current = migrator.currentVersion();
        int reverting = 0;
        for (const auto& entry : migrator.status())
            if (entry.version > target && entry.state != migrate::State::Pending) ++reverting;
        if (reverting > 1 &&
            !confirm(inv, "revert " + std::to_string(reverting) +
                              " migrations to go from version " + std::to_string(current) + " to " +
                              std::to_string(target) + "?"))
            return kExitUsage;
        migrator.gotoVersion(target);
        std::cout << "now at version " << migrator.currentVersion() << "\n";
    } else if (action == "status") {
        expectArgs(inv, 0, 0);
        return status(inv, migrator, migrator.currentVersion());
    } else if (action == "plan") {
        const auto plan = migrator.plan(planCount);
        if (plan.empty()) std::cout << "-- nothing to apply on " << db.info().driver << "\n";
        printPlan(plan, "on " + db.info().driver);
    } else if (action == "validate") {
        expectArgs(inv, 0, 0);
        migrator.validate();
        std::cout << "ok: " << migrator.migrations().size()
                  << " migration(s) found, applied files unchanged\n";
    } else if (action == "repair") {
        expectArgs(inv, 0, 0);
        std::cout << "repaired " << migrator.repair() << " history row(s)\n";
    } else if (action == "force") {
        expectArgs(inv, 1, 1);
        migrator.force(parseNumber(inv.args[1], "V"));
        std::cout << "recorded version " << migrator.currentVersion() << " (nothing executed)\n";
    } else if (action == "baseline") {
        expectArgs(inv, 1, 1);
        migrator.baseline(parseNumber(inv.args[1], "V"));
        std::cout << "baselined at version " << migrator.currentVersion() << "\n";
    } else {
        throw usage("unknown migrate subcommand '" + action + "'");
    }
    return kExitOk;
}

}  // namespace plugdb::host
