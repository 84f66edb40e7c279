// The migrate commands (plugdb/migrate.h): each reads the history (the
// table, or a key-value engine's reserved keys), checks it against the
// folders and code migrations, and runs what it must under the migration lock.
#include <algorithm>
#include <map>

#include "history.h"
#include "history_check.h"
#include "kv_history.h"
#include "kv_lock.h"
#include "kv_runner.h"
#include "lock.h"
#include "migration_list.h"
#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/settings.h"
#include "runner.h"

namespace plugdb::migrate {
namespace {

void say(const Options& options, const std::string& line) {
    if (options.log) options.log(line);
}

// A key-value engine keeps the history under reserved keys (kv_history.h), a
// SQL engine in the history table.
bool keyValue(const Database& db) {
    return db.has(kCapKeyValue);
}

std::map<std::int64_t, Record> historyOf(Database& db, const Options& options) {
    if (keyValue(db)) return KvHistory(db, options).history();
    return HistoryTable(db, options).historyIfAny();
}

// Whether a code migration runs kvUp / kvDown here (on a SQL engine: one without up()).
bool runsKvSteps(const std::vector<Migration>& migrations) {
    for (const auto& migration : migrations)
        if (migration.code && !migration.code->up &&
            (migration.code->kvUp || migration.code->kvDown))
            return true;
    return false;
}

// Reverts the last `count` applied versions of `history` with `revert`.
template <class Revert>
int revertLast(const std::vector<Migration>& migrations,
               const std::map<std::int64_t, Record>& history, int count, Revert&& revert) {
    int reverted = 0;
    for (auto it = history.rbegin(); it != history.rend() && reverted < count; ++it) {
        const Record& record = it->second;
        if (!record.success) continue;
        if (record.kind == "baseline")
            throw Error(ErrorCategory::Config, "version " + std::to_string(record.version) +
                                                   " is a baseline; migrations below it cannot be "
                                                   "reverted");
        if (revert(*findMigration(migrations, record.version))) ++reverted;
    }
    return reverted;
}

}  // namespace

Options Options::fromConfig(const Config& config) {
    // Unset or empty keys read as the settings table's defaults.
    Options options;
    options.path = settings::text(config, "migrations.path");
    options.table = settings::text(config, "migrations.table");
    options.allowGaps = settings::boolean(config, "migrations.allow_gaps");
    options.allowOutOfOrder = settings::boolean(config, "migrate.out_of_order");
    options.lockTimeout = settings::duration(config, "migrations.lock_timeout");
    options.lock = settings::text(config, "migrations.lock");
    options.lockLease = settings::duration(config, "migrations.lock_lease");
    options.maxFileBytes =
        static_cast<std::size_t>(settings::integer(config, "limits.sql_file_bytes"));
    if (options.lockLease < std::chrono::seconds(1))
        throw Error(ErrorCategory::Config, "migrations.lock_lease must be at least 1s");
    return options;
}

const char* toString(State state) {
    switch (state) {
        case State::Pending:
            return "pending";
        case State::Applied:
            return "applied";
        case State::Changed:
            return "changed";
        case State::Failed:
            return "failed";
        case State::Missing:
            return "missing";
        case State::Baseline:
            return "baseline";
    }
    return "unknown";
}

Migrator::Migrator(Database& db, Options options)
    : db_(db),
      options_(std::move(options)),
      migrations_(migrationList(options_, db.info().driver, db.has(kCapKeyValue))) {}

std::vector<StatusEntry> Migrator::status() {
    const auto history = historyOf(db_, options_);
    std::map<std::int64_t, StatusEntry> entries;
    for (const auto& migration : migrations_) {
        StatusEntry entry;
        entry.version = migration.version;
        entry.name = migration.name;
        entries[migration.version] = entry;
    }
    for (const auto& [version, record] : history) {
        StatusEntry& entry = entries[version];
        const Migration* migration = findMigration(migrations_, version);
        entry.version = version;
        if (entry.name.empty()) entry.name = record.name;
        entry.appliedAt = record.appliedAt;
        entry.executionMs = record.executionMs;
        entry.appliedBy = record.appliedBy;
        entry.statementsApplied = record.statementsApplied;
        entry.statementsTotal = record.statementsTotal;
        entry.error = record.error;
        if (!record.success)
            entry.state = State::Failed;
        else if (record.kind == "baseline")
            entry.state = State::Baseline;
        else if (migration == nullptr)
            entry.state = State::Missing;
        else if (migration->checksum != record.checksum)
            entry.state = State::Changed;
        else
            entry.state = State::Applied;
    }
    std::vector<StatusEntry> out;
    for (auto& [version, entry] : entries) out.push_back(std::move(entry));
    return out;
}

void Migrator::validate() {
    check(migrations_, historyOf(db_, options_), true);
}

std::int64_t Migrator::currentVersion() {
    return highestApplied(historyOf(db_, options_));
}

int Migrator::up(std::optional<int> count) {
    if (keyValue(db_)) {
        KvHistory table(db_, options_);
        KvRunner runner(db_, options_, table);
        KvMigrationLock lock(db_, options_);
        const auto history = table.history();
        check(migrations_, history, true);
        int applied = 0;
        for (const Migration* migration : pending(migrations_, history, options_.allowOutOfOrder)) {
            if (count && applied >= *count) break;
            if (runner.applyUp(*migration)) ++applied;
        }
        return applied;
    }
    HistoryTable table(db_, options_);
    Runner runner(db_, options_, table);
    MigrationLock lock(db_, options_, runsKvSteps(migrations_));
    {
        Session session = db_.session();
        retryWhileBusy(options_.lockTimeout, [&] { table.createTable(session); });
    }
    const auto history = table.history(db_);
    check(migrations_, history, true);
    int applied = 0;
    for (const Migration* migration : pending(migrations_, history, options_.allowOutOfOrder)) {
        if (count && applied >= *count) break;
        std::optional<Record> failed;
        if (auto it = history.find(migration->version); it != history.end()) failed = it->second;
        if (runner.applyUp(*migration, failed)) ++applied;
    }
    return applied;
}

int Migrator::down(int count) {
    if (keyValue(db_)) {
        KvHistory table(db_, options_);
        KvRunner runner(db_, options_, table);
        KvMigrationLock lock(db_, options_);
        const auto history = table.history();
        check(migrations_, history, false);
        return revertLast(migrations_, history, count,
                          [&](const Migration& migration) { return runner.applyDown(migration); });
    }
    HistoryTable table(db_, options_);
    Runner runner(db_, options_, table);
    MigrationLock lock(db_, options_, runsKvSteps(migrations_));
    const auto history = table.historyIfAny();
    check(migrations_, history, false);
    return revertLast(migrations_, history, count,
                      [&](const Migration& migration) { return runner.applyDown(migration); });
}

int Migrator::gotoVersion(std::int64_t version) {
    if (version != 0 && findMigration(migrations_, version) == nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "there is no migration with version " + std::to_string(version));
    const auto history = historyOf(db_, options_);
    int above = 0;
    for (const auto& [v, record] : history)
        if (record.success && v > version) ++above;
    if (above > 0) return down(above);
    int below = 0;
    for (const auto& migration : migrations_) {
        auto record = history.find(migration.version);
        if (migration.version <= version && (record == history.end() || !record->second.success))
            ++below;
    }
    return below > 0 ? up(below) : 0;
}

int Migrator::repair() {
    if (keyValue(db_)) {
        KvHistory table(db_, options_);
        KvMigrationLock lock(db_, options_);
        int changed = 0;
        for (auto [version, record] : table.history()) {
            const Migration* migration = findMigration(migrations_, version);
            if (!record.success) {
                table.erase(version);
                say(options_, "forgot the failed attempt of " + record.name);
                ++changed;
            } else if (migration != nullptr && record.kind != "baseline" &&
                       record.checksum != migration->checksum) {
                record.checksum = migration->checksum;
                table.put(record);
                say(options_, "accepted the new checksum of " + migration->directory);
                ++changed;
            }
        }
        return changed;
    }
    HistoryTable table(db_, options_);
    MigrationLock lock(db_, options_);
    int changed = 0;
    table.writeHistory([&](auto& executor) {
        for (const auto& [version, record] : table.history(executor)) {
            const Migration* migration = findMigration(migrations_, version);
            if (!record.success) {
                executor.exec("DELETE FROM " + table.name() + " WHERE version = ?", {version});
                say(options_, "forgot the failed attempt of " + record.name);
                ++changed;
            } else if (migration != nullptr && record.kind != "baseline" &&
                       record.checksum != migration->checksum) {
                executor.exec("UPDATE " + table.name() + " SET checksum = ? WHERE version = ?",
                              {migration->checksum, version});
                say(options_, "accepted the new checksum of " + migration->directory);
                ++changed;
            }
        }
    });
    return changed;
}

void Migrator::force(std::int64_t version) {
    if (version != 0 && findMigration(migrations_, version) == nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "there is no migration with version " + std::to_string(version));
    if (keyValue(db_)) {
        KvHistory table(db_, options_);
        KvMigrationLock lock(db_, options_);
        const auto history = table.history();
        for (const auto& [v, record] : history)
            if (v > version) table.erase(v);
        for (const auto& migration : migrations_) {
            if (migration.version > version) break;
            auto record = history.find(migration.version);
            if (record != history.end() && record->second.success) continue;
            table.put(table.recordOf(migration, true, "forced", 0));
        }
        return;
    }
    HistoryTable table(db_, options_);
    MigrationLock lock(db_, options_);
    table.writeHistory([&](auto& executor) {
        const auto history = table.history(executor);
        executor.exec("DELETE FROM " + table.name() + " WHERE version > ?", {version});
        for (const auto& migration : migrations_) {
            if (migration.version > version) break;
            auto record = history.find(migration.version);
            if (record != history.end() && record->second.success) continue;
            const auto total = migration.up ? statementsFor(*migration.up, Target::of(db_)).size()
                                            : std::size_t{0};
            table.insertRecord(executor, migration, true, static_cast<int>(total),
                               static_cast<int>(total), 0, "forced");
        }
    });
}

void Migrator::baseline(std::int64_t version) {
    if (keyValue(db_)) {
        KvHistory table(db_, options_);
        KvMigrationLock lock(db_, options_);
        if (!table.history().empty())
            throw Error(ErrorCategory::Config,
                        "the database already has migration history under '" + options_.table +
                            "/' in namespace " + std::string(kKvNamespace) +
                            "; baseline is for a database that has none");
        bool exact = false;
        for (const auto& migration : migrations_) {
            if (migration.version > version) break;
            exact = exact || migration.version == version;
            table.put(table.recordOf(migration, true, "baseline", 0));
        }
        if (!exact) {
            Migration marker;
            marker.version = version;
            marker.name = "baseline";
            table.put(table.recordOf(marker, true, "baseline", 0));
        }
        return;
    }
    HistoryTable table(db_, options_);
    MigrationLock lock(db_, options_);
    table.writeHistory([&](auto& executor) {
        if (!table.history(executor).empty())
            throw Error(ErrorCategory::Config, "the database already has migration history in '" +
                                                   options_.table +
                                                   "'; baseline is for a database that has none");
        bool exact = false;
        for (const auto& migration : migrations_) {
            if (migration.version > version) break;
            exact = exact || migration.version == version;
            table.insertRecord(executor, migration, true, 0, 0, 0, "baseline");
        }
        if (!exact) {
            Migration marker;
            marker.version = version;
            marker.name = "baseline";
            table.insertRecord(executor, marker, true, 0, 0, 0, "baseline");
        }
    });
}

std::vector<std::pair<Migration, std::vector<std::string>>> Migrator::plan(
    std::optional<int> count) {
    HistoryTable table(db_, options_);
    const Runner runner(db_, options_, table);
    const auto history = historyOf(db_, options_);
    check(migrations_, history, true);
    std::vector<std::pair<Migration, std::vector<std::string>>> out;
    for (const Migration* migration : pending(migrations_, history, options_.allowOutOfOrder)) {
        if (count && static_cast<int>(out.size()) >= *count) break;
        if (migration->code) {  // runs no statements of its own
            out.emplace_back(*migration, std::vector<std::string>{});
            continue;
        }
        auto statements =
            checkedStatements(*migration, runner.upScript(*migration), runner.target());
        if (auto record = history.find(migration->version); record != history.end())
            statements.erase(
                statements.begin(),
                statements.begin() +
                    std::min<std::ptrdiff_t>(record->second.statementsApplied,
                                             static_cast<std::ptrdiff_t>(statements.size())));
        out.emplace_back(*migration, std::move(statements));
    }
    return out;
}

std::vector<std::pair<Migration, std::vector<std::string>>> Migrator::planOffline(
    const Options& options, const Target& target) {
    std::vector<std::pair<Migration, std::vector<std::string>>> out;
    for (auto& migration : migrationList(options, target.driver, /*keyValue=*/false)) {
        if (migration.code) {
            out.emplace_back(std::move(migration), std::vector<std::string>{});
            continue;
        }
        if (!migration.up)
            throw Error(ErrorCategory::Config, "migration " + migration.directory +
                                                   " has no up.sql and no up." + target.driver +
                                                   ".sql");
        auto statements = checkedStatements(migration, *migration.up, target);
        out.emplace_back(std::move(migration), std::move(statements));
    }
    return out;
}

}  // namespace plugdb::migrate
