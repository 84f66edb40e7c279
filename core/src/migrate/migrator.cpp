// Applying and reverting migrations with a history table.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>

#include "lock.h"
#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"
#include "plugdb/settings.h"
#include "plugdb/sql.h"

namespace plugdb::migrate {
namespace {

// One row of the history table.
struct Record {
    std::int64_t version = 0;
    std::string name;
    std::string checksum;
    std::string appliedAt;
    std::int64_t executionMs = 0;
    std::string appliedBy;
    bool success = false;
    int statementsApplied = 0;
    int statementsTotal = 0;
    std::string kind;  // "migration", "baseline", "forced"
    std::string error;
    std::string appliedChecksum;  // of the statements applied so far (statement-level runs)
};

std::string nowIso() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis));
    return text;
}

std::string defaultAppliedBy() {
    const char* user = std::getenv("USER");
    if (user == nullptr)
        if (const passwd* entry = getpwuid(geteuid())) user = entry->pw_name;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(user != nullptr ? user : "unknown") + "@" + host;
}

// Fingerprint of the first `count` statements, to tell whether a resumed
// migration still starts with the statements that already ran.
std::string appliedChecksum(const std::vector<std::string>& statements, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += statements[i] + "\n;\n";
    return checksum(text);
}

// The statements of a script, refusing one without any unless it says it is
// meant to be empty: an unedited template must not be recorded as applied.
std::vector<std::string> checkedStatements(const Migration& migration, const Script& script,
                                           const Target& target) {
    auto statements = statementsFor(script, target);
    if (statements.empty() && !emptyMarker(script.text))
        throw Error(ErrorCategory::Config,
                    "migration " + migration.directory + ": " + script.file +
                        " has no statements (only comments or blank lines); write the change, "
                        "or add a line '-- plugdb:empty' if it is meant to do nothing");
    return statements;
}

// "1 statement", "3 statements".
std::string statementCount(std::size_t count) {
    return std::to_string(count) + (count == 1 ? " statement" : " statements");
}

std::int64_t elapsedMs(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 since)
        .count();
}

// A failed revert's history record: its error starts with this.
constexpr std::string_view kRevertFailure = "reverting: ";

// Everything a command needs: the database, its quirks and the history table.
class Engine {
public:
    Engine(Database& db, const Options& options)
        : db_(db),
          options_(options),
          driver_(db.info().driver),
          target_(Target::of(db)),
          transactionalDdl_(db.has(kCapTransactionalDdl)),
          transactions_(db.has(kCapTransactions)),
          table_(sql::quoteIdentifier(options.table, db.dialect())) {}

    const std::string& driver() const { return driver_; }
    const Target& target() const { return target_; }

    void log(const std::string& line) const {
        if (options_.log) options_.log(line);
    }

    void createTable(Session& session) {
        session.executeScript(
            "CREATE TABLE IF NOT EXISTS " + table_ +
            " (version BIGINT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL,"
            " checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(32) NOT NULL,"
            " execution_ms BIGINT NOT NULL, applied_by VARCHAR(255) NOT NULL,"
            " success SMALLINT NOT NULL, statements_applied INTEGER NOT NULL,"
            " statements_total INTEGER NOT NULL, kind VARCHAR(16) NOT NULL, error TEXT,"
            " applied_checksum VARCHAR(64))");
    }

    template <class Executor>
    std::map<std::int64_t, Record> history(Executor& executor) {
        std::map<std::int64_t, Record> records;
        auto rows = executor.query(
            "SELECT version, name, checksum, applied_at, execution_ms, applied_by, success,"
            " statements_applied, statements_total, kind, error, applied_checksum FROM " +
            table_ + " ORDER BY version");
        while (rows.next()) {
            Record r;
            r.version = rows.getInt(0);
            r.name = rows.getText(1);
            r.checksum = rows.getText(2);
            r.appliedAt = rows.getText(3);
            r.executionMs = rows.getInt(4);
            r.appliedBy = rows.getText(5);
            r.success = rows.getInt(6) != 0;
            r.statementsApplied = static_cast<int>(rows.getInt(7));
            r.statementsTotal = static_cast<int>(rows.getInt(8));
            r.kind = rows.getText(9);
            r.error = rows.getOptionalText(10).value_or("");
            r.appliedChecksum = rows.getOptionalText(11).value_or("");
            records.emplace(r.version, std::move(r));
        }
        return records;
    }

    // The history without creating the table: empty when it does not exist yet.
    std::map<std::int64_t, Record> historyIfAny() {
        Session session = db_.session();
        try {
            return history(session);
        } catch (const Error& e) {
            if (e.category() == ErrorCategory::Syntax) return {};  // no such table
            throw;
        }
    }

    std::optional<Record> record(Transaction& tx, std::int64_t version) {
        auto rows = tx.query("SELECT success FROM " + table_ + " WHERE version = ?", {version});
        if (!rows.next()) return std::nullopt;
        Record r;
        r.version = version;
        r.success = rows.getInt(0) != 0;
        return r;
    }

    template <class Executor>
    void insertRecord(Executor& executor, const Migration& migration, bool success, int applied,
                      int total, std::int64_t executionMs, const std::string& kind) {
        executor.exec("DELETE FROM " + table_ + " WHERE version = ?", {migration.version});
        executor.exec(
            "INSERT INTO " + table_ +
                " (version, name, checksum, applied_at, execution_ms, applied_by, success,"
                " statements_applied, statements_total, kind, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            {migration.version, migration.name, migration.checksum, nowIso(), executionMs,
             appliedBy(), success ? 1 : 0, applied, total, kind});
    }

    std::string appliedBy() const {
        return options_.appliedBy.empty() ? defaultAppliedBy() : options_.appliedBy;
    }

    Error statementError(const Migration& migration, const Script& script, std::size_t index,
                         std::size_t total, const Error& e) const {
        return Error(e.category(),
                     "migration " + migration.directory + " failed: " + script.file +
                         ", statement " + std::to_string(index + 1) + " of " +
                         std::to_string(total) + ", " + driver_ + " said: " + e.what(),
                     e.details());
    }

    const Script& upScript(const Migration& migration) const {
        if (!migration.up)
            throw Error(ErrorCategory::Config, "migration " + migration.directory +
                                                   " has no up.sql and no up." + driver_ + ".sql");
        return *migration.up;
    }

    // Applies one migration; false when another migrator applied it first.
    bool applyUp(const Migration& migration, const std::optional<Record>& failed) {
        const Script& script = upScript(migration);
        const auto statements = checkedStatements(migration, script, target_);
        const auto started = std::chrono::steady_clock::now();
        const int total = static_cast<int>(statements.size());
        if (transactionalDdl_ && !noTransactionMarker(script.text)) {
            log("applying " + migration.directory + " (" + statementCount(statements.size()) +
                ", one transaction)");
            Session session = db_.session();
            Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
            if (auto existing = record(tx, migration.version); existing && existing->success)
                return false;
            for (std::size_t i = 0; i < statements.size(); ++i) {
                try {
                    session.executeScript(statements[i]);
                } catch (const Error& e) {
                    throw statementError(migration, script, i, statements.size(), e);
                }
                log(migration.directory + ": statement " + std::to_string(i + 1) + " of " +
                    std::to_string(total) + " done");
            }
            insertRecord(tx, migration, true, total, total, elapsedMs(started), "migration");
            tx.commit();
            return true;
        }

        // DDL commits on its own here: record each statement as it completes,
        // so a failure or a crash resumes at the statement that did not finish.
        // A data statement commits in one transaction with its record, so a
        // crash can neither repeat nor skip it; a DDL statement's record is a
        // separate write just after it (migrations/README.md).
        Session session = db_.session();
        std::size_t from = 0;
        if (failed) {
            from = static_cast<std::size_t>(failed->statementsApplied);
            if (from > statements.size())
                throw Error(ErrorCategory::Config, "migration " + migration.directory +
                                                       " recorded " + std::to_string(from) +
                                                       " statements applied but " + script.file +
                                                       " now has " + std::to_string(total) +
                                                       "; fix the file or use 'migrate force'");
            // Resuming is only sound when the statements that already ran are unchanged.
            if (from > 0 && appliedChecksum(statements, from) != failed->appliedChecksum)
                throw Error(ErrorCategory::Config,
                            "statements 1 to " + std::to_string(from) + " of " + script.file +
                                " already ran but were changed since; restore them and change "
                                "only statement " +
                                std::to_string(from + 1) +
                                " or later, or use 'migrate repair' / 'migrate force'");
            session.exec("UPDATE " + table_ +
                             " SET checksum = ?, statements_total = ?, error = NULL,"
                             " applied_by = ? WHERE version = ?",
                         {migration.checksum, total, appliedBy(), migration.version});
            log("resuming " + migration.directory + " at statement " + std::to_string(from + 1) +
                " of " + std::to_string(total));
        } else {
            insertRecord(session, migration, false, 0, total, 0, "migration");
            log("applying " + migration.directory + " (" + statementCount(statements.size()) +
                ", recorded one by one)");
        }
        for (std::size_t i = from; i < statements.size(); ++i) {
            const std::vector<Value> progress{
                static_cast<int>(i + 1), appliedChecksum(statements, i + 1), migration.version};
            const std::string recordProgress =
                "UPDATE " + table_ +
                " SET statements_applied = ?, applied_checksum = ? WHERE version = ?";
            std::optional<Error> failure;
            if (transactions_ && isDataStatement(statements[i])) {
                Transaction tx =
                    retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
                try {
                    session.executeScript(statements[i]);
                } catch (const Error& e) {
                    failure = statementError(migration, script, i, statements.size(), e);
                }
                if (!failure) {
                    tx.exec(recordProgress, progress);
                    tx.commit();
                }
            } else {
                try {
                    session.executeScript(statements[i]);
                } catch (const Error& e) {
                    failure = statementError(migration, script, i, statements.size(), e);
                }
                if (!failure) session.exec(recordProgress, progress);
            }
            if (failure) {
                try {
                    session.exec("UPDATE " + table_ + " SET error = ? WHERE version = ?",
                                 {std::string(failure->what()), migration.version});
                } catch (const Error&) {
                    // The statement's error matters more than the bookkeeping's.
                }
                throw *failure;
            }
            log(migration.directory + ": statement " + std::to_string(i + 1) + " of " +
                std::to_string(total) + " done");
        }
        session.exec("UPDATE " + table_ +
                         " SET success = 1, applied_at = ?, execution_ms = ? WHERE version = ?",
                     {nowIso(), elapsedMs(started), migration.version});
        return true;
    }

    // Reverts one applied migration; false when another migrator reverted it first.
    bool applyDown(const Migration& migration) {
        if (!migration.down)
            throw Error(ErrorCategory::Config,
                        "migration " + migration.directory + " has no down script for " + driver_ +
                            " (down.sql or down." + driver_ + ".sql); it cannot be reverted");
        const Script& script = *migration.down;
        const auto statements = checkedStatements(migration, script, target_);
        const std::size_t total = statements.size();
        log("reverting " + migration.directory + " (" + statementCount(total) + ")");
        Session session = db_.session();
        if (transactionalDdl_ && !noTransactionMarker(script.text)) {
            Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
            if (auto existing = record(tx, migration.version); !existing || !existing->success)
                return false;
            for (std::size_t i = 0; i < total; ++i) {
                try {
                    session.executeScript(statements[i]);
                } catch (const Error& e) {
                    throw statementError(migration, script, i, total, e);
                }
            }
            tx.exec("DELETE FROM " + table_ + " WHERE version = ?", {migration.version});
            tx.commit();
            return true;
        }
        for (std::size_t i = 0; i < total; ++i) {
            try {
                session.executeScript(statements[i]);
            } catch (const Error& e) {
                Error error = statementError(migration, script, i, total, e);
                try {
                    session.exec(
                        "UPDATE " + table_ + " SET success = 0, error = ? WHERE version = ?",
                        {std::string(kRevertFailure) + error.what(), migration.version});
                } catch (const Error&) {
                }
                throw Error(error.category(),
                            std::string(error.what()) +
                                "; the revert stopped half way: repair the database by hand, "
                                "then record the version with 'migrate force'",
                            error.details());
            }
        }
        session.exec("DELETE FROM " + table_ + " WHERE version = ?", {migration.version});
        return true;
    }

    // Runs fn in one transaction (engines with transactions) or directly.
    template <class Fn>
    void writeHistory(Fn&& fn) {
        Session session = db_.session();
        createTable(session);
        if (db_.has(kCapTransactions)) {
            Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
            fn(tx);
            tx.commit();
        } else {
            fn(session);
        }
    }

    Database& db_;
    const Options& options_;
    std::string driver_;
    Target target_;
    bool transactionalDdl_;
    bool transactions_;
    std::string table_;
};

const Migration* findMigration(const std::vector<Migration>& migrations, std::int64_t version) {
    for (const auto& migration : migrations)
        if (migration.version == version) return &migration;
    return nullptr;
}

// Refuses to go on when applied files changed, went missing, or a failed
// migration's file was not fixed.
void check(const std::vector<Migration>& migrations, const std::map<std::int64_t, Record>& history,
           bool forUp) {
    for (const auto& [version, record] : history) {
        const Migration* migration = findMigration(migrations, version);
        if (migration == nullptr) {
            if (record.kind == "baseline") continue;
            throw Error(ErrorCategory::Config,
                        "migration " + std::to_string(version) + " (" + record.name +
                            ") is recorded in the history but its folder is missing");
        }
        if (!record.success) {
            if (record.error.starts_with(kRevertFailure)) {
                // Its down script stopped part way: up.sql is not what failed, and
                // neither up nor down may go on from a database between versions.
                std::int64_t below = 0;  // the version force accepts as "reverted"
                for (const auto& other : migrations)
                    if (other.version < version) below = std::max(below, other.version);
                throw Error(ErrorCategory::Config,
                            "migration " + migration->directory + " failed while being reverted (" +
                                record.error.substr(kRevertFailure.size()) +
                                "). The database is between versions " + std::to_string(below) +
                                " and " + std::to_string(version) +
                                ": finish or undo the revert by hand, then record where it is"
                                " with 'migrate force " +
                                std::to_string(below) + "' (reverted) or 'migrate force " +
                                std::to_string(version) + "' (still applied)");
            }
            if (!forUp) continue;
            if (!record.error.empty() && record.checksum == migration->checksum)
                throw Error(ErrorCategory::Config,
                            "migration " + migration->directory + " failed (" + record.error +
                                "). Fix " + (migration->up ? migration->up->file : "its up.sql") +
                                " and run 'migrate up' again: it resumes at statement " +
                                std::to_string(record.statementsApplied + 1) +
                                ". 'migrate repair' forgets the failure instead");
            continue;
        }
        if (record.kind != "baseline" && record.checksum != migration->checksum)
            throw Error(ErrorCategory::Config,
                        "migration " + migration->directory + " was edited after it was applied" +
                            " (checksum " + record.checksum.substr(0, 12) + " recorded, " +
                            migration->checksum.substr(0, 12) + " now in " +
                            (migration->up ? migration->up->file : migration->directory) +
                            "); restore the file, or run 'migrate repair' to accept the change");
    }
}

std::int64_t highestApplied(const std::map<std::int64_t, Record>& history) {
    std::int64_t highest = 0;
    for (const auto& [version, record] : history)
        if (record.success) highest = std::max(highest, version);
    return highest;
}

// Pending migrations in order, refusing out-of-order ones unless allowed.
std::vector<const Migration*> pending(const std::vector<Migration>& migrations,
                                      const std::map<std::int64_t, Record>& history,
                                      bool allowOutOfOrder) {
    const std::int64_t highest = highestApplied(history);
    std::vector<const Migration*> out;
    for (const auto& migration : migrations) {
        auto record = history.find(migration.version);
        if (record != history.end() && record->second.success) continue;
        if (migration.version < highest && !allowOutOfOrder && record == history.end())
            throw Error(ErrorCategory::Config,
                        "migration " + migration.directory + " is pending but version " +
                            std::to_string(highest) +
                            " is already applied; apply it anyway with --out-of-order "
                            "(migrate.out_of_order=true)");
        out.push_back(&migration);
    }
    return out;
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
      migrations_(loadMigrations(options_.path, db.info().driver, options_.allowGaps,
                                 options_.maxFileBytes)) {}

std::vector<StatusEntry> Migrator::status() {
    Engine engine(db_, options_);
    const auto history = engine.historyIfAny();
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
    Engine engine(db_, options_);
    check(migrations_, engine.historyIfAny(), true);
}

std::int64_t Migrator::currentVersion() {
    Engine engine(db_, options_);
    return highestApplied(engine.historyIfAny());
}

int Migrator::up(std::optional<int> count) {
    Engine engine(db_, options_);
    MigrationLock lock(db_, options_);
    {
        Session session = db_.session();
        retryWhileBusy(options_.lockTimeout, [&] { engine.createTable(session); });
    }
    const auto history = engine.history(db_);
    check(migrations_, history, true);
    int applied = 0;
    for (const Migration* migration : pending(migrations_, history, options_.allowOutOfOrder)) {
        if (count && applied >= *count) break;
        std::optional<Record> failed;
        if (auto it = history.find(migration->version); it != history.end()) failed = it->second;
        if (engine.applyUp(*migration, failed)) ++applied;
    }
    return applied;
}

int Migrator::down(int count) {
    Engine engine(db_, options_);
    MigrationLock lock(db_, options_);
    const auto history = engine.historyIfAny();
    check(migrations_, history, false);
    int reverted = 0;
    for (auto it = history.rbegin(); it != history.rend() && reverted < count; ++it) {
        const Record& record = it->second;
        if (!record.success) continue;
        if (record.kind == "baseline")
            throw Error(ErrorCategory::Config, "version " + std::to_string(record.version) +
                                                   " is a baseline; migrations below it cannot be "
                                                   "reverted");
        const Migration* migration = findMigration(migrations_, record.version);
        if (engine.applyDown(*migration)) ++reverted;
    }
    return reverted;
}

int Migrator::gotoVersion(std::int64_t version) {
    if (version != 0 && findMigration(migrations_, version) == nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "there is no migration with version " + std::to_string(version));
    Engine engine(db_, options_);
    const auto history = engine.historyIfAny();
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
    Engine engine(db_, options_);
    MigrationLock lock(db_, options_);
    int changed = 0;
    engine.writeHistory([&](auto& executor) {
        for (const auto& [version, record] : engine.history(executor)) {
            const Migration* migration = findMigration(migrations_, version);
            if (!record.success) {
                executor.exec("DELETE FROM " + engine.table_ + " WHERE version = ?", {version});
                engine.log("forgot the failed attempt of " + record.name);
                ++changed;
            } else if (migration != nullptr && record.kind != "baseline" &&
                       record.checksum != migration->checksum) {
                executor.exec("UPDATE " + engine.table_ + " SET checksum = ? WHERE version = ?",
                              {migration->checksum, version});
                engine.log("accepted the new checksum of " + migration->directory);
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
    Engine engine(db_, options_);
    MigrationLock lock(db_, options_);
    engine.writeHistory([&](auto& executor) {
        const auto history = engine.history(executor);
        executor.exec("DELETE FROM " + engine.table_ + " WHERE version > ?", {version});
        for (const auto& migration : migrations_) {
            if (migration.version > version) break;
            auto record = history.find(migration.version);
            if (record != history.end() && record->second.success) continue;
            const auto total = migration.up ? statementsFor(*migration.up, engine.target()).size()
                                            : std::size_t{0};
            engine.insertRecord(executor, migration, true, static_cast<int>(total),
                                static_cast<int>(total), 0, "forced");
        }
    });
}

void Migrator::baseline(std::int64_t version) {
    Engine engine(db_, options_);
    MigrationLock lock(db_, options_);
    engine.writeHistory([&](auto& executor) {
        if (!engine.history(executor).empty())
            throw Error(ErrorCategory::Config, "the database already has migration history in '" +
                                                   options_.table +
                                                   "'; baseline is for a database that has none");
        bool exact = false;
        for (const auto& migration : migrations_) {
            if (migration.version > version) break;
            exact = exact || migration.version == version;
            engine.insertRecord(executor, migration, true, 0, 0, 0, "baseline");
        }
        if (!exact) {
            Migration marker;
            marker.version = version;
            marker.name = "baseline";
            engine.insertRecord(executor, marker, true, 0, 0, 0, "baseline");
        }
    });
}

std::vector<std::pair<Migration, std::vector<std::string>>> Migrator::plan(
    std::optional<int> count) {
    Engine engine(db_, options_);
    const auto history = engine.historyIfAny();
    check(migrations_, history, true);
    std::vector<std::pair<Migration, std::vector<std::string>>> out;
    for (const Migration* migration : pending(migrations_, history, options_.allowOutOfOrder)) {
        if (count && static_cast<int>(out.size()) >= *count) break;
        auto statements =
            checkedStatements(*migration, engine.upScript(*migration), engine.target());
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
    for (auto& migration :
         loadMigrations(options.path, target.driver, options.allowGaps, options.maxFileBytes)) {
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
