#include "runner.h"

#include <chrono>

#include "plugdb/error.h"

namespace plugdb::migrate {
namespace {

// Fingerprint of the first `count` statements, to tell whether a resumed
// migration still starts with the statements that already ran.
std::string appliedChecksum(const std::vector<std::string>& statements, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += statements[i] + "\n;\n";
    return checksum(text);
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

}  // namespace

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

Runner::Runner(Database& db, const Options& options, HistoryTable& history)
    : db_(db),
      options_(options),
      history_(history),
      driver_(db.info().driver),
      target_(Target::of(db)),
      transactionalDdl_(db.has(kCapTransactionalDdl)),
      transactions_(db.has(kCapTransactions)) {}

void Runner::log(const std::string& line) const {
    if (options_.log) options_.log(line);
}

Error Runner::statementError(const Migration& migration, const Script& script, std::size_t index,
                             std::size_t total, const Error& e) const {
    return Error(e.category(),
                 "migration " + migration.directory + " failed: " + script.file + ", statement " +
                     std::to_string(index + 1) + " of " + std::to_string(total) + ", " + driver_ +
                     " said: " + e.what(),
                 e.details());
}

const Script& Runner::upScript(const Migration& migration) const {
    if (!migration.up)
        throw Error(ErrorCategory::Config, "migration " + migration.directory +
                                               " has no up.sql and no up." + driver_ + ".sql");
    return *migration.up;
}

// Applies one migration; false when another migrator applied it first.
bool Runner::applyUp(const Migration& migration, const std::optional<Record>& failed) {
    const Script& script = upScript(migration);
    const auto statements = checkedStatements(migration, script, target_);
    const auto started = std::chrono::steady_clock::now();
    const int total = static_cast<int>(statements.size());
    if (transactionalDdl_ && !noTransactionMarker(script.text)) {
        log("applying " + migration.directory + " (" + statementCount(statements.size()) +
            ", one transaction)");
        Session session = db_.session();
        Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
        if (auto existing = history_.record(tx, migration.version); existing && existing->success)
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
        history_.insertRecord(tx, migration, true, total, total, elapsedMs(started), "migration");
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
            throw Error(ErrorCategory::Config,
                        "migration " + migration.directory + " recorded " + std::to_string(from) +
                            " statements applied but " + script.file + " now has " +
                            std::to_string(total) + "; fix the file or use 'migrate force'");
        // Resuming is only sound when the statements that already ran are unchanged.
        if (from > 0 && appliedChecksum(statements, from) != failed->appliedChecksum)
            throw Error(ErrorCategory::Config,
                        "statements 1 to " + std::to_string(from) + " of " + script.file +
                            " already ran but were changed since; restore them and change "
                            "only statement " +
                            std::to_string(from + 1) +
                            " or later, or use 'migrate repair' / 'migrate force'");
        session.exec("UPDATE " + history_.name() +
                         " SET checksum = ?, statements_total = ?, error = NULL,"
                         " applied_by = ? WHERE version = ?",
                     {migration.checksum, total, history_.appliedBy(), migration.version});
        log("resuming " + migration.directory + " at statement " + std::to_string(from + 1) +
            " of " + std::to_string(total));
    } else {
        history_.insertRecord(session, migration, false, 0, total, 0, "migration");
        log("applying " + migration.directory + " (" + statementCount(statements.size()) +
            ", recorded one by one)");
    }
    for (std::size_t i = from; i < statements.size(); ++i) {
        const std::vector<Value> progress{static_cast<int>(i + 1),
                                          appliedChecksum(statements, i + 1), migration.version};
        const std::string recordProgress =
            "UPDATE " + history_.name() +
            " SET statements_applied = ?, applied_checksum = ? WHERE version = ?";
        std::optional<Error> failure;
        if (transactions_ && isDataStatement(statements[i])) {
            Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
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
                session.exec("UPDATE " + history_.name() + " SET error = ? WHERE version = ?",
                             {std::string(failure->what()), migration.version});
            } catch (const Error&) {
                // The statement's error matters more than the bookkeeping's.
            }
            throw *failure;
        }
        log(migration.directory + ": statement " + std::to_string(i + 1) + " of " +
            std::to_string(total) + " done");
    }
    session.exec("UPDATE " + history_.name() +
                     " SET success = 1, applied_at = ?, execution_ms = ? WHERE version = ?",
                 {HistoryTable::nowIso(), elapsedMs(started), migration.version});
    return true;
}

// Reverts one applied migration; false when another migrator reverted it first.
bool Runner::applyDown(const Migration& migration) {
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
        if (auto existing = history_.record(tx, migration.version); !existing || !existing->success)
            return false;
        for (std::size_t i = 0; i < total; ++i) {
            try {
                session.executeScript(statements[i]);
            } catch (const Error& e) {
                throw statementError(migration, script, i, total, e);
            }
        }
        tx.exec("DELETE FROM " + history_.name() + " WHERE version = ?", {migration.version});
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
                    "UPDATE " + history_.name() + " SET success = 0, error = ? WHERE version = ?",
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
    session.exec("DELETE FROM " + history_.name() + " WHERE version = ?", {migration.version});
    return true;
}

}  // namespace plugdb::migrate
